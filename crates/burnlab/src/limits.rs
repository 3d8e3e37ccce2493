//! The bounds that keep hostile input from crashing, hanging or exhausting burnlab, in one
//! place: how much text each front accepts, how text that is not UTF-8 is reported, and how
//! much PromQL is handed to the third-party parser.
//!
//! The goal they serve: any input of up to 1 MB is answered, with a result or a located error,
//! within about a second and 256 MB, by every command and every front. The costs behind each
//! bound are measured by `cargo xtask bounds` over the hostile inputs of the test kit
//! (`burnlab-testkit`'s `hostile`).

use crate::error::{Error, Result};

/// The largest input the `burnlab` command reads from one file: far above any real config or
/// rule file (the largest public rule files are a few hundred KB), and small enough that
/// reading `/dev/zero` by mistake ends in a second with a message instead of exhausting memory.
pub const CLI_MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The longest PromQL expression handed to the parser. Real expressions are well under 10 KB.
pub const PROMQL_MAX_BYTES: usize = 64 * 1024;

/// The deepest nesting of brackets (`(`, `[`, `{`) in one PromQL expression. promql-parser
/// walks its tree recursively (type checks, printing, dropping), and some of its checks cost
/// the square of the nesting; real expressions nest fewer than 15 levels.
pub const PROMQL_MAX_DEPTH: usize = 64;

/// The most operators (binary, unary and set operators) in one PromQL expression.
/// promql-parser checks each binary operation by walking down its left side, so a chain of n
/// operators costs n²; real expressions have fewer than 50.
pub const PROMQL_MAX_OPERATORS: usize = 256;

/// The PromQL parsing a file of `file_len` bytes may cost, in the units of [`check_promql`]
/// (about a third of a microsecond each). An expression costs about its length unless it piles
/// up operators or aggregations; real rule files stay under their own length, so only files
/// built to be slow reach this, and the expressions beyond it are reported, not parsed.
pub fn promql_budget(file_len: usize) -> usize {
    file_len.saturating_add(64 * 1024)
}

/// About how long `units` of [`check_promql`]'s cost take, for messages: `0.5 s`.
pub fn budget_time(units: usize) -> String {
    crate::format::human_duration(units as f64 / 3_000_000.0)
}

/// Aggregation operators: each one copies the expression it aggregates while the parser
/// builds the tree, so nesting them costs the product of their number and the size.
const AGGREGATORS: [&str; 14] = [
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "quantile",
    "count_values",
    "limitk",
    "limit_ratio",
];

/// An error when an input of `len` bytes is longer than `max`; `what` names the input.
pub fn check_size(len: usize, max: usize, what: &str) -> Result<()> {
    if len > max {
        return Err(Error::field(
            what,
            format!(
                "is longer than the {} burnlab reads (a real config or rule file is far smaller: is this the file meant?)",
                bytes(max)
            ),
        ));
    }
    Ok(())
}

/// `16 MiB`, `2.5 MiB`, `900 KiB`, `12 bytes`.
pub fn bytes(n: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if n >= MIB {
        crate::format::sig(n as f64 / MIB as f64, 3) + " MiB"
    } else if n >= KIB {
        crate::format::sig(n as f64 / KIB as f64, 3) + " KiB"
    } else {
        format!("{n} bytes")
    }
}

/// The bytes as UTF-8 text, or an error locating the first byte that is not: its line and
/// column (counted in characters, as editors do) and its byte offset from the start.
pub fn utf8<'a>(data: &'a [u8], what: &str) -> Result<&'a str> {
    match std::str::from_utf8(data) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.valid_up_to();
            let good = data.get(..offset).unwrap_or_default();
            // Everything before the offset is valid, so this never fails; the fallback keeps
            // the error located at line 1 if it ever did.
            let before = std::str::from_utf8(good).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = data.get(offset).copied().unwrap_or_default();
            Err(Error::field(
                what,
                format!(
                    "is not UTF-8 text: byte 0x{byte:02x} at byte offset {offset} does not start a character; save the file as UTF-8"
                ),
            )
            .at(line, column))
        }
    }
}

/// What [`check_promql`] found wrong, with the byte offset in the expression where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromqlTooBig {
    /// Byte offset in the expression where the bound was passed.
    pub offset: usize,
    /// What is too big and what burnlab accepts, in a sentence.
    pub message: String,
}

