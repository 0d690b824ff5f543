//! Token and money estimates, before a task runs and after it finished.
//!
//! Tokens follow `frames × width × height / 1024` with `frames = 24 × seconds + 1`, which
//! matches the one real sample (720p 16:9 5 s → 108,900) exactly; the vendor's rule of thumb
//! (`seconds × w × h × 24 / 1024`) is 0.8 % lower. That is a fit to one point, so the pixel
//! table and the formula are data a caller can replace. Prices change: they are never built
//! in, the caller supplies a [`PriceTable`].

pub(crate) mod codec;

use serde::{Deserialize, Serialize};

use crate::types::{CreateTaskRequest, Model, Ratio, Resolution, Task, DURATION_AUTO};
use crate::validate::DURATION_RANGE;

/// Output pixel size of one resolution tier and ratio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PixelSize {
    /// The tier.
    pub resolution: Resolution,
    /// The ratio.
    pub ratio: Ratio,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// How tokens follow from pixels and seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenFormula {
    /// Frames per second (24).
    pub fps: u32,
    /// Frames added to `fps × seconds` (1).
    pub extra_frames: u32,
    /// Pixels per token (1024).
    pub pixels_per_token: u32,
}

impl Default for TokenFormula {
    fn default() -> Self {
        TokenFormula {
            fps: 24,
            extra_frames: 1,
            pixels_per_token: 1024,
        }
    }
}

/// Everything the token estimate needs: the pixel table and the formula.
///
/// ```
/// use seedance::{CostModel, CreateTaskRequest, Model, Ratio, Resolution};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "x")
///     .with_resolution(Resolution::P720).with_ratio(Ratio::R16x9).with_duration(5);
/// let est = CostModel::default().estimate(&req, None);
/// assert_eq!((est.tokens_min, est.tokens_max), (108_900, 108_900));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostModel {
    /// Output sizes per tier and ratio.
    pub pixels: Vec<PixelSize>,
    /// Tokens from pixels and seconds.
    pub formula: TokenFormula,
}

/// The output pixel sizes per tier and ratio as published for Seedance (every ratio of a
/// tier has about the same area, so costs the same).
const PIXELS: &[(Resolution, Ratio, u32, u32)] = &[
    (Resolution::P480, Ratio::R16x9, 864, 496),
    (Resolution::P480, Ratio::R4x3, 752, 560),
    (Resolution::P480, Ratio::R1x1, 640, 640),
    (Resolution::P480, Ratio::R3x4, 560, 752),
    (Resolution::P480, Ratio::R9x16, 496, 864),
    (Resolution::P480, Ratio::R21x9, 992, 432),
    (Resolution::P720, Ratio::R16x9, 1280, 720),
    (Resolution::P720, Ratio::R4x3, 1112, 834),
    (Resolution::P720, Ratio::R1x1, 960, 960),
    (Resolution::P720, Ratio::R3x4, 834, 1112),
    (Resolution::P720, Ratio::R9x16, 720, 1280),
    (Resolution::P720, Ratio::R21x9, 1470, 630),
    (Resolution::P1080, Ratio::R16x9, 1920, 1080),
    (Resolution::P1080, Ratio::R4x3, 1664, 1248),
    (Resolution::P1080, Ratio::R1x1, 1440, 1440),
    (Resolution::P1080, Ratio::R3x4, 1248, 1664),
    (Resolution::P1080, Ratio::R9x16, 1080, 1920),
    (Resolution::P1080, Ratio::R21x9, 2206, 946),
];

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            pixels: PIXELS
                .iter()
                .map(|(resolution, ratio, width, height)| PixelSize {
                    resolution: resolution.clone(),
                    ratio: ratio.clone(),
                    width: *width,
                    height: *height,
                })
                .collect(),
            formula: TokenFormula::default(),
        }
    }
}

/// A token estimate, with a money estimate when prices were given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The fewest tokens (equal to `tokens_max` unless the duration is -1).
    pub tokens_min: u64,
    /// The most tokens.
    pub tokens_max: u64,
    /// The shortest length counted, seconds.
    pub seconds_min: u32,
    /// The longest length counted, seconds.
    pub seconds_max: u32,
    /// The output width (for `adaptive`, the tier's 16:9 size; the real one comes back in
    /// the task). Tokens are counted from the tier's 16:9 area for every ratio.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// The money estimate, when a price table was given and has a matching price.
    pub price: Option<PriceEstimate>,
}

/// A money range in the price table's currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceEstimate {
    /// The least it can cost.
    pub min: f64,
    /// The most it can cost.
    pub max: f64,
    /// The currency of the price table.
    pub currency: String,
}

/// Prices per million tokens, supplied by the caller (prices change; none are built in).
///
/// An entry with a field left `None` matches any value of it; the most specific matching
/// entry wins (on a tie, the first).
///
/// ```
/// use seedance::{Price, PriceTable, Resolution};
/// let prices = PriceTable {
///     currency: "CNY".into(),
///     prices: vec![
///         Price { per_million_tokens: 46.0, ..Price::default() },
///         Price { resolution: Some(Resolution::P1080), per_million_tokens: 51.0, ..Price::default() },
///     ],
/// };
/// assert_eq!(prices.per_million("doubao-seedance-2-0-260128", &Resolution::P1080, false), Some(51.0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceTable {
    /// The currency the prices are in, e.g. `USD` or `CNY`.
    pub currency: String,
    /// The prices.
    pub prices: Vec<Price>,
}

