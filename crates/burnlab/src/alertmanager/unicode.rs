//! The Unicode data behind Go's RE2 in Alertmanager: the category and script tables of
//! `\p{Greek}`, `\pL`, `\PN`, and the simple case-folding orbits of `(?i)` (Go folds the Kelvin
//! sign K with `k` and the long s ſ with `s`). They are Go 1.19's tables — Unicode 13.0.0, the
//! version of the Go that built Debian's amtool 0.25 — written by `cargo xtask unicode-tables`
//! into `crates/burnlab/data/go-unicode-13.bin`.
//!
//! The tables are data, not code, so a front that must stay small need not carry them: with the
//! core's `unicode-tables` feature (the CLI's) they are compiled in; without it a front end
//! calls [`install`] with the file's bytes (fetched as [`TABLES_FILE`], say) before parsing a config for which [`needed`] is true. ASCII case folding (`(?i)critical`,
//! with the Kelvin sign and long s that fold into ASCII) needs no tables. A regex that needs
//! them while none are installed is refused with [`MISSING`] rather than matched wrongly.
//!
//! File format (all numbers unsigned LEB128): the magic `BLUT`; the Unicode version (length,
//! bytes); the number of named tables, then for each its name (length, bytes), its number of
//! ranges and each range as (gap from the previous range's end + 1, length − 1); the number of
//! orbits, then for each its size, its smallest member as a gap from the previous orbit's, and
//! the other members as offsets from the smallest.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The file name the tables are published under, for a front that fetches them.
pub const TABLES_FILE: &str = "go-unicode-13.bin";

/// The message of a regex that needs the tables while none are installed.
pub const MISSING: &str =
    "this regex needs Unicode tables (\\p classes or (?i) case folding), which are not loaded yet";

/// Code-point ranges, inclusive, sorted and disjoint.
pub type Ranges = Vec<(u32, u32)>;

/// The decoded tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// The Unicode version they come from.
    pub version: String,
    tables: BTreeMap<String, Ranges>,
    orbits: Vec<Vec<u32>>,
    orbit_of: HashMap<u32, usize>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Result<u32, String> {
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self
                .bytes
                .get(self.at)
                .ok_or("the Unicode table file is truncated")?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value)
                    .map_err(|_| "a number in the Unicode table file is too large".to_owned());
            }
        }
        Err("a number in the Unicode table file is too long".into())
    }

    fn text(&mut self) -> Result<String, String> {
        let len = self.varint()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or("the Unicode table file is truncated")?;
        self.at += len;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| "a name in the Unicode table file is not UTF-8".to_owned())
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Writes tables in the file format (used by `cargo xtask unicode-tables`).
pub fn encode(version: &str, tables: &[(String, Ranges)], orbits: &[Vec<u32>]) -> Vec<u8> {
    let mut out = b"BLUT".to_vec();
    push_varint(&mut out, version.len() as u32);
    out.extend_from_slice(version.as_bytes());
    push_varint(&mut out, tables.len() as u32);
    for (name, ranges) in tables {
        push_varint(&mut out, name.len() as u32);
        out.extend_from_slice(name.as_bytes());
        push_varint(&mut out, ranges.len() as u32);
        let mut next = 0u32;
        for &(lo, hi) in ranges {
            push_varint(&mut out, lo - next);
            push_varint(&mut out, hi - lo);
            next = hi + 1;
        }
    }
    push_varint(&mut out, orbits.len() as u32);
    let mut previous = 0u32;
    for orbit in orbits {
        let first = orbit.first().copied().unwrap_or(0);
        push_varint(&mut out, orbit.len() as u32);
        push_varint(&mut out, first - previous);
        for &m in orbit.iter().skip(1) {
            push_varint(&mut out, m - first);
        }
        previous = first;
    }
    out
}

impl Tables {
    /// Decodes the file written by `cargo xtask unicode-tables`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if !bytes.starts_with(b"BLUT") {
            return Err("not a burnlab Unicode table file".into());
        }
        let mut r = Reader { bytes, at: 4 };
        let version = r.text()?;
        let mut tables = BTreeMap::new();
        for _ in 0..r.varint()? {
            let name = r.text()?;
            let count = r.varint()?;
            let mut ranges = Vec::with_capacity(count as usize);
            let mut next = 0u32;
            for _ in 0..count {
                let lo = next.checked_add(r.varint()?).ok_or("bad range")?;
                let hi = lo.checked_add(r.varint()?).ok_or("bad range")?;
                ranges.push((lo, hi));
                next = hi.saturating_add(1);
            }
            tables.insert(name, ranges);
        }
        let mut orbits = Vec::new();
        let mut orbit_of = HashMap::new();
        let mut previous = 0u32;
        for _ in 0..r.varint()? {
            let size = r.varint()?;
            let first = previous.checked_add(r.varint()?).ok_or("bad orbit")?;
            let mut orbit = vec![first];
            for _ in 1..size {
                orbit.push(first.checked_add(r.varint()?).ok_or("bad orbit")?);
            }
            for &m in &orbit {
                orbit_of.insert(m, orbits.len());
            }
            orbits.push(orbit);
            previous = first;
        }
        Ok(Self {
            version,
            tables,
            orbits,
            orbit_of,
        })
    }

    /// The table Go's `\p{name}` reads: `Any`, a general category (`L`, `Lu`, …) or a script
    /// (`Greek`, `Han`, …); `None` for an unknown name.
    pub fn table(&self, name: &str) -> Option<Ranges> {
        if name == "Any" {
            return Some(vec![(0, 0x10FFFF)]);
        }
        self.tables.get(name).cloned()
    }

    /// Every character of `c`'s case-folding orbit (`k`, `K`, `K`), `c` included; `[c]` when
    /// it folds to nothing else.
    pub fn orbit(&self, c: u32) -> Vec<u32> {
        self.orbit_of
            .get(&c)
            .and_then(|&i| self.orbits.get(i))
            .cloned()
            .unwrap_or_else(|| vec![c])
    }

    /// `ranges` with every character that case-folds into them added, as Go's `(?i)` reads a
    /// class (`appendFoldedRange`, and the `FoldCategory`/`FoldScript` tables for `\p`).
    pub fn fold_closure(&self, ranges: &[(u32, u32)]) -> Ranges {
        let mut extra = Vec::new();
        for orbit in &self.orbits {
            if orbit.iter().any(|&m| contains(ranges, m)) {
                extra.extend(orbit.iter().map(|&m| (m, m)));
            }
        }
        let mut all = ranges.to_vec();
        all.extend(extra);
        normalize(all)
    }

    /// How many named tables and folding orbits the file holds.
    pub fn counts(&self) -> (usize, usize) {
        (self.tables.len(), self.orbits.len())
    }
}

