//! How good a tier is as an alert, in the Workbook's terms: whether it fires, how soon
//! (detection time), how much budget is gone by then, and how soon it stops after the errors
//! stop (reset time); plus what single failures do at low traffic, a sweep of detection time over
//! error ratios, and the budget an incident costs.
//!
//! The model is the Workbook's: a steady request rate, errors at a constant ratio `e` starting
//! from a clean history, window ratios computed exactly (no scrape or evaluation interval), and
//! a tier firing once both window ratios reach its threshold. With a steady rate, the ratio over
//! a window `W` at time `t < W` after the errors start is `e × t / W`, so it reaches the threshold
//! `T` at `t = T / e × W`; with `T = b × (1 − SLO)` that is the Workbook's `(1 − SLO) / e × W × b`.

use serde::Serialize;

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::numeric;
use crate::slo::{BurnRate, ErrorBudget, ErrorRatio, RequestRate};
use crate::tiers::Tier;

/// Whether a constant error ratio `e` ever brings a window ratio to `threshold`. Nothing fires
/// when nothing fails, even on a zero budget. The comparison is `≥`, as in the Workbook; a rule
/// written with `>` needs the tiniest bit more.
fn reaches(e: f64, threshold: f64) -> bool {
    e > 0.0 && e >= threshold
}

/// Seconds until the ratio over `window` reaches `threshold` under a constant ratio `e`:
/// threshold / e × window. Only meaningful when [`reaches`] holds.
fn seconds_to_threshold(threshold: f64, e: f64, window: Duration) -> f64 {
    numeric::settle(threshold / e * window.as_secs_f64())
}

/// The burn of `e` on `budget` as a plain number, infinite on a zero budget.
fn burn_value(e: f64, budget: ErrorBudget) -> f64 {
    ErrorRatio::new(e).map_or(f64::NAN, |e| BurnRate::of(e, budget.objective()).value())
}

/// One tier's alert quality under a constant error ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierQuality {
    /// factor × (1 − objective): the error ratio both windows must reach.
    pub threshold: f64,
    /// Whether any error ratio can reach the threshold (it is at most 1).
    pub possible: bool,
    /// Share of the budget spent by the time the tier fires, without `for`: factor × long window
    /// / period. The same at every error ratio that fires it.
    pub budget_share: f64,
    /// Seconds until the long window's ratio reaches the threshold; `None` when it never does.
    pub long_window_seconds: Option<f64>,
    /// Seconds until the short window's ratio reaches the threshold; `None` when it never does.
    pub short_window_seconds: Option<f64>,
    /// Seconds from the start of the errors until the alert fires: the later of the two windows,
    /// plus `for`. `None` when it never fires at this error ratio.
    pub detection_seconds: Option<f64>,
    /// Share of the budget spent when the alert fires: budget share + burn × for / period.
    /// `None` when it never fires, or when the budget is zero (any error spends all of it).
    pub budget_consumed_at_detection: Option<f64>,
    /// Seconds from the end of the errors until the alert stops: short window × (1 − threshold /
    /// e). The short window forgets the errors first, and the alert needs both windows.
    /// `None` when it never fires.
    pub reset_seconds: Option<f64>,
}

impl TierQuality {
    /// The quality of `tier` on `budget` while the error ratio stays at `errors`.
    pub fn new(tier: &Tier, budget: ErrorBudget, errors: ErrorRatio) -> Self {
        let objective = budget.objective();
        let threshold = tier.threshold(objective);
        let e = errors.ratio();
        let budget_share = tier.budget_share(budget.period());
        let fires = reaches(e, threshold);
        let long = fires.then(|| seconds_to_threshold(threshold, e, tier.long_window()));
        let short = fires.then(|| seconds_to_threshold(threshold, e, tier.short_window()));
        let for_seconds = tier.for_duration().map_or(0.0, Duration::as_secs_f64);
        let detection = long
            .zip(short)
            .map(|(l, s)| numeric::settle(l.max(s) + for_seconds));
        let burn = burn_value(e, budget);
        // From the unrounded parts, rounded once, so the sum carries no rounding of its terms.
        let consumed = detection.filter(|_| burn.is_finite()).map(|_| {
            let period = budget.period().seconds();
            let at_threshold = tier.factor() * tier.long_window().as_secs_f64() / period;
            numeric::round_sig(at_threshold + burn * for_seconds / period, 10)
        });
        let reset = fires.then(|| {
            numeric::round_sig(
                tier.short_window().as_secs_f64() * (1.0 - threshold / e),
                12,
            )
        });
        Self {
            threshold,
            possible: tier.is_possible(objective),
            budget_share,
            long_window_seconds: long,
            short_window_seconds: short,
            detection_seconds: detection,
            budget_consumed_at_detection: consumed,
            reset_seconds: reset,
        }
    }

