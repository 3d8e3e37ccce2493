//! `burnlab simulate` and `burnlab notify` run as a person runs them: the built binary, its
//! timeline, its JSON, its exported files (the amtool script run by the real amtool) and its
//! errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

use burnlab_testkit::cli::Cli;

/// The built command, run from the repository root.
fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_burnlab")).in_root()
}

fn burnlab(args: &[&str]) -> (i32, String, String) {
    cli().run(args)
}

/// `burnlab ARGS` exits with `code` and its stdout (or stderr on failure) holds every fragment of
/// `want` in order.
fn check(case: &str, args: &[&str], code: i32, want: &[&str]) {
    cli().check(case, args, code, want);
}

const SPEC: &str = "tests/fixtures/specs/workbook-999.yaml";
const AM: &str = "tests/fixtures/replay/ten-routes.yml";

#[test]
fn simulate_tells_the_three_am_story_as_a_timeline_and_two_summaries() {
    check(
        "3am",
        &[
            "simulate",
            "--spec",
            SPEC,
            "--scenario",
            "3am",
            "--alertmanager",
            AM,
        ],
        0,
        &[
            "scenario 3am: 1d from 2024-01-01 18:00:00, 1000 requests/s, 0.02 % errors",
            "SLO availability: 99.9 % over 30d",
            "2024-01-02 03:00:00  blip `spikes` starts: 15 % errors for 30s, 6 times every 47m",
            "summary",
            "pages 0, tickets 0, false pages 0",
            "blip `spikes`: no alert, as it should be",
            "naive threshold (error ratio over 5m above 0.1 % for 1m)",
            "2024-01-02 03:02:00  FIRING   DemoAvailabilityNaiveThreshold",
            "pages 6, tickets 0, false pages 6",
            "notifications: audit 12, pager 12",
        ],
    );
}

#[test]
fn simulate_shows_who_is_notified_when_during_a_fast_burn() {
    check(
        "fast-burn",
        &[
            "simulate",
            "--spec",
            SPEC,
            "--scenario",
            "fast-burn",
            "--alertmanager",
            AM,
            "--no-naive",
        ],
        0,
        &[
            "2024-01-01 10:00:00  incident `bad deploy` starts: 5 % errors for 1h",
            "2024-01-01 10:17:30  FIRING   DemoAvailabilityPage1h",
            "2024-01-01 10:18:00  notify   pager via pagerduty[0]: firing DemoAvailabilityPage1h",
            "2024-01-01 11:00:00  incident `bad deploy` ends",
            "resolved DemoAvailabilityPage1h",
            "incident `bad deploy`: detected after 10 min",
            "first page at 2024-01-01 10:17:30, with 2.31 % of the budget spent",
        ],
    );
    let (_, out, _) = burnlab(&[
        "simulate",
        "--spec",
        SPEC,
        "--scenario",
        "fast-burn",
        "--no-naive",
    ]);
    assert!(!out.contains("naive threshold"));
}

