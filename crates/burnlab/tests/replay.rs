//! The replay's figures on known cases: the Workbook's detection time and budget at firing, the
//! lesson's 3 a.m. story in numbers, the built-in scenarios' summaries, the budget arithmetic,
//! and bad input refused with a located message. (That the replay equals Prometheus and
//! Alertmanager is the oracle tests' job, in the CLI crate.)

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::replay::{NaiveRule, Options, Outcome, Replay, Scenario, Version};
use burnlab::rules::Spec;
use burnlab_testkit::fixtures::fixture;

fn workbook() -> Spec {
    Spec::parse(&fixture("specs/workbook-999.yaml")).unwrap()
}

fn ten_routes() -> Config {
    Config::parse(&fixture("replay/ten-routes.yml"), ConfigOptions::default()).unwrap()
}

fn run(spec: &Spec, rules: Option<&str>, am: Option<&Config>, scenario: &Scenario) -> Outcome {
    Replay::compile(spec, None, rules, am, &Options::default())
        .unwrap()
        .run(scenario)
        .unwrap()
}

fn firing_of<'a>(o: &'a Outcome, alertname: &str) -> &'a [(f64, Option<f64>)] {
    o.timeline
        .alerts
        .iter()
        .find(|a| a.labels["alertname"] == alertname)
        .map_or(&[], |a| a.firing.as_slice())
}

#[test]
fn two_percent_errors_page_when_two_percent_of_the_budget_is_spent_as_the_workbook_says() {
    // No baseline, 2 % from noon: the 1h/5m tier (14.4 × 0.1 %) fires once the hour's ratio
    // reaches 1.44 %, after 0.001 / 0.02 × 1h × 14.4 = 43.2 min, within one evaluation.
    let s = Scenario::parse(
        "duration: 1d\nrequests_per_second: 1000\nerror_ratio: 0\nincidents:\n  - {start: 12h, duration: 3h, error_ratio: 0.02}",
    )
    .unwrap();
    let o = run(&workbook(), None, None, &s);
    let fired = firing_of(&o, "DemoAvailabilityPage1h")[0].0 - 12.0 * 3600.0;
    assert!(
        (2592.0..=2592.0 + 30.0).contains(&fired),
        "fired {fired} s into the incident"
    );
    let incident = &o.timeline.summary.incidents[0];
    assert_eq!(incident.first_page_s, Some(12.0 * 3600.0 + fired));
    let spent = o.timeline.summary.budget_spent_before_first_page.unwrap();
    assert!((0.02..0.0203).contains(&spent), "{spent}");
}

#[test]
fn the_lessons_three_am_spikes_page_the_naive_threshold_six_times_and_the_tiers_never() {
    let o = run(
        &workbook(),
        None,
        Some(&ten_routes()),
        &Scenario::builtin("3am").unwrap(),
    );
    let s = &o.timeline.summary;
    assert_eq!((s.pages, s.tickets, s.false_pages), (0, 0, 0));
    assert!(o.timeline.notifications.is_empty());
    let naive = &o.naive.as_ref().unwrap().timeline;
    assert_eq!((naive.summary.pages, naive.summary.false_pages), (6, 6));
    // Each spike pages through the pager (and the audit copy), then resolves.
    assert_eq!(naive.summary.notifications_per_receiver["pager"], 12);
    // The six blips spend about 1 % of the budget: nothing worth waking anyone for.
    let spent = s.incidents[0].budget_spent;
    assert!(
        s.incidents[0].noise && (0.0104..0.0106).contains(&spent),
        "{spent}"
    );
}

