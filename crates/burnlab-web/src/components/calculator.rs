//! The budget calculator: objective slider and field, period, error ratio and request rate, and
//! the headline figures the core computes from them, each with its explanation.

use std::rc::Rc;

use burnlab::format;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::explain::Explain;
use crate::components::text_field::TextField;
use crate::state::{Action, State};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct CalculatorProps {
    /// The inputs, the last good figures and the errors.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The objectives the slider stops at: budgets on a 1–2–5 series from 10 % to 0.001 %, so each
/// arrow key lands on a figure people use. The text field beside it takes any other value.
const SLIDER_OBJECTIVES: [&str; 13] = [
    "90", "95", "98", "99", "99.5", "99.8", "99.9", "99.95", "99.98", "99.99", "99.995", "99.998",
    "99.999",
];

/// The slider stop nearest to `objective` on the nines scale.
fn nearest_stop(objective: burnlab::Objective) -> usize {
    let nines = objective.nines();
    SLIDER_OBJECTIVES
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            burnlab::Objective::parse(s)
                .ok()
                .map(|o| (i, (o.nines() - nines).abs()))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(6, |(i, _)| i)
}

/// The calculator section.
#[function_component(Calculator)]
pub fn calculator(props: &CalculatorProps) -> Html {
    let state = &props.state;
    let send = |make: fn(String) -> Action| props.dispatch.reform(make);

    let on_slider = props.dispatch.reform(|e: InputEvent| {
        let stop = e
            .target_dyn_into::<HtmlInputElement>()
            .and_then(|i| i.value().parse::<usize>().ok());
        Action::SetObjective {
            text: stop
                .and_then(|i| SLIDER_OBJECTIVES.get(i))
                .copied()
                .unwrap_or("99.9")
                .to_owned(),
        }
    });

    // The slider follows the last valid objective; a half-typed number leaves it where it was.
    let report = state.figures.as_ref().map(|f| &f.report);
    let slider_stop = report
        .and_then(|r| burnlab::Objective::from_percent(r.objective_percent).ok())
        .map_or(6, nearest_stop);
    let error = |field: &str| state.error_for(field).map(|e| e.message.clone());

    html! {
        <section id="budget" class="panel calculator" aria-labelledby="budget-title">
            <h2 id="budget-title">{ "Error budget" }</h2>
            <div class="inputs">
                <TextField id="objective" label="Objective" hint="%" value={state.inputs.objective.clone()}
                    on_input={send(|text| Action::SetObjective { text })} error={error("objective")}>
                    <input type="range" id="objective-slider" aria-label="Objective"
                        min="0" max={(SLIDER_OBJECTIVES.len() - 1).to_string()} step="1"
                        value={slider_stop.to_string()} oninput={on_slider}
                        aria-valuetext={format!("{} %", SLIDER_OBJECTIVES.get(slider_stop).copied().unwrap_or_default())} />
                </TextField>
                <TextField id="period" label="Period" hint="e.g. 30d, 28d, 7d" value={state.inputs.period.clone()}
                    on_input={send(|text| Action::SetPeriod { text })} error={error("period")} />
                <TextField id="error-ratio" label="Observed error ratio" hint="0.005 = 0.5 % of requests fail"
                    value={state.inputs.error_ratio.clone()}
                    on_input={send(|text| Action::SetErrorRatio { text })} error={error("error ratio")} />
                <TextField id="requests" label="Requests per second" hint="optional: for budgets in requests and low-traffic checks"
                    placeholder="e.g. 50" value={state.inputs.requests.clone()}
                    on_input={send(|text| Action::SetRequests { text })} error={error("requests per second")} />
            </div>
            <div class="results">
                if state.is_stale() {
                    <p class="stale-note">{ "Showing the figures for the last valid input." }</p>
                }
                if let Some(r) = report {
                    <dl class={classes!("figures", state.is_stale().then_some("stale"))}>
                        <div>
                            <dt>{ "Error budget" }</dt>
                            <dd data-testid="budget">
                                { format!("{} of requests", format::percent(r.error_budget_ratio)) }
                                <small>{ format!("{} of full outage per {}", format::human_duration(r.budget_seconds), r.period) }</small>
                                if let Some(n) = r.budget_failed_requests {
                                    <small data-testid="budget-requests">{ format!("{} failed requests per {} at {}", format::sig(n, 4), r.period, format::rate(r.requests_per_second.unwrap_or_default())) }</small>
                                }
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
                        if let Some(share) = r.single_failure_budget_share {
                            <div>
                                <dt>{ "One failed request spends" }</dt>
                                <dd data-testid="single-failure">{ format!("{} of the budget", format::percent_sig(share, 3)) }</dd>
                            </div>
                        }
                    </dl>
                    <Explain items={r.explanations.clone()} />
                    if !r.warnings.is_empty() {
                        <ul class="warnings" data-testid="warnings">
                            { for r.warnings.iter().map(|w| html! { <li><span class="tag warning">{ "warning" }</span>{ " " }{ w.clone() }</li> }) }
                        </ul>
                    }
                }
            </div>
        </section>
    }
}
