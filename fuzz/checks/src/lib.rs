//! What every fuzz target checks, one function per target, on stable Rust so that the committed
//! corpora can be replayed by `cargo test` without libFuzzer. Each function takes the raw bytes
//! the fuzzer made, feeds them to one of burnlab's parsers or entry points, and returns an
//! error naming the property that broke:
//! - no panic (a panic in a check is a finding too: libFuzzer reports it);
//! - a round trip where one applies: render, then parse, gives the same value;
//! - the core's own promises: generated rules and configs are valid, located errors have a
//!   location.
//!
//! Bounded time and memory are checked by libFuzzer's `-timeout` and `-rss_limit_mb`, which
//! `cargo xtask fuzz` sets, and on large inputs by [`scale`].

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::matchers::{self, Labels, ParserMode};
use burnlab::yaml::{self, Node, Value};

pub mod scale;

/// The result of a check: `Err` names the broken property.
pub type Checked = Result<(), String>;

/// A check: the fuzzer's bytes in, the broken property out.
pub type Check = fn(&[u8]) -> Checked;

/// Every target, by name, with its check: the fuzz targets, the corpus replay test and the
/// scale search all go through this list.
pub const TARGETS: &[(&str, Check)] = &[
    ("yaml", yaml),
    ("am_config", am_config),
    ("matchers", matchers),
    ("duration", duration),
    ("time_intervals", time_intervals),
    ("sloth_spec", spec),
    ("openslo_spec", spec),
    ("rules_lint", rules_lint),
    ("promql", promql),
    ("budget", budget),
    ("gotemplate", gotemplate),
    ("intent", intent),
    ("tester", tester),
    ("heavy", heavy),
    ("replay_scenario", replay_scenario),
];

/// The check of the target `name`.
pub fn check(name: &str, data: &[u8]) -> Checked {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, f)) => f(data),
        None => Err(format!("no fuzz target named {name}")),
    }
}

