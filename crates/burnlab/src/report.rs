//! The calculator's full set of figures for one objective, period, error ratio, request rate and
//! tier set: what the calculator shows and what `burnlab budget` prints or serializes. Field names are
//! the CLI's documented JSON keys, so renaming one is a breaking change.

use serde::Serialize;

use crate::duration::Duration;
use crate::error::Result;
use crate::explain::{self, Explanation};
use crate::format;
use crate::quality::{self, SingleFailure, TierQuality};
use crate::slo::{BurnRate, ErrorBudget, ErrorRatio, Objective, Period, RequestRate};
use crate::tiers::{Preset, Scaling, Severity, Tier, TierSet};

/// Everything the report is computed from, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetInput {
    /// The objective.
    pub objective: Objective,
    /// The period the budget covers.
    pub period: Period,
    /// The observed (or imagined) constant error ratio.
    pub errors: ErrorRatio,
    /// The steady request rate, for the figures in requests and at low traffic.
    pub requests: Option<RequestRate>,
    /// The tiers, as written for their own period.
    pub tiers: TierSet,
    /// How to move the tiers to `period`; `None` does what the tier set's own tool does.
    pub scaling: Option<Scaling>,
}

impl BudgetInput {
    /// The input with the Workbook's tiers and no request rate.
    pub fn new(objective: Objective, period: Period, errors: ErrorRatio) -> Self {
        Self {
            objective,
            period,
            errors,
            requests: None,
            tiers: Preset::Workbook.tier_set(),
            scaling: None,
        }
    }

    /// The scaling in effect: the one picked, or the tier set's own tool's.
    pub fn effective_scaling(&self) -> Scaling {
        self.scaling.unwrap_or_else(|| self.tiers.native_scaling())
    }

    /// The tiers moved to this input's period with the scaling in effect: what every figure,
    /// chart and generated rule is computed from.
    pub fn scaled_tiers(&self) -> Result<TierSet> {
        self.tiers.scale_to(self.period, self.effective_scaling())
    }
}

/// The headline figures, every tier's quality, warnings and explanations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// The objective as a percentage, e.g. 99.9.
    pub objective_percent: f64,
    /// The period in Prometheus syntax, e.g. `30d`.
    pub period: String,
    /// 1 − objective, e.g. 0.001.
    pub error_budget_ratio: f64,
    /// The budget as seconds of full outage over the period, e.g. 2592.
    pub budget_seconds: f64,
    /// Whether the objective is 100 %: no budget, every error an infinite burn.
    pub zero_budget: bool,
    /// The observed error ratio, e.g. 0.005.
    pub error_ratio: f64,
    /// error ratio / budget ratio; `null` when infinite (a zero budget and some errors).
    pub burn_rate: Option<f64>,
    /// Seconds until a full budget is gone at that burn rate; `null` when nothing fails, 0 on a
    /// zero budget with errors.
    pub time_to_exhaustion_seconds: Option<f64>,
    /// The request rate per second, when given.
    pub requests_per_second: Option<f64>,
    /// Failed requests the budget allows over the period at that rate; `null` without a rate.
    pub budget_failed_requests: Option<f64>,
    /// Share of the budget one failed request spends; `null` without a rate or on a zero budget.
    pub single_failure_budget_share: Option<f64>,
    /// The tier set's name: `workbook`, `sloth`, `pyrra`, `custom`.
    pub tier_set: String,
    /// Where the tier set's numbers come from.
    pub tier_source: String,
    /// The period the tier set was written for, e.g. `28d` for Pyrra.
    pub tier_period: String,
    /// How the tiers were moved to this period: `budget-share` or `factors`.
    pub scaling: Scaling,
    /// One entry per tier, fastest first.
    pub tiers: Vec<TierReport>,
    /// Things a person should not miss: a zero budget, impossible tiers, tiers that fire on one
    /// failure.
    pub warnings: Vec<String>,
    /// How the headline figures are computed.
    pub explanations: Vec<Explanation>,
}

