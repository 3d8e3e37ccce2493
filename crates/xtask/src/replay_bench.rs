//! The replay against promtool on the same scenario, for `cargo xtask bench`: the first three days
//! of the benchmark month (Workbook tiers, 30 s evaluations, 1 m scrapes) exported as a promtool
//! unit test and run by `promtool test rules`; its wall time over the replay's (criterion's mean
//! for the same three days) is the ratio. Three days keep promtool's part under a minute; the
//! month itself takes promtool minutes (the 449.5 s figure of the issue).

use std::path::Path;
use std::time::Instant;

use burnlab::replay::{Options, Replay, Scenario};
use burnlab::rules::Spec;

use crate::cmd::root;

const PROMTOOL: &str = "/usr/bin/promtool";

/// Criterion's mean time of a benchmark, in seconds.
fn criterion_mean(name: &str) -> Result<f64, String> {
    let path = root()
        .join("target/criterion")
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    v.get("mean")
        .and_then(|m| m.get("point_estimate"))
        .and_then(serde_json::Value::as_f64)
        .map(|ns| ns / 1e9)
        .ok_or_else(|| format!("{}: no mean", path.display()))
}

fn read(path: &str) -> Result<String, String> {
    let p = root().join(path);
    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Exports the three days, times promtool on them and prints the ratios.
pub fn run() -> Result<(), String> {
    let spec =
        Spec::parse(&read("tests/fixtures/specs/workbook-999.yaml")?).map_err(|e| e.to_string())?;
    let mut s = Scenario::parse(&read("tests/fixtures/replay/bench-30d.yaml")?)
        .map_err(|e| e.to_string())?;
    // The same cut as the criterion benchmark's `three_days`.
    s.duration = burnlab::Duration::from_days(3);
    s.incidents.retain(|i| i.start < s.duration);
    s.silences.clear();
    s.name = Some("bench-3d".into());
    let options = Options {
        compare_naive: false,
        ..Options::default()
    };
    let mut replay =
        Replay::compile(&spec, None, None, None, &options).map_err(|e| e.to_string())?;
    let outcome = replay.run(&s).map_err(|e| e.to_string())?;
    let files = replay
        .promtool_test(&s, &outcome, "rules.yaml")
        .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("burnlab-replay-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("rules.yaml"), &files.rules).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("test.yaml"), &files.test).map_err(|e| e.to_string())?;
    println!(
        "\n$ promtool test rules (3 days at 30 s, {} checks)",
        files.checks
    );
    let started = Instant::now();
    let out = std::process::Command::new(PROMTOOL)
        .args(["test", "rules", "test.yaml"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("{PROMTOOL}: {e}"))?;
    let promtool_s = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(Path::new(&dir));
    if !out.status.success() {
        return Err(format!(
            "promtool disagrees with the replay:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    let three = criterion_mean("replay 3d at 30s (the promtool comparison)")?;
    let month = criterion_mean("replay 30d at 30s, workbook tiers, 10 routes")?;
    println!(
        "replay, 3 days:  {:.3} ms; promtool test rules on the same 3 days: {:.1} s; ratio {:.0}×",
        three * 1e3,
        promtool_s,
        promtool_s / three
    );
    println!(
        "replay, 30 days: {:.3} ms (rules and Alertmanager); promtool on 30 days took 449.5 s on this kind of machine: ratio {:.0}×",
        month * 1e3,
        449.5 / month
    );
    Ok(())
}
