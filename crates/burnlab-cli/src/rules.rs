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
    Ok(crate::io::read(path)?)
}

/// Writes `text` to `output` and says so, or returns it for standard output.
fn emit(text: String, output: Option<&str>) -> Result<String, Box<dyn Error>> {
    match output {
        Some(path) => {
            crate::io::write_file(path, &text)?;
            Ok(format!("wrote {path}"))
        }
        None => Ok(text.trim_end().to_owned()),
    }
}

/// The generator's options from the shared `--group-by-severity` and `--naive` flags.
fn options(group_by_severity: bool, naive: bool) -> Options {
    Options {
        grouping: if group_by_severity {
            Grouping::BySeverity
        } else {
            Grouping::PerTier
        },
        naive_threshold: naive,
    }
}

/// `burnlab rules --spec FILE [--format rules|prometheusrule] [-o FILE]`.
pub fn rules(args: RulesArgs) -> Result<String, Box<dyn Error>> {
    let text = read(&args.spec)?;
    let options = options(args.group_by_severity, args.naive);
    let format = match args.format {
        FormatArg::Rules => Format::Rules,
        FormatArg::Prometheusrule => Format::PrometheusRule,
    };
    let out = rules_from_spec(&text, options, format).map_err(|e| format!("{}: {e}", args.spec))?;
    emit(out, args.output.as_deref())
}

/// `burnlab lint`.
#[derive(clap::Args)]
pub struct LintArgs {
    /// Rule files or PrometheusRule manifests, linted together as Prometheus loads them.
    #[arg(required = true)]
    files: Vec<String>,
}

/// `burnlab lint FILE...`: every finding with its location and fix. Fails when any finding is
/// an error, so CI can run it.
pub fn lint(args: LintArgs) -> Result<String, Box<dyn Error>> {
    let texts = args
        .files
        .iter()
        .map(|f| read(f))
        .collect::<Result<Vec<_>, _>>()?;
    let files: Vec<(&str, &str)> = args
        .files
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    let findings = burnlab::rules::lint::lint_files(&files);
    let errors = findings
        .iter()
        .filter(|f| f.level == burnlab::rules::lint::Level::Error)
        .count();
    let report: Vec<String> = findings.iter().map(ToString::to_string).collect();
    let summary = format!(
        "{} finding(s), {errors} error(s) in {} file(s)",
        findings.len(),
        files.len()
    );
    if errors > 0 {
        return Err(Box::new(crate::io::Reported {
            stdout: report.join("\n"),
            message: summary,
        }));
    }
    let mut out = report.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary);
    Ok(out)
}

/// `burnlab runbook`.
#[derive(clap::Args)]
pub struct RunbookArgs {
    /// The SLO spec.
    #[arg(long)]
    spec: String,
    /// Only this alert's runbook.
    #[arg(long)]
    alert: Option<String>,
    /// Runbooks for the alerts of `burnlab rules --group-by-severity`.
    #[arg(long)]
    group_by_severity: bool,
    /// Include the naive threshold rule's runbook.
    #[arg(long)]
    naive: bool,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<String>,
}

/// `burnlab runbook --spec FILE [--alert NAME]`: Markdown runbooks, one per alert.
pub fn runbook(args: RunbookArgs) -> Result<String, Box<dyn Error>> {
    let text = read(&args.spec)?;
    let options = options(args.group_by_severity, args.naive);
    let books = burnlab::rules::runbooks_from_spec(&text, options)
        .map_err(|e| format!("{}: {e}", args.spec))?;
    let chosen: Vec<_> = match &args.alert {
        None => books.iter().collect(),
        Some(name) => books.iter().filter(|b| &b.alert == name).collect(),
    };
    if chosen.is_empty() {
        // With --group-by-severity a page and a ticket share their alert's name: each name is
        // listed once.
        let mut seen = std::collections::HashSet::new();
        let names: Vec<&str> = books
            .iter()
            .map(|b| b.alert.as_str())
            .filter(|n| seen.insert(*n))
            .collect();
        let wanted = args.alert.unwrap_or_default();
        let hint = burnlab::error::closest(&wanted, names.iter().copied())
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        return Err(format!(
            "{}: no alert named {wanted}{hint}; the spec's alerts are {}",
            args.spec,
            names.join(", ")
        )
        .into());
    }
    let md = chosen
        .iter()
        .map(|b| b.markdown.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n\n");
    emit(md, args.output.as_deref())
}
