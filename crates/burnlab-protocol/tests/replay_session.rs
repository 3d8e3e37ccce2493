//! The page's Replay section as the heavy core answers it: the same answers as the replay the
//! CLI runs, scenarios read and written without loss, each input recomputing only what depends
//! on it, located errors that keep the last good run, the charts' points at any zoom, and the
//! exports.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::matchers::ParserMode;
use burnlab::replay::{Options, Replay, Scenario, builtin};
use burnlab::rules::form::SpecForm;
use burnlab::tiers::{Preset, TierSet};
use burnlab::{Objective, Period};
use burnlab_protocol::replay::{
    ExportKind, NaiveInput, ReplayAnswer, ReplayRequest, ReplayView, ScenarioInput, WindowInput,
};
use burnlab_protocol::rules::RulesInput;
use burnlab_protocol::views::SloView;
use burnlab_protocol::{Request, Response, Session, decode, encode};
use burnlab_testkit::fixtures::fixture;

fn slo(percent: f64, tiers: &TierSet) -> SloView {
    SloView::new(
        Objective::from_percent(percent).unwrap(),
        Period::DAYS_30,
        tiers,
    )
}

fn form_rules(percent: f64) -> RulesInput {
    RulesInput::Form {
        form: Box::default(),
        slo: slo(percent, &Preset::Workbook.tier_set()),
    }
}

/// The page's default request: the form on 99.9 % with the Workbook's tiers, the Routing
/// section's default config, a built-in scenario.
fn request(scenario: &str) -> ReplayRequest {
    ReplayRequest {
        rules: form_rules(99.9),
        config: Some((
            fixture("alertmanager/generated-default.yaml"),
            ParserMode::Fallback,
        )),
        scenario: ScenarioInput::Text(builtin::text(scenario).unwrap().to_owned()),
        naive: NaiveInput {
            threshold: None,
            for_ms: None,
        },
        window: None,
        export: None,
    }
}

/// Answers `request` through the wire, as the worker does.
fn ask(session: &mut Session, request: &ReplayRequest) -> ReplayAnswer {
    let request = Request::Replay {
        seq: 1,
        request: Box::new(request.clone()),
    };
    let request: Request = decode(&encode(&request)).unwrap();
    match decode::<Response>(&encode(&session.answer(request))).unwrap() {
        Response::Replay { answer, .. } => *answer,
        other => panic!("{other:?}"),
    }
}

fn run(answer: &ReplayAnswer) -> &ReplayView {
    match &answer.run {
        Some(Ok(view)) => view,
        other => panic!("no run: {other:?}"),
    }
}

#[test]
fn every_builtin_answers_what_the_replay_the_cli_runs_answers() {
    let config = Config::parse(
        &fixture("alertmanager/generated-default.yaml"),
        ConfigOptions::default(),
    )
    .unwrap();
    let spec = SpecForm::default()
        .to_spec(
            Objective::from_percent(99.9).unwrap(),
            Period::DAYS_30,
            "workbook",
            Preset::Workbook.tier_set().tiers(),
        )
        .unwrap();
    for name in builtin::names() {
        let mut session = Session::new();
        let answer = ask(&mut session, &request(name));
        let view = run(&answer);
        let expected = Replay::compile(&spec, None, None, Some(&config), &Options::default())
            .unwrap()
            .run(&Scenario::builtin(name).unwrap())
            .unwrap();
        assert_eq!(view.timeline.summary, expected.timeline.summary, "{name}");
        assert_eq!(view.timeline.alerts, expected.timeline.alerts, "{name}");
        let at = |ns: &[(String, f64)]| ns.to_vec();
        assert_eq!(
            at(&view
                .timeline
                .notifications
                .iter()
                .map(|n| (n.receiver.clone(), n.at_s))
                .collect::<Vec<_>>()),
            at(&expected
                .timeline
                .notifications
                .iter()
                .map(|n| (n.receiver.clone(), n.at_s))
                .collect::<Vec<_>>()),
            "{name}"
        );
        let naive = view.naive.as_ref().unwrap();
        assert_eq!(
            naive.timeline.summary,
            expected.naive.as_ref().unwrap().timeline.summary,
            "{name}"
        );
        // The text was read: the page gets the scenario as data for its editor.
        let wire = answer.scenario.clone().unwrap().unwrap();
        assert_eq!(wire, Scenario::builtin(name).unwrap());
    }
}

