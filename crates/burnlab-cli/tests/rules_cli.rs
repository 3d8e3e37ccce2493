//! `burnlab rules`, `burnlab lint` and `burnlab runbook`, run as a person runs them: the built
//! binary, its output, its files and its errors.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

use burnlab_testkit::cli::Cli;
use burnlab_testkit::fixtures::fixture;

/// The built command, run from the repository root.
fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_burnlab")).in_root()
}

/// Runs `burnlab ARGS` from the repository root; returns (exit code, stdout, stderr).
fn burnlab(args: &[&str]) -> (i32, String, String) {
    cli().run(args)
}

/// `burnlab ARGS` exits with `code` and its stdout (or, on failure, stderr) contains every
/// fragment of `want`, in order.
fn check(case: &str, args: &[&str], code: i32, want: &[&str]) {
    cli().check(case, args, code, want);
}

fn golden(name: &str) -> String {
    fixture(&format!("rules/{name}"))
}

#[test]
fn rules_prints_the_golden_rule_file_and_manifest() {
    let spec = "tests/fixtures/specs/task-api.yaml";
    let (code, out, err) = burnlab(&["rules", "--spec", spec]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, golden("task-api.rules.yaml"));
    let (code, out, err) = burnlab(&["rules", "--spec", spec, "--format", "prometheusrule"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, golden("task-api.prometheusrule.yaml"));
    let (code, out, err) = burnlab(&["rules", "--spec", spec, "--group-by-severity", "--naive"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, golden("task-api.grouped-naive.rules.yaml"));
}

#[test]
fn rules_writes_a_file_that_promtool_accepts_as_is() {
    let path = std::env::temp_dir().join(format!("burnlab-cli-rules-{}.yaml", std::process::id()));
    let p = path.to_string_lossy().into_owned();
    check(
        "-o",
        &[
            "rules",
            "--spec",
            "tests/fixtures/specs/checkout-raw.yaml",
            "-o",
            &p,
        ],
        0,
        &["wrote ", "burnlab-cli-rules-"],
    );
    let out = Command::new("/usr/bin/promtool")
        .args(["check", "rules", &p])
        .output()
        .expect("promtool runs: run `cargo xtask setup` if it is missing");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_bad_spec_is_reported_with_its_file_line_and_field() {
    let path =
        std::env::temp_dir().join(format!("burnlab-cli-bad-spec-{}.yaml", std::process::id()));
    std::fs::write(
        &path,
        "version: prometheus/v1\nservice: x\nslos:\n  - name: a\n    objective: 99.9\n    sli: {raw: {error_ratio_query: 'x'}}\n",
    )
    .unwrap();
    let p = path.to_string_lossy().into_owned();
    let result = burnlab(&["rules", "--spec", &p]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(result.0, 2);
    assert!(
        result.2.contains(
            "line 6, column 36: slos[0].sli.raw.error_ratio_query: has no `{{.window}}` placeholder"
        ),
        "{}",
        result.2
    );
    check(
        "a missing file",
        &["rules", "--spec", "no/such/spec.yaml"],
        2,
        &["burnlab: no/such/spec.yaml: "],
    );
}

#[test]
fn lint_reports_the_lessons_rate30m_with_line_and_fix_and_fails() {
    check(
        "the lesson's manifest",
        &[
            "lint",
            "tests/fixtures/rules/lint/lesson-task-api-slo-alerts.yaml",
        ],
        2,
        // The unrecorded series, and the description's `(30 / 14.4)`, which Go templates
        // cannot parse (promtool refuses the file for it).
        &["2 finding(s), 2 error(s) in 1 file(s)"],
    );
    let (_, out, _) = burnlab(&[
        "lint",
        "tests/fixtures/rules/lint/lesson-task-api-slo-alerts.yaml",
    ]);
    assert!(
        out.contains(
            "lesson-task-api-slo-alerts.yaml:54: error [undefined-series] group task-api.slo.alerts \
             rule TaskAPIElevatedErrorRate: `task_api:error_ratio:rate30m`"
        ) && out.contains("  fix: add a recording rule for `task_api:error_ratio:rate30m`"),
        "{out}"
    );
}

#[test]
fn lint_passes_generated_rules_and_reads_several_files_together() {
    check(
        "generated files",
        &[
            "lint",
            "tests/fixtures/rules/task-api.rules.yaml",
            "tests/fixtures/rules/checkout-raw.prometheusrule.yaml",
            "tests/fixtures/rules/pyrra-search.rules.yaml",
        ],
        0,
        &["in 3 file(s)"],
    );
    // Loaded together, a rule file and a manifest of the same rules record every series twice.
    check(
        "the same rules twice",
        &[
            "lint",
            "tests/fixtures/rules/task-api.rules.yaml",
            "tests/fixtures/rules/task-api.prometheusrule.yaml",
        ],
        2,
        &["error(s) in 2 file(s)"],
    );
    let (_, out, _) = burnlab(&[
        "lint",
        "tests/fixtures/rules/task-api.rules.yaml",
        "tests/fixtures/rules/task-api.prometheusrule.yaml",
    ]);
    assert!(
        out.contains(
            "`slo:sli_error:ratio_rate5m` is already recorded with the same labels at \
             tests/fixtures/rules/task-api.rules.yaml:4"
        ),
        "{out}"
    );
}

#[test]
fn runbook_prints_one_alert_or_all_and_names_the_alerts_when_asked_for_another() {
    let spec = "tests/fixtures/specs/task-api.yaml";
    check(
        "one alert",
        &[
            "runbook",
            "--spec",
            spec,
            "--alert",
            "TaskApiAvailabilityTicket3d",
        ],
        0,
        &[
            "# Runbook: TaskApiAvailabilityTicket3d",
            "above **0.001**",
            "Handle within the working day",
            ") * 259200 / (0.001 * 2592000)",
        ],
    );
    let (code, out, _) = burnlab(&["runbook", "--spec", spec]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("# Runbook: ").count(), 6, "{out}");
    check(
        "an unknown alert",
        &["runbook", "--spec", spec, "--alert", "Nope"],
        2,
        &["no alert named Nope; the spec's alerts are TaskApiAvailabilityPage1h, "],
    );
}
