//! A tiny H.264 encoder for flat-colour pictures: Constrained Baseline, CAVLC, no residual.
//!
//! An IDR picture codes its first macroblock as `I_PCM` (the raw Y/Cb/Cr samples of the
//! colour) and every other one as `I_16x16` with DC prediction and no coefficients: DC
//! prediction copies the neighbours' mean, so the whole picture decodes to exactly the
//! first macroblock's colour. A P picture is one `mb_skip_run` covering every macroblock:
//! a copy of the previous picture in a few bytes. The parameter sets depend only on the
//! picture size, so every clip of one size shares them (clips can be joined unchanged).

use super::bits::{nal, BitWriter};

/// `profile_idc` 66 (Baseline) with `constraint_set0/1` (Constrained Baseline).
pub const PROFILE: u8 = 66;
/// `constraint_set0_flag` and `constraint_set1_flag`.
pub const CONSTRAINTS: u8 = 0xc0;
/// Level 3.0: up to 1620 macroblocks a picture, 40500 a second (840×368 at 24 fps is 1219).
pub const LEVEL: u8 = 30;
/// Frames per second, signalled in the VUI.
pub const FPS: u32 = 24;
/// `log2_max_frame_num`: `frame_num` counts pictures since the last IDR (fewer than 256).
const LOG2_MAX_FRAME_NUM: u32 = 8;

/// A colour as 8-bit limited-range BT.601 samples (what a decoder outputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Yuv {
    /// Luma, 16..=235.
    pub y: u8,
    /// Blue-difference chroma, 16..=240.
    pub cb: u8,
    /// Red-difference chroma, 16..=240.
    pub cr: u8,
}

impl Yuv {
    /// The limited-range BT.601 samples of an RGB colour (channels 0..=255), rounded.
    pub fn from_rgb(r: f64, g: f64, b: f64) -> Self {
        let (r, g, b) = (r / 255.0, g / 255.0, b / 255.0);
        let q = |v: f64| v.round().clamp(16.0, 240.0) as u8;
        Self {
            y: q(16.0 + 65.481 * r + 128.553 * g + 24.966 * b).min(235),
            cb: q(128.0 - 37.797 * r - 74.203 * g + 112.0 * b),
            cr: q(128.0 + 112.0 * r - 93.786 * g - 18.214 * b),
        }
    }

    /// The 8-bit RGB a player shows for this colour (BT.601, limited range, rounded).
    pub fn to_rgb(self) -> [u8; 3] {
        let y = 1.164_383 * (f64::from(self.y) - 16.0);
        let cb = f64::from(self.cb) - 128.0;
        let cr = f64::from(self.cr) - 128.0;
        let clamp = |v: f64| v.round().clamp(0.0, 255.0) as u8;
        [
            clamp(y + 1.596_027 * cr),
            clamp(y - 0.391_762 * cb - 0.812_968 * cr),
            clamp(y + 2.017_232 * cb),
        ]
    }
}

/// The coded picture size: whole macroblocks, cropped to the display size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// Display width, even.
    pub width: u32,
    /// Display height, even.
    pub height: u32,
}

impl Geometry {
    fn mbs_wide(self) -> u32 {
        self.width.div_ceil(16)
    }

    fn mbs_high(self) -> u32 {
        self.height.div_ceil(16)
    }

    /// Macroblocks in a picture.
    pub fn mbs(self) -> u32 {
        self.mbs_wide() * self.mbs_high()
    }
}

