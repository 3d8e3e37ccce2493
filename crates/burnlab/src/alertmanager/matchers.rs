//! Label matchers (`severity="page"`, `team=~"a|b"`) and the two parsers Alertmanager has had:
//! the classic one (0.22–0.26, what amtool 0.25 uses) and the UTF-8 one (0.27+), combined by
//! default in 0.27's "fallback" mode.
//!
//! Regular expressions are compiled with `regex-lite`, anchored `^(?:re)$` as Alertmanager does.
//! It was chosen over `regex` for size (about 20 KB of gzipped wasm against 100–270 KB) and
//! because its `\d`, `\w`, `\s` and `\b` are ASCII, exactly like Go's RE2. A small pass
//! ([`go_regex`]) first brings Go's syntax to it: `\Q…\E` literals, octal escapes, a `{` that
//! does not start a valid repeat (a literal in Go), and Go's refusals (nested repetitions such
//! as `a**`, repeat counts above 1000, `(?<name>` groups in the Go release amtool 0.25 was
//! built with). Unicode classes (`\pL`, `\p{Greek}`) and `(?i)` case folding (the Kelvin sign
//! K folds with `k`) are expanded into explicit classes from Go 1.19's Unicode 13 tables
//! (`regex_unicode`, `unicode`); without the tables installed such a regex is refused, never
//! matched wrongly.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use crate::alertmanager::regex_unicode;

/// A set of alert labels, name to value. A missing label reads as the empty string.
pub type Labels = BTreeMap<String, String>;

/// A matcher's operator. The order is Alertmanager's `MatchType` order, used when sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchOp {
    /// `=`: the value equals.
    Equal,
    /// `!=`: the value differs.
    NotEqual,
    /// `=~`: the value matches the fully anchored regex.
    Regex,
    /// `!~`: the value does not match the fully anchored regex.
    NotRegex,
}

impl MatchOp {
    /// The operator as written: `=`, `!=`, `=~`, `!~`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

impl fmt::Display for MatchOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One label matcher. Regex matchers carry their compiled, anchored regex.
#[derive(Debug, Clone)]
pub struct Matcher {
    name: String,
    op: MatchOp,
    value: String,
    regex: Option<regex_lite::Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// A matcher; regex operators compile `value` as `^(?:value)$` and fail with the regex
    /// library's message when it is not a valid regex.
    pub fn new(
        op: MatchOp,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, String> {
        let value = value.into();
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => Some(compile_anchored(&value)?),
            MatchOp::Equal | MatchOp::NotEqual => None,
        };
        Ok(Self {
            name: name.into(),
            op,
            value,
            regex,
        })
    }

    /// The label name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The operator.
    pub fn op(&self) -> MatchOp {
        self.op
    }

    /// The value (for regex operators, the regex as written, without the anchors).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether a label value satisfies this matcher (pass `""` for a missing label).
    pub fn matches_value(&self, value: &str) -> bool {
        match (self.op, &self.regex) {
            (MatchOp::Equal, _) => self.value == value,
            (MatchOp::NotEqual, _) => self.value != value,
            (MatchOp::Regex, Some(re)) => re.is_match(value),
            (MatchOp::NotRegex, Some(re)) => !re.is_match(value),
            // A regex matcher always has its regex; this arm only satisfies the type checker.
            (MatchOp::Regex | MatchOp::NotRegex, None) => false,
        }
    }

    /// Whether the label set satisfies this matcher; a missing label reads as `""`.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matches_value(labels.get(&self.name).map_or("", String::as_str))
    }
}

impl fmt::Display for Matcher {
    /// As Alertmanager prints it: `name op "value"` with `\`, newline and `"` escaped; a name
    /// that only the UTF-8 parser reads (empty, or holding a space or one of `{}!=~,\"'`` ` ``)
    /// is quoted with its value as Go quotes strings, as Alertmanager 0.27+ prints it, so the
    /// text reads back as the same matcher.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() || self.name.chars().any(is_reserved) {
            write!(
                f,
                "{}{}{}",
                go_quote(&self.name),
                self.op,
                go_quote(&self.value)
            )
        } else {
            write!(f, "{}{}{}", self.name, self.op, quote_value(&self.value))
        }
    }
}

/// A label value in double quotes as Alertmanager writes it in a matcher (its
/// `openMetricsEscape`): `\`, `"` and line feeds escaped, every other character kept as it is.
///
/// This is what a matcher line in alertmanager.yml or an amtool label argument should hold:
/// the classic parser (amtool 0.25's, and the one that wins in 0.27's fallback mode) knows only
/// the escapes `\n`, `\"` and `\\` and keeps any other backslash as it is, so [`go_quote`]'s
/// `\t` would read back there as two characters; the UTF-8 parser reads these three escapes
/// too, so both parsers read this text back as the same value.
pub fn quote_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string in double quotes as Go's `strconv.Quote` (and `%q`) writes it: `"` and `\`
/// backslashed, `\a \b \f \n \r \t \v` by name, other control characters as `\xNN` (below
/// U+0080) or `\uNNNN`, everything else kept.
///
/// This is how Prometheus and Alertmanager print a label set (`{a="x", b="y"}`, see
/// [`label_set`]), how Alertmanager 0.27+ prints a matcher whose name only the UTF-8 parser
/// reads, and how Go's messages quote text. PromQL string literals and the UTF-8 matcher parser
/// read it back as the same string; the classic matcher parser does not (see [`quote_value`]).
/// Go also escapes printable-looking characters that its `unicode.IsPrint` refuses (format
/// characters such as U+200B, spaces other than U+0020); those are kept here as they are,
/// which every reader above takes as the same string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label set as Prometheus and Alertmanager print one: `{a="x", b="y"}`, values quoted by
/// [`go_quote`], in the order given.
pub fn label_set<K, V>(labels: impl IntoIterator<Item = (K, V)>) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = String::from("{");
    for (i, (name, value)) in labels.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name.as_ref());
        out.push('=');
        out.push_str(&go_quote(value.as_ref()));
    }
    out.push('}');
    out
}

