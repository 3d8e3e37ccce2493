//! Random route trees (round 1): valid alertmanager.yml files with `match`, `match_re` and
//! `matchers` in every classic style, label sets over the same names and values, and amtool
//! label arguments, for the amtool oracle tests, the recorded fixtures and the routing
//! benchmark.

use burnlab::alertmanager::matchers::{Labels, quote_value};
use burnlab::yaml::{self, Node};

use crate::rng::Rng;

/// Label names used by generated trees and alerts.
pub const NAMES: &[&str] = &["severity", "team", "service", "env", "slo", "region"];

/// Label values: plain words, and the awkward ones (commas, quotes, spaces, non-ASCII, empty,
/// backslashes).
pub const VALUES: &[&str] = &[
    "page",
    "ticket",
    "a",
    "b",
    "api",
    "api-1",
    "web",
    "prod",
    "x,y",
    "say \"hi\"",
    "two words",
    "café",
    "日本",
    "",
    "a\\b",
    " padded ",
    "{x}",
    "c=d",
];

/// Regexes for `=~`/`!~`: alternations, classes, dots, commas, non-ASCII, empty.
pub const REGEXES: &[&str] = &[
    "a|b",
    "api.*",
    ".*",
    ".+",
    "pa.e",
    "[a-c]",
    "x,y",
    "café|日本",
    "two words",
    "(page|ticket)",
    "\\d+",
    "",
    "api-[0-9]+",
    "(?i)PAGE",
    "w.b|prod",
    ".*,.*",
    "[^a]+",
    "say \"hi\"",
];

/// Receiver names used by generated trees.
pub const RECEIVERS: &[&str] = &["r0", "r1", "r2", "r3", "r4", "r5"];

/// One random matcher over [`NAMES`], [`VALUES`] and [`REGEXES`], in one of the classic
/// syntax's styles (quoted or not, spaces around the operator).
pub fn matcher_text(rng: &mut Rng) -> String {
    let name = rng.pick(NAMES);
    let op = rng.pick(&["=", "!=", "=~", "!~"]);
    let value = if op.contains('~') {
        rng.pick(REGEXES)
    } else {
        rng.pick(VALUES)
    };
    let plain_ok =
        !value.is_empty() && !value.contains([',', '"', '\\', '{', '}']) && value.trim() == value;
    if plain_ok && rng.chance(30) {
        format!("{name}{op}{value}")
    } else if rng.chance(15) {
        format!("{name} {op} {}", quote_value(value))
    } else {
        format!("{name}{op}{}", quote_value(value))
    }
}

fn route_node(rng: &mut Rng, depth: usize, root: bool) -> Node {
    let mut entries: Vec<(&str, Node)> = Vec::new();
    if root || rng.chance(70) {
        entries.push(("receiver", Node::str(rng.pick(RECEIVERS))));
    }
    if !root {
        match rng.below(6) {
            0 => {
                let (n, v) = (rng.pick(NAMES), rng.pick(VALUES));
                entries.push(("match", Node::map(vec![(n, Node::str(v))])));
            }
            1 => {
                let (n, v) = (rng.pick(NAMES), rng.pick(REGEXES));
                entries.push(("match_re", Node::map(vec![(n, Node::str(v))])));
            }
            2 => {}
            _ => {
                let mut items = Vec::new();
                for _ in 0..1 + rng.below(2) {
                    if rng.chance(30) {
                        // Several matchers in one item, optionally in braces.
                        let a = matcher_text(rng);
                        let b = matcher_text(rng);
                        let text = if rng.chance(50) {
                            format!("{{{a}, {b}}}")
                        } else {
                            format!("{a},{b}")
                        };
                        items.push(Node::str(text));
                    } else {
                        items.push(Node::str(matcher_text(rng)));
                    }
                }
                if rng.chance(20) {
                    let (n, v) = (rng.pick(NAMES), rng.pick(VALUES));
                    entries.push(("match", Node::map(vec![(n, Node::str(v))])));
                }
                entries.push(("matchers", Node::seq(items)));
            }
        }
        if rng.chance(30) {
            entries.push(("continue", Node::plain("true")));
        }
    }
    if rng.chance(15) {
        entries.push(("group_wait", Node::plain(rng.pick(&["10s", "1m", "0s"]))));
    }
    if depth > 0 && (root || rng.chance(45)) {
        let n = 1 + rng.below(if root { 5 } else { 3 });
        let children = (0..n).map(|_| route_node(rng, depth - 1, false)).collect();
        entries.push(("routes", Node::seq(children)));
    }
    Node::map(entries)
}

/// A one-route config whose route has the given matcher text.
pub fn single_matcher_config(matcher: &str) -> String {
    yaml::to_string(&Node::map(vec![
        (
            "route",
            Node::map(vec![
                ("receiver", Node::str("d")),
                (
                    "routes",
                    Node::seq(vec![Node::map(vec![
                        ("receiver", Node::str("x")),
                        ("matchers", Node::seq(vec![Node::str(matcher)])),
                    ])]),
                ),
            ]),
        ),
        (
            "receivers",
            Node::seq(vec![
                Node::map(vec![("name", Node::str("d"))]),
                Node::map(vec![("name", Node::str("x"))]),
            ]),
        ),
    ]))
}

/// A random, valid alertmanager.yml with a route tree up to `depth` levels below the root.
pub fn route_tree_config(seed: u64, depth: usize) -> String {
    let mut rng = Rng::new(seed);
    let route = route_node(&mut rng, depth, true);
    let receivers = RECEIVERS
        .iter()
        .map(|r| Node::map(vec![("name", Node::str(*r))]))
        .collect();
    yaml::to_string(&Node::map(vec![
        ("route", route),
        ("receivers", Node::seq(receivers)),
    ]))
}

/// A random label set over [`NAMES`] and [`VALUES`].
pub fn label_set(rng: &mut Rng) -> Labels {
    let mut labels = Labels::new();
    for name in NAMES {
        if rng.chance(60) {
            labels.insert((*name).to_owned(), rng.pick(VALUES).to_owned());
        }
    }
    labels
}

/// A label as an amtool argument, `name="value"` with the classic parser's escapes.
pub fn label_arg(name: &str, value: &str) -> String {
    format!("{name}={}", quote_value(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burnlab::alertmanager::config::{Config, ConfigOptions};
    use burnlab::alertmanager::matchers::ParserMode;

    #[test]
    fn generated_trees_are_valid_configs() {
        for seed in 0..200 {
            let text = route_tree_config(seed, 3);
            let parsed = Config::parse(
                &text,
                ConfigOptions {
                    matcher_mode: ParserMode::Classic,
                },
            );
            assert!(parsed.is_ok(), "seed {seed}: {parsed:?}\n{text}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_tree() {
        assert_eq!(route_tree_config(7, 3), route_tree_config(7, 3));
        assert_ne!(route_tree_config(7, 3), route_tree_config(8, 3));
    }
}
