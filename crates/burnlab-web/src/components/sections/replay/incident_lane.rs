//! The scenario editor's lane: each incident as a bar on the shared time axis (every occurrence
//! of a repeating one), dragged by its body to move it and by its edges to stretch it, or moved
//! with the keyboard once focused: arrow keys move it, Shift with the arrows changes its length,
//! Delete removes it, Enter opens its fields. A drag snaps to a round step of about two pixels;
//! every move is an edit, so the replay follows the pointer.

use std::rc::Rc;

use burnlab::format;
use burnlab::replay::scenario::{Incident, Scenario};
use web_sys::Element;
use yew::prelude::*;

use super::axis::{self, Axis, Tick};
use super::lane::{clip, cut, grid, px, title};
use crate::state::replay::ReplayAction;

/// The lane's height, pixels.
pub const HEIGHT: f64 = 58.0;
const BAR_Y: f64 = 14.0;
const BAR_H: f64 = 30.0;
/// The smallest target a pointer is given, pixels, whatever the zoom: the incident (all its
/// occurrences and the gaps between them) for moving it, and each of its outer edges' grips
/// for stretching it.
const TARGET: f64 = 24.0;

/// A horizontal span, from and to, pixels.
type Span = (f64, f64);

/// An incident's pointer targets from the left edge of its first occurrence to the right edge
/// of its last, in pixels: the span that moves it (never narrower than [`TARGET`]), and the
/// grips at its two outer edges, each [`TARGET`] wide: astride the edge when the incident is
/// wide enough to keep a full target for moving between them, and outside it otherwise, so a
/// short spike is grabbed to be moved, not stretched.
fn targets(x0: f64, x1: f64) -> (Span, (Span, Span)) {
    if x1 - x0 >= 3.0 * TARGET {
        let half = TARGET / 2.0;
        ((x0, x1), ((x0 - half, x0 + half), (x1 - half, x1 + half)))
    } else {
        let mid = (x0 + x1) / 2.0;
        let (a, b) = (x0.min(mid - TARGET / 2.0), x1.max(mid + TARGET / 2.0));
        ((a, b), ((a - TARGET, a), (b, b + TARGET)))
    }
}

/// Props of [`IncidentLane`].
#[derive(Properties, PartialEq)]
pub struct IncidentLaneProps {
    /// The scenario.
    pub scenario: Rc<Scenario>,
    /// The shared axis.
    pub axis: Axis,
    /// Its ticks.
    pub ticks: Rc<Vec<Tick>>,
    /// The selected incident.
    pub selected: Option<usize>,
    /// Whether the SLI counts slow requests (a latency SLI) rather than failed ones.
    pub slow: bool,
    /// Receives every edit.
    pub send: Callback<ReplayAction>,
}

/// What a drag moves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Body,
    Start,
    End,
}

/// A drag in progress: what, where it began, and the incident as it was.
#[derive(Debug, Clone, Copy)]
struct Drag {
    index: usize,
    part: Part,
    x0: f64,
    start_ms: i64,
    duration_ms: i64,
    /// The last edit sent, so a pointer that moves within one step sends nothing.
    last: (i64, i64),
}

/// What an incident adds, in words: `5 % errors`, `errors from 0 % to 5 %`, `+ 20 % slow`.
pub fn what(inc: &Incident) -> String {
    let ramp = |r: burnlab::replay::scenario::Ramp, what: &str| {
        if r.from == r.to {
            format!("{} {what}", format::percent(r.from))
        } else {
            format!(
                "{what} from {} to {}",
                format::percent(r.from),
                format::percent(r.to)
            )
        }
    };
    let mut parts = Vec::new();
    if !inc.error_ratio.is_zero() {
        parts.push(ramp(inc.error_ratio, "errors"));
    }
    if !inc.slow_ratio.is_zero() {
        parts.push(ramp(inc.slow_ratio, "slow"));
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
    }
}

/// The incident's name as the page says it.
pub fn name(inc: &Incident, index: usize) -> String {
    inc.name
        .clone()
        .unwrap_or_else(|| format!("incident {}", index + 1))
}

/// The accessible name of incident `index`'s bar.
fn label(inc: &Incident, index: usize, start_unix: i64) -> String {
    let repeat = match (inc.count, inc.every) {
        (n, Some(every)) if n > 1 => format!(", {n} times every {every}"),
        _ => String::new(),
    };
    format!(
        "{} {}: {} from {} for {}{repeat}{}. Arrow keys move it, Shift with arrows changes its length, Delete removes it, Enter edits it.",
        if inc.noise { "Blip" } else { "Incident" },
        name(inc, index),
        what(inc),
        axis::clock_label(start_unix + (inc.start.as_millis() / 1000) as i64),
        inc.duration,
        if inc.noise { " (clears by itself)" } else { "" }
    )
}