/// Compiles `^(?:re)$` with Go's RE2 syntax (see [`go_regex`]).
pub fn compile_anchored(re: &str) -> Result<regex_lite::Regex, String> {
    // Go parses the anchored text as a whole, so an unterminated `\Q` swallows the anchors.
    let translated =
        go_regex(&format!("^(?:{re})$")).map_err(|e| format!("error parsing regexp: {e}"))?;
    regex_lite::Regex::new(&translated).map_err(|e| {
        let text = e.to_string();
        // The library's message quotes the pattern over several lines; the first says why.
        format!(
            "error parsing regexp {re:?}: {}",
            text.lines().last().unwrap_or(&text).trim()
        )
    })
}

/// Rewrites a Go RE2 pattern into the syntax `regex-lite` reads, or refuses it as Go does.
/// Only what the two disagree on is touched; everything else is passed through for the regex
/// library to judge.
pub fn go_regex(re: &str) -> Result<String, String> {
    let chars: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() + 8);
    let mut i = 0;
    // Whether the previous item was a repetition (Go refuses a repetition of a repetition).
    let mut after_repeat = false;
    let mut in_class = false;
    // In a class: whether the last item was a single character (so a `-` after it makes a
    // range), and whether the next item is a range's upper end.
    let mut class_char = false;
    let mut range_hi = false;
    // Whether `(?i)` is in force, and its value outside each open group.
    let mut fold = false;
    let mut fold_stack: Vec<bool> = Vec::new();
    let at = |k: usize| chars.get(k).copied();
    let literal = |c: char, out: &mut String| {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    };
    while let Some(c) = at(i) {
        if in_class {
            // Go reads a class as single characters and `lo-hi` ranges; a `-` is a range only
            // right after a single character and before anything but `]`. `[`, `&`, `~` and a
            // literal `-` are escaped so regex-lite never reads a nested class or a set
            // operation (`&&`, `--`, `~~`) where Go has plain characters.
            let was_char = class_char;
            class_char = false;
            match c {
                '\\' => {
                    if let Some((text, used)) = octal(&chars, i)? {
                        out.push_str(&text);
                        i += used;
                        class_char = !range_hi;
                        range_hi = false;
                        continue;
                    }
                    let next = at(i + 1);
                    out.push(c);
                    if let Some(n) = next {
                        out.push(n);
                    }
                    i += 2;
                    if matches!(next, Some('p' | 'P')) && at(i) == Some('{') {
                        let stop = (i..chars.len())
                            .find(|&k| at(k) == Some('}'))
                            .map_or(chars.len(), |k| k + 1);
                        out.extend(chars.get(i..stop).unwrap_or_default());
                        i = stop;
                    }
                    let perl_class =
                        matches!(next, Some('d' | 'D' | 'w' | 'W' | 's' | 'S' | 'p' | 'P'));
                    class_char = !perl_class && !range_hi;
                    range_hi = false;
                }
                '[' if at(i + 1) == Some(':') => {
                    // A POSIX class `[:alpha:]` inside a bracket expression, copied whole.
                    let end = (i + 2..chars.len())
                        .find(|&k| at(k) == Some(':') && at(k + 1) == Some(']'));
                    let stop = end.map_or(i + 1, |k| k + 2);
                    out.extend(chars.get(i..stop).unwrap_or_default());
                    i = stop;
                    range_hi = false;
                }
                ']' => {
                    in_class = false;
                    out.push(c);
                    i += 1;
                    range_hi = false;
                }
                '-' if was_char && at(i + 1).is_some_and(|n| n != ']') => {
                    out.push('-');
                    i += 1;
                    range_hi = true;
                }
                _ => {
                    if matches!(c, '[' | '&' | '~' | '-') {
                        out.push('\\');
                    }
                    out.push(c);
                    i += 1;
                    class_char = !range_hi;
                    range_hi = false;
                }
            }
            continue;
        }
        match c {
            '\\' if at(i + 1) == Some('Q') => {
                let mut k = i + 2;
                while let Some(ch) = at(k) {
                    if ch == '\\' && at(k + 1) == Some('E') {
                        k += 2;
                        break;
                    }
                    match fold
                        .then(|| regex_unicode::folded_literal(ch as u32))
                        .transpose()?
                    {
                        Some(Some(orbit)) => regex_unicode::emit(&mut out, &orbit),
                        _ => literal(ch, &mut out),
                    }
                    k += 1;
                }
                i = k;
                after_repeat = false;
            }
            '\\' if matches!(at(i + 1), Some('p' | 'P')) => {
                let (set, used) = regex_unicode::unicode_class(&chars, i, fold)?;
                regex_unicode::emit(&mut out, &set);
                i += used;
                after_repeat = false;
            }
            '\\' if fold && matches!(at(i + 1), Some('w' | 'W')) => {
                // Go folds `\w` under (?i): it also matches K (Kelvin) and ſ (long s).
                let set =
                    regex_unicode::class(&['[', '\\', at(i + 1).unwrap_or('w'), ']'], 0, true)?.0;
                regex_unicode::emit(&mut out, &set);
                i += 2;
                after_repeat = false;
            }
            '\\' if fold && matches!(at(i + 1), Some('x' | '0'..='7')) => {
                let (value, used) = regex_unicode::escape_char(&chars, i)?;
                match regex_unicode::folded_literal(value)? {
                    Some(orbit) => regex_unicode::emit(&mut out, &orbit),
                    None => {
                        let _ = write!(out, "\\x{{{value:x}}}");
                    }
                }
                i += used;
                after_repeat = false;
            }
            '[' if fold || regex_unicode::class_has_unicode(&chars, i) => {
                let (set, next) = regex_unicode::class(&chars, i, fold)?;
                regex_unicode::emit(&mut out, &set);
                i = next;
                after_repeat = false;
            }
            '(' if at(i + 1) != Some('?') || at(i + 2) != Some('<') => {
                fold_stack.push(fold);
                if at(i + 1) == Some('?') {
                    let end = (i + 2..chars.len())
                        .find(|&k| !at(k).is_some_and(|c| c.is_ascii_alphabetic() || c == '-'));
                    if let Some(end) = end.filter(|&k| matches!(at(k), Some(')' | ':'))) {
                        // Case folding is done here (regex-lite folds ASCII only, and refuses
                        // `\x{..}` ranges under `i`), so `i` is taken out of the flags it sees.
                        let (mut negated, mut on, mut off) = (false, String::new(), String::new());
                        for &c in chars.get(i + 2..end).unwrap_or_default() {
                            match c {
                                '-' => negated = true,
                                'i' => fold = !negated,
                                c if negated => off.push(c),
                                c => on.push(c),
                            }
                        }
                        let flags = match (on.is_empty(), off.is_empty(), negated) {
                            (_, true, false) => on,
                            (true, true, true) => String::new(),
                            _ => format!("{on}-{off}"),
                        };
                        if at(end) == Some(')') {
                            // `(?i)`: in force to the end of the enclosing group.
                            fold_stack.pop();
                            if !flags.is_empty() {
                                let _ = write!(out, "(?{flags})");
                            }
                        } else {
                            let _ = write!(out, "(?{flags}:");
                        }
                        i = end + 1;
                        after_repeat = false;
                        continue;
                    }
                }
                if at(i + 1) == Some('?') && at(i + 2) == Some('P') && at(i + 3) == Some('<') {
                    // A named group's name is copied as written, never case-folded.
                    let end = (i..chars.len())
                        .find(|&k| at(k) == Some('>'))
                        .unwrap_or(chars.len());
                    out.extend(chars.get(i..=end).unwrap_or_default());
                    i = end + 1;
                    after_repeat = false;
                    continue;
                }
                out.push('(');
                i += 1;
                after_repeat = false;
            }
            ')' => {
                fold = fold_stack.pop().unwrap_or(fold);
                out.push(')');
                i += 1;
                after_repeat = false;
            }
            '\\' => {
                if let Some((text, used)) = octal(&chars, i)? {
                    out.push_str(&text);
                    i += used;
                } else {
                    out.push(c);
                    if let Some(n) = at(i + 1) {
                        out.push(n);
                    }
                    i += 2;
                }
                after_repeat = false;
            }
            '[' => {
                in_class = true;
                out.push(c);
                i += 1;
                // A `]` first in the class (after an optional `^`) is a literal.
                if at(i) == Some('^') {
                    out.push('^');
                    i += 1;
                }
                class_char = false;
                range_hi = false;
                if at(i) == Some(']') {
                    out.push_str("\\]");
                    i += 1;
                    class_char = true;
                }
                after_repeat = false;
            }
            '(' if at(i + 1) == Some('?') && at(i + 2) == Some('<') => {
                return Err(format!(
                    "invalid or unsupported Perl syntax: `{}`",
                    chars
                        .get(i..i + 3)
                        .unwrap_or_default()
                        .iter()
                        .collect::<String>()
                ));
            }
            '*' | '+' | '?' => {
                if after_repeat {
                    return Err(format!("invalid nested repetition operator: `{c}`"));
                }
                out.push(c);
                i += 1;
                if at(i) == Some('?') {
                    out.push('?');
                    i += 1;
                }
                after_repeat = true;
            }
            '{' => match repeat(&chars, i) {
                Some((min, max, used)) => {
                    if after_repeat {
                        return Err("invalid nested repetition operator: `{`".into());
                    }
                    if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
                        return Err(format!(
                            "invalid repeat count: `{}`",
                            chars
                                .get(i..i + used)
                                .unwrap_or_default()
                                .iter()
                                .collect::<String>()
                        ));
                    }
                    out.extend(chars.get(i..i + used).unwrap_or_default());
                    i += used;
                    if at(i) == Some('?') {
                        out.push('?');
                        i += 1;
                    }
                    after_repeat = true;
                }
                None => {
                    // Not a repeat: Go reads the brace as a literal character.
                    out.push_str("\\{");
                    i += 1;
                    after_repeat = false;
                }
            },
            _ => {
                match fold
                    .then(|| regex_unicode::folded_literal(c as u32))
                    .transpose()?
                {
                    Some(Some(orbit)) => regex_unicode::emit(&mut out, &orbit),
                    _ => out.push(c),
                }
                i += 1;
                after_repeat = false;
            }
        }
    }
    Ok(out)
}

