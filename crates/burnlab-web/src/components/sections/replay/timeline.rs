//! The replay's charts on one time axis: the incidents (the editor), the error ratio with the
//! thresholds, the budget left, the alerts' states and the notifications per receiver, with a
//! cursor that reads every lane at one instant. The axis zooms to any range: with the wheel
//! (about the pointer; Shift or a sideways wheel pans), by dragging across a chart, with the
//! buttons, or from the keyboard once the charts are focused (+ and − zoom about the cursor,
//! the arrows move it, Page Up and Page Down pan, 0 shows the whole scenario).

use std::rc::Rc;

use burnlab::format;
use burnlab::replay::scenario::Scenario;
use burnlab_protocol::replay::{ReplayView, WindowView};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, WheelEvent};
use yew::prelude::*;

use super::alert_lane::{self, AlertLane};
use super::axis::{self, Axis, clock_label};
use super::budget_lane::{self, BudgetLane};
use super::incident_lane::{self, IncidentLane};
use super::lane::px;
use super::ratio_lane::{self, RatioLane};
use super::receiver_lane::{self, ReceiverLane};
use crate::shared::Shared;
use crate::state::replay::ReplayAction;

const AXIS_HEIGHT: f64 = 24.0;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The scenario.
    pub scenario: Rc<Scenario>,
    /// The run.
    pub view: Option<Shared<ReplayView>>,
    /// The charts' points.
    pub window: Option<Shared<WindowView>>,
    /// The range shown, ms.
    pub range: (i64, i64),
    /// The drawing's width, pixels.
    pub width: f64,
    /// The selected incident.
    pub selected: Option<usize>,
    /// The opened notification.
    pub opened: Option<(bool, usize)>,
    /// Whether the naive rule's notifications show.
    pub show_naive: bool,
    /// Whether what is shown is older than the inputs.
    pub stale: bool,
    /// Receives every change.
    pub send: Callback<ReplayAction>,
}

/// What the cursor reads at `t` seconds.
fn readout(view: Option<&ReplayView>, window: Option<&WindowView>, start: i64, t: f64) -> String {
    let mut parts = vec![clock_label(start + t.floor() as i64)];
    if let Some(p) = window.and_then(|w| w.points.iter().find(|p| p.from_s <= t && t <= p.to_s)) {
        parts.push(format!("errors {}", format::percent_sig(p.ratio, 3)));
        if p.peak > p.ratio * 1.01 {
            parts.push(format!(
                "peak between scrapes {}",
                format::percent_sig(p.peak, 3)
            ));
        }
        parts.push(format!(
            "budget left {}",
            format::percent_sig(p.budget_left, 3)
        ));
    }
    if let Some(v) = view {
        let at =
            |iv: &[(f64, Option<f64>)]| iv.iter().any(|(a, b)| *a <= t && b.is_none_or(|b| t < b));
        let mut firing: Vec<String> = v
            .timeline
            .alerts
            .iter()
            .filter(|a| at(&a.firing))
            .map(|a| alert_lane::short(&a.labels))
            .collect();
        if v.naive
            .iter()
            .flat_map(|n| &n.timeline.alerts)
            .any(|a| at(&a.firing))
        {
            firing.push("naive threshold".into());
        }
        parts.push(if firing.is_empty() {
            "nothing firing".into()
        } else {
            format!("firing: {}", firing.join(", "))
        });
    }
    parts.join(" · ")
}

/// What the wheel listener needs from the latest render.
#[derive(Clone)]
struct Latest {
    axis: Axis,
    range: (i64, i64),
    end: i64,
    send: Callback<ReplayAction>,
}

/// Where a tick's label goes: centred on its tick, or ending at (starting from) the lane's edge
/// when centring would cut it there ("Tue 2 Ja"). Labels are 11 px text, about 6.5 px a character.
fn tick_anchor(x: f64, label: &str, width: f64) -> (f64, &'static str) {
    let half = label.chars().count() as f64 * 6.5 / 2.0;
    if x + half > width - 2.0 {
        ((width - 2.0).min(x + half), "end")
    } else if x - half < 2.0 {
        (2.0f64.max(x - half), "start")
    } else {
        (x, "middle")
    }
}