#[test]
fn the_lessons_three_am_story_in_the_pages_numbers() {
    let mut session = Session::new();
    let view = run(&ask(&mut session, &request("3am"))).clone();
    // The burn-rate tiers stay quiet; the naive threshold pages for every spike.
    assert_eq!(view.timeline.summary.pages, 0);
    assert!(view.timeline.notifications.is_empty());
    let naive = view.naive.unwrap();
    assert_eq!(
        (naive.threshold, naive.window.as_str(), naive.for_.as_str()),
        (0.001, "5m", "1m")
    );
    assert_eq!(
        (
            naive.timeline.summary.pages,
            naive.timeline.summary.false_pages
        ),
        (6, 6)
    );
    assert_eq!(view.receivers, ["pager"]);
    assert_eq!(
        view.thresholds
            .iter()
            .map(|t| (t.label.as_str(), t.ratio))
            .collect::<Vec<_>>(),
        [
            ("page 1h/5m ×14.4", 0.0144),
            ("page 6h/30m ×6", 0.006),
            ("ticket 3d/6h ×1", 0.001)
        ]
    );
    assert_eq!(view.rules.len(), 3);
    assert!(view.rules[0].expr.contains("0.0144"), "{:?}", view.rules[0]);
    // 1 day at 30 s is 2,881 evaluations, for the rules and the naive rule each.
    assert_eq!(view.evaluations, 2 * 2881);
}

#[test]
fn a_fast_burn_pages_the_pager_seventeen_and_a_half_minutes_in() {
    let mut session = Session::new();
    let view = run(&ask(&mut session, &request("fast-burn"))).clone();
    // The 3d/6h ticket opens first (ten hours of history read like ten hours); the 1h/5m page
    // fires 17.5 min after 10:00, and its group waits 30 s.
    assert_eq!(view.timeline.notifications[0].receiver, "tickets");
    let first = view
        .timeline
        .notifications
        .iter()
        .find(|n| n.receiver == "pager")
        .unwrap();
    assert_eq!(first.at_s, 10.0 * 3600.0 + 1050.0 + 30.0);
    assert_eq!(
        first.firing[0]["alertname"], "TaskApiAvailabilityPage1h",
        "{first:?}"
    );
    assert_eq!(
        view.timeline.summary.first_page_s,
        Some(10.0 * 3600.0 + 1050.0)
    );
    assert!(
        view.events
            .iter()
            .any(|e| e.clock == "2024-01-01 10:17:30" && e.text.starts_with("FIRING")),
        "{:?}",
        view.events
    );
}

#[test]
fn every_builtin_travels_as_data_and_comes_back_as_the_same_scenario_in_yaml() {
    for name in builtin::names() {
        let scenario = Scenario::builtin(name).unwrap();
        let wire: Scenario = decode(&encode(&scenario)).unwrap();
        assert_eq!(wire, scenario, "{name}");
        let mut session = Session::new();
        let mut r = request(name);
        r.scenario = ScenarioInput::Edited(wire);
        let answer = ask(&mut session, &r);
        let yaml = answer.yaml.unwrap();
        let mut back = Scenario::parse(&yaml).unwrap();
        for i in &mut back.incidents {
            i.line = 0;
        }
        let mut want = scenario;
        for i in &mut want.incidents {
            i.line = 0;
        }
        assert_eq!(back, want, "{name}: {yaml}");
        assert!(answer.scenario.is_none());
    }
}

