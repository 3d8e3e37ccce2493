//! Figures that explain themselves: the formula, the same formula with the user's numbers, and
//! the result, as data every front prints. Each function computes its figure through the
//! same core function the report uses, so the explanation can never disagree with the number.

use std::fmt;

use serde::Serialize;

use crate::duration::Duration;
use crate::error::Result;
use crate::format;
use crate::quality::{self, IncidentImpact, SingleFailure, TierQuality};
use crate::slo::{BurnRate, ErrorBudget, ErrorRatio, Objective, RequestRate};
use crate::tiers::Tier;

/// How one figure is computed, for a "how is this computed" disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What the figure is: `burn rate`.
    pub figure: String,
    /// The formula in words and symbols: `error ratio / (1 − SLO)`.
    pub formula: String,
    /// The formula with the user's numbers: `0.005 / 0.001`.
    pub substituted: String,
    /// The result as a person reads it: `5×`.
    pub result: String,
}

impl Explanation {
    fn new(
        figure: &str,
        formula: &str,
        substituted: impl Into<String>,
        result: impl Into<String>,
    ) -> Self {
        Self {
            figure: figure.into(),
            formula: formula.into(),
            substituted: substituted.into(),
            result: result.into(),
        }
    }
}

impl fmt::Display for Explanation {
    /// `burn rate: error ratio / (1 − SLO) = 0.005 / 0.001 → 5×`. The arrow, not another `=`,
    /// because some results are sentences ("never: …") rather than values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} = {} → {}",
            self.figure, self.formula, self.substituted, self.result
        )
    }
}

/// A share of the budget for people: `2 %`, `13.9 %`. Below a thousandth of a percent the digits
/// stop meaning anything to a reader; infinite shares are said in words by the callers.
fn share(x: f64) -> String {
    if x > 0.0 && x < 0.000_01 {
        "less than 0.001 %".to_owned()
    } else {
        format::percent_sig(x, 3)
    }
}

/// The error budget as a ratio: 1 − SLO.
pub fn error_budget(objective: Objective) -> Explanation {
    let b = objective.budget_ratio();
    let result = if objective.has_zero_budget() {
        "0: a 100 % objective allows no errors at all".to_owned()
    } else {
        format!(
            "{} ({} of events may fail)",
            format::decimal(b),
            format::percent(b)
        )
    };
    Explanation::new(
        "error budget",
        "1 − SLO",
        format!("1 − {}", format::decimal(objective.ratio())),
        result,
    )
}

/// The error budget as time of full outage: (1 − SLO) × period.
pub fn budget_time(budget: ErrorBudget) -> Explanation {
    Explanation::new(
        "budget as full outage",
        "(1 − SLO) × period",
        format!("{} × {}", format::decimal(budget.ratio()), budget.period()),
        format::human_duration(budget.outage_seconds()),
    )
}

/// The error budget as failed requests: (1 − SLO) × rate × period.
pub fn budget_requests(budget: ErrorBudget, rate: RequestRate) -> Explanation {
    Explanation::new(
        "budget in failed requests",
        "(1 − SLO) × requests per second × period",
        format!(
            "{} × {} × {}",
            format::decimal(budget.ratio()),
            format::rate(rate.value()),
            budget.period()
        ),
        format!(
            "{} failed requests",
            format::sig(budget.failed_requests(rate), 4)
        ),
    )
}

/// The burn rate: error ratio / (1 − SLO), in words when the budget is zero.
pub fn burn_rate(errors: ErrorRatio, objective: Objective) -> Explanation {
    let burn = BurnRate::of(errors, objective);
    let result = if burn.is_infinite() {
        "∞×: a 100 % objective has no budget, so every error is an infinite burn".to_owned()
    } else {
        format::times(burn.value())
    };
    Explanation::new(
        "burn rate",
        "error ratio / (1 − SLO)",
        format!(
            "{} / {}",
            format::decimal(errors.ratio()),
            format::decimal(objective.budget_ratio())
        ),
        result,
    )
}

/// Time to exhaustion from a full budget: period / burn rate.
pub fn time_to_exhaustion(budget: ErrorBudget, errors: ErrorRatio) -> Explanation {
    time_to_exhaustion_from(budget, errors, 1.0)
}

/// Time to exhaustion from the `remaining` share of the budget: remaining × period / burn rate.
pub fn time_to_exhaustion_from(
    budget: ErrorBudget,
    errors: ErrorRatio,
    remaining: f64,
) -> Explanation {
    let burn = BurnRate::of(errors, budget.objective());
    let result = match budget.time_to_exhaustion_from(remaining, burn) {
        None => "never: nothing fails".to_owned(),
        Some(_) if burn.is_infinite() => {
            "immediately: a 100 % objective has no budget, so the first error breaks it".to_owned()
        }
        Some(s) => format::human_duration(s),
    };
    let (formula, substituted) = if remaining >= 1.0 {
        (
            "period / burn rate",
            format!("{} / {}", budget.period(), format::sig(burn.value(), 4)),
        )
    } else {
        (
            "remaining budget × period / burn rate",
            format!(
                "{} × {} / {}",
                share(remaining),
                budget.period(),
                format::sig(burn.value(), 4)
            ),
        )
    };
    Explanation::new("budget gone in", formula, substituted, result)
}

