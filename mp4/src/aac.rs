//! AAC: read an AudioSpecificConfig (ISO 14496-3 §1.6.2.1) and make a silent raw AAC-LC
//! frame for it, written bit by bit here (a few dozen bits; no crate needed).

/// The fields of an AudioSpecificConfig the joiner uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AudioConfig {
    /// Audio object type: 2 is AAC-LC, 5 HE-AAC (SBR), 29 HE-AAC v2 (PS).
    pub(crate) object_type: u8,
    pub(crate) sample_rate: u32,
    /// Channel configuration 1–7 (0: described by a program config element).
    pub(crate) channels: u8,
    /// Samples per frame: 1024, or 960 when the frame-length flag is set.
    pub(crate) frame_len: u32,
}

const RATES: [u32; 13] = [
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

/// Read an AudioSpecificConfig; `None` if it is too short or uses a reserved rate index.
pub(crate) fn parse_config(asc: &[u8]) -> Option<AudioConfig> {
    let mut r = BitReader { buf: asc, pos: 0 };
    let object_type = |r: &mut BitReader| -> Option<u8> {
        let t = r.bits(5)? as u8;
        Some(if t == 31 { 32 + r.bits(6)? as u8 } else { t })
    };
    let rate = |r: &mut BitReader| -> Option<u32> {
        match r.bits(4)? {
            15 => r.bits(24),
            i => RATES.get(i as usize).copied(),
        }
    };
    let first_type = object_type(&mut r)?;
    let sample_rate = rate(&mut r)?;
    let channels = r.bits(4)? as u8;
    let mut core_type = first_type;
    if first_type == 5 || first_type == 29 {
        rate(&mut r)?; // the SBR output rate
        core_type = object_type(&mut r)?;
    }
    let ga = [1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].contains(&core_type);
    let frame_len = if ga && r.bits(1)? == 1 { 960 } else { 1024 };
    Some(AudioConfig {
        object_type: first_type,
        sample_rate,
        channels,
        frame_len,
    })
}

impl AudioConfig {
    /// Describe the format for a message: `AAC-LC, 48000 Hz, 2 channels`.
    pub(crate) fn describe(&self) -> String {
        let name = match self.object_type {
            2 => "AAC-LC".to_string(),
            5 => "HE-AAC".to_string(),
            29 => "HE-AAC v2".to_string(),
            n => format!("AAC object type {n}"),
        };
        format!(
            "{name}, {} Hz, {} channels",
            self.sample_rate, self.channels
        )
    }

    /// Make one raw AAC-LC frame that decodes to `frame_len` samples of silence on every
    /// channel; `None` for other object types or a channel layout given by a PCE.
    ///
    /// Each element is an SCE, CPE or LFE whose channel stream has `max_sfb` 0 (no
    /// spectral data, so nothing to decode but zeros), followed by the END element.
    pub(crate) fn silent_frame(&self) -> Option<Vec<u8>> {
        // Element ids: 0 SCE, 1 CPE, 3 LFE (ISO 14496-3 table 4.85).
        let layout: &[u32] = match (self.object_type, self.channels) {
            (2, 1) => &[0],
            (2, 2) => &[1],
            (2, 3) => &[0, 1],
            (2, 4) => &[0, 1, 0],
            (2, 5) => &[0, 1, 1],
            (2, 6) => &[0, 1, 1, 3],
            (2, 7) => &[0, 1, 1, 1, 3],
            _ => return None,
        };
        let mut w = BitWriter::default();
        let mut tags = [0u32; 4];
        for &id in layout {
            w.put(id, 3);
            w.put(tags[id as usize], 4); // element_instance_tag
            tags[id as usize] += 1;
            if id == 1 {
                w.put(1, 1); // common_window
                ics_info(&mut w);
                w.put(0, 2); // ms_mask_present
                empty_channel_stream(&mut w);
                empty_channel_stream(&mut w);
            } else {
                w.put(SILENT_GAIN, 8);
                ics_info(&mut w);
                w.put(0, 3); // pulse, tns, gain control: none
            }
        }
        w.put(7, 3); // ID_END
        Some(w.finish())
    }
}

/// Any global gain works: with no scale-factor bands there is nothing to scale.
const SILENT_GAIN: u32 = 100;

/// `ics_info` for one long window with no scale-factor bands.
fn ics_info(w: &mut BitWriter) {
    w.put(0, 1); // ics_reserved_bit
    w.put(0, 2); // window_sequence: ONLY_LONG_SEQUENCE
    w.put(0, 1); // window_shape: sine
    w.put(0, 6); // max_sfb
    w.put(0, 1); // predictor_data_present
}

/// An `individual_channel_stream` after a common `ics_info`: gain, then no sections,
/// scale factors, pulses, TNS or gain control.
fn empty_channel_stream(w: &mut BitWriter) {
    w.put(SILENT_GAIN, 8);
    w.put(0, 3);
}

struct BitReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl BitReader<'_> {
    fn bits(&mut self, n: u32) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            let byte = self.buf.get(self.pos / 8)?;
            v = (v << 1) | u32::from((byte >> (7 - self.pos % 8)) & 1);
            self.pos += 1;
        }
        Some(v)
    }
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    bits: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, n: u32) {
        for i in (0..n).rev() {
            if self.bits.is_multiple_of(8) {
                self.out.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            *self.out.last_mut().expect("pushed above") |= bit << (7 - self.bits % 8);
            self.bits += 1;
        }
    }

    /// Return the bytes, the last one padded with zero bits.
    fn finish(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lc_and_he_configs() {
        // AAC-LC, 48 kHz, mono (ffmpeg's `-c:a aac -ac 1 -ar 48000`).
        let lc = parse_config(&[0x11, 0x88]).unwrap();
        assert_eq!(
            lc,
            AudioConfig {
                object_type: 2,
                sample_rate: 48000,
                channels: 1,
                frame_len: 1024
            }
        );
        assert_eq!(lc.describe(), "AAC-LC, 48000 Hz, 1 channels");
        // HE-AAC: SBR over an LC core at 24 kHz, stereo.
        let he = parse_config(&[0x2b, 0x11, 0x88, 0x00]).unwrap();
        assert_eq!((he.object_type, he.sample_rate, he.channels), (5, 24000, 2));
        assert!(he.silent_frame().is_none());
        assert!(parse_config(&[0x10]).is_none());
    }

    #[test]
    fn silent_frames_are_the_expected_bits() {
        let mono = AudioConfig {
            object_type: 2,
            sample_rate: 48000,
            channels: 1,
            frame_len: 1024,
        };
        // SCE tag 0, gain 100, long window, max_sfb 0, no tools, END: 32 bits.
        assert_eq!(mono.silent_frame().unwrap(), [0x00, 0xc8, 0x00, 0x07]);
        let stereo = AudioConfig {
            channels: 2,
            ..mono
        };
        assert_eq!(stereo.silent_frame().unwrap().len(), 6); // 46 bits
        let surround = AudioConfig {
            channels: 6,
            ..mono
        };
        assert!(surround.silent_frame().is_some());
    }
}
