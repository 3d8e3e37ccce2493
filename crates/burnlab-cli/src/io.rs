//! Reading input files and writing output, so that no input can exhaust the command's memory
//! and no output error becomes a panic: a file is read up to the core's input cap and must be
//! UTF-8 (a located error otherwise), and standard output is written with its errors returned
//! rather than panicking as `println!` does.

use std::fmt;
use std::io::{Read, Write};

use burnlab::limits::{self, CLI_MAX_INPUT_BYTES};

/// A command that failed after producing a report, which is still printed on standard output
/// (`burnlab lint` with errors, `burnlab check` on an invalid config): the message goes to
/// standard error and the exit status says it failed.
#[derive(Debug)]
pub struct Reported {
    /// The report for standard output.
    pub stdout: String,
    /// Why the command failed, for standard error.
    pub message: String,
}

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Reported {}

/// The text of the file at `path`, read up to [`CLI_MAX_INPUT_BYTES`] (reading `/dev/zero` by
/// mistake ends with a message, not with memory exhausted) and checked to be UTF-8, every error
/// prefixed with the path.
pub fn read(path: &str) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut data = Vec::new();
    let cap = u64::try_from(CLI_MAX_INPUT_BYTES).unwrap_or(u64::MAX);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| format!("{path}: {e}"))?;
    limits::check_size(data.len(), CLI_MAX_INPUT_BYTES, "file")
        .map_err(|e| format!("{path}: {e}"))?;
    limits::utf8(&data, "file").map_err(|e| format!("{path}: {e}"))?;
    // Checked just above; the conversion cannot fail and costs no copy.
    String::from_utf8(data).map_err(|e| format!("{path}: {e}"))
}

/// Writes `text` to the file at `path`.
pub fn write_file(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))
}

/// Writes `text` and a newline to standard output and flushes it, returning the error (a closed
/// pipe, a full disk) instead of panicking.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Writes `burnlab: message` to standard error; if even that fails there is nobody to tell.
pub fn complain(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "burnlab: {message}");
}