/// One tier's figures in a [`BudgetReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierReport {
    /// `page 1h/5m 14.4×`.
    pub label: String,
    /// `page` or `ticket`.
    pub severity: Severity,
    /// The long window, e.g. `1h`.
    pub long_window: Duration,
    /// The short window, e.g. `5m`.
    pub short_window: Duration,
    /// The `for` duration, or `null`.
    #[serde(rename = "for")]
    pub for_duration: Option<Duration>,
    /// The burn-rate factor on this period, e.g. 14.4.
    pub factor: f64,
    /// factor × (1 − objective): the error ratio both windows must reach, e.g. 0.0144.
    pub threshold: f64,
    /// Whether any error ratio can reach the threshold.
    pub possible: bool,
    /// Share of the budget spent by the time it fires (without `for`): factor × long window /
    /// period, e.g. 0.02.
    pub budget_share: f64,
    /// Seconds until it fires at the given error ratio, `for` included; `null` when it never fires
    /// at it.
    pub detection_seconds: Option<f64>,
    /// Seconds until the long window's ratio reaches the threshold; `null` when it never does.
    pub long_window_detection_seconds: Option<f64>,
    /// Seconds until the short window's ratio reaches the threshold; `null` when it never does.
    pub short_window_detection_seconds: Option<f64>,
    /// Share of the budget spent when it fires at the given error ratio, `for` included; `null`
    /// when it never fires at it or the budget is zero.
    pub budget_consumed_at_detection: Option<f64>,
    /// Seconds from the end of the errors until it stops firing; `null` when it never fires.
    pub reset_seconds: Option<f64>,
    /// Burn over the long window caused by one failed request; `null` without a request rate or on
    /// a zero budget.
    pub single_failure_burn: Option<f64>,
    /// Whether one failed request alone fires it; `null` without a request rate.
    pub fires_on_single_failure: Option<bool>,
    /// The request rate per second at or below which one failure alone fires it; `null` without a
    /// request rate, on a zero budget (any rate), and 0 for an impossible tier.
    pub single_failure_max_requests_per_second: Option<f64>,
    /// What makes no sense about this tier on this objective and period, one sentence each,
    /// for the tier's own row: it can never fire, it fires below a 1× burn (the budget would
    /// outlast the period), it spends more than the whole budget before it can fire, or its long
    /// window reaches past the period.
    pub problems: Vec<String>,
    /// How each of the figures above is computed.
    pub explanations: Vec<Explanation>,
}

/// What makes no sense about `tier` on `budget`, one sentence each.
fn tier_problems(tier: &Tier, budget: ErrorBudget, threshold: f64, share: f64) -> Vec<String> {
    let objective = budget.objective();
    let period = budget.period();
    let mut problems = Vec::new();
    if threshold > 1.0 {
        problems.push(format!(
            "It can never fire: it needs {} of events failing, and at {} even a full outage \
             burns only {}.",
            format::percent_sig(threshold, 4),
            format::percent(objective.ratio()),
            format::times(BurnRate::max_for(objective).value()),
        ));
    } else if tier.factor() < 1.0 {
        problems.push(format!(
            "It fires at a burn rate of {}, below 1×: at that rate the budget outlasts the {} \
             period, so there is nothing to {} about.",
            format::times(tier.factor()),
            period,
            tier.severity(),
        ));
    } else if share > 1.0 {
        problems.push(format!(
            "It spends {} of the budget before it can fire: the objective is broken before \
             anyone hears of it. Lower the factor or shorten the long window.",
            format::percent_sig(share, 3),
        ));
    }
    if let Some(f) = tier.for_duration()
        && f > tier.short_window()
    {
        problems.push(format!(
            "Its `for` of {f} is longer than its {} short window: an incident that ends is \
             forgotten by the short window before `for` runs out, so shorter ones never fire it.",
            tier.short_window(),
        ));
    }
    if tier.long_window() > period.duration() {
        problems.push(format!(
            "Its {} long window is longer than the {} period: it watches errors the budget \
             has already forgotten.",
            tier.long_window(),
            period,
        ));
    }
    problems
}

/// What makes no sense about a tier beside the others of its set: the same tier twice, and a
/// ticket that only fires at burn rates some page already fires at (it would come after the
/// page, or with it, never before).
fn set_problems(tiers: &[Tier], reports: &mut [TierReport]) {
    for (i, tier) in tiers.iter().enumerate() {
        let mut found = Vec::new();
        if let Some(j) = tiers
            .get(..i)
            .and_then(|before| before.iter().position(|t| t == tier))
        {
            found.push(format!(
                "It is the same tier as row {}: it adds a second alert for every one the first \
                 raises, and nothing else. Remove one of them.",
                j + 1
            ));
        }
        if tier.severity() == Severity::Ticket {
            let paged_below = tiers
                .iter()
                .filter(|t| t.severity() == Severity::Page && t.factor() <= tier.factor())
                .min_by(|a, b| a.factor().total_cmp(&b.factor()));
            if let Some(page) = paged_below {
                found.push(format!(
                    "It is a ticket at {}, at or above the {} tier: every burn that opens \
                     it already pages, so it is never the first to tell. A ticket is for the \
                     slow burns below the pages' factors.",
                    format::times(tier.factor()),
                    page.label(),
                ));
            }
        }
        if let Some(r) = reports.get_mut(i) {
            r.problems.extend(found);
        }
    }
}

