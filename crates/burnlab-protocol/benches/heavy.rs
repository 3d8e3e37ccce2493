//! What the page's heavy core costs per answer, natively: on a big config (5,000 routes, about
//! 1 MB), a keystroke in the rules form, and an objective change replayed on a 30-day scenario
//! (the page's request with a new objective, answered by a session that keeps the last run's
//! series). The browser's figures (wasm in a worker) are in `cargo xtask bench`'s
//! target/bench/.

use burnlab::alertmanager::matchers::ParserMode;
use burnlab::intent::IntentForm;
use burnlab::tester::TestInput;
use burnlab::tiers::Preset;
use burnlab::{Objective, Period};
use burnlab_protocol::replay::{NaiveInput, ReplayRequest, ScenarioInput, WindowInput};
use burnlab_protocol::routing::RoutingRequest;
use burnlab_protocol::rules::{RulesInput, RulesRequest};
use burnlab_protocol::views::SloView;
use burnlab_protocol::{Request, Session, decode, encode};
use criterion::{Criterion, criterion_group, criterion_main};

/// 50 teams of 99 routes each under the root, as the browser benchmark builds it.
fn big_config() -> String {
    let mut out =
        String::from("route:\n  receiver: default\n  group_by: [alertname, team]\n  routes:\n");
    for t in 0..50 {
        out.push_str(&format!(
            "    - receiver: team-{t}\n      matchers: ['team=\"team-{t}\"']\n      routes:\n"
        ));
        for r in 0..99 {
            let (kind, severity) = if r % 3 == 0 {
                ("pager", "page")
            } else {
                ("chat", "ticket")
            };
            out.push_str(&format!(
                "        - receiver: team-{t}-{kind}\n          matchers: ['service=~\"svc-{r}-.*\"', 'severity=\"{severity}\"']\n          group_wait: {}s\n          repeat_interval: {}h\n",
                10 + r % 50,
                1 + r % 11
            ));
        }
    }
    out.push_str("receivers:\n  - name: default\n");
    for t in 0..50 {
        out.push_str(&format!(
            "  - name: team-{t}\n  - name: team-{t}-pager\n  - name: team-{t}-chat\n"
        ));
    }
    out
}

fn test_input() -> TestInput {
    TestInput {
        labels: "team=team-7, service=svc-33-a, severity=page".into(),
        at: "2024-03-15T12:00".into(),
        ..TestInput::default()
    }
}

/// Every input of the Routing section: `config` and the tester's `test`.
fn routing(config: &str, test: TestInput) -> RoutingRequest {
    RoutingRequest {
        config: config.to_owned(),
        mode: ParserMode::Fallback,
        test,
        rules: None,
        intent: IntentForm::default(),
    }
}

fn heavy(c: &mut Criterion) {
    let config = big_config();
    c.bench_function(
        "heavy: read a 5,000-route config (parse, lint, view, redaction, encoding)",
        |b| {
            b.iter(|| {
                let mut session = Session::new();
                let request = Request::Routing {
                    seq: 1,
                    request: Box::new(routing(&config, test_input())),
                };
                let bytes = encode(&request);
                let decoded: Request = decode(&bytes).unwrap_or(request);
                encode(&session.answer(decoded))
            })
        },
    );
    // Every request carries the config; the session reads it only when it changed. The
    // keystroke alternates between two label sets, so each is news.
    let mut session = Session::new();
    session.answer(Request::Routing {
        seq: 1,
        request: Box::new(routing(&config, test_input())),
    });
    let mut other = test_input();
    other.labels.push_str(", team=team-8");
    let inputs = [routing(&config, other), routing(&config, test_input())];
    let mut next = inputs.iter().cycle();
    c.bench_function("heavy: a tester keystroke on a 5,000-route config", |b| {
        b.iter(|| {
            next.next().map(|r| {
                let bytes = encode(&Request::Routing {
                    seq: 2,
                    request: Box::new(r.clone()),
                });
                decode::<Request>(&bytes)
                    .map(|request| encode(&session.answer(request)))
                    .unwrap_or_default()
            })
        })
    });

    // A keystroke in the Rules form: rules, the plain rule file, runbooks, the spec, the lint.
    let slo = SloView::new(
        Objective::parse("99.9").unwrap_or_else(|e| panic!("{e}")),
        Period::parse("30d").unwrap_or_else(|e| panic!("{e}")),
        &Preset::Workbook.tier_set(),
    );
    let mut session = Session::new();
    c.bench_function(
        "heavy: a keystroke in the rules form (generate, runbooks, lint)",
        |b| {
            b.iter(|| {
                encode(&session.answer(Request::Rules {
                    seq: 3,
                    request: RulesRequest {
                        input: RulesInput::Form {
                            form: Box::default(),
                            slo: slo.clone(),
                        },
                        prometheus_rule: false,
                    },
                }))
            })
        },
    );
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
                config: Some((config.to_owned(), ParserMode::Fallback)),
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
    let ask = |r: &ReplayRequest| Request::Replay {
        seq: 1,
        request: Box::new(r.clone()),
    };
    let mut session = Session::new();
    for r in &requests {
        session.answer(ask(r));
    }
    let mut next = requests.iter().cycle();
    c.bench_function(
        "replay session: an objective change on a 30-day scenario",
        |b| {
            b.iter(|| next.next().map(|r| session.answer(ask(r))));
        },
    );
}

criterion_group!(benches, heavy, objective_slider);
criterion_main!(benches);
