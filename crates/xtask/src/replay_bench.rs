//! The replay against promtool, side by side in one run, for `cargo xtask bench` and `cargo xtask
//! replay-bench`: the benchmark month (Workbook tiers, 30 s evaluations, 1 m scrapes) cut to 1, 3
//! and 7 days (and the whole 30 with `--month`, which takes promtool minutes), each exported as a
//! promtool unit test. For each cut, measured now on this machine: `promtool test rules` on the
//! test and `burnlab simulate` on the same scenario as a process (the release command, what a
//! person or a CI job runs). The ratios are printed from those figures and written to
//! `target/bench/replay-vs-promtool.json` with the machine's load; no figure comes from an
//! earlier run. (The replay in process, warm, is criterion's: this task itself is built
//! without optimisation, so it does not time the replay in its own process.)

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use burnlab::replay::{Options, Replay, Scenario};
use burnlab::rules::Spec;
use serde_json::json;

use crate::cmd::{cmd, root};

const PROMTOOL: &str = "/usr/bin/promtool";
const SPEC: &str = "tests/fixtures/specs/workbook-999.yaml";
/// Runs of the command per cut; the median is reported.
const RUNS: usize = 7;

fn read(path: &str) -> Result<String, String> {
    let p = root().join(path);
    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let at = |i: usize| xs.get(i).copied().unwrap_or(f64::NAN);
    if n % 2 == 1 {
        at(n / 2)
    } else {
        (at((n / 2).wrapping_sub(1)) + at(n / 2)) / 2.0
    }
}

/// The 1-minute load average and the number of cores.
fn load() -> (f64, usize) {
    let avg = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN);
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    (avg, cores)
}

/// Seconds `f` takes, and what it returned.
fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let started = Instant::now();
    let out = f();
    (started.elapsed().as_secs_f64(), out)
}

/// One cut of the month: its scenario, the exported test, promtool and the command on it.
fn cut(
    spec: &Spec,
    month: &Scenario,
    days: u64,
    cli: &Path,
    dir: &Path,
) -> Result<serde_json::Value, String> {
    let mut s = month.clone();
    s.duration = burnlab::Duration::from_days(days);
    s.incidents.retain(|i| i.start < s.duration);
    s.silences.clear();
    s.name = Some(format!("bench-{days}d"));
    let options = Options {
        compare_naive: false,
        ..Options::default()
    };
    let mut replay =
        Replay::compile(spec, None, None, None, &options).map_err(|e| e.to_string())?;
    let outcome = replay.run(&s).map_err(|e| e.to_string())?;
    let files = replay
        .promtool_test(&s, &outcome, "rules.yaml")
        .map_err(|e| e.to_string())?;
    let here = dir.join(format!("{days}d"));
    std::fs::create_dir_all(&here).map_err(|e| e.to_string())?;
    std::fs::write(here.join("rules.yaml"), &files.rules).map_err(|e| e.to_string())?;
    std::fs::write(here.join("test.yaml"), &files.test).map_err(|e| e.to_string())?;
    let scenario = here.join("scenario.yaml");
    std::fs::write(&scenario, s.to_yaml()).map_err(|e| e.to_string())?;

    let spec_path = root().join(SPEC);
    let mut process = Vec::new();
    for _ in 0..RUNS {
        let (t, status) = time(|| {
            Command::new(cli)
                .arg("simulate")
                .arg(format!("--spec={}", spec_path.display()))
                .arg(format!("--scenario={}", scenario.display()))
                .args(["--no-naive", "--json"])
                .stdout(Stdio::null())
                .status()
        });
        let status = status.map_err(|e| format!("{}: {e}", cli.display()))?;
        if !status.success() {
            return Err(format!("burnlab simulate on {days} days: {status}"));
        }
        process.push(t);
    }
    println!(
        "$ promtool test rules   ({days} d at 30 s, {} checks)",
        files.checks
    );
    let (promtool, out) = time(|| {
        Command::new(PROMTOOL)
            .args(["test", "rules", "test.yaml"])
            .current_dir(&here)
            .output()
    });
    let out = out.map_err(|e| format!("{PROMTOOL}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "promtool disagrees with the replay on {days} days:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    let process = median(process);
    println!(
        "  promtool {promtool:.2} s · burnlab simulate (a process) {:.1} ms · ratio {:.0}×",
        process * 1e3,
        promtool / process,
    );
    Ok(json!({
        "days": days,
        "checks": files.checks,
        "promtool_s": promtool,
        "burnlab_simulate_process_ms_median": process * 1e3,
        "ratio_to_process": promtool / process,
    }))
}

/// Times promtool and the command on each cut, prints the ratios and writes them.
pub fn run(month: bool) -> Result<(), String> {
    cmd("cargo", &["build", "--release", "-p", "burnlab-cli"]).run()?;
    let cli = root().join("target/release/burnlab");
    let spec = Spec::parse(&read(SPEC)?).map_err(|e| e.to_string())?;
    let scenario = Scenario::parse(&read("tests/fixtures/replay/bench-30d.yaml")?)
        .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("burnlab-replay-bench-{}", std::process::id()));
    let (load_start, cores) = load();
    let days: &[u64] = if month { &[1, 3, 7, 30] } else { &[1, 3, 7] };
    let mut rows = Vec::new();
    for &d in days {
        match cut(&spec, &scenario, d, &cli, &dir) {
            Ok(row) => rows.push(row),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (load_end, _) = load();
    println!("(load average {load_start:.2} → {load_end:.2} on {cores} cores)");
    let report = json!({
        "machine": { "cores": cores, "load_1m_start": load_start, "load_1m_end": load_end },
        "cuts": rows,
    });
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(
        out.join("replay-vs-promtool.json"),
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())
}
