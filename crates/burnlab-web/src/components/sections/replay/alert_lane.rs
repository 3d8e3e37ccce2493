//! Alert states as bands, one row per alert the rules can raise and one for the naive rule:
//! hatched while pending (waiting out `for`), solid while firing, in the severity's colour.

use std::rc::Rc;

use burnlab::alertmanager::matchers::Labels;
use burnlab::replay::AlertTimeline;
use burnlab::replay::summary::Class;
use burnlab_protocol::replay::ReplayView;
use yew::prelude::*;

use super::axis::{Axis, Tick, clock_label};
use super::lane::{cut, grid, px};
use crate::shared::Shared;

/// Height of one row, pixels.
pub const ROW: f64 = 22.0;

/// The lane's height for `view`.
pub fn height(view: Option<&ReplayView>) -> f64 {
    let rows = view.map_or(1, |v| {
        v.timeline.alerts.len() + v.naive.as_ref().map_or(0, |n| n.timeline.alerts.len())
    });
    rows.max(1) as f64 * ROW + 4.0
}

/// Props of [`AlertLane`].
#[derive(Properties, PartialEq)]
pub struct AlertLaneProps {
    /// The shared axis.
    pub axis: Axis,
    /// Its ticks.
    pub ticks: Rc<Vec<Tick>>,
    /// The run.
    pub view: Option<Shared<ReplayView>>,
}

/// A short name for an alert's row: its tier (`page 1h/5m`) when its labels say it, else its
/// name.
pub fn short(labels: &Labels) -> String {
    match (
        labels.get("severity"),
        labels.get("long_window"),
        labels.get("short_window"),
    ) {
        (Some(s), Some(l), Some(w)) => format!("{s} {l}/{w}"),
        _ => labels.get("alertname").cloned().unwrap_or_default(),
    }
}

fn class_name(c: Class) -> &'static str {
    match c {
        Class::Page => "page",
        Class::Ticket => "ticket",
        Class::Other => "other",
    }
}

/// One row: its title (left of the plot) and its bands (inside it).
fn row(
    axis: &Axis,
    alert: &AlertTimeline,
    title: String,
    y: f64,
    span: (f64, i64),
    naive: bool,
) -> (Html, Html) {
    let (end_s, start) = span;
    let band = |(a, b): &(f64, Option<f64>), class: &'static str, state: &str| {
        let b = b.unwrap_or(end_s);
        let x0 = axis.x_clamped(*a);
        let x1 = axis.x_clamped(b).max(x0 + 1.5);
        let tip = format!(
            "{} {state} from {} to {}",
            alert.labels.get("alertname").map_or("", String::as_str),
            clock_label(start + *a as i64),
            clock_label(start + b as i64)
        );
        html! {
            <rect class={classes!("band", class)} x={px(x0)} y={px(y + 4.0)} width={px(x1 - x0)} height={px(ROW - 8.0)}>
                <title>{ tip }</title>
            </rect>
        }
    };
    let class = class_name(alert.class);
    let visible =
        |(a, b): &&(f64, Option<f64>)| *a <= axis.to_s && b.unwrap_or(end_s) >= axis.from_s;
    let name = alert.labels.get("alertname").cloned().unwrap_or_default();
    let head = html! {
        <text class={classes!("row-title", class, naive.then_some("naive"))} x="6" y={px(y + 15.0)}>
            { cut(&title, 19) }
            <title>{ name.clone() }</title>
        </text>
    };
    let bands = html! {
        <g class={classes!("alert-row", class, naive.then_some("naive"))}
            data-alertname={name} data-firing={alert.firing.len().to_string()}>
            { for alert.pending.iter().filter(visible).map(|p| band(p, "pending", "pending")) }
            { for alert.firing.iter().filter(visible).map(|f| band(f, class, "firing")) }
        </g>
    };
    (head, bands)
}

/// The lane.
#[function_component(AlertLane)]
pub fn alert_lane(props: &AlertLaneProps) -> Html {
    let axis = props.axis;
    let h = height(props.view.as_deref());
    let Some(view) = props.view.as_deref() else {
        return html! {
            <svg class="lane lane-alerts" width={px(axis.width)} height={px(h)} viewBox={format!("0 0 {} {h}", px(axis.width))}>
                { grid(&axis, &props.ticks, h) }
            </svg>
        };
    };
    let span = (view.duration_s, view.start_time);
    let offset = view.timeline.alerts.len();
    let rows: Vec<(Html, Html)> = view
        .timeline
        .alerts
        .iter()
        .enumerate()
        .map(|(i, a)| row(&axis, a, short(&a.labels), i as f64 * ROW, span, false))
        .chain(
            view.naive
                .iter()
                .flat_map(|n| n.timeline.alerts.iter())
                .enumerate()
                .map(|(i, a)| {
                    let y = (offset + i) as f64 * ROW;
                    row(&axis, a, "naive threshold".into(), y, span, true)
                }),
        )
        .collect();
    html! {
        <svg class="lane lane-alerts" width={px(axis.width)} height={px(h)}
            viewBox={format!("0 0 {} {h}", px(axis.width))} role="img"
            aria-label="Alert states over time: pending and firing, one row per alert, the naive rule last">
            { grid(&axis, &props.ticks, h) }
            { for rows.iter().map(|(head, _)| head.clone()) }
            <g clip-path="url(#replay-clip-alerts)">
                { for rows.iter().map(|(_, bands)| bands.clone()) }
            </g>
            <defs>
                <clipPath id="replay-clip-alerts">
                    <rect x={px(axis.left())} y="0" width={px(axis.right() - axis.left())} height={px(h)} />
                </clipPath>
            </defs>
        </svg>
    }
}
