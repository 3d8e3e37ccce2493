//! Every committed corpus input (the seeds, and every case a fuzzer ever found, kept under
//! `fuzz/corpus/<target>/`) passes its target's check: the fuzz targets' regressions run on
//! stable Rust, without libFuzzer (`cargo test --manifest-path fuzz/Cargo.toml -p
//! burnlab-fuzz-checks`; `cargo xtask test` replays the same inputs through libFuzzer in its
//! short run).

use std::path::Path;

#[test]
fn every_corpus_input_passes_its_targets_check() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, check) in burnlab_fuzz_checks::TARGETS {
        let dir = corpus.join(name);
        let entries = std::fs::read_dir(&dir).map(|e| e.filter_map(Result::ok).count());
        assert!(
            entries.is_ok_and(|n| n > 0),
            "the target {name} has no corpus in {}",
            dir.display()
        );
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let data = std::fs::read(entry.path()).unwrap_or_default();
            total += 1;
            if let Err(e) = check(&data) {
                failures.push(format!(
                    "{name}/{}: {e}",
                    entry.file_name().to_string_lossy()
                ));
            }
        }
    }
    assert!(total > 0, "no corpus inputs found");
    assert!(
        failures.is_empty(),
        "{} of {total} inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