    /// Whether the tier fires at this error ratio.
    pub fn fires(&self) -> bool {
        self.detection_seconds.is_some()
    }
}

/// What one failed request does to a tier when traffic is low.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SingleFailure {
    /// Requests in the long window at the given rate (may be below one).
    pub requests_in_long_window: f64,
    /// Burn rate over the long window caused by one failure alone: 1 / (max(1, rate × window) ×
    /// (1 − objective)). The failed request itself is always in the window, so the ratio is at
    /// most 100 %. Infinite on a zero budget.
    pub burn_long_window: f64,
    /// The same over the short window.
    pub burn_short_window: f64,
    /// Whether one failure alone brings both windows to the threshold: the tier pages (or
    /// tickets) on every single failure.
    pub fires_on_single_failure: bool,
    /// The request rate, per second, at or below which one failure alone fires the tier:
    /// 1 / (threshold × long window). Infinite on a zero budget, 0 for an impossible tier.
    pub max_requests_per_second: f64,
}

impl SingleFailure {
    /// One failure's effect on `tier` at a steady `rate`.
    pub fn new(tier: &Tier, budget: ErrorBudget, rate: RequestRate) -> Self {
        let threshold = tier.threshold(budget.objective());
        let ratio = |w: Duration| 1.0 / rate.requests_in(w).max(1.0);
        let burn = |w: Duration| burn_value(ratio(w), budget);
        let (long, short) = (tier.long_window(), tier.short_window());
        let max_rate = if threshold > 1.0 {
            0.0
        } else if threshold == 0.0 {
            f64::INFINITY
        } else {
            numeric::settle(1.0 / (threshold * long.as_secs_f64()))
        };
        Self {
            requests_in_long_window: numeric::settle(rate.requests_in(long)),
            burn_long_window: burn(long),
            burn_short_window: burn(short),
            fires_on_single_failure: reaches(ratio(long), threshold)
                && reaches(ratio(short), threshold),
            max_requests_per_second: max_rate,
        }
    }
}

/// The share of the budget one failed request spends: 1 / ((1 − objective) × rate × period).
/// 13.9 % at 10 requests an hour on 99.9 % over 30 days. Infinite on a zero budget.
pub fn single_failure_budget_share(budget: ErrorBudget, rate: RequestRate) -> f64 {
    let allowed = budget.failed_requests(rate);
    if allowed == 0.0 {
        f64::INFINITY
    } else {
        numeric::settle(1.0 / allowed)
    }
}

/// Detection time against error ratio for every tier, for a log-log chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// The error ratios, ascending, evenly spaced on a log scale up to 1, with every tier's own
    /// threshold added so each curve starts exactly at its asymptote.
    pub error_ratios: Vec<f64>,
    /// One series per tier, in the tier set's order.
    pub series: Vec<SweepSeries>,
}

/// One tier's curve in a [`Sweep`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepSeries {
    /// The tier's legend: `page 1h/5m 14.4×`.
    pub label: String,
    /// The tier.
    pub tier: Tier,
    /// The tier's threshold on the error ratio.
    pub threshold: f64,
    /// Detection time in seconds at each error ratio of the sweep; `None` where it never fires.
    pub detection_seconds: Vec<Option<f64>>,
}

/// Sweeps `tiers` on `budget` over error ratios from the decade below the lowest threshold up to
/// 1, with `points_per_decade` points in each decade (clamped to 1..=100).
pub fn sweep(tiers: &[Tier], budget: ErrorBudget, points_per_decade: u32) -> Sweep {
    let objective = budget.objective();
    let thresholds: Vec<f64> = tiers
        .iter()
        .map(|t| t.threshold(objective))
        .filter(|t| *t > 0.0 && *t <= 1.0)
        .collect();
    let lowest = thresholds
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(if budget.ratio() > 0.0 {
            budget.ratio()
        } else {
            1e-6
        });
    // Start a decade below the lowest threshold, and show at most 12 decades however small the
    // budget: a chart cannot show more.
    let decades = ((-lowest.log10()).floor() + 1.0).clamp(1.0, 12.0) as u32;
    let n = points_per_decade.clamp(1, 100);
    let steps = decades * n;
    let mut ratios: Vec<f64> = (0..=steps)
        .map(|i| {
            let exponent = f64::from(i) / f64::from(n) - f64::from(decades);
            numeric::round_sig(10f64.powf(exponent), 3)
        })
        .chain(thresholds.iter().copied())
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios.dedup();
    let series = tiers
        .iter()
        .map(|tier| SweepSeries {
            label: tier.label(),
            tier: *tier,
            threshold: tier.threshold(objective),
            detection_seconds: ratios
                .iter()
                .map(|&e| {
                    ErrorRatio::new(e)
                        .ok()
                        .and_then(|e| TierQuality::new(tier, budget, e).detection_seconds)
                })
                .collect(),
        })
        .collect();
    Sweep {
        error_ratios: ratios,
        series,
    }
}