/// One price: per million tokens for a model, a tier, and with or without video input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Price {
    /// The model id it applies to; `None` for any.
    pub model: Option<String>,
    /// The tier it applies to; `None` for any.
    pub resolution: Option<Resolution>,
    /// Whether it applies when the input includes a video; `None` for either.
    pub with_video_input: Option<bool>,
    /// The price of a million tokens.
    pub per_million_tokens: f64,
}

impl PriceTable {
    /// The price per million tokens for a model, tier and input kind, if any entry matches.
    pub fn per_million(
        &self,
        model: &str,
        resolution: &Resolution,
        with_video: bool,
    ) -> Option<f64> {
        self.prices
            .iter()
            .filter(|p| p.model.as_deref().is_none_or(|m| m == model))
            .filter(|p| p.resolution.as_ref().is_none_or(|r| r == resolution))
            .filter(|p| p.with_video_input.is_none_or(|v| v == with_video))
            .map(|p| {
                let rank = p.model.is_some() as u8
                    + p.resolution.is_some() as u8
                    + p.with_video_input.is_some() as u8;
                (rank, p.per_million_tokens)
            })
            // max_by_key keeps the last of equals; reverse so the first listed wins ties.
            .rev()
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, price)| price)
    }

    /// The money for a number of tokens.
    pub fn cost(
        &self,
        tokens: u64,
        model: &str,
        resolution: &Resolution,
        with_video: bool,
    ) -> Option<f64> {
        Some(tokens as f64 / 1e6 * self.per_million(model, resolution, with_video)?)
    }
}

impl CostModel {
    /// Output pixel size of a tier and ratio; `adaptive` counts as the tier's 16:9 (every
    /// ratio of a tier has the same area). `None` for a tier or ratio not in the table.
    pub fn pixels(&self, resolution: &Resolution, ratio: &Ratio) -> Option<(u32, u32)> {
        let ratio = if *ratio == Ratio::Adaptive {
            &Ratio::R16x9
        } else {
            ratio
        };
        self.pixels
            .iter()
            .find(|p| p.resolution == *resolution && p.ratio == *ratio)
            .map(|p| (p.width, p.height))
    }

    /// Tokens of a video of this size and length.
    pub fn tokens(&self, width: u32, height: u32, seconds: u32) -> u64 {
        let f = &self.formula;
        let frames = (f.fps as u64) * seconds as u64 + f.extra_frames as u64;
        frames * width as u64 * height as u64 / f.pixels_per_token.max(1) as u64
    }

    /// Estimate a request's tokens (a range when the duration is -1) and, with prices, its
    /// money. Unset fields count as the server's defaults (720p, adaptive, 5 s). Every ratio
    /// of a tier costs the same. A tier or ratio missing from the table counts as 720p
    /// 16:9; validation reports it anyway.
    ///
    /// A reference video may add its own length to the bill (unverified); it is not counted.
    pub fn estimate(&self, req: &CreateTaskRequest, prices: Option<&PriceTable>) -> Estimate {
        let resolution = req.resolution.clone().unwrap_or(Resolution::P720);
        let ratio = req.ratio.clone().unwrap_or(Ratio::Adaptive);
        let fallback = (1280, 720);
        let (width, height) = self
            .pixels(&resolution, &ratio)
            .or_else(|| self.pixels(&Resolution::P720, &ratio))
            .unwrap_or(fallback);
        // Every ratio of a tier is billed the same (the vendor says so), so tokens come
        // from the tier's 16:9 area, whatever the ratio's exact size.
        let (tier_w, tier_h) = self
            .pixels(&resolution, &Ratio::R16x9)
            .or_else(|| self.pixels(&Resolution::P720, &Ratio::R16x9))
            .unwrap_or(fallback);
        let (seconds_min, seconds_max) = match req.duration {
            None => (5, 5),
            Some(DURATION_AUTO) => (*DURATION_RANGE.start() as u32, *DURATION_RANGE.end() as u32),
            Some(d) => {
                let d = d.clamp(0, u32::MAX as i64) as u32;
                (d, d)
            }
        };
        let tokens_min = self.tokens(tier_w, tier_h, seconds_min);
        let tokens_max = self.tokens(tier_w, tier_h, seconds_max);
        let price = prices.and_then(|table| {
            let video = req.has_video_input();
            let model = req.model.as_str();
            Some(PriceEstimate {
                min: table.cost(tokens_min, model, &resolution, video)?,
                max: table.cost(tokens_max, model, &resolution, video)?,
                currency: table.currency.clone(),
            })
        });
        Estimate {
            tokens_min,
            tokens_max,
            seconds_min,
            seconds_max,
            width,
            height,
            price,
        }
    }
}

/// Estimate with the default [`CostModel`].
///
/// ```
/// let req = seedance::CreateTaskRequest::text_to_video(seedance::Model::Standard, "x")
///     .with_auto_duration();
/// let est = seedance::estimate(&req, None);
/// assert!(est.tokens_min < est.tokens_max);
/// ```
pub fn estimate(req: &CreateTaskRequest, prices: Option<&PriceTable>) -> Estimate {
    CostModel::default().estimate(req, prices)
}

/// What a finished task actually cost, from its billed `usage.completion_tokens`.
///
/// `None` when the task carries no usage (only succeeded tasks are billed), no model or
/// resolution, or the table has no matching price. `has_video_input` is whether the request
/// included a video (the task does not say).
pub fn actual_cost(task: &Task, prices: &PriceTable, has_video_input: bool) -> Option<f64> {
    let tokens = task.billed_tokens()?;
    let model = task.model.as_ref().map(Model::as_str)?;
    prices.cost(tokens, model, task.resolution.as_ref()?, has_video_input)
}
