//! Detection time against error ratio for every tier, on log–log axes, with the observed error
//! ratio as a vertical line. The core computes the curves; this file only places them.
//!
//! The SVG is drawn at the width it is shown, so its text keeps the style sheet's size on a
//! phone. Hovering, or focusing the chart and pressing the arrow keys, moves a cursor along the
//! error ratios and reads every tier's exact detection time there.

use std::rc::Rc;

use burnlab::quality::{Sweep, TierQuality};
use burnlab::{ErrorBudget, ErrorRatio, format, numeric};
use yew::prelude::*;

use crate::components::stale;
use crate::hooks::use_width::use_width;

/// Props: the sweep and the observed error ratio to mark.
#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    /// The curves.
    pub sweep: Rc<Sweep>,
    /// The budget the curves were computed on, for exact values at any error ratio.
    pub budget: ErrorBudget,
    /// The observed error ratio, drawn as a vertical line.
    pub error_ratio: f64,
    /// Whether the objective is 100 %: every tier fires on the first error, and there is no
    /// curve to draw.
    #[prop_or_default]
    pub zero_budget: bool,
    /// Whether the curves belong to older input than what is typed.
    #[prop_or_default]
    pub stale: bool,
}

const LEFT: f64 = 74.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
/// Narrower than this the chart would be unreadable; it scales down instead.
const MIN_WIDTH: f64 = 300.0;

/// Time ticks in seconds, with their labels, as people name them.
const TIME_TICKS: [(f64, &str); 12] = [
    (1.0, "1 s"),
    (10.0, "10 s"),
    (60.0, "1 min"),
    (600.0, "10 min"),
    (3600.0, "1 h"),
    (21_600.0, "6 h"),
    (86_400.0, "1 d"),
    (604_800.0, "7 d"),
    (2_592_000.0, "30 d"),
    (31_536_000.0, "1 y"),
    (315_360_000.0, "10 y"),
    (3_153_600_000.0, "100 y"),
];

/// A log-scale axis from `lo` to `hi` onto pixels `from`..`to`.
#[derive(Clone, Copy)]
struct LogAxis {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl LogAxis {
    fn at(&self, v: f64) -> f64 {
        let t = (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10());
        self.from + t * (self.to - self.from)
    }

    /// The value at pixel `p`.
    fn value(&self, p: f64) -> f64 {
        let t = (p - self.from) / (self.to - self.from);
        10f64.powf(self.lo.log10() + t * (self.hi.log10() - self.lo.log10()))
    }
}

/// Stroke patterns so curves differ by more than colour.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

fn dash(i: usize) -> &'static str {
    DASHES.get(i % DASHES.len()).copied().unwrap_or_default()
}

fn severity_class(label: &str) -> &'static str {
    if label.starts_with("page") {
        "page"
    } else {
        "ticket"
    }
}

/// The decade at or below `v`, and at or above.
fn decade_floor(v: f64) -> f64 {
    10f64.powf(v.log10().floor())
}
fn decade_ceil(v: f64) -> f64 {
    10f64.powf(v.log10().ceil())
}

/// Cursor steps per decade for the arrow keys, as many as the curves have points.
const STEPS_PER_DECADE: f64 = 12.0;

/// `ratio` moved by `steps` twelfths of a decade, rounded to three significant digits so the
/// readout shows the ratio it computed for.
fn step(ratio: f64, steps: f64) -> f64 {
    numeric::round_sig(ratio * 10f64.powf(steps / STEPS_PER_DECADE), 3)
}

/// Each tier's detection time at `ratio`: the same core figure as the tier table's.
fn detections(sweep: &Sweep, budget: ErrorBudget, ratio: f64) -> Vec<Option<f64>> {
    let Ok(e) = ErrorRatio::new(ratio) else {
        return vec![None; sweep.series.len()];
    };
    sweep
        .series
        .iter()
        .map(|s| TierQuality::new(&s.tier, budget, e).detection_seconds)
        .collect()
}

/// What the cursor reads at `ratio`.
fn readout(sweep: &Sweep, budget: ErrorBudget, ratio: f64) -> String {
    let parts: Vec<String> = sweep
        .series
        .iter()
        .zip(detections(sweep, budget, ratio))
        .map(|(s, d)| match d {
            Some(d) => format!("{} fires after {}", s.label, format::human_duration(d)),
            None => format!("{} never fires", s.label),
        })
        .collect();
    format!(
        "At {} errors: {}.",
        format::percent_sig(ratio, 3),
        parts.join("; ")
    )
}