/// Checks `expr` against [`PROMQL_MAX_BYTES`], [`PROMQL_MAX_DEPTH`] and
/// [`PROMQL_MAX_OPERATORS`] with a single pass of a small lexer that knows PromQL's strings,
/// comments and label-matcher braces, so that the parser is only ever given input whose
/// recursion and quadratic checks stay small. It counts conservatively: every `+` and `-`
/// outside strings and braces is an operator (the sign of `1e-3` included), as are the words
/// `and`, `or`, `unless` and `atan2` in any case.
///
/// Returns what parsing the expression costs, in units of about a third of a microsecond
/// (what promql-parser takes for one byte of plain PromQL): the length, plus the square of the
/// operators (each binary operation is checked by a walk down its left side) and, for every
/// name, number, string and operator, the aggregations around it (each aggregation copies what
/// it aggregates), as measured on promql-parser 0.11 and rounded up.
pub fn check_promql(expr: &str) -> std::result::Result<usize, PromqlTooBig> {
    if expr.len() > PROMQL_MAX_BYTES {
        return Err(PromqlTooBig {
            offset: PROMQL_MAX_BYTES,
            message: format!(
                "the expression is {} long; burnlab lints expressions of up to {}",
                bytes(expr.len()),
                bytes(PROMQL_MAX_BYTES)
            ),
        });
    }
    /// What an open bracket is.
    #[derive(Clone, Copy, PartialEq)]
    enum Open {
        /// `{`: label matchers, where `=~` and `!=` are not operators.
        Braces,
        /// The parenthesis holding an aggregation's arguments.
        Aggregated,
        /// `[`: a range or a subquery's range and step, which are durations.
        Range,
        /// Any other bracket.
        Other,
    }
    /// Where an aggregation's words stand: `sum`, then maybe `by (..)`, then its arguments.
    #[derive(Clone, Copy, PartialEq)]
    enum Agg {
        None,
        Named,
        Grouping,
    }
    let bytes = expr.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    let mut braces = 0usize;
    let mut aggregated = 0usize;
    let mut agg = Agg::None;
    let mut operators = 0usize;
    // Each leaf and operator weighed by the aggregations around it.
    let mut copies = 0usize;
    let mut i = 0usize;
    // The next number is a duration or a timestamp: after `offset` or `@` (signs skipped).
    let mut duration_next = false;
    let too_deep = |at: usize| PromqlTooBig {
        offset: at,
        message: format!(
            "brackets nest deeper than {PROMQL_MAX_DEPTH} levels here; burnlab lints expressions nested up to {PROMQL_MAX_DEPTH} levels"
        ),
    };
    let too_many = |at: usize| PromqlTooBig {
        offset: at,
        message: format!(
            "the expression has more than {PROMQL_MAX_OPERATORS} operators (this is the next one); burnlab lints expressions of up to {PROMQL_MAX_OPERATORS}"
        ),
    };
    while let Some(&c) = bytes.get(i) {
        let start = i;
        i += 1;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'#' => {
                // A comment runs to the end of the line.
                while bytes.get(i).is_some_and(|&d| d != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' | b'`' => {
                // Skip to the closing quote; an unclosed string is the parser's error.
                while let Some(&d) = bytes.get(i) {
                    i += if d == b'\\' && c != b'`' { 2 } else { 1 };
                    if d == c {
                        break;
                    }
                }
                copies = copies.saturating_add(aggregated);
            }
            b'(' | b'[' | b'{' => {
                let kind = match (c, agg) {
                    (b'{', _) => Open::Braces,
                    (b'(', Agg::Named) => Open::Aggregated,
                    (b'[', _) => Open::Range,
                    _ => Open::Other,
                };
                open.push(kind);
                match kind {
                    Open::Braces => braces += 1,
                    Open::Aggregated => aggregated += 1,
                    Open::Range | Open::Other => {}
                }
                if open.len() > PROMQL_MAX_DEPTH {
                    return Err(too_deep(start));
                }
                // `sum by (job) (…)`: the parenthesis after `by` holds labels, the next one
                // the arguments.
                agg = if agg == Agg::Grouping && c == b'(' {
                    Agg::Named
                } else {
                    Agg::None
                };
                continue;
            }
            b')' | b']' | b'}' => match open.pop() {
                Some(Open::Braces) => braces -= 1,
                Some(Open::Aggregated) => aggregated -= 1,
                _ => {}
            },
            b'@' => {
                duration_next = true;
                agg = Agg::None;
                continue;
            }
            b'+' | b'-' if duration_next => continue,
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'<' | b'>' | b'=' | b'!' if braces == 0 => {
                operators += 1;
                if operators > PROMQL_MAX_OPERATORS {
                    return Err(too_many(start));
                }
                copies = copies.saturating_add(aggregated);
                // Two-character operators (`==`, `!=`, `<=`, `>=`) count once.
                if matches!(c, b'<' | b'>' | b'=' | b'!') && bytes.get(i) == Some(&b'=') {
                    i += 1;
                }
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {
                while bytes
                    .get(i)
                    .is_some_and(|&d| d.is_ascii_alphanumeric() || matches!(d, b'_' | b':' | b'.'))
                {
                    i += 1;
                }
                copies = copies.saturating_add(aggregated);
                let word = bytes.get(start..i).unwrap_or_default();
                if braces == 0 && (duration_next || open.last() == Some(&Open::Range)) {
                    check_duration_word(word, start)?;
                }
                duration_next = braces == 0 && word.eq_ignore_ascii_case(b"offset");
                let is = |words: &[&str]| {
                    braces == 0
                        && words
                            .iter()
                            .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
                };
                if is(&["and", "or", "unless", "atan2"]) {
                    operators += 1;
                    if operators > PROMQL_MAX_OPERATORS {
                        return Err(too_many(start));
                    }
                }
                agg = if is(&AGGREGATORS) {
                    Agg::Named
                } else if agg == Agg::Named && is(&["by", "without"]) {
                    Agg::Grouping
                } else {
                    Agg::None
                };
                continue;
            }
            _ => {}
        }
        agg = Agg::None;
        duration_next = false;
    }
    Ok(expr
        .len()
        .saturating_add(operators * operators / 32)
        .saturating_add(copies / 3))
}

