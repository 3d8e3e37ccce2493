//! The page: a summary bar that is always visible, a section list, and the sections.

use std::rc::Rc;

use burnlab::format;
use yew::prelude::*;

use crate::components::calculator::Calculator;
use crate::components::incident::Incident;
use crate::components::sections::routing::RoutingSection;
use crate::components::sections::rules::RulesSection;
use crate::components::tier_table::TierTable;
use crate::services::persist;
use crate::state::State;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(persist::load(), None));
    {
        // Every change of the inputs goes to the URL and to local storage.
        let inputs = state.inputs.clone();
        use_effect_with(inputs, persist::save);
    }
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action| state.dispatch(action))
    };
    let shown = Rc::new((*state).clone());
    let summary = shown.figures.as_ref().map(|f| {
        let r = &f.report;
        format!(
            "SLO {} · {} · budget {} · burning {} · gone in {}",
            format::percent(r.objective_percent / 100.0),
            r.period,
            format::human_duration(r.budget_seconds),
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
            <div class="layout">
                <nav class="sections" aria-label="Sections">
                    <a href="#budget">{ "Budget" }</a>
                    <a href="#tiers">{ "Tiers" }</a>
                    <a href="#incident">{ "Incident" }</a>
                    <a href="#rules">{ "Rules" }</a>
                    <a href="#routing">{ "Routing" }</a>
                </nav>
                <main>
                    <Calculator state={shown.clone()} dispatch={dispatch.clone()} />
                    <TierTable state={shown.clone()} dispatch={dispatch.clone()} />
                    <Incident state={shown.clone()} dispatch={dispatch.clone()} />
                    <RulesSection state={shown.clone()} dispatch={dispatch.clone()} />
                    <RoutingSection state={shown} {dispatch} />
                </main>
            </div>
        </>
    }
}
