//! The budget calculator: objective slider and field, error ratio and period fields, and the
//! figures the core computes from them.

use burnlab::format;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{Action, State};

/// Props: the shared calculator state, owned by the app.
#[derive(Properties, PartialEq)]
pub struct CalculatorProps {
    /// The reducer that holds the inputs and the last good figures.
    pub state: UseReducerHandle<State>,
}

/// Reads an input element's value from one of its events.
fn input_value(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value())
}

/// The calculator section.
#[function_component(Calculator)]
pub fn calculator(props: &CalculatorProps) -> Html {
    let state = &props.state;

    let on_slider = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let nines = input_value(&e).and_then(|v| v.parse::<f64>().ok());
            if let Some(o) = nines.and_then(|n| burnlab::Objective::from_nines(n).ok()) {
                state.dispatch(Action::SetObjective {
                    text: format::decimal(o.percent()),
                });
            }
        })
    };
    let on_objective = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(text) = input_value(&e) {
                state.dispatch(Action::SetObjective { text });
            }
        })
    };
    let on_error_ratio = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(text) = input_value(&e) {
                state.dispatch(Action::SetErrorRatio { text });
            }
        })
    };
    let on_period = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(text) = input_value(&e) {
                state.dispatch(Action::SetPeriod { text });
            }
        })
    };

    // The slider follows the last valid objective; a half-typed number leaves it where it was.
    let slider_nines = state
        .report
        .as_ref()
        .and_then(|r| burnlab::Objective::from_percent(r.objective_percent).ok())
        .map(|o| o.nines().clamp(1.0, 5.0))
        .unwrap_or(3.0);

    let field_error = |field: &str| -> Html {
        match state.error_for(field) {
            Some(err) => html! { <p class="field-error" role="alert">{ err.message.clone() }</p> },
            None => html! {},
        }
    };

    let figures = match &state.report {
        Some(r) => html! {
            <dl class={classes!("figures", state.is_stale().then_some("stale"))}>
                <div>
                    <dt>{ "Error budget" }</dt>
                    <dd data-testid="budget">
                        { format!("{} of requests", format::percent(r.error_budget_ratio)) }
                        <small>{ format!("{} of full outage per {}", format::human_duration(r.budget_seconds), r.period) }</small>
                    </dd>
                </div>
                <div>
                    <dt>{ "Burn rate" }</dt>
                    <dd data-testid="burn-rate">{ r.burn_rate_text() }</dd>
                </div>
                <div>
                    <dt>{ "Budget gone in" }</dt>
                    <dd data-testid="exhaustion">{ r.time_to_exhaustion_text() }</dd>
                </div>
            </dl>
        },
        None => html! {},
    };

    html! {
        <section class="calculator" aria-labelledby="calculator-title">
            <h2 id="calculator-title">{ "Error budget" }</h2>
            <div class="inputs">
                <label for="objective">{ "Objective" }</label>
                <div class="slider-row">
                    <input type="range" id="objective-slider" aria-label="Objective (nines scale)"
                        min="1" max="5" step="0.01" value={slider_nines.to_string()} oninput={on_slider} />
                    <input type="text" id="objective" inputmode="decimal" class="number"
                        value={state.objective_text.clone()} oninput={on_objective} />
                    <span class="unit">{ "%" }</span>
                </div>
                { field_error("objective") }
                <label for="error-ratio">{ "Observed error ratio" }</label>
                <div class="slider-row">
                    <input type="text" id="error-ratio" inputmode="decimal" class="number"
                        value={state.error_ratio_text.clone()} oninput={on_error_ratio} />
                    <span class="hint">{ "0.005 = 0.5 % of requests fail" }</span>
                </div>
                { field_error("error ratio") }
                <label for="period">{ "Period" }</label>
                <div class="slider-row">
                    <input type="text" id="period" class="number"
                        value={state.period_text.clone()} oninput={on_period} />
                </div>
                { field_error("period") }
            </div>
            if state.is_stale() {
                <p class="stale-note">{ "Showing the figures for the last valid input." }</p>
            }
            { figures }
        </section>
    }
}