/// The budget spent by burning at `burn` for `span`: burn × duration / period.
pub fn budget_consumed(budget: ErrorBudget, burn: BurnRate, span: Duration) -> Explanation {
    let spent = budget.consumed_by(burn, span);
    let result = if spent.is_infinite() {
        "all of it: a 100 % objective has no budget".to_owned()
    } else {
        format!("{} of the budget", share(spent))
    };
    Explanation::new(
        "budget consumed",
        "burn rate × duration / period",
        format!(
            "{} × {span} / {}",
            format::sig(burn.value(), 4),
            budget.period()
        ),
        result,
    )
}

/// The factor that spends `budget_share` within `window`: share × period / window.
pub fn factor_for_share(budget: ErrorBudget, budget_share: f64, window: Duration) -> Explanation {
    let result = budget
        .factor_for_share(budget_share, window)
        .map_or_else(|e| e.message, format::times);
    Explanation::new(
        "burn-rate factor",
        "share of budget × period / window",
        format!("{} × {} / {window}", share(budget_share), budget.period()),
        result,
    )
}

/// A tier's threshold on the error ratio: factor × (1 − SLO), with a warning when it is above 1.
pub fn threshold(tier: &Tier, objective: Objective) -> Explanation {
    let t = tier.threshold(objective);
    let result = if t == 0.0 {
        "0: a 100 % objective has no budget, so a single failed event reaches it".to_owned()
    } else if tier.is_possible(objective) {
        format!(
            "{} ({} of events failing)",
            format::decimal(t),
            format::percent_sig(t, 4)
        )
    } else {
        format!(
            "{}, above 100 %: this tier can never fire, since even a full outage burns only {}",
            format::decimal(t),
            format::times(BurnRate::max_for(objective).value())
        )
    };
    Explanation::new(
        "threshold",
        "factor × (1 − SLO)",
        format!(
            "{} × {}",
            format::decimal(tier.factor()),
            format::decimal(objective.budget_ratio())
        ),
        result,
    )
}

/// A tier's detection time at a constant error ratio: (1 − SLO) / e × long window × factor,
/// the later of the two windows, plus `for`.
pub fn detection(tier: &Tier, budget: ErrorBudget, errors: ErrorRatio) -> Explanation {
    let q = TierQuality::new(tier, budget, errors);
    let for_text = tier
        .for_duration()
        .map(|d| format!(" + {d}"))
        .unwrap_or_default();
    let substituted = format!(
        "{} / {} × {} × {}{for_text}",
        format::decimal(budget.ratio()),
        format::decimal(errors.ratio()),
        tier.long_window(),
        format::decimal(tier.factor()),
    );
    let result = match (
        q.detection_seconds,
        q.long_window_seconds,
        q.short_window_seconds,
    ) {
        (Some(d), Some(long), Some(short)) => {
            // Both windows must reach the threshold; the long one always gets there last, and
            // saying when the short one does shows why it is there at all.
            let windows = format!(
                "the {} window reaches the threshold after {} (the {} window after {})",
                tier.long_window(),
                format::human_duration(long),
                tier.short_window(),
                format::human_duration(short)
            );
            match tier.for_duration() {
                None => format!("{}: {windows}", format::human_duration(d)),
                Some(f) => format!(
                    "{}: {windows}, then `for` waits {f}",
                    format::human_duration(d)
                ),
            }
        }
        (None, _, _) if !q.possible => "never: the tier is impossible on this objective".to_owned(),
        (None, _, _) if errors.ratio() == 0.0 => "never: nothing fails".to_owned(),
        _ => format!(
            "never: it needs an error ratio of at least {}, and it is {}",
            format::decimal(q.threshold),
            format::decimal(errors.ratio())
        ),
    };
    Explanation::new(
        "detection time",
        "(1 − SLO) / e × long window × factor + for",
        substituted,
        result,
    )
}

