//! Round-2 route trees: Unicode regexes and case folding, merge keys, tabs, YAML 1.1 booleans
//! and nulls, a second YAML document, and label sets of Unicode values that Go folds or
//! classifies, for the second round of amtool oracle tests and fixtures.

use burnlab::alertmanager::matchers::{Labels, quote_value};
use burnlab::yaml::{self, Node};

use crate::rng::Rng;
use crate::trees::{NAMES, RECEIVERS, REGEXES, VALUES, label_arg};

/// Label values for round-2 trees: characters Go's `(?i)` folds beyond ASCII (the Kelvin sign,
/// the long s, final sigma, title-case digraphs), letters of several scripts, digits that are
/// not ASCII, a character assigned in Unicode 13 and one assigned only in 14 (Go 1.19 knows
/// Unicode 13), and plain words.
pub const UNICODE_VALUES: &[&str] = &[
    "k",
    "K",
    "\u{212A}",
    "s",
    "S",
    "\u{17F}",
    "é",
    "É",
    "Σ",
    "σ",
    "ς",
    "ß",
    "ẞ",
    "ǅ",
    "ǆ",
    "日本",
    "αβγ",
    "Ωmega",
    "٣٤",
    "x1",
    "",
    "page",
    "PAGE",
    "café",
    "CAFÉ",
    "\u{08BE}",
    "\u{08B5}",
    "\u{1F600}",
    "İ",
    "ı",
    "a b",
    "ticket",
];

/// Regexes with Unicode classes and case folding, as people write them in `match_re`,
/// `matchers` and inhibit rules.
pub const UNICODE_REGEXES: &[&str] = &[
    "\\p{L}+",
    "\\pL",
    "\\p{Han}+",
    "\\p{Greek}+",
    "\\PN+",
    "\\p{^Latin}+",
    "\\PL",
    "(?i)k",
    "(?i)s",
    "(?i)café",
    "(?i)σ",
    "(?i)[a-z]+",
    "(?i)\\w+",
    "(?i)[^k]",
    "[\\p{Lu}\\d]+",
    "\\p{Arabic}",
    "\\p{Nd}+",
    "(?i:ǆ)",
    "(?i)ß",
    "\\p{Any}",
    "\\p{Lt}",
    "(?i)\\p{Lu}+",
    "[^\\PL]+",
    "\\p{Greek}|\\p{Han}",
    "(?i)PAGE|ticket",
    "(?i)[k-s]",
    "\\p{So}",
    "(?i)ǅ",
    "[\\p{Greek}\\p{Han}]+",
    "\\P{^Nd}+",
];

/// A YAML scalar for `text`, quoted when needed, for generated YAML text.
pub(crate) fn scalar(text: &str) -> String {
    yaml::to_string(&Node::str(text)).trim_end().to_owned()
}

/// One round-2 matcher text in the classic syntax (which the fallback mode also reads).
fn unicode_matcher_text(rng: &mut Rng) -> String {
    let name = rng.pick(NAMES);
    let op = rng.pick(&["=", "!=", "=~", "!~", "=~", "=~"]);
    let value = if op.contains('~') {
        if rng.chance(75) {
            rng.pick(UNICODE_REGEXES)
        } else {
            rng.pick(REGEXES)
        }
    } else {
        rng.pick(UNICODE_VALUES)
    };
    format!("{name}{op}{}", quote_value(value))
}

/// Matcher texts that Alertmanager 0.27+'s UTF-8 parser reads but the classic parser (and so
/// amtool 0.25) refuses.
pub const UTF8_ONLY_MATCHERS: &[&str] = &[
    " {team=\"a\"}",
    "\"service name\"=\"x\"",
    "{\"service name\"=~\"x|y\"}",
];