/// The charts.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let end = props.scenario.duration_ms();
    let axis = Axis {
        from_s: props.range.0 as f64 / 1000.0,
        to_s: props.range.1 as f64 / 1000.0,
        width: props.width,
    };
    let start = props.scenario.start_time;
    let ticks = use_memo((axis, start), |(a, s)| a.ticks(*s));
    let cursor = use_state_eq(|| None::<f64>);
    let brush = use_state_eq(|| None::<(f64, f64)>);
    let lanes = use_node_ref();
    let latest = use_mut_ref(|| None::<Latest>);
    *latest.borrow_mut() = Some(Latest {
        axis,
        range: props.range,
        end,
        send: props.send.clone(),
    });
    {
        // The wheel zooms: a listener that may cancel scrolling, which Yew's own are not.
        let latest = latest.clone();
        use_effect_with(lanes.clone(), move |lanes| {
            let listener = lanes.cast::<Element>().map(|el| {
                EventListener::new_with_options(
                    &el.clone(),
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<WheelEvent>() else {
                            return;
                        };
                        let Some(l) = latest.borrow().clone() else {
                            return;
                        };
                        e.prevent_default();
                        let x = f64::from(e.client_x()) - el.get_bounding_client_rect().left();
                        let sideways = e.shift_key() || e.delta_x().abs() > e.delta_y().abs();
                        let next = if sideways {
                            let d = if e.delta_x().abs() > e.delta_y().abs() {
                                e.delta_x()
                            } else {
                                e.delta_y()
                            };
                            axis::pan(l.range, (d * l.axis.per_px() * 1000.0) as i64, l.end)
                        } else {
                            let at = (l.axis.t(x.max(l.axis.left())) * 1000.0) as i64;
                            axis::zoom_about(
                                l.range,
                                at,
                                1.2f64.powf(e.delta_y().clamp(-300.0, 300.0) / 100.0),
                                l.end,
                            )
                        };
                        l.send.emit(ReplayAction::Zoom(Some(next)));
                    },
                )
            });
            move || drop(listener)
        });
    }
    let zoom = |factor: f64| {
        let send = props.send.clone();
        let range = props.range;
        let at = cursor.map_or((range.0 + range.1) / 2, |t| (t * 1000.0) as i64);
        Callback::from(move |_: MouseEvent| {
            send.emit(ReplayAction::Zoom(Some(axis::zoom_about(
                range, at, factor, end,
            ))));
        })
    };
    let pan_by = |fraction: f64| {
        let send = props.send.clone();
        let range = props.range;
        Callback::from(move |_: MouseEvent| {
            let by = ((range.1 - range.0) as f64 * fraction) as i64;
            send.emit(ReplayAction::Zoom(Some(axis::pan(range, by, end))));
        })
    };
    let whole = props.send.reform(|_: MouseEvent| ReplayAction::Zoom(None));

    let on_move = {
        let cursor = cursor.clone();
        let brush = brush.clone();
        let lanes = lanes.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = lanes.cast::<Element>() else {
                return;
            };
            let x = f64::from(e.client_x()) - el.get_bounding_client_rect().left();
            if let Some((x0, _)) = *brush {
                brush.set(Some((x0, x.clamp(axis.left(), axis.right()))));
            }
            if (axis.left()..=axis.right()).contains(&x) {
                cursor.set(Some(axis.t(x)));
            }
        })
    };
    let on_down = {
        let brush = brush.clone();
        let lanes = lanes.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = lanes.cast::<Element>() else {
                return;
            };
            let x = f64::from(e.client_x()) - el.get_bounding_client_rect().left();
            if e.button() != 0 || x < axis.left() {
                return;
            }
            let _ = el.set_pointer_capture(e.pointer_id());
            brush.set(Some((x, x)));
        })
    };
    let on_up = {
        let brush = brush.clone();
        let send = props.send.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some((a, b)) = *brush {
                if (a - b).abs() > 6.0 {
                    let (a, b) = (axis.t(a.min(b)), axis.t(a.max(b)));
                    send.emit(ReplayAction::Zoom(Some((
                        (a * 1000.0) as i64,
                        (b * 1000.0) as i64,
                    ))));
                }
                brush.set(None);
            }
        })
    };
    let on_leave = {
        let cursor = cursor.clone();
        let brush = brush.clone();
        Callback::from(move |_: PointerEvent| {
            if brush.is_none() {
                cursor.set(None);
            }
        })
    };
    let on_key = {
        let cursor = cursor.clone();
        let send = props.send.clone();
        let range = props.range;
        Callback::from(move |e: KeyboardEvent| {
            let step = axis.key_step_s();
            let now = cursor.unwrap_or((axis.from_s + axis.to_s) / 2.0);
            let at = (now * 1000.0) as i64;
            let span = range.1 - range.0;
            let zoom = |f: f64| ReplayAction::Zoom(Some(axis::zoom_about(range, at, f, end)));
            let action = match e.key().as_str() {
                "ArrowLeft" => {
                    cursor.set(Some((now - step).max(axis.from_s)));
                    None
                }
                "ArrowRight" => {
                    cursor.set(Some((now + step).min(axis.to_s)));
                    None
                }
                "+" | "=" => Some(zoom(0.5)),
                "-" | "_" => Some(zoom(2.0)),
                "PageUp" => Some(ReplayAction::Zoom(Some(axis::pan(range, -span / 2, end)))),
                "PageDown" => Some(ReplayAction::Zoom(Some(axis::pan(range, span / 2, end)))),
                "0" | "Home" => Some(ReplayAction::Zoom(None)),
                "Escape" => {
                    cursor.set(None);
                    None
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(a) = action {
                send.emit(a);
            }
        })
    };

    let view = props.view.as_deref();
    let heights = [
        incident_lane::HEIGHT,
        ratio_lane::HEIGHT,
        budget_lane::HEIGHT,
        alert_lane::height(view),
        receiver_lane::height(view),
        AXIS_HEIGHT,
    ];
    let total: f64 = heights.iter().sum();
    let span_s = axis.to_s - axis.from_s;
    let range_text = format!(
        "{} – {} ({})",
        clock_label(start + axis.from_s as i64),
        clock_label(start + axis.to_s as i64),
        format::human_duration(span_s)
    );
    let zoomed = props.range != (0, end);
    let text = cursor.map_or_else(
        || "Hover over the charts, or focus them and use the arrow keys, to read every lane at one instant.".to_owned(),
        |t| readout(view, props.window.as_deref(), start, t),
    );

    html! {
        <div class={classes!("replay-timeline", props.stale.then_some("stale"))}>
            <div class="zoom-bar" role="toolbar" aria-label="Time axis">
                <button type="button" onclick={zoom(0.5)} data-testid="replay-zoom-in">{ "Zoom in" }</button>
                <button type="button" onclick={zoom(2.0)} disabled={!zoomed} data-testid="replay-zoom-out">{ "Zoom out" }</button>
                <button type="button" onclick={pan_by(-0.5)} disabled={props.range.0 <= 0} aria-label="Earlier">{ "◀" }</button>
                <button type="button" onclick={pan_by(0.5)} disabled={props.range.1 >= end} aria-label="Later">{ "▶" }</button>
                <button type="button" onclick={whole} disabled={!zoomed} data-testid="replay-zoom-all">{ "Whole scenario" }</button>
                <span class="range" data-testid="replay-range">{ range_text }</span>
            </div>
            <div class="replay-lanes" ref={lanes} tabindex="0" role="group"
                aria-label="Replay charts. Arrow keys move the cursor; plus and minus zoom; Page Up and Page Down pan; 0 shows the whole scenario."
                aria-describedby="replay-readout"
                onpointermove={on_move} onpointerdown={on_down} onpointerup={on_up.clone()} onpointercancel={on_up}
                onpointerleave={on_leave} onkeydown={on_key}>
                <IncidentLane scenario={props.scenario.clone()} {axis} ticks={ticks.clone()}
                    selected={props.selected} send={props.send.clone()}
                    slow={view.is_some_and(|v| v.bad == burnlab::replay::inputs::BadKind::Slow)} />
                <RatioLane {axis} ticks={ticks.clone()} scenario={props.scenario.clone()}
                    view={props.view.clone()} window={props.window.clone()} />
                <BudgetLane {axis} ticks={ticks.clone()} window={props.window.clone()} />
                <AlertLane {axis} ticks={ticks.clone()} view={props.view.clone()} />
                <ReceiverLane {axis} ticks={ticks.clone()} view={props.view.clone()}
                    show_naive={props.show_naive} opened={props.opened} send={props.send.clone()} />
                <svg class="lane lane-axis" width={px(axis.width)} height={px(AXIS_HEIGHT)}
                    viewBox={format!("0 0 {} {AXIS_HEIGHT}", px(axis.width))} aria-hidden="true">
                    { for ticks.iter().map(|t| {
                        let (x, anchor) = tick_anchor(axis.x(t.t_s), &t.label, axis.width);
                        html! {
                            <text x={px(x)} y="15" text-anchor={anchor} class={classes!(t.major.then_some("major"))}>{ t.label.clone() }</text>
                        }
                    }) }
                </svg>
                <svg class="cursor-layer" width={px(axis.width)} height={px(total)}
                    viewBox={format!("0 0 {} {}", px(axis.width), px(total))} aria-hidden="true">
                    if let Some(t) = *cursor {
                        <line class="cursor" x1={px(axis.x(t))} x2={px(axis.x(t))} y1="0" y2={px(total - AXIS_HEIGHT)} />
                    }
                    if let Some((a, b)) = *brush {
                        <rect class="brush" x={px(a.min(b))} y="0" width={px((a - b).abs())} height={px(total - AXIS_HEIGHT)} />
                    }
                </svg>
            </div>
            <p class="readout" id="replay-readout" aria-live="polite" data-testid="replay-readout">{ text }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::tick_anchor;

    #[test]
    fn a_tick_label_near_an_edge_ends_or_starts_there_instead_of_being_cut() {
        assert_eq!(tick_anchor(300.0, "Tue 2 Jan", 600.0), (300.0, "middle"));
        // "Tue 2 Jan" is about 58 px: centred at 590 of 600 it would be cut.
        assert_eq!(tick_anchor(590.0, "Tue 2 Jan", 600.0), (598.0, "end"));
        assert_eq!(tick_anchor(5.0, "Mon 1 Jan", 600.0), (2.0, "start"));
    }
}
