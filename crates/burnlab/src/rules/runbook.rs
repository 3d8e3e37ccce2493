//! Runbook skeletons in Markdown, one per generated alert, following the lesson's template
//! (meaning, first five minutes, decision tree, mitigation, escalation, post-incident) and filled
//! with the alert's own queries, thresholds and the budget-impact query. The steps that depend
//! on the team's platform keep `<placeholders>` for the team to fill in.

use std::fmt::Write as _;

use crate::format;
use crate::rules::conventions as c;
use crate::rules::generate::{self, Grouping, NAIVE_FOR, NAIVE_WINDOW, Options};
use crate::rules::spec::{Slo, Spec};
use crate::slo::{BurnRate, ErrorBudget};
use crate::tiers::{Severity, Tier};

/// One alert's runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runbook {
    /// The alert's name, as in the generated rules.
    pub alert: String,
    /// The runbook, in Markdown.
    pub markdown: String,
}

/// The runbooks of every alert `generate` writes for `spec` with `options`, in rule order.
pub fn runbooks(spec: &Spec, options: Options) -> Vec<Runbook> {
    let mut out = Vec::new();
    for slo in &spec.slos {
        match options.grouping {
            Grouping::PerTier => {
                for tier in slo.enabled_tiers() {
                    out.push(Runbook {
                        alert: generate::tier_alert_name(slo, tier),
                        markdown: write(
                            spec,
                            slo,
                            &generate::tier_alert_name(slo, tier),
                            tier.severity(),
                            &[*tier],
                        ),
                    });
                }
            }
            Grouping::BySeverity => {
                for severity in [Severity::Page, Severity::Ticket] {
                    let tiers: Vec<Tier> = slo
                        .tiers
                        .iter()
                        .filter(|t| t.severity() == severity)
                        .copied()
                        .collect();
                    if slo.alert(severity).is_some() && !tiers.is_empty() {
                        out.push(Runbook {
                            alert: slo.alert_name.clone(),
                            markdown: write(spec, slo, &slo.alert_name, severity, &tiers),
                        });
                    }
                }
            }
        }
        if options.naive_threshold && slo.page.is_some() {
            let name = format!("{}NaiveThreshold", slo.alert_name);
            out.push(Runbook {
                markdown: write(spec, slo, &name, Severity::Page, &[]),
                alert: name,
            });
        }
    }
    out
}

