//! Where a clip's bytes come from: a slice in memory, or anything that can read at an offset
//! (a JavaScript `Uint8Array`, a file). The joiner reads only box headers and the `moov` box
//! through it; sample data is copied later by whoever writes the film.

/// Random-access bytes of one clip.
///
/// ```
/// use seedance_mp4::Source;
/// let clip: &[u8] = &[0, 0, 0, 8, b'f', b'r', b'e', b'e'];
/// let mut head = [0u8; 4];
/// clip.read_at(4, &mut head).unwrap();
/// assert_eq!((clip.size(), &head), (8, b"free"));
/// ```
pub trait Source {
    /// Return the length in bytes.
    fn size(&self) -> u64;
    /// Fill `buf` with the bytes at `offset`; the joiner never reads past [`size`](Self::size).
    ///
    /// # Errors
    /// A message saying why the bytes could not be read (it becomes [`ConcatError::Read`]).
    ///
    /// [`ConcatError::Read`]: crate::ConcatError::Read
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String>;
}

impl Source for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        let start = usize::try_from(offset).map_err(|_| "offset out of range".to_string())?;
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end));
        buf.copy_from_slice(src.ok_or_else(|| "read past the end".to_string())?);
        Ok(())
    }
}

impl Source for Vec<u8> {
    fn size(&self) -> u64 {
        self.as_slice().size()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        self.as_slice().read_at(offset, buf)
    }
}

impl<T: Source + ?Sized> Source for &T {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        (**self).read_at(offset, buf)
    }
}
