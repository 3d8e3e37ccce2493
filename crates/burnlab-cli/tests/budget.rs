//! `burnlab budget`, run as a person runs it: the built binary, its table, its JSON, its errors.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use burnlab_testkit::cli::{Cli, assert_in_order};
use serde_json::{Value, json};

/// Runs `burnlab budget ARGS` and returns (exit code, stdout, stderr).
fn budget(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["budget"];
    all.extend_from_slice(args);
    Cli::new(env!("CARGO_BIN_EXE_burnlab")).run(&all)
}

/// The table for ARGS contains every line fragment of `want`, in order.
fn check_table(case: &str, args: &[&str], want: &[&str]) {
    let (code, out, err) = budget(args);
    assert_eq!(code, 0, "{case}: {err}");
    assert_in_order(case, &out, want);
}

/// The JSON for ARGS has `want` at each JSON pointer.
fn check_json(case: &str, args: &[&str], want: &[(&str, Value)]) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = budget(&all);
    assert_eq!(code, 0, "{case}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    for (pointer, expected) in want {
        assert_eq!(
            v.pointer(pointer),
            Some(expected),
            "{case}: {pointer} in\n{out}"
        );
    }
}

/// ARGS fail with exit code 2 and a message naming `field`.
fn check_error(case: &str, args: &[&str], field: &str) {
    let (code, out, err) = budget(args);
    assert_eq!(code, 2, "{case}: stdout {out}");
    assert!(
        err.starts_with(&format!("burnlab: {field}: ")),
        "{case}: {err:?} should name {field}"
    );
}

#[test]
fn the_table_shows_figures_tiers_and_explanations() {
    check_table(
        "0.5 % errors at 99.9 % burn 5× and the ticket tier catches them in 14 h 24 min",
        &["--objective", "99.9", "--error-ratio", "0.005"],
        &[
            "objective       99.9 %",
            "error budget    0.1 % of events = 43.2 min of full outage",
            "burn rate       5×",
            "budget gone in  6 d",
            "tiers: workbook on 30d",
            "severity  long  short  for  factor  threshold",
            "page      1h    5m     —    14.4×   1.44 %     2 %               never",
            "ticket    3d    6h     —    1×      0.1 %      10 %              14 h 24 min  10 %",
            "how these are computed:",
            "burn rate: error ratio / (1 − SLO) = 0.005 / 0.001 → 5×",
            "page 1h/5m 14.4×:",
            "threshold: factor × (1 − SLO) = 14.4 × 0.001 → 0.0144 (1.44 % of events failing)",
        ],
    );
    check_table(
        "0.5 % errors at 99 % burn 0.5×, and the budget lasts 60 days",
        &["--objective", "99%", "--error-ratio", "0.5%"],
        &["burn rate       0.5×", "budget gone in  60 d"],
    );
    check_table(
        "at 10 requests an hour one failure is 13.9 % of the budget and fires every tier",
        &["--objective", "99.9", "--requests-per-second", "10/h"],
        &[
            "7.2 failed requests at 10/h",
            "one failure     13.9 % of the budget",
            "one failure  fires on one failure at",
            "fires        ≤ 69.4/h",
            "warnings:",
            "! At 10/h, one failed request alone fires the page 1h/5m 14.4× tier.",
            "100× over 1h (1000× over 5m): one failure alone fires this tier",
        ],
    );
    check_table(
        "a 90 % objective marks the 14.4× tier impossible",
        &["--objective", "90", "--error-ratio", "1"],
        &[
            "144 % (impossible)",
            "! The page 1h/5m 14.4× tier can never fire",
        ],
    );
    check_table(
        "a 100 % objective says every error is an infinite burn",
        &["--objective", "100", "--error-ratio", "0.0001"],
        &[
            "burn rate       ∞×",
            "budget gone in  immediately: a 100 % objective has no budget",
            "! 100 % leaves no error budget: every failed event breaks the objective, so every burn rate is infinite and no burn-rate alert can be written for it (burnlab rules refuses it; pick 99.9 or similar to alert on burn). Every tier here fires on the first error.",
        ],
    );
}