#[test]
fn simulate_json_has_alerts_notifications_summary_and_the_naive_comparison() {
    let (code, out, err) = burnlab(&[
        "simulate",
        "--spec",
        SPEC,
        "--scenario",
        "flapping",
        "--alertmanager",
        AM,
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let page = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["labels"]["alertname"] == "DemoAvailabilityPage1h")
        .unwrap();
    assert_eq!(page["firing"].as_array().unwrap().len(), 6);
    assert!(
        v["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["receiver"] == "pager")
    );
    assert_eq!(v["summary"]["pages"], 7);
    assert!(v["naive"]["summary"]["pages"].as_u64().unwrap() > 0);
    assert_eq!(v["naive"]["rule"]["threshold"], 0.001);
    assert!(v["traffic"].as_array().unwrap().len() > 100);
}

#[test]
fn the_naive_threshold_and_prometheus_version_are_flags() {
    let pages = |args: &[&str]| {
        let mut all = vec!["simulate", "--spec", SPEC, "--scenario", "3am", "--json"];
        all.extend_from_slice(args);
        let (code, out, err) = burnlab(&all);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["naive"]["summary"]["pages"].as_u64().unwrap()
    };
    assert_eq!(pages(&[]), 6);
    assert_eq!(pages(&["--threshold", "1%"]), 6);
    assert_eq!(pages(&["--threshold", "2%"]), 0);
    assert_eq!(pages(&["--threshold-for", "5m"]), 0);
    assert_eq!(pages(&["--prometheus", "3"]), 6);
}

#[test]
fn the_exported_promtool_test_passes_and_the_amtool_script_agrees() {
    let dir = std::env::temp_dir().join(format!("burnlab-export-{}", std::process::id()));
    let d = dir.to_string_lossy().into_owned();
    check(
        "export",
        &[
            "simulate",
            "--spec",
            SPEC,
            "--scenario",
            "fast-burn",
            "--alertmanager",
            AM,
            "--export-promtool",
            &d,
        ],
        0,
        &["checks): run `promtool test rules", "amtool.sh"],
    );
    let promtool = Command::new("/usr/bin/promtool")
        .args(["test", "rules", "test.yaml"])
        .current_dir(&dir)
        .output()
        .expect("promtool runs (cargo xtask setup installs it)");
    assert!(
        promtool.status.success(),
        "{}",
        String::from_utf8_lossy(&promtool.stdout)
    );
    let script = std::fs::read_to_string(dir.join("amtool.sh")).unwrap();
    assert!(
        script.contains("--verify.receivers='audit,pager'"),
        "{script}"
    );
    let amtool = Command::new("sh")
        .arg("amtool.sh")
        .current_dir(&dir)
        .output()
        .expect("sh runs");
    assert!(
        amtool.status.success(),
        "amtool disagrees:\n{}{}",
        String::from_utf8_lossy(&amtool.stdout),
        String::from_utf8_lossy(&amtool.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_can_be_printed_edited_and_read_back() {
    let (code, out, err) = burnlab(&[
        "simulate",
        "--spec",
        SPEC,
        "--scenario",
        "slow-burn",
        "--print-scenario",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("name: slow-burn\n"), "{out}");
    let file = std::env::temp_dir().join(format!("burnlab-scenario-{}.yaml", std::process::id()));
    std::fs::write(
        &file,
        out.replace("error_ratio: 0.003", "error_ratio: 0.03"),
    )
    .unwrap();
    check(
        "edited",
        &[
            "simulate",
            "--spec",
            SPEC,
            "--scenario",
            &file.to_string_lossy(),
            "--no-naive",
        ],
        0,
        &["FIRING   DemoAvailabilityPage6h"],
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn bad_scenarios_and_rule_files_are_refused_with_where_and_why() {
    let file = std::env::temp_dir().join(format!("burnlab-bad-{}.yaml", std::process::id()));
    std::fs::write(&file, "duration: 2d\nrequests_per_second: 1000\nincidents:\n  - {start: 1h, duration: 1h, error_ratio: 2}\n").unwrap();
    let f = file.to_string_lossy().into_owned();
    check(
        "ratio",
        &["simulate", "--spec", SPEC, "--scenario", &f],
        2,
        &[&format!(
            "burnlab: {f}: line 4, column 44: incidents[0].error_ratio: 2 is outside [0, 1]"
        )],
    );
    check(
        "unknown",
        &["simulate", "--spec", SPEC, "--scenario", "4am"],
        2,
        &[
            "4am: no such file, and not a built-in scenario (the built-ins are 3am, fast-burn, slow-burn, flapping, healthy-month)",
        ],
    );
    check(
        "histogram_quantile",
        &[
            "simulate",
            "--spec",
            "tests/fixtures/specs/task-api.yaml",
            "--rules",
            "tests/fixtures/replay/lesson-rules.yaml",
            "--scenario",
            "3am",
        ],
        2,
        &[
            "tests/fixtures/replay/lesson-rules.yaml: line 73, column 9: rule `TaskAPIHighLatency`: `histogram_quantile` is not supported by the replay",
        ],
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn notify_answers_the_alertmanager_half_alone() {
    let dir = std::env::temp_dir().join(format!("burnlab-notify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let alerts = dir.join("alerts.json");
    std::fs::write(
        &alerts,
        r#"{"resend_interval": "1m", "evaluation_interval": "30s", "until_s": 3600,
            "alerts": [{"labels": {"alertname": "X", "severity": "page", "slo": "api"}, "firing": [[60, 1200]]},
                       {"labels": {"alertname": "Y", "severity": "ticket", "slo": "api"}, "firing": [[30, null]]}]}"#,
    )
    .unwrap();
    let a = alerts.to_string_lossy().into_owned();
    let (code, out, err) = burnlab(&["notify", "--alertmanager", AM, "--alerts", &a, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &v["notifications"][0];
    assert_eq!(first["receiver"], "audit");
    assert_eq!(first["at_s"], 60.0);
    // The page (group_wait 30s) pages at 90 s, and inhibits the ticket, held since 30 s by its
    // 5-minute group_wait: tickets hear of Y only after X resolves.
    let pager = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["receiver"] == "pager")
        .unwrap();
    assert_eq!(pager["at_s"], 90.0);
    let tickets: Vec<f64> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["receiver"] == "tickets")
        .map(|n| n["at_s"].as_f64().unwrap())
        .collect();
    assert!(tickets.first().is_some_and(|t| *t > 1200.0), "{tickets:?}");
    check(
        "text",
        &["notify", "--alertmanager", AM, "--alerts", &a],
        0,
        &[
            "60.000s  audit via webhook[0]",
            "firing   Y{severity=\"ticket\", slo=\"api\"}",
            "90.000s  pager via pagerduty[0]",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
