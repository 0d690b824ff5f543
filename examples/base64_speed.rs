//! Benchmark: the data-URL encoder's base64 (written out for the wasm's size, issue 15)
//! against the `base64` crate on a 30 MB file, the largest image or clip a request carries.
//! Not a test (a speed goal is a benchmark): `cargo run --release --example base64_speed`.

use std::hint::black_box;
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

fn main() {
    let bytes: Vec<u8> = (0..30_000_000u32)
        .map(|i| (i.wrapping_mul(7919) >> 3) as u8)
        .collect();
    // Page in the input and the allocator's memory first.
    drop(black_box(seedance::dataurl::encode(&bytes, "video/mp4")));
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let url = seedance::dataurl::encode(&bytes, "video/mp4");
    let text = url
        .split_once(',')
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    assert_eq!(text, STANDARD.encode(&bytes), "same text as the crate");
    let parsed = seedance::dataurl::parse(&url).expect("our own data URL parses");
    assert_eq!(parsed.decode(), bytes, "decodes back to the bytes");
    let ours_enc = best(&|| drop(black_box(seedance::dataurl::encode(&bytes, "video/mp4"))));
    let crate_enc = best(&|| drop(black_box(STANDARD.encode(&bytes))));
    let ours_dec = best(&|| drop(black_box(parsed.decode())));
    let crate_dec = best(&|| drop(black_box(STANDARD.decode(&text))));
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "base64 of {mb:.0} MB, best of 5: encode ours {:.0} MB/s, crate {:.0} MB/s ({:.2}x); decode ours {:.0} MB/s, crate {:.0} MB/s ({:.2}x)",
        mb / ours_enc,
        mb / crate_enc,
        crate_enc / ours_enc,
        mb / ours_dec,
        mb / crate_dec,
        crate_dec / ours_dec
    );
}