#[test]
fn each_input_recomputes_only_what_depends_on_it() {
    let mut session = Session::new();
    let mut r = request("fast-burn");
    let first = run(&ask(&mut session, &r)).generation;

    // Zooming reads the kept counters: no new run, points for the range.
    r.window = Some(WindowInput {
        from_ms: 9 * 3_600_000,
        to_ms: 12 * 3_600_000,
        points: 90,
    });
    let zoomed = ask(&mut session, &r);
    assert!(zoomed.run.is_none());
    let w = zoomed.window.unwrap();
    assert_eq!((w.from_s, w.to_s, w.points.len()), (32_400.0, 43_200.0, 90));
    assert_eq!(w.generation, first);

    // The same request again: nothing new.
    assert!(ask(&mut session, &r).run.is_none());

    // A moved incident runs again.
    let mut moved = Scenario::builtin("fast-burn").unwrap();
    moved.incidents[0].start = burnlab::Duration::from_hours(4);
    r.scenario = ScenarioInput::Edited(moved.clone());
    let after_move = ask(&mut session, &r);
    let view = run(&after_move);
    assert_eq!(view.generation, first + 1);
    assert_eq!(
        view.timeline.summary.first_page_s,
        Some(4.0 * 3600.0 + 1050.0)
    );

    // The objective slider recompiles the rules: at 99 % the same incident is a 5× burn, and
    // the 14.4× tier never fires.
    r.rules = form_rules(99.0);
    let view = run(&ask(&mut session, &r)).clone();
    assert_eq!(view.generation, first + 2);
    assert_eq!(view.objective, 0.99);
    assert_eq!(view.thresholds[0].ratio, 0.144);
    assert_eq!(view.timeline.summary.pages, 0);

    // A route's group_wait changes when the page goes out.
    let config =
        fixture("alertmanager/generated-default.yaml").replace("group_wait: 30s", "group_wait: 2m");
    r.rules = form_rules(99.9);
    r.config = Some((config, ParserMode::Fallback));
    let view = run(&ask(&mut session, &r)).clone();
    let page = view
        .timeline
        .notifications
        .iter()
        .find(|n| n.receiver == "pager")
        .unwrap();
    assert_eq!(page.at_s, 4.0 * 3600.0 + 1050.0 + 120.0);
}

#[test]
fn bad_input_is_located_and_the_last_good_run_stays() {
    let mut session = Session::new();
    let mut r = request("3am");
    run(&ask(&mut session, &r));

    // A scenario that does not read: its line and column; no new run.
    r.scenario = ScenarioInput::Text(
        "duration: 1d\nrequests_per_second: 1000\nincidents:\n  - {start: 2h, duration: 0s}\n"
            .into(),
    );
    let answer = ask(&mut session, &r);
    let e = answer.scenario.unwrap().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.location.map(|l| l.0)),
        ("incidents[0].duration", Some(4)),
        "{e:?}"
    );
    assert!(answer.run.is_none());

    // An edited scenario that does not hold together: the field, no YAML.
    let mut s = Scenario::builtin("3am").unwrap();
    s.incidents[0].start = burnlab::Duration::from_days(2);
    r.scenario = ScenarioInput::Edited(s.clone());
    let answer = ask(&mut session, &r);
    assert_eq!(
        answer.scenario.unwrap().unwrap_err().field,
        "incidents[0].start"
    );
    assert!(answer.yaml.is_none() && answer.run.is_none());

    // An invalid config: its error, and the last valid config is replayed.
    r.scenario = ScenarioInput::Text(builtin::text("fast-burn").unwrap().into());
    r.config = Some(("route:\n  receiver: nobody\n".into(), ParserMode::Fallback));
    let answer = ask(&mut session, &r);
    assert_eq!(
        answer.config_error.as_ref().unwrap().location.map(|l| l.0),
        Some(2)
    );
    // Two page alerts in groups of their own, each firing then resolved (PagerDuty sends
    // resolved notifications by default).
    assert_eq!(
        run(&answer).timeline.summary.notifications_per_receiver["pager"],
        4
    );

    // Rules that do not generate: the form's field; the run is not repeated until they do.
    let RulesInput::Form { form, slo } = form_rules(99.9) else {
        unreachable!()
    };
    let mut form = *form;
    form.service = "task api".into();
    r.rules = RulesInput::Form {
        form: Box::new(form),
        slo,
    };
    let answer = ask(&mut session, &r);
    assert_eq!(answer.run.unwrap().unwrap_err().field, "service");
    assert!(answer.window.is_none());
    r.rules = form_rules(99.9);
    assert!(ask(&mut session, &r).run.unwrap().is_ok());
}

