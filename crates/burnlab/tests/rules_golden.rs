//! Golden outputs of the rule generator: every spec under tests/fixtures/specs/ in both formats,
//! plus the grouped and naive options. `UPDATE_EXPECT=1 cargo test` rewrites them; the promtool
//! oracle tests in burnlab-cli check that each one is a valid rule file.

use burnlab::rules::{Format, Grouping, Options, rules_from_spec};
use burnlab_testkit::fixtures::{fixture, fixture_path, golden};

/// Generates `spec` with `options` in `format` and compares with `tests/fixtures/rules/<golden>`.
fn check(spec: &str, options: Options, format: Format, golden_file: &str) {
    let text = fixture(&format!("specs/{spec}"));
    let got = rules_from_spec(&text, options, format).unwrap_or_else(|e| panic!("{spec}: {e}"));
    golden(&fixture_path(&format!("rules/{golden_file}")), &got);
}

const PER_TIER: Options = Options {
    grouping: Grouping::PerTier,
    naive_threshold: false,
};

#[test]
fn the_task_api_spec_gives_a_rule_file_and_a_manifest() {
    check(
        "task-api.yaml",
        PER_TIER,
        Format::Rules,
        "task-api.rules.yaml",
    );
    check(
        "task-api.yaml",
        PER_TIER,
        Format::PrometheusRule,
        "task-api.prometheusrule.yaml",
    );
}

#[test]
fn grouping_by_severity_and_the_naive_rule_are_options() {
    check(
        "task-api.yaml",
        Options {
            grouping: Grouping::BySeverity,
            naive_threshold: true,
        },
        Format::Rules,
        "task-api.grouped-naive.rules.yaml",
    );
}

#[test]
fn the_workbook_spec_used_by_the_promtool_tests_is_pinned() {
    check(
        "workbook-999.yaml",
        PER_TIER,
        Format::Rules,
        "workbook-999.rules.yaml",
    );
}

#[test]
fn a_raw_sli_on_28_days_with_tickets_disabled() {
    check(
        "checkout-raw.yaml",
        PER_TIER,
        Format::Rules,
        "checkout-raw.rules.yaml",
    );
    check(
        "checkout-raw.yaml",
        PER_TIER,
        Format::PrometheusRule,
        "checkout-raw.prometheusrule.yaml",
    );
}

#[test]
fn pyrra_tiers_scale_their_windows_to_seven_days() {
    check(
        "pyrra-search.yaml",
        PER_TIER,
        Format::Rules,
        "pyrra-search.rules.yaml",
    );
}

/// The runbooks of `spec`'s alerts, joined, compared with `tests/fixtures/rules/runbooks/<golden>`.
fn check_runbooks(spec: &str, options: Options, golden_file: &str) {
    let text = fixture(&format!("specs/{spec}"));
    let books = burnlab::rules::runbooks_from_spec(&text, options)
        .unwrap_or_else(|e| panic!("{spec}: {e}"));
    let got: String = books
        .iter()
        .map(|b| b.markdown.clone())
        .collect::<Vec<_>>()
        .join("\n---\n\n");
    golden(
        &fixture_path(&format!("rules/runbooks/{golden_file}")),
        &got,
    );
}

#[test]
fn every_alert_gets_a_runbook_with_its_queries_thresholds_and_budget_impact() {
    check_runbooks("task-api.yaml", PER_TIER, "task-api.md");
    check_runbooks(
        "checkout-raw.yaml",
        Options {
            grouping: Grouping::BySeverity,
            naive_threshold: true,
        },
        "checkout-raw.grouped-naive.md",
    );
}

#[test]
fn an_openslo_ratio_slo_maps_onto_the_same_rules() {
    check(
        "openslo-task-api.yaml",
        PER_TIER,
        Format::Rules,
        "openslo-task-api.rules.yaml",
    );
}