/// The longest duration (or the latest timestamp, in seconds) burnlab hands to promql-parser:
/// 10,000 years. The parser turns durations into Rust `Duration`s, which panics on values
/// beyond about 5.8 × 10¹¹ years; real ranges and offsets are days or weeks.
pub const PROMQL_MAX_DURATION_SECONDS: f64 = 10_000.0 * 365.0 * 86_400.0;

/// A word where PromQL reads durations (`5m`, `1h30m`, `300`, `1e3`, a subquery's `1h:5m`)
/// longer than [`PROMQL_MAX_DURATION_SECONDS`] is an error at `at`; anything else, even what
/// is not a duration at all, is left to the parser.
fn check_duration_word(word: &[u8], at: usize) -> std::result::Result<(), PromqlTooBig> {
    for (k, part) in word.split(|&b| b == b':').enumerate() {
        let mut seconds = 0.0f64;
        let mut rest = part;
        while let Some(&first) = rest.first() {
            if !(first.is_ascii_digit() || first == b'.') {
                break;
            }
            let number_len = rest
                .iter()
                .position(|&b| !(b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E')))
                .unwrap_or(rest.len());
            let (number, after) = rest.split_at(number_len);
            let unit_len = after
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let (unit, after) = after.split_at(unit_len);
            let digits: String = number
                .iter()
                .filter(|&&b| b != b'_')
                .map(|&b| char::from(b))
                .collect();
            let factor = match unit {
                b"ms" => 0.001,
                b"" | b"s" => 1.0,
                b"m" => 60.0,
                b"h" => 3_600.0,
                b"d" => 86_400.0,
                b"w" => 604_800.0,
                b"y" => 31_536_000.0,
                _ => return Ok(()),
            };
            seconds += digits.parse::<f64>().unwrap_or(0.0) * factor;
            rest = after;
        }
        if seconds.is_nan() || seconds > PROMQL_MAX_DURATION_SECONDS {
            return Err(PromqlTooBig {
                offset: at + word.split(|&b| b == b':').take(k).map(|p| p.len() + 1).sum::<usize>(),
                message: "this duration is longer than the 10000y burnlab lints (Prometheus's own limit is about 292y)".into(),
            });
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset` in `text`, counted from
/// `(line, column)` where `text` starts; offsets inside a character or past the end are
/// clamped to the last valid place.
pub fn locate(text: &str, offset: usize, (line, column): (usize, usize)) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or_default();
    let newlines = before.matches('\n').count();
    let tail = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count();
    if newlines == 0 {
        (line, column + tail)
    } else {
        (line + newlines, tail + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_located_by_line_column_and_byte_offset() {
        let data = b"route:\n  receiver: caf\xe9\n";
        let err = utf8(data, "alertmanager.yml").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some(
                "line 2, column 16: alertmanager.yml: is not UTF-8 text: byte 0xe9 at byte offset 22 does not start a character; save the file as UTF-8"
                    .to_owned()
            )
        );
        assert_eq!(utf8("é\n".as_bytes(), "x").ok(), Some("é\n"));
    }

    #[test]
    fn input_above_the_cap_names_both_sizes() {
        let err = check_size(CLI_MAX_INPUT_BYTES + 1, CLI_MAX_INPUT_BYTES, "rules.yaml").err();
        assert_eq!(
            err.map(|e| e.message),
            Some(
                "is longer than the 16 MiB burnlab reads (a real config or rule file is far smaller: is this the file meant?)"
                    .to_owned()
            )
        );
        assert!(check_size(10, 10, "x").is_ok());
    }

    #[test]
    fn promql_within_the_bounds_passes_and_beyond_them_is_located() {
        let chain = |n: usize, op: &str| vec!["x"; n + 1].join(op);
        for (expr, want) in [
            (
                "sum by (job) (rate(x{a=~\"b|c\", d!=\"e\"}[5m])) > 0.001 * 14.4",
                None,
            ),
            ("x{a=\"((((((((\"} # ((((((((((((\n", None),
            (&chain(PROMQL_MAX_OPERATORS, " + "), None),
            (&chain(PROMQL_MAX_OPERATORS, " and "), None),
            (&chain(PROMQL_MAX_OPERATORS + 1, " + "), Some(1026)),
            (&chain(PROMQL_MAX_OPERATORS + 1, " AND "), Some(1538)),
            (&chain(PROMQL_MAX_OPERATORS + 1, " >= "), Some(1282)),
            (
                &format!("{}x", "-".repeat(PROMQL_MAX_OPERATORS + 1)),
                Some(256),
            ),
            (&"(".repeat(PROMQL_MAX_DEPTH + 1), Some(64)),
            (&"abs(".repeat(PROMQL_MAX_DEPTH + 1), Some(259)),
            (&"x".repeat(PROMQL_MAX_BYTES + 1), Some(PROMQL_MAX_BYTES)),
        ] {
            assert_eq!(
                check_promql(expr).err().map(|e| e.offset),
                want,
                "{}",
                expr.get(..60).unwrap_or(expr)
            );
        }
    }

    #[test]
    fn durations_promql_parser_cannot_hold_are_located_before_it_sees_them() {
        // Found by the `promql` fuzz target: a subquery range of 160 digits panicked inside
        // promql-parser (float seconds to `Duration`).
        let huge = "5".repeat(160);
        for (expr, want) in [
            ("rate(x[5m]) offset 1w @ 1700000000", None),
            ("max_over_time(x[1h30m:5m])", None),
            ("rate(x[10000y])", None),
            ("x[300]", None),
            (&format!("sum(rate(x{{j}}[{huge}:555555h]))"), Some(14)),
            ("x[5m:99999999999999999999y]", Some(5)),
            ("rate(x[10001y])", Some(7)),
            ("x offset 1e30", Some(9)),
            ("x offset -1e30", Some(10)),
            ("x @ 1e300", Some(4)),
            ("x > 1e300", None),
            ("x{a=\"[1e300]\"}", None),
        ] {
            assert_eq!(check_promql(expr).err().map(|e| e.offset), want, "{expr}");
        }
    }

    #[test]
    fn offsets_become_lines_and_columns_from_where_the_text_starts() {
        assert_eq!(locate("abc", 2, (5, 10)), (5, 12));
        assert_eq!(locate("ab\ncé\nx", 6, (5, 10)), (6, 3));
        assert_eq!(locate("é", 1, (1, 1)), (1, 1));
        assert_eq!(locate("ab", 99, (1, 1)), (1, 3));
    }
}
