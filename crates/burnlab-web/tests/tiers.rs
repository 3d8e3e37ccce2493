//! The Tiers section mounted in headless Chromium: presets, the user's own rows, messages on
//! the row they concern, and the chart's legend, cursor and axes.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use burnlab_web::components::calculator::Calculator;
use burnlab_web::components::tier_table::TierTable;
use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The Tiers section with the calculator beside it, as its inputs are the section's inputs.
async fn tiers_section() -> web_sys::Element {
    mount(|state, dispatch| {
        html! {
            <>
                <Calculator state={state.clone()} dispatch={dispatch.clone()} />
                <TierTable {state} {dispatch} />
            </>
        }
    })
    .await
}

fn rows(root: &web_sys::Element) -> Vec<String> {
    all_text(root, "[data-testid=tier-table] tbody tr.tier")
}

#[wasm_bindgen_test]
async fn the_workbook_tiers_and_their_detection_times() {
    let root = tiers_section().await;
    let r = rows(&root);
    assert_eq!(r.len(), 3);
    assert!(r[0].contains("1h / 5m") && r[0].contains("14.4×") && r[0].contains("0.0144"));
    assert!(r[2].contains("3d / 6h"));
    assert_eq!(all_text(&root, "[data-testid=detection]")[0], "never");
}

#[wasm_bindgen_test]
async fn workbook_windows_longer_than_a_1h_period_are_said_on_their_rows() {
    let root = tiers_section().await;
    type_into(&root, "#period", "1h").await;
    let problems = all_text(&root, "[data-testid=tier-problems]");
    // Every row: keeping the budget shares, the 1h/5m page fires at 0.02×, when the budget
    // outlasts the period; the 6h and 3d windows also reach past the period.
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems[0].contains("fires at a burn rate of 0.02×, below 1×"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("6h long window is longer than the 1h period"),
        "{problems:?}"
    );
    assert!(
        problems[2].contains("3d long window is longer than the 1h period"),
        "{problems:?}"
    );
}

#[wasm_bindgen_test]
async fn a_tier_that_spends_more_than_the_budget_before_firing_gets_a_message() {
    let root = tiers_section().await;
    click(&root, "[data-testid=copy-tiers]").await;
    // 131 % of a 30d budget in 3d: factor 13.1.
    type_into(&root, "#tier-2-factor", "13.1").await;
    let notes = all_text(&root, "[data-testid=tier-row-note]");
    assert!(
        notes[2].contains("spends 131 % of the budget before it can fire"),
        "{notes:?}"
    );
    assert!(!notes[0].contains("spends"), "{notes:?}");
}

#[wasm_bindgen_test]
async fn custom_tiers_start_from_the_preset_and_update_every_figure() {
    let root = tiers_section().await;
    pick(&root, "#preset", "sloth").await;
    click(&root, "[data-testid=copy-tiers]").await;
    assert_eq!(attr(&root, "#preset", "value"), None);
    assert_eq!(all_text(&root, "[data-testid=tier-row]").len(), 4);
    assert_eq!(rows(&root).len(), 4);

    // A share of the budget in the rate cell: 5 % in 6h is 6×.
    type_into(&root, "#tier-0-long-window", "6h").await;
    type_into(&root, "#tier-0-short-window", "30m").await;
    type_into(&root, "#tier-0-factor", "5%").await;
    assert!(rows(&root)[0].contains("6×"), "{:?}", rows(&root));
    assert_eq!(
        find(&root, ".chart g.series")
            .get_attribute("data-series")
            .as_deref(),
        Some("page 6h/30m 6×")
    );

    click(&root, "[data-testid=add-tier]").await;
    assert_eq!(rows(&root).len(), 5);
    click(&root, "[data-testid=tier-row]:nth-child(2) button.remove").await;
    assert_eq!(rows(&root).len(), 4);
}

