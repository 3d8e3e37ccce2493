//! Objectives, error budgets and burn rates: the figures every other part of burnlab stands on.
//! Definitions follow the Google SRE Workbook, chapter "Alerting on SLOs".

use serde::Serialize;

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::format;

/// A service level objective: the share of good events promised, in (0, 1]. 1 (100 %) is valid
/// and means a zero error budget.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct Objective {
    ratio: f64,
    /// 1 − ratio, computed once from the percentage and rounded so that 99.9 % gives exactly
    /// 0.001 rather than 0.0010000000000000009.
    budget: f64,
}

impl Objective {
    /// An objective from a percentage in (0, 100]: `99.9`.
    pub fn from_percent(percent: f64) -> Result<Self> {
        if !percent.is_finite() {
            return Err(Error::field("objective", "must be a number, e.g. 99.9"));
        }
        if percent <= 0.0 || percent > 100.0 {
            return Err(Error::field(
                "objective",
                format!(
                    "{} % is outside (0 %, 100 %]: give the share of good events, e.g. 99.9",
                    format::decimal(percent)
                ),
            ));
        }
        let budget = format::round_sig((100.0 - percent) / 100.0, 12);
        Ok(Self {
            ratio: 1.0 - budget,
            budget,
        })
    }

    /// An objective from a ratio in (0, 1]: `0.999`.
    pub fn from_ratio(ratio: f64) -> Result<Self> {
        Self::from_percent(ratio * 100.0)
    }

    /// Parses what a person types: `99.9`, `99.9%` or `99.9 %`, always as a percentage.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let number = t.strip_suffix('%').unwrap_or(t).trim();
        if number.is_empty() {
            return Err(Error::field(
                "objective",
                "is empty: give a percentage, e.g. 99.9",
            ));
        }
        let percent: f64 = number.parse().map_err(|_| {
            Error::field(
                "objective",
                format!("`{t}` is not a percentage: write it like 99.9 or 99.9%"),
            )
        })?;
        Self::from_percent(percent)
    }

    /// The objective as a ratio: 0.999.
    pub fn ratio(self) -> f64 {
        self.ratio
    }

    /// The objective as a percentage: 99.9.
    pub fn percent(self) -> f64 {
        format::round_sig(self.ratio * 100.0, 12)
    }

    /// The error budget as a ratio of all events: 1 − objective.
    pub fn budget_ratio(self) -> f64 {
        self.budget
    }

    /// The number of nines, −log10(1 − objective): 3 for 99.9 %, 2.3 for 99.5 %. Sliders move
    /// on this scale so that each nine gets the same room. Infinite for 100 %.
    pub fn nines(self) -> f64 {
        -self.budget.log10()
    }

    /// The objective `nines` nines from 100 %, its budget rounded to two significant digits so a
    /// slider lands on numbers people use: 3 → 99.9 %, 3.3 → 99.95 %.
    pub fn from_nines(nines: f64) -> Result<Self> {
        if !nines.is_finite() || nines <= 0.0 {
            return Err(Error::field(
                "objective",
                "the number of nines must be above 0",
            ));
        }
        let budget = format::round_sig(10f64.powf(-nines), 2);
        Self::from_percent(100.0 - budget * 100.0)
    }
}

/// An observed share of failed events, in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct ErrorRatio(f64);

impl ErrorRatio {
    /// An error ratio in [0, 1]: 0.005 means 0.5 % of events fail.
    pub fn new(ratio: f64) -> Result<Self> {
        if !ratio.is_finite() {
            return Err(Error::field(
                "error ratio",
                "must be a number between 0 and 1, e.g. 0.005 for 0.5 %",
            ));
        }
        if !(0.0..=1.0).contains(&ratio) {
            return Err(Error::field(
                "error ratio",
                format!(
                    "{} is outside [0, 1]: it is a ratio, so 0.005 means 0.5 %",
                    format::decimal(ratio)
                ),
            ));
        }
        Ok(Self(ratio))
    }

