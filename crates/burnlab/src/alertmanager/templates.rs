//! The `templates:` of alertmanager.yml as `amtool check-config` loads them: each entry is a
//! glob (Go's `filepath.Glob`, relative to the config file's folder), a malformed glob is
//! "syntax error in pattern", a glob that matches nothing is fine, and every matched file must
//! parse as a Go template with Alertmanager's functions.
//!
//! The core does no I/O: [`glob_match`] says which paths a glob takes, and [`check_files`]
//! parses texts a front end has read (the CLI reads the files; other fronts may take pasted ones).

use crate::error::Error;
use crate::gotemplate;

/// Go's `filepath.ErrBadPattern` text.
pub const BAD_PATTERN: &str = "syntax error in pattern";

/// Whether `pattern` is a well-formed glob (Go's `filepath.Match` grammar: `*`, `?`,
/// `[class]`, `\` escapes).
pub fn check_glob(pattern: &str) -> Result<(), String> {
    // Matching against a name of one character never stops early, so the whole pattern is
    // read; Go's Glob validates the same way before it lists anything.
    for segment in pattern.split('/') {
        segment_match(segment, "", true)?;
    }
    Ok(())
}

/// Whether the `/`-separated `path` matches the glob `pattern`, segment by segment (`*` and
/// `?` never match `/`), as Go's `filepath.Glob` walks folders.
pub fn glob_match(pattern: &str, path: &str) -> Result<bool, String> {
    check_glob(pattern)?;
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if pattern.len() != path.len() {
        return Ok(false);
    }
    for (p, n) in pattern.iter().zip(&path) {
        if !segment_match(p, n, false)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether a glob segment has any of Go's meta characters (`*?[\`).
pub fn has_meta(segment: &str) -> bool {
    segment.contains(['*', '?', '[', '\\'])
}

/// Matches one segment; with `validate`, keeps reading the pattern after a mismatch so that
/// any syntax error is found.
fn segment_match(pattern: &str, name: &str, validate: bool) -> Result<bool, String> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Backtracking over `*` with memo-free recursion is fine for file globs (short patterns).
    fn go(p: &[char], n: &[char], validate: bool) -> Result<bool, String> {
        let Some((&c, rest)) = p.split_first() else {
            return Ok(n.is_empty());
        };
        match c {
            '*' => {
                for skip in 0..=n.len() {
                    if go(rest, n.get(skip..).unwrap_or_default(), validate)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            '?' => match n.split_first() {
                Some((_, tail)) => go(rest, tail, validate),
                None => go(rest, n, true).map(|_| false),
            },
            '[' => {
                let (matched, used) = class(rest, n.first().copied())?;
                let after = rest.get(used..).unwrap_or_default();
                match (matched, n.split_first()) {
                    (true, Some((_, tail))) => go(after, tail, validate),
                    _ => go(after, n, true).map(|_| false),
                }
            }
            '\\' => {
                let Some((&e, after)) = rest.split_first() else {
                    return Err(BAD_PATTERN.into());
                };
                match n.split_first() {
                    Some((&m, tail)) if m == e => go(after, tail, validate),
                    _ => go(after, n, true).map(|_| false),
                }
            }
            _ => match n.split_first() {
                Some((&m, tail)) if m == c => go(rest, tail, validate),
                _ if validate => go(rest, n, true).map(|_| false),
                _ => Ok(false),
            },
        }
    }
    go(&p, &n, validate)
}

/// A `[...]` class after its `[`: whether `c` is in it, and how many characters it used
/// (with the closing `]`).
fn class(p: &[char], c: Option<char>) -> Result<(bool, usize), String> {
    let mut i = 0;
    let negated = p.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let esc = |i: &mut usize| -> Result<char, String> {
        match p.get(*i) {
            None | Some('-' | ']') => Err(BAD_PATTERN.into()),
            Some('\\') => {
                let e = p.get(*i + 1).copied().ok_or(BAD_PATTERN)?;
                *i += 2;
                Ok(e)
            }
            Some(&e) => {
                *i += 1;
                Ok(e)
            }
        }
    };
    let mut matched = false;
    let mut ranges = 0;
    loop {
        if p.get(i) == Some(&']') && ranges > 0 {
            i += 1;
            break;
        }
        let lo = esc(&mut i)?;
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            i += 1;
            hi = esc(&mut i)?;
        }
        if c.is_some_and(|c| lo <= c && c <= hi) {
            matched = true;
        }
        ranges += 1;
    }
    Ok((matched != negated && c.is_some(), i))
}

/// Parses template files (path as listed, text) as Alertmanager loads them; the first failure
/// is Go's message located at its line and column in that file.
pub fn check_files(files: &[(String, String)]) -> Result<(), Error> {
    for (path, text) in files {
        if let Err(e) = gotemplate::parse_alertmanager(path, text) {
            return Err(Error::field(path.clone(), e.message).at(e.token_line, e.token_column));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_are_read_as_go_reads_them() {
        for good in ["*.tmpl", "tmpl/*.tmpl", "a?[a-c]x", "[^x]*", "\\*", "[\\]]"] {
            assert_eq!(check_glob(good), Ok(()), "{good}");
        }
        for bad in ["tmpl/[.tmpl", "[]", "a\\", "[a-]", "[-a]", "x/[^"] {
            assert_eq!(check_glob(bad), Err(BAD_PATTERN.to_owned()), "{bad}");
        }
        assert_eq!(glob_match("tmpl/*.tmpl", "tmpl/a.tmpl"), Ok(true));
        assert_eq!(glob_match("tmpl/*.tmpl", "tmpl/sub/a.tmpl"), Ok(false));
        assert_eq!(glob_match("*/x", "a/x"), Ok(true));
        assert_eq!(glob_match("[a-c].t", "b.t"), Ok(true));
        assert_eq!(glob_match("[^a-c].t", "b.t"), Ok(false));
    }

    #[test]
    fn a_template_file_that_does_not_parse_is_located() {
        let files = vec![
            (
                "t/ok.tmpl".to_owned(),
                "{{ define \"x\" }}{{ .Status }}{{ end }}".to_owned(),
            ),
            ("t/bad.tmpl".to_owned(), "a\n{{ .Labels\n".to_owned()),
        ];
        let err = check_files(&files).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some(
                "line 3, column 1: t/bad.tmpl: template: bad.tmpl:3: unclosed action started at bad.tmpl:2"
                    .to_owned()
            )
        );
    }
}
