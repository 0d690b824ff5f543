//! The request as a `curl` command the user can run or share: the key stays
//! `$SEEDANCE_API_KEY` (never the real one), and a proxy that adds the key gets none.

use seedance::CreateTaskRequest;

/// The request as a `curl` command: the key stays `$SEEDANCE_API_KEY` (never the real one),
/// and no key header at all for a proxy that adds it.
pub fn curl(base_url: &str, req: &CreateTaskRequest, with_key: bool) -> String {
    let body = req.to_json();
    let quoted = body.replace('\'', r"'\''");
    let auth = if with_key {
        " \\\n  -H \"Authorization: Bearer $SEEDANCE_API_KEY\""
    } else {
        ""
    };
    format!(
        "curl -sS -X POST '{}/contents/generations/tasks'{auth} \\\n  -H 'Content-Type: application/json' \\\n  -d '{quoted}'",
        base_url.trim_end_matches('/')
    )
}

/// Shorten data URLs for display (the copied command keeps them whole).
pub fn shorten_data_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut rest = text;
    while let Some(i) = crate::scan::find(rest, "data:") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find('"').unwrap_or(tail.len());
        if end > 60 {
            out.push_str(&tail[..40]);
            out.push_str(&format!("…({} characters)", end));
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedance::Model;

    #[test]
    fn the_key_is_a_variable_and_quotes_are_escaped() {
        let req = CreateTaskRequest::text_to_video(Model::Fast, "It's a test");
        let cmd = curl("https://x.example/api/v3/", &req, true);
        assert!(cmd
            .starts_with("curl -sS -X POST 'https://x.example/api/v3/contents/generations/tasks'"));
        assert!(cmd.contains("Authorization: Bearer $SEEDANCE_API_KEY"));
        assert!(cmd.contains(r"It'\''s a test"), "{cmd}");
        assert!(!curl("https://p.example", &req, false).contains("Authorization"));
    }

    #[test]
    fn long_data_urls_are_shortened_for_display_only() {
        let url = format!("data:image/png;base64,{}", "A".repeat(100));
        let shown = shorten_data_urls(&format!(r#"{{"url":"{url}"}}"#));
        assert_eq!(
            shown,
            format!(r#"{{"url":"{}…(122 characters)"}}"#, &url[..40])
        );
        assert_eq!(shorten_data_urls(r#""data:x,1""#), r#""data:x,1""#);
    }
}
