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

/// An incident's detection, as delays from its own start: the page's and the ticket's apart,
/// and the budget spent before the first of them.
fn delay(i: Option<&IncidentSummary>) -> String {
    let Some(i) = i else {
        return "—".into();
    };
    if !i.affects_sli {
        return "not on this SLI".into();
    }
    let after = |t: Option<f64>, what: &str| {
        t.map(|t| {
            format!(
                "{what} after {}",
                format::human_duration((t - i.start_s).max(0.0))
            )
        })
    };
    let said: Vec<String> = [
        after(i.first_page_s, "page"),
        after(i.first_ticket_s, "ticket"),
    ]
    .into_iter()
    .flatten()
    .collect();
    match (said.is_empty(), i.noise) {
        (true, true) => "not paged (a blip: right)".into(),
        (true, false) => "missed".into(),
        (false, _) => format!(
            "{} ({} of the budget spent before the first)",
            said.join(" · "),
            share(i.budget_spent_before_detection)
        ),
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
    // The first page at its clock time, and as a delay from the incident it answers (the
    // last one begun before it), not from the scenario's start.
    let first = |s: &Summary| {
        s.first_page_s.map_or_else(
            || "never".into(),
            |t| {
                let cause = s
                    .incidents
                    .iter()
                    .filter(|i| i.start_s <= t)
                    .max_by(|a, b| a.start_s.total_cmp(&b.start_s));
                match cause {
                    Some(i) => format!(
                        "{} ({} after {} began)",
                        clock_label(start + t as i64),
                        format::human_duration(t - i.start_s),
                        i.name
                            .clone()
                            .unwrap_or_else(|| format!("incident {}", i.index + 1))
                    ),
                    None => format!(
                        "{} ({} into the scenario)",
                        clock_label(start + t as i64),
                        format::human_duration(t)
                    ),
                }
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
                    <tr><th scope="col">{ "Figure" }</th><th scope="col">{ "Your burn-rate rules" }</th><th scope="col">{ "Naive threshold" }</th></tr>
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
                    <caption>{ format!("Each incident: how long after it began the first page and the first ticket came (and the budget spent by then). The scenario spends {} of the budget in all.", format::percent_sig(ours.budget_spent, 3)) }</caption>
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
