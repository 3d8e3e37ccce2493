//! From a validated [`Spec`] to Prometheus rules: SLI recordings for every window an alert reads
//! (so no alert can reference an unrecorded series), Sloth-like metadata recordings, and the
//! multiwindow, multi-burn-rate alerts with their figures in the annotations.

use std::collections::BTreeSet;

use crate::alertmanager::matchers::go_quote;
use crate::duration::Duration;
use crate::format;
use crate::rules::conventions as c;
use crate::rules::model::{Group, Rule, RuleFile, RuleKind};
use crate::rules::spec::{Sli, Slo, Spec};
use crate::slo::ErrorBudget;
use crate::tiers::{Severity, Tier};

/// How alerts are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One alerting rule per tier (`TaskApiAvailabilityPage1h`), each with its own `for` and
    /// window labels: the clearest to read and to silence.
    #[default]
    PerTier,
    /// One alert per severity whose expression `or`s its tiers, named as Sloth names them
    /// (`alerting.name`, told apart by `severity`). A tier's `for` cannot be kept per tier here,
    /// so the alert takes the shortest `for` of its tiers.
    BySeverity,
}

/// What to generate besides the recordings and the burn-rate alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The alert layout.
    pub grouping: Grouping,
    /// Add the lesson's naive rule (error ratio over 5m above the budget, `for: 1m`) as a page,
    /// so the replay can show how it compares.
    pub naive_threshold: bool,
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A plain rule file for `rule_files` and `promtool check rules`.
    #[default]
    Rules,
    /// A PrometheusRule manifest for the Prometheus Operator.
    PrometheusRule,
}

/// The window of the naive threshold rule, as in the lesson.
pub const NAIVE_WINDOW: Duration = Duration::from_mins(5);
/// The `for` of the naive threshold rule, as in the lesson.
pub const NAIVE_FOR: Duration = Duration::from_mins(1);

/// Generates the rules for every SLO of `spec`.
pub fn generate(spec: &Spec, options: Options) -> RuleFile {
    let mut groups = Vec::new();
    for slo in &spec.slos {
        let mut rules = sli_recordings(spec, slo, options);
        rules.extend(alerts(spec, slo, options));
        groups.push(Group {
            name: c::sli_and_alerts_group(&slo.id),
            rules,
            ..Group::default()
        });
        groups.push(Group {
            name: c::meta_group(&slo.id),
            rules: meta_recordings(spec, slo, options),
            ..Group::default()
        });
    }
    RuleFile { groups }
}

/// Generates and writes the rules in `format`.
pub fn render(spec: &Spec, options: Options, format: Format) -> String {
    let file = generate(spec, options);
    match format {
        Format::Rules => file.to_yaml(),
        Format::PrometheusRule => file.to_manifest_yaml(&spec.manifest),
    }
}

/// Every window any generated alert reads, shortest first.
pub fn windows(slo: &Slo, options: Options) -> Vec<Duration> {
    let mut set: BTreeSet<Duration> = slo
        .enabled_tiers()
        .flat_map(|t| [t.long_window(), t.short_window()])
        .collect();
    if options.naive_threshold && slo.page.is_some() {
        set.insert(NAIVE_WINDOW);
    }
    set.into_iter().collect()
}

/// The labels every recording of `slo` carries.
pub fn recording_labels(spec: &Spec, slo: &Slo) -> Vec<(String, String)> {
    let mut labels = vec![
        (c::LABEL_ID.to_owned(), slo.id.clone()),
        (c::LABEL_SERVICE.to_owned(), spec.service.clone()),
        (c::LABEL_SLO.to_owned(), slo.name.clone()),
    ];
    for (k, v) in &slo.labels {
        if !labels.iter().any(|(l, _)| l == k) {
            labels.push((k.clone(), v.clone()));
        }
    }
    labels
}

/// The selector for `slo`'s recordings: `{burnlab_id="task-api-availability"}`.
pub fn selector(slo: &Slo) -> String {
    format!("{{{}=\"{}\"}}", c::LABEL_ID, slo.id)
}

