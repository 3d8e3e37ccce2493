//! The error budget left over time: 100 % at the start, draining with every bad request,
//! below zero once overspent.

use std::rc::Rc;

use burnlab::format;
use burnlab_protocol::replay::WindowView;
use yew::prelude::*;

use super::axis::{Axis, Tick};
use super::lane::{clip, grid, push_px, px, title};
use crate::shared::Shared;

/// The lane's height, pixels.
pub const HEIGHT: f64 = 84.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 8.0;

/// Props of [`BudgetLane`].
#[derive(Properties, PartialEq)]
pub struct BudgetLaneProps {
    /// The shared axis.
    pub axis: Axis,
    /// Its ticks.
    pub ticks: Rc<Vec<Tick>>,
    /// The points.
    pub window: Option<Shared<WindowView>>,
}

/// The lane.
#[function_component(BudgetLane)]
pub fn budget_lane(props: &BudgetLaneProps) -> Html {
    let axis = props.axis;
    let points = props
        .window
        .as_deref()
        .map_or(&[][..], |w| w.points.as_slice());
    // The scale runs from 100 % down to 0 %, or further when the budget is overspent.
    let lowest = points.iter().map(|p| p.budget_left).fold(0.0, f64::min);
    let lo = if lowest < 0.0 {
        (lowest * 4.0).floor() / 4.0
    } else {
        0.0
    };
    let y = |v: f64| TOP + (1.0 - v) / (1.0 - lo) * (HEIGHT - TOP - BOTTOM);
    // Pushed number by number: a path has thousands of them.
    let mut d = String::with_capacity(points.len() * 16);
    for (k, p) in points.iter().enumerate() {
        let yb = y(p.budget_left);
        if k == 0 {
            d.push('M');
            push_px(&mut d, axis.x(p.from_s));
            d.push(',');
            push_px(&mut d, yb);
        }
        d.push_str(" L");
        push_px(&mut d, axis.x(p.to_s));
        d.push(',');
        push_px(&mut d, yb);
    }
    let marks: Vec<f64> = if lo < 0.0 {
        vec![1.0, 0.0, lo]
    } else {
        vec![1.0, 0.5, 0.0]
    };
    html! {
        <svg class="lane lane-budget" width={px(axis.width)} height={px(HEIGHT)}
            viewBox={format!("0 0 {} {HEIGHT}", px(axis.width))} role="img"
            aria-label="The error budget left over time">
            { clip("replay-clip-budget", &axis, HEIGHT) }
            { grid(&axis, &props.ticks, HEIGHT) }
            { title(&["budget left"], 22.0) }
            <g class="decades" aria-hidden="true">
                { for marks.iter().map(|v| { let yy = y(*v); html! {
                    <g class={classes!((*v == 0.0).then_some("zero"))}>
                        <line x1={px(axis.left())} x2={px(axis.right())} y1={px(yy)} y2={px(yy)} />
                        <text x={px(axis.left() - 6.0)} y={px(yy + 4.0)} text-anchor="end">{ format::percent(*v) }</text>
                    </g>
                }}) }
            </g>
            <g clip-path="url(#replay-clip-budget)">
                <path class="budget" d={d} />
            </g>
        </svg>
    }
}
