//! Every figure of the SLO math reference (the SRE Workbook's "Alerting on SLOs" and the
//! alerting lesson), pinned. One `check` helper per feature; each case is a sentence.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use burnlab::quality::{self, IncidentImpact, SingleFailure, TierQuality};
use burnlab::tiers::{PYRRA_28D, SLOTH_30D, WORKBOOK, WORKBOOK_DAILY_TICKET};
use burnlab::{
    BudgetInput, BudgetReport, BurnRate, Duration, ErrorBudget, ErrorRatio, Objective, Period,
    Preset, RequestRate, Scaling, Tier, explain, format,
};

fn objective(text: &str) -> Objective {
    Objective::parse(text).unwrap()
}

fn errors(ratio: f64) -> ErrorRatio {
    ErrorRatio::new(ratio).unwrap()
}

fn duration(text: &str) -> Duration {
    Duration::parse(text, "duration").unwrap()
}

fn budget(slo: &str, period: &str) -> ErrorBudget {
    ErrorBudget::new(objective(slo), Period::parse(period).unwrap())
}

/// Asserts `got` is within a relative 1e-9 of `want`, for figures derived through division.
fn close(case: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
        "{case}: got {got}, want {want}"
    );
}

mod error_budget {
    use super::*;

    /// objective, period → budget ratio, budget as outage time as a person reads it.
    fn check(case: &str, slo: &str, period: &str, ratio: f64, outage: &str) {
        let b = budget(slo, period);
        assert_eq!(b.ratio(), ratio, "{case}");
        assert_eq!(format::human_duration(b.outage_seconds()), outage, "{case}");
    }

    #[test]
    fn budgets_in_ratio_and_time() {
        check(
            "99.9 % over 30 days allows 0.001 of requests, about 43 minutes",
            "99.9",
            "30d",
            0.001,
            "43.2 min",
        );
        check(
            "99.999 % over 30 days allows about 26 seconds of full outage",
            "99.999%",
            "30d",
            0.00001,
            "25.9 s",
        );
        check(
            "99 % over 28 days allows 6 h 43 min",
            "99",
            "28d",
            0.01,
            "6 h 43 min",
        );
        check(
            "a 100 % objective has no budget at all",
            "100",
            "30d",
            0.0,
            "0 s",
        );
    }

    #[test]
    fn the_budget_in_failed_requests_follows_the_request_rate() {
        let b = budget("99.9", "30d");
        assert_eq!(
            b.failed_requests(RequestRate::per_second(1000.0).unwrap()),
            2_592_000.0,
            "1000 requests a second for 30 days at 99.9 % may fail 2,592,000 of them"
        );
        assert_eq!(
            b.failed_requests(RequestRate::parse("10/h").unwrap()),
            7.2,
            "10 requests an hour for 30 days at 99.9 % may fail 7.2 of them"
        );
    }
}

mod burn_rate {
    use super::*;

    /// objective, error ratio → burn rate, time to exhaustion from a full budget over 30 days.
    fn check(case: &str, slo: &str, e: f64, burn: &str, gone_in: &str) {
        let r = BudgetReport::new(objective(slo), Duration::from_days(30), errors(e)).unwrap();
        assert_eq!(r.burn_rate_text(), burn, "{case}");
        assert_eq!(r.time_to_exhaustion_text(), gone_in, "{case}");
    }

    #[test]
    fn the_workbook_table_of_burn_rates_at_999() {
        check(
            "1× is 0.1 % errors and lasts the period",
            "99.9",
            0.001,
            "1×",
            "30 d",
        );
        check(
            "2× is 0.2 % errors and lasts 15 days",
            "99.9",
            0.002,
            "2×",
            "15 d",
        );
        check(
            "10× is 1 % errors and lasts 3 days",
            "99.9",
            0.01,
            "10×",
            "3 d",
        );
        check(
            "1000× is 100 % errors and lasts 43 minutes",
            "99.9",
            1.0,
            "1000×",
            "43.2 min",
        );
    }