    /// Parses a ratio (`0.005`) or, with a percent sign, a percentage (`0.5%`).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let (number, scale) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), 100.0),
            None => (t, 1.0),
        };
        if number.is_empty() {
            return Err(Error::field(
                "error ratio",
                "is empty: give a ratio, e.g. 0.005",
            ));
        }
        let value: f64 = number.parse().map_err(|_| {
            Error::field(
                "error ratio",
                format!(
                    "`{t}` is not a number: write a ratio like 0.005 or a percentage like 0.5%"
                ),
            )
        })?;
        Self::new(value / scale)
    }

    /// The ratio: 0.005.
    pub fn ratio(self) -> f64 {
        self.0
    }
}

/// How fast the budget is being spent: 1 spends exactly the budget over the period. Infinite when
/// the budget is zero (a 100 % objective) and anything fails.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct BurnRate(f64);

impl BurnRate {
    /// The burn rate of an error ratio against an objective: error ratio / (1 − objective).
    pub fn of(errors: ErrorRatio, objective: Objective) -> Self {
        let budget = objective.budget_ratio();
        if errors.ratio() == 0.0 {
            Self(0.0)
        } else if budget == 0.0 {
            Self(f64::INFINITY)
        } else {
            Self(format::round_sig(errors.ratio() / budget, 12))
        }
    }

    /// The factor: 5 means five times the sustainable rate. May be infinite.
    pub fn value(self) -> f64 {
        self.0
    }

    /// Whether every error is an infinite burn (a zero budget).
    pub fn is_infinite(self) -> bool {
        self.0.is_infinite()
    }
}

/// An error budget: the failures an objective allows over a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErrorBudget {
    objective: Objective,
    period: Duration,
}

impl ErrorBudget {
    /// The budget of `objective` over `period`, which must not be zero.
    pub fn new(objective: Objective, period: Duration) -> Result<Self> {
        if period.is_zero() {
            return Err(Error::field("period", "must be longer than zero, e.g. 30d"));
        }
        Ok(Self { objective, period })
    }

    /// The objective this budget belongs to.
    pub fn objective(self) -> Objective {
        self.objective
    }

    /// The period the budget covers.
    pub fn period(self) -> Duration {
        self.period
    }

    /// The budget as a ratio of events: 0.001 for 99.9 %.
    pub fn ratio(self) -> f64 {
        self.objective.budget_ratio()
    }

    /// The budget as time of full outage over the period, in seconds: 2592 (43.2 min) for 99.9 %
    /// over 30 days.
    pub fn outage_seconds(self) -> f64 {
        format::round_sig(self.ratio() * self.period.as_secs_f64(), 12)
    }

    /// Time until a full budget is gone at `burn`, in seconds: period / burn. `None` when nothing
    /// burns; zero when the budget is zero and anything fails.
    pub fn time_to_exhaustion(self, burn: BurnRate) -> Option<f64> {
        if burn.value() == 0.0 {
            None
        } else if burn.is_infinite() {
            Some(0.0)
        } else {
            Some(format::round_sig(
                self.period.as_secs_f64() / burn.value(),
                12,
            ))
        }
    }
}

/// The calculator's headline figures for one objective, period and observed error ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// The objective as a percentage, e.g. 99.9.
    pub objective_percent: f64,
    /// The period in Prometheus syntax, e.g. `30d`.
    pub period: String,
    /// 1 − objective.
    pub error_budget_ratio: f64,
    /// The budget as seconds of full outage over the period.
    pub budget_seconds: f64,
    /// The observed error ratio.
    pub error_ratio: f64,
    /// error ratio / budget ratio; `null` in JSON when infinite (a zero budget).
    pub burn_rate: Option<f64>,
    /// Seconds until a full budget is gone; `null` when nothing burns.
    pub time_to_exhaustion_seconds: Option<f64>,
}

impl BudgetReport {
    /// Computes the headline figures.
    pub fn new(objective: Objective, period: Duration, errors: ErrorRatio) -> Result<Self> {
        let budget = ErrorBudget::new(objective, period)?;
        let burn = BurnRate::of(errors, objective);
        Ok(Self {
            objective_percent: objective.percent(),
            period: period.to_string(),
            error_budget_ratio: budget.ratio(),
            budget_seconds: budget.outage_seconds(),
            error_ratio: errors.ratio(),
            burn_rate: (!burn.is_infinite()).then_some(burn.value()),
            time_to_exhaustion_seconds: budget.time_to_exhaustion(burn),
        })
    }

