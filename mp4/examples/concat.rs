//! Join MP4 clips into one film: `cargo run -p seedance-mp4 --example concat -- OUT.mp4 IN1.mp4 IN2.mp4 …`
//!
//! Writes to a temporary name next to OUT and renames it, so OUT is never half written.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, inputs @ ..] = args.as_slice() else {
        eprintln!("usage: concat OUT.mp4 IN1.mp4 [IN2.mp4 …]");
        return ExitCode::from(2);
    };
    match run(out, inputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("concat: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(out: &str, inputs: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let clips = inputs
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| format!("{p}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&[u8]> = clips.iter().map(Vec::as_slice).collect();
    let film = seedance_mp4::concat(&refs)?;
    drop(clips);
    let tmp = format!("{out}.part");
    std::fs::write(&tmp, &film)?;
    std::fs::rename(&tmp, out)?;
    Ok(())
}
