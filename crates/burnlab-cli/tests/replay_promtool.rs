//! The replay's rule evaluation against the real promtool (2.42): for generated scenarios
//! (random incidents over hours to days, both SLI kinds, every tier set, per-tier and grouped
//! alerts, the naive rule), for rule files that use the rest of the PromQL the replay evaluates
//! (`keep_firing_for`, `or`, `unless`, `on`, aggregations by label, functions), and for the
//! built-in scenarios, the replay's export — the scenario's counters as input series and the
//! alerts the replay says fire at every change and between changes — must pass
//! `promtool test rules`. Cases run two at a time. Needs /usr/bin/promtool; fails without it.

#![allow(clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use burnlab::replay::{Options, Replay, Scenario, Version};
use burnlab::rules::Spec;
use burnlab::rules::generate::{self, Grouping};
use burnlab_testkit::fixtures::fixture;
use burnlab_testkit::rng::Rng;

const PROMTOOL: &str = "/usr/bin/promtool";

/// One replay to check.
struct Case {
    name: String,
    spec: String,
    rules: Option<String>,
    generator: burnlab::rules::Options,
    scenario: Scenario,
}

/// A directory under the temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(stem: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("burnlab-replay-{}-{n}-{stem}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SLIS: [&str; 4] = [
    "      events:\n        error_query: sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))",
    "      events:\n        error_query: sum(rate(api_errors_total[{{.window}}]))\n        total_query: sum(rate(api_requests_total[{{.window}}]))",
    "      latency:\n        metric: http_request_duration_seconds\n        le: \"0.3\"\n        matchers: {job: api}",
    "      raw:\n        error_ratio_query: sum(rate(http_requests_total{code!~\"2..\"}[{{.window}}])) / sum(rate(http_requests_total[{{.window}}]))",
];

fn spec(rng: &mut Rng) -> String {
    let kind = rng.below(SLIS.len());
    let sli = SLIS[kind];
    let tiers = rng.pick(&["workbook", "workbook-daily", "sloth", "pyrra"]);
    let objective = rng.pick(&["99", "99.5", "99.9", "99.95"]);
    let mut extra = String::new();
    // Pyrra's windows move with the period, so `for` keyed by 1h only fits the others.
    if tiers != "pyrra" && rng.chance(40) {
        extra.push_str(&format!(
            "  for: {{1h: {}}}\n",
            rng.pick(&["1m", "2m", "5m"])
        ));
    }
    // A traffic floor needs the request rate, which a raw SLI does not give.
    if kind != 3 && rng.chance(25) {
        extra.push_str(&format!(
            "  traffic_floor: {}\n",
            rng.pick(&["1", "30/m", "0.5"])
        ));
    }
    format!(
        "version: prometheus/v1\nservice: api\nburnlab:\n  tiers: {tiers}\n{extra}slos:\n  - name: availability\n    objective: {objective}\n    sli:\n{sli}\n    alerting:\n      name: ApiAvailability\n"
    )
}

/// promtool's test engine refuses queries that load more than 10,000 samples (a latency SLI's
/// ratio reads three counters over its longest window), and its time grows with evaluations
/// times samples per window: scenarios keep to 1,500 samples and 1,440 evaluations.
const MAX_SAMPLES: u64 = 1_500;
const MAX_EVALUATIONS: u64 = 1_440;

