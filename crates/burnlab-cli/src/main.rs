//! `burnlab`: the core's figures on the command line. Parsing of arguments and printing only;
//! every figure comes from the `burnlab` crate.

mod alertmanager;

use std::process::ExitCode;

use burnlab::{BudgetReport, Duration, ErrorRatio, Objective, format};
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
    /// Which receivers an alert reaches, as `amtool config routes test` prints them.
    Route {
        /// The alertmanager.yml (or Kubernetes Secret manifest) to read.
        #[arg(long)]
        config: String,
        /// Print the routing tree with the matched path marked, then the receivers.
        #[arg(long)]
        tree: bool,
        /// Print the routing tree as `amtool config routes show` does; labels are ignored.
        #[arg(long)]
        show: bool,
        /// The matcher parser: classic (Alertmanager 0.25), utf8, or fallback (0.27+ default).
        #[arg(long, value_enum, default_value = "fallback")]
        matchers: alertmanager::MatcherMode,
        /// The alert's labels, as LABEL=VALUE.
        labels: Vec<String>,
    },
    /// Validate an alertmanager.yml as `amtool check-config` does, with located messages.
    Check {
        /// The alertmanager.yml (or Kubernetes Secret manifest) to check.
        #[arg(long)]
        config: String,
        /// The matcher parser: classic (Alertmanager 0.25), utf8, or fallback (0.27+ default).
        #[arg(long, value_enum, default_value = "fallback")]
        matchers: alertmanager::MatcherMode,
    },
    /// Error budget, burn rate and time to exhaustion for an objective and an error ratio.
    Budget {
        /// The objective as a percentage: 99.9 or 99.9%.
        #[arg(long)]
        objective: String,
        /// The period the budget covers, as a Prometheus duration.
        #[arg(long, default_value = "30d")]
        period: String,
        /// The observed error ratio: 0.005 means 0.5 % (0.5% is read as a percentage).
        #[arg(long, default_value = "0")]
        error_ratio: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
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
        Command::Route {
            show: true,
            config,
            matchers,
            ..
        } => alertmanager::show(&config, matchers),
        Command::Route {
            config,
            tree,
            matchers,
            labels,
            ..
        } => alertmanager::route(&config, &labels, tree, matchers),
        Command::Check { config, matchers } => alertmanager::check(&config, matchers),
        Command::Budget {
            objective,
            period,
            error_ratio,
            json,
        } => {
            let report = BudgetReport::new(
                Objective::parse(&objective)?,
                Duration::parse(&period, "period")?,
                ErrorRatio::parse(&error_ratio)?,
            )?;
            if json {
                Ok(serde_json::to_string_pretty(&report)?)
            } else {
                Ok(budget_table(&report))
            }
        }
    }
}

fn budget_table(r: &BudgetReport) -> String {
    let rows = [
        ("objective", format::percent(r.objective_percent / 100.0)),
        ("period", r.period.clone()),
        (
            "error budget",
            format!(
                "{} of requests = {} of full outage",
                format::percent(r.error_budget_ratio),
                format::human_duration(r.budget_seconds)
            ),
        ),
        ("error ratio", format::percent(r.error_ratio)),
        ("burn rate", r.burn_rate_text()),
        ("budget gone in", r.time_to_exhaustion_text()),
    ];
    rows.iter()
        .map(|(k, v)| format!("{k:<16}{v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
