//! Config errors as the real `amtool check-config` (0.25) gives them: a YAML syntax error is
//! on the line amtool names, and the one-click fixes offered for an error leave a config amtool
//! accepts (each broken config is mended by taking its errors' fixes one after the other; amtool
//! refused the text before). These tests need /usr/bin/amtool and fail (never skip) without it.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab_testkit::fixtures::fixture;
use burnlab_testkit::mend::mend;

const AMTOOL: &str = "/usr/bin/amtool";

/// amtool's verdict on `text` as alertmanager.yml: whether it accepts it, and what it said.
fn amtool_check(name: &str, text: &str) -> (bool, String) {
    assert!(
        Path::new(AMTOOL).exists(),
        "{AMTOOL} is missing: the oracle tests need the real amtool; run `cargo xtask setup`"
    );
    let dir = std::env::temp_dir().join(format!("burnlab-fixes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = Command::new(AMTOOL)
        .args(["check-config", path.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Whether amtool accepts `text` as alertmanager.yml.
fn amtool_accepts(name: &str, text: &str) -> bool {
    amtool_check(name, text).0
}

/// The lesson's alertmanager.yaml, out of its Secret (amtool reads only the plain file).
fn lesson_config() -> String {
    let secret = fixture("alertmanager/lesson.secret.yaml");
    let body = secret.split_once("alertmanager.yaml: |\n").unwrap().1;
    body.lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fix_leaves_a_config_amtool_accepts() {
    let cases: Vec<(&str, String)> = vec![
        ("lesson.yml", lesson_config()),
        (
            "typos.yml",
            "route:\n  recevier: a\n  group_wiat: 1m\n  routes:\n    - matchers: [x=\"1\"]\n      recevier: a\nreceivers:\n  - name: a\n".into(),
        ),
        (
            "slack-flow.yml",
            "route: {receiver: s}\nreceivers:\n  - name: s\n    slack_configs: [{channel: '#a'}]\n".into(),
        ),
        (
            "slack-global.yml",
            "global:\n  resolve_timeout: 5m\nroute:\n  receiver: s\nreceivers:\n  - name: s\n    slack_configs:\n      - channel: '#a'\n".into(),
        ),
        (
            "opsgenie.yml",
            "route:\n  receiver: o\nreceivers:\n  - name: o\n    opsgenie_configs:\n      - message: hi\n".into(),
        ),
    ];
    for (name, broken) in cases {
        assert!(
            !amtool_accepts(name, &broken),
            "{name}: amtool accepts the broken text"
        );
        for pick in [0, 1] {
            let (_, mended) = mend(&broken, pick).unwrap();
            assert!(
                amtool_accepts(name, &mended),
                "{name}, fix {pick}: amtool refuses the mended text:\n{mended}"
            );
        }
    }
}

#[test]
fn a_yaml_syntax_error_is_on_the_line_amtool_names() {
    let cases = [
        "route:\n  receiver: a\n routes: []\nreceivers: [{name: a}]\n",
        "route:\n  receiver: a\n  routes:\n    - receiver: b\n      group_wait: 1m\n     continue: true\n    - receiver: c\nreceivers: [{name: a}]\n",
        "route: [\n",
        "route:\n  receiver: a\n  group_by: [a, b\nreceivers: [{name: a}]\n",
        "route:\n  receiver: a: b\nreceivers: [{name: a}]\n",
        "route:\n  receiver: a\n  group_by: {a: b\nreceivers: [{name: a}]\n",
        "route:\n  receiver: 'a\nreceivers: [{name: a}]\n",
        "route:\n  receiver: a\nreceivers:\n  - name: a\n  webhook_configs:\n    - url: http://x/\n   - url: http://y/\n",
        "route:\n  receiver: @a\nreceivers: [{name: a}]\n",
        "global:\n  resolve_timeout: 5m\n   smtp_from: a@b\nroute: {receiver: a}\nreceivers: [{name: a}]\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let (ok, said) = amtool_check(&format!("yaml-{i}.yml"), text);
        assert!(!ok, "case {i}: amtool accepts it");
        let amtool_line: usize = said
            .split("yaml: line ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("case {i}: amtool names no line: {said}"));
        let e = Config::parse(text, ConfigOptions::default()).unwrap_err();
        assert!(e.message.starts_with("YAML error: "), "case {i}: {e}");
        assert_eq!(e.line(), amtool_line, "case {i}: {e}\namtool: {said}");
        assert!(e.column() > 0, "case {i}: no column: {e}");
    }
}
