//! Seeded generators of random route trees, label sets and (valid and broken) configs, for the
//! oracle tests against amtool, the fixture regeneration and the benchmark. Pure and
//! deterministic: the same seed always gives the same case, so a failing seed can be kept as a
//! regression case.

use crate::alertmanager::config::IntegrationKind;
use crate::alertmanager::matchers::{Labels, quote_value};
use crate::yaml::{self, Node};

/// A small, fast, seedable generator (SplitMix64); quality is ample for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice (the first when empty cannot happen here).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }
}

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

/// A random, often malformed matcher text for fuzzing the parsers: an operator prefix and a
/// run of characters the classic parser and Go's regex syntax treat specially.
pub fn fuzz_matcher_text(rng: &mut Rng) -> String {
    const PLAIN: &[&str] = &[
        "a", "b", "=", "!", "~", "\"", "\\", ",", "{", "}", " ", "é", "x", ".", "*", "_", ":", "0",
        "\t", "n",
    ];
    const REGEX: &[&str] = &[
        "a", "(", ")", "[", "]", "|", "?", "+", "*", "{", "}", "1", "2", ",", "^", "$", "\\", "d",
        "w", "s", "Q", "E", "x", "-", ":", "\\p", "\\P", "{L}", "{Greek}", "{^N}", "L", "(?i)",
        "(?i:", "k", "\u{212A}", "\u{17F}", "é", "Σ",
    ];
    let regex = rng.chance(50);
    let prefix = if regex {
        rng.pick(&["a=~\"", "a!~\"", "a=~"])
    } else {
        rng.pick(&["a=", "a=~", "a!=", "a!~", "{a=", "", "a=\"", "b = "])
    };
    let alphabet = if regex { REGEX } else { PLAIN };
    let mut text = prefix.to_owned();
    for _ in 0..1 + rng.below(10) {
        text.push_str(rng.pick(alphabet));
    }
    text
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

/// The kinds of fault [`broken_config`] can introduce, by name.
pub const FAULTS: &[&str] = &[
    "none",
    "undefined receiver",
    "duplicate receiver",
    "root with matchers",
    "continue on root",
    "invalid regex in matchers",
    "invalid label name in match",
    "wildcard group_by with labels",
    "duplicated group_by label",
    "zero group_interval",
    "zero repeat_interval",
    "unknown route field",
    "YAML syntax error",
    "bad duration",
    "webhook without url",
    "webhook url without scheme",
    "email without to",
    "email without smarthost",
    "slack without api url",
    "pagerduty without key",
    "undefined time interval",
    "valid time interval",
    "bad weekday",
    "duplicate time interval",
    "invalid equal label",
    "invalid inhibit regex",
    "receiver without name",
    "root without receiver",
    "no route",
    "unescaped quote in matcher",
    "valid inhibit rule",
    "repeat shorter than group interval",
    "valid time zone",
    "unknown time zone",
    "inverted times",
    "scalar group_by",
    "continue yes",
    "quoted continue",
    "empty matchers item",
    "numeric receiver name",
    "null routes",
    "duplicate key",
    "tab indentation",
    "unknown integration field",
    "slack with global url",
    "email with global smarthost",
    "opsgenie without key",
    "victorops with global key",
    "unknown integration kind",
    "webhook with max_alerts",
    "global unknown field",
    "resolve timeout",
    "templates",
    "invalid group_by label",
    "match_re bad regex",
    "interval month 13",
    "interval month 0",
    "interval uppercase weekday",
    "interval year range backwards",
    "interval negative day range",
    "interval day 32",
    "interval end 24:00",
    "interval start 24:00",
    "interval missing end",
    "interval weekday number",
    "interval month names range",
    "interval three-part range",
    "interval unknown field",
];

/// A config built from a random tree with the named fault (one of [`FAULTS`]) introduced.
pub fn broken_config(seed: u64, fault: &str) -> String {
    let base = route_tree_config(seed, 2);
    let webhook = "  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:9/hook\n";
    let add_route = |extra: &str| {
        base.replacen(
            "route:\n",
            &format!("route:\n  routes:\n    - receiver: r1\n{extra}"),
            1,
        )
    };
    // When the base tree already has `routes`, a second key would be a duplicate: put the
    // extra route under a fresh key by renaming the base one.
    let with_route = |extra: &str| {
        let b = base.replacen("\n  routes:\n", "\n  routes_unused_marker:\n", 1);
        let b = if b.contains("routes_unused_marker") {
            b.replacen("  routes_unused_marker:\n", "  routes:\n", 1)
        } else {
            b
        };
        if b.contains("\n  routes:\n") {
            b.replacen(
                "\n  routes:\n",
                &format!("\n  routes:\n    - receiver: r1\n{extra}"),
                1,
            )
        } else {
            add_route(extra)
        }
    };
    match fault {
        "undefined receiver" => with_route("      routes:\n        - receiver: nobody\n"),
        "duplicate receiver" => format!("{base}  - name: r2\n"),
        "root with matchers" => base.replacen("route:\n", "route:\n  matchers: ['a=\"b\"']\n", 1),
        "continue on root" => base.replacen("route:\n", "route:\n  continue: true\n", 1),
        "invalid regex in matchers" => with_route("      matchers: ['a=~\"(\"']\n"),
        "invalid label name in match" => with_route("      match: {\"1bad\": x}\n"),
        "wildcard group_by with labels" => with_route("      group_by: ['...', alertname]\n"),
        "duplicated group_by label" => with_route("      group_by: [a, a]\n"),
        "zero group_interval" => with_route("      group_interval: 0s\n"),
        "zero repeat_interval" => with_route("      repeat_interval: 0\n"),
        "unknown route field" => with_route("      recevier: r1\n"),
        "YAML syntax error" => base.replacen("receivers:", "receivers: [", 1),
        "bad duration" => with_route("      group_wait: 5x\n"),
        "webhook without url" => {
            format!("{base}  - name: hook\n    webhook_configs:\n      - send_resolved: false\n")
        }
        "webhook url without scheme" => {
            format!("{base}  - name: hook\n    webhook_configs:\n      - url: example.com/hook\n")
        }
        "email without to" => format!(
            "{base}  - name: mail\n    email_configs:\n      - smarthost: 'mail:25'\n        from: a@b.c\n"
        ),
        "email without smarthost" => format!(
            "{base}  - name: mail\n    email_configs:\n      - to: x@y.z\n        from: a@b.c\n"
        ),
        "slack without api url" => {
            format!("{base}  - name: chat\n    slack_configs:\n      - channel: '#x'\n")
        }
        "pagerduty without key" => {
            format!("{base}  - name: pd\n    pagerduty_configs:\n      - severity: critical\n")
        }
        "undefined time interval" => with_route("      mute_time_intervals: [night]\n"),
        "valid time interval" => format!(
            "{}time_intervals:\n  - name: night\n    time_intervals:\n      - times: [{{start_time: '00:00', end_time: '06:00'}}]\n        weekdays: ['monday:friday']\n",
            with_route("      mute_time_intervals: [night]\n")
        ),
        "bad weekday" => format!(
            "{base}time_intervals:\n  - name: w\n    time_intervals:\n      - weekdays: [funday]\n"
        ),
        "duplicate time interval" => format!(
            "{base}time_intervals:\n  - name: w\n    time_intervals: []\nmute_time_intervals:\n  - name: w\n    time_intervals: []\n"
        ),
        "invalid equal label" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_matchers: ['severity=\"ticket\"']\n    equal: ['bad-label']\n"
        ),
        "invalid inhibit regex" => format!(
            "{base}inhibit_rules:\n  - source_match_re: {{severity: '(page'}}\n    target_match: {{severity: ticket}}\n"
        ),
        "valid inhibit rule" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_match_re: {{severity: 'ticket|info'}}\n    equal: [slo, service]\n"
        ),
        "receiver without name" => format!("{base}  - webhook_configs:\n      - url: http://x/\n"),
        "root without receiver" => {
            let b = base.replacen("route:\n  receiver: ", "route:\n  x_receiver: ", 1);
            b.replacen("  x_receiver: ", "  group_by: [", 1).replacen(
                "group_by: [r",
                "group_wait: 1s\n  # r",
                1,
            )
        }
        "no route" => format!("receivers:\n{webhook}"),
        "unescaped quote in matcher" => with_route("      matchers: ['a=\"x\"y\"']\n"),
        "valid time zone" | "unknown time zone" | "inverted times" => {
            let (location, times) = match fault {
                "valid time zone" => ("Europe/Berlin", "'09:00', end_time: '17:00'"),
                "unknown time zone" => ("Europe/Berln", "'09:00', end_time: '17:00'"),
                _ => ("UTC", "'17:00', end_time: '09:00'"),
            };
            format!(
                "{}time_intervals:\n  - name: office\n    time_intervals:\n      - times: [{{start_time: {times}}}]\n        location: {location}\n",
                with_route("      active_time_intervals: [office]\n")
            )
        }
        "scalar group_by" => with_route("      group_by: alertname\n"),
        "continue yes" => with_route("      continue: yes\n"),
        "quoted continue" => with_route("      continue: 'true'\n"),
        "empty matchers item" => with_route("      matchers: ['']\n"),
        "numeric receiver name" => {
            format!("{base}  - name: 42\n").replace("receiver: r1\n", "receiver: 42\n")
        }
        "null routes" => with_route("      routes:\n"),
        "duplicate key" => with_route("      group_wait: 1s\n      group_wait: 2s\n"),
        "tab indentation" => with_route("\t  group_wait: 1s\n"),
        "unknown integration field" => format!(
            "{base}  - name: hook\n    webhook_configs:\n      - url: http://h/\n        urll: x\n"
        ),
        "slack with global url" => format!(
            "global:\n  slack_api_url: https://hooks.slack.com/x\n{base}  - name: chat\n    slack_configs:\n      - channel: '#x'\n"
        ),
        "email with global smarthost" => format!(
            "global:\n  smtp_smarthost: 'mail:25'\n  smtp_from: a@b.c\n{base}  - name: mail\n    email_configs:\n      - to: x@y.z\n"
        ),
        "opsgenie without key" => {
            format!("{base}  - name: og\n    opsgenie_configs:\n      - message: hi\n")
        }
        "victorops with global key" => format!(
            "global:\n  victorops_api_key: k\n{base}  - name: vo\n    victorops_configs:\n      - routing_key: r\n"
        ),
        "unknown integration kind" => {
            format!("{base}  - name: x\n    teams_configs:\n      - url: http://h/\n")
        }
        "webhook with max_alerts" => format!(
            "{base}  - name: hook\n    webhook_configs:\n      - url: https://h/x\n        max_alerts: 5\n        send_resolved: false\n"
        ),
        "global unknown field" => format!("global:\n  resolve_timeot: 5m\n{base}"),
        "resolve timeout" => format!("global:\n  resolve_timeout: 1h30m\n{base}"),
        "templates" => format!("templates: []\n{base}"),
        "invalid group_by label" => with_route("      group_by: ['bad-label']\n"),
        "match_re bad regex" => with_route("      match_re: {a: 'x{2}{3}'}\n"),
        f if f.starts_with("interval ") => {
            let body = match f {
                "interval month 13" => "months: ['13']",
                "interval month 0" => "months: ['0']",
                "interval uppercase weekday" => "weekdays: ['MONDAY:Friday']",
                "interval year range backwards" => "years: ['2030:2020']",
                "interval negative day range" => "days_of_month: ['-7:-1', '1:3']",
                "interval day 32" => "days_of_month: ['32']",
                "interval end 24:00" => "times: [{start_time: '23:00', end_time: '24:00'}]",
                "interval start 24:00" => "times: [{start_time: '24:00', end_time: '24:00'}]",
                "interval missing end" => "times: [{start_time: '01:00'}]",
                "interval weekday number" => "weekdays: ['1']",
                "interval month names range" => "months: ['january:march', 'December']",
                "interval three-part range" => "months: ['1:2:3']",
                _ => "dayz: ['1']",
            };
            format!(
                "{}time_intervals:\n  - name: t\n    time_intervals:\n      - {body}\n",
                with_route("      mute_time_intervals: [t]\n")
            )
        }
        "repeat shorter than group interval" => {
            with_route("      repeat_interval: 1m\n      group_interval: 5m\n")
        }
        _ => base,
    }
}

