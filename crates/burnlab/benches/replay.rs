//! The replay's speed: a 30-day scenario at a 30 s evaluation interval with the Workbook tiers
//! and a ten-route Alertmanager configuration, rules and Alertmanager together (goal: 4.5 ms);
//! the same with the naive rule beside it; the first three days of it (which `cargo xtask bench`
//! also runs through promtool, for the ratio); and a year at a 10 s interval (goal: under a
//! second). Each of those is a fresh run (a replay keeps series for the next run of the same
//! scenario, so the runs alternate between two scenarios with the same counters). What the
//! page's objective slider costs its worker is in burnlab-protocol's `heavy` benchmark.

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::replay::{Options, Replay, Scenario};
use burnlab::rules::Spec;
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

criterion_group!(benches, bench);
criterion_main!(benches);
