//! The whole state through the pairs a link and storage carry: every input round-trips, a bad
//! value comes back with its error beside the last valid figures, and an unknown value says so.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use burnlab::tiers::{Preset, Scaling};
use burnlab_web::services::compress::{base64url, deflate, from_base64url, inflate};
use burnlab_web::services::link::split_fragment;
use burnlab_web::services::persist::{ShareMode, from_query, pairs_of, restore_from, to_query};
use burnlab_web::state::{Action, Field, Section, State, TierCell, TierChoice};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn after(actions: Vec<Action>) -> State {
    let mut s = std::rc::Rc::new(State::default());
    for a in actions {
        s = s.reduce(a);
    }
    (*s).clone()
}

/// The state a link made of `state` opens with.
fn through_a_link(state: &State) -> State {
    let query = to_query(&pairs_of(state, ShareMode::Link));
    restore_from(&from_query(&query))
}

#[wasm_bindgen_test]
fn every_input_round_trips_through_a_link() {
    let state = after(vec![
        Action::SetObjective {
            text: "99.95".into(),
        },
        Action::SetPeriod { text: "28d".into() },
        Action::SetErrorRatio {
            text: "0.5%".into(),
        },
        Action::SetRequests {
            text: "10/h".into(),
        },
        Action::SetIncident { text: "2h".into() },
        Action::SetTiers {
            choice: TierChoice::Preset(Preset::Pyrra),
        },
        Action::SetScaling {
            scaling: Some(Scaling::KeepBudgetShare),
        },
    ]);
    assert!(state.errors.is_empty(), "{:?}", state.errors);
    assert_eq!(through_a_link(&state), state);
}

#[wasm_bindgen_test]
fn custom_tiers_round_trip_with_their_text() {
    let state = after(vec![
        Action::CopyTiers,
        Action::EditTier {
            row: 0,
            cell: TierCell::Rate,
            text: "2 %".into(),
        },
        Action::EditTier {
            row: 1,
            cell: TierCell::For,
            text: "5m".into(),
        },
        Action::AddTier,
    ]);
    let back = through_a_link(&state);
    assert_eq!(back.inputs, state.inputs);
    assert_eq!(back.slo, state.slo);
}

#[wasm_bindgen_test]
fn a_bad_value_comes_back_with_its_error_and_the_last_valid_figures() {
    // The newcomer's trap: a link saved while a field held half-typed text.
    let state = after(vec![
        Action::SetObjective { text: "99".into() },
        Action::SetObjective { text: "0".into() },
        Action::SetIncident { text: "2".into() },
        Action::SetPeriod { text: "x".into() },
    ]);
    let back = through_a_link(&state);
    assert_eq!(back.inputs.objective, "0");
    assert_eq!(back.inputs.incident, "2");
    assert_eq!(back.inputs.period, "x");
    for field in [Field::Objective, Field::Incident, Field::Period] {
        assert!(back.error_for(field).is_some(), "{field:?}");
    }
    // The figures are those of 99 %, the last valid objective, not none.
    let figures = back.figures.as_ref().expect("figures");
    assert_eq!(figures.report.burn_rate_text(), "0.5×");
    assert_eq!(back.slo.objective.percent(), 99.0);
}

#[wasm_bindgen_test]
fn a_link_with_only_bad_values_opens_on_the_defaults_with_every_error() {
    let pairs = from_query("objective=0&period=x&incident=2");
    let state: State = restore_from(&pairs);
    assert_eq!(state.errors.len(), 3, "{:?}", state.errors);
    assert_eq!(
        state.figures.as_ref().unwrap().report.burn_rate_text(),
        "5×"
    );
}

#[wasm_bindgen_test]
fn an_unknown_tier_set_in_a_link_is_said_not_silently_replaced() {
    let state: State = restore_from(&from_query("tiers=google&scaling=sideways"));
    assert_eq!(state.inputs.tiers, TierChoice::Preset(Preset::Workbook));
    let notices = state.notices.join(" ");
    assert!(notices.contains("`google` is not a tier set"), "{notices}");
    assert!(notices.contains("`sideways` is not a scaling"), "{notices}");
}

#[wasm_bindgen_test]
fn links_of_earlier_versions_still_open() {
    let state: State = restore_from(&from_query("objective=99&errors=0.02&tiers=sloth"));
    assert_eq!(
        state.figures.as_ref().unwrap().report.burn_rate_text(),
        "2×"
    );
    assert_eq!(state.inputs.tiers, TierChoice::Preset(Preset::Sloth));
}

#[wasm_bindgen_test]
fn fragments_name_a_section_and_may_carry_a_query() {
    assert_eq!(split_fragment("#tiers"), (Some(Section::Tiers), ""));
    assert_eq!(
        split_fragment("#budget?z=abc"),
        (Some(Section::Budget), "z=abc")
    );
    assert_eq!(split_fragment("#incident"), (Some(Section::Budget), ""));
    assert_eq!(split_fragment(""), (None, ""));
    assert_eq!(split_fragment("#nowhere"), (None, ""));
}

#[wasm_bindgen_test]
fn base64url_round_trips_every_length() {
    for len in 0..70 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 256) as u8).collect();
        let text = base64url(&bytes);
        assert!(
            text.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(from_base64url(&text).unwrap(), bytes);
    }
    assert_eq!(base64url(b"hello"), "aGVsbG8");
    assert!(from_base64url("a b").unwrap_err().contains("character 2"));
}

#[wasm_bindgen_test]
async fn deflate_shrinks_a_repetitive_state_and_inflates_back() {
    let text = "route:\n  receiver: pager\n".repeat(200);
    let packed = deflate(text.as_bytes()).await.unwrap();
    assert!(
        packed.len() * 10 < text.len(),
        "{} of {}",
        packed.len(),
        text.len()
    );
    assert_eq!(inflate(&packed).await.unwrap(), text.as_bytes());
    assert!(inflate(b"not deflate at all").await.is_err());
}
