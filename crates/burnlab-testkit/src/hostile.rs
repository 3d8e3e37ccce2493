//! Inputs built to crash, hang or exhaust a parser: the worst cases found by probing burnlab as
//! a hostile user would (stack overflows, quadratic and cubic costs, alias bombs), at the
//! smallest sizes that reproduced them, or at 1 MB where the goal is stated for 1 MB. The
//! regression tests feed them to the command line and to the page's parsers, and
//! `cargo xtask bounds` measures each one's time and memory against the goal of
//! [`burnlab::limits`]: any input of up to 1 MB answered in about a second and 256 MB.
//!
//! Pure text builders: nothing here reads or runs anything.

/// What a hostile input is, so each front knows how to feed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Prometheus rule file (`burnlab lint`).
    RuleFile,
    /// An Alertmanager config (`burnlab check --lint`).
    AlertmanagerConfig,
    /// A Sloth or OpenSLO spec (`burnlab rules`).
    Spec,
}

/// One hostile input.
#[derive(Debug, Clone)]
pub struct Case {
    /// A short name: `abs-nested-66000`.
    pub name: &'static str,
    /// What it broke before it was bounded.
    pub was: &'static str,
    /// How to feed it.
    pub kind: Kind,
    /// The input.
    pub text: String,
}

/// A rule file with one recording rule whose expression is `expr`, written as a literal block
/// so that no character of it needs quoting.
pub fn rule_file(expr: &str) -> String {
    format!(
        "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: |\n          {expr}\n"
    )
}

/// A rule file with `n` recording rules, each with the expression `expr`.
pub fn many_rules(expr: &str, n: usize) -> String {
    let mut s = String::from("groups:\n  - name: g\n    rules:\n");
    for i in 0..n {
        s.push_str(&format!(
            "      - record: r{i}\n        expr: |\n          {expr}\n"
        ));
    }
    s
}

/// `f(` nested `depth` deep around `x`.
pub fn nested(f: &str, depth: usize) -> String {
    let mut s = String::with_capacity(depth * (f.len() + 2) + 1);
    for _ in 0..depth {
        s.push_str(f);
        s.push('(');
    }
    s.push('x');
    s.push_str(&")".repeat(depth));
    s
}

/// `x OP x OP …` with `n` operators.
pub fn chain(op: &str, n: usize) -> String {
    vec!["x"; n + 1].join(op)
}

/// An Alertmanager config whose root route has `n` sibling child routes.
pub fn sibling_routes(n: usize) -> String {
    let mut s = String::from("route:\n  receiver: r\n  routes:\n");
    for i in 0..n {
        s.push_str(&format!(
            "    - receiver: r\n      matchers: ['team=\"t{i}\"', 'severity=\"page\"']\n"
        ));
    }
    s.push_str("receivers:\n  - name: r\n");
    s
}

/// A YAML mapping (under an Alertmanager config's `global`) with `n` distinct keys.
pub fn many_keys(n: usize) -> String {
    let mut s = String::from("global:\n");
    for i in 0..n {
        s.push_str(&format!("  k{i}: v\n"));
    }
    s.push_str("route:\n  receiver: r\nreceivers:\n  - name: r\n");
    s
}

/// The alias bomb: a 1,000-byte string, aliased ten times per level over six levels, a
/// million copies in all, from about 1.4 KB of text.
pub fn alias_bomb() -> String {
    let mut s = format!("a0: &a0 \"{}\"\n", "x".repeat(1000));
    for level in 1..=6 {
        let prev = level - 1;
        s.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![format!("*a{prev}"); 10].join(",")
        ));
    }
    s.push_str("route:\n  receiver: r\nreceivers:\n  - name: r\n");
    s
}

/// Every case, in the order.
pub fn cases() -> Vec<Case> {
    let rule = |name, was, expr: String| Case {
        name,
        was,
        kind: Kind::RuleFile,
        text: rule_file(&expr),
    };
    vec![
        rule(
            "abs-nested-66000",
            "stack overflow in promql-parser (330 KB)",
            nested("abs", 66_000),
        ),
        rule(
            "power-chain-22000",
            "stack overflow in promql-parser (88 KB)",
            chain("^", 22_000),
        ),
        rule(
            "plus-chain-30000",
            "stack overflow in promql-parser",
            chain("+", 30_000),
        ),
        rule(
            "parens-nested-1mb",
            "stack overflow dropping promql-parser's tree (1 MB)",
            nested("", 524_000),
        ),
        rule(
            "and-chain-3000",
            "25 s in the lint, about n³ (18 KB)",
            chain(" and ", 3_000),
        ),
        rule(
            "sum-nested-20000",
            "over 10 s in promql-parser",
            nested("sum", 20_000),
        ),
        rule(
            "unary-minus-120000",
            "over 10 s in promql-parser",
            format!("{}x", "-".repeat(120_000)),
        ),
        rule(
            "gt-chain-38000",
            "over 10 s in promql-parser",
            chain(" > ", 38_000),
        ),
        Case {
            name: "and-chains-1mb",
            was: "a file of expressions each within the bounds, slow together (1 MB)",
            kind: Kind::RuleFile,
            text: many_rules(&chain(" and ", 250), 660),
        },
        Case {
            name: "yaml-keys-77000",
            was: "42 s in yaml::parse, quadratic key comparison (760 KB)",
            kind: Kind::AlertmanagerConfig,
            text: many_keys(77_000),
        },
        Case {
            name: "routes-14000",
            was: "seconds in check --lint, pairwise route comparison (10,000: 1.5–2.3 s) (1 MB)",
            kind: Kind::AlertmanagerConfig,
            text: sibling_routes(14_000),
        },
        Case {
            name: "routes-27000",
            was: "minutes in check --lint (2.2 MB)",
            kind: Kind::AlertmanagerConfig,
            text: sibling_routes(27_000),
        },
        Case {
            name: "alias-bomb",
            was: "2.3 GB expanded from 1.4 KB before it was refused",
            kind: Kind::AlertmanagerConfig,
            text: alias_bomb(),
        },
        Case {
            name: "spec-query-nested",
            was: "a spec query nested past the bounds (generated rules the lint cannot read)",
            kind: Kind::Spec,
            text: format!(
                "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99.9\n    sli:\n      events:\n        error_query: {}\n        total_query: sum(rate(x[{{{{.window}}}}]))\n    alerting:\n      name: A\n",
                nested("abs", 60_000).replace('x', "rate(x[{{.window}}])")
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cases_have_the_sizes_of_the_findings() {
        let size = |name: &str| {
            cases()
                .into_iter()
                .find(|c| c.name == name)
                .map(|c| c.text.len())
                .unwrap_or(0)
        };
        assert!((330_000..340_000).contains(&size("abs-nested-66000")));
        assert!((1_000_000..1_100_000).contains(&size("parens-nested-1mb")));
        assert!((1_000_000..1_100_000).contains(&size("and-chains-1mb")));
        assert!((700_000..1_100_000).contains(&size("yaml-keys-77000")));
        assert!(size("alias-bomb") < 1_500);
        assert!((1_800_000..2_400_000).contains(&size("routes-27000")));
    }

    #[test]
    fn the_alias_bomb_copies_a_million_strings_of_a_thousand_bytes() {
        let text = alias_bomb();
        assert!(text.contains("a6: &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]"));
        assert_eq!(text.matches('&').count(), 7);
    }
}
