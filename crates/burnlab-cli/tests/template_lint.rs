//! The lint's `invalid-template` check against the real `promtool check rules` (Prometheus 2.42): for
//! each annotation template in tests/fixtures/rules/templates/cases.yaml, promtool and the
//! lint must agree on whether the rule file loads, and the lint must say what promtool says.
//! This test needs /usr/bin/promtool and fails (never skips) without it.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use burnlab::rules::lint::lint_files;
use burnlab_testkit::fixtures::fixture;

const PROMTOOL: &str = "/usr/bin/promtool";

#[test]
fn template_findings_agree_with_promtool_check_rules() {
    assert!(
        Path::new(PROMTOOL).exists(),
        "{PROMTOOL} is missing: the oracle tests need the real promtool; run `cargo xtask setup`"
    );
    let text = fixture("rules/templates/cases.yaml");
    let cases = burnlab::yaml::parse(&text, "cases").unwrap().unwrap();
    let dir = std::env::temp_dir().join(format!("burnlab-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, case) in cases.items().unwrap().iter().enumerate() {
        let template = case.get("text").and_then(|t| t.scalar()).unwrap();
        let ok = case.get("ok").and_then(|t| t.scalar()) == Some("true");
        let escaped = template.replace('\\', "\\\\").replace('"', "\\\"");
        let rules = format!(
            "groups:\n  - name: g\n    rules:\n      - alert: Case{i}\n        expr: vector(1) > 0\n        labels:\n          severity: ticket\n        annotations:\n          description: \"{escaped}\"\n"
        );
        let file = dir.join(format!("case{i}.yaml"));
        std::fs::write(&file, &rules).unwrap();
        let out = Command::new(PROMTOOL)
            .args(["check", "rules"])
            .arg(&file)
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.status.success(),
            ok,
            "case {i} {template:?}: promtool said\n{said}"
        );
        let findings: Vec<_> = lint_files(&[("case.yaml", &rules)])
            .into_iter()
            .filter(|f| f.check == "invalid-template")
            .collect();
        assert_eq!(
            findings.is_empty(),
            ok,
            "case {i} {template:?}: {findings:?}"
        );
        for f in findings {
            let what = f.message.split(" (at line").next().unwrap();
            assert!(
                said.contains(what),
                "case {i} {template:?}: the lint says {what:?}, promtool said\n{said}"
            );
        }
    }
}
