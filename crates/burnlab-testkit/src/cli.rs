//! The built `burnlab` command, run as a person runs it, and checks of what it printed.
//!
//! Cargo tells only the integration tests of `burnlab-cli` where it built the command, as
//! `env!("CARGO_BIN_EXE_burnlab")` in their own source, so each of them hands that path to
//! [`Cli::new`].

use std::path::PathBuf;
use std::process::Command;

/// The command, and the folder it runs in.
#[derive(Debug, Clone)]
pub struct Cli {
    program: PathBuf,
    dir: Option<PathBuf>,
}

impl Cli {
    /// The command at `program`, run from the test's own folder.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            dir: None,
        }
    }

    /// The same command run from the repository's root, so that paths such as
    /// `tests/fixtures/specs/task-api.yaml` read as written.
    pub fn in_root(self) -> Self {
        Self {
            dir: Some(crate::fixtures::root()),
            ..self
        }
    }

    /// The command with `args`, for a test that wires its streams itself.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command.args(args);
        command
    }

    /// Runs the command with `args`: its exit code (-1 when a signal ended it), stdout and
    /// stderr, which must both be UTF-8.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.program.display()));
        let text = |bytes: Vec<u8>| {
            String::from_utf8(bytes).unwrap_or_else(|e| panic!("burnlab {args:?}: {e}"))
        };
        (
            out.status.code().unwrap_or(-1),
            text(out.stdout),
            text(out.stderr),
        )
    }

    /// Runs the command with `args`: it must exit with `code`, and its stdout (or, when
    /// `code` is not 0, its stderr) must contain every fragment of `want`, in order.
    pub fn check(&self, case: &str, args: &[&str], code: i32, want: &[&str]) {
        let (got, out, err) = self.run(args);
        assert_eq!(
            got, code,
            "{case}: exit code\nstdout:\n{out}\nstderr:\n{err}"
        );
        assert_in_order(case, if code == 0 { &out } else { &err }, want);
    }
}

/// `text` contains every fragment of `want`, in order; otherwise the test fails, naming `case`.
pub fn assert_in_order(case: &str, text: &str, want: &[&str]) {
    let mut rest = text;
    for fragment in want {
        match rest.find(fragment) {
            Some(i) => rest = rest.get(i + fragment.len()..).unwrap_or_default(),
            None => panic!("{case}: {fragment:?} missing (or out of order) in\n{text}"),
        }
    }
}