#[test]
fn the_json_has_the_documented_keys() {
    check_json(
        "the headline figures and the Workbook tiers at 0.5 % errors on 99.9 %",
        &["--objective", "99.9", "--error-ratio", "0.005"],
        &[
            ("/error_budget_ratio", json!(0.001)),
            ("/budget_seconds", json!(2592.0)),
            ("/burn_rate", json!(5.0)),
            ("/time_to_exhaustion_seconds", json!(518_400.0)),
            ("/tiers/0/severity", json!("page")),
            ("/tiers/0/long_window", json!("1h")),
            ("/tiers/0/short_window", json!("5m")),
            ("/tiers/0/for", json!(null)),
            ("/tiers/0/factor", json!(14.4)),
            ("/tiers/0/threshold", json!(0.0144)),
            ("/tiers/0/detection_seconds", json!(null)),
            ("/tiers/0/budget_consumed_at_detection", json!(null)),
            ("/tiers/2/severity", json!("ticket")),
            ("/tiers/2/detection_seconds", json!(51_840.0)),
            ("/tiers/2/budget_consumed_at_detection", json!(0.1)),
            ("/tiers/2/reset_seconds", json!(17_280.0)),
        ],
    );
    check_json(
        "15 % errors fire the 1h/5m page after 5.76 minutes with 2 % of the budget gone",
        &["--objective", "99.9", "--error-ratio", "0.15"],
        &[
            ("/burn_rate", json!(150.0)),
            ("/tiers/0/detection_seconds", json!(345.6)),
            ("/tiers/0/budget_consumed_at_detection", json!(0.02)),
            ("/tiers/0/reset_seconds", json!(271.2)),
        ],
    );
    check_json(
        "Sloth on 28d keeps its budget shares, so its page factor is 13.44",
        &["--objective", "99.9", "--period", "28d", "--tiers", "sloth"],
        &[
            ("/tier_set", json!("sloth")),
            ("/scaling", json!("budget-share")),
            ("/tiers/0/factor", json!(13.44)),
            ("/tiers/3/factor", json!(0.933333333333)),
            ("/tiers/0/budget_share", json!(0.02)),
        ],
    );
    check_json(
        "Pyrra's tiers carry their `for`",
        &["--objective", "99.9", "--period", "28d", "--tiers", "pyrra"],
        &[
            ("/tiers/0/factor", json!(14.0)),
            ("/tiers/0/for", json!("2m")),
            ("/tiers/3/long_window", json!("4d")),
        ],
    );
    check_json(
        "a zero budget has no finite burn rate",
        &["--objective", "100", "--error-ratio", "0.001"],
        &[
            ("/error_budget_ratio", json!(0.0)),
            ("/zero_budget", json!(true)),
            ("/burn_rate", json!(null)),
            ("/time_to_exhaustion_seconds", json!(0.0)),
        ],
    );
}

#[test]
fn json_numbers_carry_no_float_noise() {
    let (_, out, _) = budget(&[
        "--objective",
        "99.95",
        "--period",
        "28d",
        "--error-ratio",
        "0.0144",
        "--tiers",
        "sloth",
        "--requests-per-second",
        "3",
        "--json",
    ]);
    for noise in ["0000000000", "9999999999"] {
        assert!(!out.contains(noise), "{noise} in\n{out}");
    }
}

#[test]
fn bad_input_names_the_field() {
    check_error("an empty objective", &["--objective", ""], "objective");
    check_error(
        "a word for an objective",
        &["--objective", "high"],
        "objective",
    );
    check_error(
        "an objective above 100",
        &["--objective", "100.1"],
        "objective",
    );
    check_error("a negative objective", &["--objective", "-1"], "objective");
    check_error("NaN as objective", &["--objective", "NaN"], "objective");
    check_error(
        "a period that is not a duration",
        &["--objective", "99.9", "--period", "30"],
        "period",
    );
    check_error(
        "a zero period",
        &["--objective", "99.9", "--period", "0s"],
        "period",
    );
    check_error(
        "a negative error ratio",
        &["--objective", "99.9", "--error-ratio", "-0.1"],
        "error ratio",
    );
    check_error(
        "an error ratio above 1",
        &["--objective", "99.9", "--error-ratio", "5"],
        "error ratio",
    );
    check_error(
        "no requests",
        &["--objective", "99.9", "--requests-per-second", "0"],
        "requests per second",
    );
    check_error(
        "an unknown tier set",
        &["--objective", "99.9", "--tiers", "mine"],
        "tiers",
    );
    check_error(
        "an unknown scaling",
        &["--objective", "99.9", "--scaling", "both"],
        "scaling",
    );
    check_error(
        "Pyrra's windows cannot shrink below a minute",
        &["--objective", "99.9", "--period", "1d", "--tiers", "pyrra"],
        "period",
    );
}