// ---- round 2: Unicode regexes, case folding, yaml.v2 features, every integration ----

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
fn scalar(text: &str) -> String {
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

/// A config to check, with the template files it names (path relative to the config, text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCase {
    /// alertmanager.yml.
    pub yaml: String,
    /// Template files beside it.
    pub files: Vec<(String, String)>,
}

/// A receiver family of the round-2 check: one integration list in a receiver named `extra`,
/// and the fields its integrations leave to `global`, with the values written there. Valid and
/// invalid variants of every integration kind of Alertmanager 0.25, and a list it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiverFamily {
    /// The family's name (`receiver: NAME` in [`round2_families`]).
    pub name: &'static str,
    /// The kind of the integration list.
    pub kind: FamilyKind,
    /// The list's items, in flow style: `[{api_key: k, routing_key: r}]`.
    pub configs: &'static str,
    /// Fields of the kind that `global` fills in, with the values given there; the setting's
    /// name is the kind's ([`IntegrationKind::global_setting`]).
    pub from_global: &'static [(&'static str, &'static str)],
}

/// The list a [`ReceiverFamily`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyKind {
    /// An integration kind of Alertmanager 0.25.
    Known(IntegrationKind),
    /// A kind that Alertmanager 0.25 refuses, by its YAML name (`msteams`, from 0.26).
    Refused(&'static str),
}

