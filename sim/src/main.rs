//! `seedance-sim` binary: parse flags, bind, print the address line, serve until Ctrl-C.

use std::io::Write;
use std::process::ExitCode;

use seedance_sim::cli::{self, Command};
use seedance_sim::Sim;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match cli::parse(&args, &|k| std::env::var(k).ok()) {
        Ok(Command::Run(c)) => *c,
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("seedance-sim: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
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
