//! The calculator mounted in a real headless Chromium: its text comes from the core, edits
//! update it, and a bad edit keeps the last good figures.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;
use std::time::Duration;

use burnlab_web::components::calculator::Calculator;
use burnlab_web::state::State;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[function_component(Harness)]
fn harness() -> Html {
    let state = use_reducer(State::default);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action| state.dispatch(action))
    };
    html! { <Calculator state={Rc::new((*state).clone())} {dispatch} /> }
}

fn text_of(root: &Element, test_id: &str) -> String {
    root.query_selector(&format!("[data-testid={test_id}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element {test_id}"))
        .text_content()
        .unwrap_or_default()
}

async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(20)).await;
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

async fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root(root.clone()).render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn shows_the_core_figures_for_the_default_objective() {
    let root = mount().await;
    assert!(text_of(&root, "budget").contains("0.1 % of requests"));
    assert!(text_of(&root, "budget").contains("43.2 min"));
    assert_eq!(text_of(&root, "burn-rate"), "5×");
    assert_eq!(text_of(&root, "exhaustion"), "6 d");
}

#[wasm_bindgen_test]
async fn follows_the_objective_and_keeps_the_last_figures_on_a_bad_edit() {
    let root = mount().await;
    // 0.5 % errors against 99 % is a 0.5× burn that lasts 60 days, not "5x".
    type_into(&root, "#objective", "99").await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    assert_eq!(text_of(&root, "exhaustion"), "60 d");

    type_into(&root, "#objective", "101").await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    let error = root.query_selector(".field-error").unwrap().unwrap();
    assert!(error.text_content().unwrap_or_default().contains("outside"));
    assert_eq!(
        root.query_selector("#objective")
            .unwrap()
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_request_rate_shows_the_budget_in_requests_and_one_failures_share() {
    let root = mount().await;
    type_into(&root, "#requests", "1").await;
    // 1 request per second over 30 days is 2,592,000 requests; 0.1 % of them may fail.
    assert!(
        text_of(&root, "budget-requests").contains("2592"),
        "{}",
        text_of(&root, "budget-requests")
    );
    assert!(
        text_of(&root, "single-failure").contains("0.0386 %"),
        "{}",
        text_of(&root, "single-failure")
    );
}

#[wasm_bindgen_test]
fn inputs_round_trip_through_url_pairs() {
    use burnlab::tiers::{Preset, Scaling};
    use burnlab_web::state::Inputs;
    let inputs = Inputs {
        objective: "99.95".into(),
        period: "28d".into(),
        error_ratio: "0.5%".into(),
        requests: "10/h".into(),
        preset: Preset::Pyrra,
        scaling: Some(Scaling::KeepBudgetShare),
        incident: "2h".into(),
    };
    let pairs = inputs.to_pairs();
    let back = Inputs::from_pairs(|k| {
        pairs
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
    });
    assert_eq!(back, inputs);
    // A link with only an objective keeps every other default; a bad tier set falls back.
    let only = Inputs::from_pairs(|k| match k {
        "objective" => Some("99".into()),
        "tiers" => Some("nonsense".into()),
        _ => None,
    });
    assert_eq!(only.objective, "99");
    assert_eq!(only.preset, Preset::Workbook);
    assert_eq!(only.period, Inputs::default().period);
}
