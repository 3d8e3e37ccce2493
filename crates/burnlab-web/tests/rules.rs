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
use burnlab_protocol::{Request, Response, Session};
use burnlab_web::components::sections::rules::RulesSection;
use burnlab_web::services::persist::{Persist, ShareMode};
use burnlab_web::state::rules::{FILE_EXAMPLES, Field, RulesAction, RulesState, SliKind, Source};
use burnlab_web::state::{SloContext, State};
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The state after the heavy core answered its request, as the worker would.
fn answered(state: RulesState) -> RulesState {
    let request = state.request().expect("a request");
    let Response::Rules { answer, .. } = Session::new().answer(Request::Rules {
        seq: 1,
        request: request.clone(),
    }) else {
        panic!("not a rules answer");
    };
    state.apply(RulesAction::Answer {
        request: Rc::new(request),
        answer,
    })
}

fn slo(objective: f64) -> SloContext {
    SloContext {
        objective: Objective::from_percent(objective).unwrap(),
        period: Period::DAYS_30,
        tiers: Preset::Workbook.tier_set(),
    }
}

fn synced() -> RulesState {
    RulesState::default().sync_slo(&slo(99.9))
}

#[wasm_bindgen_test]
fn the_form_asks_nothing_until_the_slo_arrives_then_gets_the_task_api_rules() {
    assert_eq!(RulesState::default().request(), None);
    let s = answered(synced());
    assert!(s.is_current());
    assert_eq!(s.output.alerts, 3);
    assert!(s.output.yaml.contains("alert: TaskApiAvailabilityPage1h"));
    assert_eq!(s.output.runbooks.len(), 3);
    assert_eq!(s.findings.len(), 0);
}

#[wasm_bindgen_test]
fn a_bad_field_keeps_the_last_rules_and_names_the_field() {
    let s = answered(synced());
    let bad = answered(s.apply(RulesAction::SetField(Field::Service, "task api".into())));
    assert!(bad.is_stale());
    assert_eq!(bad.output, s.output);
    assert!(bad.field_error(Field::Service).is_some());
    assert!(bad.field_error(Field::Slo).is_none());
    let fixed = answered(bad.apply(RulesAction::SetField(Field::Service, "tasks".into())));
    assert!(!fixed.is_stale());
    assert!(fixed.output.yaml.contains("alert: TasksAvailabilityPage1h"));
}

#[wasm_bindgen_test]
fn the_same_slo_context_asks_nothing_new() {
    let s = answered(synced());
    let again = s.sync_slo(&slo(99.9));
    assert!(again.is_current());
    let other = s.sync_slo(&slo(99.5));
    assert!(!other.is_current());
    assert!(answered(other).output.yaml.contains("> 0.072"));
}

#[wasm_bindgen_test]
fn examples_switch_the_source_and_the_lesson_file_is_shown_verbatim_with_its_findings() {
    let s = answered(synced().apply(RulesAction::LoadFile(0)));
    assert_eq!(s.source, Source::File);
    assert_eq!(s.output.yaml, FILE_EXAMPLES[0].1);
    assert_eq!(s.output.alerts, 3);
    assert!(s.findings.iter().any(|f| f.message.contains("rate30m")));
    let s = answered(s.apply(RulesAction::LoadSpec(1)));
    assert_eq!(s.source, Source::Spec);
    assert!(!s.is_stale(), "{:?}", s.error);
}

#[wasm_bindgen_test]
fn edit_as_a_spec_copies_the_forms_spec_into_the_editor() {
    let s = answered(synced()).apply(RulesAction::FormToSpec);
    assert_eq!(s.source, Source::Spec);
    assert!(
        s.spec
            .starts_with("version: prometheus/v1\nservice: task-api\n"),
        "{}",
        s.spec
    );
    let spec = answered(s);
    assert!(
        spec.output
            .yaml
            .contains("alert: TaskApiAvailabilityPage1h")
    );
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
    s.save(ShareMode::Link, &mut pairs);
    assert!(pairs.iter().all(|(k, _)| k.starts_with("r.")));
    let back =
        RulesState::restore(&|k| pairs.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone()));
    let back = back.sync_slo(&slo(99.9));
    assert_eq!(back.request(), s.request());
    assert_eq!(back.spec, s.spec);
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    state: Rc<State>,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    html! { <RulesSection state={props.state.clone()} dispatch={Callback::noop()} /> }
}

async fn mount(state: State) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            state: Rc::new(state),
        },
    )
    .render();
    gloo::timers::future::sleep(Duration::from_millis(30)).await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_section_shows_exactly_the_generated_yaml_its_gutter_and_runbooks() {
    let mut state = State::default();
    state.rules = answered(state.rules.clone());
    let expected = state.rules.output.yaml.clone();
    let root = mount(state).await;
    assert_eq!(text_of(&root, "[data-testid=rules-yaml]"), expected);
    let lines = expected.trim_end().lines().count();
    assert!(text_of(&root, ".code-view .gutter").ends_with(&format!("{lines}\n")));
    assert!(
        text_of(&root, "[data-testid=runbook-preview] h3")
            .starts_with("Runbook: TaskApiAvailabilityPage1h")
    );
    assert!(text_of(&root, ".sections-output").contains("No lint findings"));
}

#[wasm_bindgen_test]
async fn a_bad_field_is_shown_at_the_field_with_the_last_rules_marked_stale() {
    let mut state = State::default();
    let good = answered(state.rules.clone());
    state.rules = answered(good.apply(RulesAction::SetField(Field::Slo, String::new())));
    let expected = good.output.yaml.clone();
    let root = mount(state).await;
    assert_eq!(text_of(&root, "[data-testid=rules-yaml]"), expected);
    assert!(text_of(&root, "#rules-slo-error").contains("is empty"));
    assert!(
        root.query_selector("figure.code-view.stale")
            .unwrap()
            .is_some()
    );
}
