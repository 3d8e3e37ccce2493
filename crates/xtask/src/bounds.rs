//! `cargo xtask bounds`: every hostile input of `burnlab_testkit::hostile` through the release
//! `burnlab` command under GNU time, and a table of wall time and peak memory against the goal
//! (any input of up to 1 MB answered within about a second and 256 MB). The inputs are written
//! to `target/bounds/`; the release binary is built first.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use burnlab_testkit::hostile::{self, Kind};

use crate::cmd::{cmd, root};

/// The goal per input of up to 1 MB.
const GOAL_SECONDS: f64 = 1.0;
const GOAL_MB: f64 = 256.0;

/// The arguments that feed a file of `kind` to the command line.
fn args(kind: Kind, file: &str) -> Vec<String> {
    let owned = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match kind {
        Kind::RuleFile => owned(&["lint", file]),
        Kind::AlertmanagerConfig => owned(&["check", "--lint", "--config", file]),
        Kind::Spec => owned(&["rules", "--spec", file]),
    }
}

/// Peak resident memory in MB from GNU time's `-v` report.
fn max_rss_mb(report: &str) -> Option<f64> {
    report
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// Runs every case and prints the table; fails when an input of up to 1 MB misses the goal or
/// any input ends in a signal (a crash) rather than an answer or an error.
pub fn run() -> Result<(), String> {
    cmd("cargo", &["build", "--release", "-p", "burnlab-cli"]).run()?;
    let bin = root().join("target/release/burnlab");
    let dir = root().join("target/bounds");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut missed = Vec::new();
    println!(
        "\n{:<20} {:>9} {:>8} {:>8} {:>5}  answer",
        "input", "size", "seconds", "MB", "exit"
    );
    for case in hostile::cases() {
        let file = dir.join(format!("{}.yaml", case.name));
        std::fs::write(&file, &case.text).map_err(|e| format!("{}: {e}", file.display()))?;
        let (seconds, mb, code, answer) = measure(&bin, case.kind, &file)?;
        let size = case.text.len();
        let within = size > 1 << 20 || (seconds <= GOAL_SECONDS && mb <= GOAL_MB);
        if !within || code.is_none() {
            missed.push(case.name);
        }
        println!(
            "{:<20} {:>9} {:>8.3} {:>8.1} {:>5}  {}",
            case.name,
            burnlab::limits::bytes(size),
            seconds,
            mb,
            code.map_or("signal".to_owned(), |c| c.to_string()),
            answer
        );
    }
    if missed.is_empty() {
        println!("\nevery input of up to 1 MiB within {GOAL_SECONDS} s and {GOAL_MB} MB");
        Ok(())
    } else {
        Err(format!("beyond the bounds: {}", missed.join(", ")))
    }
}

/// One run under `/usr/bin/time -v`: seconds, peak MB, exit code, and the answer's first line.
fn measure(bin: &Path, kind: Kind, file: &Path) -> Result<(f64, f64, Option<i32>, String), String> {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .args(args(kind, &file.to_string_lossy()))
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time (Debian's `time` package): {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mb = max_rss_mb(&stderr).unwrap_or(f64::NAN);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let answer = stdout
        .lines()
        .chain(stderr.lines())
        .find(|l| !l.trim().is_empty() && !l.starts_with(['\t', ' ']) && !l.starts_with("Checking"))
        .unwrap_or_default();
    let answer: String = answer.chars().take(110).collect();
    // GNU time exits with the command's code, or 128 + the signal when it was killed.
    let code = out.status.code().filter(|c| *c < 128);
    Ok((seconds, mb, code, answer))
}
