//! Advice about a valid config: things Alertmanager accepts but that rarely mean what was
//! intended. Each finding is located by route path (or field) and line.

use std::collections::{HashMap, HashSet};

use crate::alertmanager::config::{Config, RouteNode};
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
    /// The unreachable-route check gave up on siblings too many and too alike to compare.
    NotChecked,
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

/// The effective repeat as a person reads it: `6s`, or `9s (sometimes 6s)` where Alertmanager
/// tosses a coin (see [`effective_repeat`]).
pub fn effective_repeat_text(group_interval: Duration, repeat_interval: Duration) -> String {
    match effective_repeat(group_interval, repeat_interval) {
        (repeat, true) => repeat.to_string(),
        (repeat, false) => format!("{repeat} (sometimes {repeat_interval})"),
    }
}

/// A matcher that every value satisfies (`=~".*"`, `!~""`-like forms are not tried).
fn always_true(m: &Matcher) -> bool {
    m.op() == MatchOp::Regex && (m.value() == ".*" || m.value() == "^(?:.*)$")
}

/// The most matcher comparisons the unreachable-route check makes for one config. The index
/// below answers real configs (27,000 sibling routes included) in a small fraction of this;
/// only thousands of siblings built from a few dozen shared matchers come near it.
pub const SHADOW_CHECK_BUDGET: usize = 20_000_000;

/// For each of `children` (node indices, in order), the first earlier sibling without
/// `continue` that matches every alert the child matches: a sufficient, syntactic test, each
/// of the earlier sibling's matchers that is not trivially true appears in the child's.
///
/// Comparing each child with every earlier sibling costs the square of their number (minutes
/// for 27,000 routes), so candidates come from an index instead: each earlier sibling that can
/// shadow is filed under its rarest matcher, and a child only looks under its own matchers. A
/// sibling that is itself shadowed is never filed: whatever it would shadow, the sibling
/// shadowing it does too, and comes first. `budget` counts the matcher comparisons left;
/// `None` when it runs out.
fn shadowing(
    nodes: &[RouteNode],
    children: &[usize],
    budget: &mut usize,
) -> Option<Vec<Option<usize>>> {
    // Matchers as small numbers, so sets are sorted lists of numbers.
    let mut ids: HashMap<(&str, MatchOp, &str), u32> = HashMap::new();
    let mut sets: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(children.len());
    for &c in children {
        let Some(child) = nodes.get(c) else {
            sets.push((Vec::new(), Vec::new()));
            continue;
        };
        let mut all = Vec::with_capacity(child.matchers.len());
        let mut needed = Vec::new();
        for m in &child.matchers {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            let id = *ids.entry((m.name(), m.op(), m.value())).or_insert(next);
            all.push(id);
            if !always_true(m) {
                needed.push(id);
            }
        }
        all.sort_unstable();
        all.dedup();
        needed.sort_unstable();
        needed.dedup();
        sets.push((all, needed));
    }
    let mut frequency: HashMap<u32, usize> = HashMap::new();
    for (all, _) in &sets {
        for &id in all {
            *frequency.entry(id).or_default() += 1;
        }
    }
    // Earlier siblings that can shadow: the first with no matcher that counts, and the others
    // filed under their rarest matcher.
    let mut catch_all: Option<usize> = None;
    let mut index: HashMap<u32, Vec<(usize, &[u32])>> = HashMap::new();
    let mut out = Vec::with_capacity(children.len());
    for (k, (&c, (all, needed))) in children.iter().zip(&sets).enumerate() {
        let mut first = catch_all;
        for id in all {
            for &(at, set) in index.get(id).map_or(&[][..], Vec::as_slice) {
                if first.is_some_and(|f| f <= at) {
                    continue;
                }
                *budget = budget.checked_sub(set.len() + all.len())?;
                if is_subset(set, all) {
                    first = Some(at);
                }
            }
        }
        out.push(first.and_then(|k| children.get(k).copied()));
        let shadows = nodes.get(c).is_some_and(|n| !n.continue_);
        if first.is_none() && shadows {
            match needed
                .iter()
                .min_by_key(|id| (frequency.get(id).copied().unwrap_or(0), **id))
            {
                None => catch_all = Some(k),
                Some(rarest) => index.entry(*rarest).or_default().push((k, needed)),
            }
        }
    }
    Some(out)
}