#[wasm_bindgen_test]
async fn a_bad_cell_is_located_on_its_row_and_keeps_the_last_valid_tiers() {
    let root = tiers_section().await;
    click(&root, "[data-testid=copy-tiers]").await;
    type_into(&root, "#tier-1-short-window", "6h").await;
    let notes = all_text(&root, "[data-testid=tier-row-note]");
    assert!(
        notes[1].contains("The short window must be shorter than the long window 6h, but is 6h"),
        "{notes:?}"
    );
    assert_eq!(
        attr(&root, "#tier-1-short-window", "aria-invalid").as_deref(),
        Some("true")
    );
    // The table keeps the last valid tiers, marked as such.
    assert!(exists(&root, ".table-wrap.stale"));
    assert!(rows(&root)[1].contains("6h / 30m"));
    let error = find(&root, "#preset-note")
        .text_content()
        .unwrap_or_default();
    assert!(
        error.contains("Row 2: The short window must be shorter"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn each_legend_swatch_sits_beside_its_own_label() {
    let root = tiers_section().await;
    let items = root.query_selector_all("[data-testid=legend] li").unwrap();
    assert_eq!(items.length(), 4, "three tiers and the observed ratio");
    for i in 0..items.length() {
        let li: web_sys::Element = items.item(i).unwrap().dyn_into().unwrap();
        let swatch = li
            .query_selector("svg")
            .unwrap()
            .unwrap()
            .get_bounding_client_rect();
        let label = li
            .query_selector("span")
            .unwrap()
            .unwrap()
            .get_bounding_client_rect();
        assert_eq!(swatch.width(), 28.0, "swatches keep their own size");
        assert!(
            label.left() >= swatch.right() && label.left() - swatch.right() < 12.0,
            "label {i} starts right after its swatch"
        );
        assert!(
            (label.top() - swatch.top()).abs() < 12.0,
            "on the same line"
        );
    }
}

#[wasm_bindgen_test]
async fn the_observed_ratio_line_stays_on_the_axis_at_a_50_percent_objective() {
    let root = tiers_section().await;
    type_into(&root, "#objective", "50").await;
    type_into(&root, "#error-ratio", "0.005").await;
    // At 50 % no Workbook tier can fire; the chart says so instead of drawing nothing.
    assert!(
        exists(&root, "[data-testid=chart-note]") || exists(&root, "[data-testid=observed-line]")
    );
    type_into(&root, "#objective", "90").await;
    // At 90 % the 1× and 6× tiers can fire; the 0.5 % line lies left of their curves.
    let line = find(&root, "[data-testid=observed-line]");
    let x: f64 = line.get_attribute("x1").unwrap().parse().unwrap();
    let svg = find(&root, "svg.plot");
    let width: f64 = svg.get_attribute("width").unwrap().parse().unwrap();
    assert!(x > 0.0 && x < width, "{x} within 0..{width}");
}

#[wasm_bindgen_test]
async fn a_100_percent_objective_and_the_chart_agree() {
    let root = tiers_section().await;
    type_into(&root, "#objective", "100").await;
    let note = text_of(&root, "chart-note");
    assert!(
        note.contains("every tier fires as soon as any request fails"),
        "{note}"
    );
}

#[wasm_bindgen_test]
async fn the_keyboard_reads_exact_values_off_the_chart() {
    let root = tiers_section().await;
    let svg: web_sys::SvgElement = find(&root, "svg.plot").dyn_into().unwrap();
    svg.focus().unwrap();
    settle().await;
    let at_observed = text_of(&root, "chart-readout");
    assert!(at_observed.starts_with("At 0.5 % errors:"), "{at_observed}");
    assert!(
        at_observed.contains("page 1h/5m 14.4× never fires"),
        "{at_observed}"
    );
    assert!(
        at_observed.contains("ticket 3d/6h 1× fires after 14 h 24 min"),
        "{at_observed}"
    );
    let key = web_sys::KeyboardEventInit::new();
    key.set_key("End");
    key.set_bubbles(true);
    svg.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &key).unwrap(),
    )
    .unwrap();
    settle().await;
    let at_full = text_of(&root, "chart-readout");
    assert!(at_full.starts_with("At 100 % errors:"), "{at_full}");
    assert!(exists(&root, "[data-testid=chart-cursor]"));
}