#[test]
fn a_fast_burn_pages_and_the_naive_threshold_pages_sooner_but_knows_nothing_of_the_budget() {
    let o = run(
        &workbook(),
        None,
        None,
        &Scenario::builtin("fast-burn").unwrap(),
    );
    let s = &o.timeline.summary;
    assert_eq!((s.pages, s.false_pages, s.undetected_incidents), (2, 0, 0));
    let page = s.incidents[0].first_page_s.unwrap() - 10.0 * 3600.0;
    // 5 % errors: 0.001 / 0.05 × 1h × 14.4 = 17.28 min.
    assert!((1036.8..=1036.8 + 30.0).contains(&page), "{page}");
    let naive = &o.naive.as_ref().unwrap().timeline.summary;
    assert!(naive.incidents[0].first_page_s.unwrap() - 36_000.0 <= 120.0);
}

#[test]
fn a_slow_burn_opens_a_ticket_and_never_pages() {
    let o = run(
        &workbook(),
        None,
        None,
        &Scenario::builtin("slow-burn").unwrap(),
    );
    let s = &o.timeline.summary;
    assert_eq!((s.pages, s.tickets, s.undetected_incidents), (0, 1, 0));
    assert!(s.incidents[0].first_ticket_s.is_some());
    // Three days at 3 × the budget's rate spend about 30 % of it.
    assert!(
        (0.29..0.33).contains(&s.incidents[0].budget_spent),
        "{}",
        s.incidents[0].budget_spent
    );
    let naive = &o.naive.as_ref().unwrap().timeline.summary;
    assert_eq!(naive.pages, 1);
}

#[test]
fn flapping_makes_the_short_window_tier_fire_and_resolve_with_every_outage() {
    let o = run(
        &workbook(),
        None,
        Some(&ten_routes()),
        &Scenario::builtin("flapping").unwrap(),
    );
    assert_eq!(firing_of(&o, "DemoAvailabilityPage1h").len(), 6);
    assert_eq!(firing_of(&o, "DemoAvailabilityPage6h").len(), 1);
}

#[test]
fn a_healthy_month_fires_nothing_and_the_naive_threshold_pages_on_every_blip() {
    let o = run(
        &workbook(),
        None,
        None,
        &Scenario::builtin("healthy-month").unwrap(),
    );
    let s = &o.timeline.summary;
    assert_eq!((s.pages, s.tickets), (0, 0));
    let naive = &o.naive.as_ref().unwrap().timeline.summary;
    assert_eq!((naive.pages, naive.false_pages), (4, 4));
    // 0.02 % of every request for a month is a fifth of a 0.1 % budget; the blips add 1 %.
    assert!((0.20..0.22).contains(&s.budget_spent), "{}", s.budget_spent);
}

#[test]
fn an_hour_of_full_outage_spends_an_hour_of_a_forty_three_minute_budget() {
    let s = Scenario::parse(
        "duration: 1d\nrequests_per_second: 100\nerror_ratio: 0\nincidents:\n  - {start: 6h, duration: 1h, error_ratio: 1}",
    )
    .unwrap();
    let o = run(&workbook(), None, None, &s);
    let spent = o.timeline.summary.budget_spent;
    assert!((spent - 3600.0 / 2592.0).abs() < 1e-9, "{spent}");
    let curve = &o.timeline.summary.budget_remaining;
    assert_eq!(curve.first(), Some(&(0.0, 1.0)));
    assert_eq!(curve.last().map(|p| p.0), Some(86_400.0));
    assert!((curve.last().unwrap().1 - (1.0 - spent)).abs() < 1e-12);
}

#[test]
fn the_naive_threshold_can_be_the_one_the_user_picks() {
    let spec = workbook();
    let options = Options {
        naive: Some(NaiveRule {
            threshold: 0.5,
            ..NaiveRule::lesson(&spec.slos[0])
        }),
        ..Options::default()
    };
    let mut r = Replay::compile(&spec, None, None, None, &options).unwrap();
    let o = r.run(&Scenario::builtin("3am").unwrap()).unwrap();
    assert_eq!(o.naive.unwrap().timeline.summary.pages, 0);
}

