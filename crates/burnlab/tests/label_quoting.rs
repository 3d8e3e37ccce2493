//! Every place that writes label values in quotes writes them so that their reader reads back
//! the same labels, whatever the values hold: quotes, backslashes, line breaks, tabs, commas,
//! braces, operators, control characters and text beyond ASCII.
//!
//! Matcher lines and amtool arguments are read back with each of Alertmanager's matcher parsers;
//! label sets as Prometheus and Alertmanager print them with the UTF-8 matcher parser (the one
//! that reads Go's quoting) and PromQL selectors with the replay's PromQL parser.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::generate::{self, ReceiverIntent, ReceiverKind, RoutingIntent};
use burnlab::alertmanager::matchers::{
    self, Labels, MatchOp, Matcher, ParserMode, go_quote, label_set, quote_value,
};
use burnlab::replay::promql::{self, Expr};
use burnlab::replay::{events, plan};
use burnlab::rules::model::RuleFile;
use burnlab::rules::spec::Spec;
use burnlab::yaml::{self, Node};
use burnlab::{Duration, hygiene, tester};
use proptest::prelude::*;

/// Characters that have meant something to one reader or another.
const HOSTILE: &[char] = &[
    'a', 'n', 't', 'x', 'u', '0', ' ', '"', '\\', '\'', '`', '\n', '\t', '\r', ',', '{', '}', '=',
    '~', '!', '|', '.', '*', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', 'é',
    '日', '\u{200b}', '\u{212a}', '😀',
];

fn value() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HOSTILE), 0..10).prop_map(String::from_iter)
}

/// Label names every reader takes, none of them a PromQL keyword.
fn labels() -> impl Strategy<Value = Labels> {
    prop::collection::btree_map("l[a-z0-9_]{0,4}", value(), 1..5)
}

/// The labels a list of equality matchers asks for, or why it is something else.
fn equalities(ms: &[Matcher]) -> Result<Labels, String> {
    ms.iter()
        .map(|m| match m.op() {
            MatchOp::Equal => Ok((m.name().to_owned(), m.value().to_owned())),
            op => Err(format!("{} reads as a {op} matcher", m.name())),
        })
        .collect()
}