    #[test]
    fn the_lessons_worked_examples() {
        check(
            "1.44 % errors at 99.9 % is 14.4×",
            "99.9",
            0.0144,
            "14.4×",
            "2 d 2 h",
        );
        check("0.6 % errors at 99.9 % is 6×", "99.9", 0.006, "6×", "5 d");
        check("0.1 % errors at 99.9 % is 1×", "99.9", 0.001, "1×", "30 d");
        check(
            "0.5 % errors at 99.9 % is 5×: the budget is gone in 6 days instead of 30",
            "99.9",
            0.005,
            "5×",
            "6 d",
        );
        check(
            "0.5 % errors at 99 % is 0.5×, not the lesson's 5×: the budget lasts 60 days",
            "99",
            0.005,
            "0.5×",
            "60 d",
        );
        check(
            "a full outage at 99.999 % exhausts 30 days of budget in about 26 seconds",
            "99.999",
            1.0,
            "100000×",
            "25.9 s",
        );
        check(
            "any error on a 100 % objective is an infinite burn, said in words",
            "100",
            0.0001,
            "∞×",
            "immediately: a 100 % objective has no budget, so every error breaks it",
        );
        check(
            "no errors on a 100 % objective burn nothing",
            "100",
            0.0,
            "0×",
            "never (nothing fails)",
        );
    }

    #[test]
    fn thirty_days_over_14_4_is_about_2_days_at_the_page_threshold() {
        let b = budget("99.9", "30d");
        let burn = BurnRate::new(14.4, "burn rate").unwrap();
        let days = b.time_to_exhaustion(burn).unwrap() / 86_400.0;
        assert_eq!(format::sig(days, 3), "2.08");
    }

    #[test]
    fn from_a_remaining_budget_exhaustion_comes_sooner() {
        let b = budget("99.9", "30d");
        let burn = BurnRate::new(5.0, "burn rate").unwrap();
        assert_eq!(b.time_to_exhaustion_from(0.5, burn), Some(3.0 * 86_400.0));
        assert_eq!(b.time_to_exhaustion_from(0.0, burn), Some(0.0));
    }

    #[test]
    fn burn_rates_turn_back_into_error_ratios() {
        for (case, slo, burn, e) in [
            ("14.4× at 99.9 % is 1.44 % errors", "99.9", 14.4, 0.0144),
            ("6× at 99.9 % is 0.6 % errors", "99.9", 6.0, 0.006),
            (
                "1000× at 99.9 % is every request failing",
                "99.9",
                1000.0,
                1.0,
            ),
            ("10× at 90 % is every request failing", "90", 10.0, 1.0),
        ] {
            let b = BurnRate::new(burn, "burn rate").unwrap();
            assert_eq!(
                b.error_ratio(objective(slo)).map(ErrorRatio::ratio),
                Ok(e),
                "{case}"
            );
        }
        let too_fast = BurnRate::new(14.4, "burn rate")
            .unwrap()
            .error_ratio(objective("90"));
        assert!(
            too_fast.is_err(),
            "14.4× at 90 % needs more than every request failing"
        );
    }
}

mod budget_consumed {
    use super::*;

    /// burn rate, duration → share of a 30-day budget.
    fn check(case: &str, burn: f64, span: &str, share: &str) {
        let b = budget("99.9", "30d");
        let spent = b.consumed_by(BurnRate::new(burn, "burn rate").unwrap(), duration(span));
        assert_eq!(format::percent_sig(spent, 3), share, "{case}");
    }

