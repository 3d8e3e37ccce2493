//! `cargo xtask fixtures`: records the real amtool's answers for generated route trees and
//! label sets into tests/fixtures/amtool/, which the oracle tests check on every run.
//!
//! Files: `trees.jsonl` holds one `{"tree": N, "seed": S, "yaml": "..."}` per line;
//! `cases.jsonl` holds one `[tree, [label args...], "amtool's output"]` per line, the output
//! being the receivers line, or `ERROR` when amtool refused.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use burnlab_testkit::rng::{self, Rng};
use burnlab_testkit::{checks, round2, trees};

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
            trees::label_set(&mut rng)
                .iter()
                .map(|(k, v)| trees::label_arg(k, v))
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
                    let yaml = trees::route_tree_config(seed, DEPTH);
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

/// Round 2: trees with Unicode regexes, case folding and yaml.v2 features.
pub const ROUND2_TREES: u64 = 210;
/// Label sets asked per round-2 tree: 210 × 80 = 16,800 routing cases.
pub const ROUND2_LABEL_SETS: usize = 80;
/// Seeds of round-2 trees and checks start here.
pub const ROUND2_SEED_BASE: u64 = 2_000_000;
/// Seeds per check family: 105 families × 36 = 3,780 check-config cases, seeds from
/// [`ROUND2_SEED_BASE`].
pub const ROUND2_CHECK_SEEDS: u64 = 36;

/// What `amtool check-config` says of a config: whether it passed, and its first FAILED
/// message (or `SUCCESS`).
pub fn amtool_check(file: &Path) -> Result<(bool, String), String> {
    let out = Command::new(AMTOOL)
        .arg("check-config")
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run {AMTOOL} ({e}); run `cargo xtask setup`"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let message = stdout
        .lines()
        .find_map(|l| l.split_once("FAILED: ").map(|(_, m)| m.to_owned()))
        .unwrap_or_else(|| "SUCCESS".to_owned());
    Ok((out.status.success(), message))
}

/// Writes a check case (config and template files) under `dir`; returns the config's path.
pub fn write_case(dir: &Path, case: &checks::CheckCase) -> Result<std::path::PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (path, text) in &case.files {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let config = dir.join("alertmanager.yml");
    std::fs::write(&config, &case.yaml).map_err(|e| format!("{}: {e}", config.display()))?;
    Ok(config)
}

/// Runs `work(i)` for `0..count` on three threads, collecting the lines in order.
fn parallel(
    count: usize,
    work: &(dyn Fn(usize) -> Result<String, String> + Sync),
) -> Result<Vec<String>, String> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<(usize, Result<String, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let i = {
                        let Ok(mut n) = next.lock() else { return };
                        *n += 1;
                        *n - 1
                    };
                    if i >= count {
                        return;
                    }
                    let r = work(i);
                    if let Ok(mut all) = results.lock() {
                        all.push((i, r));
                    }
                }
            });
        }
    });
    let mut all = results.into_inner().map_err(|e| e.to_string())?;
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Records round 2 under `root`: `round2-routes.jsonl` (one line per tree: seed, the config's
/// fingerprint, amtool's answer for each label set) and `round2-checks.jsonl` (one line per
/// family: the combined fingerprint of its configs, whether amtool check-config passed each,
/// and its messages).
pub fn regenerate_round2(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/fixtures/amtool");
    let tmp = std::env::temp_dir().join("burnlab-amtool-round2");
    let routes = parallel(ROUND2_TREES as usize, &|tree| {
        let seed = ROUND2_SEED_BASE + tree as u64;
        let yaml = round2::round2_tree_config(seed);
        let file = tmp.join(format!("tree-{tree}.yml"));
        std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
        std::fs::write(&file, &yaml).map_err(|e| e.to_string())?;
        let answers = round2::round2_label_args(seed, ROUND2_LABEL_SETS)
            .iter()
            .map(|args| amtool_route(&file, args))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(serde_json::json!({
            "tree": tree, "seed": seed, "fingerprint": rng::fingerprint(&yaml), "answers": answers
        })
        .to_string())
    })?;
    // One line per family, to keep the file small: the combined fingerprint of its cases,
    // amtool's verdicts as a string of 0/1, and its distinct messages with an index per case.
    let families = checks::round2_families();
    let checks = parallel(families.len(), &|f| {
        let family = families.get(f).ok_or("no such family")?;
        let (mut verdicts, mut messages, mut which) =
            (String::new(), Vec::<String>::new(), Vec::new());
        let mut cases = Vec::new();
        for s in 0..ROUND2_CHECK_SEEDS {
            let case = checks::round2_check_config(ROUND2_SEED_BASE + s, family);
            let config = write_case(&tmp.join(format!("check-{f}-{s}")), &case)?;
            let (ok, message) = amtool_check(&config)?;
            verdicts.push(if ok { '1' } else { '0' });
            let index = match messages.iter().position(|m| *m == message) {
                Some(i) => i,
                None => {
                    messages.push(message);
                    messages.len() - 1
                }
            };
            which.push(index);
            cases.push(case);
        }
        Ok(serde_json::json!({
            "family": family,
            "first_seed": ROUND2_SEED_BASE,
            "fingerprint": checks::family_fingerprint(&cases),
            "ok": verdicts,
            "messages": messages,
            "message_of": which,
        })
        .to_string())
    })?;
    for (name, lines) in [
        ("round2-routes.jsonl", routes),
        ("round2-checks.jsonl", checks),
    ] {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
    }
    Ok(())
}
