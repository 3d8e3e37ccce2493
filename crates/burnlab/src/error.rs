//! The core's one error type. It names the field (and, for YAML input, the line and column) so
//! a person can act on it, and it is `Clone + PartialEq` so the UI can keep it in state.

use std::fmt;

/// An error from the core, always tied to the input field that caused it. It crosses process
/// boundaries as it is (serde), so every front shows the same field, words and place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Error {
    /// The input field, as the user knows it: `objective`, `period`, `error ratio`, …
    pub field: String,
    /// What is wrong and what would be right, in a full sentence.
    pub message: String,
    /// 1-based line and column in the source text, when the input came from a file.
    pub location: Option<(usize, usize)>,
    /// Changes to the source text that mend this error, which a front offers as one click
    /// each (`Add smtp_smarthost to global`); empty when there is no known fix.
    pub fixes: Vec<Fix>,
}

/// A change to the text an error came from that mends it: what it does, in the words of a
/// button, and the edits that do it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// What the change does: `Add smtp_smarthost to global`.
    pub label: String,
    /// The edits, none overlapping, each at a 1-based line and column (in characters) of the
    /// text the error came from.
    pub edits: Vec<Edit>,
}

/// One edit of a [`Fix`]: at a line and column, the text expected there is replaced.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text that must be at that place (empty for an insertion).
    pub replace: String,
    /// What it becomes.
    pub with: String,
}

impl Fix {
    /// `text` with the fix's edits made, or `None` when the text no longer holds what the
    /// fix expects at one of its places (the text was edited since the error was found).
    pub fn apply(&self, text: &str) -> Option<String> {
        // Byte offsets of each edit, checked, then made from the last to the first so the
        // earlier offsets stay right.
        let mut at: Vec<(usize, &Edit)> = Vec::with_capacity(self.edits.len());
        for e in &self.edits {
            let line_start = if e.line <= 1 {
                0
            } else {
                text.match_indices('\n').nth(e.line - 2)?.0 + 1
            };
            let line = text.get(line_start..)?;
            let line = line.split('\n').next().unwrap_or_default();
            let column = e.column.max(1) - 1;
            let offset = match line.char_indices().nth(column) {
                Some((i, _)) => i,
                None if line.chars().count() == column => line.len(),
                None => return None,
            };
            let start = line_start + offset;
            if !text.get(start..)?.starts_with(e.replace.as_str()) {
                return None;
            }
            at.push((start, e));
        }
        at.sort_by_key(|(start, _)| *start);
        if at
            .windows(2)
            .any(|w| matches!(w, [(a, e), (b, _)] if a + e.replace.len() > *b))
        {
            return None;
        }
        let mut out = text.to_owned();
        for (start, e) in at.iter().rev() {
            out.replace_range(*start..start + e.replace.len(), &e.with);
        }
        Some(out)
    }
}

impl Error {
    /// An error about `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            location: None,
            fixes: Vec::new(),
        }
    }

    /// The same error, with one more fix offered.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
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
            // Unicode case tables would weigh on every build.
            Some(first) => std::iter::once(first.to_ascii_uppercase())
                .chain(chars)
                .collect(),
            None => format!("The {} field is not valid.", self.field),
        }
    }

    /// The 1-based line, 0 when the error is not located.
    pub fn line(&self) -> usize {
        self.location.map_or(0, |(line, _)| line)
    }

    /// The 1-based column, 0 when the error is not located.
    pub fn column(&self) -> usize {
        self.location.map_or(0, |(_, column)| column)
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

/// The candidate closest to `word` by edit distance, when it is close enough to be a likely
/// typo: at most a quarter of the word's length apart (at least 1). A word
/// longer than 64 characters gets no suggestion: comparing a hostile megabyte-long key with
/// every candidate would cost its length times theirs.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const LONGEST: usize = 64;
    let word: Vec<char> = word.chars().collect();
    if word.is_empty() || word.len() > LONGEST {
        return None;
    }
    let allowed = (word.len() / 4).max(1);
    candidates
        .into_iter()
        .filter(|c| c.chars().count() <= LONGEST)
        .map(|c| (edit_distance(&word, c), c))
        .filter(|&(d, _)| d <= allowed)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, one row at a time.
fn edit_distance(a: &[char], b: &str) -> usize {
    let mut row: Vec<usize> = (0..=a.len()).collect();
    for (j, cb) in b.chars().enumerate() {
        let mut diagonal = j;
        if let Some(first) = row.first_mut() {
            *first = j + 1;
        }
        for (i, &ca) in a.iter().enumerate() {
            let (Some(&left), Some(&up)) = (row.get(i), row.get(i + 1)) else {
                break;
            };
            let next = (diagonal + usize::from(ca != cb)).min(left + 1).min(up + 1);
            diagonal = up;
            if let Some(cell) = row.get_mut(i + 1) {
                *cell = next;
            }
        }
    }
    row.last().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{Edit, Fix};

    fn edit(line: usize, column: usize, replace: &str, with: &str) -> Edit {
        Edit {
            line,
            column,
            replace: replace.into(),
            with: with.into(),
        }
    }

    #[test]
    fn a_fix_applies_its_edits_where_the_text_still_holds_what_it_expects() {
        let fix = Fix {
            label: "rename".into(),
            edits: vec![
                edit(2, 3, "recevier", "receiver"),
                edit(1, 1, "", "# top\n"),
            ],
        };
        assert_eq!(
            fix.apply("route:\n  recevier: a\n").as_deref(),
            Some("# top\nroute:\n  receiver: a\n")
        );
        // Columns count characters, not bytes.
        let fix = Fix {
            label: "x".into(),
            edits: vec![edit(1, 4, "b", "c")],
        };
        assert_eq!(fix.apply("éé b").as_deref(), Some("éé c"));
        // At the end of a line (an insertion) and past it.
        let end = Fix {
            label: "x".into(),
            edits: vec![edit(1, 3, "", "!")],
        };
        assert_eq!(end.apply("ab\ncd").as_deref(), Some("ab!\ncd"));
        let past = Fix {
            label: "x".into(),
            edits: vec![edit(1, 5, "", "!")],
        };
        assert_eq!(past.apply("ab\ncd"), None);
    }

    #[test]
    fn a_fix_refuses_text_that_changed_and_overlapping_edits() {
        let fix = Fix {
            label: "rename".into(),
            edits: vec![edit(2, 3, "recevier", "receiver")],
        };
        assert_eq!(fix.apply("route:\n  receiver: a\n"), None);
        assert_eq!(fix.apply("route:\n"), None);
        let overlapping = Fix {
            label: "x".into(),
            edits: vec![edit(1, 1, "abc", "x"), edit(1, 2, "b", "y")],
        };
        assert_eq!(overlapping.apply("abc"), None);
    }

    use super::*;

    #[test]
    fn typos_find_the_closest_name_and_nothing_else_does() {
        let fields = ["receiver", "routes", "group_by", "group_wait", "matchers"];
        for (word, want) in [
            ("recevier", Some("receiver")),
            ("reciever", Some("receiver")),
            ("route", Some("routes")),
            ("group_weight", Some("group_wait")),
            ("matcher", Some("matchers")),
            ("severity", None),
            ("msteams_configs", None),
            ("", None),
            ("x", None),
        ] {
            assert_eq!(closest(word, fields), want, "{word}");
        }
        assert_eq!(closest(&"r".repeat(100_000), fields), None);
    }

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
