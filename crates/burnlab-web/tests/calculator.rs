//! The calculator mounted in a real headless Chromium: its text comes from the core.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use burnlab_web::components::calculator::Calculator;
use burnlab_web::state::State;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[function_component(Harness)]
fn harness() -> Html {
    let state = use_reducer(State::default);
    html! { <Calculator {state} /> }
}

fn text_of(root: &web_sys::Element, test_id: &str) -> String {
    root.query_selector(&format!("[data-testid={test_id}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element {test_id}"))
        .text_content()
        .unwrap_or_default()
}

async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn shows_the_core_figures_and_follows_input() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root(root.clone()).render();
    settle().await;

    assert!(text_of(&root, "budget").contains("0.1 % of requests"));
    assert!(text_of(&root, "budget").contains("43.2 min"));
    assert_eq!(text_of(&root, "burn-rate"), "5×");
    assert_eq!(text_of(&root, "exhaustion"), "6 d");

    // Typing 99 makes 0.5 % errors a 0.5× burn that lasts 60 days.
    let objective: HtmlInputElement = root
        .query_selector("#objective")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    objective.set_value("99");
    let event = web_sys::InputEvent::new("input").unwrap();
    objective.dispatch_event(&event).unwrap();
    settle().await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    assert_eq!(text_of(&root, "exhaustion"), "60 d");

    // A bad edit shows its error and keeps the last good figures.
    objective.set_value("101");
    objective.dispatch_event(&event).unwrap();
    settle().await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    let error = root.query_selector(".field-error").unwrap().unwrap();
    assert!(error.text_content().unwrap_or_default().contains("outside"));
}