    /// The burn rate as a person reads it: `5×`, `0.5×`, `∞×`.
    pub fn burn_rate_text(&self) -> String {
        match self.burn_rate {
            Some(b) => format!("{}×", format::sig(b, 3)),
            None => "∞×".into(),
        }
    }

    /// The time to exhaustion as a person reads it.
    pub fn time_to_exhaustion_text(&self) -> String {
        match self.time_to_exhaustion_seconds {
            None => "never (nothing fails)".into(),
            Some(s) if s == 0.0 => {
                "immediately: a 100 % objective has no budget, so every error breaks it".into()
            }
            Some(s) => format::human_duration(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(objective: &str, errors: &str) -> BudgetReport {
        let objective = Objective::parse(objective).unwrap_or_else(|e| panic!("{e}"));
        let errors = ErrorRatio::parse(errors).unwrap_or_else(|e| panic!("{e}"));
        BudgetReport::new(objective, Duration::from_days(30), errors)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_999_objective_over_30_days_has_43_2_minutes_of_budget() {
        let r = report("99.9", "0");
        assert_eq!(r.error_budget_ratio, 0.001);
        assert_eq!(r.budget_seconds, 2592.0);
        assert_eq!(format::human_duration(r.budget_seconds), "43.2 min");
    }

    #[test]
    fn half_a_percent_of_errors_at_999_burns_5x_and_lasts_6_days() {
        let r = report("99.9%", "0.005");
        assert_eq!(r.burn_rate, Some(5.0));
        assert_eq!(r.time_to_exhaustion_seconds, Some(6.0 * 86_400.0));
        assert_eq!(r.time_to_exhaustion_text(), "6 d");
    }

    #[test]
    fn half_a_percent_of_errors_at_99_burns_half_and_lasts_60_days() {
        // The lesson says "5x your budget" here; the right figure is 0.5×.
        let r = report("99", "0.5%");
        assert_eq!(r.burn_rate, Some(0.5));
        assert_eq!(r.time_to_exhaustion_text(), "60 d");
    }

    #[test]
    fn a_100_percent_objective_has_no_budget_and_says_so() {
        let r = report("100", "0.0001");
        assert_eq!(r.error_budget_ratio, 0.0);
        assert_eq!(r.burn_rate, None);
        assert_eq!(r.burn_rate_text(), "∞×");
        assert!(r.time_to_exhaustion_text().contains("no budget"));
        assert_eq!(report("100", "0").burn_rate, Some(0.0));
    }

    #[test]
    fn the_nines_scale_lands_on_familiar_objectives() {
        let at = |n: f64| Objective::from_nines(n).unwrap().percent();
        assert_eq!(at(1.0), 90.0);
        assert_eq!(at(3.0), 99.9);
        assert_eq!(at(3.3), 99.95);
        assert_eq!(at(5.0), 99.999);
        assert_eq!(Objective::parse("99.9").unwrap().nines(), 3.0);
        assert!(Objective::from_nines(f64::NAN).is_err());
    }

    #[test]
    fn bad_objectives_name_the_field() {
        for (input, want) in [
            ("", "objective: is empty"),
            ("abc", "objective: `abc` is not a percentage"),
            ("100.1", "outside (0 %, 100 %]"),
            ("0", "outside"),
            ("-5", "outside"),
            ("NaN", "must be a number"),
        ] {
            let err = Objective::parse(input).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains(want)),
                "{input:?}: got {err:?}, want {want:?}"
            );
        }
    }

    #[test]
    fn bad_error_ratios_name_the_field() {
        for input in ["", "x", "-0.1", "1.5", "NaN", "inf"] {
            let err = ErrorRatio::parse(input).err().map(|e| e.field);
            assert_eq!(err.as_deref(), Some("error ratio"), "{input:?}");
        }
    }
}
