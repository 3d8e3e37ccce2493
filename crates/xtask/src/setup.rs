//! Idempotent installation of every tool the build and the tests need. Each step first checks
//! what is there and at which version, installs only what is missing, and says what it does and
//! roughly how long it takes. Nothing is downloaded from anywhere but the package registries
//! (crates.io, npm, Debian) and rustup's own targets.

use crate::cmd::{cmd, on_path, root};

/// Trunk's version: 0.22 needs a newer rustc than this project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's version, from npm. Debian's binaryen 108 cannot read the wasm Rust 1.95 emits.
pub const BINARYEN_VERSION: &str = "132";
/// Debian packages: the browser for the tests, the real Prometheus and Alertmanager tools
/// the oracle tests compare burnlab with, and GNU time for `cargo xtask bounds`' peak memory.
const DEBIAN_PACKAGES: [&str; 5] = [
    "chromium",
    "chromium-driver",
    "prometheus",
    "prometheus-alertmanager",
    "time",
];

/// cargo-fuzz's version.
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Everything: what `build` needs, plus the test browser, the oracles, Playwright and the fuzzer.
pub fn all() -> Result<(), String> {
    build_tools()?;
    debian_packages()?;
    playwright()?;
    fuzz_tools()?;
    println!("setup: everything is installed");
    Ok(())
}

/// What a Trunk build needs: the wasm target, wasm-opt, wasm-bindgen and Trunk itself.
pub fn build_tools() -> Result<(), String> {
    rust_target()?;
    wasm_opt()?;
    wasm_bindgen()?;
    trunk()?;
    Ok(())
}

fn rust_target() -> Result<(), String> {
    let installed = cmd("rustup", &["target", "list", "--installed"])
        .output()
        .ok_or(
            "rustup is missing: burnlab needs a rustup-managed Rust toolchain (https://rustup.rs)",
        )?;
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("setup: adding the wasm32-unknown-unknown target (about 30 s)");
    cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]).run()
}