    #[test]
    fn burning_for_a_while_spends_a_share_of_the_budget() {
        check(
            "14.4× for 1 hour consumes 2 % of a 30-day budget",
            14.4,
            "1h",
            "2 %",
        );
        check("6× for 6 hours consumes 5 %", 6.0, "6h", "5 %");
        check("1× for 3 days consumes 10 %", 1.0, "3d", "10 %");
        check("3× for 1 day consumes 10 %", 3.0, "1d", "10 %");
        check(
            "1× for the whole period consumes all of it",
            1.0,
            "30d",
            "100 %",
        );
        check("nothing failing consumes nothing", 0.0, "30d", "0 %");
    }
}

mod factor {
    use super::*;

    /// share of budget, window, period → burn-rate factor.
    fn check(case: &str, share: f64, window: &str, period: &str, factor: f64) {
        let b = budget("99.9", period);
        assert_eq!(
            b.factor_for_share(share, duration(window)),
            Ok(factor),
            "{case}"
        );
    }

    #[test]
    fn factors_from_budget_shares() {
        check(
            "2 % in 1h over 30d is 0.02 × 720h / 1h = 14.4",
            0.02,
            "1h",
            "30d",
            14.4,
        );
        check("5 % in 6h over 30d is 6", 0.05, "6h", "30d", 6.0);
        check("10 % in 3d over 30d is 1", 0.1, "3d", "30d", 1.0);
        check("10 % in 1d over 30d is 3", 0.1, "1d", "30d", 3.0);
        check("2 % in 1h over 28d is 13.44", 0.02, "1h", "28d", 13.44);
    }

    /// factor, objective → threshold on the error ratio.
    fn check_threshold(case: &str, tier: Tier, slo: &str, threshold: f64, shown: &str) {
        assert_eq!(tier.threshold(objective(slo)), threshold, "{case}");
        assert_eq!(
            format::decimal(tier.threshold(objective(slo))),
            shown,
            "{case}"
        );
    }

    #[test]
    fn thresholds_are_factor_times_budget() {
        check_threshold(
            "14.4 × 0.001 = 0.0144",
            WORKBOOK[0],
            "99.9",
            0.0144,
            "0.0144",
        );
        check_threshold("6 × 0.001 = 0.006", WORKBOOK[1], "99.9", 0.006, "0.006");
        check_threshold("1 × 0.001 = 0.001", WORKBOOK[2], "99.9", 0.001, "0.001");
        check_threshold(
            "3 × 0.001 = 0.003",
            WORKBOOK_DAILY_TICKET,
            "99.9",
            0.003,
            "0.003",
        );
        check_threshold(
            "14.4 × 0.1 = 1.44 on a 90 % objective",
            WORKBOOK[0],
            "90",
            1.44,
            "1.44",
        );
        check_threshold(
            "every threshold is 0 on a 100 % objective",
            WORKBOOK[0],
            "100",
            0.0,
            "0",
        );
    }
}

mod tier_sets {
    use super::*;