impl TierReport {
    /// The figures for `tier` on `budget` under `errors`, at `requests` when known.
    pub fn new(
        tier: &Tier,
        budget: ErrorBudget,
        errors: ErrorRatio,
        requests: Option<RequestRate>,
    ) -> Self {
        let objective = budget.objective();
        let q = TierQuality::new(tier, budget, errors);
        let single = requests.map(|r| SingleFailure::new(tier, budget, r));
        let mut explanations = vec![
            explain::factor_for_share(budget, q.budget_share, tier.long_window()),
            explain::threshold(tier, objective),
            explain::detection(tier, budget, errors),
            explain::budget_at_detection(tier, budget, errors),
            explain::reset(tier, budget, errors),
        ];
        if let Some(r) = requests {
            explanations.push(explain::single_failure_burn(tier, budget, r));
            explanations.push(explain::single_failure_rate(tier, budget, r));
        }
        let problems = tier_problems(tier, budget, q.threshold, q.budget_share);
        Self {
            label: tier.label(),
            severity: tier.severity(),
            long_window: tier.long_window(),
            short_window: tier.short_window(),
            for_duration: tier.for_duration(),
            factor: tier.factor(),
            threshold: q.threshold,
            possible: q.possible,
            budget_share: q.budget_share,
            detection_seconds: q.detection_seconds,
            long_window_detection_seconds: q.long_window_seconds,
            short_window_detection_seconds: q.short_window_seconds,
            budget_consumed_at_detection: q.budget_consumed_at_detection,
            reset_seconds: q.reset_seconds,
            single_failure_burn: single
                .as_ref()
                .map(|s| s.burn_long_window)
                .filter(|b| b.is_finite()),
            fires_on_single_failure: single.as_ref().map(|s| s.fires_on_single_failure),
            single_failure_max_requests_per_second: single
                .as_ref()
                .map(|s| s.max_requests_per_second)
                .filter(|r| r.is_finite()),
            problems,
            explanations,
        }
    }

    /// The detection time as a person reads it: `5.76 min`, or `never`.
    pub fn detection_text(&self) -> String {
        self.detection_seconds
            .map_or_else(|| "never".into(), format::human_duration)
    }

    /// The reset time as a person reads it: `4.52 min`, or `—` when it never fires.
    pub fn reset_text(&self) -> String {
        self.reset_seconds
            .map_or_else(|| "—".into(), format::human_duration)
    }
}

impl BudgetReport {
    /// The figures for `objective` over `period` at `errors`, with the Workbook's tiers. The
    /// period is checked here so callers holding a parsed [`Duration`] need no other step.
    pub fn new(objective: Objective, period: Duration, errors: ErrorRatio) -> Result<Self> {
        Self::compute(&BudgetInput::new(objective, Period::new(period)?, errors))
    }

