//! Properties of the SLO math that hold for every input, not only the reference figures.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use burnlab::quality::{self, IncidentImpact, SingleFailure, TierQuality};
use burnlab::{
    BudgetInput, BudgetReport, Duration, ErrorBudget, ErrorRatio, Objective, Period, Preset,
    RequestRate, Scaling, Severity, Tier, TierSet,
};
use proptest::prelude::*;

/// A checked tier with windows between 1m and 10d, or `None` when the draw is invalid.
fn tier(long_min: u64, short_div: u64, factor: f64, for_min: u64) -> Option<Tier> {
    let long = Duration::from_mins(long_min);
    let short = Duration::from_millis(long.as_millis() / short_div.max(2));
    let for_duration = (for_min > 0).then(|| Duration::from_mins(for_min));
    Tier::new(Severity::Page, long, short, factor, for_duration).ok()
}

fn objective() -> impl Strategy<Value = Objective> {
    (1_000u32..=60_000u32).prop_map(|n| {
        Objective::from_nines(f64::from(n) / 10_000.0).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn period() -> impl Strategy<Value = Period> {
    (1u64..=400).prop_map(|d| Period::new(Duration::from_days(d)).unwrap_or_else(|e| panic!("{e}")))
}

/// Whether `a` and `b` agree to nine significant digits.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

proptest! {
    #[test]
    fn threshold_is_factor_times_budget(
        o in objective(), long in 1u64..14_400, div in 2u64..50, factor in 0.01f64..1000.0,
    ) {
        if let Some(t) = tier(long, div, factor, 0) {
            prop_assert!(same(t.threshold(o), factor * o.budget_ratio()));
            prop_assert_eq!(t.is_possible(o), t.threshold(o) <= 1.0);
        }
    }

    #[test]
    fn detection_time_falls_as_the_error_ratio_rises(
        o in objective(), p in period(), long in 1u64..14_400, div in 2u64..50,
        factor in 0.01f64..1000.0, for_min in 0u64..600, e1 in 0.0f64..=1.0, e2 in 0.0f64..=1.0,
    ) {
        let Some(t) = tier(long, div, factor, for_min) else { return Ok(()) };
        let (lo, hi) = if e1 <= e2 { (e1, e2) } else { (e2, e1) };
        let b = ErrorBudget::new(o, p);
        let q = |e: f64| TierQuality::new(&t, b, ErrorRatio::new(e).unwrap_or_else(|e| panic!("{e}")));
        let (slow, fast) = (q(lo), q(hi));
        if let Some(d_lo) = slow.detection_seconds {
            let d_hi = fast.detection_seconds;
            prop_assert!(d_hi.is_some(), "a higher error ratio fires whenever a lower one does");
            prop_assert!(d_hi.unwrap_or(f64::NAN) <= d_lo * (1.0 + 1e-12), "{lo} → {d_lo}, {hi} → {d_hi:?}");
        }
    }

    #[test]
    fn reset_is_within_the_short_window_and_grows_with_the_error_ratio(
        o in objective(), long in 1u64..14_400, div in 2u64..50,
        factor in 0.01f64..1000.0, e1 in 0.0f64..=1.0, e2 in 0.0f64..=1.0,
    ) {
        let Some(t) = tier(long, div, factor, 0) else { return Ok(()) };
        let (lo, hi) = if e1 <= e2 { (e1, e2) } else { (e2, e1) };
        let b = ErrorBudget::new(o, Period::DAYS_30);
        let reset = |e: f64| {
            TierQuality::new(&t, b, ErrorRatio::new(e).unwrap_or_else(|e| panic!("{e}"))).reset_seconds
        };
        if let (Some(r_lo), Some(r_hi)) = (reset(lo), reset(hi)) {
            prop_assert!(r_lo <= r_hi * (1.0 + 1e-12), "{lo} → {r_lo}, {hi} → {r_hi}");
            prop_assert!(r_hi <= t.short_window().as_secs_f64());
        }
    }

    #[test]
    fn budget_at_detection_is_factor_times_long_window_over_period(
        o in objective(), p in period(), long in 1u64..14_400, div in 2u64..50,
        factor in 0.01f64..1000.0, e in 0.0f64..=1.0,
    ) {
        let Some(t) = tier(long, div, factor, 0) else { return Ok(()) };
        let q = TierQuality::new(&t, ErrorBudget::new(o, p), ErrorRatio::new(e).unwrap_or_else(|e| panic!("{e}")));
        if let Some(spent) = q.budget_consumed_at_detection {
            let want = factor * t.long_window().as_secs_f64() / p.seconds();
            prop_assert!(same(spent, want), "{spent} vs {want}");
        }
    }

    #[test]
    fn scaling_by_budget_share_keeps_every_share(days in 1u64..400, which in 0usize..4) {
        let preset = Preset::ALL[which];
        let set = preset.tier_set();
        let p = Period::new(Duration::from_days(days)).unwrap_or_else(|e| panic!("{e}"));
        let scaled = set.scale_to(p, Scaling::KeepBudgetShare).unwrap_or_else(|e| panic!("{e}"));
        for (a, b) in set.tiers().iter().zip(scaled.tiers()) {
            prop_assert!(same(a.budget_share(set.period()), b.budget_share(p)));
            prop_assert_eq!(a.long_window(), b.long_window());
        }
    }

    #[test]
    fn nothing_in_the_core_panics_on_any_valid_input(
        percent in proptest::num::f64::ANY, days in proptest::num::u64::ANY, e in proptest::num::f64::ANY,
        rps in proptest::num::f64::ANY, span in proptest::num::u64::ANY, remaining in proptest::num::f64::ANY,
        which in 0usize..4, keep_factors in proptest::bool::ANY, points in proptest::num::u32::ANY,
    ) {
        let (Ok(o), Ok(p), Ok(e)) = (
            Objective::from_percent(percent),
            Period::new(Duration::from_millis(days)),
            ErrorRatio::new(e),
        ) else { return Ok(()) };
        let requests = RequestRate::per_second(rps).ok();
        let scaling = if keep_factors { Scaling::KeepFactors } else { Scaling::KeepBudgetShare };
        let input = BudgetInput {
            objective: o, period: p, errors: e, requests,
            tiers: Preset::ALL[which].tier_set(), scaling: Some(scaling),
        };
        if let Ok(report) = BudgetReport::compute(&input) {
            let text = format!("{report:?}");
            prop_assert!(!text.contains("NaN"), "{text}");
        }
        let b = ErrorBudget::new(o, p);
        let tiers = Preset::ALL[which].tier_set();
        let _ = quality::sweep(tiers.tiers(), b, points);
        let _ = IncidentImpact::new(b, tiers.tiers(), e, Duration::from_millis(span), remaining);
        if let Some(r) = requests {
            for t in tiers.tiers() {
                let _ = SingleFailure::new(t, b, r);
            }
        }
    }

    #[test]
    fn explanations_carry_no_float_noise(o in objective(), e in 0.0001f64..=1.0, rps in 0.0001f64..100_000.0) {
        let e = ErrorRatio::new(format_ratio(e)).unwrap_or_else(|e| panic!("{e}"));
        let mut input = BudgetInput::new(o, Period::DAYS_30, e);
        input.requests = RequestRate::per_second(rps).ok();
        let report = BudgetReport::compute(&input).unwrap_or_else(|e| panic!("{e}"));
        let all = report.explanations.iter().chain(report.tiers.iter().flat_map(|t| &t.explanations));
        for x in all {
            let text = x.to_string();
            prop_assert!(!noisy(&text), "{text}");
        }
    }
}

/// Whether a decimal fraction in `text` shows float noise: a run of eight 0s or 9s followed by
/// other digits (`0.0144000000001`, `0.09999999999432`).
fn noisy(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit() && c != '.')
        .any(|token| {
            token.split_once('.').is_some_and(|(_, fraction)| {
                ["00000000", "99999999"].iter().any(|run| {
                    fraction.find(run).is_some_and(|i| {
                        let digit = run.chars().next().unwrap_or('0');
                        fraction[i..]
                            .trim_start_matches(digit)
                            .chars()
                            .any(|c| c != digit)
                    })
                })
            })
        })
}

#[test]
fn the_noise_detector_detects_noise() {
    assert!(noisy("0.014400000000000001"));
    assert!(noisy("x = 0.09999999999999432 s"));
    assert!(!noisy("0.0144 and 2592000 and 0.000001 and 0.999999"));
}

/// An error ratio as a person types it: at most four significant digits.
fn format_ratio(e: f64) -> f64 {
    burnlab::numeric::round_sig(e, 4)
}

#[test]
fn a_custom_tier_set_scales_like_any_other() {
    let mine = Tier::parse("page", "2h", "10m", "10", "").unwrap_or_else(|e| panic!("{e}"));
    let set = TierSet::custom(Period::DAYS_30, vec![mine]).unwrap_or_else(|e| panic!("{e}"));
    let on_7d = set
        .scale_to(
            Period::parse("7d").unwrap_or_else(|e| panic!("{e}")),
            set.native_scaling(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        on_7d
            .tiers()
            .first()
            .map(|t| burnlab::format::decimal(t.factor()))
            .as_deref(),
        Some("2.33333333333")
    );
}
