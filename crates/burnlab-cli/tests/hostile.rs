//! Regression tests for every way hostile input crashed, hung or exhausted `burnlab`: each
//! input of the test kit's `hostile` (and the output and size cases) run through the built
//! command as a person runs it, under a memory ceiling (`prlimit`) and a watchdog (`timeout`),
//! so a stack overflow, a hang or an allocation bomb fails the test instead of the machine. Before
//! the bounds, each of these ended in a signal, ran for tens of seconds, or took gigabytes.
//! How fast they are now is measured by `cargo xtask bounds`, not here.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

use burnlab_testkit::fixtures::fixture;
use burnlab_testkit::hostile::{self, Kind};

/// The address space each run may take: far above what any answer needs, far below what the
/// alias bomb once took (2.3 GB).
const MEMORY_CEILING: &str = "--as=1073741824";

/// Seconds before the watchdog ends a run (the unoptimized build is much slower than the
/// release one; the hangs took minutes).
const WATCHDOG_S: &str = "60";

/// What one run did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("burnlab-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `burnlab ARGS` under the memory ceiling and the watchdog.
fn burnlab(args: &[&str]) -> Run {
    let out = Command::new("prlimit")
        .args([MEMORY_CEILING, "--", "timeout", WATCHDOG_S])
        .arg(env!("CARGO_BIN_EXE_burnlab"))
        .args(args)
        .output()
        .expect("prlimit and timeout (util-linux, coreutils) run");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Feeds the hostile case `name` to the command for its kind and checks that it ends in an
/// answer or an error (exit 0, 1 or 2: not a signal, not the watchdog's 124, not a panic's
/// 101), and that the output contains every fragment of `want`.
fn hostile_case(name: &str, want: &[&str]) {
    let case = hostile::cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no hostile case {name}"));
    let path = scratch(&format!("{name}.yaml"), &case.text);
    let file = path.to_string_lossy();
    let args: Vec<&str> = match case.kind {
        Kind::RuleFile => vec!["lint", &file],
        Kind::AlertmanagerConfig => vec!["check", "--lint", "--config", &file],
        Kind::Spec => vec!["rules", "--spec", &file],
    };
    let run = burnlab(&args);
    let tail: String = run
        .stderr
        .chars()
        .rev()
        .take(600)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(
        matches!(run.code, Some(0..=2)),
        "{name} ({}): exit {:?}, stderr …{tail}",
        case.was,
        run.code
    );
    assert!(!run.stderr.contains("panicked"), "{name}: {tail}");
    let all = format!("{}{}", run.stdout, run.stderr);
    for w in want {
        assert!(
            all.contains(w),
            "{name}: {w:?} missing from\n{}",
            all.chars().take(2000).collect::<String>()
        );
    }
}

#[test]
fn abs_nested_66000_deep_is_a_located_error_not_a_stack_overflow() {
    hostile_case(
        "abs-nested-66000",
        &[
            "abs-nested-66000.yaml:6:",
            "lints expressions of up to 64 KiB (at line 1, column 65537 of the expression)",
        ],
    );
}

#[test]
fn parentheses_nested_through_a_megabyte_are_a_located_error_not_an_overflow_on_drop() {
    hostile_case(
        "parens-nested-1mb",
        &["lints expressions of up to 64 KiB (at line 1, column 65537 of the expression)"],
    );
}

#[test]
fn sum_nested_20000_deep_is_a_located_error_not_a_hang() {
    hostile_case(
        "sum-nested-20000",
        &["lints expressions of up to 64 KiB (at line 1, column 65537 of the expression)"],
    );
}

#[test]
fn chains_of_22000_powers_and_30000_additions_are_located_errors_not_stack_overflows() {
    hostile_case("power-chain-22000", &["more than 256 operators"]);
    hostile_case("plus-chain-30000", &["more than 256 operators"]);
}

#[test]
fn unary_minus_120000_times_and_38000_comparisons_are_located_errors_not_hangs() {
    hostile_case(
        "unary-minus-120000",
        &["lints expressions of up to 64 KiB (at line 1, column 65537 of the expression)"],
    );
    hostile_case(
        "gt-chain-38000",
        &["lints expressions of up to 64 KiB (at line 1, column 65537 of the expression)"],
    );
}

#[test]
fn three_thousand_and_terms_are_a_located_error_not_25_seconds_of_lint() {
    hostile_case("and-chain-3000", &["more than 256 operators"]);
}

#[test]
fn a_megabyte_of_expressions_each_within_the_bounds_is_linted_up_to_the_files_budget() {
    hostile_case("and-chains-1mb", &["were not checked"]);
}

#[test]
fn a_mapping_of_77000_keys_reads_without_quadratic_key_comparison() {
    // The keys are under `global`, which Alertmanager does not know: the answer is the first
    // unknown field, found after reading every key once.
    hostile_case("yaml-keys-77000", &["k0"]);
}

#[test]
fn check_lint_on_27000_sibling_routes_answers_without_comparing_every_pair() {
    hostile_case("routes-14000", &[]);
    hostile_case("routes-27000", &[]);
}

#[test]
fn an_alias_bomb_is_refused_by_the_bytes_it_would_copy() {
    hostile_case("alias-bomb", &["alias", "line"]);
}

#[test]
fn a_spec_query_nested_past_the_bounds_is_refused_in_the_spec_where_it_is() {
    hostile_case(
        "spec-query-nested",
        &["slos[0].sli.events.error_query", "line 8, column"],
    );
}

#[test]
fn an_endless_input_is_refused_at_the_size_cap_instead_of_read_until_memory_runs_out() {
    for args in [
        vec!["lint", "/dev/zero"],
        vec!["check", "--config", "/dev/zero"],
        vec!["rules", "--spec", "/dev/zero"],
    ] {
        let run = burnlab(&args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, Some(2), "{args:?}: {all}");
        assert!(
            all.contains("/dev/zero: file: is longer than the 16 MiB burnlab reads"),
            "{args:?}: {all}"
        );
    }
}

fn spec() -> String {
    fixture("specs/task-api.yaml")
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let spec = scratch("spec.yaml", &spec());
    let spec = spec.to_string_lossy();
    for args in [
        vec!["rules", "--spec", &spec],
        vec!["runbook", "--spec", &spec],
        vec!["budget", "--objective", "99.9"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_burnlab"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Closing the reading end before the command writes: every write fails with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_an_error_message_and_a_failing_exit_not_a_panic() {
    let spec = scratch("spec-full.yaml", &spec());
    let spec = spec.to_string_lossy();
    for args in [
        vec!["rules", "--spec", &spec],
        vec!["budget", "--objective", "99.9", "--json"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_burnlab"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("burnlab: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}
