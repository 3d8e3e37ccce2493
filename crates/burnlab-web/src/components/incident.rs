//! Incident impact: what an incident at the observed error ratio, lasting as long as the user
//! says, costs of the budget and which tiers it wakes.

use std::rc::Rc;

use burnlab::format;
use yew::prelude::*;

use crate::components::stale;
use crate::components::text_field::TextField;
use crate::state::{Action, Field, State};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct IncidentProps {
    /// The whole state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The incident part of the Budget section. Its field is always there, whatever the state of
/// the figures, so a bad duration can always be repaired.
#[function_component(Incident)]
pub fn incident(props: &IncidentProps) -> Html {
    let state = &props.state;
    let on_duration = props.dispatch.reform(|text| Action::SetIncident { text });
    let error = state.error_for(Field::Incident).map(|e| e.sentence());
    let stale = state.is_stale(&[
        Field::Objective,
        Field::Period,
        Field::ErrorRatio,
        Field::Incident,
        Field::Tiers,
        Field::Scaling,
    ]);
    let results = state.figures.as_ref().map(|figures| {
        let i = &figures.incident;
        let remaining = i.budget_remaining.clamp(0.0, 1.0);
        // Hue from green (120) to red (0) as the budget drains; the text says the same in words.
        let hue = (remaining * 120.0).round();
        html! {
            <div class={classes!("results", stale::card(stale))}>
                { stale::badge(stale, "last valid input") }
                <p data-testid="incident-consumed">
                    { match i.budget_consumed {
                        Some(c) => format!("An incident of {} at {} errors spends {} of the {} budget.",
                            format::human_duration(i.duration_seconds), format::percent(i.error_ratio),
                            format::percent_sig(c, 3), figures.report.period),
                        None => "It spends the whole budget at the first error: a 100 % objective has none.".to_owned(),
                    } }
                </p>
                <div class="budget-bar" role="meter" aria-label="Budget remaining after the incident"
                    aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{:.1}", remaining * 100.0)}
                    aria-valuetext={format::percent_sig(remaining, 3)}>
                    <svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect width={format!("{:.2}", remaining * 100.0)} height="1" fill={format!("hsl({hue} 65% 40%)")} />
                    </svg>
                </div>
                <p data-testid="incident-remaining">
                    if i.exhausted {
                        <span class="tag critical">{ "▲ budget exhausted" }</span>
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
        }
    });
    html! {
        <section id="incident" class="panel incident" aria-labelledby="incident-title">
            <h2 id="incident-title">{ "Incident impact" }</h2>
            <div class="inputs">
                <TextField id="incident-duration" label="An incident at the observed error ratio, lasting"
                    hint="a duration, e.g. 30m, 2h, 1d" value={state.inputs.incident.clone()}
                    on_input={on_duration} {error} />
            </div>
            { results.unwrap_or_default() }
        </section>
    }
}
