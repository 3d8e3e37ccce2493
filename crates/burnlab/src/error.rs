//! The core's one error type. It names the field (and, for YAML input, the line and column) so
//! a person can act on it, and it is `Clone + PartialEq` so the UI can keep it in state.

use std::fmt;

/// An error from the core, always tied to the input field that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The input field, as the user knows it: `objective`, `period`, `error ratio`, …
    pub field: String,
    /// What is wrong and what would be right, in a full sentence.
    pub message: String,
    /// 1-based line and column in the source text, when the input came from a file.
    pub location: Option<(usize, usize)>,
}

impl Error {
    /// An error about `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            location: None,
        }
    }

    /// The same error, located at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.location = Some((line, column));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.location {
            write!(f, "line {line}, column {column}: ")?;
        }
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;
