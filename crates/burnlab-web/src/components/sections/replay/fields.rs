//! The scenario's fields beside its timeline: the traffic (requests per second, the baseline
//! error and slow shares, the length, the scrape and evaluation intervals, the start) and the
//! selected incident's (name, start, length, error share — a step, or a ramp with its end —,
//! slow share, repetition, whether it is a blip). Each field reads as the scenario format does
//! and keeps what was typed, with its error beside it.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::incident_lane;
use crate::state::replay::{EditField, ReplayAction, ReplayState};
use burnlab::replay::edit::{IncidentField, TrafficField};

/// Props of [`ScenarioFields`].
#[derive(Properties, PartialEq)]
pub struct ScenarioFieldsProps {
    /// The section's state.
    pub replay: Rc<ReplayState>,
    /// Whether the SLI counts slow requests (latency) rather than failed ones.
    pub slow: bool,
    /// Receives every change.
    pub send: Callback<ReplayAction>,
}

/// A field's element id.
fn id_of(field: EditField) -> String {
    match field {
        EditField::Incident(_, f) => format!("replay-incident-{f:?}").to_lowercase(),
        EditField::Traffic(f) => format!("replay-traffic-{f:?}").to_lowercase(),
        EditField::Threshold => "replay-threshold".into(),
        EditField::ThresholdFor => "replay-threshold-for".into(),
    }
}

/// One labelled text field of the editor.
pub fn field(
    replay: &ReplayState,
    send: &Callback<ReplayAction>,
    field: EditField,
    label: &str,
    hint: &str,
) -> Html {
    let id = id_of(field);
    let error = replay.field_error(field).map(str::to_owned);
    let error_id = format!("{id}-error");
    let oninput = send.reform(move |e: InputEvent| {
        ReplayAction::SetField(
            field,
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });
    html! {
        <div class="field">
            <label for={id.clone()}>{ label.to_owned() }</label>
            <input type="text" id={id} class={classes!("mono", error.is_some().then_some("invalid"))}
                spellcheck="false" autocomplete="off" value={replay.shown(field)}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error_id.clone()} {oninput} />
            <small class="field-note" id={error_id} role={error.is_some().then_some("alert")}>
                { error.map_or_else(|| html! { <span class="hint">{ hint.to_owned() }</span> },
                    |e| html! { <span class="field-error">{ e }</span> }) }
            </small>
        </div>
    }
}

/// The fields.
#[function_component(ScenarioFields)]
pub fn scenario_fields(props: &ScenarioFieldsProps) -> Html {
    let r = &props.replay;
    let send = &props.send;
    let Some(scenario) = r.scenario.as_deref() else {
        return html! { <p class="note">{ "Reading the scenario…" }</p> };
    };
    let t = |f: TrafficField, label: &str, hint: &str| {
        field(r, send, EditField::Traffic(f), label, hint)
    };
    let selected = r
        .selected
        .and_then(|i| scenario.incidents.get(i).map(|inc| (i, inc)));
    let incident = selected.map(|(i, inc)| {
        let f = |g: IncidentField, label: &str, hint: &str| field(r, send, EditField::Incident(i, g), label, hint);
        let on_noise = send.reform(move |e: Event| {
            ReplayAction::SetNoise(
                i,
                e.target_dyn_into::<HtmlInputElement>().is_some_and(|c| c.checked()),
            )
        });
        let (main, other) = if props.slow {
            ((IncidentField::Slow, IncidentField::SlowTo, "Slow share", "slow requests"), (IncidentField::Error, "Error share (not this SLI's)"))
        } else {
            ((IncidentField::Error, IncidentField::ErrorTo, "Error share", "failed requests"), (IncidentField::Slow, "Slow share (latency SLIs)"))
        };
        html! {
            <fieldset class="incident-fields" data-testid="replay-incident-fields">
                <legend>{ format!("Incident: {}", incident_lane::name(inc, i)) }</legend>
                <div class="field-grid">
                    { f(IncidentField::Name, "Name", "shown in the timeline") }
                    { f(IncidentField::Start, "Starts after", "from the scenario's start, e.g. 10h") }
                    { f(IncidentField::Duration, "Lasts", "e.g. 45m") }
                    { f(main.0, main.2, &format!("added share of {}, e.g. 5%", main.3)) }
                    { f(main.1, "…rising to", "empty for a step; a ratio for a ramp") }
                    { f(other.0, other.1, "e.g. 0 or 2%") }
                    { f(IncidentField::Every, "Repeats every", "empty for once, e.g. 47m") }
                    { f(IncidentField::Count, "Times", "how many occurrences") }
                </div>
                <label class="check">
                    <input type="checkbox" checked={inc.noise} onchange={on_noise} />
                    { " A blip that clears by itself: a page for it is a false page" }
                </label>
                <div class="actions">
                    <button type="button" onclick={send.reform(move |_: MouseEvent| ReplayAction::Remove(i))}>{ "Remove this incident" }</button>
                    <button type="button" onclick={send.reform(|_: MouseEvent| ReplayAction::Select(None))}>{ "Done" }</button>
                </div>
            </fieldset>
        }
    });
    html! {
        <div class="scenario-fields">
            { incident.unwrap_or_else(|| html! {
                <p class="note">{ "Select an incident (click it, or focus it and press Enter) to edit its fields; double-click the incidents lane to add one there." }</p>
            }) }
            <fieldset class="traffic-fields">
                <legend>{ "Traffic" }</legend>
                <div class="field-grid">
                    { t(TrafficField::Requests, "Requests per second", "1000, or 10/h for low traffic") }
                    { t(TrafficField::Error, "Baseline error share", "e.g. 0.02%") }
                    { t(TrafficField::Slow, "Baseline slow share", "latency SLIs, e.g. 0.5%") }
                    { t(TrafficField::Duration, "Length", "e.g. 1d, 30d, 365d") }
                    { t(TrafficField::Evaluation, "Evaluation interval", "rules run every… (30s)") }
                    { t(TrafficField::Scrape, "Scrape interval", "counters sampled every… (1m)") }
                    { t(TrafficField::Start, "Starts at (UTC)", "RFC 3339") }
                </div>
                if scenario.daily_shape.is_some() {
                    <p class="note">{ "Traffic follows a daily shape (24 hourly factors): edit it in the YAML." }</p>
                }
            </fieldset>
        </div>
    }
}