fn matchers(extra: &[(String, String)], more: &str) -> String {
    let mut parts: Vec<String> = extra
        .iter()
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect();
    if !more.is_empty() {
        parts.push(more.to_owned());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

/// The PromQL for the rate of all requests over `window`, when the SLI has one.
pub fn total_query(slo: &Slo, window: Duration) -> Option<String> {
    match &slo.sli {
        Sli::Events { total_query, .. } => {
            Some(total_query.replace(c::WINDOW_PLACEHOLDER, &window.to_string()))
        }
        Sli::Raw { .. } => None,
        Sli::Latency {
            metric,
            matchers: m,
            ..
        } => Some(format!(
            "sum(rate({metric}_count{}[{window}]))",
            matchers(m, "")
        )),
    }
}

/// The PromQL for the error ratio over `window`, from the SLI.
pub fn error_ratio_query(slo: &Slo, window: Duration) -> String {
    let w = window.to_string();
    match &slo.sli {
        Sli::Events {
            error_query,
            total_query,
        } => format!(
            "({})\n/\n({})",
            error_query.replace(c::WINDOW_PLACEHOLDER, &w).trim(),
            total_query.replace(c::WINDOW_PLACEHOLDER, &w).trim()
        ),
        Sli::Raw { error_ratio_query } => error_ratio_query
            .replace(c::WINDOW_PLACEHOLDER, &w)
            .trim()
            .to_owned(),
        Sli::Latency {
            metric,
            le,
            matchers: m,
        } => {
            let total = format!("sum(rate({metric}_count{}[{w}]))", matchers(m, ""));
            let fast = format!(
                "sum(rate({metric}_bucket{}[{w}]))",
                matchers(m, &format!("le=\"{le}\""))
            );
            format!("(\n  {total}\n  -\n  {fast}\n)\n/\n{total}")
        }
    }
}

fn sli_recordings(spec: &Spec, slo: &Slo, options: Options) -> Vec<Rule> {
    let labels = recording_labels(spec, slo);
    let mut rules = Vec::new();
    for w in windows(slo, options) {
        rules.push(Rule {
            kind: Some(RuleKind::Record(c::error_ratio_record(w))),
            expr: error_ratio_query(slo, w),
            labels: labels.clone(),
            ..Rule::default()
        });
    }
    if slo.traffic_floor.is_some() {
        // Only pages have a floor: a ticket waits long enough for single failures to average out.
        let longs: BTreeSet<Duration> = slo
            .enabled_tiers()
            .filter(|t| t.severity() == Severity::Page)
            .map(Tier::long_window)
            .collect();
        for w in longs {
            if let Some(q) = total_query(slo, w) {
                rules.push(Rule {
                    kind: Some(RuleKind::Record(c::total_rate_record(w))),
                    expr: q,
                    labels: labels.clone(),
                    ..Rule::default()
                });
            }
        }
    }
    rules
}

fn meta_recordings(spec: &Spec, slo: &Slo, options: Options) -> Vec<Rule> {
    let labels = recording_labels(spec, slo);
    let days = format::decimal(slo.period.seconds() / 86_400.0);
    let budget = format::decimal(slo.objective.budget_ratio());
    let mut rules = vec![
        (
            c::RECORD_OBJECTIVE,
            format!("vector({})", format::decimal(slo.objective.ratio())),
        ),
        (c::RECORD_BUDGET, format!("vector({budget})")),
        (c::RECORD_PERIOD_DAYS, format!("vector({days})")),
    ];
    if let Some(shortest) = windows(slo, options).first() {
        rules.push((
            c::RECORD_CURRENT_BURN_RATE,
            format!(
                "{}{} / {budget}",
                c::error_ratio_record(*shortest),
                selector(slo)
            ),
        ));
    }
    rules
        .into_iter()
        .map(|(name, expr)| Rule {
            kind: Some(RuleKind::Record(name.to_owned())),
            expr,
            labels: labels.clone(),
            ..Rule::default()
        })
        .collect()
}

/// The condition of one tier: both windows above the threshold, and the traffic floor.
pub fn tier_condition(slo: &Slo, tier: &Tier) -> String {
    let sel = selector(slo);
    let threshold = format::decimal(tier.threshold(slo.objective));
    let mut expr = format!(
        "(\n  {}{sel} > {threshold}\n  and\n  {}{sel} > {threshold}\n)",
        c::error_ratio_record(tier.long_window()),
        c::error_ratio_record(tier.short_window()),
    );
    if let Some(floor) = slo.traffic_floor
        && tier.severity() == Severity::Page
    {
        expr.push_str(&format!(
            "\nand\n{}{sel} >= {}",
            c::total_rate_record(tier.long_window()),
            format::decimal(floor.value())
        ));
    }
    expr
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Page => "Page",
        Severity::Ticket => "Ticket",
    }
}

/// The alert name of a tier in the per-tier layout: `TaskApiAvailabilityPage1h`.
pub fn tier_alert_name(slo: &Slo, tier: &Tier) -> String {
    format!(
        "{}{}{}",
        slo.alert_name,
        severity_word(tier.severity()),
        tier.long_window()
    )
}

/// The summary and description of a tier: figures only, no templates, so they read the same in
/// a notification, a runbook and a test.
pub fn tier_annotations(spec: &Spec, slo: &Slo, tier: &Tier) -> Vec<(String, String)> {
    let budget = ErrorBudget::new(slo.objective, slo.period);
    let threshold = tier.threshold(slo.objective);
    let share = tier.budget_share(slo.period);
    let left = budget
        .time_to_exhaustion(
            crate::slo::BurnRate::new(tier.factor(), "factor")
                .unwrap_or(crate::slo::BurnRate::max_for(slo.objective)),
        )
        .map_or_else(|| "no time".to_owned(), format::human_duration);
    vec![
        (
            c::ANNOTATION_SUMMARY.to_owned(),
            format!(
                "{} {}: error budget burning at {} or faster over {} and {}",
                spec.service,
                slo.name,
                format::times(tier.factor()),
                tier.long_window(),
                tier.short_window()
            ),
        ),
        (
            c::ANNOTATION_DESCRIPTION.to_owned(),
            format!(
                "The error ratio over both {} and {} is above {} ({} × the {} budget of a {} objective over {}). \
                 When this fires, {} of the {} budget is spent; at this burn rate a full budget lasts {}.",
                tier.long_window(),
                tier.short_window(),
                format::decimal(threshold),
                format::sig(tier.factor(), 4),
                format::percent(slo.objective.budget_ratio()),
                format::percent(slo.objective.ratio()),
                slo.period,
                format::percent_sig(share, 3),
                slo.period,
                left
            ),
        ),
    ]
}

fn links(slo: &Slo) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(u) = &slo.runbook_url {
        out.push((c::ANNOTATION_RUNBOOK.to_owned(), u.clone()));
    }
    if let Some(u) = &slo.dashboard_url {
        out.push((c::ANNOTATION_DASHBOARD.to_owned(), u.clone()));
    }
    out
}

