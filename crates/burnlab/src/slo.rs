//! Objectives, error budgets and burn rates: the figures every other part of burnlab stands on.
//! Definitions follow the Google SRE Workbook, chapter "Alerting on SLOs".

use std::fmt;

use serde::Serialize;

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::{format, numeric};

/// A decimal number as people type it, with a point or, as much of Europe writes it, a comma
/// (`99,9`, `0,5`). Only for values that never need a thousands separator (an objective, an
/// error ratio), so a comma can only be the decimal one.
pub fn typed_decimal(text: &str) -> Option<f64> {
    if text.matches(',').count() == 1 && !text.contains('.') {
        text.replace(',', ".").parse().ok()
    } else {
        text.parse().ok()
    }
}

/// What an objective of 100 % means, in the one sentence `burnlab budget` (a warning beside its
/// figures) and `burnlab rules` (an error) both give: a valid objective with a zero budget, on
/// which no burn-rate alert can be written.
pub const ZERO_BUDGET: &str = "100 % leaves no error budget: every failed event breaks the objective, so every burn rate is infinite and no burn-rate alert can be written for it (burnlab rules refuses it; pick 99.9 or similar to alert on burn)";

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
    /// 99.9 %, the objective of the Workbook's examples and the default everywhere.
    pub const THREE_NINES: Objective = Objective {
        ratio: 0.999,
        budget: 0.001,
    };

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
        // 100 − percent cancels most of the digits of a high objective, leaving noise from
        // about the 14th decimal place; rounding to 10 places keeps 99.9989 % at exactly
        // 0.0011 % rather than 0.00109999999999 %. Ten places, not more: an objective then has
        // at most 12 significant digits, which is what `format::decimal` writes, so a shown
        // objective reads back as the same objective.
        let missing = ((100.0 - percent) * 1e10).round() / 1e10;
        let budget = numeric::settle(missing / 100.0);
        if budget >= 1.0 {
            // A percentage so small that the objective rounds to 0 % promises nothing.
            return Err(Error::field(
                "objective",
                format!(
                    "{percent:e} % is too close to 0 %: give the share of good events, e.g. 99.9"
                ),
            ));
        }
        Ok(Self {
            ratio: numeric::settle(1.0 - budget),
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
        let percent: f64 = typed_decimal(number).ok_or_else(|| {
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
        numeric::settle(self.ratio * 100.0)
    }

    /// The error budget as a ratio of all events: 1 − objective.
    pub fn budget_ratio(self) -> f64 {
        self.budget
    }

    /// Whether the objective is 100 %: no budget at all, so every error breaks it and burns at an
    /// infinite rate.
    pub fn has_zero_budget(self) -> bool {
        self.budget == 0.0
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
        let budget = numeric::round_sig(10f64.powf(-nines), 2);
        Self::from_percent(100.0 - budget * 100.0)
    }
}

/// An observed share of failed events, in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct ErrorRatio(f64);

impl ErrorRatio {
    /// No errors at all.
    pub const ZERO: ErrorRatio = ErrorRatio(0.0);

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
        let value: f64 = typed_decimal(number).ok_or_else(|| {
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
            Self(numeric::settle(errors.ratio() / budget))
        }
    }

    /// A burn rate typed by a person: finite and not negative. `field` names the input.
    pub fn new(value: f64, field: &str) -> Result<Self> {
        if !value.is_finite() || value < 0.0 {
            return Err(Error::field(
                field,
                "must be a number of times the sustainable rate, 0 or more, e.g. 14.4",
            ));
        }
        Ok(Self(value))
    }

    /// The fastest burn an objective allows: every event failing, 1 / (1 − objective). 10× for
    /// 90 %, 1000× for 99.9 %, infinite for 100 %.
    pub fn max_for(objective: Objective) -> Self {
        Self::of(ErrorRatio(1.0), objective)
    }

    /// The error ratio that burns at this rate: burn × (1 − objective). An error when that is
    /// above 100 %, which no service can reach (14.4× on a 90 % objective).
    pub fn error_ratio(self, objective: Objective) -> Result<ErrorRatio> {
        let ratio = numeric::settle(self.0 * objective.budget_ratio());
        if !ratio.is_finite() || ratio > 1.0 {
            return Err(Error::field(
                "burn rate",
                format!(
                    "{}× needs an error ratio of {}, above 100 %: at {} the fastest possible burn is {}× (every event failing)",
                    format::sig(self.0, 4),
                    format::decimal(ratio),
                    format::percent(objective.ratio()),
                    format::sig(Self::max_for(objective).value(), 4),
                ),
            ));
        }
        Ok(ErrorRatio(ratio))
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

/// The span an objective is measured over: 30d, 28d, 7d or any Prometheus duration longer than
/// zero. Every "share of the budget" figure divides by it, so zero is refused here, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Period(Duration);

impl Period {
    /// 30 days: the Workbook's and Sloth's default.
    pub const DAYS_30: Period = Period(Duration::from_days(30));
    /// 28 days: Pyrra's base, four whole weeks.
    pub const DAYS_28: Period = Period(Duration::from_days(28));

    /// A period of `duration`, which must be longer than zero.
    pub fn new(duration: Duration) -> Result<Self> {
        if duration.is_zero() {
            return Err(Error::field("period", "must be longer than zero, e.g. 30d"));
        }
        Ok(Self(duration))
    }

    /// Parses a Prometheus duration such as `30d` or `4w`.
    pub fn parse(text: &str) -> Result<Self> {
        Self::new(Duration::parse(text, "period")?)
    }

    /// The period as a duration.
    pub fn duration(self) -> Duration {
        self.0
    }

    /// Length in seconds.
    pub fn seconds(self) -> f64 {
        self.0.as_secs_f64()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A steady request rate, in requests per second, above zero. It turns ratios into counts: how
/// many failed requests the budget allows, and how hard one failure hits at low traffic.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct RequestRate(f64);

impl RequestRate {
    /// A rate of `per_second` requests each second; finite and above zero.
    pub fn per_second(per_second: f64) -> Result<Self> {
        if !per_second.is_finite() || per_second <= 0.0 {
            return Err(Error::field(
                "requests per second",
                "must be a number above 0, e.g. 1000 (or 10/h for ten an hour)",
            ));
        }
        Ok(Self(per_second))
    }

    /// Parses `1000` (per second) or a count per unit of time: `1000/s`, `600/m`, `10/h`, `50/d`.
    /// Low-traffic services are easier to describe per hour than per second.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let bad = || {
            Error::field(
                "requests per second",
                format!("`{t}` is not a request rate: write 1000 (per second) or 10/h"),
            )
        };
        let (number, seconds) = match t.split_once('/') {
            None => (t, 1.0),
            Some((n, unit)) => {
                let seconds = match unit.trim() {
                    "s" | "sec" | "second" => 1.0,
                    "m" | "min" | "minute" => 60.0,
                    "h" | "hour" => 3600.0,
                    "d" | "day" => 86_400.0,
                    _ => return Err(bad()),
                };
                (n.trim(), seconds)
            }
        };
        if number.is_empty() {
            return Err(Error::field(
                "requests per second",
                "is empty: give a rate, e.g. 1000 or 10/h",
            ));
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        Self::per_second(value / seconds)
    }

    /// Requests per second.
    pub fn value(self) -> f64 {
        self.0
    }

    /// The number of requests in `span` at this rate (fractional: 10/h over 5m is 0.83).
    pub fn requests_in(self, span: Duration) -> f64 {
        self.0 * span.as_secs_f64()
    }
}

/// An error budget: the failures an objective allows over a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErrorBudget {
    objective: Objective,
    period: Period,
}

impl ErrorBudget {
    /// The budget of `objective` over `period`.
    pub fn new(objective: Objective, period: Period) -> Self {
        Self { objective, period }
    }

    /// The objective this budget belongs to.
    pub fn objective(self) -> Objective {
        self.objective
    }

    /// The period the budget covers.
    pub fn period(self) -> Period {
        self.period
    }

    /// The budget as a ratio of events: 0.001 for 99.9 %.
    pub fn ratio(self) -> f64 {
        self.objective.budget_ratio()
    }

    /// The budget as time of full outage over the period, in seconds: 2592 (43.2 min) for 99.9 %
    /// over 30 days.
    pub fn outage_seconds(self) -> f64 {
        numeric::settle(self.ratio() * self.period.seconds())
    }

    /// The number of requests that may fail over the period at a steady `rate`: (1 − objective) ×
    /// rate × period. 7.2 for 10 requests an hour at 99.9 % over 30 days.
    pub fn failed_requests(self, rate: RequestRate) -> f64 {
        numeric::settle(self.ratio() * rate.value() * self.period.seconds())
    }

    /// Time until a full budget is gone at `burn`, in seconds: period / burn. `None` when nothing
    /// burns; zero when the budget is zero and anything fails.
    pub fn time_to_exhaustion(self, burn: BurnRate) -> Option<f64> {
        self.time_to_exhaustion_from(1.0, burn)
    }

    /// Time until the `remaining` share of the budget (1 = all of it, 0.25 = a quarter) is gone at
    /// `burn`, in seconds: remaining × period / burn. `None` when nothing burns. A share outside
    /// [0, 1] is clamped into it, since the budget can neither grow past full nor go below empty.
    pub fn time_to_exhaustion_from(self, remaining: f64, burn: BurnRate) -> Option<f64> {
        let remaining = if remaining.is_nan() {
            0.0
        } else {
            remaining.clamp(0.0, 1.0)
        };
        if burn.value() == 0.0 {
            None
        } else if burn.is_infinite() {
            Some(0.0)
        } else {
            Some(numeric::round_sig(
                remaining * self.period.seconds() / burn.value(),
                12,
            ))
        }
    }

    /// The share of the budget spent by burning at `burn` for `span`: burn × span / period.
    /// 14.4× for 1h of a 30d period spends 0.02. Infinite when the budget is zero and anything
    /// fails for any time; zero when nothing fails or for no time.
    pub fn consumed_by(self, burn: BurnRate, span: Duration) -> f64 {
        if burn.value() == 0.0 || span.is_zero() {
            0.0
        } else if burn.is_infinite() {
            f64::INFINITY
        } else {
            numeric::round_sig(
                burn.value() * span.as_secs_f64() / self.period.seconds(),
                12,
            )
        }
    }

    /// The burn-rate factor that spends the `share` of the budget (0.02 = 2 %) within `window`:
    /// share × period / window. 2 % in 1h over 30d is 14.4.
    pub fn factor_for_share(self, share: f64, window: Duration) -> Result<f64> {
        if !share.is_finite() || share <= 0.0 || share > 1.0 {
            return Err(Error::field(
                "budget share",
                "must be a ratio in (0, 1]: 0.02 means 2 % of the budget",
            ));
        }
        if window.is_zero() {
            return Err(Error::field("window", "must be longer than zero, e.g. 1h"));
        }
        Ok(numeric::round_sig(
            share * self.period.seconds() / window.as_secs_f64(),
            12,
        ))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_decimal_comma_reads_as_a_decimal_point() {
        assert_eq!(
            Objective::parse("99,9").unwrap().ratio(),
            Objective::parse("99.9").unwrap().ratio()
        );
        assert_eq!(ErrorRatio::parse("0,5%").unwrap().ratio(), 0.005);
        assert_eq!(ErrorRatio::parse("0,005").unwrap().ratio(), 0.005);
        assert!(ErrorRatio::parse("0,5,1").is_err());
        assert!(Objective::parse("9,9.9").is_err());
    }

    use super::*;

    /// Checks that `result` is an error about `field` whose text mentions `want`.
    fn check_err<T: fmt::Debug>(input: &str, result: Result<T>, field: &str, want: &str) {
        match result {
            Err(err) => {
                assert_eq!(err.field, field, "{input:?}: {err}");
                assert!(
                    err.to_string().contains(want),
                    "{input:?}: error `{err}` should mention {want:?}"
                );
            }
            Ok(v) => panic!("{input:?}: got {v:?}, want an error about {field}"),
        }
    }

    #[test]
    fn the_named_constants_are_what_parsing_gives() {
        assert_eq!(Objective::parse("99.9"), Ok(Objective::THREE_NINES));
        assert_eq!(ErrorRatio::parse("0"), Ok(ErrorRatio::ZERO));
    }

    #[test]
    fn the_nines_scale_lands_on_familiar_objectives() {
        let at = |n: f64| Objective::from_nines(n).map(Objective::percent);
        assert_eq!(at(1.0), Ok(90.0));
        assert_eq!(at(3.0), Ok(99.9));
        assert_eq!(at(3.3), Ok(99.95));
        assert_eq!(at(5.0), Ok(99.999));
        assert_eq!(Objective::parse("99.9").map(Objective::nines), Ok(3.0));
        assert!(Objective::from_nines(f64::NAN).is_err());
    }

    #[test]
    fn bad_objectives_name_the_field() {
        for (input, want) in [
            ("", "objective: is empty"),
            ("%", "objective: is empty"),
            ("abc", "objective: `abc` is not a percentage"),
            ("100.1", "outside (0 %, 100 %]"),
            ("0", "outside"),
            ("-5", "outside"),
            ("NaN", "must be a number"),
            ("inf", "must be a number"),
        ] {
            check_err(input, Objective::parse(input), "objective", want);
        }
    }

    #[test]
    fn an_objective_reads_back_as_itself_from_how_it_is_shown() {
        // Found by the `budget` fuzz target: 99.8333… kept a budget with more digits than the
        // objective shown, so the shown objective read back as another one.
        for text in [
            "99.83333333333333333",
            "99.9",
            "99.9989",
            "99.99999999995",
            "12.3456789012345",
            "0.00000001",
            "100",
        ] {
            let o = Objective::parse(text).unwrap();
            let shown = format::decimal(o.percent());
            let back = Objective::parse(&shown).unwrap();
            assert_eq!(back, o, "{text} shown as {shown}");
        }
        assert_eq!(
            Objective::parse("99.9989").unwrap().budget_ratio(),
            0.000011
        );
    }

    #[test]
    fn objectives_accept_the_percent_sign() {
        for input in ["99.9", "99.9%", " 99.9 % "] {
            assert_eq!(
                Objective::parse(input).map(Objective::budget_ratio),
                Ok(0.001)
            );
        }
        assert_eq!(
            Objective::parse("100").map(Objective::has_zero_budget),
            Ok(true)
        );
    }

    #[test]
    fn bad_error_ratios_name_the_field() {
        for input in ["", "x", "-0.1", "1.5", "NaN", "inf", "150%"] {
            check_err(input, ErrorRatio::parse(input), "error ratio", "");
        }
        assert_eq!(ErrorRatio::parse("0.5%").map(ErrorRatio::ratio), Ok(0.005));
    }

    #[test]
    fn bad_periods_name_the_field() {
        check_err("0", Period::parse("0"), "period", "longer than zero");
        check_err("", Period::parse(""), "period", "empty");
        check_err("30", Period::parse("30"), "period", "no unit");
        check_err(
            "thirty",
            Period::parse("thirty"),
            "period",
            "not a duration",
        );
        assert_eq!(Period::parse("4w"), Ok(Period::DAYS_28));
    }

    #[test]
    fn request_rates_read_per_second_or_per_unit() {
        let rate = |t: &str| RequestRate::parse(t).map(RequestRate::value);
        assert_eq!(rate("1000"), Ok(1000.0));
        assert_eq!(rate("600/m"), Ok(10.0));
        assert_eq!(rate("7200/h"), Ok(2.0));
        for input in ["", "0", "-1", "NaN", "10/fortnight", "ten"] {
            check_err(input, RequestRate::parse(input), "requests per second", "");
        }
    }

    #[test]
    fn bad_burn_rates_name_the_field() {
        for value in [f64::NAN, -1.0, f64::INFINITY] {
            check_err("burn", BurnRate::new(value, "burn rate"), "burn rate", "");
        }
        let ninety = Objective::from_percent(90.0);
        let result = ninety.and_then(|o| BurnRate::new(14.4, "burn rate")?.error_ratio(o));
        check_err(
            "14.4 at 90",
            result,
            "burn rate",
            "fastest possible burn is 10×",
        );
    }

    #[test]
    fn shares_and_windows_are_checked() {
        let budget = ErrorBudget::new(
            Objective::from_percent(99.9).unwrap_or_else(|e| panic!("{e}")),
            Period::DAYS_30,
        );
        for share in [0.0, -0.1, 1.5, f64::NAN] {
            check_err(
                "share",
                budget.factor_for_share(share, Duration::from_hours(1)),
                "budget share",
                "",
            );
        }
        check_err(
            "window",
            budget.factor_for_share(0.02, Duration::default()),
            "window",
            "",
        );
    }

    proptest::proptest! {
        #[test]
        fn constructors_never_panic(x in proptest::num::f64::ANY, s in "\\PC{0,12}") {
            let _ = Objective::from_percent(x);
            let _ = Objective::from_ratio(x);
            let _ = Objective::from_nines(x);
            let _ = Objective::parse(&s);
            let _ = ErrorRatio::new(x);
            let _ = ErrorRatio::parse(&s);
            let _ = RequestRate::per_second(x);
            let _ = RequestRate::parse(&s);
            let _ = Period::parse(&s);
            if let Ok(b) = BurnRate::new(x, "burn rate") {
                for o in [0.9, 99.9, 100.0] {
                    if let Ok(o) = Objective::from_percent(o) {
                        let _ = b.error_ratio(o);
                    }
                }
            }
        }

        #[test]
        fn burn_rate_and_error_ratio_round_trip(percent in 50.0f64..99.9999, e in 0.0f64..=1.0) {
            let objective = Objective::from_percent(percent).unwrap_or_else(|e| panic!("{e}"));
            let errors = ErrorRatio::new(e).unwrap_or_else(|e| panic!("{e}"));
            let back = BurnRate::of(errors, objective).error_ratio(objective);
            let back = back.map(ErrorRatio::ratio).unwrap_or(f64::NAN);
            proptest::prop_assert!((back - e).abs() <= 1e-9 * e.max(1e-12), "{e} → {back}");
        }
    }
}
