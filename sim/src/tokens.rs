//! The billing model: output pixel size per resolution tier and ratio, and the token count.
//!
//! Written independently of the client crate's cost code on purpose: if the two disagree a
//! test shows it. The formula `(24 × duration + 1) × W × H / 1024` gives the real sample's
//! 108,900 tokens for 5 s at 720p 16:9 (1280×720).

/// Frames per second of every Seedance 2.0 output.
pub const FPS: u64 = 24;

/// Ratios a request may name (besides `adaptive`), with their width/height.
pub const RATIOS: [(&str, f64); 6] = [
    ("16:9", 16.0 / 9.0),
    ("4:3", 4.0 / 3.0),
    ("1:1", 1.0),
    ("3:4", 3.0 / 4.0),
    ("9:16", 9.0 / 16.0),
    ("21:9", 21.0 / 9.0),
];

/// Output pixel size per (resolution, ratio). Every ratio in a tier has about the same area.
pub const PIXELS: [(&str, &str, u32, u32); 18] = [
    ("480p", "16:9", 864, 496),
    ("480p", "4:3", 752, 560),
    ("480p", "1:1", 640, 640),
    ("480p", "3:4", 560, 752),
    ("480p", "9:16", 496, 864),
    ("480p", "21:9", 992, 432),
    ("720p", "16:9", 1280, 720),
    ("720p", "4:3", 1112, 834),
    ("720p", "1:1", 960, 960),
    ("720p", "3:4", 834, 1112),
    ("720p", "9:16", 720, 1280),
    ("720p", "21:9", 1470, 630),
    ("1080p", "16:9", 1920, 1080),
    ("1080p", "4:3", 1664, 1248),
    ("1080p", "1:1", 1440, 1440),
    ("1080p", "3:4", 1248, 1664),
    ("1080p", "9:16", 1080, 1920),
    ("1080p", "21:9", 2206, 946),
];

/// Pixel size of an output; `None` for an unknown tier or ratio.
pub fn pixels(resolution: &str, ratio: &str) -> Option<(u32, u32)> {
    PIXELS
        .iter()
        .find(|(r, q, _, _)| *r == resolution && *q == ratio)
        .map(|&(_, _, w, h)| (w, h))
}

/// Tokens billed for a finished video: `(24 × seconds + 1) × W × H / 1024`, rounded down.
pub fn completion_tokens(resolution: &str, ratio: &str, duration_secs: u64) -> Option<u64> {
    let (w, h) = pixels(resolution, ratio)?;
    Some((FPS * duration_secs + 1) * u64::from(w) * u64::from(h) / 1024)
}

/// The listed ratio closest to `aspect` (width/height), compared on a log scale so that
/// 2:1 and 1:2 are equally far from 1:1.
pub fn closest_ratio(aspect: f64) -> &'static str {
    let target = aspect.max(1e-6).ln();
    RATIOS
        .iter()
        .min_by(|a, b| {
            (a.1.ln() - target)
                .abs()
                .total_cmp(&(b.1.ln() - target).abs())
        })
        .map_or("16:9", |r| r.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_sample_is_exact() {
        assert_eq!(completion_tokens("720p", "16:9", 5), Some(108_900));
    }

    #[test]
    fn table_is_complete() {
        for res in ["480p", "720p", "1080p"] {
            for (ratio, aspect) in RATIOS {
                let (w, h) = pixels(res, ratio).unwrap();
                let got = f64::from(w) / f64::from(h);
                assert!((got / aspect - 1.0).abs() < 0.03, "{res} {ratio}");
            }
        }
        assert_eq!(pixels("720p", "adaptive"), None);
    }

    #[test]
    fn closest_ratio_picks_neighbours() {
        assert_eq!(closest_ratio(1920.0 / 1080.0), "16:9");
        assert_eq!(closest_ratio(1.0), "1:1");
        assert_eq!(closest_ratio(0.5), "9:16");
        assert_eq!(closest_ratio(2.5), "21:9");
        assert_eq!(closest_ratio(0.8), "3:4");
    }
}