/// The chart.
#[function_component(SweepChart)]
pub fn sweep_chart(props: &SweepChartProps) -> Html {
    let container = use_node_ref();
    let width = use_width(container.clone(), 640.0).max(MIN_WIDTH);
    // The cursor's error ratio, while the chart is hovered or focused.
    let cursor = use_state_eq(|| None::<f64>);
    let sweep = &props.sweep;

    let stale_badge = stale::badge(props.stale, "last valid input");
    if props.zero_budget {
        return html! {
            <figure class={classes!("chart", stale::card(props.stale))} ref={container}>
                { stale_badge.clone() }
                <p class="note" data-testid="chart-note">{ "A 100 % objective has no budget: every tier fires as soon as any request fails, at every error ratio, so there is no curve to draw." }</p>
            </figure>
        };
    }
    let (Some(&first), Some(&last)) = (sweep.error_ratios.first(), sweep.error_ratios.last())
    else {
        return html! { <figure class="chart" ref={container}></figure> };
    };
    let times: Vec<f64> = sweep
        .series
        .iter()
        .flat_map(|s| s.detection_seconds.iter().flatten().copied())
        .filter(|t| *t > 0.0 && t.is_finite())
        .collect();
    if times.is_empty() || first <= 0.0 || last <= first {
        return html! {
            <figure class={classes!("chart", stale::card(props.stale))} ref={container}>
                { stale_badge.clone() }
                <p class="note" data-testid="chart-note">{ "No tier can fire at any error ratio on this objective: even a full outage stays below every threshold." }</p>
            </figure>
        };
    }

    let height = (width * 0.5).clamp(240.0, 320.0);
    // The x axis covers every curve and the observed error ratio, in whole decades.
    let observed = (props.error_ratio > 0.0).then_some(props.error_ratio);
    let x_lo = decade_floor(observed.map_or(first, |e| e.min(first)));
    let x_hi = decade_ceil(last.max(observed.unwrap_or(last)));
    let y_lo = decade_floor(times.iter().copied().fold(f64::INFINITY, f64::min).max(0.1));
    let y_hi = decade_ceil(times.iter().copied().fold(0.0, f64::max)).max(y_lo * 10.0);
    let x = LogAxis {
        lo: x_lo,
        hi: x_hi,
        from: LEFT,
        to: width - RIGHT,
    };
    let y = LogAxis {
        lo: y_lo,
        hi: y_hi,
        from: height - BOTTOM,
        to: TOP,
    };

    let decades: Vec<f64> = (-14..=0)
        .map(|p| 10f64.powi(p))
        .filter(|v| *v >= x_lo * 0.999 && *v <= x_hi * 1.001)
        .collect();
    // At least ~56 px per label: on a phone every other decade is labelled.
    let every = ((decades.len() as f64 * 56.0) / (width - LEFT - RIGHT))
        .ceil()
        .max(1.0) as usize;
    let y_ticks: Vec<(f64, &str)> = TIME_TICKS
        .iter()
        .copied()
        .filter(|(v, _)| *v >= y_lo && *v <= y_hi)
        .collect();

    let curves = sweep.series.iter().enumerate().map(|(i, s)| {
        let path: String = sweep
            .error_ratios
            .iter()
            .zip(&s.detection_seconds)
            .filter_map(|(e, d)| {
                d.filter(|d| *d > 0.0)
                    .map(|d| (x.at(*e), y.at(d.clamp(y_lo, y_hi))))
            })
            .enumerate()
            .map(|(k, (px, py))| format!("{}{px:.1},{py:.1}", if k == 0 { "M" } else { " L" }))
            .collect();
        html! {
            <g class={classes!("series", severity_class(&s.label))} data-series={s.label.clone()}>
                <path d={path} fill="none" stroke-dasharray={dash(i)} />
            </g>
        }
    });

    let now_x = observed.map(|e| x.at(e));
    let budget = props.budget;
    let cursor_view = cursor.filter(|e| *e > 0.0).map(|e| {
        let px = x.at(e.clamp(x_lo, x_hi));
        let dots = sweep
            .series
            .iter()
            .zip(detections(sweep, budget, e))
            .filter_map(|(s, d)| {
                let d = d.filter(|d| *d > 0.0)?;
                let class = classes!("cursor-dot", severity_class(&s.label));
                Some(html! { <circle cx={format!("{px:.1}")} cy={format!("{:.1}", y.at(d.clamp(y_lo, y_hi)))} r="4" {class} /> })
            });
        html! {
            <g class="cursor" data-testid="chart-cursor">
                <line x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(height - BOTTOM).to_string()} />
                { for dots.collect::<Vec<_>>() }
            </g>
        }
    });

    let on_move = {
        let cursor = cursor.clone();
        let container = container.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = container.cast::<web_sys::Element>() else {
                return;
            };
            let Some(svg) = el.query_selector("svg.plot").ok().flatten() else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            if rect.width() <= 0.0 {
                return;
            }
            let px = (f64::from(e.client_x()) - rect.left()) * width / rect.width();
            if (LEFT..=width - RIGHT).contains(&px) {
                cursor.set(Some(numeric::round_sig(x.value(px), 3).min(1.0)));
            }
        })
    };
    let on_leave = {
        let cursor = cursor.clone();
        Callback::from(move |_: PointerEvent| cursor.set(None))
    };
    let on_focus = {
        let cursor = cursor.clone();
        Callback::from(move |_: FocusEvent| {
            if cursor.is_none() {
                cursor.set(Some(observed.unwrap_or(first)));
            }
        })
    };
    let on_key = {
        let cursor = cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let now = cursor.unwrap_or_else(|| observed.unwrap_or(first));
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowUp" => step(now, 1.0),
                "ArrowLeft" | "ArrowDown" => step(now, -1.0),
                "PageUp" => step(now, STEPS_PER_DECADE),
                "PageDown" => step(now, -STEPS_PER_DECADE),
                "Home" => x_lo,
                "End" => 1.0,
                "Escape" => {
                    cursor.set(None);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            cursor.set(Some(next.clamp(x_lo, 1.0)));
        })
    };
    let text = cursor.map_or_else(
        || "Hover over the chart, or focus it and use the arrow keys, to read each tier's exact detection time.".to_owned(),
        |e| readout(sweep, budget, e),
    );

    html! {
        <figure class={classes!("chart", stale::card(props.stale))} ref={container}>
            { stale_badge.clone() }
            <svg class="plot" viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                role="img" tabindex="0" data-testid="sweep-chart"
                aria-label="Detection time against error ratio for each tier, log–log. Use the arrow keys to read values."
                aria-describedby="chart-readout"
                onpointermove={on_move} onpointerleave={on_leave} onfocus={on_focus} onkeydown={on_key}>
                <g class="axis">
                    { for decades.iter().enumerate().map(|(k, v)| { let px = x.at(*v); html! {
                        <g>
                            <line x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(height - BOTTOM).to_string()} class="grid" />
                            if k % every == 0 {
                                <text x={format!("{px:.1}")} y={(height - BOTTOM + 16.0).to_string()} text-anchor="middle">{ format::percent(*v) }</text>
                            }
                        </g>
                    }}) }
                    { for y_ticks.iter().map(|(v, label)| { let py = y.at(*v); html! {
                        <g>
                            <line x1={LEFT.to_string()} x2={(width - RIGHT).to_string()} y1={format!("{py:.1}")} y2={format!("{py:.1}")} class="grid" />
                            <text x={(LEFT - 6.0).to_string()} y={format!("{:.1}", py + 4.0)} text-anchor="end">{ *label }</text>
                        </g>
                    }}) }
                    <text x={((LEFT + width - RIGHT) / 2.0).to_string()} y={(height - 4.0).to_string()} text-anchor="middle" class="axis-title">{ "error ratio (log)" }</text>
                    <text x="12" y={((TOP + height - BOTTOM) / 2.0).to_string()} text-anchor="middle" class="axis-title"
                        transform={format!("rotate(-90 12 {})", (TOP + height - BOTTOM) / 2.0)}>{ "time to fire (log)" }</text>
                </g>
                { for curves }
                if let Some(px) = now_x {
                    <line class="now" x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(height - BOTTOM).to_string()} data-testid="observed-line" />
                }
                { cursor_view.unwrap_or_default() }
            </svg>
            <p class="readout" id="chart-readout" aria-live="polite" data-testid="chart-readout">{ text }</p>
            <figcaption>
                <ul class="legend" data-testid="legend">
                    { for sweep.series.iter().enumerate().map(|(i, s)| html! {
                        <li>
                            <svg class="swatch" width="28" height="10" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
                                <line x1="0" x2="28" y1="5" y2="5" class={classes!("swatch-line", severity_class(&s.label))} stroke-dasharray={dash(i)} />
                            </svg>
                            <span>{ s.label.clone() }</span>
                        </li>
                    }) }
                    if let Some(e) = observed {
                        <li>
                            <svg class="swatch" width="28" height="10" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
                                <line x1="14" x2="14" y1="0" y2="10" class="now" />
                            </svg>
                            <span>{ format!("observed error ratio ({})", format::percent(e)) }</span>
                        </li>
                    }
                </ul>
                { "How long each tier takes to fire under a constant error ratio. Left of a curve's start the tier never fires." }
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_steps_in_twelfths_of_a_decade() {
        assert_eq!(step(0.01, 12.0), 0.1);
        assert_eq!(step(0.01, -12.0), 0.001);
        assert_eq!(step(0.005, 1.0), 0.00606);
    }

    #[test]
    fn axes_round_out_to_whole_decades() {
        assert_eq!(decade_floor(0.005), 0.001);
        assert_eq!(decade_ceil(0.005), 0.01);
        let axis = LogAxis {
            lo: 0.001,
            hi: 1.0,
            from: 0.0,
            to: 300.0,
        };
        assert!((axis.at(0.01) - 100.0).abs() < 1e-9);
        assert!((axis.value(200.0) - 0.1).abs() < 1e-12);
    }
}
