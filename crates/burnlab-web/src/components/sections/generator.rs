//! The Alertmanager generator as a form: severity → receiver kind and name, a fallback,
//! group_by, timers and the inhibiting severity; its button writes the config into the editor
//! (the replaced text stays one Undo away).

use std::rc::Rc;

use burnlab::intent::{self, KINDS};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::routing::{IntentField, RoutingAction, RoutingState};

/// Props of [`Generator`].
#[derive(Properties, PartialEq)]
pub struct GeneratorProps {
    /// The section's state.
    pub routing: Rc<RoutingState>,
    /// Receives every change.
    pub send: Callback<RoutingAction>,
}

fn kind_select(id: String, label: String, current: &str, onchange: Callback<Event>) -> Html {
    html! {
        <select id={id} aria-label={label} {onchange}>
            { for KINDS.iter().map(|k| html! {
                <option value={intent::kind_name(*k)} selected={intent::kind_name(*k) == current}>{ intent::kind_name(*k) }</option>
            }) }
        </select>
    }
}

/// The form.
#[function_component(Generator)]
pub fn generator(props: &GeneratorProps) -> Html {
    let f = &props.routing.intent;
    let send = &props.send;
    let text = |field: IntentField| {
        send.reform(move |e: InputEvent| {
            RoutingAction::SetIntent(
                field,
                e.target_dyn_into::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default(),
            )
        })
    };
    let kind = |route: Option<usize>| {
        send.reform(move |e: Event| {
            let v = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            RoutingAction::SetKind(route, v)
        })
    };
    let input = |id: &str, label: &str, value: &str, field: IntentField| {
        html! {
            <div class="field">
                <label for={id.to_owned()}>{ label.to_owned() }</label>
                <input type="text" id={id.to_owned()} class="mono" value={value.to_owned()} oninput={text(field)} />
            </div>
        }
    };
    html! {
        <details class="generator">
            <summary>{ "Generate a config from an intent" }</summary>
            <table class="intent-routes">
                <thead><tr><th scope="col">{ "severity" }</th><th scope="col">{ "kind" }</th><th scope="col">{ "receiver" }</th><th /></tr></thead>
                <tbody>
                    { for f.routes.iter().enumerate().map(|(i, r)| html! {
                        <tr>
                            <td><input type="text" class="mono" aria-label={format!("Route {} severity", i + 1)} value={r.severity.clone()} oninput={text(IntentField::Severity(i))} /></td>
                            <td>{ kind_select(format!("intent-kind-{i}"), format!("Route {} receiver kind", i + 1), &r.kind, kind(Some(i))) }</td>
                            <td><input type="text" class="mono" aria-label={format!("Route {} receiver", i + 1)} value={r.receiver.clone()} oninput={text(IntentField::Receiver(i))} /></td>
                            <td><button type="button" aria-label={format!("Remove route {}", i + 1)} onclick={send.reform(move |_: MouseEvent| RoutingAction::RemoveRoute(i))}>{ "✕" }</button></td>
                        </tr>
                    }) }
                    <tr>
                        <td>{ "anything else" }</td>
                        <td>{ kind_select("intent-kind-fallback".into(), "Fallback receiver kind".into(), &f.fallback_kind, kind(None)) }</td>
                        <td><input type="text" class="mono" aria-label="Fallback receiver" value={f.fallback.clone()} oninput={text(IntentField::Fallback)} /></td>
                        <td />
                    </tr>
                </tbody>
            </table>
            <button type="button" onclick={send.reform(|_: MouseEvent| RoutingAction::AddRoute)}>{ "Add a severity route" }</button>
            <div class="intent-fields">
                { input("intent-group-by", "group_by", &f.group_by, IntentField::GroupBy) }
                { input("intent-group-wait", "group_wait", &f.group_wait, IntentField::GroupWait) }
                { input("intent-group-interval", "group_interval", &f.group_interval, IntentField::GroupInterval) }
                { input("intent-repeat-interval", "repeat_interval", &f.repeat_interval, IntentField::RepeatInterval) }
                { input("intent-inhibit", "Firing alerts of this severity inhibit the others of their SLO (empty: none)", &f.inhibit, IntentField::Inhibit) }
            </div>
            if let Some(e) = &props.routing.intent_error {
                <p class="field-error" role="alert">{ format!("{}: {}", e.field, e.message) }</p>
            }
            <button type="button" class="primary" data-testid="am-generate" disabled={props.routing.generated().is_none()}
                onclick={send.reform(|_: MouseEvent| RoutingAction::Generate)}>{ "Write into the editor" }</button>
            <p class="note">{ "Also on the command line: burnlab alertmanager generate --route page=pagerduty:pager … [--secret]" }</p>
        </details>
    }
}