/// A label set as Prometheus or Alertmanager prints it, read with the UTF-8 matcher parser.
fn read_label_set(text: &str) -> Labels {
    let ms = matchers::parse_utf8(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    equalities(&ms).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The selector of a PromQL expression that is one, or the first one inside a call or an
/// aggregation.
fn first_selector(e: &Expr) -> Option<&promql::Selector> {
    match e {
        Expr::Selector(s) => Some(s),
        Expr::Call { args, .. } => args.iter().find_map(first_selector),
        Expr::Aggregate { expr, .. } | Expr::Negate { expr, .. } | Expr::Paren(expr) => {
            first_selector(expr)
        }
        Expr::Binary { lhs, rhs, .. } => first_selector(lhs).or_else(|| first_selector(rhs)),
        _ => None,
    }
}

fn read_selector(text: &str) -> (Option<String>, Labels) {
    let e = promql::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    let s = first_selector(&e).unwrap_or_else(|| panic!("{text:?} holds no selector"));
    let labels = equalities(&s.matchers).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    (s.name.clone(), labels)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn matcher_lists_read_back_with_every_matcher_parser(labels in labels()) {
        let ms: Vec<Matcher> = labels
            .iter()
            .map(|(k, v)| Matcher::new(MatchOp::Equal, k.as_str(), v.as_str()).unwrap())
            .collect();
        let text = matchers::render(&ms);
        for mode in [ParserMode::Classic, ParserMode::Utf8, ParserMode::Fallback] {
            let back = matchers::parse(&text, mode).and_then(|ms| equalities(&ms));
            prop_assert_eq!(back.as_ref(), Ok(&labels), "{:?} in {:?} mode", text, mode);
        }
    }

    #[test]
    fn amtool_label_arguments_read_back_as_amtool_and_the_tester_read_them(labels in labels()) {
        let args: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={}", quote_value(v))).collect();
        for (arg, (k, v)) in args.iter().zip(&labels) {
            prop_assert_eq!(matchers::parse_label(arg), Ok((k.clone(), v.clone())), "{:?}", arg);
        }
        let typed = args.join(", ");
        prop_assert_eq!(tester::parse_labels(&typed, "labels").ok(), Some(labels.clone()), "{:?}", typed);
    }

    #[test]
    fn label_sets_read_back_with_the_utf8_parser_and_as_promql(labels in labels()) {
        let text = label_set(&labels);
        prop_assert_eq!(read_label_set(&text), labels.clone());
        prop_assert_eq!(read_selector(&format!("x{text}")), (Some("x".to_owned()), labels.clone()));
        for v in labels.values() {
            let quoted = go_quote(v);
            let back = matchers::parse_utf8(&format!("a={quoted}"));
            prop_assert_eq!(back.ok().and_then(|ms| equalities(&ms).ok()), Some(Labels::from([("a".to_owned(), v.clone())])));
        }
    }

    #[test]
    fn series_and_event_labels_read_back(labels in labels()) {
        let mut series = labels.clone();
        series.insert("__name__".into(), "x".into());
        prop_assert_eq!(read_selector(&plan::series_text(&series)), (Some("x".to_owned()), labels.clone()));
        let mut alert = labels.clone();
        alert.insert("alertname".into(), "A".into());
        prop_assert_eq!(read_label_set(&events::label_text(&alert)), labels);
    }

    #[test]
    fn the_testers_group_labels_and_key_read_back(labels in labels()) {
        let config = Config::parse(
            "route:\n  receiver: d\n  group_by: ['...']\nreceivers: [{name: d}]\n",
            ConfigOptions::default(),
        )
        .unwrap();
        let input = tester::TestInput {
            labels: labels.iter().map(|(k, v)| format!("{k}={}", quote_value(v))).collect::<Vec<_>>().join(", "),
            at: "2024-03-16T12:00".into(),
            ..tester::TestInput::default()
        };
        let answer = tester::answer(&config, &input).unwrap();
        let route = &answer.routes[0];
        prop_assert_eq!(read_label_set(&route.group_labels), labels.clone());
        let key = route.group_key.strip_prefix("{}:").unwrap();
        prop_assert_eq!(read_label_set(key), labels);
    }

    #[test]
    fn hygiene_rows_show_the_alerts_labels(labels in labels()) {
        let rule = Node::map(vec![
            ("alert", Node::str("A")),
            ("expr", Node::str("x > 1")),
            ("labels", Node::map(labels.iter().map(|(k, v)| (k.as_str(), Node::str(v.as_str()))).collect())),
        ]);
        let file = Node::map(vec![(
            "groups",
            Node::seq(vec![Node::map(vec![("name", Node::str("g")), ("rules", Node::seq(vec![rule]))])]),
        )]);
        let file = RuleFile::parse(&yaml::to_string(&file)).unwrap();
        let config = Config::parse("route:\n  receiver: d\nreceivers: [{name: d}]\n", ConfigOptions::default()).unwrap();
        let rows = hygiene::table(&[&file], &config);
        let mut expected = labels;
        expected.insert("alertname".into(), "A".into());
        prop_assert_eq!(read_label_set(&rows[0].labels), expected);
    }

    #[test]
    fn latency_selectors_in_generated_rules_read_back(labels in labels()) {
        let spec = Node::map(vec![
            ("version", Node::str("prometheus/v1")),
            ("service", Node::str("svc")),
            ("slos", Node::seq(vec![Node::map(vec![
                ("name", Node::str("latency")),
                ("objective", Node::str("99")),
                ("sli", Node::map(vec![("latency", Node::map(vec![
                    ("metric", Node::str("m_seconds")),
                    ("le", Node::str("0.2")),
                    ("matchers", Node::map(labels.iter().map(|(k, v)| (k.as_str(), Node::str(v.as_str()))).collect())),
                ]))])),
                ("alerting", Node::map(vec![("name", Node::str("Latency"))])),
            ])])),
        ]);
        let spec = Spec::parse(&yaml::to_string(&spec)).unwrap();
        let query = burnlab::rules::generate::total_query(&spec.slos[0], Duration::from_mins(5)).unwrap();
        prop_assert_eq!(read_selector(&query), (Some("m_seconds_count".to_owned()), labels));
    }

    #[test]
    fn generated_configs_route_and_inhibit_every_severity_as_named(
        severities in prop::collection::btree_set(value(), 2..4),
    ) {
        let severities: Vec<String> = severities.into_iter().collect();
        let intent = RoutingIntent {
            severities: severities
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), ReceiverIntent { name: format!("r{i}"), kind: ReceiverKind::Email }))
                .collect(),
            inhibiting_severity: Some(severities[0].clone()),
            ..RoutingIntent::default()
        };
        let text = generate::alertmanager_yaml(&intent).unwrap();
        for mode in [ParserMode::Classic, ParserMode::Utf8, ParserMode::Fallback] {
            let config = Config::parse(&text, ConfigOptions { matcher_mode: mode }).unwrap();
            for (i, s) in severities.iter().enumerate() {
                let node = &config.route.nodes[config.route.nodes[0].children[i]];
                let want = Labels::from([("severity".to_owned(), s.clone())]);
                prop_assert_eq!(equalities(&node.matchers), Ok(want), "{:?} in {:?} mode", text, mode);
            }
            let rule = &config.inhibit_rules[0];
            let want = Labels::from([("severity".to_owned(), severities[0].clone())]);
            prop_assert_eq!(equalities(&rule.source), Ok(want));
            for s in &severities {
                let alert = Labels::from([("severity".to_owned(), s.clone())]);
                prop_assert_eq!(
                    matchers::matches_all(&rule.target, &alert),
                    s != &severities[0],
                    "{:?} against {:?} in {:?} mode", rule.target, s, mode
                );
            }
        }
    }
}
