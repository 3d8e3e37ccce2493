//! The repository's test files: its root (where `tests/fixtures` and the command's relative
//! paths start), the files under `tests/fixtures` read by name, and golden files, compared
//! with what a test made or rewritten from it when `UPDATE_EXPECT` is set.

use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The path of `tests/fixtures/<path>`.
pub fn fixture_path(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// The text of `tests/fixtures/<path>`; a test that cannot read it fails, naming the file.
pub fn fixture(path: &str) -> String {
    read(&fixture_path(path))
}

/// The text of the file at `path`; a test that cannot read it fails, naming the file.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks `got` against the golden file at `path`: the test fails, showing `got`, when they
/// differ or the file is missing. With `UPDATE_EXPECT` set in the environment, `got` is
/// written there instead (its folder created), to be reviewed in the diff.
pub fn golden(path: &Path, got: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(path, got).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_EXPECT=1 to create it",
            path.display()
        )
    });
    assert!(
        got == want,
        "{} differs (UPDATE_EXPECT=1 to accept):\n{got}",
        path.display()
    );
}
