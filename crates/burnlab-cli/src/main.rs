//! `burnlab`: the core's figures on the command line. Parsing of arguments and printing only;
//! every figure comes from the `burnlab` crate.

mod alertmanager;
mod budget;
mod io;
mod rules;
mod simulate;

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
        /// Also print lint findings (unreachable routes, unused receivers, deprecations, …).
        #[arg(long)]
        lint: bool,
    },
    /// Error budget, burn rate, time to exhaustion and each tier's alert quality, with how each
    /// figure is computed.
    Budget(budget::BudgetArgs),
    /// Prometheus recording and multiwindow burn-rate alerting rules from an SLO spec.
    Rules(rules::RulesArgs),
    /// Lint rule files and PrometheusRule manifests: unrecorded series, alerts that can never
    /// fire, pages without runbooks, and more, each with its location and fix.
    Lint(rules::LintArgs),
    /// Markdown runbook skeletons for the alerts an SLO spec generates.
    Runbook(rules::RunbookArgs),
    /// Alertmanager configs: `generate` writes one from a routing intent.
    #[command(subcommand)]
    Alertmanager(alertmanager::AlertmanagerCommand),
    /// Replay a traffic scenario through the rules and an Alertmanager configuration: which
    /// alerts fire when, who is notified when, and the naive threshold rule beside them.
    Simulate(Box<simulate::SimulateArgs>),
    /// The Alertmanager half alone: alerts as Prometheus would send them, to notifications.
    Notify(simulate::NotifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (report, failure) = match run(cli.command) {
        Ok(text) => (Some(text), None),
        Err(err) => match err.downcast::<io::Reported>() {
            Ok(reported) => (Some(reported.stdout), Some(reported.message)),
            Err(err) => (None, Some(err.to_string())),
        },
    };
    if let Some(text) = report
        && let Err(e) = io::print(&text)
    {
        // A reader that closed the pipe (`burnlab rules … | head`) has what it wanted: stop
        // quietly, as Unix tools do. Any other write error (a full disk) is a failure.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            io::complain(&format!("cannot write the output: {e}"));
            return ExitCode::from(2);
        }
    }
    match failure {
        Some(message) => {
            io::complain(&message);
            ExitCode::from(2)
        }
        None => ExitCode::SUCCESS,
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
        Command::Check {
            config,
            matchers,
            lint,
        } => alertmanager::check(&config, matchers, lint),
        Command::Budget(args) => budget::run(args),
        Command::Rules(args) => rules::rules(args),
        Command::Lint(args) => rules::lint(args),
        Command::Runbook(args) => rules::runbook(args),
        Command::Alertmanager(alertmanager::AlertmanagerCommand::Generate(args)) => {
            alertmanager::generate(args)
        }
        Command::Simulate(args) => simulate::simulate(*args),
        Command::Notify(args) => simulate::notify(args),
    }
}
