//! The page: a summary bar that is always visible, and the calculator.

use yew::prelude::*;

use crate::components::calculator::Calculator;
use crate::state::State;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let summary = state.report.as_ref().map(|r| {
        format!(
            "SLO {} · {} · budget {} · burning {} · gone in {}",
            burnlab::format::percent(r.objective_percent / 100.0),
            r.period,
            burnlab::format::human_duration(r.budget_seconds),
            r.burn_rate_text(),
            r.time_to_exhaustion_text(),
        )
    });
    html! {
        <>
            <header class="summary">
                <span class="brand">{ "burnlab" }</span>
                <span class="summary-figures" data-testid="summary">{ summary.unwrap_or_default() }</span>
            </header>
            <main>
                <Calculator state={state.clone()} />
            </main>
        </>
    }
}
