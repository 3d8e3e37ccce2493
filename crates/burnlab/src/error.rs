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

    /// The message as a sentence that names its subject, for a reader who sees it away from the
    /// field's label (a screen reader, a list of problems): `is empty: …` becomes `The objective
    /// is empty: …`. Messages that already start with their subject only get a capital letter.
    pub fn sentence(&self) -> String {
        const VERBS: [&str; 5] = ["is ", "must ", "needs ", "has ", "cannot "];
        let m = self.message.trim_start();
        if VERBS.iter().any(|v| m.starts_with(v)) {
            return format!("The {} {m}", self.field);
        }
        let mut chars = m.chars();
        match chars.next() {
            // ASCII only: messages start with an English word or a quoted value, and the
            // Unicode case tables would weigh on the page.
            Some(first) => std::iter::once(first.to_ascii_uppercase())
                .chain(chars)
                .collect(),
            None => format!("The {} field is not valid.", self.field),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_names_its_subject() {
        for (field, message, want) in [
            (
                "objective",
                "is empty: give a percentage",
                "The objective is empty: give a percentage",
            ),
            (
                "period",
                "must be longer than zero",
                "The period must be longer than zero",
            ),
            ("error ratio", "`x` is not a number", "`x` is not a number"),
            ("period", "scaling the 1h window", "Scaling the 1h window"),
            ("tiers", "", "The tiers field is not valid."),
        ] {
            assert_eq!(Error::field(field, message).sentence(), want);
        }
    }
}
