//! Running commands with a visible trace, and finding the workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root: the parent of `crates/xtask`.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or(manifest)
}

/// The scratch folder every command gets as `TMPDIR` while [`scratch_tmp`] holds it.
static SCRATCH: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Gives every command started until the guard drops its own temporary folder, removed with
/// everything in it when the guard drops: Chromium (under chromedriver and Playwright) leaves a
/// profile of about 90 MB in the temporary folder each time it is killed, and a machine that
/// runs the tests again and again fills its disk with them.
pub fn scratch_tmp() -> ScratchTmp {
    let dir = std::env::temp_dir().join(format!("burnlab-test-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(mut s) = SCRATCH.lock() {
        *s = Some(dir.clone());
    }
    ScratchTmp(dir)
}

/// Removes the scratch folder on drop; see [`scratch_tmp`].
pub struct ScratchTmp(PathBuf);

impl Drop for ScratchTmp {
    fn drop(&mut self) {
        if let Ok(mut s) = SCRATCH.lock() {
            *s = None;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A command about to run, with its program, arguments, working directory and environment.
pub struct Cmd {
    inner: Command,
    shown: String,
}

/// Starts describing a command.
pub fn cmd(program: &str, args: &[&str]) -> Cmd {
    let mut inner = Command::new(program);
    inner.args(args).current_dir(root());
    if let Some(dir) = SCRATCH.lock().ok().and_then(|s| s.clone()) {
        inner.env("TMPDIR", dir);
    }
    Cmd {
        inner,
        shown: std::iter::once(program)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl Cmd {
    /// Runs in `dir` instead of the workspace root.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.inner.current_dir(dir);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.inner.env(key, value);
        self
    }

    /// Runs with inherited output; fails with the command line if it exits non-zero.
    pub fn run(mut self) -> Result<(), String> {
        println!("\n$ {}", self.shown);
        let start = Instant::now();
        let status = self
            .inner
            .status()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        let took = start.elapsed().as_secs_f64();
        if status.success() {
            if took >= 5.0 {
                println!("  ({took:.0} s)");
            }
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Runs quietly and returns stdout, or `None` if the program is missing or fails.
    pub fn output(mut self) -> Option<String> {
        let out = self.inner.stderr(Stdio::null()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Whether `program` can be found on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
