//! burnlab's generated rules against the real promtool (2.42).
//!
//! - every golden rule file under tests/fixtures/rules/ passes `promtool check rules` (for a
//!   PrometheusRule manifest, its `spec` written to a rule file of its own);
//! - `promtool test rules` on synthetic counters shows the Workbook tiers of a 99.9 % SLO behave
//!   as the Workbook says: a 2 % error ratio pages within the predicted detection time plus one
//!   evaluation interval and `for`; a 30-second spike pages nothing; 0.2 % for three days opens
//!   a ticket and never pages; a healthy week fires nothing.
//!
//! These tests need /usr/bin/promtool and fail (never skip) without it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use burnlab::rules::generate::{self, Options};
use burnlab::rules::{RuleFile, RuleKind, Spec};
use burnlab::slo::{ErrorBudget, ErrorRatio};
use burnlab::tiers::Severity;
use burnlab::yaml::{self, Node};
use burnlab::{Duration, TierQuality};
use burnlab_testkit::fixtures::{fixture, fixture_path};

const PROMTOOL: &str = "/usr/bin/promtool";

fn require_promtool() {
    assert!(
        Path::new(PROMTOOL).exists(),
        "{PROMTOOL} is missing: the oracle tests need the real promtool; run `cargo xtask setup`"
    );
}

/// A file under the temp dir with a name no other test (or test run) uses, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(stem: &str, text: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "burnlab-promtool-{}-{n}-{stem}.yaml",
            std::process::id()
        ));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs promtool; returns whether it succeeded and everything it printed.