fn pointer_x(e: &PointerEvent) -> Option<f64> {
    let svg = e
        .target_dyn_into::<Element>()?
        .closest("svg")
        .ok()
        .flatten()?;
    Some(f64::from(e.client_x()) - svg.get_bounding_client_rect().left())
}

/// The lane.
#[function_component(IncidentLane)]
pub fn incident_lane(props: &IncidentLaneProps) -> Html {
    let drag = use_mut_ref(|| None::<Drag>);
    let dragging = use_state_eq(|| None::<usize>);
    let axis = props.axis;
    let s = &props.scenario;
    let end_ms = s.duration_ms();

    let down = |index: usize, part: Part| {
        let drag = drag.clone();
        let dragging = dragging.clone();
        let send = props.send.clone();
        let inc = s.incidents.get(index).cloned();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let (Some(inc), Some(x)) = (inc.as_ref(), pointer_x(&e)) else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            if let Some(el) = e.target_dyn_into::<Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            let start_ms = inc.start.as_millis() as i64;
            let duration_ms = inc.duration.as_millis() as i64;
            *drag.borrow_mut() = Some(Drag {
                index,
                part,
                x0: x,
                start_ms,
                duration_ms,
                last: (start_ms, duration_ms),
            });
            dragging.set(Some(index));
            send.emit(ReplayAction::Select(Some(index)));
        })
    };
    let on_move = {
        let drag = drag.clone();
        let send = props.send.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(mut d) = *drag.borrow() else {
                return;
            };
            let Some(x) = pointer_x(&e) else { return };
            let step = (axis.snap_s() * 1000.0) as i64;
            let dt = ((x - d.x0) * axis.per_px() * 1000.0) as i64;
            let (start, duration) = match d.part {
                Part::Body => (
                    axis::snap(d.start_ms + dt, step).clamp(0, end_ms - 1),
                    d.duration_ms,
                ),
                Part::End => (
                    d.start_ms,
                    (axis::snap(d.start_ms + d.duration_ms + dt, step) - d.start_ms)
                        .max(step.max(1000)),
                ),
                Part::Start => {
                    let end = d.start_ms + d.duration_ms;
                    let start = axis::snap(d.start_ms + dt, step).clamp(0, end - step.max(1000));
                    (start, end - start)
                }
            };
            if (start, duration) == d.last {
                return;
            }
            d.last = (start, duration);
            *drag.borrow_mut() = Some(d);
            send.emit(match d.part {
                Part::Body => ReplayAction::Move {
                    index: d.index,
                    start_ms: start,
                },
                _ => ReplayAction::Stretch {
                    index: d.index,
                    start_ms: start,
                    duration_ms: duration,
                },
            });
        })
    };
    let on_up = {
        let drag = drag.clone();
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| {
            *drag.borrow_mut() = None;
            dragging.set(None);
        })
    };
    let on_key = |index: usize| {
        let send = props.send.clone();
        let inc = s.incidents.get(index).cloned();
        Callback::from(move |e: KeyboardEvent| {
            let Some(inc) = inc.as_ref() else { return };
            let step = (axis.key_step_s() * 1000.0) as i64;
            let start = inc.start.as_millis() as i64;
            let duration = inc.duration.as_millis() as i64;
            let action = match (e.key().as_str(), e.shift_key()) {
                ("ArrowLeft", false) => ReplayAction::Move {
                    index,
                    start_ms: start - step,
                },
                ("ArrowRight", false) => ReplayAction::Move {
                    index,
                    start_ms: start + step,
                },
                ("ArrowLeft", true) => ReplayAction::Stretch {
                    index,
                    start_ms: start,
                    duration_ms: (duration - step).max(step.min(duration)),
                },
                ("ArrowRight", true) => ReplayAction::Stretch {
                    index,
                    start_ms: start,
                    duration_ms: duration + step,
                },
                ("Delete" | "Backspace", _) => ReplayAction::Remove(index),
                ("Enter" | " ", _) => ReplayAction::Select(Some(index)),
                ("Escape", _) => ReplayAction::Select(None),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            if matches!(action, ReplayAction::Remove(_))
                && let Some(lane) = e
                    .target_dyn_into::<Element>()
                    .and_then(|t| t.closest(".replay-lanes").ok().flatten())
                    .and_then(|l| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(l).ok())
            {
                // The bar goes away with its focus: keep the keyboard in the timeline.
                let _ = lane.focus();
            }
            send.emit(action);
        })
    };
    let on_dblclick = {
        let send = props.send.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(svg) = e
                .target_dyn_into::<Element>()
                .and_then(|t| t.closest("svg").ok().flatten())
            else {
                return;
            };
            let x = f64::from(e.client_x()) - svg.get_bounding_client_rect().left();
            if x < axis.left() {
                return;
            }
            let step = axis.key_step_s() * 1000.0;
            let at = axis::snap((axis.t(x) * 1000.0) as i64, step as i64);
            send.emit(ReplayAction::Add {
                start_ms: at,
                duration_ms: (step * 5.0) as i64,
            });
        })
    };

    let start_unix = s.start_time;
    let bars = s.incidents.iter().enumerate().map(|(i, inc)| {
        let selected = props.selected == Some(i);
        let kind = if inc.noise {
            "noise"
        } else if !props.slow && inc.error_ratio.is_zero() || props.slow && inc.slow_ratio.is_zero() {
            "other"
        } else {
            "real"
        };
        let occurrences: Vec<(i64, i64)> = inc.occurrences(end_ms).collect();
        let spans: Vec<(f64, f64)> = occurrences
            .iter()
            .map(|(a, b)| {
                let x0 = axis.x_clamped(*a as f64 / 1000.0);
                (x0, axis.x_clamped(*b as f64 / 1000.0).max(x0 + 2.0))
            })
            .collect();
        let shapes = spans.iter().map(|&(x0, x1)| {
            let w = x1 - x0;
            html! {
                <rect class="bar" x={px(x0)} y={px(BAR_Y)} width={px(w)} height={px(BAR_H)} rx="3" />
            }
        });
        let bar_label = spans.first().filter(|(x0, x1)| x1 - x0 > 44.0).map(|&(x0, x1)| html! {
            <text class="bar-label" x={px(x0 + 5.0)} y={px(BAR_Y + 19.0)}>
                { cut(&format!("{} · {}", name(inc, i), what(inc)), ((x1 - x0 - 10.0) / 6.5) as usize) }
            </text>
        });
        let (targets, grips) = spans
            .first()
            .zip(spans.last())
            .map(|(&(x0, _), &(_, x1))| targets(x0, x1))
            .unwrap_or_default();
        let hit = html! {
            <rect class="hit" x={px(targets.0)} y={px(BAR_Y - 4.0)} width={px(targets.1 - targets.0)}
                height={px(BAR_H + 8.0)} onpointerdown={down(i, Part::Body)} />
        };
        let grip = |(a, b): (f64, f64), part: Part| html! {
            <rect class="grip" x={px(a)} y={px(BAR_Y - 4.0)} width={px(b - a)} height={px(BAR_H + 8.0)}
                onpointerdown={down(i, part)} />
        };
        let shapes = html! {
            <>
                { hit }
                <g class="occurrence">{ for shapes }{ bar_label.unwrap_or_default() }</g>
                { grip(grips.0, Part::Start) }
                { grip(grips.1, Part::End) }
            </>
        };
        html! {
            <g key={i} class={classes!("incident", kind, selected.then_some("selected"), (*dragging == Some(i)).then_some("dragging"))}
                role="button" tabindex="0" aria-roledescription="draggable incident"
                aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Delete Enter"
                aria-label={label(inc, i, start_unix)} aria-pressed={if selected { "true" } else { "false" }}
                data-testid="replay-incident" data-start-ms={inc.start.as_millis().to_string()}
                data-duration-ms={inc.duration.as_millis().to_string()}
                onkeydown={on_key(i)} onpointermove={on_move.clone()} onpointerup={on_up.clone()} onpointercancel={on_up.clone()}>
                { shapes }
            </g>
        }
    });

    html! {
        <svg class="lane lane-incidents" width={px(axis.width)} height={px(HEIGHT)}
            viewBox={format!("0 0 {} {HEIGHT}", px(axis.width))} ondblclick={on_dblclick}>
            { clip("replay-clip-incidents", &axis, HEIGHT) }
            { grid(&axis, &props.ticks, HEIGHT) }
            { title(&["incidents", "drag, or arrow keys"], 24.0) }
            <g clip-path="url(#replay-clip-incidents)">
                { for bars }
            </g>
        </svg>
    }
}
