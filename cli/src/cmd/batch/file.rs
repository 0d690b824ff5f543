//! A batch file as jobs: `.jsonl` (one API create body a line, optionally with a `"name"`
//! that is never sent) or `.txt` (one prompt a line). Blank lines are skipped; every problem
//! of every line is reported at once, before anything is sent.

use std::collections::HashMap;
use std::path::Path;

use seedance::jobs::{Batch, BatchJob};
use seedance::{CreateTaskRequest, Issue, Limits, Ratio, Resolution};
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::request::{self, SettingsArgs};
use crate::runs::safe_name;

/// The jobs of a batch file, checked.
pub struct Jobs {
    pub batch: Batch,
    /// Per job, its line in the file (1-based).
    pub lines: Vec<usize>,
    /// Per job, the start of its result's file name: its name made safe, or its line.
    pub stems: Vec<String>,
}

/// Read, parse and check `path`; exit 2 with every problem.
pub fn read(path: &Path, settings: &SettingsArgs, limits: &Limits) -> Result<Jobs, Failure> {
    let shown = path.display();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let jsonl = match ext.as_deref() {
        Some("jsonl") => true,
        Some("txt") => false,
        _ => {
            return Err(Failure::usage(format!(
            "{shown}: a batch file is .jsonl (one create body a line) or .txt (one prompt a line)"
        )))
        }
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{shown}: can't read the file: {e}")))?;
    let mut problems = Vec::new();
    let mut jobs = Vec::new();
    let mut lines = Vec::new();
    for (n, raw) in text.lines().enumerate().map(|(k, l)| (k + 1, l.trim())) {
        if raw.is_empty() {
            continue;
        }
        let i = lines.len();
        lines.push(n);
        let job = if jsonl {
            json_line(raw, i, n, settings, &mut problems)
        } else {
            Some(BatchJob {
                name: None,
                request: prompt_request(raw, settings),
            })
        };
        jobs.push(job);
    }
    if lines.is_empty() {
        return Err(Failure::usage(format!(
            "{shown} has no jobs (every line is blank)"
        )));
    }
    // Every line that parsed is checked, also when others did not (`jobs[i]` counts every
    // non-blank line either way).
    let parsed: Vec<usize> = (0..jobs.len()).filter(|&i| jobs[i].is_some()).collect();
    let batch = Batch {
        jobs: jobs.into_iter().flatten().collect(),
    };
    let v = batch.validate(limits);
    for w in v.warnings() {
        eprintln!("warning: {}", issue_line(w, &parsed, &lines));
    }
    problems.extend(v.errors().map(|e| issue_line(e, &parsed, &lines)));
    if parsed.len() == lines.len() {
        let stems = stems(&batch, &lines, &mut problems);
        if problems.is_empty() {
            return Ok(Jobs {
                batch,
                lines,
                stems,
            });
        }
    }
    let n = problems.len();
    let mut message = format!(
        "invalid batch {shown} ({n} problem{}); nothing was sent",
        if n == 1 { "" } else { "s" }
    );
    for p in problems {
        message.push_str("\n  - ");
        message.push_str(&p);
    }
    Err(Failure::usage(message))
}

/// A `.txt` line: a text-to-video request with the flags' settings.
fn prompt_request(prompt: &str, s: &SettingsArgs) -> CreateTaskRequest {
    let mut req = CreateTaskRequest::text_to_video(request::model(&s.model), prompt);
    req.resolution = s.resolution.as_deref().map(Resolution::from);
    req.ratio = s.ratio.as_deref().map(Ratio::from);
    req.duration = s.duration;
    req.generate_audio = s.audio().unwrap_or(true);
    req
}

/// A `.jsonl` line: the body, its `name` taken out, what it leaves out filled from the flags.
fn json_line(
    raw: &str,
    i: usize,
    n: usize,
    s: &SettingsArgs,
    problems: &mut Vec<String>,
) -> Option<BatchJob> {
    let mut body: Map<String, Value> = match serde_json::from_str(raw) {
        Ok(Value::Object(body)) => body,
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                _ => "a plain value",
            };
            problems.push(format!(
                "line {n}: a JSON object (a create body) expected, not {kind}"
            ));
            return None;
        }
        Err(e) => {
            // serde's "at line 1 column 61" is about the line alone.
            let text = e.to_string();
            let what = text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(w, _)| w);
            problems.push(format!(
                "line {n}: not JSON: {what} (column {})",
                e.column()
            ));
            return None;
        }
    };
    let before = problems.len();
    let name = match body.remove("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(other) => {
            problems.push(format!(
                "jobs[{i}].name (line {n}): a string expected, not {other}"
            ));
            None
        }
    };
    // Any other key is refused: a misspelt field would silently fall back to the server's
    // default.
    for key in body
        .keys()
        .filter(|k| !CreateTaskRequest::FIELDS.contains(&k.as_str()))
    {
        problems.push(format!(
            "jobs[{i}].{key} (line {n}): not a field of a create request; allowed: {}, and \"name\"",
            CreateTaskRequest::FIELDS.join(", ")
        ));
    }
    let mut fill = |field: &str, value: Option<Value>| {
        let absent = body.get(field).is_none_or(Value::is_null);
        if let (true, Some(v)) = (absent, value) {
            body.insert(field.to_owned(), v);
        }
    };
    fill(
        "model",
        Some(Value::from(request::model(&s.model).as_str())),
    );
    fill("resolution", s.resolution.clone().map(Value::from));
    fill("ratio", s.ratio.clone().map(Value::from));
    fill("duration", s.duration.map(Value::from));
    fill("generate_audio", s.audio().map(Value::from));
    let request = match serde_json::from_value::<CreateTaskRequest>(Value::Object(body)) {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("jobs[{i}] (line {n}): {e}"));
            return None;
        }
    };
    (problems.len() == before).then_some(BatchJob { name, request })
}

