//! Advice about a valid config: things Alertmanager accepts but that rarely mean what was
//! intended. Each finding is located by route path (or field) and line.

use std::collections::HashSet;

use crate::alertmanager::config::Config;
use crate::alertmanager::matchers::{MatchOp, Matcher};
use crate::duration::Duration;
use crate::yaml::{Node, Value};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintKind {
    /// An earlier sibling without `continue` takes every alert this route would match.
    UnreachableRoute,
    /// A receiver no route uses.
    UnusedReceiver,
    /// `match`/`match_re` on a route, or the legacy inhibit maps (to be removed before 1.0).
    Deprecated,
    /// The repeat period that really results, when it differs from `repeat_interval`.
    EffectiveRepeat,
    /// `repeat_interval` shorter than `group_interval` (Alertmanager 0.26+ warns too).
    RepeatShorterThanGroupInterval,
    /// A URL using Alertmanager's `/api/v1`, gone since 0.27.
    ApiV1Gone,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// What it is about.
    pub kind: LintKind,
    /// Route path or field path.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What to know or do, in a sentence.
    pub message: String,
}

/// The repeat period that really results: a repeat goes out at the first group_interval tick
/// strictly after last send + repeat_interval. Returns the period and whether it is certain;
/// for an exact multiple the send is logged just after the tick, so the period is usually
/// repeat + group_interval but sometimes repeat itself (measured on Alertmanager 0.25).
pub fn effective_repeat(group_interval: Duration, repeat_interval: Duration) -> (Duration, bool) {
    let gi = group_interval.as_millis().max(1);
    let ri = repeat_interval.as_millis();
    let ticks = ri / gi + 1;
    (
        Duration::from_millis(ticks.saturating_mul(gi)),
        !ri.is_multiple_of(gi) || ri < gi,
    )
}

/// A matcher that every value satisfies (`=~".*"`, `!~""`-like forms are not tried).
fn always_true(m: &Matcher) -> bool {
    m.op() == MatchOp::Regex && (m.value() == ".*" || m.value() == "^(?:.*)$")
}

/// Whether every alert matching `later` also matches `earlier` (a sufficient, syntactic test:
/// each of `earlier`'s matchers that is not trivially true appears in `later`).
fn covers(earlier: &[Matcher], later: &[Matcher]) -> bool {
    earlier
        .iter()
        .all(|m| always_true(m) || later.iter().any(|l| l == m))
}