    /// All the figures for `input`.
    pub fn compute(input: &BudgetInput) -> Result<Self> {
        let objective = input.objective;
        let budget = ErrorBudget::new(objective, input.period);
        let burn = BurnRate::of(input.errors, objective);
        let scaling = input.effective_scaling();
        let tiers = input.scaled_tiers()?;

        let mut explanations = vec![
            explain::error_budget(objective),
            explain::budget_time(budget),
        ];
        if let Some(r) = input.requests {
            explanations.push(explain::budget_requests(budget, r));
        }
        explanations.push(explain::burn_rate(input.errors, objective));
        explanations.push(explain::time_to_exhaustion(budget, input.errors));
        if let Some(r) = input.requests {
            explanations.push(explain::single_failure_share(budget, r));
        }

        let mut tier_reports: Vec<TierReport> = tiers
            .tiers()
            .iter()
            .map(|t| TierReport::new(t, budget, input.errors, input.requests))
            .collect();
        set_problems(tiers.tiers(), &mut tier_reports);

        let mut warnings = Vec::new();
        if objective.has_zero_budget() {
            warnings.push(format!(
                "{}. Every tier here fires on the first error.",
                crate::slo::ZERO_BUDGET
            ));
        }
        if input.tiers.period() != input.period {
            warnings.push(format!(
                "The {} tiers are written for {}; on {} they {}.",
                tiers.title(),
                input.tiers.period(),
                input.period,
                match scaling {
                    Scaling::KeepBudgetShare =>
                        "keep their windows and budget shares, so the factors change",
                    Scaling::KeepFactors => "keep their factors, so the windows scale",
                }
            ));
        }
        for t in &tier_reports {
            // The row's own sentences, prefixed with the tier so they stand alone in a list.
            for p in &t.problems {
                let rest = p
                    .strip_prefix("It ")
                    .map(|r| format!("tier {r}"))
                    .or_else(|| p.strip_prefix("Its ").map(|r| format!("tier's {r}")))
                    .unwrap_or_else(|| format!("tier: {p}"));
                warnings.push(format!("The {} {rest}", t.label));
            }
            if let (Some(true), Some(r)) = (t.fires_on_single_failure, input.requests) {
                warnings.push(format!(
                    "At {}, one failed request alone fires the {} tier.",
                    format::rate(r.value()),
                    t.label
                ));
            }
        }

        let single_share = input
            .requests
            .map(|r| quality::single_failure_budget_share(budget, r))
            .filter(|s| s.is_finite());
        Ok(Self {
            objective_percent: objective.percent(),
            period: input.period.to_string(),
            error_budget_ratio: budget.ratio(),
            budget_seconds: budget.outage_seconds(),
            zero_budget: objective.has_zero_budget(),
            error_ratio: input.errors.ratio(),
            burn_rate: (!burn.is_infinite()).then_some(burn.value()),
            time_to_exhaustion_seconds: budget.time_to_exhaustion(burn),
            requests_per_second: input.requests.map(RequestRate::value),
            budget_failed_requests: input.requests.map(|r| budget.failed_requests(r)),
            single_failure_budget_share: single_share,
            tier_set: tiers.name().to_owned(),
            tier_source: tiers.source().to_owned(),
            tier_period: input.tiers.period().to_string(),
            scaling,
            tiers: tier_reports,
            warnings,
            explanations,
        })
    }

    /// The burn rate as a person reads it: `5×`, `0.5×`, `∞×`.
    pub fn burn_rate_text(&self) -> String {
        match self.burn_rate {
            Some(b) => format::times(b),
            None => "∞×".into(),
        }
    }

    /// The time to exhaustion as a figure and, where the figure alone would mislead, a note:
    /// `("6 d", None)`, `("never", Some("nothing fails"))`, `("immediately", Some("a 100 %
    /// objective has no budget: every error breaks it"))`. A front shows the note in small type
    /// beneath the figure.
    pub fn time_to_exhaustion_parts(&self) -> (String, Option<String>) {
        match self.time_to_exhaustion_seconds {
            None => ("never".into(), Some("nothing fails".into())),
            Some(0.0) => (
                "immediately".into(),
                Some("a 100 % objective has no budget: every error breaks it".into()),
            ),
            Some(s) => (format::human_duration(s), None),
        }
    }

