//! `cargo xtask fixtures`: records the real amtool's answers for generated route trees and
//! label sets into tests/fixtures/amtool/, which the oracle tests check on every run.
//!
//! Files: `trees.jsonl` holds one `{"tree": N, "seed": S, "yaml": "..."}` per line;
//! `cases.jsonl` holds one `[tree, [label args...], "amtool's output"]` per line, the output
//! being the receivers line, or `ERROR` when amtool refused.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use burnlab::alertmanager::testgen::{self, Rng};

/// How many trees, and label sets per tree: 250 × 80 = 20,000 cases.
pub const TREES: u64 = 250;
/// Label sets asked per tree.
pub const LABEL_SETS: usize = 80;
/// Depth of generated trees below the root.
pub const DEPTH: usize = 3;
/// Seeds of fixture trees start here, so live samples (other seeds) never repeat them.
pub const SEED_BASE: u64 = 1_000_000;

/// The amtool binary the fixtures were recorded with.
pub const AMTOOL: &str = "/usr/bin/amtool";

/// Asks amtool which receivers `args` reach in the config at `file`; `ERROR` when it fails.
pub fn amtool_route(file: &Path, args: &[String]) -> Result<String, String> {
    let out = Command::new(AMTOOL)
        .arg("config")
        .arg("routes")
        .arg("test")
        .arg(format!("--config.file={}", file.display()))
        .arg("--")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {AMTOOL} ({e}); run `cargo xtask setup`"))?;
    if !out.status.success() {
        return Ok("ERROR".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_owned())
}

/// The label sets asked of tree `tree`, as amtool arguments.
pub fn label_args(seed: u64, count: usize) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed ^ 0x5EED);
    (0..count)
        .map(|_| {
            testgen::label_set(&mut rng)
                .iter()
                .map(|(k, v)| testgen::label_arg(k, v))
                .collect()
        })
        .collect()
}

/// Regenerates the fixtures under `root` (the workspace root) with the real amtool.
pub fn regenerate(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/fixtures/amtool");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = std::env::temp_dir().join("burnlab-amtool-fixtures");
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let results: Mutex<Vec<(u64, String, Vec<String>)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0u64);
    let failure: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let tree = {
                        let Ok(mut n) = next.lock() else { return };
                        if *n >= TREES {
                            return;
                        }
                        *n += 1;
                        *n - 1
                    };
                    let seed = SEED_BASE + tree;
                    let yaml = testgen::route_tree_config(seed, DEPTH);
                    let file = tmp.join(format!("tree-{tree}.yml"));
                    if let Err(e) = std::fs::write(&file, &yaml) {
                        if let Ok(mut f) = failure.lock() {
                            *f = Some(e.to_string());
                        }
                        return;
                    }
                    let mut lines = Vec::new();
                    for args in label_args(seed, LABEL_SETS) {
                        match amtool_route(&file, &args) {
                            Ok(answer) => {
                                lines.push(serde_json::json!([tree, args, answer]).to_string())
                            }
                            Err(e) => {
                                if let Ok(mut f) = failure.lock() {
                                    *f = Some(e);
                                }
                                return;
                            }
                        }
                    }
                    if let Ok(mut r) = results.lock() {
                        r.push((tree, yaml, lines));
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut results = results.into_inner().map_err(|e| e.to_string())?;
    results.sort_by_key(|(t, _, _)| *t);
    let mut trees = String::new();
    let mut cases = String::new();
    for (tree, yaml, lines) in results {
        trees.push_str(
            &serde_json::json!({"tree": tree, "seed": SEED_BASE + tree, "yaml": yaml}).to_string(),
        );
        trees.push('\n');
        for l in lines {
            cases.push_str(&l);
            cases.push('\n');
        }
    }
    std::fs::write(dir.join("trees.jsonl"), trees).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("cases.jsonl"), cases).map_err(|e| e.to_string())?;
    Ok(())
}