/// A Go octal escape at `chars[i]` (a backslash): `\0`, `\0NN`, or `\NNN` of two or three
/// digits (a lone `\1`–`\7` is a backreference, which Go refuses). Returns the replacement and
/// how many characters it used.
fn octal(chars: &[char], i: usize) -> Result<Option<(String, usize)>, String> {
    let digit = |k: usize| chars.get(k).filter(|c| ('0'..='7').contains(c)).copied();
    let Some(first) = digit(i + 1) else {
        return Ok(None);
    };
    if first != '0' && digit(i + 2).is_none() {
        return Err(format!("invalid escape sequence: `\\{first}`"));
    }
    let mut value = 0u32;
    let mut used = 1;
    while used <= 3 {
        let Some(d) = digit(i + used) else { break };
        value = value * 8 + d.to_digit(8).unwrap_or(0);
        used += 1;
    }
    Ok(Some((format!("\\x{{{value:x}}}"), used)))
}

/// A repeat `{n}`, `{n,}` or `{n,m}` at `chars[i]`: (min, max, characters used).
fn repeat(chars: &[char], i: usize) -> Option<(u32, Option<u32>, usize)> {
    let mut k = i + 1;
    let number = |k: &mut usize| -> Option<u32> {
        let start = *k;
        while chars.get(*k).is_some_and(char::is_ascii_digit) {
            *k += 1;
        }
        if *k == start {
            return None;
        }
        chars
            .get(start..*k)?
            .iter()
            .collect::<String>()
            .parse()
            .ok()
            .or(Some(u32::MAX))
    };
    let min = number(&mut k)?;
    let max = match chars.get(k) {
        Some('}') => Some(min),
        Some(',') => {
            k += 1;
            if chars.get(k) == Some(&'}') {
                None
            } else {
                Some(number(&mut k)?)
            }
        }
        _ => return None,
    };
    (chars.get(k) == Some(&'}')).then_some((min, max, k + 1 - i))
}