/// What one tier does during an incident of constant error ratio and limited duration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentAlert {
    /// The tier's legend: `page 1h/5m 14.4×`.
    pub label: String,
    /// Whether it fires at all. It needs the long window to reach the threshold before the
    /// errors stop, and the condition to then hold for `for`.
    pub fires: bool,
    /// Seconds from the start of the incident until it fires.
    pub fires_after_seconds: Option<f64>,
    /// Seconds from the end of the errors until it stops firing.
    pub resolves_after_end_seconds: Option<f64>,
}

/// The budget an incident costs, and which tiers it wakes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentImpact {
    /// The incident's error ratio.
    pub error_ratio: f64,
    /// How long it lasted, in seconds.
    pub duration_seconds: f64,
    /// Its burn rate; `None` when infinite (a zero budget).
    pub burn_rate: Option<f64>,
    /// Share of the full budget it spent: burn × duration / period. `None` when infinite.
    pub budget_consumed: Option<f64>,
    /// Share of the full budget left after it, never below 0.
    pub budget_remaining: f64,
    /// Whether no budget is left: the objective is broken for this period, and an error budget
    /// policy stops feature releases until the budget comes back.
    pub exhausted: bool,
    /// Seconds into the incident at which the budget ran out, if it did during the incident.
    pub exhausted_after_seconds: Option<f64>,
    /// Each tier's response, in the tier set's order.
    pub alerts: Vec<IncidentAlert>,
}

impl IncidentImpact {
    /// An incident of `errors` for `duration`, starting with `remaining` of the budget left
    /// (1 = untouched; must be in [0, 1]).
    pub fn new(
        budget: ErrorBudget,
        tiers: &[Tier],
        errors: ErrorRatio,
        duration: Duration,
        remaining: f64,
    ) -> Result<Self> {
        if !(0.0..=1.0).contains(&remaining) {
            return Err(Error::field(
                "remaining budget",
                "must be a share of the budget in [0, 1]: 1 means untouched",
            ));
        }
        let burn = BurnRate::of(errors, budget.objective());
        let consumed = budget.consumed_by(burn, duration);
        let left = numeric::settle((remaining - consumed).max(0.0));
        let exhausted_after = budget
            .time_to_exhaustion_from(remaining, burn)
            .filter(|s| *s <= duration.as_secs_f64());
        let e = errors.ratio();
        let d = duration.as_secs_f64();
        let alerts = tiers
            .iter()
            .map(|tier| {
                let threshold = tier.threshold(budget.objective());
                let for_seconds = tier.for_duration().map_or(0.0, Duration::as_secs_f64);
                let fired = reaches(e, threshold).then(|| {
                    let on = seconds_to_threshold(threshold, e, tier.long_window());
                    let reset = tier.short_window().as_secs_f64() * (1.0 - threshold / e);
                    (on, reset)
                });
                let fired = fired.filter(|&(on, reset)| on <= d && d + reset - on >= for_seconds);
                IncidentAlert {
                    label: tier.label(),
                    fires: fired.is_some(),
                    fires_after_seconds: fired.map(|(on, _)| numeric::settle(on + for_seconds)),
                    resolves_after_end_seconds: fired.map(|(_, reset)| numeric::settle(reset)),
                }
            })
            .collect();
        Ok(Self {
            error_ratio: e,
            duration_seconds: d,
            burn_rate: (!burn.is_infinite()).then_some(burn.value()),
            budget_consumed: consumed.is_finite().then_some(consumed),
            budget_remaining: left,
            exhausted: left <= 0.0,
            exhausted_after_seconds: exhausted_after,
            alerts,
        })
    }
}