impl ReceiverFamily {
    /// The receiver's entry: `victorops_configs: [{api_key: k}]`.
    pub fn receiver(&self) -> String {
        let key = match self.kind {
            FamilyKind::Known(kind) => kind.list_key(),
            FamilyKind::Refused(name) => format!("{name}_configs"),
        };
        format!("{key}: {}", self.configs)
    }

    /// The lines of the `global:` block the family needs (empty for none), each setting named
    /// as the kind's table names it.
    pub fn global(&self) -> String {
        self.from_global
            .iter()
            .map(|(field, value)| {
                let setting = match self.kind {
                    FamilyKind::Known(kind) => kind.global_setting(field),
                    FamilyKind::Refused(_) => None,
                };
                // A field no setting fills in is written under its own name, which
                // Alertmanager refuses; a test keeps every family clear of it.
                format!("  {}: {value}\n", setting.unwrap_or(field))
            })
            .collect()
    }

    /// The same family, with fields left to `global`.
    const fn with_global(self, from_global: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            from_global,
            ..self
        }
    }
}

/// A family without globals.
const fn family(name: &'static str, kind: FamilyKind, configs: &'static str) -> ReceiverFamily {
    ReceiverFamily {
        name,
        kind,
        configs,
        from_global: &[],
    }
}

