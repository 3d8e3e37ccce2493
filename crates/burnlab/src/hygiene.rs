//! Alert hygiene: the rules joined with an Alertmanager config. For every alert a rule file
//! raises, the labels it carries, the receivers it reaches (as `amtool config routes test`
//! prints them), and what is wrong with that: a page that reaches no paging receiver, a ticket
//! that pages someone, a page without a runbook link, an alert that reaches only the fallback.
//!
//! An alert's labels are its rule's labels, `alertname`, and the static labels of the
//! recording it compares (the generator puts the SLO's labels there, and `and` keeps the left
//! side's labels). Labels the scraped series themselves carry (`job`, `instance`) cannot be
//! known without Prometheus and are left out; the table says so.

use serde::{Deserialize, Serialize};

use crate::alertmanager::config::Config;
use crate::alertmanager::matchers::{self, Labels};
use crate::rules::conventions;
use crate::rules::model::{RuleFile, RuleKind};

/// Severity label values that mean "wake someone" (burnlab's and the lesson's spelling).
const PAGE_SEVERITIES: [&str; 2] = ["page", "critical"];
/// Severity label values that mean "look at it in working hours".
const TICKET_SEVERITIES: [&str; 2] = ["ticket", "warning"];

/// What is wrong with an alert's delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    /// A page whose receivers include no paging integration: nobody is woken.
    PageReachesNoPager,
    /// A ticket that reaches a paging integration: someone is woken for something that waits.
    TicketPages,
    /// A page without a `runbook_url` annotation.
    PageWithoutRunbook,
    /// The alert matches no route below the root: it reaches only the fallback receiver.
    OnlyFallback,
}

impl Flag {
    /// The flag in words, for the table.
    pub fn message(self) -> &'static str {
        match self {
            Self::PageReachesNoPager => "page reaches no paging receiver: nobody is woken",
            Self::TicketPages => "ticket reaches a paging receiver: someone is woken for it",
            Self::PageWithoutRunbook => "page without a runbook_url annotation",
            Self::OnlyFallback => "reaches only the fallback (root) receiver",
        }
    }
}

/// One alert's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The alert name.
    pub alert: String,
    /// Its `severity` label, empty when it has none.
    pub severity: String,
    /// The labels it was routed with, `{alertname="X", severity="page"}`.
    pub labels: String,
    /// Receivers, comma-separated, as amtool prints them.
    pub receivers: String,
    /// Whether any of them has a paging integration.
    pub pages_someone: bool,
    /// What is wrong; empty when nothing is.
    pub flags: Vec<Flag>,
    /// 1-based line of the rule in its file (0 for generated rules).
    pub line: usize,
}

/// The words of `expr` that could be metric or recording names.
fn words(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| !w.is_empty())
}

/// `name="value"` pairs written in `expr`'s selectors.
fn equalities(expr: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(i) = rest.find("=\"") {
        let before = rest.get(..i).unwrap_or_default();
        let name: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let negated_or_regex = before.ends_with(['!', '~']);
        let after = rest.get(i + 2..).unwrap_or_default();
        let end = after.find('"').unwrap_or(after.len());
        if !name.is_empty() && !negated_or_regex {
            out.push((name, after.get(..end).unwrap_or_default().to_owned()));
        }
        rest = after.get(end..).unwrap_or_default();
        rest = rest.strip_prefix('"').unwrap_or(rest);
    }
    out
}

