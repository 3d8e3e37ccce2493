//! The replay's prediction written as checks the real tools run:
//! - a `promtool test rules` file: the scenario's counters as input series, and for every
//!   alerting rule the alerts the replay says fire at every change of its firing set and half
//!   way between changes (it passes under promtool exactly when the replay equals Prometheus at
//!   those instants);
//! - an amtool script: for every alert that fired, `amtool config routes test
//!   --verify.receivers=…` with the receivers the replay routed it to.

use crate::alertmanager::config::Config;
use crate::alertmanager::matchers::{Labels, quote_value};
use crate::error::{Error, Result};
use crate::replay::plan::series_text;
use crate::replay::{Outcome, Replay, Scenario};
use crate::rules::model::RuleFile;
use crate::yaml::{self, Node, Style, Value};

/// The files of a promtool export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromtoolFiles {
    /// The rule file, as promtool reads it (a manifest's `spec`; annotations that are templates
    /// removed, since their text depends on values at the instant).
    pub rules: String,
    /// The test file; it names the rule file `rules_file`.
    pub test: String,
    /// How many `alert_rule_test` entries it has.
    pub checks: usize,
}

/// A counter's samples in promtool's expanding notation: `0+12x59 720+15x9 …`.
pub fn values_text(samples: &[f64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < samples.len() {
        let Some(&start) = samples.get(i) else { break };
        let step = samples.get(i + 1).map(|n| n - start);
        let mut n = 0;
        if let Some(step) = step {
            while samples
                .get(i + n + 1)
                .zip(samples.get(i + n))
                .is_some_and(|(b, a)| b - a == step)
            {
                n += 1;
            }
        }
        match (step, n) {
            (_, 0) => out.push(num(start)),
            (Some(step), n) => out.push(format!("{}+{}x{n}", num(start), num(step))),
            (None, _) => out.push(num(start)),
        }
        i += n + 1;
    }
    out.join(" ")
}

fn num(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

fn duration_text(ms: i64) -> String {
    crate::duration::Duration::from_millis(ms.max(0) as u64).to_string()
}

/// Removes annotations whose values are templates from a rule-file tree.
fn strip_templates(groups: &mut Node) -> usize {
    let mut removed = 0;
    let Value::Seq(gs) = &mut groups.value else {
        return 0;
    };
    for g in gs {
        let Value::Map(ge) = &mut g.value else {
            continue;
        };
        for (k, rules) in ge.iter_mut() {
            if k.scalar() != Some("rules") {
                continue;
            }
            let Value::Seq(rs) = &mut rules.value else {
                continue;
            };
            for r in rs {
                let Value::Map(re) = &mut r.value else {
                    continue;
                };
                for (k, ann) in re.iter_mut() {
                    if k.scalar() != Some("annotations") {
                        continue;
                    }
                    if let Value::Map(ae) = &mut ann.value {
                        let before = ae.len();
                        ae.retain(|(_, v)| !v.scalar().is_some_and(|t| t.contains("{{")));
                        removed += before - ae.len();
                    }
                }
            }
        }
    }
    removed
}

fn secs_ms(s: f64) -> i64 {
    (s * 1000.0).round() as i64
}

impl Replay {
    /// A promtool unit test of this replay's last run of `scenario` (`outcome` is that run's).
    /// `rules_file` is the name the test uses for the rule file, relative to the test file.
    pub fn promtool_test(
        &self,
        scenario: &Scenario,
        outcome: &Outcome,
        rules_file: &str,
    ) -> Result<PromtoolFiles> {
        let root = yaml::parse(self.rules_text(), "rules")?
            .ok_or_else(|| Error::field("rules", "is empty"))?;
        let mut groups = root
            .get("spec")
            .filter(|_| root.get("kind").is_some())
            .unwrap_or(&root)
            .get("groups")
            .cloned()
            .ok_or_else(|| Error::field("rules", "has no groups"))?;
        let removed = strip_templates(&mut groups);
        let mut rules_yaml = String::new();
        if removed > 0 {
            rules_yaml.push_str(&format!(
                "# burnlab export: {removed} annotation(s) with templates removed; their text depends on values promtool computes.\n"
            ));
        }
        rules_yaml.push_str(&yaml::to_string_with(
            &Node::map(vec![("groups", groups)]),
            Style {
                literal_blocks: true,
            },
        ));
        let file = RuleFile::parse(&rules_yaml)?;
        let eval_ms = scenario.evaluation_interval.as_millis() as i64;
        let end = scenario.duration_ms();
        // Every alerting rule's instants of change, and what fires then.
        let mut tests: Vec<Node> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for g in &file.groups {
            for r in &g.rules {
                if let Some(n) = r.alert_name()
                    && !names.iter().any(|x| x == n)
                {
                    names.push(n.to_owned());
                }
            }
        }
        for name in &names {
            // The rules of this name (several when alerts are grouped by severity): an instance
            // belongs to the first whose fixed labels it carries.
            let candidates: Vec<&crate::rules::model::Rule> = file
                .groups
                .iter()
                .flat_map(|g| &g.rules)
                .filter(|r| r.alert_name() == Some(name.as_str()))
                .collect();
            let annotations_of = |labels: &Labels| -> Vec<(String, String)> {
                candidates
                    .iter()
                    .find(|r| {
                        r.labels
                            .iter()
                            .all(|(k, v)| v.contains("{{") || labels.get(k) == Some(v))
                    })
                    .or(candidates.first())
                    .map(|r| r.annotations.clone())
                    .unwrap_or_default()
            };
            let mine: Vec<&crate::replay::AlertTimeline> = outcome
                .timeline
                .alerts
                .iter()
                .filter(|a| a.labels.get("alertname") == Some(name))
                .collect();
            let mut changes: Vec<i64> = mine
                .iter()
                .flat_map(|a| {
                    a.firing
                        .iter()
                        .flat_map(|(s, e)| [Some(secs_ms(*s)), e.map(secs_ms)])
                })
                .flatten()
                .filter(|t| *t <= end)
                .collect();
            changes.push(0);
            changes.push(end);
            changes.sort_unstable();
            changes.dedup();
            let mut instants: Vec<i64> = Vec::new();
            for w in changes.windows(2) {
                if let [a, b] = w {
                    instants.push(*a);
                    let mid = a + ((b - a) / 2 / eval_ms) * eval_ms;
                    if mid > *a {
                        instants.push(mid);
                    }
                }
            }
            instants.push(end);
            instants.dedup();
            for t in instants {
                let firing: Vec<Node> = mine
                    .iter()
                    .filter(|a| {
                        a.firing
                            .iter()
                            .any(|(s, e)| secs_ms(*s) <= t && e.is_none_or(|e| t < secs_ms(e)))
                    })
                    .map(|a| expected(&a.labels, &annotations_of(&a.labels)))
                    .collect();
                tests.push(Node::map(vec![
                    ("eval_time", Node::plain(duration_text(t))),
                    ("alertname", Node::str(name.clone())),
                    ("exp_alerts", Node::seq(firing)),
                ]));
            }
        }
        let input_series: Vec<Node> = self
            .inputs()
            .series
            .iter()
            .zip(self.series())
            .map(|(s, samples)| {
                Node::map(vec![
                    ("series", Node::str(series_text(&s.labels))),
                    ("values", Node::str(values_text(samples))),
                ])
            })
            .collect();
        let checks = tests.len();
        let test = Node::map(vec![
            ("rule_files", Node::seq(vec![Node::str(rules_file)])),
            (
                "evaluation_interval",
                Node::plain(scenario.evaluation_interval.to_string()),
            ),
            (
                "group_eval_order",
                Node::seq(
                    file.groups
                        .iter()
                        .map(|g| Node::str(g.name.clone()))
                        .collect(),
                ),
            ),
            (
                "tests",
                Node::seq(vec![Node::map(vec![
                    (
                        "name",
                        Node::str(scenario.name.clone().unwrap_or_else(|| "scenario".into())),
                    ),
                    (
                        "interval",
                        Node::plain(scenario.scrape_interval.to_string()),
                    ),
                    ("input_series", Node::seq(input_series)),
                    ("alert_rule_test", Node::seq(tests)),
                ])]),
            ),
        ]);
        Ok(PromtoolFiles {
            rules: rules_yaml,
            test: yaml::to_string(&test),
            checks,
        })
    }

    /// An amtool script checking where every alert that fired in `outcome` is routed, against
    /// `config` at the path `config_file`.
    pub fn amtool_script(&self, outcome: &Outcome, config: &Config, config_file: &str) -> String {
        let mut out = String::from(
            "#!/bin/sh\n# burnlab export: where the replay routed every alert that fired; amtool must agree.\nset -e\n",
        );
        let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
        let timelines =
            std::iter::once(&outcome.timeline).chain(outcome.naive.as_ref().map(|n| &n.timeline));
        let mut seen: Vec<&Labels> = Vec::new();
        for tl in timelines {
            for a in tl.alerts.iter().filter(|a| !a.firing.is_empty()) {
                if seen.contains(&&a.labels) {
                    continue;
                }
                seen.push(&a.labels);
                let receivers = config.route.receivers_line(&a.labels);
                let args: Vec<String> = a
                    .labels
                    .iter()
                    .map(|(k, v)| quote(&format!("{k}={}", quote_value(v))))
                    .collect();
                out.push_str(&format!(
                    "amtool config routes test --config.file={} --verify.receivers={} {}\n",
                    quote(config_file),
                    quote(&receivers),
                    args.join(" ")
                ));
            }
        }
        out
    }
}

fn expected(labels: &Labels, annotations: &[(String, String)]) -> Node {
    let l: Vec<(&str, Node)> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != "alertname")
        .map(|(k, v)| (k.as_str(), Node::str(v.clone())))
        .collect();
    let a: Vec<(&str, Node)> = annotations
        .iter()
        .map(|(k, v)| (k.as_str(), Node::str(v.clone())))
        .collect();
    Node::map(vec![
        ("exp_labels", Node::map(l)),
        ("exp_annotations", Node::map(a)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_compress_to_runs_of_equal_steps() {
        assert_eq!(
            values_text(&[0.0, 12.0, 24.0, 36.0, 50.0, 64.0, 64.0]),
            "0+12x3 50+14x1 64"
        );
        assert_eq!(values_text(&[5.0]), "5");
        assert_eq!(values_text(&[0.0, 0.0, 0.0]), "0+0x2");
    }
}
