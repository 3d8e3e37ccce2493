//! The error ratio over time on a log scale: the share of bad requests in each stretch (a
//! line), the highest share between two scrapes within it (a light area, so a 30-second spike
//! still shows on a month), each tier's threshold (dashed, labelled on the right) and the naive
//! rule's (dotted, labelled on the left), over the incidents' spans.

use std::rc::Rc;

use burnlab::format;
use burnlab::replay::scenario::Scenario;
use burnlab::replay::summary::Class;
use burnlab_protocol::replay::{ReplayView, WindowView};
use yew::prelude::*;

use super::axis::{Axis, Tick};
use super::lane::{clip, grid, push_px, px, title};
use crate::shared::Shared;

/// The lane's height, pixels.
pub const HEIGHT: f64 = 170.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 6.0;

/// Props of [`RatioLane`].
#[derive(Properties, PartialEq)]
pub struct RatioLaneProps {
    /// The shared axis.
    pub axis: Axis,
    /// Its ticks.
    pub ticks: Rc<Vec<Tick>>,
    /// The scenario, for the incidents' spans.
    pub scenario: Rc<Scenario>,
    /// The run, for the thresholds.
    pub view: Option<Shared<ReplayView>>,
    /// The points.
    pub window: Option<Shared<WindowView>>,
}

/// The log scale's lowest decade: one below the lowest threshold, at least 0.01 %, at most
/// 0.0001 %.
pub fn floor(view: Option<&ReplayView>) -> f64 {
    let lowest = view
        .map(|v| {
            v.thresholds
                .iter()
                .map(|t| t.ratio)
                .chain(v.naive.as_ref().map(|n| n.threshold))
                .filter(|r| *r > 0.0)
                .fold(1e-3, f64::min)
        })
        .unwrap_or(1e-3);
    (10f64.powf(lowest.log10().floor()) / 10.0).clamp(1e-6, 1e-4)
}

/// The pixel of error ratio `r` on a log scale from `lo` to 1 (zero and below sit at the bottom).
pub fn y_of(r: f64, lo: f64) -> f64 {
    let bottom = HEIGHT - BOTTOM;
    let t = if r <= lo {
        0.0
    } else {
        (r.log10() - lo.log10()) / -lo.log10()
    };
    bottom - t.min(1.0) * (bottom - TOP)
}

/// The lane.
#[function_component(RatioLane)]
pub fn ratio_lane(props: &RatioLaneProps) -> Html {
    let axis = props.axis;
    let view = props.view.as_deref();
    let lo = floor(view);
    let y = |r: f64| y_of(r, lo);
    let bottom = HEIGHT - BOTTOM;
    let decades: Vec<f64> = (0..=6)
        .map(|k| 10f64.powi(-k))
        .filter(|d| *d >= lo * 0.999)
        .collect();

    let end_ms = props.scenario.duration_ms();
    let spans = props.scenario.incidents.iter().flat_map(|inc| {
        let noise = inc.noise;
        inc.occurrences(end_ms)
            .map(move |(a, b)| (a, b, noise))
            .collect::<Vec<_>>()
    });
    let spans = spans.map(|(a, b, noise)| {
        let x0 = axis.x_clamped(a as f64 / 1000.0);
        let x1 = axis.x_clamped(b as f64 / 1000.0).max(x0 + 1.0);
        html! { <rect class={classes!("span", noise.then_some("noise"))} x={px(x0)} y={px(TOP)} width={px(x1 - x0)} height={px(bottom - TOP)} /> }
    });

    let (line, area) = match props
        .window
        .as_deref()
        .and_then(|w| Some((w, w.points.first()?)))
    {
        Some((w, first)) => {
            // Pushed number by number: a path has thousands of them.
            let mut line = String::with_capacity(w.points.len() * 16);
            let mut area = String::with_capacity(w.points.len() * 16);
            area.push('M');
            push_px(&mut area, axis.x(first.from_s));
            area.push(',');
            push_px(&mut area, bottom);
            for (k, p) in w.points.iter().enumerate() {
                let x1 = axis.x(p.to_s);
                if k == 0 {
                    line.push('M');
                    push_px(&mut line, axis.x(p.from_s));
                    line.push(',');
                } else {
                    line.push_str(" V");
                }
                push_px(&mut line, y(p.ratio));
                line.push_str(" H");
                push_px(&mut line, x1);
                area.push_str(" V");
                push_px(&mut area, y(p.peak));
                area.push_str(" H");
                push_px(&mut area, x1);
            }
            area.push_str(" V");
            push_px(&mut area, bottom);
            area.push_str(" Z");
            (line, area)
        }
        None => (String::new(), String::new()),
    };

    let thresholds = view.map(|v| {
        let tiers = v.thresholds.iter().map(|t| {
            let yy = px(y(t.ratio));
            let class = match t.class {
                Class::Page => "page",
                Class::Ticket => "ticket",
                Class::Other => "other",
            };
            html! {
                <g class={classes!("threshold", class)} data-threshold={t.ratio.to_string()}>
                    <line x1={px(axis.left())} x2={px(axis.right())} y1={yy.clone()} y2={yy.clone()} />
                    <text x={px(axis.right() - 4.0)} y={px(y(t.ratio) - 3.0)} text-anchor="end">
                        { format!("{} · {}", t.label, format::percent(t.ratio)) }
                    </text>
                </g>
            }
        });
        let naive = v.naive.as_ref().map(|n| {
            let yy = px(y(n.threshold));
            html! {
                <g class="threshold naive">
                    <line x1={px(axis.left())} x2={px(axis.right())} y1={yy.clone()} y2={yy} />
                    <text x={px(axis.left() + 4.0)} y={px(y(n.threshold) + 12.0)}>
                        { format!("naive threshold · {}", format::percent(n.threshold)) }
                    </text>
                </g>
            }
        });
        html! { <>{ for tiers }{ naive.unwrap_or_default() }</> }
    });

    html! {
        <svg class="lane lane-ratio" width={px(axis.width)} height={px(HEIGHT)}
            viewBox={format!("0 0 {} {HEIGHT}", px(axis.width))} role="img"
            aria-label="Error ratio over time on a log scale, with each tier's threshold and the naive rule's">
            { clip("replay-clip-ratio", &axis, HEIGHT) }
            { grid(&axis, &props.ticks, HEIGHT) }
            { title(&["error ratio", "(log scale)"], 22.0) }
            <g class="decades" aria-hidden="true">
                { for decades.iter().map(|d| { let yy = y(*d); html! {
                    <g>
                        <line x1={px(axis.left())} x2={px(axis.right())} y1={px(yy)} y2={px(yy)} />
                        <text x={px(axis.left() - 6.0)} y={px(yy + 4.0)} text-anchor="end">{ format::percent(*d) }</text>
                    </g>
                }}) }
            </g>
            <g clip-path="url(#replay-clip-ratio)">
                { for spans }
                <path class="peak" d={area} />
                <path class="ratio" d={line} />
                { thresholds.unwrap_or_default() }
            </g>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_scale_puts_each_decade_at_an_even_step() {
        let lo = 1e-4;
        let (y1, y2, y3) = (y_of(1e-3, lo), y_of(1e-2, lo), y_of(1e-1, lo));
        assert!(((y1 - y2) - (y2 - y3)).abs() < 1e-9);
        assert_eq!(y_of(0.0, lo), HEIGHT - BOTTOM);
        assert_eq!(y_of(1.0, lo), TOP);
        assert_eq!(y_of(2.0, lo), TOP);
    }
}
