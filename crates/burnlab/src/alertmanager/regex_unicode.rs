//! The Unicode half of Go's RE2 syntax, brought to `regex-lite` (which has no Unicode tables):
//! `\p{..}`/`\P{..}` classes and `(?i)` case folding are expanded into explicit code-point
//! classes from [`crate::alertmanager::unicode`]'s tables, following Go 1.19's regexp/syntax:
//! a class is read item by item (POSIX `[:alpha:]`, `\pL`, `\d`, single characters and ranges),
//! each item folded under `(?i)` before the class is negated; a literal under `(?i)` matches its
//! whole `unicode.SimpleFold` orbit. Called by [`crate::alertmanager::matchers::go_regex`].

use std::fmt::Write as _;

use crate::alertmanager::unicode::{self, MISSING, Ranges, Tables, negate, normalize};

fn tables() -> Result<&'static Tables, String> {
    unicode::installed().ok_or_else(|| MISSING.to_owned())
}

/// The case-folding orbit of an ASCII character (or of K and ſ, which fold into ASCII), known
/// without the tables: Go's `asciiFold` plus the Kelvin sign and the long s.
fn ascii_orbit(c: u32) -> Option<Vec<u32>> {
    let lower = match c {
        0x41..=0x5a => c + 0x20,
        0x61..=0x7a => c,
        0x212a => 0x6b,
        0x17f => 0x73,
        0..=0x7f => return Some(vec![c]),
        _ => return None,
    };
    let mut orbit = vec![lower - 0x20, lower];
    match lower {
        0x6b => orbit.push(0x212a),
        0x73 => orbit.push(0x17f),
        _ => {}
    }
    orbit.sort_unstable();
    Some(orbit)
}

/// Go's `(?i)` closure of a set: with the tables, or for ASCII-only sets without them (so the
/// common `(?i)critical` needs no tables).
fn fold_closure(set: &[(u32, u32)]) -> Result<Ranges, String> {
    if let Some(t) = unicode::installed() {
        return Ok(t.fold_closure(set));
    }
    if set.iter().any(|&(_, hi)| hi > 0x7f) {
        return Err(MISSING.to_owned());
    }
    let mut out = set.to_vec();
    for &(lo, hi) in set {
        for c in lo..=hi {
            out.extend(
                ascii_orbit(c)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|m| (m, m)),
            );
        }
    }
    Ok(normalize(out))
}

/// Go's `\d`, `\s`, `\w` (ASCII), by the escape letter; the bool says whether it is negated.
fn perl(c: char) -> Option<(Ranges, bool)> {
    let (set, negated): (Ranges, bool) = match c {
        'd' | 'D' => (vec![(0x30, 0x39)], c == 'D'),
        's' | 'S' => (vec![(0x09, 0x0a), (0x0c, 0x0d), (0x20, 0x20)], c == 'S'),
        'w' | 'W' => (
            vec![(0x30, 0x39), (0x41, 0x5a), (0x5f, 0x5f), (0x61, 0x7a)],
            c == 'W',
        ),
        _ => return None,
    };
    Some((set, negated))
}

