//! The enumerated request parameters: model, resolution, ratio and content roles.

use super::string_enum::string_enum;

string_enum! {
    /// A Seedance model id. Unknown ids are kept (an escape hatch for new releases);
    /// validation passes them with a warning.
    ///
    /// ```
    /// use seedance::Model;
    /// assert_eq!(Model::Fast.as_str(), "doubao-seedance-2-0-fast-260128");
    /// assert_eq!(Model::from("doubao-seedance-2-0-260128"), Model::Standard);
    /// ```
    pub enum Model {
        /// Seedance 2.0 standard: up to 1080p.
        Standard => "doubao-seedance-2-0-260128",
        /// Seedance 2.0 fast: up to 720p, quicker to generate.
        Fast => "doubao-seedance-2-0-fast-260128",
        ..
        /// Any other model id, sent as given.
        Other(String),
    }
}

impl Model {
    /// The resolutions this model can render; for an unknown model, every known one.
    pub fn resolutions(&self) -> &'static [Resolution] {
        match self {
            Model::Fast => &[Resolution::P480, Resolution::P720],
            _ => Resolution::ALL,
        }
    }
}

string_enum! {
    /// The output resolution tier. The tier fixes the pixel area, and so the price.
    pub enum Resolution {
        /// 480p.
        P480 => "480p",
        /// 720p, the server's default.
        P720 => "720p",
        /// 1080p: standard model only.
        P1080 => "1080p",
        ..
        /// Any other value (rejected by validation).
        Other(String),
    }
}

string_enum! {
    /// The output aspect ratio; `adaptive` (the server's default) fits the input image.
    pub enum Ratio {
        /// 16:9 landscape.
        R16x9 => "16:9",
        /// 4:3 landscape.
        R4x3 => "4:3",
        /// 1:1 square.
        R1x1 => "1:1",
        /// 3:4 portrait.
        R3x4 => "3:4",
        /// 9:16 portrait.
        R9x16 => "9:16",
        /// 21:9 cinema.
        R21x9 => "21:9",
        /// Chosen by the model from the input; the real ratio comes back in the task.
        Adaptive => "adaptive",
        ..
        /// Any other value (rejected by validation).
        Other(String),
    }
}

string_enum! {
    /// The role of a media item in `content`. Frame roles and reference roles never mix.
    pub enum Role {
        /// The first frame of the video (first-frame and first + last modes).
        FirstFrame => "first_frame",
        /// The last frame of the video (first + last mode).
        LastFrame => "last_frame",
        /// A reference image (multi-modal reference mode).
        ReferenceImage => "reference_image",
        /// A reference video (multi-modal reference mode).
        ReferenceVideo => "reference_video",
        /// A reference audio track (multi-modal reference mode).
        ReferenceAudio => "reference_audio",
        ..
        /// Any other value (rejected by validation).
        Other(String),
    }
}