#[test]
fn the_charts_points_show_a_thirty_second_spike_at_any_zoom_and_end_on_the_budget_left() {
    let mut session = Session::new();
    let mut r = request("3am");
    let answer = ask(&mut session, &r);
    let view = run(&answer).clone();
    let whole = answer.window.unwrap();
    assert_eq!((whole.from_s, whole.to_s), (0.0, 86_400.0));
    assert!(whole.points.len() <= 500);
    // Averaged over a stretch the spike fades; its peak between two scrapes does not: 30 s of
    // 15 % on top of 0.02 % over one minute.
    let peak = whole.points.iter().map(|p| p.peak).fold(0.0, f64::max);
    assert!((peak - (0.075 + 0.0002)).abs() < 1e-4, "{peak}");
    let last = whole.points.last().unwrap();
    assert!(
        (last.budget_left - (1.0 - view.timeline.summary.budget_spent)).abs() < 1e-12,
        "{last:?}"
    );
    // Zoomed on the first spike (03:00 is 9 h after the 18:00 start), one point per scrape.
    r.window = Some(WindowInput {
        from_ms: 9 * 3_600_000 - 120_000,
        to_ms: 9 * 3_600_000 + 180_000,
        points: 1000,
    });
    let w = ask(&mut session, &r).window.unwrap();
    assert_eq!(w.points.len(), 5);
    let ratios: Vec<f64> = w
        .points
        .iter()
        .map(|p| (p.ratio * 1e4).round() / 1e4)
        .collect();
    assert_eq!(ratios, [0.0002, 0.0002, 0.0752, 0.0002, 0.0002]);
}

#[test]
fn the_exports_are_the_clis_files() {
    let mut session = Session::new();
    let mut r = request("fast-burn");
    run(&ask(&mut session, &r));
    let mut export = |kind| {
        r.export = Some(kind);
        ask(&mut session, &r).export.unwrap().unwrap()
    };
    let test = export(ExportKind::PromtoolTest);
    assert_eq!(test.name, "test.yaml");
    assert!(test.text.contains("rule_files:") && test.text.contains("rules.yaml"));
    let rules = export(ExportKind::PromtoolRules);
    assert!(rules.text.contains("TaskApiAvailabilityPage1h"));
    let amtool = export(ExportKind::Amtool);
    assert!(
        amtool
            .text
            .contains("--verify.receivers='pager' 'alertname=\"TaskApiAvailabilityPage1h\"'"),
        "{}",
        amtool.text
    );
    assert_eq!(
        export(ExportKind::Alertmanager).text,
        fixture("alertmanager/generated-default.yaml")
    );
    let scenario = export(ExportKind::Scenario);
    assert_eq!(
        Scenario::parse(&scenario.text).unwrap().name.as_deref(),
        Some("fast-burn")
    );
    let spec = export(ExportKind::Spec);
    assert!(spec.text.contains("objective: 99.9"), "{}", spec.text);

    // Without a config there are no assertions to write, and the answer says why.
    r.config = None;
    r.export = Some(ExportKind::Amtool);
    let e = ask(&mut session, &r).export.unwrap().unwrap_err();
    assert_eq!(e.field, "alertmanager");
}