/// Go's POSIX classes inside brackets, by name.
fn posix(name: &str) -> Option<Ranges> {
    Some(match name {
        "alnum" => vec![(0x30, 0x39), (0x41, 0x5a), (0x61, 0x7a)],
        "alpha" => vec![(0x41, 0x5a), (0x61, 0x7a)],
        "ascii" => vec![(0, 0x7f)],
        "blank" => vec![(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => vec![(0, 0x1f), (0x7f, 0x7f)],
        "digit" => vec![(0x30, 0x39)],
        "graph" => vec![(0x21, 0x7e)],
        "lower" => vec![(0x61, 0x7a)],
        "print" => vec![(0x20, 0x7e)],
        "punct" => vec![(0x21, 0x2f), (0x3a, 0x40), (0x5b, 0x60), (0x7b, 0x7e)],
        "space" => vec![(0x09, 0x0d), (0x20, 0x20)],
        "upper" => vec![(0x41, 0x5a)],
        "word" => vec![(0x30, 0x39), (0x41, 0x5a), (0x5f, 0x5f), (0x61, 0x7a)],
        "xdigit" => vec![(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    })
}

/// A group (perl, POSIX or Unicode) as Go's `appendGroup` adds it: folded under `(?i)`, then
/// negated if it is a negated group.
fn group(set: &[(u32, u32)], negated: bool, fold: bool) -> Result<Ranges, String> {
    let set = if fold {
        fold_closure(set)?
    } else {
        set.to_vec()
    };
    Ok(if negated { negate(&set) } else { set })
}

fn text(chars: &[char], from: usize, to: usize) -> String {
    chars
        .get(from..to.min(chars.len()))
        .unwrap_or_default()
        .iter()
        .collect()
}

/// `\p{Name}`, `\pL`, `\P{^Name}` at `chars[i]` (the backslash): the class and how many
/// characters it used.
pub(crate) fn unicode_class(
    chars: &[char],
    i: usize,
    fold: bool,
) -> Result<(Ranges, usize), String> {
    let mut negated = chars.get(i + 1) == Some(&'P');
    let (seq_end, mut name) = match chars.get(i + 2) {
        Some('{') => {
            let Some(end) = (i + 3..chars.len()).find(|&k| chars.get(k) == Some(&'}')) else {
                return Err(format!(
                    "invalid character class range: `{}`",
                    text(chars, i, chars.len())
                ));
            };
            (end + 1, text(chars, i + 3, end))
        }
        Some(&c) => (i + 3, c.to_string()),
        None => (i + 2, String::new()),
    };
    if let Some(rest) = name.strip_prefix('^') {
        negated = !negated;
        name = rest.to_owned();
    }
    let tables = tables()?;
    let Some(table) = tables.table(&name) else {
        return Err(format!(
            "invalid character class range: `{}`",
            text(chars, i, seq_end)
        ));
    };
    Ok((group(&table, negated, fold)?, seq_end - i))
}

/// The character of a Go escape at `chars[i]` (the backslash) inside a class, and how many
/// characters it used; `None` when it is not a single-character escape.
pub(crate) fn escape_char(chars: &[char], i: usize) -> Result<(u32, usize), String> {
    let c = chars
        .get(i + 1)
        .copied()
        .ok_or("trailing backslash at end of expression")?;
    Ok(match c {
        'a' => (7, 2),
        'f' => (0x0c, 2),
        'n' => (0x0a, 2),
        'r' => (0x0d, 2),
        't' => (0x09, 2),
        'v' => (0x0b, 2),
        '0'..='7' => {
            // Octal: `\0`, or one to three digits (a lone `\1`–`\7` is a backreference).
            let digits = (i + 1..i + 4)
                .take_while(|&k| chars.get(k).is_some_and(|d| ('0'..='7').contains(d)))
                .count();
            if c != '0' && digits < 2 {
                return Err(format!("invalid escape sequence: `\\{c}`"));
            }
            let value = (i + 1..i + 1 + digits)
                .filter_map(|k| chars.get(k).and_then(|d| d.to_digit(8)))
                .fold(0u32, |v, d| v * 8 + d);
            (value, 1 + digits)
        }
        'x' => {
            if chars.get(i + 2) == Some(&'{') {
                let end = (i + 3..chars.len())
                    .find(|&k| chars.get(k) == Some(&'}'))
                    .ok_or_else(|| {
                        format!("invalid escape sequence: `{}`", text(chars, i, chars.len()))
                    })?;
                let hex = text(chars, i + 3, end);
                let value = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|v| *v <= 0x10FFFF && !hex.is_empty())
                    .ok_or_else(|| {
                        format!("invalid escape sequence: `{}`", text(chars, i, end + 1))
                    })?;
                (value, end + 1 - i)
            } else {
                let hex = text(chars, i + 2, i + 4);
                match u32::from_str_radix(&hex, 16) {
                    Ok(v)
                        if hex.chars().count() == 2
                            && hex.chars().all(|h| h.is_ascii_hexdigit()) =>
                    {
                        (v, 4)
                    }
                    _ => {
                        return Err(format!(
                            "invalid escape sequence: `{}`",
                            text(chars, i, i + 4)
                        ));
                    }
                }
            }
        }
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => (c as u32, 2),
        c => return Err(format!("invalid escape sequence: `\\{c}`")),
    })
}

/// Reads the class starting at `chars[i]` (its `[`) as Go does and returns its code points and
/// the index after its `]`.
pub(crate) fn class(chars: &[char], i: usize, fold: bool) -> Result<(Ranges, usize), String> {
    let whole = || format!("missing closing ]: `{}`", text(chars, i, chars.len()));
    let mut k = i + 1;
    let negated = chars.get(k) == Some(&'^');
    if negated {
        k += 1;
    }
    let mut set: Ranges = Vec::new();
    let mut first = true;
    loop {
        match chars.get(k) {
            None => return Err(whole()),
            Some(']') if !first => break,
            _ => {}
        }
        first = false;
        if chars.get(k) == Some(&'[') && chars.get(k + 1) == Some(&':') {
            let close = (k + 2..chars.len())
                .find(|&j| chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&']'));
            if let Some(close) = close {
                let name = text(chars, k + 2, close);
                let (neg, bare) = match name.strip_prefix('^') {
                    Some(b) => (true, b.to_owned()),
                    None => (false, name.clone()),
                };
                let Some(members) = posix(&bare) else {
                    return Err(format!(
                        "invalid character class range: `{}`",
                        text(chars, k, close + 2)
                    ));
                };
                set.extend(group(&members, neg, fold)?);
                k = close + 2;
                continue;
            }
        }
        if chars.get(k) == Some(&'\\') {
            match chars.get(k + 1) {
                Some('p' | 'P') => {
                    let (members, used) = unicode_class(chars, k, fold)?;
                    set.extend(members);
                    k += used;
                    continue;
                }
                Some(&c) => {
                    if let Some((members, neg)) = perl(c) {
                        set.extend(group(&members, neg, fold)?);
                        k += 2;
                        continue;
                    }
                }
                None => {}
            }
        }
        let start = k;
        let (lo, used) = class_char(chars, k, &whole)?;
        k += used;
        let mut hi = lo;
        if chars.get(k) == Some(&'-') && chars.get(k + 1).is_some_and(|c| *c != ']') {
            let (h, used) = class_char(chars, k + 1, &whole)?;
            k += 1 + used;
            hi = h;
            if hi < lo {
                return Err(format!(
                    "invalid character class range: `{}`",
                    text(chars, start, k)
                ));
            }
        }
        let range = vec![(lo, hi)];
        set.extend(if fold {
            tables()?.fold_closure(&range)
        } else {
            range
        });
    }
    let set = normalize(set);
    Ok((if negated { negate(&set) } else { set }, k + 1))
}

fn class_char(
    chars: &[char],
    k: usize,
    whole: &dyn Fn() -> String,
) -> Result<(u32, usize), String> {
    match chars.get(k) {
        None => Err(whole()),
        Some('\\') => escape_char(chars, k),
        Some(&c) => Ok((c as u32, 1)),
    }
}

/// Whether the class at `chars[i]` (its `[`) holds a `\p`/`\P` group; scanning stops at the
/// class's end as Go finds it.
pub(crate) fn class_has_unicode(chars: &[char], i: usize) -> bool {
    let mut k = i + 1;
    if chars.get(k) == Some(&'^') {
        k += 1;
    }
    let mut first = true;
    while let Some(&c) = chars.get(k) {
        if c == ']' && !first {
            return false;
        }
        first = false;
        if c == '\\' {
            if matches!(chars.get(k + 1), Some('p' | 'P')) {
                return true;
            }
            k += 2;
        } else {
            k += 1;
        }
    }
    false
}

/// A literal under `(?i)`: the class of its case-folding orbit, or `None` when it folds to
/// nothing else (digits, punctuation).
pub(crate) fn folded_literal(c: u32) -> Result<Option<Ranges>, String> {
    let orbit = match unicode::installed() {
        Some(t) => t.orbit(c),
        None => ascii_orbit(c).ok_or_else(|| MISSING.to_owned())?,
    };
    Ok((orbit.len() > 1).then(|| normalize(orbit.into_iter().map(|m| (m, m)).collect())))
}

/// Writes a class of explicit code points for regex-lite. Surrogates cannot occur in UTF-8
/// text and regex-lite refuses them, so they are left out; an empty class matches nothing.
pub(crate) fn emit(out: &mut String, ranges: &[(u32, u32)]) {
    let mut parts = String::new();
    for &(lo, hi) in ranges {
        for (lo, hi) in [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)] {
            if lo <= hi {
                if lo == hi {
                    let _ = write!(parts, "\\x{{{lo:X}}}");
                } else {
                    let _ = write!(parts, "\\x{{{lo:X}}}-\\x{{{hi:X}}}");
                }
            }
        }
    }
    if parts.is_empty() {
        out.push_str("[^\\x{0}-\\x{10FFFF}]");
    } else {
        out.push('[');
        out.push_str(&parts);
        out.push(']');
    }
}