/// Whether every number of the sorted list `small` is in the sorted list `big`.
fn is_subset(small: &[u32], big: &[u32]) -> bool {
    let mut big = big.iter();
    small.iter().all(|s| big.any(|b| b == s))
}

/// All findings for a config, routes first in tree order.
pub fn lint(config: &Config) -> Vec<Lint> {
    let mut out = Vec::new();
    let nodes = &config.route.nodes;
    let mut budget = SHADOW_CHECK_BUDGET;
    let mut checking = true;
    for node in nodes {
        // Unreachable children.
        let shadows = if checking && node.children.len() > 1 {
            shadowing(nodes, &node.children, &mut budget)
        } else {
            Some(Vec::new())
        };
        let shadows = shadows.unwrap_or_else(|| {
            checking = false;
            out.push(Lint {
                kind: LintKind::NotChecked,
                path: node.path.clone(),
                line: node.line,
                message: format!(
                    "unreachable routes were not looked for from here on: the {} routes under this one share their matchers so much that comparing them passed {SHADOW_CHECK_BUDGET} steps",
                    node.children.len()
                ),
            });
            Vec::new()
        });
        for (&c, shadow) in node.children.iter().zip(shadows) {
            let (Some(child), Some(earlier)) = (nodes.get(c), shadow.and_then(|e| nodes.get(e)))
            else {
                continue;
            };
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
        assert_eq!(effective_repeat_text(d("3s"), d("5s")), "6s");
        assert_eq!(effective_repeat_text(d("3s"), d("6s")), "9s (sometimes 6s)");
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

    /// The pairwise definition the index in `shadowing` must agree with.
    fn shadowed_pairwise(config: &Config) -> Vec<(String, String)> {
        let nodes = &config.route.nodes;
        let covers = |earlier: &[Matcher], later: &[Matcher]| {
            earlier
                .iter()
                .all(|m| always_true(m) || later.iter().any(|l| l == m))
        };
        let mut out = Vec::new();
        for node in nodes {
            for (k, child) in node
                .children
                .iter()
                .filter_map(|&c| nodes.get(c))
                .enumerate()
            {
                let earlier = node
                    .children
                    .iter()
                    .take(k)
                    .filter_map(|&e| nodes.get(e))
                    .find(|e| !e.continue_ && covers(&e.matchers, &child.matchers));
                if let Some(e) = earlier {
                    out.push((child.path.clone(), e.path.clone()));
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_indexed_unreachable_check_agrees_with_comparing_every_pair(
            routes in proptest::collection::vec(
                (proptest::collection::vec(0usize..6, 0..4), proptest::bool::ANY),
                0..24,
            )
        ) {
            const MATCHERS: [&str; 6] =
                ["a=\"1\"", "a=\"2\"", "b=\"1\"", "b=~\".*\"", "c!=\"x\"", "d=~\"y|z\""];
            let mut text = String::from("route:\n  receiver: r\n  routes:\n");
            for (matchers, cont) in &routes {
                let list: Vec<String> = matchers
                    .iter()
                    .filter_map(|&i| MATCHERS.get(i))
                    .map(|m| format!("'{m}'"))
                    .collect();
                text.push_str(&format!(
                    "    - {{receiver: r, continue: {cont}, matchers: [{}]}}\n",
                    list.join(", ")
                ));
            }
            text.push_str("receivers: [{name: r}]\n");
            let config = Config::parse(&text, ConfigOptions::default());
            proptest::prop_assert!(config.is_ok(), "{config:?}");
            let Ok(config) = config else { return Ok(()) };
            let indexed: Vec<(String, String)> = lint(&config)
                .into_iter()
                .filter(|l| l.kind == LintKind::UnreachableRoute)
                .map(|l| {
                    let by = l.message.split(' ').nth(5).unwrap_or_default().to_owned();
                    (l.path, by)
                })
                .collect();
            proptest::prop_assert_eq!(indexed, shadowed_pairwise(&config));
        }
    }

    #[test]
    fn a_repeat_shorter_than_the_group_interval_is_flagged() {
        check(
            "route: {receiver: a, repeat_interval: 1m}\nreceivers: [{name: a}]\n",
            &["RepeatShorterThanGroupInterval route line 1"],
        );
    }
}
