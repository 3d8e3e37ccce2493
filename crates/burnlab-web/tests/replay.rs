//! The Replay section's charts and editor in a real headless Chromium, fed by the same replay
//! session the worker runs (called directly here): the lanes draw the core's notifications and
//! alert states, the keyboard moves, stretches and removes an incident, and an editor field
//! keeps bad text with its error while the scenario keeps its last good value.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use burnlab_protocol::{Request, Response, Session};
use burnlab_web::components::sections::replay::compare::Compare;
use burnlab_web::components::sections::replay::fields::ScenarioFields;
use burnlab_web::components::sections::replay::timeline::Timeline;
use burnlab_web::state::replay::ReplayAction;
use burnlab_web::state::{Action, State};
use common::{all_text, attr, exists, find, mount_with, settle, text_of, type_into};
use std::rc::Rc;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The page's default state with the built-in `name` picked and answered by a session, as the
/// worker would answer it.
fn answered(name: &str) -> State {
    let mut state = State::default();
    let mut session = Session::new();
    let mut replay = state
        .replay
        .apply(ReplayAction::Builtin(name.into()))
        .apply(ReplayAction::SetPoints(400));
    // Twice: once to read the scenario, once more as the page does after it has the data.
    for _ in 0..2 {
        let request = replay
            .request(
                &state.rules,
                Some((&state.routing.config, state.routing.mode)),
            )
            .expect("the default SLO is valid");
        let Response::Replay { answer, .. } = session.answer(Request::Replay {
            seq: 1,
            request: Box::new(request),
        }) else {
            panic!("not a replay answer");
        };
        replay = replay.apply(ReplayAction::Answer {
            rev: replay.rev,
            edited: replay.edited,
            took_ms: 1.0,
            answer,
        });
    }
    state.replay = replay;
    state
}

fn timeline(state: Rc<State>, dispatch: Callback<Action>) -> Html {
    let r = &state.replay;
    html! {
        <>
            <Timeline scenario={r.scenario.clone().unwrap()} view={r.view.clone()} window={r.window.clone()}
                range={r.range()} width={900.0} selected={r.selected} opened={r.opened}
                show_naive={false} stale={r.is_stale()} send={dispatch.reform(Action::Replay)} />
            <p data-testid="data">{ format!("{:?}", r.scenario.as_ref().map(|s| s.incidents.clone())) }</p>
        </>
    }
}

fn press(el: &Element, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    el.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn the_lanes_draw_every_notification_in_its_receivers_row_and_every_alert_as_bands() {
    let state = answered("fast-burn");
    let view = state.replay.view.clone().expect("a run");
    let notifications = view.timeline.notifications.len();
    assert!(notifications > 0, "the fast burn notifies someone");
    let root = mount_with(state.clone(), timeline).await;
    let markers = root.query_selector_all(".lane-receivers g.marker").unwrap();
    assert_eq!(markers.length() as usize, notifications);
    let rows = all_text(&root, ".lane-receivers .row-title.receiver");
    assert_eq!(rows.len(), view.receivers.len());
    for (row, receiver) in rows.iter().zip(&view.receivers) {
        assert!(row.contains(receiver.as_str()), "{row} names {receiver}");
    }
    // One alert row per alert instance, and the pages are drawn firing.
    let alert_rows = root.query_selector_all(".lane-alerts g.alert-row").unwrap();
    assert_eq!(
        alert_rows.length() as usize,
        view.timeline.alerts.len() + view.naive.as_ref().map_or(0, |n| n.timeline.alerts.len())
    );
    assert!(exists(&root, ".lane-alerts .alert-row.page rect.band.page"));
    // The thresholds of every tier are on the ratio chart.
    let thresholds = root.query_selector_all(".lane-ratio g.threshold").unwrap();
    assert!(thresholds.length() as usize >= view.thresholds.len());
    assert!(exists(&root, ".lane-budget path.budget"));
}

#[wasm_bindgen_test]
async fn the_keyboard_moves_stretches_and_removes_the_focused_incident() {
    let state = answered("fast-burn");
    let root = mount_with(state, timeline).await;
    let label = || attr(&root, ".lane-incidents g.incident", "aria-label").unwrap();
    let data = || text_of(&root, "data");
    let before = (label(), data());
    assert!(before.0.starts_with("Incident "), "{}", before.0);

    press(
        &find(&root, ".lane-incidents g.incident"),
        "ArrowRight",
        false,
    );
    settle().await;
    let moved = (label(), data());
    assert_ne!(moved.0, before.0, "the start it announces moved");
    assert_ne!(
        moved.1, before.1,
        "the scenario's data moved (the worker writes its YAML)"
    );

    press(
        &find(&root, ".lane-incidents g.incident"),
        "ArrowRight",
        true,
    );
    settle().await;
    let stretched = label();
    assert_ne!(stretched, moved.0, "Shift with an arrow changes its length");

    press(&find(&root, ".lane-incidents g.incident"), "Delete", false);
    settle().await;
    assert!(!exists(&root, ".lane-incidents g.incident"));
}

#[wasm_bindgen_test]
async fn an_editor_field_keeps_bad_text_with_its_error_and_the_scenario_its_last_value() {
    let mut state = answered("fast-burn");
    state.replay = state.replay.apply(ReplayAction::Select(Some(0)));
    let root = mount_with(state, |s: Rc<State>, d: Callback<Action>| {
        html! {
            <>
                <ScenarioFields replay={Rc::new(s.replay.clone())} slow={false} send={d.reform(Action::Replay)} />
                <p data-testid="start">{ format!("{:?}", s.replay.scenario.as_ref().map(|x| x.incidents[0].error_ratio)) }</p>
            </>
        }
    })
    .await;
    let before = text_of(&root, "start");
    type_into(&root, "#replay-incident-error", "150%").await;
    assert_eq!(
        attr(&root, "#replay-incident-error", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(text_of(&root, "replay-incident-fields").contains("outside [0, 1]"));
    assert_eq!(text_of(&root, "start"), before);
    type_into(&root, "#replay-incident-error", "7%").await;
    assert_eq!(attr(&root, "#replay-incident-error", "aria-invalid"), None);
    assert_ne!(text_of(&root, "start"), before);
}

#[wasm_bindgen_test]
async fn the_comparison_tells_the_3am_story_in_numbers() {
    let state = answered("3am");
    let root = mount_with(state, |s: Rc<State>, d: Callback<Action>| {
        html! {
            <Compare view={s.replay.view.clone().unwrap()} replay={Rc::new(s.replay.clone())} send={d.reform(Action::Replay)} />
        }
    })
    .await;
    assert_eq!(text_of(&root, "replay-pages"), "0");
    let naive: usize = text_of(&root, "replay-threshold-pages").parse().unwrap();
    assert!(naive >= 6, "the naive rule pages for every spike: {naive}");
    assert_eq!(
        text_of(&root, "replay-threshold-false-pages"),
        naive.to_string()
    );
}
