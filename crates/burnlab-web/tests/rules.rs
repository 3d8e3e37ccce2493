//! The Rules section's state and components in a real headless Chromium: the form generates
//! the core's rules on the SLO context, a bad field keeps the last rules and names itself,
//! every input round-trips through link pairs, and the section's DOM shows the exact YAML.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::rc::Rc;
use std::time::Duration;

use burnlab::rules::Format;
use burnlab::tiers::Preset;
use burnlab::{Objective, Period};
use burnlab_web::components::sections::rules::RulesSection;
use burnlab_web::state::State;
use burnlab_web::state::rules::{FILE_EXAMPLES, Field, RulesAction, RulesState, SliKind, Source};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn synced() -> RulesState {
    RulesState::default().sync_slo(
        Objective::from_percent(99.9).unwrap(),
        Period::DAYS_30,
        &Preset::Workbook.tier_set(),
    )
}

#[wasm_bindgen_test]
fn the_default_form_generates_the_task_api_rules_once_the_slo_arrives() {
    assert!(RulesState::default().output.yaml.is_empty());
    let s = synced();
    assert_eq!(s.output.alerts, 3);
    assert!(s.output.yaml.contains("alert: TaskApiAvailabilityPage1h"));
    assert_eq!(s.output.runbooks.len(), 3);
}

#[wasm_bindgen_test]
fn a_bad_field_keeps_the_last_rules_and_names_the_field() {
    let s = synced();
    let bad = s.apply(RulesAction::SetField(Field::Service, "task api".into()));
    assert!(bad.is_stale());
    assert_eq!(bad.output, s.output);
    assert!(bad.field_error(Field::Service).is_some());
    assert!(bad.field_error(Field::Slo).is_none());
    let fixed = bad.apply(RulesAction::SetField(Field::Service, "tasks".into()));
    assert!(!fixed.is_stale());
    assert!(fixed.output.yaml.contains("alert: TasksAvailabilityPage1h"));
}

#[wasm_bindgen_test]
fn the_same_slo_context_does_not_regenerate() {
    let s = synced();
    let again = s.sync_slo(
        Objective::from_percent(99.9).unwrap(),
        Period::DAYS_30,
        &Preset::Workbook.tier_set(),
    );
    assert!(Rc::ptr_eq(&s.output, &again.output));
}

#[wasm_bindgen_test]
fn examples_switch_the_source_and_the_lesson_file_is_shown_verbatim() {
    let s = synced().apply(RulesAction::LoadFile(0));
    assert_eq!(s.source, Source::File);
    assert_eq!(s.output.yaml, FILE_EXAMPLES[0].1);
    assert_eq!(s.output.alerts, 3);
    let s = s.apply(RulesAction::LoadSpec(1));
    assert_eq!(s.source, Source::Spec);
    assert!(!s.is_stale(), "{:?}", s.error);
}

#[wasm_bindgen_test]
fn lint_findings_belong_to_the_yaml_they_were_made_for() {
    let s = synced().apply(RulesAction::Linted {
        yaml: "other".into(),
        findings: Vec::new(),
    });
    assert!(s.findings().is_none());
    let yaml = s.output.yaml.clone();
    let s = s.apply(RulesAction::Linted {
        yaml,
        findings: Vec::new(),
    });
    assert_eq!(s.findings().map(|f| f.len()), Some(0));
}

#[wasm_bindgen_test]
fn save_and_restore_round_trip_every_input() {
    let s = synced()
        .apply(RulesAction::SetSli(SliKind::Latency))
        .apply(RulesAction::SetField(Field::Le, "0.5".into()))
        .apply(RulesAction::SetFormat(Format::PrometheusRule))
        .apply(RulesAction::SetSpec("version: prometheus/v1\n".into()))
        .apply(RulesAction::SetSource(Source::Form));
    let mut pairs = Vec::new();
    s.save(&mut pairs);
    assert!(pairs.iter().all(|(k, _)| k.starts_with("r.")));
    let back =
        RulesState::restore(&|k| pairs.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone()));
    assert_eq!(
        (
            back.source,
            back.form.clone(),
            back.format,
            back.spec.clone()
        ),
        (s.source, s.form.clone(), s.format, s.spec.clone())
    );
    let back = back.sync_slo(
        Objective::from_percent(99.9).unwrap(),
        Period::DAYS_30,
        &Preset::Workbook.tier_set(),
    );
    assert_eq!(back.output, s.output);
}

#[function_component(Harness)]
fn harness() -> Html {
    let state = use_reducer(State::default);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action| state.dispatch(action))
    };
    html! { <RulesSection state={Rc::new((*state).clone())} {dispatch} /> }
}

async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(30)).await;
}

async fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root(root.clone()).render();
    settle().await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .text_content()
        .unwrap_or_default()
}

async fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .expect("the input exists")
        .dyn_into()
        .unwrap();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn the_section_shows_exactly_the_generated_yaml_and_follows_the_form() {
    let root = mount().await;
    let expected = synced().output.yaml.clone();
    assert_eq!(text_of(&root, "[data-testid=rules-yaml]"), expected);
    // One gutter number per line of the YAML.
    let lines = expected.trim_end().lines().count();
    assert!(text_of(&root, ".code-view .gutter").ends_with(&format!("{lines}\n")));
    type_into(&root, "#rules-slo", "latency").await;
    assert!(text_of(&root, "[data-testid=rules-yaml]").contains("alert: TaskApiLatencyPage1h"));
    type_into(&root, "#rules-slo", "").await;
    assert!(text_of(&root, "#rules-slo-error").contains("is empty"));
    assert!(text_of(&root, "[data-testid=rules-yaml]").contains("alert: TaskApiLatencyPage1h"));
    assert!(
        root.query_selector("figure.code-view.stale")
            .unwrap()
            .is_some(),
        "the shown rules are marked stale"
    );
    assert!(
        text_of(&root, "[data-testid=runbook-preview] h3").starts_with("Runbook: TaskApiLatency")
    );
}