    /// tier set on a period → (label, budget share as a percentage) per tier.
    fn check(
        case: &str,
        preset: Preset,
        period: &str,
        scaling: Option<Scaling>,
        want: &[(&str, &str)],
    ) {
        let set = preset.tier_set();
        let period = Period::parse(period).unwrap();
        let scaled = set
            .scale_to(period, scaling.unwrap_or(set.native_scaling()))
            .unwrap();
        let got: Vec<(String, String)> = scaled
            .tiers()
            .iter()
            .map(|t| (t.label(), format::percent_sig(t.budget_share(period), 3)))
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(l, s)| ((*l).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(got, want, "{case}");
    }

    #[test]
    fn the_workbook_tiers() {
        check(
            "the Workbook pages at 14.4 over 1h/5m and 6 over 6h/30m, tickets at 1 over 3d/6h",
            Preset::Workbook,
            "30d",
            None,
            &[
                ("page 1h/5m 14.4×", "2 %"),
                ("page 6h/30m 6×", "5 %"),
                ("ticket 3d/6h 1×", "10 %"),
            ],
        );
        check(
            "the Workbook's example configuration adds a 3× ticket over 1d/2h",
            Preset::WorkbookDaily,
            "30d",
            None,
            &[
                ("page 1h/5m 14.4×", "2 %"),
                ("page 6h/30m 6×", "5 %"),
                ("ticket 1d/2h 3×", "10 %"),
                ("ticket 3d/6h 1×", "10 %"),
            ],
        );
        for t in WORKBOOK.iter().chain([&WORKBOOK_DAILY_TICKET]) {
            assert_eq!(
                t.short_window().as_millis() * 12,
                t.long_window().as_millis(),
                "the short window is 1/12 of the long one: {}",
                t.label()
            );
        }
    }

    #[test]
    fn sloth_keeps_budget_shares_so_its_28d_factors_come_out_lower() {
        check(
            "Sloth 30d: 14.4, 6, 3, 1, no `for`",
            Preset::Sloth,
            "30d",
            None,
            &[
                ("page 1h/5m 14.4×", "2 %"),
                ("page 6h/30m 6×", "5 %"),
                ("ticket 1d/2h 3×", "10 %"),
                ("ticket 3d/6h 1×", "10 %"),
            ],
        );
        check(
            "Sloth 28d keeps 2 %, 5 %, 10 %, 10 %: 13.44, 5.6, 2.8, 0.9333",
            Preset::Sloth,
            "28d",
            None,
            &[
                ("page 1h/5m 13.44×", "2 %"),
                ("page 6h/30m 5.6×", "5 %"),
                ("ticket 1d/2h 2.8×", "10 %"),
                ("ticket 3d/6h 0.9333×", "10 %"),
            ],
        );
        assert!(SLOTH_30D.iter().all(|t| t.for_duration().is_none()));
    }

    #[test]
    fn pyrra_keeps_factors_so_its_windows_scale_with_the_period() {
        check(
            "Pyrra 28d: 14 and 7 critical, 2 and 1 warning, with `for`",
            Preset::Pyrra,
            "28d",
            None,
            &[
                ("page 1h/5m 14× for 2m", "2.08 %"),
                ("page 6h/30m 7× for 15m", "6.25 %"),
                ("ticket 1d/2h 2× for 1h", "7.14 %"),
                ("ticket 4d/6h 1× for 3h", "14.3 %"),
            ],
        );
        check(
            "Pyrra on 30d scales windows and `for` by 30/28, rounded to the minute",
            Preset::Pyrra,
            "30d",
            None,
            &[
                ("page 1h4m/5m 14× for 2m", "2.07 %"),
                ("page 6h26m/32m 7× for 16m", "6.25 %"),
                ("ticket 1d1h43m/2h9m 2× for 1h4m", "7.14 %"),
                ("ticket 4d6h51m/6h26m 1× for 3h13m", "14.3 %"),
            ],
        );
        assert_eq!(PYRRA_28D.len(), 4);
    }

    #[test]
    fn the_user_picks_how_a_set_moves_to_another_period() {
        check(
            "the Workbook on 28d keeping factors spends less budget before firing",
            Preset::Workbook,
            "28d",
            Some(Scaling::KeepFactors),
            &[
                ("page 56m/5m 14.4×", "2 %"),
                ("page 5h36m/28m 6×", "5 %"),
                ("ticket 2d19h12m/5h36m 1×", "10 %"),
            ],
        );
        check(
            "Pyrra on 30d keeping budget shares raises its factors instead",
            Preset::Pyrra,
            "30d",
            Some(Scaling::KeepBudgetShare),
            &[
                ("page 1h/5m 15× for 2m", "2.08 %"),
                ("page 6h/30m 7.5× for 15m", "6.25 %"),
                ("ticket 1d/2h 2.143× for 1h", "7.14 %"),
                ("ticket 4d/6h 1.071× for 3h", "14.3 %"),
            ],
        );
    }
}

mod alert_quality {
    use super::*;

