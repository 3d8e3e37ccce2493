//! `cargo xtask fuzz [TARGET…] [--time S] [--runs N] [--dev] [--scale]`: coverage-guided
//! fuzzing of every parser with cargo-fuzz on the nightly toolchain (installed by `cargo xtask
//! setup`).
//!
//! Each target's check is in `fuzz/checks` (see its crate docs); the committed corpus in
//! `fuzz/corpus/<target>` is read-only here: a run works in `target/fuzz/corpus/<target>`,
//! which grows from run to run, and writes what it finds to `target/fuzz/artifacts/`. A crash
//! becomes a named regression test in the core and its input goes into the committed corpus,
//! which every run (the short one in `cargo xtask test` included) replays first.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cmd::{cmd, root};

/// Every fuzz target, in the order they run.
pub const TARGETS: [&str; 15] = [
    "yaml",
    "am_config",
    "matchers",
    "duration",
    "time_intervals",
    "sloth_spec",
    "openslo_spec",
    "rules_lint",
    "promql",
    "budget",
    "gotemplate",
    "intent",
    "tester",
    "heavy",
    "replay_scenario",
];

/// libFuzzer's limits, the "bounded time and memory" each target asserts: an input that takes
/// longer than this many seconds, or a process above this many MB, is a finding. Inputs are at
/// most `MAX_LEN` bytes; costs at larger sizes are what `--scale` and `cargo xtask bounds` look
/// at.
const TIMEOUT_S: &str = "5";
const RSS_LIMIT_MB: &str = "1024";
const MAX_LEN: &str = "8192";

/// What one target's run did.
pub struct Run {
    /// The target.
    pub target: String,
    /// Inputs executed.
    pub execs: u64,
    /// Coverage: the edges libFuzzer's instrumentation saw, and its features.
    pub coverage: String,
    /// Seconds it ran.
    pub seconds: f64,
}

fn binary(dev: bool, target: &str) -> PathBuf {
    root()
        .join("fuzz/target/x86_64-unknown-linux-gnu")
        .join(if dev { "debug" } else { "release" })
        .join(target)
}

/// Builds every target: optimized for real runs, unoptimized (faster to build) for the short
/// run in `cargo xtask test`. No sanitizer: the code is safe Rust, and without one the fuzzer
/// runs several times faster; overflow checks and debug assertions are on.
pub fn build(dev: bool) -> Result<(), String> {
    let mut args = vec!["+nightly", "fuzz", "build", "--sanitizer", "none"];
    if dev {
        args.push("--dev");
    }
    cmd("cargo", &args).run()
}

/// How the short run of `cargo xtask test` bounds each target: a fixed number of inputs from
/// a fixed seed, so one commit's run is the same on every machine (a finding fails that commit
/// everywhere, not one CI run in ten); the time limit only caps a slow machine.
const SMOKE_RUNS: u64 = 1500;
/// The smoke run's libFuzzer seed.
const SMOKE_SEED: u64 = 1;

/// Runs `target` for `seconds` (with libFuzzer's `extra` options, e.g. a number of runs),
/// starting from the committed corpus, and returns what it did.
fn run_with(
    target: &str,
    seconds: u64,
    dev: bool,
    work: &Path,
    extra: &[String],
) -> Result<Run, String> {
    let corpus = work.join("corpus").join(target);
    let artifacts = work.join("artifacts");
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let committed = root().join("fuzz/corpus").join(target);
    let prefix = format!("{}/{target}-", artifacts.display());
    let time = format!("-max_total_time={seconds}");
    let args = [
        corpus.to_string_lossy().into_owned(),
        committed.to_string_lossy().into_owned(),
        time,
        format!("-timeout={TIMEOUT_S}"),
        format!("-rss_limit_mb={RSS_LIMIT_MB}"),
        format!("-max_len={MAX_LEN}"),
        format!("-artifact_prefix={prefix}"),
        "-print_final_stats=1".into(),
    ]
    .into_iter()
    .chain(extra.iter().cloned());
    if extra.is_empty() {
        println!("\n$ fuzz {target} for {seconds} s");
    } else {
        println!(
            "\n$ fuzz {target} {} (at most {seconds} s)",
            extra.join(" ")
        );
    }
    let start = Instant::now();
    let out = std::process::Command::new(binary(dev, target))
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot start the {target} fuzzer: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&out.stderr);
    let execs = log
        .lines()
        .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let coverage = log
        .lines()
        .rev()
        .find_map(|l| {
            let cov = l.split("cov: ").nth(1)?.split_whitespace().next()?;
            let ft = l.split("ft: ").nth(1)?.split_whitespace().next()?;
            Some(format!("{cov} edges, {ft} features"))
        })
        .unwrap_or_default();
    if !out.status.success() {
        // The panic's own words first (the backtrace after them is long), then the tail.
        let panic: Vec<&str> = log
            .lines()
            .skip_while(|l| !l.contains("panicked at"))
            .take(4)
            .collect();
        let tail: Vec<&str> = log.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "the {target} fuzzer found a failure after {execs} inputs (input saved under {prefix}…):\n{}\n…\n{}",
            panic.join("\n"),
            tail.join("\n")
        ));
    }
    println!("  {execs} inputs in {seconds:.0} s, {coverage}");
    Ok(Run {
        target: target.to_owned(),
        execs,
        coverage,
        seconds,
    })
}

