//! The build, serve, test and bench tasks.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::cmd::{cmd, root};
use crate::{csp, setup};

/// Crates that must never appear among the core's dependencies: the core runs natively and in
/// the browser alike, and does no I/O of its own.
const WEB_CRATES: [&str; 6] = [
    "yew",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "wasm-bindgen-futures",
];

/// The page's wire encoding: it belongs to `burnlab-protocol`, never to the core.
const PROTOCOL_CRATES: [&str; 1] = ["bincode"];

fn trunk(args: &[&str]) -> Result<(), String> {
    // Trunk passes --offline to cargo, so every crate must already be in the local registry.
    cmd("cargo", &["fetch"]).run()?;
    cmd("trunk", args)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .run()
}

/// `cargo xtask serve`: build and serve on 127.0.0.1:8080, rebuilding on change. Without
/// Trunk's autoreload: Trunk rewrites that inline script for each request, so no hash in the
/// page's Content-Security-Policy can allow it; reload the page by hand after a rebuild.
pub fn serve() -> Result<(), String> {
    setup::build_tools()?;
    trunk(&[
        "serve",
        "--offline",
        "--no-autoreload",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
    ])
}

/// One file of `dist/` in the size report.
pub struct Sized {
    name: String,
    raw: u64,
    gzip: u64,
}

/// The most the first load may weigh, gzipped: every file the page fetches as it opens
/// (index.html, the wasm, its JS glue, the style sheets, the icon).
pub const FIRST_LOAD_BUDGET_GZIP: u64 = 300_000;

/// `cargo xtask build`: the release `dist/`, its Content-Security-Policy checked, and a report of
/// each file's raw and gzipped size, the first load apart from what loads on demand. Fails when
/// the first load is over [`FIRST_LOAD_BUDGET_GZIP`].
pub fn build() -> Result<Vec<Sized>, String> {
    setup::build_tools()?;
    trunk(&["build", "--release", "--offline"])?;
    let dist = root().join("dist");
    let index = fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    csp::check(&index)?;
    let report = size_report(&dist)?;
    let first = first_load(&dist, &index);
    let (now, later): (Vec<&Sized>, Vec<&Sized>) =
        report.iter().partition(|f| first.contains(&f.name));
    let table = |title: &str, files: &[&Sized]| -> (u64, u64) {
        println!("\n{:<48} {:>10} {:>10}", title, "raw", "gzip -9");
        for f in files {
            println!("{:<48} {:>10} {:>10}", f.name, kb(f.raw), kb(f.gzip));
        }
        let (raw, gzip) = files
            .iter()
            .fold((0, 0), |(r, g), f| (r + f.raw, g + f.gzip));
        println!("{:<48} {:>10} {:>10}", "total", kb(raw), kb(gzip));
        (raw, gzip)
    };
    let (_, first_gzip) = table("dist/: first load", &now);
    if !later.is_empty() {
        table("dist/: loaded on demand", &later);
    }
    println!(
        "\nfirst load: {} of the {} budget (gzip -9)",
        kb(first_gzip),
        kb(FIRST_LOAD_BUDGET_GZIP)
    );
    if first_gzip > FIRST_LOAD_BUDGET_GZIP {
        return Err(format!(
            "the first load is {} gzipped, over its budget of {}: load heavy parts on demand",
            kb(first_gzip),
            kb(FIRST_LOAD_BUDGET_GZIP)
        ));
    }
    Ok(report)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Relative URLs in `text` that a page or module fetches as it starts: `href="…"` and `src="…"`
/// attributes, and static `import … from '…'` / `import '…'` in modules. Dynamic `import(…)`
/// and worker scripts load on demand and are not matched.
fn static_references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in [
        "href=\"",
        "src=\"",
        "from '",
        "from \"",
        "import '",
        "import \"",
    ] {
        let quote = marker.chars().last().unwrap_or('"');
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            let after = rest.get(i + marker.len()..).unwrap_or_default();
            let end = after.find(quote).unwrap_or(after.len());
            let url = after.get(..end).unwrap_or_default();
            if !url.contains("://") && !url.starts_with("data:") && !url.is_empty() {
                let path = url
                    .trim_start_matches("./")
                    .split(['?', '#'])
                    .next()
                    .unwrap_or_default();
                out.push(path.to_owned());
            }
            rest = after.get(end..).unwrap_or_default();
        }
    }
    out
}

/// The files of `dist` the page fetches as it opens: index.html and everything it references,
/// followed through the static imports of JS modules.
fn first_load(dist: &Path, index: &str) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::from(["index.html".to_owned()]);
    let mut queue = static_references(index);
    while let Some(name) = queue.pop() {
        let path = dist.join(&name);
        if !path.is_file() || !seen.insert(name.clone()) {
            continue;
        }
        if name.ends_with(".js")
            && let Ok(text) = fs::read_to_string(&path)
        {
            let base = Path::new(&name)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            queue.extend(
                static_references(&text)
                    .into_iter()
                    .map(|r| base.join(r).to_string_lossy().into_owned()),
            );
        }
    }
    seen
}