fn scenario(rng: &mut Rng, name: &str) -> Scenario {
    let (duration_h, scrape, eval) = loop {
        let d = [6u64, 12, 24, 24, 48][rng.below(5)];
        let (scrape, eval, scrape_s, eval_s) = [
            ("1m", "30s", 60, 30),
            ("1m", "1m", 60, 60),
            ("30s", "30s", 30, 30),
            ("2m", "1m", 120, 60),
            ("15s", "1m", 15, 60),
            ("2m", "2m", 120, 120),
        ][rng.below(6)];
        if d * 3600 / scrape_s <= MAX_SAMPLES && d * 3600 / eval_s <= MAX_EVALUATIONS {
            break (d, scrape, eval);
        }
    };
    let rps = rng.pick(&["1000", "100", "10", "1", "30/m"]);
    let baseline = rng.pick(&["0", "0.0001", "0.0005", "0.002"]);
    let mut y = format!(
        "name: {name}\nduration: {duration_h}h\nscrape_interval: {scrape}\nevaluation_interval: {eval}\nrequests_per_second: {rps}\nerror_ratio: {baseline}\nslow_ratio: {baseline}\n"
    );
    if rng.chance(20) {
        let shape: Vec<String> = (0..24)
            .map(|h| format!("{}", 0.3 + (h % 12) as f64 * 0.1))
            .collect();
        y.push_str(&format!("daily_shape: [{}]\n", shape.join(", ")));
    }
    y.push_str("incidents:\n");
    let span_min = duration_h as usize * 60;
    for _ in 0..1 + rng.below(4) {
        let start = rng.below(span_min * 9 / 10);
        let len = [1, 2, 5, 15, 45, 90, 240, 600][rng.below(8)];
        let ratio = rng.pick(&["0.003", "0.01", "0.02", "0.05", "0.2", "1"]);
        let key = if rng.chance(50) {
            "error_ratio"
        } else {
            "slow_ratio"
        };
        if rng.chance(20) {
            y.push_str(&format!(
                "  - {{start: {start}m, duration: {len}m, {key}_from: 0, {key}_to: {ratio}}}\n"
            ));
        } else if rng.chance(20) {
            y.push_str(&format!(
                "  - {{start: {start}m, duration: {}m, {key}: {ratio}, every: {}m, count: {}}}\n",
                1 + rng.below(5),
                6 + rng.below(10),
                2 + rng.below(5)
            ));
        } else {
            y.push_str(&format!(
                "  - {{start: {start}m, duration: {len}m, error_ratio: {ratio}, slow_ratio: {ratio}}}\n"
            ));
        }
    }
    Scenario::parse(&y).unwrap_or_else(|e| panic!("{name}: {e}\n{y}"))
}

fn generated(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let spec = spec(&mut rng);
    let generator = burnlab::rules::Options {
        grouping: if rng.chance(35) {
            Grouping::BySeverity
        } else {
            Grouping::PerTier
        },
        naive_threshold: rng.chance(40),
    };
    Case {
        name: format!("generated seed {seed}"),
        scenario: scenario(&mut rng, &format!("seed-{seed}")),
        spec,
        rules: None,
        generator,
    }
}

/// Rule files using what the generated rules do not: `keep_firing_for`, `or`, `unless`,
/// `on`, `by`, `without`, `max`/`min`/`count`/`avg`, `increase`, `irate`, `delta`, `clamp_max`,
/// `abs`, `scalar`, `vector`, `time`, `bool`, `group_left`, instant selectors, and a recording
/// read before it is recorded (the previous evaluation's value).
const FEATURES: &str = r#"groups:
  - name: early
    rules:
      - alert: ReadsLaterRecording
        expr: job:ratio:rate5m > 0.01
        for: 1m
        labels:
          severity: ticket
  - name: features
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
      - record: job:total:rate5m
        expr: sum without (code) (rate(http_requests_total[5m]))
      - record: job:ratio:rate5m
        expr: job:errors:rate5m / on(job) job:total:rate5m
      - alert: RatioHigh
        expr: job:ratio:rate5m > 0.02
        for: 2m
        keep_firing_for: 5m
        labels:
          severity: page
          team: "{{ $labels.job }}"
      - alert: EitherWindow
        expr: (job:ratio:rate5m > 0.05) or (sum by (job) (increase(http_requests_total{code=~"5.."}[1h])) > 500)
        labels:
          severity: page
      - alert: BusyUnlessFailing
        expr: (job:total:rate5m > 0.5) unless on(job) (job:errors:rate5m > 2)
      - alert: Shapes
        expr: max(job:errors:rate5m) - min(job:errors:rate5m) >= bool 0 and count(job:total:rate5m) == 1 and avg(job:ratio:rate5m) < 0.5
      - alert: Functions
        expr: clamp_max(abs(delta(http_requests_total{code="200"}[10m])), 1e9) > scalar(sum(irate(http_requests_total[5m]))) * 60 and vector(time()) > 600
      - alert: Instant
        expr: http_requests_total{code=~"5.."} > 100
      - alert: ShareOfTraffic
        expr: sum by (job, code) (rate(http_requests_total[5m])) / on(job) group_left sum by (job) (rate(http_requests_total[5m])) > 0.01
"#;

const FEATURE_SPEC: &str = "version: prometheus/v1\nservice: api\nslos:\n  - name: availability\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))\n    alerting:\n      name: ApiAvailability\n";

