//! Detection time against error ratio for every tier, on log–log axes, with the observed error
//! ratio as a vertical line. The core computes the curves; this file only places them.

use std::rc::Rc;

use burnlab::format;
use burnlab::quality::Sweep;
use yew::prelude::*;

/// Props: the sweep and the observed error ratio to mark.
#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    /// The curves.
    pub sweep: Rc<Sweep>,
    /// The observed error ratio, drawn as a vertical line.
    pub error_ratio: f64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// Time ticks in seconds, with their labels, as people name them.
const TIME_TICKS: [(f64, &str); 10] = [
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
];

/// A log-scale axis from `lo` to `hi` onto pixels `from`..`to`.
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
}

/// Stroke patterns so curves differ by more than colour.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

/// The chart.
#[function_component(SweepChart)]
pub fn sweep_chart(props: &SweepChartProps) -> Html {
    let sweep = &props.sweep;
    let (Some(&x_lo), Some(&x_hi)) = (sweep.error_ratios.first(), sweep.error_ratios.last()) else {
        return html! {};
    };
    let times: Vec<f64> = sweep
        .series
        .iter()
        .flat_map(|s| s.detection_seconds.iter().flatten().copied())
        .filter(|t| *t > 0.0 && t.is_finite())
        .collect();
    if times.is_empty() || x_lo <= 0.0 || x_hi <= x_lo {
        return html! { <p class="note">{ "No tier can fire at any error ratio on this objective." }</p> };
    }
    let y_lo = times.iter().copied().fold(f64::INFINITY, f64::min).max(0.1);
    let y_hi = times.iter().copied().fold(0.0, f64::max).max(y_lo * 10.0);
    // Widen to whole decades so the ticks sit inside.
    let y_lo = 10f64.powf(y_lo.log10().floor());
    let y_hi = 10f64.powf(y_hi.log10().ceil());
    let x = LogAxis {
        lo: x_lo,
        hi: x_hi,
        from: LEFT,
        to: WIDTH - RIGHT,
    };
    let y = LogAxis {
        lo: y_lo,
        hi: y_hi,
        from: HEIGHT - BOTTOM,
        to: TOP,
    };

    let x_ticks: Vec<f64> = (-12..=0)
        .map(|p| 10f64.powi(p))
        .filter(|v| *v >= x_lo && *v <= x_hi)
        .collect();
    let y_ticks: Vec<(f64, &str)> = TIME_TICKS
        .iter()
        .copied()
        .filter(|(v, _)| *v >= y_lo && *v <= y_hi)
        .collect();

    let curves = sweep.series.iter().enumerate().map(|(i, s)| {
        let class = if s.label.starts_with("page") { "series page" } else { "series ticket" };
        let points: Vec<(f64, f64, f64)> = sweep
            .error_ratios
            .iter()
            .zip(&s.detection_seconds)
            .filter_map(|(e, d)| d.filter(|d| *d > 0.0).map(|d| (*e, d)))
            .map(|(e, d)| (x.at(e), y.at(d.clamp(y_lo, y_hi)), e))
            .collect();
        let path: String = points
            .iter()
            .enumerate()
            .map(|(k, (px, py, _))| format!("{}{px:.1},{py:.1}", if k == 0 { "M" } else { " L" }))
            .collect();
        let dash = DASHES.get(i % DASHES.len()).copied().unwrap_or_default();
        let hover = points.iter().zip(s.detection_seconds.iter().flatten()).map(|((px, py, e), d)| html! {
            <circle cx={format!("{px:.1}")} cy={format!("{py:.1}")} r="4" class="hover-point">
                <title>{ format!("{}: at {} errors, fires after {}", s.label, format::percent_sig(*e, 3), format::human_duration(*d)) }</title>
            </circle>
        });
        html! {
            <g class={class} data-series={s.label.clone()}>
                <path d={path} fill="none" stroke-dasharray={dash} />
                { for hover }
            </g>
        }
    });

    let now_x =
        (props.error_ratio >= x_lo && props.error_ratio <= x_hi).then(|| x.at(props.error_ratio));

    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label="Detection time against error ratio for each tier, log–log">
                <g class="axis">
                    { for x_ticks.iter().map(|v| { let px = x.at(*v); html! {
                        <g>
                            <line x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()} class="grid" />
                            <text x={format!("{px:.1}")} y={(HEIGHT - BOTTOM + 16.0).to_string()} text-anchor="middle">{ format::percent(*v) }</text>
                        </g>
                    }}) }
                    { for y_ticks.iter().map(|(v, label)| { let py = y.at(*v); html! {
                        <g>
                            <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={format!("{py:.1}")} y2={format!("{py:.1}")} class="grid" />
                            <text x={(LEFT - 6.0).to_string()} y={format!("{:.1}", py + 4.0)} text-anchor="end">{ *label }</text>
                        </g>
                    }}) }
                    <text x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 4.0).to_string()} text-anchor="middle" class="axis-title">{ "error ratio (log)" }</text>
                    <text x="12" y={((TOP + HEIGHT - BOTTOM) / 2.0).to_string()} text-anchor="middle" class="axis-title"
                        transform={format!("rotate(-90 12 {})", (TOP + HEIGHT - BOTTOM) / 2.0)}>{ "time to fire (log)" }</text>
                </g>
                { for curves }
                if let Some(px) = now_x {
                    <line class="now" x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()}>
                        <title>{ format!("observed error ratio: {}", format::percent(props.error_ratio)) }</title>
                    </line>
                }
            </svg>
            <figcaption>
                <ul class="legend">
                    { for sweep.series.iter().enumerate().map(|(i, s)| {
                        let class = if s.label.starts_with("page") { "swatch page" } else { "swatch ticket" };
                        let dash = DASHES.get(i % DASHES.len()).copied().unwrap_or_default();
                        html! { <li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" class={class} stroke-dasharray={dash} /></svg>{ s.label.clone() }</li> }
                    }) }
                    <li><svg width="28" height="10" aria-hidden="true"><line x1="14" x2="14" y1="0" y2="10" class="now" /></svg>{ "observed error ratio" }</li>
                </ul>
                { "How long each tier takes to fire under a constant error ratio. Left of a curve's start the tier never fires." }
            </figcaption>
        </figure>
    }
}