/// All findings for a config, routes first in tree order.
pub fn lint(config: &Config) -> Vec<Lint> {
    let mut out = Vec::new();
    let nodes = &config.route.nodes;
    for node in nodes {
        // Unreachable children.
        for (k, &c) in node.children.iter().enumerate() {
            let Some(child) = nodes.get(c) else { continue };
            let shadow = node.children.iter().take(k).find_map(|&e| {
                let earlier = nodes.get(e)?;
                (!earlier.continue_ && covers(&earlier.matchers, &child.matchers))
                    .then_some(earlier)
            });
            if let Some(earlier) = shadow {
                out.push(Lint {
                    kind: LintKind::UnreachableRoute,
                    path: child.path.clone(),
                    line: child.line,
                    message: format!(
                        "this route is never reached: {} (line {}) matches every alert it matches and has no `continue: true`",
                        earlier.path, earlier.line
                    ),
                });
            }
        }
        if node.uses_deprecated_match {
            out.push(Lint {
                kind: LintKind::Deprecated,
                path: node.path.clone(),
                line: node.line,
                message: "`match`/`match_re` are deprecated (to be removed before Alertmanager 1.0): write `matchers: ['name=\"value\"']` or `name=~\"regex\"`".into(),
            });
        }
        if node.opts.repeat_interval < node.opts.group_interval {
            out.push(Lint {
                kind: LintKind::RepeatShorterThanGroupInterval,
                path: node.path.clone(),
                line: node.line,
                message: format!(
                    "repeat_interval {} is shorter than group_interval {}: repeats can only go out at group_interval ticks, so they come every {}",
                    node.opts.repeat_interval, node.opts.group_interval, node.opts.group_interval
                ),
            });
        } else if node.parent.is_none() || node.sets_repeat_interval {
            let (period, certain) =
                effective_repeat(node.opts.group_interval, node.opts.repeat_interval);
            if period != node.opts.repeat_interval {
                let message = if certain {
                    format!(
                        "repeats go out every {period}, not every {}: the first group_interval ({}) tick after the repeat_interval",
                        node.opts.repeat_interval, node.opts.group_interval
                    )
                } else {
                    format!(
                        "repeat_interval {} is an exact multiple of group_interval {}: repeats usually go out every {period} (sometimes {}); to get {} set repeat_interval a little below it",
                        node.opts.repeat_interval,
                        node.opts.group_interval,
                        node.opts.repeat_interval,
                        node.opts.repeat_interval
                    )
                };
                out.push(Lint {
                    kind: LintKind::EffectiveRepeat,
                    path: node.path.clone(),
                    line: node.line,
                    message,
                });
            }
        }
    }
    let used: HashSet<&str> = nodes.iter().map(|n| n.opts.receiver.as_str()).collect();
    for r in &config.receivers {
        if !used.contains(r.name.as_str()) {
            out.push(Lint {
                kind: LintKind::UnusedReceiver,
                path: r.pos.path.clone(),
                line: r.pos.line,
                message: format!("receiver {:?} is not used by any route", r.name),
            });
        }
    }
    for rule in &config.inhibit_rules {
        if rule.uses_deprecated_maps {
            out.push(Lint {
                kind: LintKind::Deprecated,
                path: rule.pos.path.clone(),
                line: rule.pos.line,
                message: "source_match/target_match(_re) are deprecated: write source_matchers and target_matchers".into(),
            });
        }
    }
    for ti in config.time_intervals.iter().filter(|t| t.deprecated_list) {
        out.push(Lint {
            kind: LintKind::Deprecated,
            path: ti.pos.path.clone(),
            line: ti.pos.line,
            message: "the top-level mute_time_intervals list is deprecated since 0.24: move it to time_intervals".into(),
        });
    }
    let mut scan: Vec<(&Node, String)> = Vec::new();
    if let Some(g) = &config.global {
        scan.push((g, "global".into()));
    }
    for r in &config.receivers {
        for i in &r.integrations {
            scan.push((&i.node, i.pos.path.clone()));
        }
    }
    while let Some((node, path)) = scan.pop() {
        match &node.value {
            Value::Scalar { text, .. }
                if text.contains("/api/v1/") || text.ends_with("/api/v1") =>
            {
                out.push(Lint {
                    kind: LintKind::ApiV1Gone,
                    path,
                    line: node.line,
                    message: "Alertmanager's /api/v1 is gone since 0.27 (every endpoint answers 410 Gone): use /api/v2".into(),
                });
            }
            Value::Scalar { .. } => {}
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    scan.push((item, format!("{path}[{i}]")));
                }
            }
            Value::Map(entries) => {
                for (k, v) in entries {
                    scan.push((v, format!("{path}.{}", k.scalar().unwrap_or_default())));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::ConfigOptions;

    fn check(yaml: &str, expect: &[&str]) {
        let got: Vec<String> = match Config::parse(yaml, ConfigOptions::default()) {
            Ok(c) => lint(&c)
                .iter()
                .map(|l| format!("{:?} {} line {}", l.kind, l.path, l.line))
                .collect(),
            Err(e) => vec![e.to_string()],
        };
        assert_eq!(got, expect, "config:\n{yaml}");
    }

    #[test]
    fn the_effective_repeat_is_the_first_tick_after_the_repeat_interval() {
        let d = |s: &str| Duration::parse(s, "t").unwrap_or_default();
        assert_eq!(effective_repeat(d("3s"), d("5s")), (d("6s"), true));
        assert_eq!(effective_repeat(d("3s"), d("7s")), (d("9s"), true));
        assert_eq!(effective_repeat(d("3s"), d("6s")), (d("9s"), false));
        assert_eq!(effective_repeat(d("5m"), d("4h")), (d("4h5m"), false));
        assert_eq!(effective_repeat(d("5m"), d("1m")), (d("5m"), true));
    }

    #[test]
    fn a_catch_all_sibling_without_continue_hides_the_routes_after_it() {
        check(
            "route:\n  receiver: a\n  repeat_interval: 1h1m\n  group_interval: 1m\n  routes:\n    - receiver: a\n      matchers: ['x=\"1\"']\n    - receiver: a\n    - receiver: b\n      matchers: ['x=\"1\"', 'y=\"2\"']\nreceivers: [{name: a}, {name: b}, {name: c}]\n",
            &[
                "UnreachableRoute route.routes[2] line 9",
                "EffectiveRepeat route line 2",
                "UnusedReceiver receivers[2] line 11",
            ],
        );
    }

    #[test]
    fn a_sibling_with_continue_hides_nothing() {
        check(
            "route:\n  receiver: a\n  repeat_interval: 59m\n  group_interval: 1m\n  routes:\n    - receiver: a\n      continue: true\n    - receiver: a\n      match: {x: '1'}\nreceivers: [{name: a}]\n",
            &[
                "EffectiveRepeat route line 2",
                "Deprecated route.routes[1] line 8",
            ],
        );
    }

    #[test]
    fn default_timers_repeat_every_four_hours_five_minutes() {
        check(
            "route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: 'http://am:9093/api/v1/alerts'}]}]\n",
            &[
                "EffectiveRepeat route line 1",
                "ApiV1Gone receivers[0].webhook_configs[0].url line 2",
            ],
        );
    }

    #[test]
    fn a_repeat_shorter_than_the_group_interval_is_flagged() {
        check(
            "route: {receiver: a, repeat_interval: 1m}\nreceivers: [{name: a}]\n",
            &["RepeatShorterThanGroupInterval route line 1"],
        );
    }
}
