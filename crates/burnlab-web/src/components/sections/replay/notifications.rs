//! Every notification as a list item that opens to show why it was sent: its receiver and
//! integration, Alertmanager's group key, the firing and resolved alerts with the rule that
//! raised each (expression and `for`), and, when the real Alertmanager may send it at another
//! time, that time and why. The naive rule's follow in a list of their own.

use burnlab::alertmanager::matchers::Labels;
use burnlab::format;
use burnlab::replay::Notification;
use burnlab::replay::events::label_text;
use burnlab_protocol::replay::{AlertRuleView, ReplayView};
use yew::prelude::*;

use super::axis::clock_label;
use super::receiver_lane::kind;
use crate::shared::Shared;
use crate::state::replay::ReplayAction;

/// At most this many items of a list are drawn; the count says how many there are.
pub const MAX_SHOWN: usize = 1_000;

/// Props of [`Notifications`].
#[derive(Properties, PartialEq)]
pub struct NotificationsProps {
    /// The run.
    pub view: Shared<ReplayView>,
    /// The opened notification: `(naive, index)`.
    pub opened: Option<(bool, usize)>,
    /// Receives the opened notification.
    pub send: Callback<ReplayAction>,
}

fn alert(labels: &Labels, rules: &[AlertRuleView]) -> Html {
    let name = labels.get("alertname").cloned().unwrap_or_default();
    let rule = rules.iter().find(|r| r.name == name);
    html! {
        <li>
            <code>{ format!("{name}{}", label_text(labels)) }</code>
            if let Some(r) = rule {
                <div class="rule">
                    <span class="muted">{ "fires when " }</span><code>{ r.expr.clone() }</code>
                    if !r.for_.is_empty() {
                        <span class="muted">{ format!(" for {}", r.for_) }</span>
                    }
                </div>
            }
        </li>
    }
}

fn item(
    n: &Notification,
    i: usize,
    naive: bool,
    start: i64,
    rules: &[AlertRuleView],
    props: &NotificationsProps,
) -> Html {
    let opened = props.opened == Some((naive, i));
    let toggle = {
        let send = props.send.clone();
        Callback::from(move |e: MouseEvent| {
            // The `open` attribute follows the state, so the page decides, not the browser.
            e.prevent_default();
            send.emit(ReplayAction::Open((!opened).then_some((naive, i))));
        })
    };
    let k = kind(n);
    let what = match k {
        "resolved" => format!("resolved {}", n.resolved.len()),
        _ => format!(
            "{} firing{}",
            n.firing.len(),
            if n.resolved.is_empty() {
                String::new()
            } else {
                format!(", {} resolved", n.resolved.len())
            }
        ),
    };
    html! {
        <li class={classes!("notification", k, n.uncertain.then_some("uncertain"))} id={item_id(naive, i)}
            data-receiver={n.receiver.clone()} data-at-s={n.at_s.to_string()}
            data-kind={k} data-uncertain={n.uncertain.then_some("true")}>
            <details open={opened}>
                <summary onclick={toggle}>
                    <span class="when">{ clock_label(start + n.at_s as i64) }</span>
                    <span class="plus">{ format!(" +{} ", format::human_duration(n.at_s)) }</span>
                    <strong>{ format!("→ {}", n.receiver) }</strong>
                    { format!(" via {} · {what}", n.integration) }
                    if n.uncertain {
                        <span class="tag uncertain" title="The real Alertmanager may send this at another time">{ "uncertain" }</span>
                    }
                </summary>
                <div class="details">
                    <p>{ "Group " }<code>{ n.group_key.clone() }</code></p>
                    if n.uncertain {
                        <p class="uncertain-why">
                            { n.why.clone().unwrap_or_default() }
                            if let Some(t) = n.alternative_at_s {
                                { format!(" It may come at {} instead.", clock_label(start + t as i64)) }
                            }
                        </p>
                    }
                    if !n.firing.is_empty() {
                        <p>{ "Firing:" }</p>
                        <ul>{ for n.firing.iter().map(|l| alert(l, rules)) }</ul>
                    }
                    if !n.resolved.is_empty() {
                        <p>{ "Resolved:" }</p>
                        <ul>{ for n.resolved.iter().map(|l| alert(l, rules)) }</ul>
                    }
                </div>
            </details>
        </li>
    }
}

/// The element id of a notification's item.
fn item_id(naive: bool, i: usize) -> String {
    format!("notification-{}-{i}", if naive { "naive" } else { "rules" })
}

/// Brings the opened notification to where the user looks: scrolled into view (no further than
/// needed) with its summary focused, so a click on a chart's marker shows its details at once.
fn reveal(naive: bool, i: usize) -> Option<()> {
    use wasm_bindgen::JsCast;
    let item = web_sys::window()?
        .document()?
        .get_element_by_id(&item_id(naive, i))?;
    // The naive rule's list is folded away until asked for.
    if let Some(list) = item
        .closest("details.naive-notifications")
        .ok()
        .flatten()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    {
        list.set_open(true);
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    item.scroll_into_view_with_scroll_into_view_options(&options);
    let summary = item.query_selector("summary").ok()??;
    summary
        .dyn_into::<web_sys::HtmlElement>()
        .ok()?
        .focus()
        .ok()
}

/// The lists.
#[function_component(Notifications)]
pub fn notifications(props: &NotificationsProps) -> Html {
    use_effect_with(props.opened, |opened| {
        if let Some((naive, i)) = *opened {
            reveal(naive, i);
        }
    });
    let v = &props.view;
    let start = v.start_time;
    let list = |ns: &[Notification], total: usize, naive: bool, testid: &'static str| {
        let more = total.saturating_sub(ns.len().min(MAX_SHOWN));
        let none: &[AlertRuleView] = &[];
        let rules = if naive { none } else { v.rules.as_slice() };
        html! {
            <>
                <ol class="notifications" data-testid={testid} data-generation={v.generation.to_string()}>
                    { for ns.iter().take(MAX_SHOWN).enumerate().map(|(i, n)| item(n, i, naive, start, rules, props)) }
                </ol>
                if more > 0 {
                    <p class="note">{ format!("…and {more} more (the charts show the first {}).", ns.len()) }</p>
                }
                if total == 0 {
                    <p class="note">{ "None." }</p>
                }
            </>
        }
    };
    html! {
        <div class="replay-notifications">
            <h3>{ format!("Notifications from your rules ({})", v.timeline.notifications_total) }</h3>
            { list(&v.timeline.notifications, v.timeline.notifications_total, false, "replay-notifications") }
            if let Some(n) = &v.naive {
                <details class="naive-notifications">
                    <summary>{ format!("Notifications from the naive threshold ({})", n.timeline.notifications_total) }</summary>
                    { list(&n.timeline.notifications, n.timeline.notifications_total, true, "replay-threshold-notifications") }
                </details>
            }
        </div>
    }
}
