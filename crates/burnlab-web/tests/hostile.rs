//! The worst inputs found against burnlab, fed to the page's parsers in a real headless
//! Chromium, where a panic or a stack overflow ends the page: the heavy core as the worker runs
//! it (rule files, specs and Alertmanager configs of the test kit's `hostile`, and text above
//! the page's cap), and the main module's own parsers (the budget's fields and the tier editor).
//! Each must end in an answer or a named error. wasm's stack is far smaller than a native
//! thread's, so this is where a recursion bound that is too generous would show.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use burnlab::tiers::Severity;
use burnlab_protocol::routing::RoutingRequest;
use burnlab_protocol::rules::{RulesInput, RulesRequest};
use burnlab_protocol::views::SloView;
use burnlab_protocol::{Request, Response, Session};
use burnlab_testkit::hostile::{self, Kind};
use burnlab_web::state::budget::check;
use burnlab_web::state::{CustomTiers, Inputs, TierChoice, TierRow, Valid};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the heavy core answers for `text` read as `kind`: the error's field and message, the
/// lint findings' messages, or the config view's error.
fn heavy(kind: Kind, text: String) -> String {
    let mut session = Session::new();
    let request = match kind {
        Kind::RuleFile | Kind::Spec => Request::Rules {
            seq: 1,
            request: RulesRequest {
                input: if kind == Kind::Spec {
                    RulesInput::Spec { text, slo: None }
                } else {
                    RulesInput::File {
                        text,
                        form: Box::default(),
                        slo: SloView::new(
                            burnlab::Objective::from_percent(99.9).unwrap(),
                            burnlab::Period::DAYS_30,
                            &burnlab::tiers::Preset::Workbook.tier_set(),
                        ),
                    }
                },
                prometheus_rule: false,
            },
        },
        Kind::AlertmanagerConfig => Request::Routing {
            seq: 1,
            request: Box::new(RoutingRequest {
                config: text,
                ..RoutingRequest::default()
            }),
        },
    };
    match session.answer(request) {
        Response::Rules { answer, .. } => {
            let mut out = match &answer.output {
                Ok(_) => "rules".to_owned(),
                Err(e) => format!("{}: {} at {}:{}", e.field, e.message, e.line(), e.column()),
            };
            for f in &answer.findings {
                out.push_str(&format!("\n{}: {}", f.check, f.message));
            }
            out
        }
        Response::Routing { answer, .. } => match answer.config.and_then(|c| c.error) {
            Some(e) => format!("{}: {} at {}:{}", e.field, e.message, e.line(), e.column()),
            None => "config".to_owned(),
        },
        other => format!("{other:?}"),
    }
}

#[wasm_bindgen_test]
fn every_hostile_input_is_answered_by_the_heavy_core_in_the_browser() {
    for case in hostile::cases() {
        let name = case.name;
        let answer = heavy(case.kind, case.text);
        // What each case must get: the bound that stops it, or the answer.
        let want = match name {
            "and-chains-1mb" => "were not checked",
            "and-chain-3000" | "power-chain-22000" | "plus-chain-30000" => "operators",
            "yaml-keys-77000" => "k0",
            "alias-bomb" => "alias",
            "spec-query-nested" => "slos[0].sli.events.error_query",
            "routes-14000" | "routes-27000" => "config",
            _ => "lints expressions of up to 64 KiB",
        };
        assert!(
            answer.contains(want),
            "{name}: {want:?} missing from {}",
            answer.chars().take(600).collect::<String>()
        );
    }
}

#[wasm_bindgen_test]
fn text_above_the_pages_cap_is_refused_by_name() {
    let big = format!("# {}\n", "x".repeat(burnlab_protocol::MAX_INPUT_BYTES));
    for kind in [Kind::RuleFile, Kind::Spec, Kind::AlertmanagerConfig] {
        let answer = heavy(kind, big.clone());
        assert!(
            answer.contains("is longer than the 2 MiB burnlab reads"),
            "{kind:?}: {answer}"
        );
    }
}

#[wasm_bindgen_test]
fn the_budget_fields_and_the_tier_editor_name_every_hostile_value() {
    let long_number = "9".repeat(1 << 20);
    let long_duration = format!("{}y", "9".repeat(1 << 16));
    let hostile = [
        long_number.as_str(),
        long_duration.as_str(),
        "99999999999999999999y",
        "1e308",
        "-0",
        "NaN",
        "inf",
        "1/0",
        "\u{0}",
        "９９.９",
    ];
    for text in hostile {
        let inputs = Inputs {
            objective: text.to_owned(),
            period: text.to_owned(),
            error_ratio: text.to_owned(),
            requests: text.to_owned(),
            incident: text.to_owned(),
            tiers: TierChoice::Custom,
            custom: CustomTiers {
                rows: vec![TierRow {
                    severity: Severity::Page,
                    long: text.to_owned(),
                    short: text.to_owned(),
                    rate: text.to_owned(),
                    for_duration: text.to_owned(),
                }],
            },
            ..Inputs::default()
        };
        let checked = check(&inputs, &Valid::default());
        // Every field that did not take the value says why, by name; none panics.
        for (field, error) in &checked.errors {
            assert!(
                !error.message.is_empty() && !error.field.is_empty(),
                "{field:?} for {:?}",
                text.chars().take(20).collect::<String>()
            );
        }
        assert!(
            !checked.errors.is_empty() || !checked.row_errors.is_empty(),
            "{:?} was taken everywhere",
            text.chars().take(20).collect::<String>()
        );
    }
}

#[wasm_bindgen_test]
fn a_panic_shows_what_happened_and_keeps_the_last_drawn_inputs() {
    use burnlab_web::services::{crash, persist};
    use burnlab_web::state::State;
    let inputs = Inputs {
        objective: "99.5".into(),
        ..Inputs::default()
    };
    let drawn = std::rc::Rc::new(State::new(inputs, None));
    crash::remember(&drawn);
    crash::report("panicked at src/x.rs:1:2: boom");
    let document = web_sys::window().unwrap().document().unwrap();
    let notice = document.get_element_by_id(crash::NOTICE_ID).unwrap();
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap();
    assert!(text.contains("panicked at src/x.rs:1:2: boom"), "{text}");
    assert!(text.contains("Reload the page"), "{text}");
    let saved = persist::load_local().unwrap();
    assert!(
        saved.contains(&("objective".to_owned(), "99.5".to_owned())),
        "{saved:?}"
    );
    // Once: a second panic adds nothing.
    crash::report("again");
    assert_eq!(
        document
            .query_selector_all(&format!("#{}", crash::NOTICE_ID))
            .unwrap()
            .length(),
        1
    );
}