fn debian_packages() -> Result<(), String> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|pkg| {
            cmd("dpkg-query", &["-W", "-f=${Status}", pkg])
                .output()
                .is_none_or(|s| !s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !on_path("apt-get") {
        return Err(format!(
            "missing Debian packages {}: this machine has no apt-get; install Chromium, \
             ChromeDriver, promtool (Prometheus 2.42) and amtool (Alertmanager 0.25) by hand",
            missing.join(", ")
        ));
    }
    let is_root = cmd("id", &["-u"]).output().is_some_and(|u| u.trim() == "0");
    let sudo: &[&str] = if is_root { &[] } else { &["sudo"] };
    println!(
        "setup: installing {} with apt-get (about 2 minutes)",
        missing.join(" ")
    );
    let run = |args: &[&str]| {
        let all: Vec<&str> = sudo.iter().chain(args).copied().collect();
        let (program, rest) = all.split_first().ok_or("empty command")?;
        cmd(program, rest)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
    };
    run(&["apt-get", "update", "-q"])?;
    let mut install = vec!["apt-get", "install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    run(&install)
}

fn wasm_opt() -> Result<(), String> {
    let version = cmd("wasm-opt", &["--version"]).output();
    match version {
        Some(v) if v.contains(&format!("version {BINARYEN_VERSION}")) => Ok(()),
        Some(v) => Err(format!(
            "wasm-opt on PATH is `{}`, but burnlab needs binaryen {BINARYEN_VERSION} from npm \
             (Debian's binaryen is too old to read Rust 1.95 output): remove it \
             (`apt-get remove binaryen`) and run `cargo xtask setup` again",
            v.trim()
        )),
        None => {
            if !on_path("npm") {
                return Err(format!(
                    "wasm-opt is missing and so is npm to install it: install Node.js and npm \
                     (`apt-get install nodejs npm`), then `npm i -g binaryen@{BINARYEN_VERSION}.0.0`"
                ));
            }
            println!(
                "setup: installing wasm-opt from npm binaryen@{BINARYEN_VERSION} (about 10 s)"
            );
            cmd(
                "npm",
                &[
                    "install",
                    "--global",
                    &format!("binaryen@{BINARYEN_VERSION}.0.0"),
                ],
            )
            .run()
        }
    }
}

/// The wasm-bindgen version in Cargo.lock, which the CLI must match exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen() -> Result<(), String> {
    let want = locked_wasm_bindgen_version()?;
    let have = cmd("wasm-bindgen", &["--version"]).output();
    if have.as_deref().map(str::trim) == Some(&format!("wasm-bindgen {want}")) {
        return Ok(());
    }
    println!(
        "setup: installing wasm-bindgen-cli {want} from crates.io (about 4 minutes; found {})",
        have.as_deref().map_or("none", str::trim)
    );
    cargo_install("wasm-bindgen-cli", &want)
}

fn trunk() -> Result<(), String> {
    let have = cmd("trunk", &["--version"]).output();
    if have.as_deref().map(str::trim) == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    println!(
        "setup: installing trunk {TRUNK_VERSION} from crates.io (about 14 minutes on 2 cores; found {})",
        have.as_deref().map_or("none", str::trim)
    );
    cmd(
        "cargo",
        &[
            "install",
            "--force",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
        ],
    )
    .run()
}

/// The end-to-end test runner and the accessibility checker it runs, pinned in
/// tests/e2e/package.json.
const E2E_PACKAGES: [(&str, &str); 2] = [
    ("@playwright/test", "1.65.1"),
    ("@axe-core/playwright", "4.14.1"),
];

/// The end-to-end packages, from tests/e2e/package-lock.json, without any browser download:
/// the tests drive Debian's /usr/bin/chromium.
fn playwright() -> Result<(), String> {
    let dir = root().join("tests/e2e");
    let have = |(package, want): &(&str, &str)| {
        std::fs::read_to_string(dir.join(format!("node_modules/{package}/package.json")))
            .ok()
            .is_some_and(|p| p.contains(&format!("\"version\": \"{want}\"")))
    };
    if E2E_PACKAGES.iter().all(have) {
        return Ok(());
    }
    let want = E2E_PACKAGES
        .iter()
        .map(|(p, v)| format!("{p} {v}"))
        .collect::<Vec<_>>()
        .join(" and ");
    if !on_path("npm") {
        return Err(
            "npm is missing: install Node.js and npm (`apt-get install nodejs npm`)".into(),
        );
    }
    println!("setup: installing {want} in tests/e2e (about 20 s, no browser download)");
    cmd("npm", &["ci", "--no-audit", "--no-fund"])
        .dir(dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .run()
}

/// What `cargo xtask fuzz` needs: the nightly toolchain (cargo-fuzz instruments the build with
/// flags only nightly accepts) and cargo-fuzz itself.
pub fn fuzz_tools() -> Result<(), String> {
    let toolchains = cmd("rustup", &["toolchain", "list"])
        .output()
        .unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        println!("setup: installing the nightly toolchain for fuzzing (about 1 minute)");
        cmd(
            "rustup",
            &["toolchain", "install", "nightly", "--profile", "minimal"],
        )
        .run()?;
    }
    let have = cmd("cargo", &["fuzz", "--version"]).output();
    if have.as_deref().map(str::trim) == Some(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}")) {
        return Ok(());
    }
    println!(
        "setup: installing cargo-fuzz {CARGO_FUZZ_VERSION} from crates.io (about 2 minutes; found {})",
        have.as_deref().map_or("none", str::trim)
    );
    cargo_install("cargo-fuzz", CARGO_FUZZ_VERSION)
}

/// `cargo install` of one version, `--locked` first: the lockfile a tool ships can name a
/// dependency version the registry no longer serves, and then cargo resolves compatible
/// versions without it.
fn cargo_install(krate: &str, version: &str) -> Result<(), String> {
    let args = ["install", "--force", krate, "--version", version];
    let locked: Vec<&str> = args.iter().copied().chain(["--locked"]).collect();
    if cmd("cargo", &locked).run().is_ok() {
        return Ok(());
    }
    println!("setup: the locked install of {krate} failed; retrying without --locked");
    cmd("cargo", &args).run()
}