#[test]
fn a_pasted_rule_file_replays_against_the_forms_sli() {
    let mut session = Session::new();
    let mut r = request("fast-burn");
    let RulesInput::Form { form, slo } = form_rules(99.9) else {
        unreachable!()
    };
    r.rules = RulesInput::File {
        text: fixture("replay/lesson-availability-rules.yaml"),
        form,
        slo,
    };
    let view = run(&ask(&mut session, &r)).clone();
    // A pasted file's thresholds are its own: none are drawn from the form's tiers.
    assert!(view.thresholds.is_empty());
    assert!(
        view.rules
            .iter()
            .any(|a| a.name == "TaskAPIHighErrorBudgetBurn"),
        "{:?}",
        view.rules
    );
    assert!(view.timeline.summary.pages > 0);
}

/// The run's views without the session's run counter.
fn without_generation(view: &ReplayView) -> ReplayView {
    ReplayView {
        generation: 0,
        ..view.clone()
    }
}

#[test]
fn a_session_that_reuses_the_last_runs_series_answers_as_a_fresh_one() {
    // Each step changes one input the way the page does; the session keeps the counters and
    // the series that meet thresholds from run to run, a fresh session computes everything.
    let short = Preset::Workbook.tier_set();
    let sloth = Preset::Sloth.tier_set();
    type Step = Box<dyn Fn(&mut ReplayRequest)>;
    let steps: Vec<(&str, Step)> = vec![
        ("objective 99.5", Box::new(|r| r.rules = form_rules(99.5))),
        ("objective 99.95", Box::new(|r| r.rules = form_rules(99.95))),
        (
            "naive threshold 2 %",
            Box::new(|r| {
                r.naive = NaiveInput {
                    threshold: Some(0.02),
                    for_ms: Some(300_000),
                }
            }),
        ),
        (
            "Sloth's tiers",
            Box::new(move |r| {
                r.rules = RulesInput::Form {
                    form: Box::default(),
                    slo: slo(99.9, &sloth),
                }
            }),
        ),
        (
            "back to the Workbook at 99 %",
            Box::new(move |r| {
                r.rules = RulesInput::Form {
                    form: Box::default(),
                    slo: slo(99.0, &short),
                }
            }),
        ),
        ("no Alertmanager config", Box::new(|r| r.config = None)),
        (
            "objective 99.9 again",
            Box::new(|r| r.rules = form_rules(99.9)),
        ),
    ];
    for name in builtin::names() {
        let mut kept = Session::new();
        let mut req = request(name);
        let _ = ask(&mut kept, &req);
        for (what, step) in &steps {
            step(&mut req);
            let reused = ask(&mut kept, &req);
            let fresh = ask(&mut Session::new(), &req);
            assert_eq!(
                without_generation(run(&reused)),
                without_generation(run(&fresh)),
                "{name}, {what}"
            );
        }
        // A changed scenario drops what was kept: the counters are new.
        let mut wire = Scenario::builtin(name).unwrap();
        wire.error_ratio += 0.001;
        req.scenario = ScenarioInput::Edited(wire);
        let reused = ask(&mut kept, &req);
        let fresh = ask(&mut Session::new(), &req);
        assert_eq!(
            without_generation(run(&reused)),
            without_generation(run(&fresh)),
            "{name}, a changed baseline"
        );
    }
}

#[test]
fn an_objective_change_recomputes_only_the_comparisons() {
    let spec = |percent: f64| {
        SpecForm::default()
            .to_spec(
                Objective::from_percent(percent).unwrap(),
                Period::DAYS_30,
                "workbook",
                Preset::Workbook.tier_set().tiers(),
            )
            .unwrap()
    };
    let compile = |percent: f64| {
        Replay::compile(&spec(percent), None, None, None, &Options::default()).unwrap()
    };
    let month = Scenario::builtin("healthy-month").unwrap();
    let mut first = compile(99.9);
    first.run(&month).unwrap();
    // Seven recording rules (rate, sum, ratio) of which the alerts read five; the naive
    // rule's 5m ratio is the rules' own, read from what they kept in the same run.
    assert_eq!(first.instructions_run(), (24 + 1, 25 + 4));
    let mut next = compile(99.5);
    next.keep_from(&mut first);
    let outcome = next.run(&month).unwrap();
    // The Workbook's three alerts: two comparisons and an `and` each; the naive rule's one.
    assert_eq!(next.instructions_run(), (3 * 3 + 1, 25 + 4));
    assert_eq!(outcome, compile(99.5).run(&month).unwrap());
    // Another scenario has other counters: everything is computed again.
    let mut other = compile(99.0);
    other.keep_from(&mut next);
    let burn = Scenario::builtin("fast-burn").unwrap();
    let outcome = other.run(&burn).unwrap();
    assert_eq!(other.instructions_run(), (24 + 1, 25 + 4));
    assert_eq!(outcome, compile(99.0).run(&burn).unwrap());
}