/// The label set each alerting rule of `files` raises, with its name and line.
pub fn alert_labels(files: &[&RuleFile]) -> Vec<(String, Labels, Option<String>, usize)> {
    let recordings: Vec<(&str, &[(String, String)])> = files
        .iter()
        .flat_map(|f| &f.groups)
        .flat_map(|g| &g.rules)
        .filter_map(|r| match &r.kind {
            Some(RuleKind::Record(n)) => Some((n.as_str(), r.labels.as_slice())),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for rule in files.iter().flat_map(|f| &f.groups).flat_map(|g| &g.rules) {
        let Some(name) = rule.alert_name() else {
            continue;
        };
        let wanted = equalities(&rule.expr);
        let mut labels = Labels::new();
        // The first recording the expression reads whose static labels agree with the
        // selector's equalities: its labels reach the alert.
        let source = words(&rule.expr).find_map(|w| {
            recordings.iter().find(|(n, l)| {
                *n == w
                    && wanted.iter().all(|(k, v)| {
                        l.iter()
                            .find(|(lk, _)| lk == k)
                            .is_none_or(|(_, lv)| lv == v)
                    })
            })
        });
        if let Some((_, l)) = source {
            labels.extend(l.iter().cloned());
        }
        labels.extend(rule.labels.iter().cloned());
        labels.insert("alertname".into(), name.to_owned());
        out.push((
            name.to_owned(),
            labels,
            rule.annotation(conventions::ANNOTATION_RUNBOOK)
                .map(str::to_owned),
            rule.line,
        ));
    }
    out
}

/// Whether the receiver named `name` has a paging integration (one whose kind
/// [pages](crate::alertmanager::config::IntegrationKind::pages) a person).
pub fn is_paging(config: &Config, name: &str) -> bool {
    config
        .receiver(name)
        .is_some_and(|r| r.integrations.iter().any(|i| i.kind.pages()))
}

/// The hygiene table of `files` against `config`, one row per alert, in file order.
pub fn table(files: &[&RuleFile], config: &Config) -> Vec<Row> {
    alert_labels(files)
        .into_iter()
        .map(|(alert, labels, runbook, line)| {
            let nodes = config.route.route_indices(&labels);
            let pages_someone = nodes.iter().any(|&i| {
                config
                    .route
                    .nodes
                    .get(i)
                    .is_some_and(|n| is_paging(config, &n.opts.receiver))
            });
            let severity = labels
                .get(conventions::LABEL_SEVERITY)
                .cloned()
                .unwrap_or_default();
            let is_page = PAGE_SEVERITIES.contains(&severity.as_str());
            let is_ticket = TICKET_SEVERITIES.contains(&severity.as_str());
            let mut flags = Vec::new();
            if is_page && !pages_someone {
                flags.push(Flag::PageReachesNoPager);
            }
            if is_ticket && pages_someone {
                flags.push(Flag::TicketPages);
            }
            if is_page && runbook.as_deref().is_none_or(|r| r.trim().is_empty()) {
                flags.push(Flag::PageWithoutRunbook);
            }
            if nodes.iter().all(|&i| i == 0) {
                flags.push(Flag::OnlyFallback);
            }
            Row {
                alert,
                severity,
                labels: matchers::label_set(&labels),
                receivers: config.route.receivers_line(&labels),
                pages_someone,
                flags,
                line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::ConfigOptions;
    use crate::alertmanager::generate::{RoutingIntent, alertmanager_yaml};

    /// Rows as `alert → receivers [flags]`.
    fn check(rules: &str, config: &str, expect: &str) {
        let file = RuleFile::parse(rules).unwrap();
        let config = Config::parse(config, ConfigOptions::default()).unwrap();
        let got: Vec<String> = table(&[&file], &config)
            .iter()
            .map(|r| {
                let flags: Vec<&str> = r.flags.iter().map(|f| f.message()).collect();
                format!("{} → {} [{}]", r.alert, r.receivers, flags.join("; "))
            })
            .collect();
        assert_eq!(got.join("\n"), expect);
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn generated_rules_and_the_generated_config_are_clean() {
        check(
            &fixture("rules/task-api.rules.yaml"),
            &alertmanager_yaml(&RoutingIntent::default()).unwrap(),
            "TaskApiAvailabilityPage1h → pager []\n\
             TaskApiAvailabilityPage6h → pager []\n\
             TaskApiAvailabilityTicket3d → tickets []\n\
             TaskApiLatencyPage1h → pager []\n\
             TaskApiLatencyPage6h → pager []\n\
             TaskApiLatencyTicket3d → tickets []",
        );
    }

    #[test]
    fn the_lessons_rules_against_the_generated_config_reach_only_the_fallback() {
        // The lesson labels its alerts critical/warning; the generated config routes
        // page/ticket: nobody is paged, and a page has no runbook in the latency alert.
        let lesson = "groups:\n  - name: a\n    rules:\n      - alert: TaskAPIHighErrorBudgetBurn\n        expr: x > 1\n        labels: {severity: critical, slo: availability}\n        annotations: {runbook_url: 'https://runbooks.example.com/x'}\n      - alert: TaskAPIElevatedErrorRate\n        expr: x > 1\n        labels: {severity: warning, slo: availability}\n";
        check(
            lesson,
            &alertmanager_yaml(&RoutingIntent::default()).unwrap(),
            "TaskAPIHighErrorBudgetBurn → default [page reaches no paging receiver: nobody is woken; reaches only the fallback (root) receiver]\n\
             TaskAPIElevatedErrorRate → default [reaches only the fallback (root) receiver]",
        );
    }

    #[test]
    fn a_ticket_routed_to_pagerduty_and_a_page_without_runbook_are_flagged() {
        let rules = "groups:\n  - name: a\n    rules:\n      - alert: P\n        expr: x > 1\n        labels: {severity: page}\n      - alert: T\n        expr: x > 1\n        labels: {severity: ticket}\n";
        let config = "route:\n  receiver: pd\nreceivers:\n  - name: pd\n    pagerduty_configs: [{routing_key: k}]\n";
        check(
            rules,
            config,
            "P → pd [page without a runbook_url annotation; reaches only the fallback (root) receiver]\n\
             T → pd [ticket reaches a paging receiver: someone is woken for it; reaches only the fallback (root) receiver]",
        );
    }

    #[test]
    fn labels_of_the_compared_recording_reach_the_alert() {
        let rules = "groups:\n  - name: a\n    rules:\n      - record: 'slo:x:rate5m'\n        expr: vector(1)\n        labels: {burnlab_id: a, team: one}\n      - record: 'slo:x:rate5m'\n        expr: vector(1)\n        labels: {burnlab_id: b, team: two}\n      - alert: B\n        expr: 'slo:x:rate5m{burnlab_id=\"b\"} > 1'\n        labels: {severity: ticket}\n";
        let config = "route:\n  receiver: d\n  routes:\n    - receiver: two\n      matchers: ['team=\"two\"']\nreceivers: [{name: d}, {name: two}]\n";
        check(rules, config, "B → two []");
    }
}