/// The PromQL for the share of the budget spent over the last `window` of `slo`.
pub fn budget_impact_query(slo: &Slo, window: crate::Duration) -> String {
    let seconds = format::decimal(window.as_secs_f64());
    format!(
        "(\n{}\n) * {seconds} / ({} * {})",
        indent(&generate::error_ratio_query(slo, window)),
        format::decimal(slo.objective.budget_ratio()),
        format::decimal(slo.period.seconds())
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn write(spec: &Spec, slo: &Slo, alert: &str, severity: Severity, tiers: &[Tier]) -> String {
    let sel = generate::selector(slo);
    let budget = ErrorBudget::new(slo.objective, slo.period);
    let mut md = String::new();
    let _ = writeln!(md, "# Runbook: {alert}\n");
    let _ = writeln!(md, "## Alert Meaning\n");
    let _ = writeln!(
        md,
        "{} {} promises {} over {}{}. This alert is a **{}**.",
        spec.service,
        slo.name,
        format::percent(slo.objective.ratio()),
        slo.period,
        if slo.description.is_empty() {
            String::new()
        } else {
            format!(" ({})", slo.description.trim_end_matches('.'))
        },
        severity
    );
    let short = tiers
        .iter()
        .map(Tier::short_window)
        .min()
        .unwrap_or(NAIVE_WINDOW);
    let long = tiers
        .iter()
        .map(Tier::long_window)
        .max()
        .unwrap_or(NAIVE_WINDOW);
    if tiers.is_empty() {
        let _ = writeln!(
            md,
            "\nIt fires when the error ratio over {NAIVE_WINDOW} stays above the budget, {}, for {NAIVE_FOR}. \
             That is the naive threshold rule: it does not say how fast the budget is going, and a short spike fires it.",
            format::decimal(slo.objective.budget_ratio())
        );
    }
    for t in tiers {
        let threshold = t.threshold(slo.objective);
        let lasts = BurnRate::new(t.factor(), "factor")
            .ok()
            .and_then(|b| budget.time_to_exhaustion(b))
            .map_or_else(|| "no time".to_owned(), format::human_duration);
        let _ = writeln!(
            md,
            "\nIt fires when the error ratio over both {} and {} is above **{}** ({} = {} × the {} budget){}. \
             At that burn rate the whole {} budget lasts {}; {} of it is gone by the time the alert fires.",
            t.long_window(),
            t.short_window(),
            format::decimal(threshold),
            format::percent_sig(threshold, 4),
            format::sig(t.factor(), 4),
            format::percent(slo.objective.budget_ratio()),
            t.for_duration()
                .map_or_else(String::new, |d| format!(" for {d}")),
            slo.period,
            lasts,
            format::percent_sig(t.budget_share(slo.period), 3)
        );
    }
    if let Some(floor) = slo
        .traffic_floor
        .filter(|_| severity == Severity::Page && !tiers.is_empty())
    {
        let _ = writeln!(
            md,
            "\nIt pages only while traffic is at least {} over the long window.",
            format::rate(floor.value())
        );
    }
    let _ = writeln!(md, "\n## Immediate Diagnostics (first 5 minutes)\n");
    let _ = writeln!(md, "### Step 1: Check the current error ratio\n");
    let _ = writeln!(
        md,
        "```promql\n{}{sel}\n```\n",
        c::error_ratio_record(short)
    );
    if tiers.is_empty() {
        let _ = writeln!(
            md,
            "Expected: above {} while the alert fires.\n",
            format::decimal(slo.objective.budget_ratio())
        );
    } else {
        let figures: Vec<String> = tiers
            .iter()
            .map(|t| {
                format!(
                    "above {} on both `{}` and `{}`",
                    format::decimal(t.threshold(slo.objective)),
                    c::error_ratio_record(t.long_window()),
                    c::error_ratio_record(t.short_window())
                )
            })
            .collect();
        let _ = writeln!(md, "Expected: {}.\n", figures.join("; or "));
    }
    let _ = writeln!(
        md,
        "The burn rate now (1 spends exactly the budget over {}):\n",
        slo.period
    );
    let _ = writeln!(
        md,
        "```promql\n{}{}\n```\n",
        c::RECORD_CURRENT_BURN_RATE,
        sel
    );
    let _ = writeln!(md, "### Step 2: Identify error sources\n");
    let _ = writeln!(
        md,
        "The SLI over the short window; add `by (<label>)` to each `sum` (route, status, pod) to see which part fails:\n"
    );
    let _ = writeln!(
        md,
        "```promql\n{}\n```\n",
        generate::error_ratio_query(slo, short)
    );
    let _ = writeln!(md, "Look for: one route or status, or all of them?\n");
    let _ = writeln!(md, "### Step 3: Check recent changes\n");
    let _ = writeln!(
        md,
        "```sh\nkubectl rollout history deployment/{} -n <namespace>\n```\n",
        spec.service
    );
    let _ = writeln!(
        md,
        "Look for: a deployment or configuration change in the last {long}.\n"
    );
    let _ = writeln!(md, "### Step 4: Check pod health\n");
    let _ = writeln!(
        md,
        "```sh\nkubectl get pods -n <namespace> -l app={0}\nkubectl logs -n <namespace> -l app={0} --tail=50\n```\n",
        spec.service
    );
    let _ = writeln!(
        md,
        "Look for: CrashLoopBackOff, OOMKilled, connection errors.\n"
    );
    let _ = writeln!(md, "## Decision Tree\n");
    let _ = writeln!(md, "- One route failing → check that route's dependencies");
    let _ = writeln!(
        md,
        "- Every route failing → check shared dependencies (database, cache, network)"
    );
    let _ = writeln!(
        md,
        "- Started with a deployment → roll it back first, investigate after"
    );
    let _ = writeln!(
        md,
        "- An external dependency → check its status page; degrade or break the circuit\n"
    );
    let _ = writeln!(md, "## Mitigation Actions\n");
    let _ = writeln!(
        md,
        "```sh\nkubectl rollout undo deployment/{0} -n <namespace>\nkubectl scale deployment/{0} -n <namespace> --replicas=<n>\n```\n",
        spec.service
    );
    let _ = writeln!(md, "## Escalation Path\n");
    if severity == Severity::Page {
        let _ = writeln!(
            md,
            "- 15 minutes unresolved: escalate to the secondary on-call"
        );
        let _ = writeln!(
            md,
            "- 30 minutes unresolved: escalate to the engineering lead"
        );
        let _ = writeln!(
            md,
            "- Customer impact confirmed: start incident communication\n"
        );
    } else {
        let _ = writeln!(
            md,
            "- Handle within the working day; this burn leaves days, not minutes"
        );
        let _ = writeln!(
            md,
            "- If the burn rate climbs toward the page tiers, treat it as a page\n"
        );
    }
    let _ = writeln!(md, "## Budget Impact\n");
    let _ = writeln!(
        md,
        "The share of the {} budget spent over the last {long}; change both `{long}` and `{}` to the incident's length (in seconds for the second):\n",
        slo.period,
        format::decimal(long.as_secs_f64())
    );
    let _ = writeln!(md, "```promql\n{}\n```\n", budget_impact_query(slo, long));
    let _ = writeln!(md, "## Links\n");
    let _ = writeln!(
        md,
        "- Runbook: {}",
        slo.runbook_url
            .as_deref()
            .unwrap_or("<add burnlab.runbook_url to the spec>")
    );
    let _ = writeln!(
        md,
        "- Dashboard: {}\n",
        slo.dashboard_url
            .as_deref()
            .unwrap_or("<add burnlab.dashboard_url to the spec>")
    );
    let _ = writeln!(md, "## Post-Incident\n");
    let _ = writeln!(
        md,
        "- Open a post-incident review with the budget impact above"
    );
    let _ = writeln!(md, "- Update this runbook with what you learned");
    let _ = writeln!(
        md,
        "- Revisit the objective ({}) if it no longer matches what users need",
        format::percent(slo.objective.ratio())
    );
    md
}
