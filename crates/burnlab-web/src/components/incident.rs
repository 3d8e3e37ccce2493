//! Incident impact: what an incident at the observed error ratio, lasting as long as the user
//! says, costs of the budget and which tiers it wakes.

use std::rc::Rc;

use burnlab::format;
use yew::prelude::*;

use crate::components::text_field::TextField;
use crate::state::{Action, State};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct IncidentProps {
    /// The inputs, the last good figures and the errors.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The incident section.
#[function_component(Incident)]
pub fn incident(props: &IncidentProps) -> Html {
    let state = &props.state;
    let on_duration = props.dispatch.reform(|text| Action::SetIncident { text });
    let error = state
        .error_for("incident duration")
        .map(|e| e.message.clone());
    let Some(figures) = &state.figures else {
        return html! {};
    };
    let i = &figures.incident;
    let remaining = i.budget_remaining.clamp(0.0, 1.0);
    // Hue from green (120) to red (0) as the budget drains; the text says the same in words.
    let hue = (remaining * 120.0).round();
    html! {
        <section id="incident" class="panel" aria-labelledby="incident-title">
            <h2 id="incident-title">{ "Incident impact" }</h2>
            <div class="inputs">
                <TextField id="incident-duration" label="An incident at the observed error ratio, lasting"
                    hint="e.g. 30m, 2h, 1d" value={state.inputs.incident.clone()} on_input={on_duration} {error} />
            </div>
            <div class={classes!("results", state.is_stale().then_some("stale"))}>
                <p data-testid="incident-consumed">
                    { match i.budget_consumed {
                        Some(c) => format!("spends {} of the {} budget", format::percent_sig(c, 3), figures.report.period),
                        None => "spends the whole budget at the first error: a 100 % objective has none".to_owned(),
                    } }
                </p>
                <div class="budget-bar" role="meter" aria-label="budget remaining"
                    aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{:.1}", remaining * 100.0)}>
                    <div style={format!("width: {:.2}%; background: hsl({hue} 65% 42%)", remaining * 100.0)}></div>
                </div>
                <p data-testid="incident-remaining">
                    if i.exhausted {
                        <span class="tag critical">{ "budget exhausted" }</span>
                        { match i.exhausted_after_seconds {
                            Some(s) => format!(" after {}: the objective is broken for this period. An error budget policy now stops feature releases and puts the effort on reliability until the budget recovers.", format::human_duration(s)),
                            None => " — the objective is broken for this period.".to_owned(),
                        } }
                    } else {
                        { format!("{} of the budget remains.", format::percent_sig(remaining, 3)) }
                    }
                </p>
                <ul class="incident-alerts">
                    { for i.alerts.iter().map(|a| html! {
                        <li>
                            <span class="mono">{ a.label.clone() }</span>{ ": " }
                            { if a.fires {
                                format!("fires after {}{}",
                                    a.fires_after_seconds.map_or_else(|| "—".into(), format::human_duration),
                                    a.resolves_after_end_seconds.map_or_else(String::new, |s| format!(", resolves {} after the errors stop", format::human_duration(s))))
                            } else {
                                "stays silent".to_owned()
                            } }
                        </li>
                    }) }
                </ul>
            </div>
        </section>
    }
}