use FamilyKind::{Known, Refused};
use IntegrationKind::*;

/// Receivers for the check families.
pub const RECEIVER_FAMILIES: &[ReceiverFamily] = &[
    family(
        "victorops without routing_key",
        Known(VictorOps),
        "[{api_key: k}]",
    ),
    family(
        "victorops",
        Known(VictorOps),
        "[{api_key: k, routing_key: r}]",
    ),
    family(
        "victorops reserved custom field",
        Known(VictorOps),
        "[{api_key: k, routing_key: r, custom_fields: {entity_id: x}}]",
    ),
    family(
        "victorops key and key file",
        Known(VictorOps),
        "[{api_key: k, api_key_file: /f, routing_key: r}]",
    ),
    family("pushover without user_key", Known(Pushover), "[{token: t}]"),
    family("pushover without token", Known(Pushover), "[{user_key: u}]"),
    family(
        "pushover",
        Known(Pushover),
        "[{token: t, user_key: u, retry: 1m30s, expire: 2h}]",
    ),
    family(
        "pushover bad retry",
        Known(Pushover),
        "[{token: t, user_key: u, retry: 5x}]",
    ),
    family(
        "telegram without chat_id",
        Known(Telegram),
        "[{bot_token: t}]",
    ),
    family(
        "telegram",
        Known(Telegram),
        "[{bot_token: t, chat_id: -1001234}]",
    ),
    family(
        "telegram quoted chat_id",
        Known(Telegram),
        "[{bot_token: t, chat_id: '12'}]",
    ),
    family(
        "telegram bad parse_mode",
        Known(Telegram),
        "[{bot_token: t, chat_id: 12, parse_mode: md}]",
    ),
    family(
        "telegram without bot_token",
        Known(Telegram),
        "[{chat_id: 12}]",
    ),
    family(
        "webex without room_id",
        Known(Webex),
        "[{http_config: {authorization: {credentials: x}}}]",
    ),
    family(
        "webex without authorization",
        Known(Webex),
        "[{room_id: r}]",
    ),
    family(
        "webex",
        Known(Webex),
        "[{room_id: r, http_config: {authorization: {credentials: x}}}]",
    ),
    family(
        "webex with bearer token",
        Known(Webex),
        "[{room_id: r, http_config: {bearer_token: x}}]",
    ),
    family(
        "discord without webhook_url",
        Known(Discord),
        "[{title: x}]",
    ),
    family(
        "discord",
        Known(Discord),
        "[{webhook_url: 'https://discord.example/x'}]",
    ),
    family(
        "discord bad url",
        Known(Discord),
        "[{webhook_url: 'discord.example/x'}]",
    ),
    family("sns without target", Known(Sns), "[{subject: s}]"),
    family("sns with topic", Known(Sns), "[{topic_arn: a}]"),
    family(
        "sns with two targets",
        Known(Sns),
        "[{topic_arn: a, phone_number: p}]",
    ),
    family(
        "sns with three targets",
        Known(Sns),
        "[{topic_arn: a, phone_number: p, target_arn: t}]",
    ),
    family(
        "sns sigv4 half credentials",
        Known(Sns),
        "[{topic_arn: a, sigv4: {access_key: k}}]",
    ),
    family(
        "sns sigv4",
        Known(Sns),
        "[{topic_arn: a, sigv4: {region: eu-west-1, access_key: k, secret_key: s}}]",
    ),
    family("wechat without api_secret", Known(WeChat), "[{corp_id: c}]"),
    family("wechat", Known(WeChat), "[{corp_id: c, api_secret: s}]"),
    family("wechat with global secret", Known(WeChat), "[{to_user: u}]")
        .with_global(&[("api_secret", "s"), ("corp_id", "c")]),
    family("wechat without corp_id", Known(WeChat), "[{api_secret: s}]"),
    family(
        "wechat bad message_type",
        Known(WeChat),
        "[{corp_id: c, api_secret: s, message_type: html}]",
    ),
    family(
        "opsgenie responder robot",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: robot}]}]",
    ),
    family(
        "opsgenie responder Team",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: Team}]}]",
    ),
    family(
        "opsgenie responder without name",
        Known(OpsGenie),
        "[{api_key: k, responders: [{type: team}]}]",
    ),
    family(
        "opsgenie responder template",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: '{{ .x }}'}]}]",
    ),
    family(
        "opsgenie responder bad template",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: '{{ .x '}]}]",
    ),
    family(
        "opsgenie key and key file",
        Known(OpsGenie),
        "[{api_key: k, api_key_file: /f}]",
    ),
    family(
        "slack url and url file",
        Known(Slack),
        "[{api_url: 'https://s.example/x', api_url_file: /f}]",
    ),
    family(
        "slack action without name or url",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t}]}]",
    ),
    family(
        "slack action confirm without text",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t, name: n, confirm: {title: x}}]}]",
    ),
    family(
        "slack action",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t, url: 'https://x/'}]}]",
    ),
    family(
        "slack field without value",
        Known(Slack),
        "[{api_url: 'https://s.example/x', fields: [{title: t}]}]",
    ),
    family(
        "slack field",
        Known(Slack),
        "[{api_url: 'https://s.example/x', fields: [{title: t, value: v, short: yes}]}]",
    ),
    family(
        "basic auth with bearer token",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {basic_auth: {username: u}, bearer_token: t}}]",
    ),
    family(
        "bearer token and file",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {bearer_token: t, bearer_token_file: /f}}]",
    ),
    family(
        "authorization basic",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {authorization: {type: Basic, credentials: x}}}]",
    ),
    family(
        "oauth2 without secret",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {oauth2: {client_id: a, token_url: 'http://t/'}}}]",
    ),
    family(
        "oauth2",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {oauth2: {client_id: a, client_secret: b, token_url: 'http://t/'}}}]",
    ),
    family(
        "basic auth password and file",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {basic_auth: {username: u, password: p, password_file: /f}}}]",
    ),
    family(
        "proxy header without proxy",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {proxy_connect_header: {a: [b]}}}]",
    ),
    family(
        "unknown tls version",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {min_version: TLS9}}}]",
    ),
    family(
        "insecure_skip_verify maybe",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {insecure_skip_verify: maybe}}}]",
    ),
    family(
        "insecure_skip_verify on",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {insecure_skip_verify: on}}}]",
    ),
    family(
        "http_config unknown field",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {no_proxy: x}}]",
    ),
    family("webhook url_file", Known(Webhook), "[{url_file: /f}]"),
    family(
        "webhook negative max_alerts",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', max_alerts: -1}]",
    ),
    family(
        "email smarthost without port",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: mail}]",
    ),
    family(
        "email smarthost empty port",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'mail:'}]",
    ),
    family(
        "email smarthost too many colons",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'a:b:25'}]",
    ),
    family(
        "email smarthost ipv6",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: '[::1]:25'}]",
    ),
    family(
        "email duplicate header",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'm:25', headers: {subject: x, Subject: y}}]",
    ),
    family(
        "email global smarthost without port",
        Known(Email),
        "[{to: a@b.c}]",
    )
    .with_global(&[("smarthost", "mail"), ("from", "a@b.c")]),
    family(
        "pagerduty image unknown field",
        Known(PagerDuty),
        "[{routing_key: r, images: [{src: s, foo: 1}]}]",
    ),
    family(
        "pagerduty links",
        Known(PagerDuty),
        "[{routing_key: r, links: [{href: 'https://x/', text: t}]}]",
    ),
    family(
        "msteams",
        Refused("msteams"),
        "[{webhook_url: 'https://t.example/x'}]",
    ),
];