/// The sequence parameter set NAL unit (without a start code or length).
pub fn sps(g: Geometry) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.bits(8, u32::from(PROFILE));
    w.bits(8, u32::from(CONSTRAINTS));
    w.bits(8, u32::from(LEVEL));
    w.ue(0); // seq_parameter_set_id
    w.ue(LOG2_MAX_FRAME_NUM - 4);
    w.ue(2); // pic_order_cnt_type 2: output order is decoding order
    w.ue(1); // max_num_ref_frames
    w.bit(false); // gaps_in_frame_num_value_allowed_flag
    w.ue(g.mbs_wide() - 1);
    w.ue(g.mbs_high() - 1);
    w.bit(true); // frame_mbs_only_flag
    w.bit(true); // direct_8x8_inference_flag
                 // Cropping in units of 2 samples (4:2:0, frames only).
    let (crop_right, crop_bottom) = (
        (g.mbs_wide() * 16 - g.width) / 2,
        (g.mbs_high() * 16 - g.height) / 2,
    );
    let crop = crop_right > 0 || crop_bottom > 0;
    w.bit(crop);
    if crop {
        w.ue(0);
        w.ue(crop_right);
        w.ue(0);
        w.ue(crop_bottom);
    }
    w.bit(true); // vui_parameters_present_flag
    vui(&mut w);
    w.trailing();
    nal(3, 7, &w.into_bytes())
}

/// Square pixels; BT.601 limited range signalled so players convert to RGB the way
/// [`Yuv::to_rgb`] does; 24 fps; no reordering.
fn vui(w: &mut BitWriter) {
    w.bit(true); // aspect_ratio_info_present_flag
    w.bits(8, 1); // 1:1
    w.bit(false); // overscan_info_present_flag
    w.bit(true); // video_signal_type_present_flag
    w.bits(3, 5); // video_format: unspecified
    w.bit(false); // video_full_range_flag
    w.bit(true); // colour_description_present_flag
    w.bits(8, 6); // colour_primaries: SMPTE 170M
    w.bits(8, 6); // transfer_characteristics: SMPTE 170M
    w.bits(8, 6); // matrix_coefficients: SMPTE 170M (BT.601)
    w.bit(false); // chroma_loc_info_present_flag
    w.bit(true); // timing_info_present_flag
    w.bits(32, 1); // num_units_in_tick
    w.bits(32, FPS * 2); // time_scale (two ticks a frame)
    w.bit(true); // fixed_frame_rate_flag
    w.bit(false); // nal_hrd_parameters_present_flag
    w.bit(false); // vcl_hrd_parameters_present_flag
    w.bit(false); // pic_struct_present_flag
    w.bit(true); // bitstream_restriction_flag
    w.bit(true); // motion_vectors_over_pic_boundaries_flag
    w.ue(0); // max_bytes_per_pic_denom: no limit
    w.ue(0); // max_bits_per_mb_denom: no limit (an I_PCM macroblock is 3072 bits)
    w.ue(16); // log2_max_mv_length_horizontal
    w.ue(16); // log2_max_mv_length_vertical
    w.ue(0); // max_num_reorder_frames
    w.ue(1); // max_dec_frame_buffering
}

/// The picture parameter set NAL unit.
pub fn pps() -> Vec<u8> {
    let mut w = BitWriter::default();
    w.ue(0); // pic_parameter_set_id
    w.ue(0); // seq_parameter_set_id
    w.bit(false); // entropy_coding_mode_flag: CAVLC
    w.bit(false); // bottom_field_pic_order_in_frame_present_flag
    w.ue(0); // num_slice_groups_minus1
    w.ue(0); // num_ref_idx_l0_default_active_minus1
    w.ue(0); // num_ref_idx_l1_default_active_minus1
    w.bit(false); // weighted_pred_flag
    w.bits(2, 0); // weighted_bipred_idc
    w.se(0); // pic_init_qp_minus26
    w.se(0); // pic_init_qs_minus26
    w.se(0); // chroma_qp_index_offset
    w.bit(true); // deblocking_filter_control_present_flag
    w.bit(false); // constrained_intra_pred_flag
    w.bit(false); // redundant_pic_cnt_present_flag
    w.trailing();
    nal(3, 8, &w.into_bytes())
}

