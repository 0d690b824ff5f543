//! Silent AAC-LC: one raw frame of 1024 silent samples, repeated, and the decoder
//! configuration that describes it (mono, 48 kHz).
//!
//! A silent frame is a single-channel element whose `max_sfb` is 0: no scale factor bands,
//! so no spectral data, so every sample decodes to zero. It carries no encoder delay, so
//! the audio starts at time 0 without an edit list.

use super::bits::BitWriter;

/// Samples a second.
pub const SAMPLE_RATE: u32 = 48_000;
/// Samples in one AAC frame.
pub const FRAME_SAMPLES: u32 = 1024;
/// Channels.
pub const CHANNELS: u16 = 1;

/// `AudioSpecificConfig`: AAC-LC (object type 2), 48 kHz (index 3), one channel.
pub fn audio_specific_config() -> [u8; 2] {
    let mut w = BitWriter::default();
    w.bits(5, 2); // audioObjectType: AAC LC
    w.bits(4, 3); // samplingFrequencyIndex: 48000
    w.bits(4, u32::from(CHANNELS)); // channelConfiguration
    w.bits(3, 0); // frameLengthFlag (1024), dependsOnCoreCoder, extensionFlag
    let b = w.into_bytes();
    [b[0], b[1]]
}

/// One raw (ADTS-less) frame of silence.
pub fn silent_frame() -> Vec<u8> {
    let mut w = BitWriter::default();
    w.bits(3, 0); // id_syn_ele: SCE (single channel element)
    w.bits(4, 0); // element_instance_tag
    w.bits(8, 100); // global_gain (any value: there are no coefficients to scale)
    w.bit(false); // ics_reserved_bit
    w.bits(2, 0); // window_sequence: ONLY_LONG_SEQUENCE
    w.bit(false); // window_shape
    w.bits(6, 0); // max_sfb: no bands, so no section, scale factor or spectral data
    w.bit(false); // predictor_data_present
    w.bit(false); // pulse_data_present
    w.bit(false); // tns_data_present
    w.bit(false); // gain_control_data_present
    w.bits(3, 7); // id_syn_ele: END
    while !w.aligned() {
        w.bit(false);
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_frame() {
        assert_eq!(audio_specific_config(), [0x11, 0x88]);
        assert_eq!(silent_frame().len(), 4);
    }
}