/// Fuzz input as text: invalid UTF-8 is cut at its first bad byte, so every input exercises the
/// parser (the files' UTF-8 check is `limits::utf8`, tested on its own).
fn text(data: &[u8]) -> &str {
    match std::str::from_utf8(data) {
        Ok(t) => t,
        Err(e) => {
            std::str::from_utf8(data.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
        }
    }
}

/// A core error must carry a location when it is about a place in a file.
fn located(e: &burnlab::Error, what: &str) -> Checked {
    match e.location {
        Some((line, column)) if line == 0 || column == 0 => Err(format!(
            "{what}: an error located at line {line}, column {column} (1-based): {e}"
        )),
        _ => Ok(()),
    }
}

/// Two trees mean the same: the same shape and texts, null where the other is null, and a
/// scalar's plain-ness kept wherever it changes the meaning (`yes`, `10`, `~` quoted or not).
fn same_meaning(a: &Node, b: &Node) -> bool {
    let mut todo = vec![(a, b)];
    while let Some((a, b)) = todo.pop() {
        match (&a.value, &b.value) {
            (
                Value::Scalar {
                    text: ta,
                    plain: pa,
                },
                Value::Scalar {
                    text: tb,
                    plain: pb,
                },
            ) => {
                if ta != tb || a.is_null() != b.is_null() {
                    return false;
                }
                // Quoted text that reads the same plain may come back plain.
                let special = |t: &str| {
                    matches!(
                        t.to_ascii_lowercase().as_str(),
                        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
                    ) || t.parse::<f64>().is_ok()
                };
                if pa != pb && special(ta) {
                    return false;
                }
            }
            (Value::Seq(x), Value::Seq(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                todo.extend(x.iter().zip(y));
            }
            (Value::Map(x), Value::Map(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for ((ka, va), (kb, vb)) in x.iter().zip(y) {
                    todo.push((ka, kb));
                    todo.push((va, vb));
                }
            }
            _ => return false,
        }
    }
    true
}

/// Whether every mapping key in the tree is a scalar: the writer is for configs and rule files,
/// whose keys always are, and writes other keys as empty strings.
fn scalar_keys(node: &Node) -> bool {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        match &n.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => {
                for (k, v) in entries {
                    if k.scalar().is_none() {
                        return false;
                    }
                    todo.push(v);
                }
            }
        }
    }
    true
}

/// YAML: parse; a tree with scalar keys written back (both styles) reads as the same tree.
pub fn yaml(data: &[u8]) -> Checked {
    let source = text(data);
    let node = match yaml::parse(source, "yaml") {
        Ok(Some(node)) => node,
        Ok(None) => return Ok(()),
        Err(e) => return located(&e, "yaml"),
    };
    // A document that is only a null (`&a`, `~`) means what an empty one does: nothing, which
    // is how the writer writes it.
    if !scalar_keys(&node) || node.is_null() {
        return Ok(());
    }
    for style in [
        yaml::Style::default(),
        yaml::Style {
            literal_blocks: true,
        },
    ] {
        let written = yaml::to_string_with(&node, style);
        match yaml::parse(&written, "yaml") {
            Ok(Some(back)) if same_meaning(&node, &back) => {}
            other => {
                return Err(format!(
                    "yaml round trip ({style:?}): {source:?} was written as {written:?}, which reads as {:?}",
                    other.map(|n| n.map(|n| yaml::to_string(&n)))
                ));
            }
        }
    }
    Ok(())
}

/// Alertmanager config, in one matcher mode chosen by the input's length (so each mode gets
/// its share without tripling the cost of every input): read, then route, render, lint, test
/// and write back; the config written back reads as the same config. Redaction never fails
/// on what reads.
pub fn am_config(data: &[u8]) -> Checked {
    let source = text(data);
    let modes = [ParserMode::Classic, ParserMode::Utf8, ParserMode::Fallback];
    let mode = modes.get(data.len() % 3).copied().unwrap_or_default();
    {
        let options = ConfigOptions { matcher_mode: mode };
        let config = match Config::parse(source, options) {
            Ok(c) => c,
            Err(e) => return located(&e, "config"),
        };
        let labels: Labels = [("alertname", "A"), ("severity", "page"), ("slo", "x")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let _ = config.route.render();
        let _ = config.route.render_matched(&labels);
        let _ = config.route.receivers_line(&labels);
        let _ = burnlab::alertmanager::lint::lint(&config);
        let answer = burnlab::tester::answer(
            &config,
            &burnlab::tester::TestInput {
                labels: "alertname=A, severity=page".into(),
                firing: vec!["alertname=B, severity=page".into()],
                silences: Vec::new(),
                at: "2024-03-16T12:00".into(),
            },
        );
        if let Err(e) = answer {
            located(&e, "tester")?;
        }
        let written = config.to_yaml();
        match Config::parse(&written, options) {
            Ok(back) if back.route.render() == config.route.render() => {}
            other => {
                return Err(format!(
                    "config round trip in {mode:?} mode: {source:?} was written as {written:?}, which reads as {:?}",
                    other.map(|c| c.route.render())
                ));
            }
        }
        if burnlab::alertmanager::generate::redact(source).is_err() {
            return Err(format!("redact failed on a config that reads: {source:?}"));
        }
    }
    Ok(())
}

/// Matchers in each mode; what parses renders to text that parses back to the same matchers.
pub fn matchers(data: &[u8]) -> Checked {
    let source = text(data);
    for mode in [ParserMode::Classic, ParserMode::Utf8, ParserMode::Fallback] {
        let Ok(ms) = matchers::parse(source, mode) else {
            continue;
        };
        let labels: Labels = [("a", "x"), ("severity", "page")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let _ = matchers::matches_all(&ms, &labels);
        let rendered = matchers::render(&ms);
        // Rendering writes the UTF-8 syntax; the classic parser reads only classic names.
        let back_mode = match mode {
            ParserMode::Classic => ParserMode::Fallback,
            m => m,
        };
        match matchers::parse(&rendered, back_mode) {
            Ok(back) if back == ms => {}
            other => {
                return Err(format!(
                    "matchers round trip in {mode:?} mode: {source:?} rendered as {rendered:?}, which reads as {other:?}"
                ));
            }
        }
    }
    let _ = matchers::parse_label(source);
    Ok(())
}

/// Durations: what parses renders to text that parses back to the same duration.
pub fn duration(data: &[u8]) -> Checked {
    let source = text(data);
    let Ok(d) = burnlab::Duration::parse(source, "duration") else {
        return Ok(());
    };
    let rendered = d.to_string();
    match burnlab::Duration::parse(&rendered, "duration") {
        Ok(back) if back == d => Ok(()),
        other => Err(format!(
            "duration round trip: {source:?} rendered as {rendered:?}, which reads as {other:?}"
        )),
    }
}

/// Time intervals (a `time_intervals:` list as YAML): read, then asked about instants across
/// the range jiff handles.
pub fn time_intervals(data: &[u8]) -> Checked {
    use burnlab::alertmanager::timeinterval::TimeIntervalSet;
    let source = text(data);
    let Ok(Some(node)) = yaml::parse(source, "time_intervals") else {
        return Ok(());
    };
    match TimeIntervalSet::from_node(&node, "time_intervals") {
        Ok(set) => {
            for at in [
                0,
                1_710_590_400,
                -62_135_596_800,
                253_402_300_799,
                i64::MIN,
                i64::MAX,
            ] {
                let _ = set.contains(at);
            }
            Ok(())
        }
        Err(e) => located(&e, "time_intervals"),
    }
}

/// Sloth and OpenSLO specs: what reads generates rules in both formats that read back as rule
/// files and that the linter finds no broken expression or template in.
pub fn spec(data: &[u8]) -> Checked {
    use burnlab::rules::{Format, Grouping, Options, RuleFile, Spec};
    let source = text(data);
    let spec = match Spec::parse(source) {
        Ok(s) => s,
        Err(e) => return located(&e, "spec"),
    };
    for grouping in [Grouping::PerTier, Grouping::BySeverity] {
        let options = Options {
            grouping,
            naive_threshold: grouping == Grouping::BySeverity,
        };
        let _ = burnlab::rules::runbook::runbooks(&spec, options);
        for format in [Format::Rules, Format::PrometheusRule] {
            let out = burnlab::rules::generate::render(&spec, options, format);
            if let Err(e) = RuleFile::parse(&out) {
                return Err(format!(
                    "generated rules do not read back ({e}):\n{out}\nfrom the spec {source:?}"
                ));
            }
            let broken: Vec<String> = burnlab::rules::lint::lint_files(&[("rules", &out)])
                .into_iter()
                .filter(|f| {
                    matches!(
                        f.check,
                        "invalid-expr" | "invalid-file" | "invalid-template" | "not-linted"
                    )
                })
                .map(|f| f.to_string())
                .collect();
            if !broken.is_empty() {
                return Err(format!(
                    "generated rules are broken: {broken:?}\n{out}\nfrom the spec {source:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Rule files: lint, and a file that reads is written back to one that reads the same.
pub fn rules_lint(data: &[u8]) -> Checked {
    use burnlab::rules::RuleFile;
    let source = text(data);
    let _ = burnlab::rules::lint::lint_files(&[("a.yaml", source), ("b.yaml", source)]);
    let file = match RuleFile::parse(source) {
        Ok(f) => f,
        Err(e) => return located(&e, "rule file"),
    };
    let written = file.to_yaml();
    let strip = |f: &RuleFile| {
        let mut f = f.clone();
        for g in &mut f.groups {
            g.line = 0;
            for r in &mut g.rules {
                r.line = 0;
                r.expr_at = (0, 0);
            }
        }
        f
    };
    match RuleFile::parse(&written) {
        Ok(back) if strip(&back) == strip(&file) => Ok(()),
        other => Err(format!(
            "rule file round trip: {source:?} was written as {written:?}, which reads as {other:?}"
        )),
    }
}

/// One PromQL expression, linted inside an alerting and a recording rule (the text is written
/// into the rule file by the YAML writer, so any text reaches the PromQL parser as it is).
pub fn promql(data: &[u8]) -> Checked {
    let expr = text(data);
    let rule = |kind: &str| {
        let mut fields = vec![(kind, Node::str("job:x:rate5m")), ("expr", Node::str(expr))];
        if kind == "alert" {
            fields.push(("for", Node::plain("5m")));
        }
        Node::map(vec![(
            "groups",
            Node::seq(vec![Node::map(vec![
                ("name", Node::str("g")),
                ("rules", Node::seq(vec![Node::map(fields)])),
            ])]),
        )])
    };
    if expr.trim().is_empty() {
        // A rule without an expression is the rule file's error, tested with the rule files.
        return Ok(());
    }
    for kind in ["alert", "record"] {
        let file = yaml::to_string(&rule(kind));
        let findings = burnlab::rules::lint::lint_files(&[("rules.yaml", &file)]);
        if let Some(f) = findings.iter().find(|f| f.check == "invalid-file") {
            return Err(format!("the expression {expr:?} broke its rule file: {f}"));
        }
    }
    let _ = burnlab::limits::check_promql(expr);
    Ok(())
}

/// The budget calculator's inputs, one per line: objective, period, error ratio, request rate,
/// tier set, scaling. What parses is computed; an objective or period renders to text that
/// parses back to the same value.
pub fn budget(data: &[u8]) -> Checked {
    use burnlab::{
        BudgetInput, BudgetReport, ErrorRatio, Objective, Period, Preset, RequestRate, Scaling,
    };
    let source = text(data);
    let mut lines = source.split('\n');
    let mut next = || lines.next().unwrap_or_default();
    let (objective, period, errors, rate, tiers, scaling) =
        (next(), next(), next(), next(), next(), next());
    let objective = Objective::parse(objective);
    if let Ok(o) = objective {
        let rendered = burnlab::format::decimal(o.percent());
        match Objective::parse(&rendered) {
            Ok(back) if back.budget_ratio() == o.budget_ratio() => {}
            other => {
                return Err(format!(
                    "objective round trip: {o:?} rendered as {rendered:?}, which reads as {other:?}"
                ));
            }
        }
    }
    let period = Period::parse(period);
    if let Ok(p) = period {
        let rendered = p.duration().to_string();
        if Period::parse(&rendered).ok() != Some(p) {
            return Err(format!("period round trip: {p:?} rendered as {rendered:?}"));
        }
    }
    let input = BudgetInput {
        objective: objective.unwrap_or(Objective::THREE_NINES),
        period: period.unwrap_or(Period::DAYS_30),
        errors: ErrorRatio::parse(errors).unwrap_or(ErrorRatio::ZERO),
        requests: RequestRate::parse(rate).ok(),
        tiers: Preset::parse(tiers).unwrap_or(Preset::Workbook).tier_set(),
        scaling: Scaling::parse(scaling).ok(),
    };
    if let Ok(report) = BudgetReport::compute(&input) {
        let _ = report.burn_rate_text();
        let _ = report.time_to_exhaustion_text();
        for t in &report.tiers {
            let _ = (t.detection_text(), t.reset_text());
        }
    }
    Ok(())
}

/// Go templates, as Alertmanager template files and as promtool's annotation templates.
pub fn gotemplate(data: &[u8]) -> Checked {
    let source = text(data);
    let _ = burnlab::gotemplate::parse_alertmanager("t.tmpl", source);
    if let Err(e) = burnlab::gotemplate::parse_prometheus("A", source)
        && (e.token_line == 0 || e.token_column == 0)
    {
        return Err(format!("a template error without a place: {e:?}"));
    }
    Ok(())
}

/// The config generator's form, one field per line (routes as `severity=kind:name`, comma
/// separated): what it accepts generates a config that Alertmanager's rules accept.
pub fn intent(data: &[u8]) -> Checked {
    use burnlab::intent::IntentForm;
    let source = text(data);
    let mut lines = source.split('\n');
    let mut next = || lines.next().unwrap_or_default().to_owned();
    let mut form = IntentForm::default();
    let routes = next();
    if !routes.is_empty() {
        form.routes = routes
            .split(',')
            .filter_map(|r| burnlab::intent::parse_route_arg(r).ok())
            .collect();
    }
    form.fallback_kind = next();
    form.fallback = next();
    form.group_by = next();
    form.group_wait = next();
    form.group_interval = next();
    form.repeat_interval = next();
    form.severity_label = next();
    form.slo_label = next();
    form.inhibit = next();
    let Ok(intent) = form.to_intent() else {
        return Ok(());
    };
    let Ok(text) = burnlab::alertmanager::generate::alertmanager_yaml(&intent) else {
        return Ok(());
    };
    for mode in [ParserMode::Classic, ParserMode::Fallback] {
        if let Err(e) = Config::parse(&text, ConfigOptions { matcher_mode: mode }) {
            return Err(format!(
                "a generated config is refused in {mode:?} mode ({e}):\n{text}\nfrom {form:?}"
            ));
        }
    }
    Ok(())
}

/// The label tester's inputs, one per line (labels, firing alerts separated by `;`, a silence
/// as `matchers;starts;ends`, the instant), against a config with a time interval and an
/// inhibit rule.
pub fn tester(data: &[u8]) -> Checked {
    const CONFIG: &str = "route:\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: ['severity=\"page\"']\n      mute_time_intervals: [night]\nreceivers: [{name: a}, {name: b}]\ninhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_matchers: ['severity=\"ticket\"']\n    equal: [slo]\ntime_intervals:\n  - name: night\n    time_intervals: [{times: [{start_time: '22:00', end_time: '24:00'}], location: Europe/Paris}]\n";
    // Read once: the same text every input, and reading it took most of each input's time.
    static PARSED: std::sync::OnceLock<Option<Config>> = std::sync::OnceLock::new();
    let Some(config) = PARSED.get_or_init(|| Config::parse(CONFIG, ConfigOptions::default()).ok())
    else {
        return Err("the tester's config does not read".into());
    };
    let source = text(data);
    let mut lines = source.split('\n');
    let mut next = || lines.next().unwrap_or_default().to_owned();
    let labels = next();
    let firing: Vec<String> = next().split(';').map(str::to_owned).collect();
    let silence = next();
    let mut parts = silence.split(';');
    let mut part = || parts.next().unwrap_or_default().to_owned();
    let silences = vec![burnlab::tester::SilenceText {
        matchers: part(),
        starts: part(),
        ends: part(),
    }];
    let at = next();
    let _ = burnlab::tester::parse_labels(&labels, "labels");
    if let Ok(t) = burnlab::tester::parse_instant(&at, "at") {
        let _ = burnlab::tester::format_instant(t);
    }
    let input = burnlab::tester::TestInput {
        labels,
        firing,
        silences,
        at,
    };
    let _ = burnlab::tester::answer(config, &input);
    Ok(())
}

/// The heavy-core worker's protocol: raw bytes decoded as a request (a message from another
/// build must be an error, never a panic), and text carried in each kind of request, encoded,
/// decoded and answered by a session as the worker does. Every decodable request is a real one:
/// the messages that stop the worker on purpose for the page's crash test are strings handled
/// in `burnlab-worker` itself, outside this protocol, so no input here can reach them.
pub fn heavy(data: &[u8]) -> Checked {
    use burnlab::alertmanager::matchers::ParserMode;
    use burnlab_protocol::routing::RoutingRequest;
    use burnlab_protocol::rules::{RulesInput, RulesRequest};
    use burnlab_protocol::views::SloView;
    use burnlab_protocol::{Request, Response, Session, decode, encode};
    if let Ok(request) = decode::<Request>(data) {
        let _ = Session::new().answer(request);
    }
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    let source = text(rest).to_owned();
    let request = match selector % 4 {
        0 => Request::Rules {
            seq: 1,
            request: RulesRequest {
                input: RulesInput::Spec {
                    text: source,
                    slo: None,
                },
                prometheus_rule: selector & 4 != 0,
            },
        },
        1 => Request::Rules {
            seq: 1,
            request: RulesRequest {
                input: RulesInput::File {
                    text: source,
                    form: Box::default(),
                    slo: SloView::new(
                        burnlab::Objective::from_percent(99.9).map_err(|e| e.to_string())?,
                        burnlab::Period::DAYS_30,
                        &burnlab::tiers::Preset::Workbook.tier_set(),
                    ),
                },
                prometheus_rule: false,
            },
        },
        mode => Request::Routing {
            seq: 1,
            request: Box::new(RoutingRequest {
                config: source,
                mode: if mode == 2 {
                    ParserMode::Classic
                } else {
                    ParserMode::Fallback
                },
                test: burnlab::tester::TestInput {
                    labels: "alertname=A, severity=page".into(),
                    firing: Vec::new(),
                    silences: Vec::new(),
                    at: "2024-03-16T12:00".into(),
                },
                rules: None,
                intent: burnlab::intent::IntentForm::default(),
            }),
        },
    };
    let bytes = encode(&request);
    let decoded = decode::<Request>(&bytes)
        .map_err(|e| format!("a request does not decode after encoding: {e}"))?;
    if decoded != request {
        return Err("a request changed through encode and decode".into());
    }
    let response = Session::new().answer(decoded);
    match decode::<Response>(&encode(&response)) {
        Ok(back) if back == response => Ok(()),
        other => Err(format!(
            "a response changed through encode and decode: {other:?}"
        )),
    }
}

/// Scenarios for the replay: what reads is written back (`to_yaml`) to a scenario that reads
/// the same, and a short one replays the lesson's SLO to an answer.
pub fn replay_scenario(data: &[u8]) -> Checked {
    use burnlab::replay::scenario::Scenario;
    use std::sync::{Mutex, OnceLock};
    // Small enough that a replay takes milliseconds even in the fuzzer's instrumented build.
    const MAX_REPLAYED_EVALUATIONS: i64 = 20_000;
    static REPLAY: OnceLock<Option<Mutex<burnlab::replay::Replay>>> = OnceLock::new();
    let source = text(data);
    let scenario = match Scenario::parse(source) {
        Ok(s) => s,
        Err(e) => return located(&e, "scenario"),
    };
    let strip = |mut s: Scenario| {
        for i in &mut s.incidents {
            i.line = 0;
        }
        s
    };
    let written = scenario.to_yaml();
    match Scenario::parse(&written) {
        Ok(back) if strip(back.clone()) == strip(scenario.clone()) => {}
        Ok(back) => {
            return Err(format!(
                "a scenario changed when written and read back:\n{scenario:?}\n{back:?}\nwritten as {written:?}"
            ));
        }
        Err(e) => {
            return Err(format!(
                "a scenario that reads is written as one that does not ({e}): {written:?}"
            ));
        }
    }
    let step = scenario.evaluation_interval.as_millis().max(1) as i64;
    if scenario.duration_ms() / step > MAX_REPLAYED_EVALUATIONS {
        return Ok(());
    }
    let replay = REPLAY.get_or_init(|| {
        let spec = burnlab::rules::Spec::parse(LESSON_SPEC).ok()?;
        burnlab::replay::Replay::compile(
            &spec,
            None,
            None,
            None,
            &burnlab::replay::Options::default(),
        )
        .ok()
        .map(Mutex::new)
    });
    let Some(replay) = replay else {
        return Err("the lesson's spec does not compile to a replay".into());
    };
    let mut replay = replay.lock().map_err(|_| "the replay's lock is poisoned")?;
    match replay.run(&scenario) {
        Ok(_) => Ok(()),
        Err(e) => located(&e, "replay"),
    }
}

/// The SLO the scenario target replays.
const LESSON_SPEC: &str = include_str!("../../../tests/fixtures/specs/task-api.yaml");
