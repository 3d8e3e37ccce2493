//! What the page's heavy core costs per answer on a big config (5,000 routes, about 1 MB),
//! natively; the browser's figures (wasm in a worker) are in `cargo xtask bench`'s
//! target/bench/routing-editor.json.

use burnlab::heavy::{
    MatcherMode, Request, RoutingRequest, RulesRequest, RulesSource, Session, SloView, decode,
    encode,
};
use burnlab::tester::TestInput;
use burnlab::tiers::Preset;
use burnlab::{Objective, Period};
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

fn heavy(c: &mut Criterion) {
    let config = big_config();
    c.bench_function(
        "heavy: read a 5,000-route config (parse, lint, view, redaction, encoding)",
        |b| {
            b.iter(|| {
                let mut session = Session::new();
                let request = Request::Routing {
                    seq: 1,
                    request: Box::new(RoutingRequest {
                        config: Some((config.clone(), MatcherMode::Fallback)),
                        test: Some(test_input()),
                        ..RoutingRequest::default()
                    }),
                };
                let bytes = encode(&request);
                let decoded: Request = decode(&bytes).unwrap_or(request);
                encode(&session.answer(decoded))
            })
        },
    );
    let mut session = Session::new();
    session.answer(Request::Routing {
        seq: 1,
        request: Box::new(RoutingRequest {
            config: Some((config, MatcherMode::Fallback)),
            ..RoutingRequest::default()
        }),
    });
    c.bench_function("heavy: a tester keystroke on a 5,000-route config", |b| {
        b.iter(|| {
            encode(&session.answer(Request::Routing {
                seq: 2,
                request: Box::new(RoutingRequest {
                    test: Some(test_input()),
                    ..RoutingRequest::default()
                }),
            }))
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
                        source: RulesSource::Form {
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

criterion_group!(benches, heavy);
criterion_main!(benches);