fn features(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    Case {
        name: format!("features seed {seed}"),
        scenario: scenario(&mut rng, &format!("features-{seed}")),
        spec: FEATURE_SPEC.into(),
        rules: Some(FEATURES.into()),
        generator: burnlab::rules::Options::default(),
    }
}

/// A built-in scenario with its steps made coarser when it is long, so promtool's run stays
/// short: promtool re-reads every sample of a window at every evaluation.
fn builtin(name: &str) -> Case {
    let mut s = Scenario::builtin(name).unwrap_or_else(|e| panic!("{e}"));
    if s.duration > burnlab::Duration::from_days(2) {
        s.scrape_interval = burnlab::Duration::from_mins(5);
        s.evaluation_interval = burnlab::Duration::from_mins(5);
    }
    let spec = fixture("specs/workbook-999.yaml");
    Case {
        name: format!("built-in {name}"),
        scenario: s,
        spec,
        rules: None,
        generator: burnlab::rules::Options {
            grouping: Grouping::PerTier,
            naive_threshold: true,
        },
    }
}

/// Replays `case`, exports it and runs promtool: `Err` with what went wrong.
fn check(case: &Case) -> Result<usize, String> {
    let spec = Spec::parse(&case.spec).map_err(|e| format!("spec: {e}"))?;
    let options = Options {
        prometheus: Version::V2,
        generator: case.generator,
        compare_naive: false,
        ..Options::default()
    };
    let rules = case
        .rules
        .clone()
        .unwrap_or_else(|| generate::generate(&spec, case.generator).to_yaml());
    let mut replay = Replay::compile(&spec, None, Some(&rules), None, &options)
        .map_err(|e| format!("compile: {e}"))?;
    let outcome = replay
        .run(&case.scenario)
        .map_err(|e| format!("run: {e}"))?;
    let files = replay
        .promtool_test(&case.scenario, &outcome, "rules.yaml")
        .map_err(|e| format!("export: {e}"))?;
    let dir = TempDir::new("promtool");
    std::fs::write(dir.0.join("rules.yaml"), &files.rules).map_err(|e| e.to_string())?;
    std::fs::write(dir.0.join("test.yaml"), &files.test).map_err(|e| e.to_string())?;
    let out = Command::new(PROMTOOL)
        .args(["test", "rules", "test.yaml"])
        .current_dir(&dir.0)
        .output()
        .map_err(|e| format!("{PROMTOOL}: {e} (run `cargo xtask setup`)"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() && text.contains("SUCCESS") {
        Ok(files.checks)
    } else {
        let firing: usize = outcome.timeline.alerts.iter().map(|a| a.firing.len()).sum();
        Err(format!(
            "promtool disagrees ({firing} firing intervals predicted):\n{}\nscenario:\n{}",
            text.lines().take(40).collect::<Vec<_>>().join("\n"),
            case.scenario.to_yaml()
        ))
    }
}

/// Runs the cases two at a time; panics listing every failure.
fn run_all(cases: Vec<Case>) -> usize {
    assert!(
        Path::new(PROMTOOL).exists(),
        "{PROMTOOL} is missing: run `cargo xtask setup`"
    );
    let next = AtomicUsize::new(0);
    let checks = AtomicUsize::new(0);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { return };
                    match check(case) {
                        Ok(n) => {
                            checks.fetch_add(n, Ordering::Relaxed);
                        }
                        Err(e) => {
                            if let Ok(mut f) = failures.lock() {
                                f.push(format!("{}: {e}", case.name));
                            }
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or_default();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    checks.into_inner()
}

#[test]
fn thirty_two_generated_scenarios_replay_as_promtool_evaluates_them() {
    let cases: Vec<Case> = (0..32).map(|i| generated(7_000 + i)).collect();
    let checks = run_all(cases);
    eprintln!("{checks} alert checks passed under promtool");
    assert!(checks > 32 * 3, "too few checks: {checks}");
}

#[test]
fn rule_files_using_the_rest_of_the_supported_promql_replay_as_promtool_evaluates_them() {
    let checks = run_all((0..6).map(|i| features(9_100 + i)).collect());
    assert!(checks > 6 * 8, "too few checks: {checks}");
}

#[test]
fn the_builtin_scenarios_replay_as_promtool_evaluates_them() {
    let cases = burnlab::replay::builtin::names().map(builtin).collect();
    run_all(cases);
}
