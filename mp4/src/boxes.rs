//! Reading ISO BMFF boxes from bytes in memory: a bounds-checked big-endian cursor and an
//! iterator over the child boxes of a box body. Knows no box semantics.

use crate::error::{bad, Fault};

/// A four-character box type.
pub(crate) type FourCc = [u8; 4];

/// Show a four-character code as text (`avc1`), escaping bytes that are not printable.
pub(crate) fn fourcc_text(t: &FourCc) -> String {
    t.iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

/// A big-endian cursor over one box body; reading past the end is a [`Fault`] naming the box.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    name: &'static str,
}

impl<'a> Reader<'a> {
    /// Read `buf`, the body of the box `name` (used in error messages).
    pub(crate) fn new(buf: &'a [u8], name: &'static str) -> Self {
        Reader { buf, pos: 0, name }
    }

    /// Take the next `n` bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], Fault> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| bad(self.name, "shorter than its fields"))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// Skip `n` bytes.
    pub(crate) fn skip(&mut self, n: usize) -> Result<(), Fault> {
        self.bytes(n).map(|_| ())
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Fault> {
        Ok(self.bytes(1)?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, Fault> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Fault> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, Fault> {
        Ok((u64::from(self.u32()?) << 32) | u64::from(self.u32()?))
    }

    /// Read a full box's version and flags.
    pub(crate) fn version_flags(&mut self) -> Result<(u8, u32), Fault> {
        let v = self.u32()?;
        Ok(((v >> 24) as u8, v & 0x00ff_ffff))
    }

    /// Read a 32-bit value for version 0, a 64-bit one for version 1.
    pub(crate) fn u32_or_u64(&mut self, version: u8) -> Result<u64, Fault> {
        if version == 1 {
            self.u64()
        } else {
            self.u32().map(u64::from)
        }
    }

    /// Read a table's entry count and check that `count` entries of `size` bytes fit.
    pub(crate) fn count(&mut self, size: usize) -> Result<usize, Fault> {
        let n = self.u32()? as usize;
        if n.checked_mul(size)
            .is_none_or(|total| total > self.rest().len())
        {
            return Err(bad(self.name, "more entries than the box holds"));
        }
        Ok(n)
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }
}

/// A box header: type, header length and total length (`None`: to the end of the parent).
pub(crate) struct Header {
    pub(crate) kind: FourCc,
    pub(crate) header_len: u64,
    pub(crate) size: Option<u64>,
}

/// Parse a box header from at least 8 bytes (16 when the size is 64-bit); `None` if too short.
pub(crate) fn header(b: &[u8]) -> Option<Header> {
    let size32 = u32::from_be_bytes(b.get(0..4)?.try_into().ok()?);
    let kind: FourCc = b.get(4..8)?.try_into().ok()?;
    match size32 {
        0 => Some(Header {
            kind,
            header_len: 8,
            size: None,
        }),
        1 => {
            let size = u64::from_be_bytes(b.get(8..16)?.try_into().ok()?);
            Some(Header {
                kind,
                header_len: 16,
                size: Some(size),
            })
        }
        n => Some(Header {
            kind,
            header_len: 8,
            size: Some(u64::from(n)),
        }),
    }
}

/// The child boxes of a box body: `(type, body)` pairs, or a fault if one overruns its parent.
pub(crate) struct Children<'a> {
    buf: &'a [u8],
    parent: &'static str,
}

/// Iterate over the boxes in `buf`, the body of `parent`.
pub(crate) fn children<'a>(buf: &'a [u8], parent: &'static str) -> Children<'a> {
    Children { buf, parent }
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<(FourCc, &'a [u8]), Fault>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.len() < 8 {
            // Some writers pad a box list with up to 7 zero bytes; anything else is damage.
            let rest = std::mem::take(&mut self.buf);
            return rest
                .iter()
                .any(|&b| b != 0)
                .then(|| Err(bad(self.parent, "ends inside a child box header")));
        }
        let h = match header(self.buf) {
            Some(h) => h,
            None => return Some(Err(bad(self.parent, "ends inside a child box header"))),
        };
        let len = self.buf.len() as u64;
        let size = h.size.unwrap_or(len);
        if size < h.header_len || size > len {
            self.buf = &[];
            let what = format!("its {} box runs past its end", fourcc_text(&h.kind));
            return Some(Err(Fault::Malformed(format!(
                "{} box: {what}",
                self.parent
            ))));
        }
        let (this, rest) = self.buf.split_at(size as usize);
        self.buf = rest;
        Some(Ok((h.kind, &this[h.header_len as usize..])))
    }
}

/// Find the first child box of type `kind` in `buf`, the body of `parent`.
pub(crate) fn find<'a>(
    buf: &'a [u8],
    parent: &'static str,
    kind: &FourCc,
) -> Result<Option<&'a [u8]>, Fault> {
    for child in children(buf, parent) {
        let (k, body) = child?;
        if &k == kind {
            return Ok(Some(body));
        }
    }
    Ok(None)
}

/// Find the child box `kind` that `parent` must have.
pub(crate) fn need<'a>(
    buf: &'a [u8],
    parent: &'static str,
    kind: &FourCc,
) -> Result<&'a [u8], Fault> {
    find(buf, parent, kind)?.ok_or_else(|| {
        Fault::Malformed(format!("{parent} box: no {} box in it", fourcc_text(kind)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_split_sized_boxes_and_refuse_overruns() {
        let buf = [
            0, 0, 0, 9, b'a', b'b', b'c', b'd', 7, 0, 0, 0, 8, b'e', b'f', b'g', b'h',
        ];
        let kids: Vec<_> = children(&buf, "test").collect::<Result<_, _>>().unwrap();
        assert_eq!(kids, vec![(*b"abcd", &[7u8][..]), (*b"efgh", &[][..])]);
        let over = [0, 0, 0, 20, b'a', b'b', b'c', b'd'];
        let err = children(&over, "moov").next().unwrap().unwrap_err();
        assert!(
            matches!(err, Fault::Malformed(m) if m == "moov box: its abcd box runs past its end")
        );
    }

    #[test]
    fn reader_names_the_box_when_short() {
        let mut r = Reader::new(&[1, 2, 3], "stsz");
        assert_eq!(r.u16().unwrap(), 0x0102);
        assert!(
            matches!(r.u32(), Err(Fault::Malformed(m)) if m == "stsz box: shorter than its fields")
        );
    }
}
