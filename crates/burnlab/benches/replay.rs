//! The replay's speed: a 30-day scenario at a 30 s evaluation interval with the Workbook tiers
//! and a ten-route Alertmanager configuration, rules and Alertmanager together (goal: 4.5 ms);
//! the same with the naive rule beside it; the first three days of it (which `cargo xtask bench`
//! also runs through promtool, for the ratio); and a year at a 10 s interval (goal: under a
//! second). Each of those is a fresh run (a replay keeps series for the next run of the same
//! scenario, so the runs alternate between two scenarios with the same counters). Then what the
//! page's objective slider costs the worker: the page's request with a new objective, answered
//! by a session that keeps the last run's series.

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::heavy::{MatcherMode, SloView};
use burnlab::replay::session::{
    NaiveInput, ReplayRequest, ReplaySession, RulesInput, ScenarioInput, WindowInput,
};
use burnlab::replay::{Options, Replay, Scenario};
use burnlab::rules::Spec;
use burnlab::tiers::Preset;
use burnlab::{Objective, Period};
use criterion::{Criterion, criterion_group, criterion_main};

const SPEC: &str = include_str!("../../../tests/fixtures/specs/workbook-999.yaml");
const CONFIG: &str = include_str!("../../../tests/fixtures/replay/ten-routes.yml");
const MONTH: &str = include_str!("../../../tests/fixtures/replay/bench-30d.yaml");

/// The month cut to its first three days: the scenario `cargo xtask bench` gives promtool.
pub fn three_days() -> Option<Scenario> {
    let mut s = Scenario::parse(MONTH).ok()?;
    s.duration = burnlab::Duration::from_days(3);
    s.incidents.retain(|i| i.start < s.duration);
    s.silences.clear();
    s.name = Some("bench-3d".into());
    Some(s)
}

fn bench(c: &mut Criterion) {
    let (Ok(spec), Ok(config), Ok(month)) = (
        Spec::parse(SPEC),
        Config::parse(CONFIG, ConfigOptions::default()),
        Scenario::parse(MONTH),
    ) else {
        return;
    };
    let alone = Options {
        compare_naive: false,
        ..Options::default()
    };
    let Ok(mut replay) = Replay::compile(&spec, None, None, Some(&config), &alone) else {
        return;
    };
    c.bench_function("replay 30d at 30s, workbook tiers, 10 routes", |b| {
        fresh(b, &mut replay, &month)
    });
    if let Some(short) = three_days() {
        c.bench_function("replay 3d at 30s (the promtool comparison)", |b| {
            fresh(b, &mut replay, &short)
        });
    }
    let Ok(mut both) = Replay::compile(&spec, None, None, Some(&config), &Options::default())
    else {
        return;
    };
    c.bench_function("replay 30d at 30s with the naive rule beside", |b| {
        fresh(b, &mut both, &month)
    });
    let mut year = month.clone();
    year.duration = burnlab::Duration::from_days(365);
    year.scrape_interval = burnlab::Duration::from_secs(10);
    year.evaluation_interval = burnlab::Duration::from_secs(10);
    let mut group = c.benchmark_group("long");
    group.sample_size(10);
    group.bench_function("replay 365d at 10s with the naive rule", |b| {
        fresh(b, &mut both, &year)
    });
    group.finish();
    objective_slider(c);
}

/// Times fresh runs of `scenario`: every other run is of a copy under another name, which the
/// replay cannot tell has the same counters, as after a dragged incident.
fn fresh(b: &mut criterion::Bencher<'_>, replay: &mut Replay, scenario: &Scenario) {
    let mut other = scenario.clone();
    other.name = Some(format!(
        "{} (again)",
        scenario.name.as_deref().unwrap_or("")
    ));
    let mut flip = false;
    b.iter(|| {
        flip = !flip;
        replay
            .run(if flip { &other } else { scenario })
            .map(|o| o.timeline.sends)
    });
}

/// The page's Replay section on the `healthy-month` built-in (30 days at 30 s) with the Routing
/// section's default config: each iteration moves the objective, as the slider does.
fn objective_slider(c: &mut Criterion) {
    let config = include_str!("../../../tests/fixtures/alertmanager/generated-default.yaml");
    let Some(text) = burnlab::replay::builtin::text("healthy-month") else {
        return;
    };
    let request = |percent: f64| {
        Objective::from_percent(percent)
            .ok()
            .map(|o| ReplayRequest {
                rules: RulesInput::Form {
                    form: Box::default(),
                    slo: SloView::new(o, Period::DAYS_30, &Preset::Workbook.tier_set()),
                },
                config: Some((config.to_owned(), MatcherMode::Fallback)),
                scenario: ScenarioInput::Text(text.to_owned()),
                naive: NaiveInput {
                    threshold: None,
                    for_ms: None,
                },
                window: Some(WindowInput {
                    from_ms: 0,
                    to_ms: i64::MAX,
                    points: 600,
                }),
                export: None,
            })
    };
    let requests: Vec<ReplayRequest> = [99.5, 99.95, 99.9]
        .into_iter()
        .filter_map(request)
        .collect();
    let mut session = ReplaySession::new();
    for r in &requests {
        session.answer(r);
    }
    let mut next = requests.iter().cycle();
    c.bench_function(
        "replay session: an objective change on a 30-day scenario",
        |b| {
            b.iter(|| next.next().map(|r| session.answer(r)));
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
