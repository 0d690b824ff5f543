//! `seedance-sim` binary: parse flags, bind, print the address line, serve until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use seedance_sim::cli::Cli;
use seedance_sim::Sim;

fn main() -> ExitCode {
    // `--help` and `--version` print and exit 0; a bad flag prints why and exits 2.
    let config = Cli::parse().into_config();
    let rt = match seedance_sim::server::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("seedance-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async {
        let sim = match Sim::spawn(config).await {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("seedance-sim: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Scripts read this first line to learn the port: keep its wording exact.
        println!("seedance-sim listening on {}", sim.base_url());
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
        sim.shutdown().await;
        ExitCode::SUCCESS
    })
}
