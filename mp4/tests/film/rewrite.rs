//! Rewrite a clip's `stco` boxes as 64-bit `co64` ones (ffmpeg writes `co64` only for
//! files over 4 GB), to test the 64-bit path on a small file.

fn boxes(mut buf: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    while buf.len() >= 8 {
        let size = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
        let size = if size == 0 { buf.len() } else { size };
        out.push((buf[4..8].try_into().unwrap(), &buf[8..size]));
        buf = &buf[size..];
    }
    out
}

fn write(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

fn rewrite(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
    match &kind {
        b"moov" | b"trak" | b"mdia" | b"minf" | b"stbl" => {
            let inner: Vec<u8> = boxes(body)
                .into_iter()
                .flat_map(|(k, b)| rewrite(k, b))
                .collect();
            write(&kind, &inner)
        }
        b"stco" => {
            let mut inner = body[..8].to_vec();
            for offset in body[8..].chunks_exact(4) {
                inner.extend_from_slice(
                    &u64::from(u32::from_be_bytes(offset.try_into().unwrap())).to_be_bytes(),
                );
            }
            write(b"co64", &inner)
        }
        _ => write(&kind, body),
    }
}

/// The same clip with `co64` chunk offsets; its `moov` must come after its `mdat`.
pub fn stco_to_co64(file: &[u8]) -> Vec<u8> {
    let top = boxes(file);
    let kinds: Vec<&[u8; 4]> = top.iter().map(|(k, _)| k).collect();
    let (moov, mdat) = (
        kinds.iter().position(|k| *k == b"moov"),
        kinds.iter().position(|k| *k == b"mdat"),
    );
    assert!(
        moov > mdat,
        "the moov must follow the mdat, so that no offset moves"
    );
    top.into_iter().flat_map(|(k, b)| rewrite(k, b)).collect()
}
