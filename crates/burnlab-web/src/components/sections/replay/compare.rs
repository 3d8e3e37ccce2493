//! The same scenario under the user's burn-rate rules and under naive threshold alerting, side
//! by side: pages, tickets, false pages, notifications, incidents missed, the first page and
//! the budget spent before it, then each incident's detection delay. The figures are the core's
//! summaries; this file only lays them out.

use std::rc::Rc;

use burnlab::format;
use burnlab::replay::summary::{IncidentSummary, Summary};
use burnlab_protocol::replay::{ReplayView, TimelineView};
use yew::prelude::*;

use super::axis::clock_label;
use super::fields::field;
use crate::shared::Shared;
use crate::state::replay::{EditField, ReplayAction, ReplayState};

/// Props of [`Compare`].
#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The run.
    pub view: Shared<ReplayView>,
    /// The section's state (the naive rule's fields).
    pub replay: Rc<ReplayState>,
    /// Receives the naive rule's fields.
    pub send: Callback<ReplayAction>,
}

fn share(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format::percent_sig(v, 3))
}

fn delay(i: Option<&IncidentSummary>) -> String {
    match i {
        None => "—".into(),
        Some(i) if !i.affects_sli => "not on this SLI".into(),
        Some(i) => match i.detection_delay_s {
            Some(d) => format!(
                "{} ({} of the budget spent)",
                format::human_duration(d),
                share(i.budget_spent_before_detection)
            ),
            None if i.noise => "not paged (a blip: right)".into(),
            None => "missed".into(),
        },
    }
}

/// The comparison.
#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let v = &props.view;
    let start = v.start_time;
    let ours = &v.timeline.summary;
    let naive: Option<&TimelineView> = v.naive.as_ref().map(|n| &n.timeline);
    let theirs: Option<&Summary> = naive.map(|t| &t.summary);
    let first = |s: &Summary| {
        s.first_page_s.map_or_else(
            || "never".into(),
            |t| {
                format!(
                    "{} (+{})",
                    clock_label(start + t as i64),
                    format::human_duration(t)
                )
            },
        )
    };
    type Cell<'a> = &'a dyn Fn(&Summary) -> String;
    let pages: Cell = &|s| s.pages.to_string();
    let tickets: Cell = &|s| s.tickets.to_string();
    let false_pages: Cell = &|s| s.false_pages.to_string();
    let missed: Cell = &|s| s.undetected_incidents.to_string();
    let before: Cell = &|s| share(s.budget_spent_before_first_page);
    let first_at: Cell = &first;
    let row = |label: &str, cell: Cell, ids: Option<(&str, &str)>| {
        let (a, b) = ids.map_or((None, None), |(a, b)| {
            (Some(a.to_owned()), Some(b.to_owned()))
        });
        html! {
            <tr>
                <th scope="row">{ label.to_owned() }</th>
                <td data-testid={a}>{ cell(ours) }</td>
                <td data-testid={b}>{ theirs.map_or_else(|| "—".into(), cell) }</td>
            </tr>
        }
    };
    let notifications = (
        v.timeline.notifications_total,
        naive.map_or(0, |t| t.notifications_total),
    );
    let rule = v.naive.as_ref().map_or_else(String::new, |n| {
        format!(
            "error ratio over {} > {} for {}",
            n.window,
            format::percent_sig(n.threshold, 4),
            n.for_
        )
    });
    let incidents = &ours.incidents;
    html! {
        <div class="replay-compare">
            <h3 id="replay-compare-title">{ "Burn-rate alerts against a naive threshold" }</h3>
            <p class="note">
                { "The naive rule is the lesson's: page when the " }<code>{ rule }</code>
                { ". Set your own threshold to compare (empty: the error budget, as the lesson does)." }
            </p>
            <div class="field-grid naive-fields">
                { field(&props.replay, &props.send, EditField::Threshold, "Naive threshold", "error ratio that pages, e.g. 1%") }
                { field(&props.replay, &props.send, EditField::ThresholdFor, "…held for", "e.g. 1m, 0s") }
            </div>
            <table class="compare" aria-labelledby="replay-compare-title">
                <thead>
                    <tr><th scope="col">{ "" }</th><th scope="col">{ "Your burn-rate rules" }</th><th scope="col">{ "Naive threshold" }</th></tr>
                </thead>
                <tbody>
                    { row("Pages", pages, Some(("replay-pages", "replay-threshold-pages"))) }
                    { row("Tickets", tickets, Some(("replay-tickets", "replay-threshold-tickets"))) }
                    { row("False pages (no real incident)", false_pages, Some(("replay-false-pages", "replay-threshold-false-pages"))) }
                    <tr>
                        <th scope="row">{ "Notifications sent" }</th>
                        <td data-testid="replay-notification-count">{ notifications.0 }</td>
                        <td data-testid="replay-threshold-notification-count">{ notifications.1 }</td>
                    </tr>
                    { row("Incidents missed", missed, None) }
                    { row("First page", first_at, None) }
                    { row("Budget spent before the first page", before, Some(("replay-budget-before-page", "replay-threshold-budget-before-page"))) }
                </tbody>
            </table>
            if !incidents.is_empty() {
                <table class="compare incidents" data-testid="replay-incidents">
                    <caption>{ format!("Each incident: detection delay (and the budget spent by then). The scenario spends {} of the budget in all.", format::percent_sig(ours.budget_spent, 3)) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Incident" }</th>
                            <th scope="col">{ "Budget it spent" }</th>
                            <th scope="col">{ "Your rules" }</th>
                            <th scope="col">{ "Naive threshold" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for incidents.iter().map(|i| {
                            let name = i.name.clone().unwrap_or_else(|| format!("incident {}", i.index + 1));
                            let other = theirs.and_then(|s| s.incidents.iter().find(|x| x.index == i.index));
                            html! {
                                <tr>
                                    <th scope="row">
                                        { name }
                                        <span class="when">{ format!(" at {}", clock_label(start + i.start_s as i64)) }</span>
                                        if i.noise { <span class="tag">{ "blip" }</span> }
                                    </th>
                                    <td>{ format::percent_sig(i.budget_spent, 3) }</td>
                                    <td>{ delay(Some(i)) }</td>
                                    <td>{ if theirs.is_some() { delay(other) } else { "—".into() } }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
