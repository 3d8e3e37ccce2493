//! The Budget section's calculator: objective slider and field, period, error ratio and request
//! rate, and the headline figures the core computes from them, each with its explanation.

use std::rc::Rc;

use burnlab::{Objective, format};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::explain::Explain;
use crate::components::stale;
use crate::components::text_field::TextField;
use crate::state::budget::{Reading, error_ratio_reading, objective_reading};
use crate::state::{Action, Field, State};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct CalculatorProps {
    /// The whole state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The objectives the arrow keys stop at: budgets on a 1–2–5 series from 50 % to 0.0001 %, so
/// each press lands on a figure people use. Dragging reaches any objective in between, and the
/// text field any objective at all.
const STOPS: [&str; 18] = [
    "50", "80", "90", "95", "98", "99", "99.5", "99.8", "99.9", "99.95", "99.98", "99.99",
    "99.995", "99.998", "99.999", "99.9995", "99.9998", "99.9999",
];

/// The slider's ends on the nines scale: 50 % (−log10 0.5 = log10 2) and 99.9999 %.
const MIN_NINES: f64 = std::f64::consts::LOG10_2;
const MAX_NINES: f64 = 6.0;

/// Where the thumb sits for `objective`: its nines, kept inside the slider (100 % is at the
/// right end, below 50 % at the left).
fn slider_position(objective: Objective) -> f64 {
    let n = objective.nines();
    if n.is_nan() {
        MIN_NINES
    } else {
        n.clamp(MIN_NINES, MAX_NINES)
    }
}

/// What a key does to the slider.
#[derive(Debug, PartialEq)]
enum KeyMove {
    /// Not a key the slider handles.
    NotOurs,
    /// A slider key, but there is no stop further that way.
    Stay,
    /// Move to this stop.
    To(&'static str),
}

/// Where a key moves the slider from `objective`: to the next stop above or below it, two
/// stops further for Page Up and Page Down, the first or last for Home and End.
fn key_move(objective: Objective, key: &str) -> KeyMove {
    let nines = objective.nines();
    let stop_nines = |s: &str| Objective::parse(s).map_or(f64::NAN, Objective::nines);
    // A small tolerance: 99.9 typed is the 99.9 stop itself, not "just below" it.
    let above = STOPS.iter().position(|s| stop_nines(s) > nines + 1e-9);
    let below = STOPS.iter().rposition(|s| stop_nines(s) < nines - 1e-9);
    let last = STOPS.len() - 1;
    let index = match key {
        "ArrowRight" | "ArrowUp" => above,
        "ArrowLeft" | "ArrowDown" => below,
        "PageUp" => above.map(|i| (i + 2).min(last)),
        "PageDown" => below.map(|i| i.saturating_sub(2)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => return KeyMove::NotOurs,
    };
    match index.and_then(|i| STOPS.get(i)) {
        Some(stop) => KeyMove::To(stop),
        None => KeyMove::Stay,
    }
}

/// The objective a dragged thumb at `nines` stands for, as the text the field shows.
fn objective_at(nines: f64) -> Option<String> {
    let o = Objective::from_nines(nines.clamp(MIN_NINES, MAX_NINES)).ok()?;
    Some(format::decimal(o.percent()))
}

/// A figure card: the name, the figure, optional notes, and a mark when it shows the last valid
/// input's value.
fn card(name: &str, stale: bool, body: Html) -> Html {
    html! {
        <div class={stale::card(stale)}>
            <dt>
                { stale::badge(stale, "last valid input") }
                { name.to_owned() }
            </dt>
            { body }
        </div>
    }
}

/// The calculator.
#[function_component(Calculator)]
pub fn calculator(props: &CalculatorProps) -> Html {
    let state = &props.state;
    let send = |make: fn(String) -> Action| props.dispatch.reform(make);
    let error = |field: Field| state.error_for(field).map(|e| e.sentence());
    let objective = state.valid.objective;

    let on_slider = props.dispatch.reform(|e: InputEvent| {
        let nines = e
            .target_dyn_into::<HtmlInputElement>()
            .and_then(|i| i.value().parse::<f64>().ok());
        Action::SetObjective {
            text: nines
                .and_then(objective_at)
                .unwrap_or_else(|| "99.9".into()),
        }
    });
    let on_slider_key = {
        let dispatch = props.dispatch.clone();
        Callback::from(
            move |e: KeyboardEvent| match key_move(objective, &e.key()) {
                KeyMove::NotOurs => {}
                KeyMove::Stay => e.prevent_default(),
                KeyMove::To(stop) => {
                    e.prevent_default();
                    dispatch.emit(Action::SetObjective {
                        text: stop.to_owned(),
                    });
                }
            },
        )
    };
    // The slider says what the field says: its last valid objective, exactly.
    let slider_text = format::percent(objective.ratio());

    let i = &state.inputs;
    // How a field's number was read, with a one-click "did you mean" where it looks
    // implausible; none while the field is empty or wrong (its error says more).
    let reading = |r: Reading, set: fn(String) -> Action| -> Option<Html> {
        let suggest = r.suggest.map(|text| {
            let shown = text.clone();
            let onclick = props.dispatch.reform(move |_: MouseEvent| set(text.clone()));
            html! {
                <>{ " — " }<button type="button" class="link-button" {onclick}>{ format!("did you mean {}?", if shown.ends_with('%') { shown.replace('%', " %") } else { format!("{shown} %") }) }</button></>
            }
        });
        Some(html! { <>{ r.said }{ suggest.unwrap_or_default() }</> })
    };
    let report = state.figures.as_ref().map(|f| f.report.clone());
    let figures = report.map(|r| {
        let budget_stale = state.is_stale(&[Field::Objective, Field::Period]);
        let burn_stale = state.is_stale(&[Field::Objective, Field::ErrorRatio]);
        let gone_stale = state.is_stale(&[Field::Objective, Field::Period, Field::ErrorRatio]);
        let requests_stale = state.is_stale(&[Field::Objective, Field::Period, Field::Requests]);
        let (gone, gone_note) = r.time_to_exhaustion_parts();
        html! {
            <>
                <dl class="figures">
                    { card("Error budget", budget_stale, html! {
                        <dd data-testid="budget">
                            <span class="figure" data-testid="budget-time">{ format::human_duration(r.budget_seconds) }</span>
                            <small>{ format!("of full outage per {}: {} of requests", r.period, format::percent(r.error_budget_ratio)) }</small>
                            if let Some(n) = r.budget_failed_requests {
                                <small data-testid="budget-requests">{ format!("{} failed requests per {} at {}", format::count(n, 4), r.period, format::rate(r.requests_per_second.unwrap_or_default())) }</small>
                                if requests_stale {
                                    <small class="stale-text">{ "(at the last valid request rate)" }</small>
                                }
                            }
                        </dd>
                    }) }
                    { card("Burn rate", burn_stale, html! {
                        <dd><span class="figure" data-testid="burn-rate">{ r.burn_rate_text() }</span>
                            <small>{ "times the rate that spends exactly the budget" }</small></dd>
                    }) }
                    { card("Budget gone in", gone_stale, html! {
                        <dd><span class="figure" data-testid="time-to-exhaustion">{ gone }</span>
                            <small>{ gone_note.unwrap_or_else(|| "from a full budget, at this burn rate".into()) }</small></dd>
                    }) }
                    if let Some(share) = r.single_failure_budget_share {
                        { card("One failed request spends", requests_stale, html! {
                            <dd><span class="figure" data-testid="single-failure">{ format::percent_sig(share, 3) }</span>
                                <small>{ "of the budget" }</small></dd>
                        }) }
                    }
                </dl>
                <Explain items={r.explanations.clone()} />
                if !r.warnings.is_empty() {
                    <ul class="warnings" data-testid="warnings">
                        { for r.warnings.iter().map(|w| html! {
                            <li><span class="tag warning">{ "⚠ warning" }</span>{ " " }{ w.clone() }</li>
                        }) }
                    </ul>
                }
            </>
        }
    });

    html! {
        <section id="budget" class="panel calculator" aria-labelledby="budget-title">
            <h2 id="budget-title" tabindex="-1">{ "Error budget" }</h2>
            <div class="inputs">
                <TextField id="objective" label="Objective" unit="%" value={i.objective.clone()}
                    hint="the share of good events promised, e.g. 99.9"
                    reading={reading(objective_reading(&i.objective, state.valid.objective), |text| Action::SetObjective { text })}
                    test_id="objective-input"
                    on_input={send(|text| Action::SetObjective { text })} error={error(Field::Objective)}>
                    <input type="range" id="objective-slider" aria-label="Objective"
                        min={MIN_NINES.to_string()} max={MAX_NINES.to_string()} step="any"
                        value={slider_position(objective).to_string()}
                        oninput={on_slider} onkeydown={on_slider_key}
                        aria-valuetext={slider_text} />
                </TextField>
                <TextField id="period" label="Period" value={i.period.clone()}
                    hint="a Prometheus duration, e.g. 30d, 28d, 7d"
                    on_input={send(|text| Action::SetPeriod { text })} error={error(Field::Period)} />
                <TextField id="error-ratio" label="Observed error ratio" value={i.error_ratio.clone()}
                    hint="a ratio (0.005) or a percentage (0.5%) of requests that fail"
                    reading={reading(error_ratio_reading(&i.error_ratio, state.valid.errors), |text| Action::SetErrorRatio { text })}
                    test_id="error-ratio-input"
                    on_input={send(|text| Action::SetErrorRatio { text })} error={error(Field::ErrorRatio)} />
                <TextField id="requests" label="Requests per second" value={i.requests.clone()}
                    hint="optional: 50, or 10/h for low traffic"
                    placeholder="e.g. 50"
                    on_input={send(|text| Action::SetRequests { text })} error={error(Field::Requests)} />
            </div>
            <div class="results">
                { figures.unwrap_or_default() }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objective(text: &str) -> Objective {
        Objective::parse(text).unwrap_or(Objective::THREE_NINES)
    }

    #[test]
    fn arrow_keys_step_to_the_neighbouring_stops() {
        use KeyMove::*;
        for (from, key, want) in [
            ("99.9", "ArrowLeft", To("99.8")),
            ("99.9", "ArrowRight", To("99.95")),
            ("99.97", "ArrowLeft", To("99.95")),
            ("99.97", "ArrowRight", To("99.98")),
            ("89.9", "ArrowRight", To("90")),
            ("89.9", "ArrowLeft", To("80")),
            ("100", "ArrowLeft", To("99.9999")),
            ("100", "ArrowRight", Stay),
            ("10", "ArrowLeft", Stay),
            ("99.9", "Home", To("50")),
            ("99.9", "End", To("99.9999")),
            ("99.9", "PageUp", To("99.99")),
            ("99.9", "a", NotOurs),
        ] {
            assert_eq!(key_move(objective(from), key), want, "{from} {key}");
        }
    }

    #[test]
    fn the_thumb_sits_at_the_objective_itself() {
        assert!((slider_position(objective("99.9")) - 3.0).abs() < 1e-12);
        assert!(slider_position(objective("89.9")) < 1.0);
        assert_eq!(slider_position(objective("100")), MAX_NINES);
        assert_eq!(slider_position(objective("10")), MIN_NINES);
        assert_eq!(objective_at(3.0).as_deref(), Some("99.9"));
        assert_eq!(objective_at(MIN_NINES).as_deref(), Some("50"));
    }
}