/// Writes one route (and its children) as block YAML at `indent`, with round-2 features:
/// Unicode regexes, merge keys over an anchored sibling, tabs after `receiver:`, YAML 1.1
/// booleans.
fn round2_route(
    rng: &mut Rng,
    depth: usize,
    indent: usize,
    out: &mut String,
    anchors: &mut Vec<String>,
) {
    let pad = " ".repeat(indent);
    let mut first = true;
    let mut line = |out: &mut String, text: &str| {
        if first {
            out.push_str(text);
            first = false;
        } else {
            out.push_str(&pad);
            out.push_str(text);
        }
        out.push('\n');
    };
    // A merge of an earlier anchored sibling's fields, overridden by what follows.
    if let Some(anchor) = (!anchors.is_empty() && rng.chance(25)).then(|| {
        rng.pick(&anchors.iter().map(String::as_str).collect::<Vec<_>>())
            .to_owned()
    }) {
        line(out, &format!("<<: *{anchor}"));
    }
    if rng.chance(70) {
        let sep = if rng.chance(15) { "\t" } else { " " };
        line(out, &format!("receiver:{sep}{}", rng.pick(RECEIVERS)));
    }
    match rng.below(5) {
        0 => {
            let (n, v) = (rng.pick(NAMES), rng.pick(UNICODE_REGEXES));
            line(out, &format!("match_re: {{{n}: {}}}", scalar(v)));
        }
        1 => {
            let (n, v) = (rng.pick(NAMES), rng.pick(UNICODE_VALUES));
            line(out, &format!("match: {{{n}: {}}}", scalar(v)));
        }
        _ => {
            let mut items: Vec<String> = (0..1 + rng.below(2))
                .map(|_| unicode_matcher_text(rng))
                .collect();
            if rng.chance(3) {
                items.push(rng.pick(UTF8_ONLY_MATCHERS).to_owned());
            }
            let items: Vec<String> = items.iter().map(|m| scalar(m)).collect();
            line(out, &format!("matchers: [{}]", items.join(", ")));
        }
    }
    if rng.chance(30) {
        line(
            out,
            &format!(
                "continue: {}",
                rng.pick(&["true", "yes", "on", "True", "false", "no"])
            ),
        );
    }
    if rng.chance(10) {
        line(out, "group_by: ~");
    }
    if depth > 0 && rng.chance(45) {
        line(out, "routes:");
        round2_children(rng, depth - 1, indent, out, anchors);
    }
}

fn round2_children(
    rng: &mut Rng,
    depth: usize,
    indent: usize,
    out: &mut String,
    anchors: &mut Vec<String>,
) {
    let n = 1 + rng.below(3);
    for _ in 0..n {
        out.push_str(&" ".repeat(indent + 2));
        out.push_str("- ");
        if rng.chance(30) {
            let name = format!("a{}", anchors.len());
            out.push_str(&format!("&{name}\n"));
            out.push_str(&" ".repeat(indent + 4));
            // The anchor is usable by later siblings and their children only once this
            // mapping is complete, so it is registered after.
            let mut inner = Vec::new();
            std::mem::swap(&mut inner, anchors);
            let mut nested = inner.clone();
            round2_route(rng, depth, indent + 4, out, &mut nested);
            *anchors = inner;
            anchors.push(name);
        } else {
            round2_route(rng, depth, indent + 4, out, anchors);
        }
    }
}

/// A random round-2 alertmanager.yml: a route tree with Unicode regexes and case folding,
/// merge keys, tabs, YAML 1.1 booleans and nulls, sometimes `matchers: ['{}']` on the root
/// and a second YAML document (which yaml.v2 ignores).
pub fn round2_tree_config(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("route:\n  receiver: r0\n");
    if rng.chance(8) {
        out.push_str("  matchers: ['{}']\n");
    }
    if rng.chance(20) {
        out.push_str("  group_by: [alertname]\n");
    }
    out.push_str("  routes:\n");
    let mut anchors = Vec::new();
    let n = 2 + rng.below(4);
    for _ in 0..n {
        round2_children(&mut rng, 2, 0, &mut out, &mut anchors);
    }
    out.push_str("receivers:\n");
    for r in RECEIVERS {
        out.push_str(&format!("  - name: {r}\n"));
    }
    if rng.chance(5) {
        out.push_str("---\nignored: [\n");
    }
    out
}

/// A random round-2 label set: Unicode values Go folds or classifies.
pub fn round2_label_set(rng: &mut Rng) -> Labels {
    let mut labels = Labels::new();
    for name in NAMES {
        if rng.chance(65) {
            let value = if rng.chance(70) {
                rng.pick(UNICODE_VALUES)
            } else {
                rng.pick(VALUES)
            };
            labels.insert((*name).to_owned(), value.to_owned());
        }
    }
    labels
}

/// The round-2 label sets asked of the tree with `seed`, as amtool arguments.
pub fn round2_label_args(seed: u64, count: usize) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed ^ 0xF01D);
    (0..count)
        .map(|_| {
            round2_label_set(&mut rng)
                .iter()
                .map(|(k, v)| label_arg(k, v))
                .collect()
        })
        .collect()
}
