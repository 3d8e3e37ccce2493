//! `burnlab rules`, `burnlab lint` and `burnlab runbook`: reading files, calling the core's
//! rules module and printing. No rule is built and no finding is decided here.

use std::error::Error;

use burnlab::rules::{Format, Grouping, Options, rules_from_spec};

/// The output format of `burnlab rules`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FormatArg {
    /// A plain rule file: `promtool check rules` and Prometheus's `rule_files` read it as is.
    Rules,
    /// A PrometheusRule manifest (monitoring.coreos.com/v1) for the Prometheus Operator.
    Prometheusrule,
}

/// `burnlab rules`.
#[derive(clap::Args)]
pub struct RulesArgs {
    /// The SLO spec: Sloth's prometheus/v1 format, with burnlab's additions under `burnlab:`.
    #[arg(long)]
    spec: String,
    /// What to write.
    #[arg(long, value_enum, default_value = "rules")]
    format: FormatArg,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<String>,
    /// One alert per severity (Sloth's layout) instead of one per tier.
    #[arg(long)]
    group_by_severity: bool,
    /// Add the naive threshold page (5m error ratio above the budget, for 1m) for comparison.
    #[arg(long)]
    naive: bool,
}

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?)
}

/// Writes `text` to `output` and says so, or returns it for standard output.
fn emit(text: String, output: Option<&str>) -> Result<String, Box<dyn Error>> {
    match output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("{path}: {e}"))?;
            Ok(format!("wrote {path}"))
        }
        None => Ok(text.trim_end().to_owned()),
    }
}

/// `burnlab rules --spec FILE [--format rules|prometheusrule] [-o FILE]`.
pub fn rules(args: RulesArgs) -> Result<String, Box<dyn Error>> {
    let text = read(&args.spec)?;
    let options = Options {
        grouping: if args.group_by_severity {
            Grouping::BySeverity
        } else {
            Grouping::PerTier
        },
        naive_threshold: args.naive,
    };
    let format = match args.format {
        FormatArg::Rules => Format::Rules,
        FormatArg::Prometheusrule => Format::PrometheusRule,
    };
    let out = rules_from_spec(&text, options, format).map_err(|e| format!("{}: {e}", args.spec))?;
    emit(out, args.output.as_deref())
}
