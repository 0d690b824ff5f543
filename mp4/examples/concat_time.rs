//! Time the join alone, in memory (no file I/O, no process start): read the clips, join
//! them N times, print the best time in ms. What e2e/bench.mjs compares the wasm build in
//! Chromium with (there the clips are already in memory too).
//!
//! `cargo run --release -p seedance-mp4 --example concat_time -- N IN1.mp4 IN2.mp4 …`

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((runs, inputs)) = args
        .split_first()
        .and_then(|(n, rest)| Some((n.parse::<u32>().ok()?, rest)))
        .filter(|(n, rest)| *n > 0 && !rest.is_empty())
    else {
        eprintln!("usage: concat_time RUNS IN1.mp4 [IN2.mp4 …]");
        return ExitCode::from(2);
    };
    let clips = match inputs
        .iter()
        .map(std::fs::read)
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("concat_time: {e}");
            return ExitCode::FAILURE;
        }
    };
    let refs: Vec<&[u8]> = clips.iter().map(Vec::as_slice).collect();
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let t0 = Instant::now();
        let film = match seedance_mp4::concat(&refs) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("concat_time: {e}");
                return ExitCode::FAILURE;
            }
        };
        best = best.min(t0.elapsed().as_secs_f64() * 1e3);
        drop(std::hint::black_box(film));
    }
    println!("{best:.3}");
    ExitCode::SUCCESS
}