/// Whether `c` is in the sorted, disjoint `ranges`.
pub fn contains(ranges: &[(u32, u32)], c: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Sorts and merges ranges.
pub fn normalize(mut ranges: Ranges) -> Ranges {
    ranges.sort_unstable();
    let mut out: Ranges = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The complement within 0..=0x10FFFF.
pub fn negate(ranges: &[(u32, u32)]) -> Ranges {
    let mut out = Vec::new();
    let mut next = 0u32;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    if next <= 0x10FFFF {
        out.push((next, 0x10FFFF));
    }
    out
}

static INSTALLED: OnceLock<Tables> = OnceLock::new();

/// Installs the tables from the bytes of [`TABLES_FILE`] for every regex compiled from now on.
/// Installing twice keeps the first.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    let tables = Tables::from_bytes(bytes)?;
    let _ = INSTALLED.set(tables);
    Ok(())
}

/// The tables in use: installed ones, else (with the `unicode-tables` feature) the built-in
/// copy.
pub fn installed() -> Option<&'static Tables> {
    #[cfg(feature = "unicode-tables")]
    {
        if INSTALLED.get().is_none() {
            let _ = install(include_bytes!("../../data/go-unicode-13.bin"));
        }
    }
    INSTALLED.get()
}

/// Whether a config failed only because the tables are not installed yet: a front then
/// installs them ([`install`]) and parses again.
pub fn is_missing(error: &crate::error::Error) -> bool {
    error.message.contains(MISSING)
}

/// Whether regexes in `text` (a whole config, or one regex) may need the tables: a `\p`/`\P`
/// class, or a flag group with `i` in a text that holds anything but ASCII (ASCII case
/// folding needs no tables). A cheap scan that may say yes needlessly, never no wrongly; a
/// front end loads the tables when it says yes.
pub fn needed(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Case folding needs the tables for characters beyond ASCII, written as such or escaped.
    let folds = !text.is_ascii()
        || bytes
            .windows(2)
            .any(|w| matches!(w, [b'\\', b'x' | b'0'..=b'7']));
    bytes.windows(2).enumerate().any(|(i, w)| match w {
        [b'\\', b'p' | b'P'] => true,
        [b'(', b'?'] if folds => bytes
            .get(i + 2..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphabetic() || **b == b'-')
            .any(|b| *b == b'i'),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> Tables {
        let bytes = include_bytes!("../../data/go-unicode-13.bin");
        Tables::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_tables_are_unicode_13_as_in_go_1_19() {
        let t = tables();
        assert_eq!(t.version, "13.0.0");
        // U+08BE (Arabic letter) was assigned in Unicode 13.0; U+08B5 only in 14.0.
        let arabic = t.table("Arabic").unwrap_or_default();
        assert!(contains(&arabic, 0x08BE));
        assert!(!contains(&arabic, 0x08B5));
        let han = t.table("Han").unwrap_or_default();
        assert!(contains(&han, '日' as u32));
        assert!(t.table("Klingon").is_none());
    }

    #[test]
    fn folding_orbits_are_gos() {
        let t = tables();
        assert_eq!(t.orbit('k' as u32), vec!['K' as u32, 'k' as u32, 0x212A]);
        assert_eq!(t.orbit('s' as u32), vec!['S' as u32, 's' as u32, 0x17F]);
        assert_eq!(t.orbit('é' as u32), vec!['É' as u32, 'é' as u32]);
        assert_eq!(t.orbit('1' as u32), vec!['1' as u32]);
    }

    #[test]
    fn encoding_round_trips() {
        let named = vec![("X".to_owned(), vec![(1, 2), (10, 300)])];
        let orbits = vec![vec![65, 97], vec![75, 107, 0x212A]];
        let back = Tables::from_bytes(&encode("1.0", &named, &orbits));
        assert_eq!(
            back.map(|t| (t.table("X"), t.orbit(107))),
            Ok((Some(vec![(1, 2), (10, 300)]), vec![75, 107, 0x212A]))
        );
        assert!(Tables::from_bytes(b"BLUT\x05ab").is_err());
    }

    #[test]
    fn needed_finds_classes_and_case_folding() {
        assert!(needed("a=~\"\\\\p{Greek}\""));
        assert!(needed("match_re: {a: '(?i)é'}"));
        assert!(needed("(?si:x)\nreceiver: café"));
        assert!(!needed("match_re: {a: '(?i)critical'}"));
        assert!(needed("match_re: {a: '(?i)\\x{e9}'}"));
        assert!(!needed("match_re: {a: '(?s)x|\\\\d'}"));
    }
}
