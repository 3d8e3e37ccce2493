//! `burnlab alertmanager generate`, run as a person runs it; every config it writes is checked
//! by the real `amtool check-config` (0.25) and routed by the real `amtool config routes test`.
//! These tests need /usr/bin/amtool and fail (never skip) without it.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

use burnlab_testkit::cli::Cli;
use burnlab_testkit::fixtures::fixture;

const AMTOOL: &str = "/usr/bin/amtool";

/// Runs `burnlab ARGS`; returns (exit code, stdout, stderr).
fn burnlab(args: &[&str]) -> (i32, String, String) {
    Cli::new(env!("CARGO_BIN_EXE_burnlab")).run(args)
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("burnlab-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs amtool; returns (success, stdout, stderr).
fn amtool(args: &[&str]) -> (bool, String, String) {
    assert!(
        Path::new(AMTOOL).exists(),
        "{AMTOOL} is missing: the oracle tests need the real amtool; run `cargo xtask setup`"
    );
    let out = Command::new(AMTOOL).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Generates with `args`, has amtool check it, then asks amtool and `burnlab route` where each
/// `(labels, receivers)` case goes: both must print `receivers`.
fn check(case: &str, args: &[&str], routes: &[(&[&str], &str)]) {
    let mut all = vec!["alertmanager", "generate"];
    all.extend_from_slice(args);
    let (code, out, err) = burnlab(&all);
    assert_eq!(code, 0, "{case}: {err}");
    let file = temp_file(&format!("{}.yml", case.replace(' ', "-")), &out);
    let file = file.to_str().unwrap();
    let (ok, said, err) = amtool(&["check-config", file]);
    assert!(ok, "{case}: amtool refused the config: {said}{err}\n{out}");
    for (labels, want) in routes {
        let mut a = vec!["config", "routes", "test", "--config.file", file];
        a.extend_from_slice(labels);
        let (_, said, _) = amtool(&a);
        assert_eq!(said.trim(), *want, "{case}: amtool for {labels:?}\n{out}");
        let mut b = vec!["route", "--config", file];
        b.extend_from_slice(labels);
        let (code, ours, err) = burnlab(&b);
        assert_eq!(code, 0, "{case}: {err}");
        assert_eq!(ours.trim(), *want, "{case}: burnlab route for {labels:?}");
    }
}

#[test]
fn the_default_intent_pages_to_pagerduty_tickets_to_slack_and_the_rest_to_email() {
    check(
        "default",
        &[],
        &[
            (&["severity=page", "slo=api"], "pager"),
            (&["severity=ticket", "slo=api"], "tickets"),
            (&["severity=info"], "default"),
        ],
    );
}

#[test]
fn routes_fallback_grouping_and_timers_come_from_the_flags() {
    check(
        "lesson spelling",
        &[
            "--route",
            "critical=pagerduty:pagerduty-critical",
            "--route",
            "warning=slack:slack-warnings",
            "--route",
            "info=webhook",
            "--fallback",
            "email:default-receiver",
            "--group-by",
            "alertname,namespace",
            "--group-wait",
            "10s",
            "--repeat-interval",
            "1h",
            "--inhibit",
            "critical",
        ],
        &[
            (&["severity=critical"], "pagerduty-critical"),
            (&["severity=warning"], "slack-warnings"),
            (&["severity=info"], "webhook"),
            (&["alertname=Other"], "default-receiver"),
        ],
    );
    let (_, out, _) = burnlab(&[
        "alertmanager",
        "generate",
        "--no-inhibit",
        "--group-wait",
        "1m",
    ]);
    assert!(!out.contains("inhibit_rules"), "{out}");
    assert!(out.contains("group_wait: 1m\n"), "{out}");
}

#[test]
fn secret_wraps_the_same_config_for_the_operator() {
    let (_, plain, _) = burnlab(&["alertmanager", "generate"]);
    let (code, secret, err) = burnlab(&[
        "alertmanager",
        "generate",
        "--secret",
        "--name",
        "am-main",
        "--namespace",
        "obs",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        secret.starts_with(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: am-main\n  namespace: obs\ntype: Opaque\nstringData:\n  alertmanager.yaml: |\n"
        ),
        "{secret}"
    );
    let body: String = secret
        .lines()
        .skip_while(|l| !l.starts_with("  alertmanager.yaml: |"))
        .skip(1)
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    assert_eq!(body.trim_end(), plain.trim_end());
    // `burnlab route` reads the Secret as it is.
    let file = temp_file("secret.yml", &secret);
    let (code, out, err) = burnlab(&["route", "--config", file.to_str().unwrap(), "severity=page"]);
    assert_eq!((code, out.trim()), (0, "pager"), "{err}");
}

#[test]
fn bad_flags_are_named_errors() {
    for (args, want) in [
        (
            &["--route", "page"][..],
            "burnlab: --route: `page` is not SEVERITY=KIND[:NAME], e.g. page=pagerduty:pager",
        ),
        (
            &["--fallback", "sms:x"][..],
            "burnlab: --fallback: `sms` is not a receiver kind: use pagerduty, slack, email or webhook",
        ),
        (
            &["--group-interval", "0s"][..],
            "burnlab: timers: group_interval and repeat_interval must be longer than zero",
        ),
        (
            &["--inhibit", "critical"][..],
            "burnlab: inhibition: no route has severity `critical`: pick one of the routes' severities",
        ),
    ] {
        let mut all = vec!["alertmanager", "generate"];
        all.extend_from_slice(args);
        let (code, _, err) = burnlab(&all);
        assert_eq!((code, err.trim()), (2, want), "{args:?}");
    }
}

#[test]
fn the_pages_preloaded_config_is_what_generate_writes_by_default() {
    let (code, out, err) = burnlab(&["alertmanager", "generate"]);
    assert_eq!(code, 0, "{err}");
    let fixture = fixture("alertmanager/generated-default.yaml");
    assert_eq!(
        out, fixture,
        "regenerate with `burnlab alertmanager generate > tests/fixtures/alertmanager/generated-default.yaml`"
    );
}