    /// tier, objective, period, constant error ratio → detection, budget at detection, reset.
    fn check(
        case: &str,
        tier: Tier,
        slo: &str,
        period: &str,
        e: f64,
        want: Option<(f64, f64, f64)>,
    ) {
        let q = TierQuality::new(&tier, budget(slo, period), errors(e));
        match want {
            None => {
                assert_eq!(q.detection_seconds, None, "{case}");
                assert_eq!(q.reset_seconds, None, "{case}");
                assert!(!q.fires(), "{case}");
            }
            Some((detection, consumed, reset)) => {
                close(case, q.detection_seconds.unwrap(), detection);
                close(case, q.budget_consumed_at_detection.unwrap(), consumed);
                close(case, q.reset_seconds.unwrap(), reset);
            }
        }
    }

    #[test]
    fn detection_budget_and_reset_under_a_constant_error_ratio() {
        check(
            "15 % errors on the 1h/5m tier fire after 0.001 / 0.15 × 1h × 14.4 = 5.76 min and reset 4.52 min after",
            WORKBOOK[0],
            "99.9",
            "30d",
            0.15,
            Some((345.6, 0.02, 271.2)),
        );
        check(
            "a full outage fires the 1h/5m tier in 52 s",
            WORKBOOK[0],
            "99.9",
            "30d",
            1.0,
            Some((51.84, 0.02, 295.68)),
        );
        check(
            "a full outage fires the 6h/30m tier in about 2 minutes",
            WORKBOOK[1],
            "99.9",
            "30d",
            1.0,
            Some((129.6, 0.05, 1789.2)),
        );
        check(
            "exactly the threshold fires the 1h/5m tier after the whole long window",
            WORKBOOK[0],
            "99.9",
            "30d",
            0.0144,
            Some((3600.0, 0.02, 0.0)),
        );
        check(
            "0.5 % errors never fire the 14.4× tier",
            WORKBOOK[0],
            "99.9",
            "30d",
            0.005,
            None,
        );
        check(
            "0.5 % errors never fire the 6× tier",
            WORKBOOK[1],
            "99.9",
            "30d",
            0.005,
            None,
        );
        check(
            "0.5 % errors fire the 1× ticket after 14.4 h with 10 % of the budget gone",
            WORKBOOK[2],
            "99.9",
            "30d",
            0.005,
            Some((51_840.0, 0.1, 17_280.0)),
        );
        check(
            "`for` adds its time and the budget burnt meanwhile: Pyrra's 14× tier at 15 %",
            PYRRA_28D[0],
            "99.9",
            "28d",
            0.15,
            Some((456.0, 14.0 / 672.0 + 150.0 * 120.0 / 2_419_200.0, 272.0)),
        );
        check(
            "nothing failing fires nothing",
            WORKBOOK[0],
            "99.9",
            "30d",
            0.0,
            None,
        );
    }

    #[test]
    fn the_lessons_fifteen_percent_for_ten_minutes_fires_after_about_5_minutes_and_stops_about_5_after()
     {
        let incident = IncidentImpact::new(
            budget("99.9", "30d"),
            &WORKBOOK,
            errors(0.15),
            duration("10m"),
            1.0,
        )
        .unwrap();
        let page = &incident.alerts[0];
        assert!(page.fires);
        let fires = page.fires_after_seconds.unwrap();
        let stops = page.resolves_after_end_seconds.unwrap();
        assert!((fires - 300.0).abs() <= 60.0, "fires after ~5 min: {fires}");
        assert!((stops - 300.0).abs() <= 60.0, "stops ~5 min after: {stops}");
        assert_eq!(format::human_duration(fires), "5.76 min");
        assert_eq!(format::human_duration(stops), "4.52 min");
        assert!(
            !incident.alerts[1].fires,
            "10 minutes are too short for the 6h tier"
        );
        assert!(!incident.alerts[2].fires, "and for the 3d ticket");
    }

