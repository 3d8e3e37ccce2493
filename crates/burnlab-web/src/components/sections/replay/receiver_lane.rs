//! Notifications as markers, one row per receiver: a circle for each notification of the rules
//! (in the colour of its most severe firing alert; a ring when it only says what resolved; a
//! dashed ring with a question mark when the real Alertmanager may send it at another time),
//! and a small square for each of the naive rule's. Clicking a marker opens its details.

use std::rc::Rc;

use burnlab::replay::Notification;
use burnlab::replay::summary::{Class, class};
use burnlab_protocol::replay::ReplayView;
use yew::prelude::*;

use super::axis::{Axis, Tick, clock_label};
use super::lane::{cut, grid, px};
use crate::shared::Shared;
use crate::state::replay::ReplayAction;

/// Height of one row, pixels.
pub const ROW: f64 = 26.0;

/// The lane's height for `view`.
pub fn height(view: Option<&ReplayView>) -> f64 {
    view.map_or(1, |v| v.receivers.len()).max(1) as f64 * ROW + 4.0
}

/// Props of [`ReceiverLane`].
#[derive(Properties, PartialEq)]
pub struct ReceiverLaneProps {
    /// The shared axis.
    pub axis: Axis,
    /// Its ticks.
    pub ticks: Rc<Vec<Tick>>,
    /// The run.
    pub view: Option<Shared<ReplayView>>,
    /// Whether the naive rule's notifications show.
    pub show_naive: bool,
    /// The opened notification.
    pub opened: Option<(bool, usize)>,
    /// Receives the opened notification.
    pub send: Callback<ReplayAction>,
}

/// `page`, `ticket`, `other` or `resolved`: what a notification says at its most severe.
pub fn kind(n: &Notification) -> &'static str {
    let classes: Vec<Class> = n.firing.iter().map(class).collect();
    if classes.contains(&Class::Page) {
        "page"
    } else if classes.contains(&Class::Ticket) {
        "ticket"
    } else if classes.is_empty() {
        "resolved"
    } else {
        "other"
    }
}

/// The lane.
#[function_component(ReceiverLane)]
pub fn receiver_lane(props: &ReceiverLaneProps) -> Html {
    let axis = props.axis;
    let view = props.view.as_deref();
    let h = height(view);
    let receivers: &[String] = view.map_or(&[], |v| v.receivers.as_slice());
    let row_of = |r: &str| receivers.iter().position(|x| x == r);
    let start = view.map_or(0, |v| v.start_time);
    let shown = |n: &Notification| n.at_s >= axis.from_s && n.at_s <= axis.to_s;
    let open = |naive: bool, i: usize| {
        let send = props.send.clone();
        Callback::from(move |e: PointerEvent| {
            e.stop_propagation();
            // No focus move to the chart: the opened notification's details take the focus.
            e.prevent_default();
            send.emit(ReplayAction::Open(Some((naive, i))));
        })
    };
    let marker = |n: &Notification, i: usize, naive: bool| -> Option<Html> {
        let row = row_of(&n.receiver)?;
        let (x, y) = (axis.x(n.at_s), row as f64 * ROW + ROW / 2.0);
        let opened = props.opened == Some((naive, i));
        let tip = format!(
            "{} via {} at {}{}",
            n.receiver,
            n.integration,
            clock_label(start + n.at_s as i64),
            if n.uncertain { " (uncertain)" } else { "" }
        );
        let k = kind(n);
        Some(if naive {
            html! {
                <rect class={classes!("marker", "naive", k, opened.then_some("opened"))}
                    x={px(x - 3.5)} y={px(y + 2.0)} width="7" height="7" onpointerdown={open(true, i)}>
                    <title>{ format!("naive threshold: {tip}") }</title>
                </rect>
            }
        } else {
            html! {
                <g class={classes!("marker", k, n.uncertain.then_some("uncertain"), opened.then_some("opened"))}
                    onpointerdown={open(false, i)}>
                    <circle cx={px(x)} cy={px(y - 3.0)} r="6" />
                    if n.uncertain {
                        <text x={px(x)} y={px(y + 1.0)} text-anchor="middle">{ "?" }</text>
                    }
                    <title>{ tip }</title>
                </g>
            }
        })
    };
    let markers: Vec<Html> = view
        .map(|v| {
            let rules = v
                .timeline
                .notifications
                .iter()
                .enumerate()
                .filter(|(_, n)| shown(n))
                .filter_map(|(i, n)| marker(n, i, false));
            let naive = v
                .naive
                .iter()
                .filter(|_| props.show_naive)
                .flat_map(|nv| nv.timeline.notifications.iter().enumerate())
                .filter(|(_, n)| shown(n))
                .filter_map(|(i, n)| marker(n, i, true));
            naive.chain(rules).collect()
        })
        .unwrap_or_default();
    html! {
        <svg class="lane lane-receivers" width={px(axis.width)} height={px(h)}
            viewBox={format!("0 0 {} {h}", px(axis.width))} role="img"
            aria-label="Notifications over time, one row per receiver; the list below the charts has every one">
            { grid(&axis, &props.ticks, h) }
            if receivers.is_empty() {
                <text class="row-title" x="6" y={px(ROW / 2.0 + 4.0)}>{ "receivers" }</text>
                <text class="empty" x={px(axis.left() + 8.0)} y={px(ROW / 2.0 + 4.0)}>{ "No notifications." }</text>
            }
            { for receivers.iter().enumerate().map(|(i, r)| html! {
                <text class="row-title receiver" x="6" y={px(i as f64 * ROW + ROW / 2.0 + 4.0)}>
                    { cut(&format!("→ {r}"), 19) }<title>{ r.clone() }</title>
                </text>
            }) }
            <g clip-path="url(#replay-clip-receivers)">
                { for markers }
            </g>
            <defs>
                <clipPath id="replay-clip-receivers">
                    <rect x={px(axis.left() - 8.0)} y="0" width={px(axis.right() - axis.left() + 16.0)} height={px(h)} />
                </clipPath>
            </defs>
        </svg>
    }
}
