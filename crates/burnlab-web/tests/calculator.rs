//! The Budget section mounted in a real headless Chromium: its text comes from the core, edits
//! update it, a bad edit keeps the last good figures, and the slider says what the field says.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use burnlab_web::components::calculator::Calculator;
use burnlab_web::components::incident::Incident;
use common::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn budget_section() -> web_sys::Element {
    mount(|state, dispatch| {
        html! {
            <>
                <Calculator state={state.clone()} dispatch={dispatch.clone()} />
                <Incident {state} {dispatch} />
            </>
        }
    })
    .await
}

#[wasm_bindgen_test]
async fn shows_the_core_figures_for_the_default_objective() {
    let root = budget_section().await;
    assert_eq!(text_of(&root, "budget-time"), "43.2 min");
    assert!(text_of(&root, "budget").contains("0.1 % of requests"));
    assert_eq!(text_of(&root, "burn-rate"), "5×");
    assert_eq!(text_of(&root, "time-to-exhaustion"), "6 d");
}

#[wasm_bindgen_test]
async fn follows_the_objective_and_keeps_the_last_figures_on_a_bad_edit() {
    let root = budget_section().await;
    // 0.5 % errors against 99 % is a 0.5× burn that lasts 60 days, not "5x".
    type_into(&root, "#objective", "99").await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    assert_eq!(text_of(&root, "time-to-exhaustion"), "60 d");

    type_into(&root, "#objective", "101").await;
    assert_eq!(text_of(&root, "burn-rate"), "0.5×");
    let error = find(&root, ".field-error")
        .text_content()
        .unwrap_or_default();
    assert!(error.contains("outside"), "{error}");
    assert_eq!(
        attr(&root, "#objective", "aria-invalid").as_deref(),
        Some("true")
    );
    // The figures that depend on the objective say they are the last valid input's.
    assert!(exists(&root, ".card.stale [data-testid=burn-rate]"));
}

#[wasm_bindgen_test]
async fn an_empty_field_says_which_field_is_empty() {
    let root = budget_section().await;
    for (selector, want) in [
        ("#objective", "The objective is empty"),
        ("#period", "The period is empty"),
        ("#incident-duration", "The incident duration is empty"),
    ] {
        type_into(&root, selector, "").await;
        let errors = all_text(&root, ".field-error").join(" | ");
        assert!(errors.contains(want), "{selector}: {errors}");
        assert!(!errors.contains("``"), "{errors}");
    }
}

#[wasm_bindgen_test]
async fn a_request_rate_shows_the_budget_in_requests_with_separators() {
    let root = budget_section().await;
    type_into(&root, "#requests", "1000").await;
    // 1000 requests a second over 30 days is 2,592,000,000 requests; 0.1 % of them may fail.
    assert_eq!(
        text_of(&root, "budget-requests"),
        "2,592,000 failed requests per 30d at 1000/s"
    );
    type_into(&root, "#requests", "1").await;
    assert!(text_of(&root, "single-failure").contains("0.0386 %"));
}

#[wasm_bindgen_test]
async fn the_slider_says_exactly_what_the_field_says() {
    let root = budget_section().await;
    for (typed, want) in [
        ("99.97", "99.97 %"),
        ("89.9", "89.9 %"),
        ("50", "50 %"),
        ("100", "100 %"),
        ("99.9", "99.9 %"),
    ] {
        type_into(&root, "#objective", typed).await;
        assert_eq!(
            attr(&root, "#objective-slider", "aria-valuetext").as_deref(),
            Some(want),
            "typed {typed}"
        );
    }
    // The thumb sits at the objective's own nines, not at the nearest stop: 89.9 % is left of
    // 90 % (one nine).
    type_into(&root, "#objective", "89.9").await;
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::dyn_into(find(&root, "#objective-slider")).unwrap();
    let nines: f64 = input.value().parse().unwrap();
    assert!(nines < 1.0 && nines > 0.99, "{nines}");
}

#[wasm_bindgen_test]
async fn a_100_percent_objective_shows_a_figure_and_a_note_not_a_sentence_in_the_figure() {
    let root = budget_section().await;
    type_into(&root, "#objective", "100").await;
    assert_eq!(text_of(&root, "burn-rate"), "∞×");
    assert_eq!(text_of(&root, "time-to-exhaustion"), "immediately");
    let warnings = text_of(&root, "warnings");
    // The same meaning of 100 % as `burnlab budget` and `burnlab rules` give.
    assert!(
        warnings.contains("100 % leaves no error budget")
            && warnings.contains("burnlab rules refuses it")
            && warnings.contains("Every tier here fires on the first error"),
        "{warnings}"
    );
}

#[wasm_bindgen_test]
async fn a_bad_incident_duration_marks_only_the_incident_stale() {
    let root = budget_section().await;
    type_into(&root, "#incident-duration", "2").await;
    assert!(exists(&root, "#incident .card.stale"));
    assert!(
        !exists(&root, "#budget .card.stale"),
        "the budget figures do not depend on it"
    );
    // The field stays, with its text and its error, so it can be repaired.
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::dyn_into(find(&root, "#incident-duration")).unwrap();
    assert_eq!(input.value(), "2");
    type_into(&root, "#incident-duration", "2h").await;
    assert!(!exists(&root, ".stale"));
}

#[wasm_bindgen_test]
async fn a_bad_request_rate_leaves_the_burn_rate_fresh() {
    let root = budget_section().await;
    type_into(&root, "#requests", "lots").await;
    assert!(!exists(&root, ".card.stale [data-testid=burn-rate]"));
    assert!(!exists(&root, "#incident .stale"));
}