/// The other round-2 check families: YAML as yaml.v2 reads it, regexes, templates and the
/// matchers only the fallback parser reads. Each is a route snippet (under a child route), a
/// top-level addition, or a whole-config transformation, applied by [`round2_check_config`].
pub const CHECK_FAMILIES: &[&str] = &[
    "merge into route",
    "merge list into route",
    "merge of a scalar",
    "merge of a list of scalars",
    "merge into receiver",
    "two merge keys",
    "quoted merge key",
    "tab after receiver",
    "tab after dash",
    "tab on blank line",
    "tab before comment",
    "tab in flow mapping",
    "tab indentation",
    "second document",
    "broken second document",
    "yes boolean",
    "on boolean",
    "maybe boolean",
    "tilde group_by",
    "null receiver name",
    "root empty matcher set",
    "root empty matcher set and a matcher",
    "match_re null",
    "match_re empty",
    "inhibit match_re null",
    "unknown unicode class",
    "unclosed unicode class",
    "unicode class in match_re",
    "unicode class in inhibit rule",
    "case folding in matchers",
    "leading space before brace",
    "quoted label name",
    "template glob syntax error",
    "template glob without matches",
    "template unclosed action",
    "template unknown function",
    "template undefined variable",
    "template valid",
    "template stray end",
    "template in subfolder",
];