fn merged(base: Vec<(String, String)>, over: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = base;
    for (k, v) in over {
        match out.iter_mut().find(|(bk, _)| bk == k) {
            Some(slot) => slot.1 = v.clone(),
            None => out.push((k.clone(), v.clone())),
        }
    }
    out
}

fn alerts(spec: &Spec, slo: &Slo, options: Options) -> Vec<Rule> {
    let mut rules = Vec::new();
    match options.grouping {
        Grouping::PerTier => {
            for tier in slo.enabled_tiers() {
                let Some(a) = slo.alert(tier.severity()) else {
                    continue;
                };
                let labels = vec![
                    (
                        c::LABEL_SEVERITY.to_owned(),
                        tier.severity().as_str().to_owned(),
                    ),
                    (c::LABEL_ALERT_SLO.to_owned(), slo.name.clone()),
                    (
                        c::LABEL_LONG_WINDOW.to_owned(),
                        tier.long_window().to_string(),
                    ),
                    (
                        c::LABEL_SHORT_WINDOW.to_owned(),
                        tier.short_window().to_string(),
                    ),
                ];
                let mut annotations = tier_annotations(spec, slo, tier);
                annotations.extend(links(slo));
                rules.push(Rule {
                    kind: Some(RuleKind::Alert(tier_alert_name(slo, tier))),
                    expr: tier_condition(slo, tier),
                    for_duration: tier.for_duration(),
                    labels: merged(labels, &a.labels),
                    annotations: merged(annotations, &a.annotations),
                    ..Rule::default()
                });
            }
        }
        Grouping::BySeverity => {
            for severity in [Severity::Page, Severity::Ticket] {
                let Some(a) = slo.alert(severity) else {
                    continue;
                };
                let tiers: Vec<&Tier> = slo
                    .tiers
                    .iter()
                    .filter(|t| t.severity() == severity)
                    .collect();
                let Some(first) = tiers.first() else {
                    continue;
                };
                let join = |f: &dyn Fn(&Tier) -> String| {
                    tiers.iter().map(|t| f(t)).collect::<Vec<_>>().join(",")
                };
                let labels = vec![
                    (c::LABEL_SEVERITY.to_owned(), severity.as_str().to_owned()),
                    (c::LABEL_ALERT_SLO.to_owned(), slo.name.clone()),
                    (
                        c::LABEL_LONG_WINDOW.to_owned(),
                        join(&|t| t.long_window().to_string()),
                    ),
                    (
                        c::LABEL_SHORT_WINDOW.to_owned(),
                        join(&|t| t.short_window().to_string()),
                    ),
                ];
                let mut annotations = tier_annotations(spec, slo, first);
                if let Some((_, summary)) = annotations.first_mut() {
                    *summary = format!(
                        "{} {}: error budget burning fast enough to {} ({})",
                        spec.service,
                        slo.name,
                        if severity == Severity::Page {
                            "page"
                        } else {
                            "open a ticket"
                        },
                        tiers
                            .iter()
                            .map(|t| format!(
                                "{} over {}/{}",
                                format::times(t.factor()),
                                t.long_window(),
                                t.short_window()
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                if let Some((_, description)) = annotations.get_mut(1) {
                    *description = tiers
                        .iter()
                        .filter_map(|t| {
                            tier_annotations(spec, slo, t)
                                .get(1)
                                .map(|(_, d)| d.clone())
                        })
                        .collect::<Vec<_>>()
                        .join(" Or: ");
                }
                annotations.extend(links(slo));
                // `and` binds tighter than `or` in PromQL, so the parentheses around a tier with
                // a traffic floor change nothing for Prometheus; they are there for the reader.
                let expr = tiers
                    .iter()
                    .map(|t| {
                        let cond = tier_condition(slo, t);
                        if cond.contains(")\nand\n") {
                            format!(
                                "(\n{}\n)",
                                cond.lines()
                                    .map(|l| format!("  {l}"))
                                    .collect::<Vec<_>>()
                                    .join("\n")
                            )
                        } else {
                            cond
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\nor\n");
                rules.push(Rule {
                    kind: Some(RuleKind::Alert(slo.alert_name.clone())),
                    expr,
                    for_duration: tiers.iter().filter_map(|t| t.for_duration()).min(),
                    labels: merged(labels, &a.labels),
                    annotations: merged(annotations, &a.annotations),
                    ..Rule::default()
                });
            }
        }
    }
    if options.naive_threshold
        && let Some(a) = &slo.page
    {
        let budget = format::decimal(slo.objective.budget_ratio());
        let mut annotations = vec![
            (
                c::ANNOTATION_SUMMARY.to_owned(),
                format!(
                    "{} {}: error ratio over {NAIVE_WINDOW} above the budget (naive threshold)",
                    spec.service, slo.name
                ),
            ),
            (
                c::ANNOTATION_DESCRIPTION.to_owned(),
                format!(
                    "The error ratio over {NAIVE_WINDOW} has been above {budget} for {NAIVE_FOR}. A threshold on the \
                     error ratio ignores the budget: it pages on short spikes and says nothing about how fast the budget goes."
                ),
            ),
        ];
        annotations.extend(links(slo));
        rules.push(Rule {
            kind: Some(RuleKind::Alert(format!("{}NaiveThreshold", slo.alert_name))),
            expr: format!(
                "{}{} > {budget}",
                c::error_ratio_record(NAIVE_WINDOW),
                selector(slo)
            ),
            for_duration: Some(NAIVE_FOR),
            labels: merged(
                vec![
                    (
                        c::LABEL_SEVERITY.to_owned(),
                        Severity::Page.as_str().to_owned(),
                    ),
                    (c::LABEL_ALERT_SLO.to_owned(), slo.name.clone()),
                ],
                &a.labels,
            ),
            annotations: merged(annotations, &a.annotations),
            ..Rule::default()
        });
    }
    rules
}