    /// objective → which Workbook tiers can fire at all.
    fn check_possible(case: &str, slo: &str, want: [bool; 3]) {
        let got = WORKBOOK.map(|t| t.is_possible(objective(slo)));
        assert_eq!(got, want, "{case}");
    }

    #[test]
    fn impossible_tiers() {
        check_possible(
            "at 90 % a full outage burns 10×, so the 14.4× tier can never fire",
            "90",
            [false, true, true],
        );
        check_possible(
            "at 93 % a full outage burns 14.3×: still impossible",
            "93",
            [false, true, true],
        );
        check_possible("at 99.9 % every tier can fire", "99.9", [true, true, true]);
        let q = TierQuality::new(&WORKBOOK[0], budget("90", "30d"), errors(1.0));
        assert!(!q.possible && !q.fires(), "not even a full outage fires it");
        let report =
            BudgetReport::new(objective("90"), Duration::from_days(30), errors(1.0)).unwrap();
        assert_eq!(
            report.warnings,
            [
                "The page 1h/5m 14.4× tier can never fire: it needs 144 % of events failing, and at 90 % even a full outage burns only 10×."
            ]
        );
    }

    #[test]
    fn a_100_percent_objective_fires_every_tier_on_the_first_error() {
        let q = TierQuality::new(&WORKBOOK[0], budget("100", "30d"), errors(0.0001));
        assert_eq!(q.detection_seconds, Some(0.0));
        assert_eq!(
            q.budget_consumed_at_detection, None,
            "all of no budget: infinite, not a number"
        );
        assert_eq!(
            q.reset_seconds,
            Some(300.0),
            "it stops once the short window has no error left"
        );
    }
}

mod low_traffic {
    use super::*;

    /// tier, request rate → burn of one failure over the long and the short window, whether it
    /// fires on one failure, and the rate per hour below which it does.
    fn check(case: &str, tier: Tier, rate: &str, want: (&str, &str, bool, &str)) {
        let f = SingleFailure::new(
            &tier,
            budget("99.9", "30d"),
            RequestRate::parse(rate).unwrap(),
        );
        assert_eq!(
            (
                format::sig(f.burn_long_window, 4).as_str(),
                format::sig(f.burn_short_window, 4).as_str(),
                f.fires_on_single_failure,
                format::rate(f.max_requests_per_second).as_str()
            ),
            want,
            "{case}"
        );
    }

    #[test]
    fn single_failures_at_low_traffic() {
        check(
            "at 10 requests an hour one failure is 1000× over the 5m window, where it is the only request, and 100× over 1h",
            WORKBOOK[0],
            "10/h",
            ("100", "1000", true, "69.4/h"),
        );
        check(
            "at 10 requests an hour one failure fires even the 3d ticket",
            WORKBOOK[2],
            "10/h",
            ("1.389", "16.67", true, "13.9/h"),
        );
        check(
            "at 1000 requests a second one failure is far from any threshold",
            WORKBOOK[0],
            "1000",
            ("0.0002778", "0.003333", false, "69.4/h"),
        );
    }

    #[test]
    fn one_failure_at_10_requests_an_hour_uses_13_9_percent_of_a_999_budget() {
        let share = quality::single_failure_budget_share(
            budget("99.9", "30d"),
            RequestRate::parse("10/h").unwrap(),
        );
        assert_eq!(format::percent_sig(share, 3), "13.9 %");
    }
}

mod incident {
    use super::*;

    /// remaining budget before, error ratio, duration → budget consumed, left, exhausted, when.
    fn check(case: &str, before: f64, e: f64, span: &str, want: (&str, &str, bool, Option<&str>)) {
        let i = IncidentImpact::new(
            budget("99.9", "30d"),
            &WORKBOOK,
            errors(e),
            duration(span),
            before,
        )
        .unwrap();
        let got = (
            format::percent_sig(i.budget_consumed.unwrap(), 3),
            format::percent_sig(i.budget_remaining, 3),
            i.exhausted,
            i.exhausted_after_seconds.map(format::human_duration),
        );
        assert_eq!(
            (got.0.as_str(), got.1.as_str(), got.2, got.3.as_deref()),
            want,
            "{case}"
        );
    }