    /// The time to exhaustion as a person reads it.
    pub fn time_to_exhaustion_text(&self) -> String {
        match self.time_to_exhaustion_seconds {
            None => "never (nothing fails)".into(),
            Some(0.0) => {
                "immediately: a 100 % objective has no budget, so every error breaks it".into()
            }
            Some(s) => format::human_duration(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(objective: &str, period: &str, errors: &str, tiers: TierSet) -> BudgetReport {
        let input = BudgetInput {
            objective: Objective::parse(objective).unwrap_or(Objective::THREE_NINES),
            period: Period::parse(period).unwrap_or(Period::DAYS_30),
            errors: ErrorRatio::parse(errors).unwrap_or(ErrorRatio::ZERO),
            requests: None,
            tiers,
            scaling: None,
        };
        BudgetReport::compute(&input).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Checks each tier's problems against `want`, one list of fragments per tier.
    fn check_problems(r: &BudgetReport, want: &[&[&str]]) {
        assert_eq!(r.tiers.len(), want.len());
        for (t, fragments) in r.tiers.iter().zip(want) {
            assert_eq!(
                t.problems.len(),
                fragments.len(),
                "{}: {:?}",
                t.label,
                t.problems
            );
            for (p, f) in t.problems.iter().zip(fragments.iter()) {
                assert!(p.contains(f), "{}: {p:?} lacks {f:?}", t.label);
            }
        }
    }

    #[test]
    fn workbook_tiers_on_a_1h_period_say_what_makes_no_sense_on_each_row() {
        let r = report("99.9", "1h", "0.005", Preset::Workbook.tier_set());
        check_problems(
            &r,
            &[
                &["burn rate of 0.02×, below 1×"],
                &[
                    "0.008333×, below 1×",
                    "6h long window is longer than the 1h period",
                ],
                &[
                    "0.001389×, below 1×",
                    "3d long window is longer than the 1h period",
                ],
            ],
        );
        assert!(r.warnings.iter().any(|w| w.starts_with(
            "The page 6h/30m 0.008333× tier's 6h long window is longer than the 1h period"
        )));
    }

    #[test]
    fn a_tier_spending_more_than_the_budget_before_it_fires_is_flagged() {
        let slow = Tier::parse_on(Period::DAYS_30, "ticket", "3d", "6h", "13.1", "");
        let set = slow.and_then(|t| TierSet::custom(Period::DAYS_30, vec![t]));
        let r = report(
            "99.9",
            "30d",
            "0.005",
            set.unwrap_or_else(|e| panic!("{e}")),
        );
        check_problems(&r, &[&["spends 131 % of the budget before it can fire"]]);
    }

    #[test]
    fn a_duplicate_tier_a_ticket_above_a_page_and_a_long_for_are_each_flagged() {
        let tier = |sev: &str, long: &str, short: &str, factor: &str, for_: &str| {
            Tier::parse_on(Period::DAYS_30, sev, long, short, factor, for_)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let set = TierSet::custom(
            Period::DAYS_30,
            vec![
                tier("page", "1h", "5m", "14.4", ""),
                tier("page", "1h", "5m", "14.4", ""),
                tier("ticket", "6h", "30m", "20", ""),
                tier("ticket", "3d", "6h", "1", "12h"),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = report("99.9", "30d", "0.005", set);
        check_problems(
            &r,
            &[
                &[],
                &["is the same tier as row 1"],
                &["a ticket at 20×, at or above the page 1h/5m 14.4× tier"],
                &["`for` of 12h is longer than its 6h short window"],
            ],
        );
    }

    #[test]
    fn the_workbook_on_its_own_terms_has_no_problems() {
        let r = report("99.9", "30d", "0.005", Preset::Workbook.tier_set());
        check_problems(&r, &[&[], &[], &[]]);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn impossible_tiers_say_so_on_the_row_and_in_the_warnings() {
        let r = report("90", "30d", "0.005", Preset::Workbook.tier_set());
        check_problems(
            &r,
            &[
                &["can never fire: it needs 144 % of events failing"],
                &[],
                &[],
            ],
        );
        assert_eq!(
            r.warnings,
            [
                "The page 1h/5m 14.4× tier can never fire: it needs 144 % of events failing, and \
              at 90 % even a full outage burns only 10×."
            ]
        );
    }

    #[test]
    fn warnings_name_tier_sets_as_people_know_them() {
        let r = report("99.9", "30d", "0.005", Preset::WorkbookDaily.tier_set());
        assert!(r.warnings.is_empty());
        let r = report("99.9", "30d", "0.005", Preset::Pyrra.tier_set());
        assert_eq!(
            r.warnings,
            [
                "The Pyrra tiers are written for 28d; on 30d they keep their factors, so the \
              windows scale."
            ]
        );
    }

    #[test]
    fn time_to_exhaustion_is_a_figure_with_a_note_where_needed() {
        let parts = |o: &str, e: &str| {
            report(o, "30d", e, Preset::Workbook.tier_set()).time_to_exhaustion_parts()
        };
        assert_eq!(parts("99.9", "0.005"), ("6 d".into(), None));
        assert_eq!(
            parts("99.9", "0"),
            ("never".into(), Some("nothing fails".into()))
        );
        let (figure, note) = parts("100", "0.005");
        assert_eq!(figure, "immediately");
        assert!(note.is_some_and(|n| n.contains("no budget")));
    }
}
