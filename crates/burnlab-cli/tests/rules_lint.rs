//! The rules linter (the core's `promql` feature, which this crate turns on) on the lesson's
//! PrometheusRule, on a file with one of each mistake, and on every generated golden file.
//! Expected findings live next to their inputs as `<name>.findings.txt`; `UPDATE_EXPECT=1`
//! rewrites them.

use std::path::PathBuf;

use burnlab::rules::lint::{Level, lint_files};
use burnlab_testkit::fixtures::{fixture_path, golden, read};

fn fixtures() -> PathBuf {
    fixture_path("rules")
}

/// Lints `lint/<name>.yaml` and compares the findings with `lint/<name>.findings.txt`.
fn check(name: &str) -> String {
    let input = fixtures().join("lint").join(format!("{name}.yaml"));
    let text = read(&input);
    let file = format!("{name}.yaml");
    let got: String = lint_files(&[(&file, &text)])
        .iter()
        .map(|f| format!("{f}\n"))
        .collect();
    golden(
        &fixtures().join("lint").join(format!("{name}.findings.txt")),
        &got,
    );
    got
}

#[test]
fn the_lessons_warning_alert_reads_an_unrecorded_rate30m_and_can_never_fire() {
    let got = check("lesson-task-api-slo-alerts");
    assert!(
        got.contains("[undefined-series] group task-api.slo.alerts rule TaskAPIElevatedErrorRate")
            && got.contains("`task_api:error_ratio:rate30m` looks like a recording rule's name"),
        "{got}"
    );
}

#[test]
fn each_known_mistake_is_found_once_with_its_location_and_fix() {
    let got = check("mistakes");
    for check in [
        "duplicate-group",
        "duplicate-rule",
        "duplicate-alert",
        "never-fires",
        "page-without-runbook",
        "and-never-matches",
        "for-longer-than-window",
        "invalid-expr",
    ] {
        assert!(
            got.contains(&format!("[{check}]")),
            "{check} missing in\n{got}"
        );
    }
}

#[test]
fn generated_rules_have_no_errors_and_pages_without_runbooks_are_the_only_warnings() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    for name in names {
        let text = read(&fixtures().join(&name));
        for f in lint_files(&[(&name, &text)]) {
            assert!(
                f.level == Level::Warning && f.check == "page-without-runbook",
                "{name}: {f}"
            );
        }
    }
}

#[test]
fn a_file_that_is_not_a_rule_file_is_one_located_finding() {
    let found = lint_files(&[("x.yaml", "groups:\n  - name: a\n    rulez: []\n")]);
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "x.yaml:3: error [invalid-file]: line 3, column 5: groups[0].rulez: unknown field `rulez`: \
          expected one of name, interval, query_offset, limit, labels, rules, partial_response_strategy\n  \
          fix: correct the file so Prometheus (or the Prometheus Operator) can load it"
        ]
    );
}

#[test]
fn every_truncation_of_a_real_rule_file_is_linted_without_a_panic() {
    // Cutting a file at every character gives broken YAML, broken PromQL and half rules: each
    // must come back as findings, never as a crash.
    let text = read(&fixtures().join("lint/lesson-task-api-slo-alerts.yaml"));
    let mut cuts = 0;
    for (i, _) in text.char_indices().step_by(7) {
        let _ = lint_files(&[("cut.yaml", &text[..i])]);
        cuts += 1;
    }
    assert!(cuts > 100);
    // And every truncation of every expression, inside an otherwise valid file.
    for expr in [
        "sum(rate(task_api_requests_total{status=~\"5..\"}[5m])) by (endpoint, status) > (14.4 * 0.001)",
        "histogram_quantile(0.95, sum(rate(x_bucket[5m])) by (le)) > 0.2 and on(job) up == 1",
    ] {
        for (i, _) in expr.char_indices() {
            let file = format!(
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '{}'\n",
                expr[..i].replace('\'', "''")
            );
            let _ = lint_files(&[("cut.yaml", &file)]);
        }
    }
}