/// A config for check-config: a random base tree with one receiver family (`"receiver: NAME"`,
/// from [`RECEIVER_FAMILIES`]) or one of [`CHECK_FAMILIES`].
pub fn round2_check_config(seed: u64, family: &str) -> CheckCase {
    let base = route_tree_config(seed, 1);
    let mut files = Vec::new();
    // A new first child of the root route: `snippet` adds its fields (six spaces in) or
    // further siblings (`    - `).
    let routed = |snippet: &str| {
        if base.contains("\n  routes:\n") {
            base.replacen(
                "\n  routes:\n",
                &format!("\n  routes:\n    - receiver: r1\n{snippet}"),
                1,
            )
        } else {
            base.replacen(
                "route:\n",
                &format!("route:\n  routes:\n    - receiver: r1\n{snippet}"),
                1,
            )
        }
    };
    if let Some(name) = family.strip_prefix("receiver: ")
        && let Some(receivers) = RECEIVER_FAMILIES.iter().find(|f| f.name == name)
    {
        let mut yaml = String::new();
        let global = receivers.global();
        if !global.is_empty() {
            yaml.push_str("global:\n");
            yaml.push_str(&global);
        }
        yaml.push_str(&base);
        yaml.push_str(&format!("  - name: extra\n    {}\n", receivers.receiver()));
        return CheckCase { yaml, files };
    }
    let template = |files: &mut Vec<(String, String)>, path: &str, text: &str| {
        files.push((path.to_owned(), text.to_owned()));
    };
    let yaml = match family {
        "merge into route" => routed(
            "      group_wait: 10s\n    - <<: {receiver: r2, matchers: ['team=\"a\"']}\n      continue: true\n",
        ),
        "merge list into route" => routed(
            "      group_wait: 10s\n    - <<: [{receiver: r2}, {receiver: r3, matchers: ['x=\"1\"']}]\n",
        ),
        "merge of a scalar" => routed("    - <<: r2\n"),
        "merge of a list of scalars" => routed("    - <<: [r2]\n"),
        "merge into receiver" => format!(
            "{base}  - &hook\n    name: hook\n    webhook_configs: [{{url: 'http://127.0.0.1:9/'}}]\n  - <<: *hook\n    name: hook2\n"
        ),
        "two merge keys" => routed("    - <<: {receiver: r2}\n      <<: {matchers: ['a=\"1\"']}\n"),
        "quoted merge key" => routed("    - '<<': {receiver: r2}\n"),
        "tab after receiver" => routed("    - receiver:\tr2\n"),
        "tab after dash" => routed("    -\treceiver: r2\n"),
        "tab on blank line" => routed("      continue: true\n\t\n"),
        "tab before comment" => routed("      continue: true\t# note\n"),
        "tab in flow mapping" => routed("    - {receiver:\tr2}\n"),
        "tab indentation" => routed("\t  group_wait: 1s\n"),
        "second document" => format!("{base}---\nroute: {{receiver: nobody}}\n"),
        "broken second document" => format!("{base}---\nroute: [\n"),
        "yes boolean" => routed("      continue: yes\n"),
        "on boolean" => routed("      continue: On\n"),
        "maybe boolean" => routed("      continue: maybe\n"),
        "tilde group_by" => routed("      group_by: ~\n"),
        "null receiver name" => format!("{base}  - name: ~\n"),
        "root empty matcher set" => base.replacen("route:\n", "route:\n  matchers: ['{}']\n", 1),
        "root empty matcher set and a matcher" => {
            base.replacen("route:\n", "route:\n  matchers: ['{}', 'a=\"b\"']\n", 1)
        }
        "match_re null" => routed("      match_re: {severity: ~}\n"),
        "match_re empty" => routed("      match_re: {severity: ''}\n"),
        "inhibit match_re null" => format!(
            "{base}inhibit_rules:\n  - source_match_re: {{severity: }}\n    target_match: {{severity: ticket}}\n"
        ),
        "unknown unicode class" => routed("      matchers: ['team=~\"\\\\p{Klingon}\"']\n"),
        "unclosed unicode class" => routed("      match_re: {team: '\\p{Greek'}\n"),
        "unicode class in match_re" => routed("      match_re: {team: '\\p{Greek}+|\\pN'}\n"),
        "unicode class in inhibit rule" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['team=~\"\\\\p{{Han}}+\"']\n    target_match_re: {{team: '(?i)k\\PL*'}}\n    equal: [slo]\n"
        ),
        "case folding in matchers" => routed("      matchers: ['team=~\"(?i)[k-s]ſ\"']\n"),
        "leading space before brace" => routed("      matchers: [' {team=\"a\"}']\n"),
        "quoted label name" => routed("      matchers: ['\"service name\"=\"x\"']\n"),
        f if f.starts_with("template ") => {
            let (glob, path, text) = match f {
                "template glob syntax error" => ("tmpl/[.tmpl", "", ""),
                "template glob without matches" => ("none/*.tmpl", "", ""),
                "template unclosed action" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}\n{{ .Status\n",
                ),
                "template unknown function" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ .Status | humanize }}{{ end }}",
                ),
                "template undefined variable" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ $x }}{{ end }}",
                ),
                "template valid" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ range .Alerts }}{{ .Labels.alertname | toUpper }}{{ end }}{{ end }}",
                ),
                "template stray end" => ("tmpl/*.tmpl", "tmpl/a.tmpl", "x {{ end }}"),
                _ => (
                    "tmpl/sub/*.tmpl",
                    "tmpl/sub/b.tmpl",
                    "{{ template \"a\" . }",
                ),
            };
            if !path.is_empty() {
                template(&mut files, path, text);
            }
            format!("templates: [{}]\n{base}", scalar(glob))
        }
        _ => base,
    };
    CheckCase { yaml, files }
}