/// `cargo xtask fuzz`: builds, then runs each named target (all by default) for `--time`
/// seconds (60 by default), or until it has run `--runs` inputs (then `--time` only caps it,
/// a day by default), and prints a table; `--scale` runs the scale search instead.
pub fn main(args: &[String]) -> Result<(), String> {
    let mut seconds = None;
    let mut runs: Option<u64> = None;
    let mut dev = false;
    let mut scale = false;
    let mut targets: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--time" => {
                seconds = Some(
                    it.next()
                        .and_then(|s| s.parse().ok())
                        .ok_or("--time needs a number of seconds")?,
                );
            }
            "--runs" => {
                runs = Some(
                    it.next()
                        .and_then(|s| s.parse().ok())
                        .ok_or("--runs needs a number of inputs")?,
                );
            }
            "--dev" => dev = true,
            "--scale" => scale = true,
            t if TARGETS.contains(&t) => targets.push(t.to_owned()),
            other => {
                return Err(format!(
                    "unknown fuzz target or option {other:?}; targets: {}",
                    TARGETS.join(", ")
                ));
            }
        }
    }
    if scale {
        let mut a = vec![
            "run",
            "--release",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "-p",
            "burnlab-fuzz-checks",
            "--bin",
            "scale",
            "--",
        ];
        a.extend(targets.iter().map(String::as_str));
        return cmd("cargo", &a).run();
    }
    crate::setup::fuzz_tools()?;
    build(dev)?;
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    let work = root().join("target/fuzz");
    let seconds = seconds.unwrap_or(if runs.is_some() { 86_400 } else { 60 });
    let extra: Vec<String> = runs.iter().map(|n| format!("-runs={n}")).collect();
    let mut done = Vec::new();
    for t in &targets {
        done.push(run_with(t, seconds, dev, &work, &extra)?);
    }
    println!("\ntarget          inputs run   seconds  inputs/s  coverage");
    for r in &done {
        println!(
            "{:<15} {:>11} {:>9.0} {:>9.0}  {}",
            r.target,
            r.execs,
            r.seconds,
            r.execs as f64 / r.seconds.max(1.0),
            r.coverage
        );
    }
    Ok(())
}

/// The short run of `cargo xtask test`: an unoptimized build, then every target replays its
/// committed corpus (every crash ever found) and runs [`SMOKE_RUNS`] inputs from a fixed seed,
/// in a scratch folder so the worktree stays clean.
pub fn smoke() -> Result<(), String> {
    crate::setup::fuzz_tools()?;
    let start = Instant::now();
    build(true)?;
    let work = std::env::temp_dir().join(format!("burnlab-fuzz-smoke-{}", std::process::id()));
    let fixed = [format!("-runs={SMOKE_RUNS}"), format!("-seed={SMOKE_SEED}")];
    TARGETS
        .iter()
        .try_for_each(|t| run_with(t, 20, true, &work, &fixed).map(|_| ()))?;
    // Kept when a target fails: the failing input is in it.
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "  fuzz smoke: {} targets in {:.0} s, build included",
        TARGETS.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