/// Whether every matcher matches the label set.
pub fn matches_all(matchers: &[Matcher], labels: &Labels) -> bool {
    matchers.iter().all(|m| m.matches(labels))
}

/// Sorts matchers by name, then value, then operator, as Alertmanager does.
pub fn sort(matchers: &mut [Matcher]) {
    matchers.sort_by(|a, b| {
        (a.name.as_str(), a.value.as_str(), a.op).cmp(&(b.name.as_str(), b.value.as_str(), b.op))
    });
}

/// `{a="x",b=~"y"}`, as Alertmanager prints a matcher list.
pub fn render(matchers: &[Matcher]) -> String {
    let inner: Vec<String> = matchers.iter().map(Matcher::to_string).collect();
    format!("{{{}}}", inner.join(","))
}

/// Which matcher parser to use, as Alertmanager versions differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ParserMode {
    /// Alertmanager 0.22–0.26 (and amtool 0.25): unquoted values may hold spaces, only `\n`,
    /// `\"` and `\\` are escapes, label names are `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    Classic,
    /// Alertmanager 0.27+'s strict parser: quoted strings decode like Go string literals,
    /// names may be quoted and hold any UTF-8.
    Utf8,
    /// Alertmanager 0.27+'s default: the classic reading wins whenever it succeeds; the UTF-8
    /// one is used only when the classic parser fails.
    #[default]
    Fallback,
}

impl ParserMode {
    /// Every mode, in the order a picker lists them.
    pub const ALL: [ParserMode; 3] = [ParserMode::Fallback, ParserMode::Classic, ParserMode::Utf8];

    /// Stable short name, for links, pickers and the CLI's `--matchers`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Fallback => "fallback",
            Self::Utf8 => "utf8",
        }
    }

    /// The mode named by [`ParserMode::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// Parses one `matchers` list item (which may hold several comma-separated matchers).
pub fn parse(input: &str, mode: ParserMode) -> Result<Vec<Matcher>, String> {
    match mode {
        ParserMode::Classic => parse_classic(input),
        ParserMode::Utf8 => parse_utf8(input),
        ParserMode::Fallback => parse_classic(input).or_else(|_| parse_utf8(input)),
    }
}

/// Reads an amtool label argument `name=value` with the classic single-matcher parser, as
/// `amtool config routes test` does (so a value may hold commas and spaces).
pub fn parse_label(arg: &str) -> Result<(String, String), String> {
    let m = parse_classic_one(arg)?;
    if m.op != MatchOp::Equal {
        return Err("labels must be specified as key=value pairs".into());
    }
    Ok((m.name, m.value))
}

/// Go's regexp `\s`: ASCII whitespace without the vertical tab.
fn is_go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r')
}