#[test]
fn compiling_once_and_running_many_times_gives_the_same_answers() {
    let spec = workbook();
    let config = ten_routes();
    let mut r = Replay::compile(&spec, None, None, Some(&config), &Options::default()).unwrap();
    let a = Scenario::builtin("fast-burn").unwrap();
    let b = Scenario::builtin("flapping").unwrap();
    let first = r.run(&a).unwrap();
    let other = r.run(&b).unwrap();
    assert_eq!(r.run(&a).unwrap(), first);
    assert_eq!(r.run(&b).unwrap(), other);
    assert_ne!(first, other);
}

#[test]
fn the_json_has_alerts_with_intervals_notifications_and_a_summary() {
    let o = run(
        &workbook(),
        None,
        Some(&ten_routes()),
        &Scenario::builtin("fast-burn").unwrap(),
    );
    let v = serde_json::to_value(&o).unwrap();
    let alert = &v["alerts"][0];
    assert!(alert["labels"]["alertname"].is_string());
    assert!(alert["pending"].is_array() && alert["firing"].is_array());
    let firing = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !a["firing"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(firing["firing"][0].as_array().unwrap().len(), 2);
    let n = &v["notifications"][0];
    for key in [
        "receiver",
        "at_s",
        "group_key",
        "firing",
        "resolved",
        "uncertain",
    ] {
        assert!(!n[key].is_null(), "notification key {key}");
    }
    for key in [
        "pages",
        "tickets",
        "false_pages",
        "incidents",
        "undetected_incidents",
        "budget_spent_before_first_page",
        "budget_remaining",
        "notifications_per_receiver",
    ] {
        assert!(v["summary"].get(key).is_some(), "summary key {key}");
    }
    assert!(v["naive"]["summary"]["pages"].is_number());
}

#[test]
fn prometheus_3_windows_leave_out_the_sample_at_the_start() {
    // At 30 s evaluations over a 1 m scrape, a 5 m window holds 6 samples in 2.x at whole
    // minutes and 5 in 3.x; on a steady counter both rates agree, so the alerts agree.
    let spec = workbook();
    let s = Scenario::builtin("fast-burn").unwrap();
    let v3 = Options {
        prometheus: Version::V3,
        ..Options::default()
    };
    let a = run(&spec, None, None, &s);
    let b = Replay::compile(&spec, None, None, None, &v3)
        .unwrap()
        .run(&s)
        .unwrap();
    let fired = |o: &Outcome| firing_of(o, "DemoAvailabilityPage1h")[0].0;
    assert!((fired(&a) - fired(&b)).abs() <= 60.0);
}

fn error(spec: &Spec, rules: Option<&str>, scenario: &str) -> String {
    let s = match Scenario::parse(scenario) {
        Ok(s) => s,
        Err(e) => return e.to_string(),
    };
    match Replay::compile(spec, None, rules, None, &Options::default()) {
        Ok(mut r) => r
            .run(&s)
            .map(|_| "ok".to_owned())
            .unwrap_or_else(|e| e.to_string()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_input_is_refused_with_what_and_where() {
    let spec = workbook();
    let lesson_spec = Spec::parse(&fixture("specs/task-api.yaml")).unwrap();
    let day = "duration: 1d\nrequests_per_second: 1000";
    let cases: [(&Spec, Option<String>, &str, &str); 5] = [
        (
            &lesson_spec,
            Some(fixture("replay/lesson-rules.yaml")),
            day,
            "line 73, column 9: rule `TaskAPIHighLatency`: `histogram_quantile` is not supported by the replay",
        ),
        (
            &spec,
            None,
            "duration: 365d\nevaluation_interval: 1s\nscrape_interval: 1h\nrequests_per_second: 1",
            "line 2, column 1: evaluation_interval: 365d over 1s steps is 31536001 evaluations: the replay takes at most 4000000 (a year at 10s); use a longer step or a shorter duration",
        ),
        (
            &spec,
            Some("groups:\n  - name: g\n    interval: 1m\n    rules:\n      - alert: A\n        expr: sum(rate(http_requests_total[5m])) > 1\n".into()),
            day,
            "line 2, column 1: group `g`: is evaluated every 1m, the scenario every 30s: the replay evaluates every group at the scenario's evaluation_interval, so set it to 1m or remove the group's interval",
        ),
        (
            &spec,
            Some("groups:\n  - name: g\n    rules:\n      - record: a\n        expr: b + 1\n      - record: b\n        expr: a * 2\n".into()),
            day,
            "line 7, column 15: rule `b`: reads `a`, which depends on this rule's own result: the replay does not evaluate such cycles",
        ),
        (
            &spec,
            Some("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(slo:x[5m]) > 1\n      - record: slo:x\n        expr: vector(1)\n".into()),
            day,
            "line 5, column 20: rule `A`: a range over the recorded series `slo:x` is not supported by the replay (ranges are read from the scenario's counters only)",
        ),
    ];
    for (spec, rules, scenario, want) in cases {
        assert_eq!(error(spec, rules.as_deref(), scenario), want);
    }
}

#[test]
fn a_series_nothing_provides_is_a_warning_naming_the_rule_and_the_line() {
    let spec = Spec::parse(&fixture("specs/task-api.yaml")).unwrap();
    let rules = fixture("replay/lesson-availability-rules.yaml");
    let o = run(
        &spec,
        Some(&rules),
        None,
        &Scenario::builtin("3am").unwrap(),
    );
    assert_eq!(
        o.timeline.warnings,
        vec![
            "`task_api:error_ratio:rate30m` is read by rule `TaskAPIElevatedErrorRate` (line 58, column 11), but neither the scenario's series nor any recording rule provides it: it is always empty"
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever scenario the reader accepts, a run answers (or refuses) without panicking, and
    /// every alert interval and notification lies inside the scenario.
    #[test]
    fn any_valid_scenario_runs_to_an_answer_inside_it(
        hours in 1u32..8,
        scrape in proptest::sample::select(vec!["15s", "1m", "2m", "5m"]),
        eval in proptest::sample::select(vec!["15s", "30s", "1m", "3m"]),
        rps in proptest::sample::select(vec!["0.01", "1", "30/m", "5000"]),
        incidents in proptest::collection::vec((0u32..60, 1u32..200, 1u32..=100, 1u32..4, 0u32..3), 0..5),
    ) {
        let mut y = format!(
            "duration: {hours}h\nscrape_interval: {scrape}\nevaluation_interval: {eval}\nrequests_per_second: {rps}\nerror_ratio: 0.001\nincidents:\n"
        );
        for (start, len, pct, count, ramp) in incidents {
            let ratio = if ramp == 0 {
                format!("error_ratio_from: 0, error_ratio_to: {pct}%")
            } else {
                format!("error_ratio: {pct}%")
            };
            y.push_str(&format!(
                "  - {{start: {start}m, duration: {len}s, {ratio}, every: 7m, count: {count}}}\n"
            ));
        }
        let s = Scenario::parse(&y).unwrap();
        let spec = workbook();
        let config = ten_routes();
        let mut r = Replay::compile(&spec, None, None, Some(&config), &Options::default()).unwrap();
        let o = r.run(&s).unwrap();
        let end = f64::from(hours) * 3600.0;
        for a in o.timeline.alerts.iter().chain(o.naive.iter().flat_map(|n| &n.timeline.alerts)) {
            for (start, stop) in a.firing.iter().chain(&a.pending) {
                proptest::prop_assert!(*start >= 0.0 && *start <= end && stop.is_none_or(|e| e >= *start && e <= end));
            }
        }
        for n in &o.timeline.notifications {
            proptest::prop_assert!(n.at_s >= 0.0 && n.at_s <= end);
        }
    }
}
