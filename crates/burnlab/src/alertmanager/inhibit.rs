//! Inhibition as Alertmanager applies it at each flush (inhibit/inhibit.go): a rule mutes a
//! target alert when the target satisfies the rule's target matchers and some source alert
//! that satisfies the source matchers is still firing with every `equal` label equal (a missing
//! label reads as `""`, so missing equals missing and equals empty). If the target itself also
//! satisfies the source matchers, sources that also satisfy the target matchers are ignored, so
//! an alert never inhibits itself (nor its peers) through a rule that matches both sides.
//!
//! A pure function of the alerts and the instant: the replay calls it at every flush.

use crate::alertmanager::config::InhibitRule;
use crate::alertmanager::matchers::{Labels, matches_all};

/// An alert as inhibition sees it: its labels and when it stops firing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertState {
    /// The alert's labels.
    pub labels: Labels,
    /// When the alert resolves (Unix seconds); `None` while it fires without an end.
    pub ends_at: Option<i64>,
}

impl AlertState {
    /// Whether the alert is still firing at `at` (resolved when `ends_at ≤ at`).
    pub fn firing_at(&self, at: i64) -> bool {
        self.ends_at.is_none_or(|end| end > at)
    }
}

/// Which rule and which source alert mute `target` at `at`, if any: `(rule index, source
/// index)`. `alerts` is every alert Alertmanager has received (silenced ones included: a
/// silenced source still inhibits).
pub fn inhibited_by(
    rules: &[InhibitRule],
    target: &Labels,
    alerts: &[AlertState],
    at: i64,
) -> Option<(usize, usize)> {
    for (r, rule) in rules.iter().enumerate() {
        if !matches_all(&rule.target, target) {
            continue;
        }
        let target_is_source = matches_all(&rule.source, target);
        let hit = alerts.iter().position(|source| {
            source.firing_at(at)
                && matches_all(&rule.source, &source.labels)
                && !(target_is_source && matches_all(&rule.target, &source.labels))
                && rule.equal.iter().all(|l| {
                    source.labels.get(l).map_or("", String::as_str)
                        == target.get(l).map_or("", String::as_str)
                })
        });
        if let Some(s) = hit {
            return Some((r, s));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::{Config, ConfigOptions, labels_from_pairs};

    const RULES: &str = r#"
route: {receiver: r}
receivers: [{name: r}]
inhibit_rules:
  - source_matchers: ['severity="page"']
    target_matchers: ['severity="ticket"']
    equal: [slo, region]
  - source_matchers: ['alertname="Outage"']
    target_matchers: ['alertname=~"Outage|Degraded"']
"#;

    type Source<'a> = (&'a [(&'a str, &'a str)], Option<i64>);

    fn check(target: &[(&str, &str)], sources: &[Source<'_>], expect: Option<(usize, usize)>) {
        let config = Config::parse(RULES, ConfigOptions::default());
        let rules = config.map(|c| c.inhibit_rules).unwrap_or_default();
        let alerts: Vec<AlertState> = sources
            .iter()
            .map(|(l, end)| AlertState {
                labels: labels_from_pairs(l.iter().copied()),
                ends_at: *end,
            })
            .collect();
        let got = inhibited_by(
            &rules,
            &labels_from_pairs(target.iter().copied()),
            &alerts,
            100,
        );
        assert_eq!(got, expect, "target {target:?}");
    }

    #[test]
    fn a_firing_page_mutes_the_ticket_of_the_same_slo() {
        let page: &[(&str, &str)] = &[("severity", "page"), ("slo", "api")];
        check(
            &[("severity", "ticket"), ("slo", "api")],
            &[(page, None)],
            Some((0, 0)),
        );
        check(
            &[("severity", "ticket"), ("slo", "web")],
            &[(page, None)],
            None,
        );
    }

    #[test]
    fn a_missing_equal_label_equals_an_empty_one() {
        let page: &[(&str, &str)] = &[("severity", "page"), ("slo", "api"), ("region", "")];
        check(
            &[("severity", "ticket"), ("slo", "api")],
            &[(page, None)],
            Some((0, 0)),
        );
    }

    #[test]
    fn a_resolved_source_no_longer_inhibits() {
        let page: &[(&str, &str)] = &[("severity", "page"), ("slo", "api")];
        check(
            &[("severity", "ticket"), ("slo", "api")],
            &[(page, Some(100))],
            None,
        );
        check(
            &[("severity", "ticket"), ("slo", "api")],
            &[(page, Some(101))],
            Some((0, 0)),
        );
    }

    #[test]
    fn an_alert_matching_both_sides_does_not_inhibit_itself() {
        let outage: &[(&str, &str)] = &[("alertname", "Outage")];
        check(outage, &[(outage, None)], None);
        let degraded: &[(&str, &str)] = &[("alertname", "Degraded")];
        check(degraded, &[(outage, None)], Some((1, 0)));
    }
}