/// `jobs[7].content[0].text (line 9): given …; allowed: …`, each `jobs[k]` of the parsed
/// jobs renamed to its place among all jobs (`parsed[k]`).
fn issue_line(issue: &Issue, parsed: &[usize], lines: &[usize]) -> String {
    let field = renumber(&issue.field, parsed);
    let given = renumber(&issue.given, parsed);
    let line = field
        .strip_prefix("jobs[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| lines.get(i));
    let place = line.map(|n| format!(" (line {n})")).unwrap_or_default();
    format!("{field}{place}: given {given}; allowed: {}", issue.allowed)
}

/// `jobs[k]` → `jobs[parsed[k]]` everywhere in `text`.
fn renumber(text: &str, parsed: &[usize]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("jobs[") {
        let (head, tail) = rest.split_at(at + 5);
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let renamed = tail[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|k| parsed.get(k))
            .filter(|_| tail[digits..].starts_with(']'));
        match renamed {
            Some(i) => out.push_str(&i.to_string()),
            None => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// Per job, the start of its result's file name; two jobs with one file name or one
/// journal key are refused (names that are equal are already refused by the batch).
fn stems(batch: &Batch, lines: &[usize], problems: &mut Vec<String>) -> Vec<String> {
    let mut stems = Vec::new();
    let mut by_stem: HashMap<String, usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, job) in batch.jobs.iter().enumerate() {
        let stem = match &job.name {
            Some(name) => safe_name(name),
            None => lines[i].to_string(),
        };
        let same_name = |j: usize| job.name.is_some() && batch.jobs[j].name == job.name;
        if let Some(&j) = by_key.get(&batch.key(i)) {
            if !same_name(j) {
                problems.push(format!(
                    "jobs[{i}].name (line {}): {:?} is also the journal key of jobs[{j}] (line {}); give it another name",
                    lines[i], batch.key(i), lines[j]
                ));
            }
        } else if let Some(&j) = by_stem.get(&stem) {
            if !same_name(j) {
                problems.push(format!(
                    "jobs[{i}] (line {}): its results would be named {stem}-…, like those of jobs[{j}] (line {}); give one of them another name",
                    lines[i], lines[j]
                ));
            }
        }
        by_key.entry(batch.key(i)).or_insert(i);
        by_stem.entry(stem.clone()).or_insert(i);
        stems.push(stem);
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn job_paths_are_renumbered_among_all_lines() {
        let parsed = [0, 2, 5];
        assert_eq!(renumber("jobs[2].duration", &parsed), "jobs[5].duration");
        assert_eq!(
            renumber("\"x\", already the name of jobs[1]", &parsed),
            "\"x\", already the name of jobs[2]"
        );
        assert_eq!(renumber("jobs[9]", &parsed), "jobs[9]");
        assert_eq!(renumber("jobs[", &parsed), "jobs[");
    }
}