/// Every round-2 check family: the receiver families (as `receiver: NAME`) and
/// [`CHECK_FAMILIES`].
pub fn round2_families() -> Vec<String> {
    RECEIVER_FAMILIES
        .iter()
        .map(|f| format!("receiver: {}", f.name))
        .chain(CHECK_FAMILIES.iter().map(|f| (*f).to_owned()))
        .collect()
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

/// FNV-1a of a text: the fixtures keep it instead of the generated config, to notice when the
/// generator no longer makes what was recorded.
pub fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A random, often malformed Go template for fuzzing the template parser: actions, keywords,
/// pipelines, variables, strings, comments and trim markers in random order.
pub fn fuzz_template_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        "{{ ",
        " }}",
        " ",
        ".",
        ".Labels",
        ".a.b",
        "$",
        "$x",
        "$x := ",
        " = ",
        " | ",
        "(",
        ")",
        "\"s\"",
        "`r`",
        "'c'",
        "if ",
        "else ",
        "else if ",
        "end",
        "range ",
        "with ",
        "define \"t\"",
        "block \"b\" .",
        "template \"t\"",
        "toUpper",
        "humanize",
        "printf \"%s\"",
        "len",
        "/* c */",
        "/*",
        "*/",
        "\n",
        "x",
        "1",
        "-1",
        "0x",
        "1e3",
        "nil",
        "true",
        "break",
        "continue",
        ",",
        "é",
        "\"",
        "{",
        "}",
        "$y",
        "index . 0",
        "eq .a 1",
        "and",
        "not",
        ":",
        "3.",
        "0b101",
        "\\",
    ];
    let mut text = String::new();
    for _ in 0..1 + rng.below(14) {
        text.push_str(rng.pick(PIECES));
    }
    text
}

/// The fingerprint of a check case: its config and its template files.
pub fn check_fingerprint(case: &CheckCase) -> u64 {
    let mut text = case.yaml.clone();
    for (path, body) in &case.files {
        text.push_str(&format!("\n--- {path}\n{body}"));
    }
    fingerprint(&text)
}

/// The combined fingerprint of a family's check cases, in order.
pub fn family_fingerprint(cases: &[CheckCase]) -> u64 {
    let all: String = cases
        .iter()
        .map(|c| format!("{:016x}", check_fingerprint(c)))
        .collect();
    fingerprint(&all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::{Config, ConfigOptions};
    use crate::alertmanager::matchers::ParserMode;

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
    fn every_field_a_family_leaves_to_global_has_a_setting_of_its_kind() {
        for f in RECEIVER_FAMILIES {
            for (field, _) in f.from_global {
                let setting = match f.kind {
                    FamilyKind::Known(kind) => kind.global_setting(field),
                    FamilyKind::Refused(_) => None,
                };
                assert!(setting.is_some(), "{}: {field}", f.name);
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_tree() {
        assert_eq!(route_tree_config(7, 3), route_tree_config(7, 3));
        assert_ne!(route_tree_config(7, 3), route_tree_config(8, 3));
    }
}