/// An IDR picture of one flat colour. `idr_pic_id` must differ between consecutive IDRs.
pub fn idr(g: Geometry, colour: Yuv, idr_pic_id: u32) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.ue(0); // first_mb_in_slice
    w.ue(7); // slice_type: I (every slice of the picture)
    w.ue(0); // pic_parameter_set_id
    w.bits(LOG2_MAX_FRAME_NUM, 0); // frame_num
    w.ue(idr_pic_id);
    w.bit(false); // no_output_of_prior_pics_flag
    w.bit(false); // long_term_reference_flag
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc: off (nothing to smooth)
    let wide = g.mbs_wide();
    for mb in 0..g.mbs() {
        if mb == 0 {
            w.ue(25); // mb_type I_PCM
            while !w.aligned() {
                w.bit(false); // pcm_alignment_zero_bit
            }
            w.bytes(&[colour.y; 256]);
            w.bytes(&[colour.cb; 64]);
            w.bytes(&[colour.cr; 64]);
            continue;
        }
        w.ue(3); // mb_type I_16x16_2_0_0: DC prediction, no coded luma or chroma
        w.ue(0); // intra_chroma_pred_mode: DC
        w.se(0); // mb_qp_delta
                 // Intra16x16DCLevel with no coefficients. Its coeff_token table depends on nC, the
                 // coefficient counts of the blocks left and above: an I_PCM neighbour counts 16,
                 // the others (no coefficients) 0.
        let (x, y) = (mb % wide, mb / wide);
        let left_pcm = x == 1 && y == 0;
        let above_pcm = x == 0 && y == 1;
        if left_pcm || above_pcm {
            w.bits(6, 0b00_0011); // nC ≥ 8: TotalCoeff 0, TrailingOnes 0
        } else {
            w.bit(true); // 0 ≤ nC < 2
        }
    }
    w.trailing();
    nal(3, 5, &w.into_bytes())
}

/// A P picture that repeats the previous one: every macroblock skipped.
/// `frame_num` counts pictures since the IDR.
pub fn skipped(g: Geometry, frame_num: u32) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.ue(0); // first_mb_in_slice
    w.ue(5); // slice_type: P (every slice of the picture)
    w.ue(0); // pic_parameter_set_id
    w.bits(LOG2_MAX_FRAME_NUM, frame_num % (1 << LOG2_MAX_FRAME_NUM));
    w.bit(false); // num_ref_idx_active_override_flag
    w.bit(false); // ref_pic_list_modification_flag_l0
    w.bit(false); // adaptive_ref_pic_marking_mode_flag
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc
    w.ue(g.mbs()); // mb_skip_run: the whole picture
    w.trailing();
    nal(2, 1, &w.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_sets_depend_only_on_the_size() {
        let g = Geometry {
            width: 640,
            height: 360,
        };
        assert_eq!(g.mbs(), 40 * 23);
        assert_eq!(sps(g), sps(g));
        assert_ne!(
            sps(g),
            sps(Geometry {
                width: 360,
                height: 640
            })
        );
        assert_eq!(sps(g)[..4], [0x67, PROFILE, CONSTRAINTS, LEVEL]);
        assert_eq!(pps()[0], 0x68);
    }

    #[test]
    fn pictures_are_small() {
        let g = Geometry {
            width: 840,
            height: 360,
        };
        let colour = Yuv {
            y: 100,
            cb: 90,
            cr: 160,
        };
        assert!(idr(g, colour, 0).len() < 2000);
        assert!(skipped(g, 1).len() < 16);
    }

    #[test]
    fn rgb_of_known_colours() {
        let grey = Yuv {
            y: 126,
            cb: 128,
            cr: 128,
        };
        assert_eq!(grey.to_rgb(), [128, 128, 128]);
        let white = Yuv {
            y: 235,
            cb: 128,
            cr: 128,
        };
        assert_eq!(white.to_rgb(), [255, 255, 255]);
        // RGB → YUV → RGB comes back within rounding.
        for rgb in [[32, 200, 90], [223, 32, 32], [100, 100, 223]] {
            let back = Yuv::from_rgb(rgb[0].into(), rgb[1].into(), rgb[2].into()).to_rgb();
            for c in 0..3 {
                assert!(back[c].abs_diff(rgb[c]) <= 2, "{rgb:?} → {back:?}");
            }
        }
    }
}
