//! The summary bar, visible from every section: where am I (objective, period, budget, burn),
//! the share button and the theme toggle. A figure whose input is invalid is marked stale.

use std::rc::Rc;

use burnlab::format;
use yew::prelude::*;

use crate::components::share::Share;
use crate::components::theme_toggle::ThemeToggle;
use crate::state::{Field, Section, State};

/// Props: the state and the open section (for the share link).
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The whole state.
    pub state: Rc<State>,
    /// The open section.
    pub section: Section,
}

/// One figure of the bar: its name (for screen readers and narrow screens), its value, and
/// whether it is stale.
fn item(name: &str, value: String, stale: bool, test_id: &'static str) -> Html {
    html! {
        <li class={classes!(stale.then_some("stale"))}>
            <span class="summary-name">{ name.to_owned() }</span>
            { " " }
            <span class="summary-value" data-testid={test_id}>{ value }</span>
            if stale {
                <span class="visually-hidden">{ " (last valid input)" }</span>
            }
        </li>
    }
}

/// The bar.
#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let state = &props.state;
    let figures = state.figures.as_ref().map(|f| {
        let r = &f.report;
        let slo_stale = state.is_stale(&[Field::Objective]);
        let period_stale = state.is_stale(&[Field::Period]);
        let budget_stale = state.is_stale(&[Field::Objective, Field::Period]);
        let burn_stale = state.is_stale(&[Field::Objective, Field::ErrorRatio]);
        let gone_stale = state.is_stale(&[Field::Objective, Field::Period, Field::ErrorRatio]);
        html! {
            <ul class="summary-figures" data-testid="summary" aria-label="Summary">
                { item("SLO", format::percent(r.objective_percent / 100.0), slo_stale, "summary-objective") }
                { item("over", r.period.clone(), period_stale, "summary-period") }
                { item("budget", format::human_duration(r.budget_seconds), budget_stale, "summary-budget") }
                { item("burning", r.burn_rate_text(), burn_stale, "summary-burn") }
                { item("gone in", r.time_to_exhaustion_parts().0, gone_stale, "summary-exhaustion") }
            </ul>
        }
    });
    html! {
        <header class="summary">
            <h1 class="brand">{ "burnlab" }</h1>
            { figures.unwrap_or_default() }
            <div class="summary-actions">
                <Share state={state.clone()} section={props.section} />
                <ThemeToggle />
            </div>
        </header>
    }
}