/// The classic parser: strip one `{` and one `}`, split on commas outside double quotes.
pub fn parse_classic(input: &str) -> Result<Vec<Matcher>, String> {
    let s = input.strip_prefix('{').unwrap_or(input);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut tokens: Vec<String> = Vec::new();
    let mut token = String::new();
    let (mut inside_quotes, mut escaped) = (false, false);
    for c in s.chars() {
        match c {
            ',' if !inside_quotes => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            // A comma inside quotes is kept and leaves the escape state as it was.
            ',' => {}
            '"' => {
                if escaped {
                    escaped = false;
                } else {
                    inside_quotes = !inside_quotes;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    let last = token.trim();
    if !last.is_empty() {
        tokens.push(last.to_owned());
    }
    let mut out = Vec::with_capacity(tokens.len());
    for t in &tokens {
        out.push(parse_classic_one(t)?);
    }
    Ok(out)
}

/// The classic single-matcher parser: `\s*name\s*op\s*value\s*`, then the value's quotes and
/// escapes.
fn parse_classic_one(s: &str) -> Result<Matcher, String> {
    let bad = || format!("bad matcher format: {s}");
    let rest = s.trim_start_matches(is_go_space);
    let name_len = rest
        .char_indices()
        .take_while(|&(i, c)| {
            c.is_ascii_alphabetic() || c == '_' || c == ':' || (i > 0 && c.is_ascii_digit())
        })
        .count();
    if name_len == 0 {
        return Err(bad());
    }
    let (name, rest) = rest.split_at(name_len);
    let rest = rest.trim_start_matches(is_go_space);
    let (op, rest) = if let Some(r) = rest.strip_prefix("=~") {
        (MatchOp::Regex, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (MatchOp::Equal, r)
    } else if let Some(r) = rest.strip_prefix("!=") {
        (MatchOp::NotEqual, r)
    } else if let Some(r) = rest.strip_prefix("!~") {
        (MatchOp::NotRegex, r)
    } else {
        return Err(bad());
    };
    let raw_full = rest.trim_matches(is_go_space);
    let (raw, mut expect_trailing_quote) = match raw_full.strip_prefix('"') {
        Some(r) => (r, true),
        None => (raw_full, false),
    };
    let unescaped_quote = || format!("matcher value contains unescaped double quote: {raw_full}");
    let mut value = String::with_capacity(raw.len());
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' if i + 1 < raw.len() => escaped = true,
            '\\' => value.push('\\'),
            '"' => {
                if !expect_trailing_quote || i + 1 < raw.len() {
                    return Err(unescaped_quote());
                }
                expect_trailing_quote = false;
            }
            _ => value.push(c),
        }
    }
    if expect_trailing_quote {
        return Err(unescaped_quote());
    }
    Matcher::new(op, name, value)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Op(MatchOp),
    Quoted(String),
    Unquoted(String),
}

fn is_reserved(c: char) -> bool {
    c.is_whitespace() || "{}!=~,\\\"'`".contains(c)
}

/// Lexes the UTF-8 matcher syntax; each token with its byte offset.
fn lex_utf8(input: &str) -> Result<Vec<(usize, Token)>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => tokens.push((i, Token::Open)),
            '}' => tokens.push((i, Token::Close)),
            ',' => tokens.push((i, Token::Comma)),
            '=' => {
                if chars.next_if(|&(_, c)| c == '~').is_some() {
                    tokens.push((i, Token::Op(MatchOp::Regex)));
                } else {
                    tokens.push((i, Token::Op(MatchOp::Equal)));
                }
            }
            '!' => match chars.next() {
                Some((_, '=')) => tokens.push((i, Token::Op(MatchOp::NotEqual))),
                Some((_, '~')) => tokens.push((i, Token::Op(MatchOp::NotRegex))),
                _ => {
                    return Err(format!(
                        "{i}: expected one of '=~' (after `!` at column {}: write != or !~)",
                        column(input, i)
                    ));
                }
            },
            '"' => {
                let mut raw = String::from('"');
                let mut closed = false;
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    raw.push(c);
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err(format!(
                        "{i}: {raw}: missing end \" (the value opened with \" at column {} is never closed: add the closing quote)",
                        column(input, i)
                    ));
                }
                let text = go_unquote(&raw).ok_or_else(|| {
                    format!(
                        "{i}: {raw}: invalid input (the quoted text at column {} is not a valid Go string: check its escapes)",
                        column(input, i)
                    )
                })?;
                tokens.push((i, Token::Quoted(text)));
            }
            c if c.is_whitespace() => {}
            c if !is_reserved(c) => {
                let mut text = String::from(c);
                while let Some((_, c)) = chars.next_if(|&(_, c)| !is_reserved(c)) {
                    text.push(c);
                }
                tokens.push((i, Token::Unquoted(text)));
            }
            c => {
                return Err(format!(
                    "{i}: {c}: invalid input (`{c}` at column {} cannot appear outside quotes)",
                    column(input, i)
                ));
            }
        }
    }
    Ok(tokens)
}

/// The 1-based column, in characters, of byte `offset` in `text`.
fn column(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(offset, |t| t.chars().count()) + 1
}

/// What a token is, for messages: `` `=` at column 10 ``, or `the end`.
fn found(input: &str, token: Option<&(usize, Token)>) -> String {
    let Some((at, token)) = token else {
        return "the end of the matcher".into();
    };
    let text = match token {
        Token::Open => "{".to_owned(),
        Token::Close => "}".to_owned(),
        Token::Comma => ",".to_owned(),
        Token::Op(op) => op.as_str().to_owned(),
        Token::Quoted(t) => format!("{t:?}"),
        Token::Unquoted(t) => t.clone(),
    };
    format!("`{text}` at column {}", column(input, *at))
}

