//! `burnlab`: the core's figures on the command line. Parsing of arguments and printing only;
//! every figure comes from the `burnlab` crate.

mod budget;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "burnlab",
    version,
    about = "SLO burn-rate alerting playground, on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Error budget, burn rate, time to exhaustion and each tier's alert quality, with how each
    /// figure is computed.
    Budget(budget::BudgetArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("burnlab: {err}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<String, Box<dyn std::error::Error>> {
    match command {
        Command::Budget(args) => budget::run(args),
    }
}