    #[test]
    fn incidents_spend_budget_until_it_is_exhausted() {
        check(
            "15 % errors for 10 minutes spend 3.47 % of a fresh budget",
            1.0,
            0.15,
            "10m",
            ("3.47 %", "96.5 %", false, None),
        );
        check(
            "a full outage of 43.2 minutes spends the whole budget",
            1.0,
            1.0,
            "43m12s",
            ("100 %", "0 %", true, Some("43.2 min")),
        );
        check(
            "with 2 % left, 15 % errors exhaust the budget after 5.76 minutes: budget exhausted",
            0.02,
            0.15,
            "10m",
            ("3.47 %", "0 %", true, Some("5.76 min")),
        );
        check(
            "no errors spend nothing",
            1.0,
            0.0,
            "1h",
            ("0 %", "100 %", false, None),
        );
    }

    #[test]
    fn the_incident_explains_the_budget_left() {
        let b = budget("99.9", "30d");
        let fresh = explain::budget_after_incident(b, errors(0.15), duration("10m"), 1.0).unwrap();
        assert_eq!(
            fresh.to_string(),
            "budget after the incident: remaining budget − burn rate × duration / period = 100 % − 150 × 10m / 30d → 96.5 % of the budget left"
        );
        let spent = explain::budget_after_incident(b, errors(0.15), duration("10m"), 0.02).unwrap();
        assert_eq!(
            spent.result,
            "0 %: budget exhausted after 5.76 min; the objective is broken for this period, so releases stop and the work goes to reliability until the budget recovers"
        );
    }

    #[test]
    fn a_remaining_budget_outside_zero_to_one_is_refused() {
        for before in [-0.1, 1.5, f64::NAN] {
            let r = IncidentImpact::new(
                budget("99.9", "30d"),
                &WORKBOOK,
                errors(0.1),
                duration("1h"),
                before,
            );
            assert_eq!(r.map_err(|e| e.field), Err("remaining budget".into()));
        }
    }
}

mod sweep {
    use super::*;

    #[test]
    fn detection_time_against_error_ratio_for_a_log_log_chart() {
        let s = quality::sweep(&WORKBOOK, budget("99.9", "30d"), 10);
        assert_eq!(
            s.error_ratios.first(),
            Some(&0.0001),
            "a decade below the lowest threshold"
        );
        assert_eq!(s.error_ratios.last(), Some(&1.0));
        assert!(s.error_ratios.windows(2).all(|w| w[0] < w[1]));
        for t in [0.0144, 0.006, 0.001] {
            assert!(
                s.error_ratios.contains(&t),
                "every threshold is on the grid: {t}"
            );
        }
        assert_eq!(s.series.len(), 3);
        let page = &s.series[0];
        assert_eq!(page.label, "page 1h/5m 14.4×");
        let at = |e: f64| {
            let i = s.error_ratios.iter().position(|x| *x == e).unwrap();
            page.detection_seconds[i]
        };
        assert_eq!(at(0.01), None, "below the threshold it never fires");
        assert_eq!(at(0.0144), Some(3600.0));
        assert_eq!(at(1.0), Some(51.84));
    }
}

mod explanations {
    use super::*;

    /// an explanation → how it reads.
    fn check(case: &str, got: burnlab::Explanation, want: &str) {
        assert_eq!(got.to_string(), want, "{case}");
    }