/// The budget spent when a tier fires: factor × long window / period (+ burn × for / period).
pub fn budget_at_detection(tier: &Tier, budget: ErrorBudget, errors: ErrorRatio) -> Explanation {
    let q = TierQuality::new(tier, budget, errors);
    let burn = BurnRate::of(errors, budget.objective());
    let (formula, substituted) = match tier.for_duration() {
        None => (
            "factor × long window / period",
            format!(
                "{} × {} / {}",
                format::decimal(tier.factor()),
                tier.long_window(),
                budget.period()
            ),
        ),
        Some(d) => (
            "factor × long window / period + burn rate × for / period",
            format!(
                "{} × {} / {p} + {} × {d} / {p}",
                format::decimal(tier.factor()),
                tier.long_window(),
                format::sig(burn.value(), 4),
                p = budget.period()
            ),
        ),
    };
    let result = match q.budget_consumed_at_detection {
        Some(x) => format!("{} of the budget", share(x)),
        None if q.fires() => "all of it: a 100 % objective has no budget".to_owned(),
        None => format!(
            "it does not fire at this error ratio; when it does, {} of the budget is gone",
            share(q.budget_share)
        ),
    };
    Explanation::new("budget spent at detection", formula, substituted, result)
}

/// A tier's reset time after the errors stop: short window × (1 − threshold / e).
pub fn reset(tier: &Tier, budget: ErrorBudget, errors: ErrorRatio) -> Explanation {
    let q = TierQuality::new(tier, budget, errors);
    let result = match q.reset_seconds {
        Some(s) => format!("{} after the errors stop", format::human_duration(s)),
        None => "never fires, so nothing to reset".to_owned(),
    };
    Explanation::new(
        "reset time",
        "short window × (1 − threshold / e)",
        format!(
            "{} × (1 − {} / {})",
            tier.short_window(),
            format::decimal(q.threshold),
            format::decimal(errors.ratio())
        ),
        result,
    )
}

/// The burn one failed request causes over a tier's long window at low traffic.
pub fn single_failure_burn(tier: &Tier, budget: ErrorBudget, rate: RequestRate) -> Explanation {
    let f = SingleFailure::new(tier, budget, rate);
    let verdict = if f.fires_on_single_failure {
        "one failure alone fires this tier"
    } else {
        "one failure alone does not fire this tier"
    };
    Explanation::new(
        "burn of one failure",
        "1 / (max(1, requests per second × long window) × (1 − SLO))",
        format!(
            "1 / (max(1, {} × {}) × {})",
            format::rate(rate.value()),
            tier.long_window(),
            format::decimal(budget.ratio())
        ),
        format!(
            "{} over {} ({} over {}): {verdict}",
            format::times(f.burn_long_window),
            tier.long_window(),
            format::times(f.burn_short_window),
            tier.short_window()
        ),
    )
}

/// The request rate at or below which one failure alone fires a tier: 1 / (threshold × long
/// window).
pub fn single_failure_rate(tier: &Tier, budget: ErrorBudget, rate: RequestRate) -> Explanation {
    let f = SingleFailure::new(tier, budget, rate);
    let max = f.max_requests_per_second;
    let result = if max.is_infinite() {
        "any rate: with no budget, every failure fires".to_owned()
    } else if max == 0.0 {
        "none: the tier can never fire".to_owned()
    } else {
        format!("{} or less", format::rate(max))
    };
    Explanation::new(
        "one failure fires it at",
        "1 / (threshold × long window)",
        format!(
            "1 / ({} × {})",
            format::decimal(tier.threshold(budget.objective())),
            tier.long_window()
        ),
        result,
    )
}

/// The share of the budget one failed request spends: 1 / ((1 − SLO) × rate × period).
pub fn single_failure_share(budget: ErrorBudget, rate: RequestRate) -> Explanation {
    let s = quality::single_failure_budget_share(budget, rate);
    let result = if s.is_infinite() {
        "all of it: a 100 % objective has no budget".to_owned()
    } else {
        format!("{} of the budget", share(s))
    };
    Explanation::new(
        "budget spent by one failure",
        "1 / ((1 − SLO) × requests per second × period)",
        format!(
            "1 / ({} × {} × {})",
            format::decimal(budget.ratio()),
            format::rate(rate.value()),
            budget.period()
        ),
        result,
    )
}

/// The budget left after an incident of `errors` for `span`, starting with `remaining` of it:
/// remaining − burn × duration / period, never below zero, and the "budget exhausted" state when
/// nothing is left.
pub fn budget_after_incident(
    budget: ErrorBudget,
    errors: ErrorRatio,
    span: Duration,
    remaining: f64,
) -> Result<Explanation> {
    let impact = IncidentImpact::new(budget, &[], errors, span, remaining)?;
    let burn = BurnRate::of(errors, budget.objective());
    let result = if impact.exhausted {
        let when = impact
            .exhausted_after_seconds
            .map(|s| format!(" after {}", format::human_duration(s)))
            .unwrap_or_default();
        format!(
            "0 %: budget exhausted{when}; the objective is broken for this period, so releases \
             stop and the work goes to reliability until the budget recovers"
        )
    } else {
        format!("{} of the budget left", share(impact.budget_remaining))
    };
    Ok(Explanation::new(
        "budget after the incident",
        "remaining budget − burn rate × duration / period",
        format!(
            "{} − {} × {span} / {}",
            share(remaining),
            format::sig(burn.value(), 4),
            budget.period()
        ),
        result,
    ))
}