fn promtool(args: &[&str]) -> (bool, String) {
    require_promtool();
    let out = Command::new(PROMTOOL)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running {PROMTOOL}: {e}"));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The rule-file text of a golden output: the file itself, or a manifest's `spec`.
fn rule_text(text: &str, name: &str) -> String {
    let root = yaml::parse(text, name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .unwrap_or_else(|| panic!("{name} is empty"));
    match root.get("spec") {
        Some(spec) => yaml::to_string(spec),
        None => text.to_owned(),
    }
}

#[test]
fn every_golden_rule_file_passes_promtool_check_rules() {
    let dir = fixture_path("rules");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "expected the golden files, found {names:?}"
    );
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let file = TempFile::new("check", &rule_text(&text, name));
        let path = file.0.to_string_lossy().into_owned();
        let (ok, out) = promtool(&["check", "rules", &path]);
        if !ok || !out.contains("SUCCESS") {
            failures.push(format!("{name}:\n{out}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Workbook spec the semantics tests run on, and its rules.
fn workbook() -> (Spec, RuleFile) {
    let text = fixture("specs/workbook-999.yaml");
    let spec = Spec::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let rules = generate::generate(&spec, Options::default());
    (spec, rules)
}

fn pairs(map: &[(String, String)]) -> Node {
    Node::map(
        map.iter()
            .map(|(k, v)| (k.as_str(), Node::str(v.clone())))
            .collect(),
    )
}

/// An expected alert: what promtool should see firing for `alertname`, labels and annotations
/// taken from the generated rule and the recording its expression's left side reads.
fn expected_alert(rules: &RuleFile, alertname: &str) -> Node {
    expected_alert_of(rules, alertname, None)
}

/// [`expected_alert`] for the alert of `alertname` with `severity`, when several share a name
/// (the grouped layout).
fn expected_alert_of(rules: &RuleFile, alertname: &str, severity: Option<Severity>) -> Node {
    let all: Vec<_> = rules.groups.iter().flat_map(|g| &g.rules).collect();
    let alert = all
        .iter()
        .find(|r| {
            r.alert_name() == Some(alertname)
                && severity.is_none_or(|s| r.label("severity") == Some(s.as_str()))
        })
        .unwrap_or_else(|| panic!("no alert {alertname}"));
    let recording = all
        .iter()
        .find(|r| matches!(&r.kind, Some(RuleKind::Record(n)) if alert.expr.contains(n.as_str())))
        .unwrap_or_else(|| panic!("no recording for {alertname}"));
    let mut labels = recording.labels.clone();
    for (k, v) in &alert.labels {
        labels.retain(|(l, _)| l != k);
        labels.push((k.clone(), v.clone()));
    }
    Node::map(vec![
        ("exp_labels", pairs(&labels)),
        ("exp_annotations", pairs(&alert.annotations)),
    ])
}

/// One `alert_rule_test` entry: at `minute`, `alertname` fires exactly `expected`.
fn at(minute: u64, alertname: &str, expected: Vec<Node>) -> Node {
    Node::map(vec![
        ("eval_time", Node::plain(format!("{minute}m"))),
        ("alertname", Node::str(alertname)),
        ("exp_alerts", Node::seq(expected)),
    ])
}

/// Runs `promtool test rules` on the workbook rules, evaluated every `every` minutes, with two
/// series, `ok` and `errors` (the values in promtool's expanding notation at `interval`), and the
/// given checks. Multi-day cases evaluate every 5 minutes to keep the run short; the deadline
/// they check allows for that interval.
fn check(name: &str, every: u64, interval: &str, ok: &str, errors: &str, checks: Vec<Node>) {
    check_rules(&workbook().1, name, every, interval, ok, errors, checks);
}

/// [`check`] on the given rules.
fn check_rules(
    rules: &RuleFile,
    name: &str,
    every: u64,
    interval: &str,
    ok: &str,
    errors: &str,
    checks: Vec<Node>,
) {
    let rule_file = TempFile::new("rules", &rules.to_yaml());
    let test = Node::map(vec![
        (
            "rule_files",
            Node::seq(vec![Node::str(rule_file.0.to_string_lossy().into_owned())]),
        ),
        ("evaluation_interval", Node::plain(format!("{every}m"))),
        (
            "tests",
            Node::seq(vec![Node::map(vec![
                ("name", Node::str(name)),
                ("interval", Node::plain(interval)),
                (
                    "input_series",
                    Node::seq(vec![
                        Node::map(vec![
                            ("series", Node::str("http_requests_total{code=\"200\"}")),
                            ("values", Node::str(ok)),
                        ]),
                        Node::map(vec![
                            ("series", Node::str("http_requests_total{code=\"500\"}")),
                            ("values", Node::str(errors)),
                        ]),
                    ]),
                ),
                ("alert_rule_test", Node::seq(checks)),
            ])]),
        ),
    ]);
    let test_file = TempFile::new("test", &yaml::to_string(&test));
    let path = test_file.0.to_string_lossy().into_owned();
    let (passed, out) = promtool(&["test", "rules", &path]);
    assert!(passed, "{name}: promtool test rules failed:\n{out}");
}

/// The alert names of the generated rules with a severity.
fn alertnames(rules: &RuleFile, severity: Severity) -> Vec<String> {
    rules
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter(|r| r.label("severity") == Some(severity.as_str()))
        .filter_map(|r| r.alert_name().map(str::to_owned))
        .collect()
}

/// Checks that none of `names` fires at any of `minutes`.
fn silent(names: &[String], minutes: impl Iterator<Item = u64> + Clone) -> Vec<Node> {
    names
        .iter()
        .flat_map(|n| minutes.clone().map(move |m| at(m, n, Vec::new())))
        .collect()
}

#[test]
fn two_percent_errors_page_within_the_workbook_detection_time_plus_one_interval() {
    let (spec, rules) = workbook();
    let slo = &spec.slos[0];
    let tier = slo.tiers[0];
    let errors = ErrorRatio::new(0.02).unwrap_or_else(|e| panic!("{e}"));
    let quality = TierQuality::new(&tier, ErrorBudget::new(slo.objective, slo.period), errors);
    let detection = quality
        .detection_seconds
        .unwrap_or_else(|| panic!("never fires"));
    assert_eq!(
        detection, 2592.0,
        "43.2 minutes, as the Workbook's formula says"
    );
    // Three healthy hours, then two hours at 2 %: 100 requests a minute, 2 of them failing.
    let start = 180;
    let interval = 60.0;
    let for_seconds = tier.for_duration().map_or(0.0, Duration::as_secs_f64);
    let deadline = start + ((detection + interval + for_seconds) / 60.0).floor() as u64;
    let name = generate::tier_alert_name(slo, &tier);
    check(
        "2 % errors for 2 hours",
        1,
        "1m",
        &format!("0+100x{start} {}+98x119", start * 100 + 98),
        &format!("0x{start} 2+2x119"),
        vec![
            at(start + 30, &name, Vec::new()),
            // Not before the formula says: at 43 minutes the 1h ratio is 86/6000 < 0.0144.
            at(start + (detection / 60.0).floor() as u64, &name, Vec::new()),
            at(deadline, &name, vec![expected_alert(&rules, &name)]),
        ],
    );
}

#[test]
fn a_thirty_second_full_outage_pages_nothing() {
    let (_, rules) = workbook();
    // Samples every 15 s, 100 requests a minute: six healthy hours, 30 s where every request
    // fails, then two healthy hours.
    let healthy = 6 * 60 * 4;
    check(
        "30 s spike",
        1,
        "15s",
        &format!(
            "0+25x{healthy} {0} {0} {1}+25x480",
            healthy * 25,
            healthy * 25 + 25
        ),
        &format!("0x{healthy} 25 50x481"),
        silent(&alertnames(&rules, Severity::Page), (0..=8 * 60).step_by(5)),
    );
}

#[test]
fn two_tenths_of_a_percent_for_three_days_opens_a_ticket_and_never_pages() {
    let (spec, rules) = workbook();
    let slo = &spec.slos[0];
    let ticket = slo.tiers[2];
    assert_eq!(ticket.severity(), Severity::Ticket);
    let errors = ErrorRatio::new(0.002).unwrap_or_else(|e| panic!("{e}"));
    let quality = TierQuality::new(&ticket, ErrorBudget::new(slo.objective, slo.period), errors);
    let detection = quality
        .detection_seconds
        .unwrap_or_else(|| panic!("never fires"));
    assert_eq!(detection, 1.5 * 86_400.0);
    // Three healthy days, then three days at 0.2 %: 1000 requests a minute, 2 failing.
    let start = 3 * 1440;
    // Evaluated every 5 minutes: the first evaluation at or after detection + one interval.
    let deadline = start + ((detection + 300.0) / 300.0).floor() as u64 * 5;
    let name = generate::tier_alert_name(slo, &ticket);
    let mut checks = vec![
        at(start + 1440, &name, Vec::new()),
        at(deadline, &name, vec![expected_alert(&rules, &name)]),
        at(start + 3 * 1440, &name, vec![expected_alert(&rules, &name)]),
    ];
    checks.extend(silent(
        &alertnames(&rules, Severity::Page),
        (0..=6 * 1440).step_by(60),
    ));
    check(
        "0.2 % for 3 days",
        5,
        "1m",
        &format!("0+1000x{start} {}+998x{}", start * 1000 + 998, 3 * 1440 - 1),
        &format!("0x{start} 2+2x{}", 3 * 1440 - 1),
        checks,
    );
}

#[test]
fn a_healthy_week_at_five_hundredths_of_a_percent_fires_nothing() {
    let (_, rules) = workbook();
    let mut names = alertnames(&rules, Severity::Page);
    names.extend(alertnames(&rules, Severity::Ticket));
    let week = 7 * 1440;
    check(
        "healthy week",
        5,
        "1m",
        &format!("0+1999x{week}"),
        &format!("0+1x{week}"),
        silent(&names, (0..=week).step_by(120)),
    );
}

#[test]
fn the_latency_sli_counts_requests_slower_than_the_threshold_bucket_as_errors() {
    // 100 requests a minute, 97 of them under the 0.2 s bucket: 3 % are too slow.
    let spec = Spec::parse(&fixture("specs/task-api.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let rules = generate::generate(&spec, Options::default());
    let rule_file = TempFile::new("latency-rules", &rules.to_yaml());
    let slo = spec
        .slos
        .iter()
        .find(|s| s.name == "latency")
        .unwrap_or_else(|| panic!("no latency SLO"));
    let labels = generate::recording_labels(&spec, slo);
    let series =
        |s: &str, v: &str| Node::map(vec![("series", Node::str(s)), ("values", Node::str(v))]);
    let test = Node::map(vec![
        (
            "rule_files",
            Node::seq(vec![Node::str(rule_file.0.to_string_lossy().into_owned())]),
        ),
        ("evaluation_interval", Node::plain("1m")),
        (
            "tests",
            Node::seq(vec![Node::map(vec![
                ("interval", Node::plain("1m")),
                (
                    "input_series",
                    Node::seq(vec![
                        series(
                            "task_api_request_duration_seconds_count{job=\"task-api\"}",
                            "0+100x60",
                        ),
                        series(
                            "task_api_request_duration_seconds_bucket{job=\"task-api\",le=\"0.2\"}",
                            "0+97x60",
                        ),
                        series(
                            "task_api_request_duration_seconds_bucket{job=\"task-api\",le=\"+Inf\"}",
                            "0+100x60",
                        ),
                    ]),
                ),
                (
                    "promql_expr_test",
                    Node::seq(vec![Node::map(vec![
                        (
                            // Rounded to basis points: promtool compares floats exactly.
                            "expr",
                            Node::str(format!(
                                "round(slo:sli_error:ratio_rate5m{} * 10000)",
                                generate::selector(slo)
                            )),
                        ),
                        ("eval_time", Node::plain("30m")),
                        (
                            "exp_samples",
                            Node::seq(vec![Node::map(vec![
                                (
                                    "labels",
                                    Node::str(format!(
                                        "{{{}}}",
                                        labels
                                            .iter()
                                            .map(|(k, v)| format!("{k}=\"{v}\""))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    )),
                                ),
                                ("value", Node::plain("300")),
                            ])]),
                        ),
                    ])]),
                ),
            ])]),
        ),
    ]);
    let test_file = TempFile::new("latency-test", &yaml::to_string(&test));
    let path = test_file.0.to_string_lossy().into_owned();
    let (passed, out) = promtool(&["test", "rules", &path]);
    assert!(passed, "promtool test rules failed:\n{out}");
}

#[test]
fn grouped_by_severity_the_same_incident_pages_at_the_same_time() {
    let (spec, _) = workbook();
    let rules = generate::generate(
        &spec,
        Options {
            grouping: generate::Grouping::BySeverity,
            naive_threshold: false,
        },
    );
    let name = &spec.slos[0].alert_name;
    // The same 2 % incident as above: the page at 224 minutes, not at 223. With only three
    // hours of history the 3d/6h ticket has fired too by then (0.39 % over all the data).
    let ticket = expected_alert_of(&rules, name, Some(Severity::Ticket));
    let page = expected_alert_of(&rules, name, Some(Severity::Page));
    check_rules(
        &rules,
        "grouped 2 %",
        1,
        "1m",
        "0+100x180 18098+98x119",
        "0x180 2+2x119",
        vec![
            at(185, name, Vec::new()),
            at(223, name, vec![ticket.clone()]),
            at(224, name, vec![page, ticket]),
        ],
    );
}

#[test]
fn the_naive_threshold_pages_on_the_spike_the_burn_rate_tiers_ignore() {
    let (spec, _) = workbook();
    let rules = generate::generate(
        &spec,
        Options {
            grouping: generate::Grouping::PerTier,
            naive_threshold: true,
        },
    );
    let naive = format!("{}NaiveThreshold", spec.slos[0].alert_name);
    let healthy = 6 * 60 * 4;
    let mut checks = vec![
        at(355, &naive, Vec::new()),
        // The spike ends at 6h00m30s; the 5m ratio stays above 0.1 % until 6h05m, `for` is 1m.
        at(363, &naive, vec![expected_alert(&rules, &naive)]),
        at(372, &naive, Vec::new()),
    ];
    checks.extend(silent(
        &alertnames(&rules, Severity::Page)
            .into_iter()
            .filter(|n| *n != naive)
            .collect::<Vec<_>>(),
        (300..=420).step_by(5),
    ));
    check_rules(
        &rules,
        "naive on a 30 s spike",
        1,
        "15s",
        &format!(
            "0+25x{healthy} {0} {0} {1}+25x480",
            healthy * 25,
            healthy * 25 + 25
        ),
        &format!("0x{healthy} 25 50x481"),
        checks,
    );
}