    #[test]
    fn every_figure_explains_itself_with_the_users_numbers() {
        let b = budget("99.9", "30d");
        let o = objective("99.9");
        check(
            "the error budget",
            explain::error_budget(o),
            "error budget: 1 − SLO = 1 − 0.999 → 0.001 (0.1 % of events may fail)",
        );
        check(
            "the budget as time",
            explain::budget_time(b),
            "budget as full outage: (1 − SLO) × period = 0.001 × 30d → 43.2 min",
        );
        check(
            "the burn rate",
            explain::burn_rate(errors(0.005), o),
            "burn rate: error ratio / (1 − SLO) = 0.005 / 0.001 → 5×",
        );
        check(
            "the burn rate at 99 %, where the lesson says 5×",
            explain::burn_rate(errors(0.005), objective("99")),
            "burn rate: error ratio / (1 − SLO) = 0.005 / 0.01 → 0.5×",
        );
        check(
            "the time to exhaustion",
            explain::time_to_exhaustion(b, errors(0.005)),
            "budget gone in: period / burn rate = 30d / 5 → 6 d",
        );
        check(
            "the factor",
            explain::factor_for_share(b, 0.02, duration("1h")),
            "burn-rate factor: share of budget × period / window = 2 % × 30d / 1h → 14.4×",
        );
        check(
            "the threshold",
            explain::threshold(&WORKBOOK[0], o),
            "threshold: factor × (1 − SLO) = 14.4 × 0.001 → 0.0144 (1.44 % of events failing)",
        );
        check(
            "the detection time",
            explain::detection(&WORKBOOK[0], b, errors(0.15)),
            "detection time: (1 − SLO) / e × long window × factor + for = 0.001 / 0.15 × 1h × 14.4 → 5.76 min: the 1h window reaches the threshold after 5.76 min (the 5m window after 28.8 s)",
        );
        check(
            "a tier that does not fire says why",
            explain::detection(&WORKBOOK[0], b, errors(0.005)),
            "detection time: (1 − SLO) / e × long window × factor + for = 0.001 / 0.005 × 1h × 14.4 → never: it needs an error ratio of at least 0.0144, and it is 0.005",
        );
        check(
            "the budget at detection",
            explain::budget_at_detection(&WORKBOOK[0], b, errors(0.15)),
            "budget spent at detection: factor × long window / period = 14.4 × 1h / 30d → 2 % of the budget",
        );
        check(
            "the reset time",
            explain::reset(&WORKBOOK[0], b, errors(0.15)),
            "reset time: short window × (1 − threshold / e) = 5m × (1 − 0.0144 / 0.15) → 4.52 min after the errors stop",
        );
        check(
            "one failure's share of the budget",
            explain::single_failure_share(b, RequestRate::parse("10/h").unwrap()),
            "budget spent by one failure: 1 / ((1 − SLO) × requests per second × period) = 1 / (0.001 × 10/h × 30d) → 13.9 % of the budget",
        );
        check(
            "a 100 % objective says infinite burn in words",
            explain::burn_rate(errors(0.001), objective("100")),
            "burn rate: error ratio / (1 − SLO) = 0.001 / 0 → ∞×: a 100 % objective has no budget, so every error is an infinite burn",
        );
        check(
            "a 100 % objective's threshold is any failure",
            explain::threshold(&WORKBOOK[0], objective("100")),
            "threshold: factor × (1 − SLO) = 14.4 × 0 → 0: a 100 % objective has no budget, so a single failed event reaches it",
        );
        check(
            "an impossible tier says so",
            explain::threshold(&WORKBOOK[0], objective("90")),
            "threshold: factor × (1 − SLO) = 14.4 × 0.1 → 1.44, above 100 %: this tier can never fire, since even a full outage burns only 10×",
        );
    }

    #[test]
    fn the_full_report_carries_explanations_for_every_tier() {
        let mut input = BudgetInput::new(objective("99.9"), Period::DAYS_30, errors(0.005));
        input.requests = Some(RequestRate::per_second(1000.0).unwrap());
        let r = BudgetReport::compute(&input).unwrap();
        assert_eq!(r.explanations.len(), 6);
        assert!(r.tiers.iter().all(|t| t.explanations.len() == 7));
    }
}