/// Decodes a double-quoted Go string literal as `strconv.Unquote` does; `None` when invalid.
fn go_unquote(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut bytes: Vec<u8> = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    let hex = |chars: &mut std::str::Chars<'_>, n: usize| -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            v = v * 16 + chars.next()?.to_digit(16)?;
        }
        Some(v)
    };
    while let Some(c) = chars.next() {
        if c == '\n' {
            return None;
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let simple = match chars.next()? {
            'a' => Some(0x07u8),
            'b' => Some(0x08),
            'f' => Some(0x0c),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(0x0b),
            '\\' => Some(b'\\'),
            '"' => Some(b'"'),
            'x' => Some(u8::try_from(hex(&mut chars, 2)?).ok()?),
            d @ '0'..='7' => {
                let mut v = d.to_digit(8)?;
                for _ in 0..2 {
                    v = v * 8 + chars.next()?.to_digit(8)?;
                }
                Some(u8::try_from(v).ok()?)
            }
            'u' => {
                let ch = char::from_u32(hex(&mut chars, 4)?)?;
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                None
            }
            'U' => {
                let ch = char::from_u32(hex(&mut chars, 8)?)?;
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                None
            }
            _ => return None,
        };
        if let Some(b) = simple {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

/// The UTF-8 parser of Alertmanager 0.27+: `{`, `}` optional but paired, names and values
/// quoted or unquoted, values required, a trailing comma allowed.
pub fn parse_utf8(input: &str) -> Result<Vec<Matcher>, String> {
    const SHAPE: &str =
        "a matcher is a label name, one of = != =~ !~, and a value, e.g. severity=\"critical\"";
    let tokens = lex_utf8(input)?;
    let mut it = tokens.iter().peekable();
    let opened_at = it.next_if(|(_, t)| *t == Token::Open).map(|(at, _)| *at);
    let open = opened_at.is_some();
    let unclosed = || {
        format!(
            "expected close brace (the `{{` at column {} is never closed)",
            column(input, opened_at.unwrap_or_default())
        )
    };
    let mut out = Vec::new();
    loop {
        match it.next() {
            None if open => return Err(unclosed()),
            None => return Ok(out),
            Some((_, Token::Close)) if open => break,
            Some((at, Token::Close)) => {
                return Err(format!(
                    "}}: expected opening brace (the `}}` at column {} closes nothing)",
                    column(input, *at)
                ));
            }
            Some((_, Token::Quoted(name) | Token::Unquoted(name))) => {
                let op = match it.next() {
                    Some((_, Token::Op(op))) => *op,
                    other => {
                        return Err(format!(
                            "expected an operator such as '=', '!=', '=~' or '!~' (found {}; {SHAPE})",
                            found(input, other)
                        ));
                    }
                };
                let value = match it.next() {
                    Some((_, Token::Quoted(v) | Token::Unquoted(v))) => v.clone(),
                    other => {
                        return Err(format!(
                            "expected label value (found {}; {SHAPE})",
                            found(input, other)
                        ));
                    }
                };
                out.push(
                    Matcher::new(op, name.clone(), value)
                        .map_err(|e| format!("failed to create matcher: {e}"))?,
                );
                match it.next() {
                    Some((_, Token::Comma)) => {}
                    Some((_, Token::Close)) if open => break,
                    Some((at, Token::Close)) => {
                        return Err(format!(
                            "}}: expected opening brace (the `}}` at column {} closes nothing)",
                            column(input, *at)
                        ));
                    }
                    None if open => return Err(unclosed()),
                    None => return Ok(out),
                    other => {
                        return Err(format!(
                            "expected a comma or close brace (found {}: separate matchers with commas, and quote values that hold spaces)",
                            found(input, other)
                        ));
                    }
                }
            }
            other => {
                return Err(format!(
                    "expected label name (found {}; {SHAPE})",
                    found(input, other)
                ));
            }
        }
    }
    match it.next() {
        None => Ok(out),
        other => Err(format!(
            "expected end of input (found {} after the closing brace)",
            found(input, other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mode: ParserMode, input: &str, expect: &str) {
        let got = match parse(input, mode) {
            Ok(ms) => render(&ms),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expect, "input {input:?} in {mode:?} mode");
    }

    #[test]
    fn classic_values_may_be_unquoted_and_hold_spaces() {
        check(ParserMode::Classic, "foo=bar baz", r#"{foo="bar baz"}"#);
        check(
            ParserMode::Utf8,
            "foo=bar baz",
            "error: expected a comma or close brace (found `baz` at column 9: separate matchers with commas, and quote values that hold spaces)",
        );
        check(ParserMode::Fallback, "foo=bar baz", r#"{foo="bar baz"}"#);
    }

    #[test]
    fn classic_splits_on_commas_outside_quotes_only() {
        check(
            ParserMode::Classic,
            r#"{a="x,y", b!~"z"}"#,
            r#"{a="x,y",b!~"z"}"#,
        );
        check(ParserMode::Classic, "a=1,", r#"{a="1"}"#);
        check(
            ParserMode::Classic,
            "a=1,,b=2",
            "error: bad matcher format: ",
        );
    }

    #[test]
    fn classic_keeps_unknown_escapes_and_rejects_interior_quotes() {
        check(ParserMode::Classic, r#"a="\d+""#, r#"{a="\\d+"}"#);
        check(ParserMode::Classic, r#"a="x\"y""#, r#"{a="x\"y"}"#);
        check(
            ParserMode::Classic,
            r#"a="x"y""#,
            r#"error: matcher value contains unescaped double quote: "x"y""#,
        );
        check(
            ParserMode::Classic,
            r#"a=x""#,
            r#"error: matcher value contains unescaped double quote: x""#,
        );
    }

    #[test]
    fn utf8_reads_go_escapes_and_quoted_names() {
        check(ParserMode::Utf8, r#"a="x\ty""#, "{a=\"x\ty\"}");
        check(ParserMode::Classic, r#"a="x\ty""#, r#"{a="x\\ty"}"#);
        check(
            ParserMode::Utf8,
            r#"{"service name"="api",}"#,
            r#"{"service name"="api"}"#,
        );
        check(
            ParserMode::Utf8,
            r#"a=~"\d+""#,
            r#"error: 3: "\d+": invalid input (the quoted text at column 4 is not a valid Go string: check its escapes)"#,
        );
        check(ParserMode::Fallback, r#"a=~"\d+""#, r#"{a=~"\\d+"}"#);
    }

    #[test]
    fn fallback_uses_utf8_only_when_classic_fails() {
        check(ParserMode::Fallback, "foo.bar=baz", r#"{foo.bar="baz"}"#);
        check(
            ParserMode::Classic,
            "foo.bar=baz",
            "error: bad matcher format: foo.bar=baz",
        );
    }

    #[test]
    fn braces_must_pair_in_utf8() {
        check(
            ParserMode::Utf8,
            "{a=b",
            "error: expected close brace (the `{` at column 1 is never closed)",
        );
        check(
            ParserMode::Utf8,
            "a=b}",
            "error: }: expected opening brace (the `}` at column 4 closes nothing)",
        );
        check(ParserMode::Utf8, "{}", "{}");
    }

    #[test]
    fn names_only_the_utf8_parser_reads_render_quoted_and_read_back() {
        // Found by the `matchers` fuzz target: `"=eap+c"=eapi` rendered as `{=eap+c="eapi"}`.
        for input in [
            r#""=eap+c"=eapi"#,
            r#""a b"!~"x	y""#,
            r#""{}"="""#,
            r#""été"=~".+""#,
        ] {
            let parsed = parse_utf8(input);
            let rendered = parsed.as_ref().map(|ms| render(ms));
            let back = rendered.as_ref().map(|r| parse_utf8(r));
            assert!(
                matches!((&parsed, &back), (Ok(a), Ok(Ok(b))) if a == b),
                "{input}: {parsed:?} rendered as {rendered:?} reads as {back:?}"
            );
        }
        assert_eq!(
            render(&parse_utf8(r#""=eap+c"=eapi"#).unwrap_or_default()),
            r#"{"=eap+c"="eapi"}"#
        );
        // Classic names print as amtool 0.25 prints them.
        assert_eq!(
            parse_utf8(r#"a="x\"y""#).map(|ms| render(&ms)),
            Ok(r#"{a="x\"y"}"#.to_owned())
        );
    }

    #[test]
    fn utf8_errors_keep_alertmanagers_words_and_say_where_and_what_is_right() {
        for (input, want) in [
            (
                r#"severity=="critical""#,
                r#"expected label value (found `=` at column 10; a matcher is a label name, one of = != =~ !~, and a value, e.g. severity="critical")"#,
            ),
            (
                r#"severity="critical"#,
                r#"9: "critical: missing end " (the value opened with " at column 10 is never closed: add the closing quote)"#,
            ),
            (
                "severity",
                r#"expected an operator such as '=', '!=', '=~' or '!~' (found the end of the matcher; a matcher is a label name, one of = != =~ !~, and a value, e.g. severity="critical")"#,
            ),
            (
                "a=b c",
                "expected a comma or close brace (found `c` at column 5: separate matchers with commas, and quote values that hold spaces)",
            ),
            (
                "a!b",
                "1: expected one of '=~' (after `!` at column 2: write != or !~)",
            ),
            (
                "{a=b} x",
                "expected end of input (found `x` at column 7 after the closing brace)",
            ),
        ] {
            assert_eq!(parse_utf8(input).err().as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn invalid_regexes_are_errors() {
        let got = parse("a=~\"(\"", ParserMode::Classic);
        assert!(
            matches!(&got, Err(e) if e.starts_with("error parsing regexp")),
            "{got:?}"
        );
    }

    fn check_match(matcher: &str, labels: &[(&str, &str)], expect: bool) {
        let ms = parse(matcher, ParserMode::Classic).unwrap_or_default();
        let labels: Labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(matches_all(&ms, &labels), expect, "{matcher} on {labels:?}");
    }

    #[test]
    fn a_missing_label_reads_as_empty() {
        check_match(r#"foo!="x""#, &[], true);
        check_match(r#"foo="""#, &[], true);
        check_match(r#"foo=~".*""#, &[], true);
        check_match(r#"foo!~".+""#, &[], true);
        check_match(r#"foo=~".+""#, &[], false);
    }

    #[test]
    fn regexes_are_fully_anchored_and_perl_classes_are_ascii() {
        check_match(r#"a=~"b|c""#, &[("a", "bc")], false);
        check_match(r#"a=~"b|c""#, &[("a", "c")], true);
        check_match(r#"a=~"\d+""#, &[("a", "٣")], false);
        check_match(r#"a=~".""#, &[("a", "é")], true);
    }

    #[test]
    fn go_regex_syntax_is_read_as_go_reads_it() {
        check_match(r#"a=~"\\Qx.\\E""#, &[("a", "x.")], true);
        check_match(r#"a=~"\\Qx.\\E""#, &[("a", "xy")], false);
        check_match(r#"a=~"\\141""#, &[("a", "a")], true);
        check_match(r#"a=~"a{,2}""#, &[("a", "a{,2}")], true);
        check_match(r#"a=~"x{2}""#, &[("a", "xx")], true);
        check_match(r#"a=~"[]a]+""#, &[("a", "]a")], true);
        check_match(r#"a=~"[[:alpha:]]+""#, &[("a", "ab")], true);
        // Inside a class Go reads `[`, `&&` and `~~` literally: no nesting, no set operations.
        check_match(r#"a=~[}}21^[]-"#, &[("a", "[-")], true);
        check_match(r#"a=~[}}21^[]-"#, &[("a", "}-")], true);
        check_match(r#"a=~"[a&&b]""#, &[("a", "&")], true);
        check_match(r#"a=~"[a~~b]""#, &[("a", "~")], true);
        check_match(r#"a=~"[a[b]c""#, &[("a", "[c")], true);
        // A `-` is a range only between two single characters: `[+--]` is `+` to `-`,
        // `[a-c--]` is a to c and two dashes, `[\\d-z]` is digits, `-` and `z`.
        check_match(r#"a=~"[+--]""#, &[("a", ",")], true);
        check_match(r#"a=~"[--/]""#, &[("a", ".")], true);
        check_match(r#"a=~"[a-c--]""#, &[("a", "-")], true);
        check_match(r#"a=~"[a-c--]""#, &[("a", "b")], true);
        check_match(r#"a=~"[\\x41-\\x43]""#, &[("a", "B")], true);
        check_match(r#"a=~"[\\d-z]""#, &[("a", "-")], true);
        assert!(compile_anchored("[a--]").is_err());
        // An unterminated \Q runs to the end of the anchored pattern, leaving `(?:` open.
        assert!(compile_anchored("-\\Q*a-)").is_err());
        for refused in ["a**", "a++", "x{2}{3}", "a{1001}", "(?<n>x)", "\\1", "a*??"] {
            assert!(
                go_regex(refused).is_err(),
                "{refused} should be refused as Go does"
            );
        }
        for accepted in ["a*?", "a+?", "a??", "x{2}?", "(?P<n>x)", "\\0", "[*+]+"] {
            assert!(
                compile_anchored(accepted).is_ok(),
                "{accepted} should compile"
            );
        }
    }

    fn with_tables() {
        let bytes = include_bytes!("../../data/go-unicode-13.bin");
        assert_eq!(crate::alertmanager::unicode::install(bytes), Ok(()));
    }

    #[test]
    fn unicode_classes_match_as_in_go() {
        with_tables();
        check_match(r#"a=~"\\pL+""#, &[("a", "日本café")], true);
        check_match(r#"a=~"\\pL+""#, &[("a", "a1")], false);
        check_match(r#"a=~"\\p{Greek}+""#, &[("a", "αβγ")], true);
        check_match(r#"a=~"\\p{Greek}+""#, &[("a", "abc")], false);
        check_match(r#"a=~"\\PN+""#, &[("a", "abc")], true);
        check_match(r#"a=~"\\PN+""#, &[("a", "a٣")], false);
        check_match(r#"a=~"\\p{^Han}""#, &[("a", "日")], false);
        check_match(r#"a=~"[\\p{Han}x]+""#, &[("a", "日x")], true);
        check_match(r#"a=~"[^\\p{L}]""#, &[("a", "1")], true);
        check_match(r#"a=~"\\p{Any}""#, &[("a", "\u{10FFFD}")], true);
        // Unicode 13.0 (Go 1.19): U+08BE is Arabic, U+08B5 was assigned only in 14.0.
        check_match(r#"a=~"\\p{Arabic}""#, &[("a", "\u{08BE}")], true);
        check_match(r#"a=~"\\p{Arabic}""#, &[("a", "\u{08B5}")], false);
        let err = compile_anchored("\\p{Klingon}").err();
        assert_eq!(
            err.as_deref(),
            Some("error parsing regexp: invalid character class range: `\\p{Klingon}`")
        );
    }

    #[test]
    fn case_insensitive_regexes_fold_as_go_does() {
        with_tables();
        check_match(r#"a=~"(?i)k""#, &[("a", "\u{212A}")], true);
        check_match(r#"a=~"(?i)S""#, &[("a", "\u{17F}")], true);
        check_match(r#"a=~"(?i)É""#, &[("a", "é")], true);
        check_match(r#"a=~"(?i)[a-z]+""#, &[("a", "\u{212A}\u{17F}")], true);
        check_match(r#"a=~"(?i)[^k]""#, &[("a", "\u{212A}")], false);
        check_match(r#"a=~"(?i)\\w""#, &[("a", "\u{212A}")], true);
        check_match(r#"a=~"(?i)\\W""#, &[("a", "\u{17F}")], false);
        check_match(r#"a=~"\\w""#, &[("a", "\u{212A}")], false);
        check_match(r#"a=~"(?i:k)k""#, &[("a", "\u{212A}\u{212A}")], false);
        check_match(r#"a=~"(?i:k)k""#, &[("a", "\u{212A}k")], true);
        check_match(r#"a=~"(?i)(?P<ks>k)""#, &[("a", "K")], true);
        check_match(r#"a=~"(?i)\\p{Lu}""#, &[("a", "a")], true);
        check_match(r#"a=~"(?i)\\x{212A}""#, &[("a", "k")], true);
    }

    #[test]
    fn amtool_label_arguments_take_the_whole_value() {
        assert_eq!(parse_label("a=x, y"), Ok(("a".into(), "x, y".into())));
        assert!(parse_label("a!=x").is_err());
    }
}
