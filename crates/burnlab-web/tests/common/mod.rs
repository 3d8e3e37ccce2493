//! Mounting one component over a live reducer in headless Chromium, and reading and typing as
//! a person would.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;
use std::time::Duration;

use burnlab_web::state::{Action, State};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of the harness: what to render with the live state, and the state to start from.
#[derive(Properties, PartialEq)]
pub struct HarnessProps {
    pub view: Callback<(Rc<State>, Callback<Action>), Html>,
    pub initial: Rc<State>,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action| state.dispatch(action))
    };
    props.view.emit((Rc::new((*state).clone()), dispatch))
}

/// Lets Yew render.
pub async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(20)).await;
}

/// Mounts `view` over a reducer that starts at `initial`.
pub async fn mount_with(
    initial: State,
    view: impl Fn(Rc<State>, Callback<Action>) -> Html + 'static,
) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            view: Callback::from(move |(s, d)| view(s, d)),
            initial: Rc::new(initial),
        },
    )
    .render();
    settle().await;
    root
}

/// Mounts `view` over the default state.
pub async fn mount(view: impl Fn(Rc<State>, Callback<Action>) -> Html + 'static) -> Element {
    mount_with(State::default(), view).await
}

pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
}

pub fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

pub fn text_of(root: &Element, test_id: &str) -> String {
    find(root, &format!("[data-testid={test_id}]"))
        .text_content()
        .unwrap_or_default()
}

pub fn all_text(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

pub async fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = find(root, selector).dyn_into().unwrap();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
}

pub async fn pick(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).dyn_into().unwrap();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
}

pub async fn click(root: &Element, selector: &str) {
    let el: web_sys::HtmlElement = find(root, selector).dyn_into().unwrap();
    el.click();
    settle().await;
}

pub fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    find(root, selector).get_attribute(name)
}