fn size_report(dist: &Path) -> Result<Vec<Sized>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dist.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes =
                    fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                files.push(Sized {
                    name: path
                        .strip_prefix(dist)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                    raw: bytes.len() as u64,
                    gzip: gzip_len(&bytes)?,
                });
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// The size of `bytes` after `gzip -9`, as a static file server would send it.
fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("gzip has no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("gzip failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "gzip writer panicked".to_string())?
        .map_err(|e| format!("cannot feed gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

/// `cargo xtask test`: every check CI runs, cheapest first.
pub fn test() -> Result<(), String> {
    setup::all()?;
    let _tmp = crate::cmd::scratch_tmp();
    cmd("cargo", &["fmt", "--all", "--check"]).run()?;
    cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "burnlab-web",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    // The first-load build of the page (without the Replay section's components).
    cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "burnlab-web",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "first-load",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    core_has_no_web_dependency()?;
    cmd(
        "cargo",
        &["test", "--workspace", "--exclude", "burnlab-web"],
    )
    .run()?;
    // The worker's session and its tests (they need the `session` feature, which the workspace
    // run above only gets through the worker's dependency).
    cmd(
        "cargo",
        &["test", "-p", "burnlab-protocol", "--features", "session"],
    )
    .run()?;
    // The core as the page builds it (without the `unicode-tables` feature, which the
    // workspace run above unifies on): Unicode tables installed on demand.
    cmd(
        "cargo",
        &["test", "-p", "burnlab", "--test", "unicode_on_demand"],
    )
    .run()?;
    // Every fuzz target for a few seconds, replaying its committed corpus first.
    crate::fuzz::smoke()?;
    // The page's pure helpers (slider stops, chart axes) are plain unit tests, run natively.
    cmd("cargo", &["test", "-p", "burnlab-web", "--lib"]).run()?;
    // wasm-bindgen-test-runner (the runner in .cargo/config.toml) drives headless Chromium
    // through chromedriver.
    cmd(
        "cargo",
        &[
            "test",
            "-p",
            "burnlab-web",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .run()?;
    build()?;
    // replay.spec.ts checks the page against `target/debug/burnlab simulate --json`.
    cmd("cargo", &["build", "-p", "burnlab-cli"]).run()?;
    cmd("npx", &["playwright", "test"])
        .dir(root().join("tests/e2e"))
        .run()?;
    println!("\nxtask test: every check passed");
    Ok(())
}

/// Architecture invariant: `cargo tree -p burnlab` lists no web crate and no wire encoding.
fn core_has_no_web_dependency() -> Result<(), String> {
    println!("\n$ cargo tree -p burnlab -e normal,build --prefix none");
    let tree = cmd(
        "cargo",
        &[
            "tree",
            "-p",
            "burnlab",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ],
    )
    .output()
    .ok_or("`cargo tree -p burnlab` failed")?;
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| WEB_CRATES.contains(name) || PROTOCOL_CRATES.contains(name))
        .collect();
    if found.is_empty() {
        println!("  the core depends on no web crate and no wire encoding");
        Ok(())
    } else {
        Err(format!(
            "the core crate depends on {}: the web crates and the page's wire encoding stay out of it (the encoding lives in burnlab-protocol)",
            found.join(", ")
        ))
    }
}

/// `cargo xtask bench`: the criterion benchmarks, the replay against promtool on the same
/// scenario, the bundle size report, and the browser timing runs (page load and keystroke to
/// painted frame in headless Chromium, written to target/bench/*.json).
pub fn bench() -> Result<(), String> {
    setup::all()?;
    cmd("cargo", &["bench", "-p", "burnlab"]).run()?;
    cmd(
        "cargo",
        &["bench", "-p", "burnlab-protocol", "--features", "session"],
    )
    .run()?;
    crate::replay_bench::run(false)?;
    build()?;
    cmd("npx", &["playwright", "test"])
        .dir(root().join("tests/e2e"))
        .env("BURNLAB_BENCH", "1")
        .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_load_follows_html_references_and_static_imports_only() {
        let refs = static_references(
            "<link rel=\"stylesheet\" href=\"./style.css\"><link rel=\"icon\" href=\"favicon.svg\">\
             <link href=\"https://elsewhere.example/x.css\"><script src=\"./a.js?v=1\"></script>\
             import init from './burnlab-web.js'; import './snippets/x.js'; import('./lazy.js');",
        );
        assert_eq!(
            refs,
            [
                "style.css",
                "favicon.svg",
                "a.js",
                "burnlab-web.js",
                "snippets/x.js"
            ]
        );
    }
}
