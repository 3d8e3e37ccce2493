//! `cargo xtask`: the project's only build script, and the only code that knows about tools.
//!
//! - `setup`  installs what is missing (each tool checked at its pinned version first);
//! - `serve`  builds and serves the playground on http://127.0.0.1:8080, rebuilding on change;
//! - `build`  writes the release `dist/` and prints each file's raw and gzipped size;
//! - `test`   runs every check CI runs: fmt, clippy, native tests, wasm tests in headless
//!   Chromium, the core's dependency invariant, the release build and the browser end-to-end tests;
//! - `bench`  runs the criterion benchmarks, the size report and the browser timing run;
//! - `bounds` measures the hostile inputs' time and memory through the release command;
//! - `fuzz`   runs the coverage-guided fuzz targets (cargo-fuzz on nightly), or the scale search;
//! - `csp`    (run by Trunk after each build) writes the inline script's hash into the page's
//!   Content-Security-Policy;
//! - `replay-fixtures` re-records a real Alertmanager's answers for the replay's oracle cases;
//! - `replay-bench [--month]` runs the replay's benchmarks and, measured in the same run,
//!   promtool, the command and the replay on the same scenarios, with their ratios.

mod amtool_fixtures;
mod bounds;
mod cmd;
mod csp;
mod fuzz;
mod live_am;
mod replay_bench;
mod replay_fixtures;
mod setup;
mod tasks;
mod unicode_tables;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup|serve|build|test|bench>

  setup   install what is missing (rust wasm target, Debian packages, wasm-opt,
          wasm-bindgen-cli, trunk, Playwright); idempotent
  serve   build and serve the playground at http://127.0.0.1:8080 with rebuild on change
  build   release build into dist/ and a size report
  test    everything CI runs
  bench   criterion benchmarks, the replay against promtool, the size report and the
          browser timing run
  fuzz [TARGET…] [--time S] [--runs N] [--dev]  run the fuzz targets (all by default) for
          S seconds each (60 by default), or until N inputs, and print inputs run and
          coverage per target
  fuzz --scale [TARGET…]  grow every corpus input to 256 KB and report costs that grow
          faster than the input
  bounds  the hostile inputs through the release command: time and memory against the goal
  csp     (Trunk's post_build hook) allow Trunk's inline start-up script in the page's CSP
  fixtures [round2]  re-record the amtool answers in tests/fixtures/amtool/ (needs amtool)
  replay-bench     the replay's benchmarks and its ratio to promtool on the same scenario
                   (1, 3 and 7 days; with --month also 30 days, which takes promtool minutes)
  replay-fixtures  re-record what a real Alertmanager notifies for the replay's oracle cases
  unicode-tables  rewrite crates/burnlab/data/go-unicode-13.bin from Go 1.19's tables
                  (needs Debian's golang-1.19-src)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("serve") => tasks::serve(),
        Some("build") => tasks::build().map(|_| ()),
        Some("test") => tasks::test(),
        Some("bench") => tasks::bench(),
        Some("bounds") => bounds::run(),
        Some("csp") => csp::run(),
        Some("fuzz") => fuzz::main(args.get(1..).unwrap_or_default()),
        Some("fixtures") => {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            match args.get(1).map(String::as_str) {
                Some("round2") => amtool_fixtures::regenerate_round2(&root),
                _ => amtool_fixtures::regenerate(&root)
                    .and_then(|()| amtool_fixtures::regenerate_round2(&root)),
            }
        }
        Some("unicode-tables") => unicode_tables::regenerate(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
        ),
        Some("replay-bench") => cmd::cmd("cargo", &["bench", "-p", "burnlab", "--bench", "replay"])
            .run()
            .and_then(|()| replay_bench::run(args.iter().any(|a| a == "--month"))),
        Some("replay-fixtures") => {
            replay_fixtures::record(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err}");
            ExitCode::FAILURE
        }
    }
}
