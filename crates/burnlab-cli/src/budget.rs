//! `burnlab budget`: the calculator's figures, tier table and explanations as a table or JSON.
//! Argument parsing and layout only; every number comes from `burnlab::BudgetReport`.

use std::fmt::Write as _;

use burnlab::{
    BudgetInput, BudgetReport, ErrorRatio, Objective, Period, Preset, RequestRate, Scaling,
    TierReport, format,
};

/// Arguments of `burnlab budget`.
#[derive(clap::Args)]
pub struct BudgetArgs {
    /// The objective as a percentage: 99.9 or 99.9%.
    #[arg(long, allow_hyphen_values = true)]
    objective: String,
    /// The period the budget covers, as a Prometheus duration.
    #[arg(long, default_value = "30d")]
    period: String,
    /// The observed error ratio: 0.005 means 0.5 % (0.5% is read as a percentage).
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    error_ratio: String,
    /// A steady request rate: 1000 (per second) or 10/h. Adds the budget in failed requests and
    /// what a single failure does to each tier.
    #[arg(long, allow_hyphen_values = true)]
    requests_per_second: Option<String>,
    /// The tier set: workbook, workbook-daily, sloth or pyrra.
    #[arg(long, default_value = "workbook")]
    tiers: String,
    /// How tiers move to a period they were not written for: budget-share (as Sloth) or factors
    /// (as Pyrra). Defaults to what the tier set's own tool does.
    #[arg(long)]
    scaling: Option<String>,
    /// Print JSON instead of a table (keys documented in the CLI's README).
    #[arg(long)]
    json: bool,
}

/// Computes the report and renders it as a table or JSON.
pub fn run(args: BudgetArgs) -> Result<String, Box<dyn std::error::Error>> {
    let input = BudgetInput {
        objective: Objective::parse(&args.objective)?,
        period: Period::parse(&args.period)?,
        errors: ErrorRatio::parse(&args.error_ratio)?,
        requests: args
            .requests_per_second
            .as_deref()
            .map(RequestRate::parse)
            .transpose()?,
        tiers: Preset::parse(&args.tiers)?.tier_set(),
        scaling: args.scaling.as_deref().map(Scaling::parse).transpose()?,
    };
    let report = BudgetReport::compute(&input)?;
    if args.json {
        Ok(serde_json::to_string_pretty(&report)?)
    } else {
        Ok(table(&report))
    }
}

/// Pads every column of `rows` to its widest cell, two spaces apart.
fn columns(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    format!(
                        "{cell}{}",
                        " ".repeat(w.saturating_sub(cell.chars().count()))
                    )
                })
                .collect();
            line.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A share of the budget for the table: `2 %`.
fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |x| format::percent_sig(x, 3))
}

/// One row of the tier table.
fn tier_row(t: &TierReport, with_rate: bool) -> Vec<String> {
    let mut row = vec![
        t.severity.to_string(),
        t.long_window.to_string(),
        t.short_window.to_string(),
        t.for_duration.map_or_else(|| "—".into(), |d| d.to_string()),
        format::times(t.factor),
        if t.possible {
            format::percent_sig(t.threshold, 4)
        } else {
            format!("{} (impossible)", format::percent_sig(t.threshold, 4))
        },
        share(Some(t.budget_share)),
        t.detection_text(),
        share(t.budget_consumed_at_detection),
        t.reset_text(),
    ];
    if with_rate {
        row.push(match t.fires_on_single_failure {
            Some(true) => "fires".into(),
            _ => "no".into(),
        });
        row.push(match t.single_failure_max_requests_per_second {
            None => "any rate".into(),
            Some(0.0) => "never".into(),
            Some(r) => format!("≤ {}", format::rate(r)),
        });
    }
    row
}

/// The human-readable report: headline figures, tier table, warnings, explanations.
fn table(r: &BudgetReport) -> String {
    let mut budget = format!(
        "{} of events = {} of full outage",
        format::percent(r.error_budget_ratio),
        format::human_duration(r.budget_seconds)
    );
    if let (Some(n), Some(rps)) = (r.budget_failed_requests, r.requests_per_second) {
        let _ = write!(
            budget,
            " = {} failed requests at {}",
            format::sig(n, 4),
            format::rate(rps)
        );
    }
    let mut head = vec![
        vec![
            "objective".into(),
            format::percent(r.objective_percent / 100.0),
        ],
        vec!["period".into(), r.period.clone()],
        vec!["error budget".into(), budget],
        vec!["error ratio".into(), format::percent(r.error_ratio)],
        vec!["burn rate".into(), r.burn_rate_text()],
        vec!["budget gone in".into(), r.time_to_exhaustion_text()],
    ];
    if let Some(s) = r.single_failure_budget_share {
        head.push(vec![
            "one failure".into(),
            format!("{} of the budget", format::percent_sig(s, 3)),
        ]);
    }

    let with_rate = r.requests_per_second.is_some();
    let mut header: Vec<String> = [
        "severity",
        "long",
        "short",
        "for",
        "factor",
        "threshold",
        "budget at firing",
        "detection",
        "budget at detection",
        "reset",
    ]
    .map(String::from)
    .to_vec();
    if with_rate {
        header.push("one failure".into());
        header.push("fires on one failure at".into());
    }
    let rows: Vec<Vec<String>> = std::iter::once(header)
        .chain(r.tiers.iter().map(|t| tier_row(t, with_rate)))
        .collect();

    let mut out = columns(&head);
    let _ = write!(
        out,
        "\n\ntiers: {} on {} ({}; written for {}, scaled by {})\n{}",
        r.tier_set,
        r.period,
        r.tier_source,
        r.tier_period,
        r.scaling.as_str(),
        columns(&rows)
    );
    if !r.warnings.is_empty() {
        out.push_str("\n\nwarnings:");
        for w in &r.warnings {
            let _ = write!(out, "\n  ! {w}");
        }
    }
    out.push_str("\n\nhow these are computed:");
    for e in &r.explanations {
        let _ = write!(out, "\n  {e}");
    }
    for t in &r.tiers {
        let _ = write!(out, "\n  {}:", t.label);
        for e in &t.explanations {
            let _ = write!(out, "\n    {e}");
        }
    }
    out
}
