//! `burnlab notify` against a real Alertmanager 0.25 (/usr/bin/prometheus-alertmanager) on
//! loopback: eleven cases with timers scaled to seconds (group_wait, batching at group_interval
//! ticks, repeats, resolution with and without send_resolved, partial resolution, inhibition,
//! group_by splitting, `continue`, an emptied group, a backdated alert, a silence). Each
//! notification must match one the real Alertmanager's webhook received: same receiver, group
//! key, firing and resolved alerts, and a time within 0.1 s (an uncertain one may take its other
//! time). The recorded answers (`cargo xtask replay-fixtures`) are checked every run, and a live
//! sample of four cases is run again (within 0.25 s: see [`LIVE`]). Fails (never skips) without
//! the Debian package.

#![allow(clippy::indexing_slicing)]

#[path = "../../xtask/src/live_am.rs"]
mod live_am;

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use burnlab_testkit::fixtures::fixture;
use serde_json::Value;

/// What `burnlab notify --json` predicts for `case`.
fn predict(case: &live_am::LiveCase, dir: &Path) -> Vec<Value> {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    let config = dir.join("alertmanager.yml");
    let alerts = dir.join("alerts.json");
    std::fs::write(
        &config,
        case.config.replace(live_am::WEBHOOK, "http://127.0.0.1:9"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&alerts, &case.alerts).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_burnlab"))
        .arg("notify")
        .arg(format!("--alertmanager={}", config.display()))
        .arg(format!("--alerts={}", alerts.display()))
        .arg("--json")
        .output()
        .unwrap_or_else(|e| panic!("burnlab: {e}"));
    assert!(
        out.status.success(),
        "{}: {}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    v["notifications"].as_array().cloned().unwrap_or_default()
}

/// The recorded answers must agree within 0.1 s. A live run shares the CPU with the rest of the
/// build (lags over 100 ms were seen with six runnable jobs on two cores), so it is allowed a
/// quarter of a second: still less than half of the 0.5 s evaluation step, the finest step of the
/// cases, so a notification at the wrong tick cannot pass.
const RECORDED: f64 = 0.1;
const LIVE: f64 = 0.25;

/// Pairs every predicted notification with a received one, `tolerance` seconds apart at most;
/// `Err` lists what does not match.
fn compare(
    name: &str,
    predicted: &[Value],
    received: &[Value],
    tolerance: f64,
) -> Result<(), String> {
    let mut left: Vec<&Value> = received.iter().collect();
    let mut problems = Vec::new();
    for p in predicted {
        let at = p["at_s"].as_f64().unwrap_or(f64::NAN);
        let alt = p["alternative_at_s"].as_f64();
        let same = |r: &&Value| {
            let t = r["at_s"].as_f64().unwrap_or(f64::NAN);
            let close =
                (t - at).abs() <= tolerance || alt.is_some_and(|a| (t - a).abs() <= tolerance);
            close
                && r["receiver"] == p["receiver"]
                && r["group_key"] == p["group_key"]
                && r["firing"] == p["firing"]
                && r["resolved"] == p["resolved"]
        };
        match left.iter().position(same) {
            Some(i) => {
                left.remove(i);
            }
            None => problems.push(format!("predicted but not received: {p}")),
        }
    }
    // Where repeat_interval is an exact multiple of group_interval the real Alertmanager may
    // repeat one tick early, and then once more before the run ends: an extra copy of a
    // notification marked uncertain is one side of that coin, not a disagreement.
    let uncertain_copy = |r: &Value| {
        predicted.iter().any(|p| {
            p["alternative_at_s"].as_f64().is_some()
                && r["receiver"] == p["receiver"]
                && r["group_key"] == p["group_key"]
                && r["firing"] == p["firing"]
                && r["resolved"] == p["resolved"]
        })
    };
    for r in left.into_iter().filter(|r| !uncertain_copy(r)) {
        problems.push(format!("received but not predicted: {r}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n  {}", problems.join("\n  ")))
    }
}

fn recorded() -> Vec<(String, Vec<Value>)> {
    let text = fixture("replay/alertmanager.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (
                v["case"].as_str().unwrap_or_default().to_owned(),
                v["notifications"].as_array().cloned().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_fixtures_hold_an_answer_for_every_case() {
    let names: Vec<String> = live_am::cases().iter().map(|c| c.name.to_owned()).collect();
    let recorded: Vec<String> = recorded().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        recorded, names,
        "re-record with `cargo xtask replay-fixtures`"
    );
    assert!(names.len() >= 8);
}

#[test]
fn burnlab_notify_matches_every_recorded_alertmanager_answer() {
    let dir = std::env::temp_dir().join(format!("burnlab-notify-rec-{}", std::process::id()));
    let recorded = recorded();
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in live_am::cases() {
        let Some((_, received)) = recorded.iter().find(|(n, _)| n == case.name) else {
            failures.push(format!("{}: no recorded answer", case.name));
            continue;
        };
        let predicted = predict(&case, &dir.join(case.name));
        compared += predicted.len();
        if let Err(e) = compare(case.name, &predicted, received, RECORDED) {
            failures.push(e);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 25, "only {compared} notifications compared");
}

#[test]
fn burnlab_notify_matches_a_live_alertmanager_on_a_sample_of_cases() {
    assert!(
        Path::new(live_am::ALERTMANAGER).exists(),
        "{} is missing: run `cargo xtask setup`",
        live_am::ALERTMANAGER
    );
    let cases = live_am::cases();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as usize);
    let sample: Vec<&live_am::LiveCase> = (0..4)
        .map(|k| &cases[(seed + k * 3) % cases.len()])
        .collect();
    let failures = Mutex::new(Vec::new());
    // Two at a time: each case keeps an Alertmanager and a webhook busy for up to 21 s.
    for pair in sample.chunks(2) {
        std::thread::scope(|s| {
            for case in pair {
                let failures = &failures;
                s.spawn(move || {
                    let dir = std::env::temp_dir().join(format!(
                        "burnlab-notify-live-{}-{}",
                        std::process::id(),
                        case.name
                    ));
                    let result = live_am::run(case, &dir.join("am")).and_then(|got| {
                        let received: Vec<Value> = got.iter().map(live_am::summarize).collect();
                        compare(
                            case.name,
                            &predict(case, &dir.join("predict")),
                            &received,
                            LIVE,
                        )
                    });
                    let _ = std::fs::remove_dir_all(&dir);
                    if let (Err(e), Ok(mut f)) = (result, failures.lock()) {
                        f.push(e);
                    }
                });
            }
        });
    }
    let failures = failures.into_inner().unwrap_or_default();
    let names: Vec<&str> = sample.iter().map(|c| c.name).collect();
    eprintln!("live sample (seed {seed}): {}", names.join(", "));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
