//! A big-endian bit writer with the exp-Golomb codes H.264 uses, and the NAL payload
//! escaping (emulation prevention) that keeps start codes out of a NAL unit.

/// Bits written most significant first.
#[derive(Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0 when byte-aligned).
    used: u8,
}

impl BitWriter {
    /// One bit.
    pub fn bit(&mut self, b: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if b {
            let last = self.bytes.len() - 1;
            self.bytes[last] |= 0x80 >> self.used;
        }
        self.used = (self.used + 1) % 8;
    }

    /// The low `n` bits of `v`, most significant first (`n` ≤ 32).
    pub fn bits(&mut self, n: u32, v: u32) {
        for i in (0..n).rev() {
            self.bit((v >> i) & 1 == 1);
        }
    }

    /// Unsigned exp-Golomb, `ue(v)`.
    pub fn ue(&mut self, v: u32) {
        let x = u64::from(v) + 1;
        let len = 64 - x.leading_zeros(); // bits in x
        for _ in 1..len {
            self.bit(false);
        }
        for i in (0..len).rev() {
            self.bit((x >> i) & 1 == 1);
        }
    }

    /// Signed exp-Golomb, `se(v)`.
    pub fn se(&mut self, v: i32) {
        let k = if v > 0 {
            2 * v.unsigned_abs() - 1
        } else {
            2 * v.unsigned_abs()
        };
        self.ue(k);
    }

    /// Whether the next bit starts a byte.
    pub fn aligned(&self) -> bool {
        self.used == 0
    }

    /// Whole bytes (only when aligned).
    pub fn bytes(&mut self, data: &[u8]) {
        debug_assert!(self.aligned());
        self.bytes.extend_from_slice(data);
    }

    /// `rbsp_trailing_bits()`: a one, then zeros to the byte boundary.
    pub fn trailing(&mut self) {
        self.bit(true);
        while !self.aligned() {
            self.bit(false);
        }
    }

    /// The bytes written so far (the last one padded with zeros).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// A NAL unit: the header byte, then the payload with `0x000003` inserted wherever two
/// zero bytes would be followed by a byte ≤ 3.
pub fn nal(ref_idc: u8, unit_type: u8, rbsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rbsp.len() + 8);
    out.push((ref_idc & 3) << 5 | (unit_type & 31));
    let mut zeros = 0;
    for &b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.push(3);
            zeros = 0;
        }
        out.push(b);
        zeros = if b == 0 { zeros + 1 } else { 0 };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut BitWriter)) -> Vec<u8> {
        let mut w = BitWriter::default();
        f(&mut w);
        w.into_bytes()
    }

    #[test]
    fn exp_golomb_codes() {
        // ue: 0 → 1, 1 → 010, 2 → 011, 3 → 00100, 7 → 0001000.
        assert_eq!(written(|w| w.ue(0)), [0b1000_0000]);
        assert_eq!(written(|w| w.ue(1)), [0b0100_0000]);
        assert_eq!(written(|w| w.ue(2)), [0b0110_0000]);
        assert_eq!(written(|w| w.ue(3)), [0b0010_0000]);
        assert_eq!(written(|w| w.ue(7)), [0b0001_0000]);
        // se: 1 → 010, -1 → 011, 2 → 00100.
        assert_eq!(written(|w| w.se(1)), [0b0100_0000]);
        assert_eq!(written(|w| w.se(-1)), [0b0110_0000]);
        assert_eq!(written(|w| w.se(2)), [0b0010_0000]);
        assert_eq!(written(|w| w.bits(12, 0xabc)), [0xab, 0xc0]);
    }

    #[test]
    fn emulation_prevention() {
        assert_eq!(
            nal(3, 5, &[0, 0, 1, 0, 0, 0, 4]),
            [0x65, 0, 0, 3, 1, 0, 0, 3, 0, 4]
        );
    }
}
