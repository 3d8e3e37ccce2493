//! The label tester: the alert's labels (`route-labels`), the receivers exactly as `amtool
//! config routes test` prints them (`route-receivers`), every matched route with its group key,
//! group labels and effective timers, and whether the alert is inhibited, silenced or held by
//! time intervals at the chosen instant, with the lists of firing alerts and silences the user
//! edits. Every answer comes from the heavy core.

use std::rc::Rc;

use burnlab::Error;
use burnlab::tester::TestAnswer;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::dom::input_value as value;
use crate::components::stale;

use crate::state::routing::{RoutingAction, RoutingState, SilenceField};

/// Props of [`Tester`].
#[derive(Properties, PartialEq)]
pub struct TesterProps {
    /// The section's state.
    pub routing: Rc<RoutingState>,
    /// Receives every change.
    pub send: Callback<RoutingAction>,
}

fn changed(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn error_text(e: &Error) -> String {
    format!("{}: {}", e.field, e.message)
}

/// What happens to the tested alert, in one sentence.
fn verdict(a: &TestAnswer) -> (&'static str, String) {
    if let Some(i) = &a.inhibited {
        return (
            "muted",
            format!(
                "Inhibited by firing alert {} through inhibit rule {} (line {}): {}. Nothing is sent.",
                i.source + 1,
                i.rule + 1,
                i.line,
                i.rule_text
            ),
        );
    }
    if !a.silenced_by.is_empty() {
        let which: Vec<String> = a.silenced_by.iter().map(|i| (i + 1).to_string()).collect();
        return (
            "muted",
            format!("Silenced by silence {}. Nothing is sent.", which.join(", ")),
        );
    }
    let sending: Vec<&str> = a
        .routes
        .iter()
        .filter(|r| r.notifies)
        .map(|r| r.receiver.as_str())
        .collect();
    if sending.is_empty() {
        (
            "muted",
            "Every matched route is held by its time intervals now: nothing is sent.".into(),
        )
    } else if sending.len() < a.routes.len() {
        (
            "partly",
            format!(
                "Notifies {} now; the other routes are held by their time intervals.",
                sending.join(", ")
            ),
        )
    } else {
        ("sent", format!("Notifies {} now.", sending.join(", ")))
    }
}

/// The tester.
#[function_component(Tester)]
pub fn tester(props: &TesterProps) -> Html {
    let r = &props.routing;
    let send = &props.send;
    let test_error = r.test_error();
    let answer = r.last_good.as_deref();
    let stale = test_error.is_some() || r.is_stale();
    // Which older input the answer shows: the config's error wins, since it changes more.
    let stale_from = if r.is_stale() {
        "last valid config"
    } else {
        "last valid labels"
    };
    let on_labels = send.reform(|e: InputEvent| RoutingAction::SetLabels(value(&e)));
    let on_at = send.reform(|e: Event| RoutingAction::SetAt(changed(&e)));
    let item_error = |list: &str, index: usize| {
        answer.and_then(|a| {
            a.item_errors
                .iter()
                .find(|e| e.list == list && e.index == index)
                .map(|e| e.message.clone())
        })
    };
    let firing = r.test.firing.iter().enumerate().map(|(i, text)| {
        let oninput = send.reform(move |e: InputEvent| RoutingAction::SetFiring(i, value(&e)));
        let remove = send.reform(move |_: MouseEvent| RoutingAction::RemoveFiring(i));
        let error = item_error("firing", i);
        let inhibits = answer.and_then(|a| a.inhibited.as_ref()).is_some_and(|x| x.source == i);
        html! {
            <li class={classes!(inhibits.then_some("inhibits"))}>
                <label for={format!("firing-{i}")}>{ format!("{}.", i + 1) }</label>
                <input type="text" id={format!("firing-{i}")} class="mono" value={text.clone()} {oninput}
                    aria-invalid={error.is_some().then_some("true")} placeholder="severity=page, slo=availability" />
                <button type="button" onclick={remove} aria-label={format!("Remove firing alert {}", i + 1)}>{ "✕" }</button>
                if inhibits { <span class="tag warning">{ "inhibits the tested alert" }</span> }
                if let Some(e) = error { <p class="field-error">{ e }</p> }
            </li>
        }
    });
    let silences = r.test.silences.iter().enumerate().map(|(i, s)| {
        let set = |f: SilenceField| send.reform(move |e: InputEvent| RoutingAction::SetSilence(i, f, value(&e)));
        let remove = send.reform(move |_: MouseEvent| RoutingAction::RemoveSilence(i));
        let error = item_error("silences", i);
        let mutes = answer.is_some_and(|a| a.silenced_by.contains(&i));
        html! {
            <li class={classes!(mutes.then_some("inhibits"))}>
                <span>{ format!("{}.", i + 1) }</span>
                <input type="text" class="mono" aria-label={format!("Silence {} matchers", i + 1)} value={s.matchers.clone()}
                    oninput={set(SilenceField::Matchers)} placeholder="alertname=~\"TaskApi.*\"" />
                <label>{ "from" }<input type="datetime-local" value={s.starts.clone()} oninput={set(SilenceField::Starts)} /></label>
                <label>{ "to" }<input type="datetime-local" value={s.ends.clone()} oninput={set(SilenceField::Ends)} /></label>
                <button type="button" onclick={remove} aria-label={format!("Remove silence {}", i + 1)}>{ "✕" }</button>
                if mutes { <span class="tag warning">{ "silences the tested alert" }</span> }
                if let Some(e) = error { <p class="field-error">{ e }</p> }
            </li>
        }
    });
    let routes = answer.map(|a| {
        html! {
            <div class="table-wrap">
                <table class="matches" data-testid="route-matches">
                    <thead><tr>
                        <th scope="col">{ "receiver" }</th>
                        <th scope="col">{ "route, group key and group labels" }</th>
                        <th scope="col">{ "wait · interval · repeat" }</th>
                        <th scope="col">{ "now" }</th>
                    </tr></thead>
                    <tbody>
                        { for a.routes.iter().map(|m| html! {
                            <tr>
                                <td class="mono">{ m.receiver.clone() }</td>
                                <td class="mono small">
                                    <div>{ m.path.clone() }</div>
                                    <div><span class="muted">{ "key " }</span>{ m.group_key.clone() }</div>
                                    <div><span class="muted">{ "group " }</span>{ m.group_labels.clone() }</div>
                                </td>
                                <td class="mono">{ format!("{} · {} · {}", m.group_wait, m.group_interval, m.repeat_interval) }
                                    <br /><small>{ format!("repeats every {}", m.effective_repeat) }</small></td>
                                <td>{ match (&m.held_by_time, m.notifies) {
                                    (Some(h), _) => html! { <span class="tag warning">{ format!("held: {h}") }</span> },
                                    (None, true) => html! { <span class="tag ok">{ "✓ sends" }</span> },
                                    (None, false) => html! { <span class="tag warning">{ "muted" }</span> },
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    // The routes beside the path, each with the matcher the alert fails (or the sibling that
    // ended the search before it).
    let skipped = answer.filter(|a| !a.skipped.is_empty()).map(|a| {
        html! {
            <details class="skipped" open={a.skipped.len() <= 4}>
                <summary>{ format!("Why not the other routes? ({})", a.skipped.len()) }</summary>
                <ul data-testid="route-skipped">
                    { for a.skipped.iter().map(|s| html! {
                        <li>
                            <span class="mono">{ s.path.clone() }</span>{ " → " }<span class="mono">{ s.receiver.clone() }</span>{ ": " }
                            { s.reasons.join("; ") }
                        </li>
                    }) }
                </ul>
            </details>
        }
    });
    let intervals = answer.filter(|a| !a.intervals.is_empty()).map(|a| {
        html! {
            <ul class="intervals" data-testid="route-intervals">
                { for a.intervals.iter().map(|t| html! {
                    <li class={classes!(t.used_by_match.then_some("used"))}>
                        <strong class="mono">{ t.name.clone() }</strong>
                        { if t.inside { " — the instant is inside: " } else { " — the instant is outside: " } }
                        { t.local_times.join("; ") }
                        if t.used_by_match { <small>{ " (a matched route names it)" }</small> }
                    </li>
                }) }
            </ul>
        }
    });
    let (verdict_class, verdict_text) = answer.map(verdict).unwrap_or(("", String::new()));
    // An older input's verdict is never shown as a current one.
    let verdict_class = if stale { "stale" } else { verdict_class };
    html! {
        <div class="tester">
            <h3>{ "Where does an alert go?" }</h3>
            <div class="field">
                <label for="route-labels">{ "Alert labels" }</label>
                <input type="text" id="route-labels" data-testid="route-labels" class={classes!("mono", test_error.is_some().then_some("invalid"))}
                    spellcheck="false" autocomplete="off" value={r.test.labels.clone()} oninput={on_labels}
                    aria-invalid={test_error.is_some().then_some("true")} aria-describedby="route-labels-error" />
                <small class="hint">{ "k=v, k=\"v, with commas\" or {k=\"v\", …} — read as amtool config routes test reads its arguments" }</small>
                <p class="field-error" id="route-labels-error" role={test_error.is_some().then_some("alert")}>
                    { test_error.map(error_text).unwrap_or_default() }
                </p>
            </div>
            <div class={classes!("tester-answer", stale::card(stale && answer.is_some()))} data-testid="route-answer">
                { stale::badge(stale && answer.is_some(), stale_from) }
                if answer.is_none() && r.is_stale() {
                    <p class="note">{ "The tester answers once a config reads." }</p>
                }
                <p class="receivers">{ "Receivers: " }
                    <output data-testid="route-receivers" class={classes!("mono", stale.then_some("stale"))} for="route-labels" aria-live="polite"
                        data-for={answer.map(|a| a.labels.clone()).unwrap_or_default()}>
                        { answer.map(|a| a.receivers.clone()).unwrap_or_default() }
                    </output>
                </p>
                if !verdict_text.is_empty() {
                    <p class={classes!("verdict", verdict_class)} data-testid="route-verdict">{ verdict_text }</p>
                }
                { routes.unwrap_or_default() }
                { skipped.unwrap_or_default() }
            </div>
            <div class="field">
                <label for="route-at">{ "At (UTC)" }</label>
                <input type="datetime-local" id="route-at" value={r.test.at.clone()} onchange={on_at} />
            </div>
            { intervals.unwrap_or_default() }
            <h4>{ "Firing alerts (sources for inhibition)" }</h4>
            <ol class="edit-list">{ for firing }</ol>
            <button type="button" onclick={send.reform(|_: MouseEvent| RoutingAction::AddFiring)}>{ "Add a firing alert" }</button>
            <h4>{ "Silences" }</h4>
            <ol class="edit-list">{ for silences }</ol>
            <button type="button" onclick={send.reform(|_: MouseEvent| RoutingAction::AddSilence)}>{ "Add a silence" }</button>
        </div>
    }
}