/// Rules using every kind of instruction the replay has (a rule reading a later group's
/// recording, aggregations, `or`, `unless`, `scalar`, `time`, `delta`, `irate`, an instant
/// selector, `group_left`), with their thresholds as `{a}`, `{b}`, `{c}`.
const EVERY_KIND: &str = r#"groups:
  - name: early
    rules:
      - alert: ReadsLaterRecording
        expr: job:ratio:rate5m > {a}
        for: 1m
  - name: features
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
      - record: job:total:rate5m
        expr: sum without (code) (rate(http_requests_total[5m]))
      - record: job:ratio:rate5m
        expr: job:errors:rate5m / on(job) job:total:rate5m
      - alert: RatioHigh
        expr: job:ratio:rate5m > {b}
        for: 2m
        keep_firing_for: 5m
      - alert: EitherWindow
        expr: (job:ratio:rate5m > {b}) or (sum by (job) (increase(http_requests_total{code=~"5.."}[1h])) > {c})
      - alert: BusyUnlessFailing
        expr: (job:total:rate5m > 0.5) unless on(job) (job:errors:rate5m > {a})
      - alert: Shapes
        expr: max(job:errors:rate5m) - min(job:errors:rate5m) >= bool 0 and count(job:total:rate5m) == 1 and avg(job:ratio:rate5m) < {b}
      - alert: Functions
        expr: clamp_max(abs(delta(http_requests_total{code="200"}[10m])), 1e9) > scalar(sum(irate(http_requests_total[5m]))) * {c} and vector(time()) > 600
      - alert: Instant
        expr: http_requests_total{code=~"5.."} > {c}
      - alert: ShareOfTraffic
        expr: sum by (job, code) (rate(http_requests_total[5m])) / on(job) group_left sum by (job) (rate(http_requests_total[5m])) > {a}
"#;

#[test]
fn kept_series_answer_as_a_fresh_run_through_every_kind_of_instruction() {
    let spec = burnlab::rules::Spec::parse(
        "version: prometheus/v1\nservice: api\nslos:\n  - name: availability\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))\n    alerting:\n      name: ApiAvailability\n",
    )
    .unwrap();
    let rules = |a: f64, b: f64, c: f64| {
        EVERY_KIND
            .replace("{a}", &a.to_string())
            .replace("{b}", &b.to_string())
            .replace("{c}", &c.to_string())
    };
    let compile =
        |text: &str| Replay::compile(&spec, None, Some(text), None, &Options::default()).unwrap();
    for name in ["fast-burn", "flapping", "3am"] {
        let scenario = Scenario::builtin(name).unwrap();
        let mut last = compile(&rules(0.01, 0.02, 100.0));
        last.run(&scenario).unwrap();
        for (a, b, c) in [
            (0.02, 0.05, 500.0),
            (0.001, 0.01, 60.0),
            (0.01, 0.02, 100.0),
        ] {
            let text = rules(a, b, c);
            let mut next = compile(&text);
            next.keep_from(&mut last);
            let reused = next.run(&scenario).unwrap();
            let (ran, all) = next.instructions_run();
            assert!(ran < all, "{name}: nothing was reused ({ran} of {all})");
            let fresh = compile(&text).run(&scenario).unwrap();
            assert_eq!(reused, fresh, "{name} {a} {b} {c}");
            last = next;
        }
    }
}
