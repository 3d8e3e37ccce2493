//! `cargo run --manifest-path fuzz/Cargo.toml -p burnlab-fuzz-checks --bin seeds`: writes the
//! seed inputs of every fuzz target into `fuzz/corpus/<target>/seed-*` from the repository's
//! fixtures, the oracle tests' generators and a few hand-written cases, so a fuzzer starts
//! from inputs that reach deep into each parser. Run again after the fixtures change; the
//! inputs fuzzers find are kept beside the seeds.

use std::path::{Path, PathBuf};

use burnlab::rules::RuleFile;
use burnlab_testkit::rng::{self, Rng};
use burnlab_testkit::{checks, faults, fuzz, round2, trees};

fn fixture(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join("tests/fixtures").join(path)).unwrap_or_default()
}

fn main() -> std::io::Result<()> {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = fuzz.join("..");
    let corpus = fuzz.join("corpus");
    let mut seeds: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, text: &str| seeds.push((target, text.as_bytes().to_vec()));

    let configs = [
        "alertmanager/follow-the-sun.yaml",
        "alertmanager/generated-default.yaml",
        "alertmanager/lesson.secret.yaml",
    ];
    let specs = [
        "specs/task-api.yaml",
        "specs/checkout-raw.yaml",
        "specs/pyrra-search.yaml",
        "specs/workbook-999.yaml",
    ];
    let rule_files = [
        "rules/task-api.rules.yaml",
        "rules/checkout-raw.prometheusrule.yaml",
        "rules/lint/lesson-task-api-slo-alerts.yaml",
        "rules/lint/mistakes.yaml",
    ];
    for path in configs {
        add("am_config", &fixture(&root, path));
        add("yaml", &fixture(&root, path));
        add("heavy", &format!("\u{2}{}", fixture(&root, path)));
    }
    for seed in [1, 7] {
        add("am_config", &round2::round2_tree_config(seed));
        add("am_config", &trees::route_tree_config(seed, 3));
    }
    for (i, family) in checks::round2_families().iter().enumerate().step_by(3) {
        let case = checks::round2_check_config(i as u64, family);
        add("am_config", &case.yaml);
    }
    for fault in [
        "interval end 24:00",
        "interval three-part range",
        "match_re bad regex",
    ] {
        add("am_config", &faults::broken_config(3, fault));
    }
    for path in specs {
        add("sloth_spec", &fixture(&root, path));
        add("heavy", &format!("\u{0}{}", fixture(&root, path)));
    }
    add(
        "openslo_spec",
        &fixture(&root, "specs/openslo-task-api.yaml"),
    );
    add("yaml", &fixture(&root, "specs/task-api.yaml"));
    for path in rule_files {
        let text = fixture(&root, path);
        add("rules_lint", &text);
        add("heavy", &format!("\u{1}{text}"));
        if let Ok(file) = RuleFile::parse(&text) {
            for rule in file.groups.iter().flat_map(|g| &g.rules).step_by(2) {
                add("promql", &rule.expr);
                for (_, value) in &rule.annotations {
                    if value.contains("{{") {
                        add("gotemplate", value);
                    }
                }
            }
        }
    }
    for case in fixture(&root, "rules/templates/cases.yaml")
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("text: "))
        .step_by(4)
    {
        add("gotemplate", case.trim_matches('\''));
    }
    let mut rng = Rng::new(11);
    for _ in 0..6 {
        add("gotemplate", &fuzz::fuzz_template_text(&mut rng));
        add("matchers", &trees::matcher_text(&mut rng));
        add("matchers", &fuzz::fuzz_matcher_text(&mut rng));
    }
    for m in [
        r#"{severity="critical",slo=~"avail.*"}"#,
        r#"severity!="ticket", team=~"(?i)Plat\p{L}+""#,
        "alertname=Foo bar",
        r#"{"label with space"="v", a!~"[[:alpha:]]+|\d{2,3}"}"#,
        r#"a=~"\Q.*\E|x""#,
    ] {
        add("matchers", m);
    }
    for d in [
        "5m",
        "1h30m",
        "30d",
        "250ms",
        "1y2w3d4h5m6s7ms",
        "0",
        "18446744073709551615ms",
    ] {
        add("duration", d);
    }
    for t in [
        "- times: [{start_time: '09:00', end_time: '17:00'}]\n  weekdays: ['monday:friday']\n  location: Europe/Paris\n",
        "- days_of_month: ['1:7', '-1']\n  months: ['january:march', '12']\n  years: ['2024:2026']\n",
        "- times: [{start_time: '00:00', end_time: '24:00'}]\n  location: Asia/Kolkata\n",
    ] {
        add("time_intervals", t);
    }
    for b in [
        "99.9\n30d\n0.005\n1000\nworkbook\nbudget-share",
        "99.95 %\n28d\n2%\n10/h\npyrra\nfactors",
        "100\n7d\n0.0001\n\nsloth\n",
        "90\n1y\n1\n50/d\nworkbook-daily\n",
    ] {
        add("budget", b);
    }
    for i in [
        "page=pagerduty:oncall,ticket=slack:team\nemail\ndefault\nalertname,slo\n30s\n5m\n4h\nseverity\nslo\npage",
        "critical=webhook:hook\nslack\nall\n...\n1s\n1m\n1h\nlevel\nservice\n",
    ] {
        add("intent", i);
    }
    for t in [
        "alertname=A, severity=page, slo=x\nalertname=B, severity=ticket, slo=x\nseverity=\"page\";2024-03-16T00:00;2024-03-17T00:00\n2024-03-16T23:00",
        "a=\"x,y\", b=1\n\n\n2024-02-29T12:00",
    ] {
        add("tester", t);
    }
    for name in burnlab::replay::builtin::names() {
        if let Some(text) = burnlab::replay::builtin::text(name) {
            add("replay_scenario", text);
        }
    }
    add(
        "replay_scenario",
        "duration: 6h\nrequests_per_second: 10/m\nerror_ratio: 0.02%\nincidents:\n  - {start: 1h, duration: 20m, error_ratio_from: 0, error_ratio_to: 0.5, every: 1h, count: 3}\nsilences:\n  - {matchers: ['severity=\"ticket\"'], start: 2h, end: 3h, comment: quiet}\n",
    );
    add(
        "replay_scenario",
        "{\"duration\": \"2h\", \"requests_per_second\": 5, \"daily_shape\": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2], \"incidents\": [{\"start\": \"10m\", \"duration\": \"30s\", \"error_ratio\": 1, \"noise\": true}]}\n",
    );

    for (target, data) in seeds {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir)?;
        // Named by content, so writing the seeds again adds nothing twice.
        let name = format!(
            "seed-{:016x}",
            rng::fingerprint(&String::from_utf8_lossy(&data))
        );
        std::fs::write(dir.join(name), &data)?;
    }
    Ok(())
}
