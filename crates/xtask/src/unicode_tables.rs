//! `cargo xtask unicode-tables`: writes the Unicode data Go's RE2 uses into
//! `crates/burnlab/data/go-unicode-13.bin`, from the Go 1.19 standard library that built
//! Debian's amtool 0.25 (Unicode 13.0.0), as installed by Debian's `golang-1.19-src`.
//!
//! The file holds every category and script table Go's regexp/syntax knows for `\p{..}`, and
//! the case-folding orbits of `unicode.SimpleFold` for `(?i)`. The format is read by
//! `burnlab::alertmanager::unicode::Tables::from_bytes`, which documents it.

use std::collections::BTreeMap;
use std::path::Path;

use burnlab::alertmanager::unicode::{self, Tables};

/// Where Debian's golang-1.19-src puts Go's Unicode tables.
pub const GO_TABLES: &str = "/usr/share/go-1.19/src/unicode/tables.go";

type Ranges = Vec<(u32, u32)>;

/// Reads `var _Name = &RangeTable{...}` blocks: name → ranges (strides expanded).
fn range_tables(src: &str) -> BTreeMap<String, Ranges> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Ranges)> = None;
    for line in src.lines() {
        if let Some(rest) = line.strip_prefix("var ")
            && let Some((name, tail)) = rest.split_once(" = ")
            && tail.starts_with("&RangeTable{")
        {
            current = Some((name.to_owned(), Vec::new()));
            continue;
        }
        if let Some((_, ranges)) = current.as_mut() {
            let t = line.trim();
            if t == "}" && !line.starts_with('\t') {
                if let Some((name, ranges)) = current.take() {
                    out.insert(name, ranges);
                }
                continue;
            }
            if let Some(inner) = t.strip_prefix('{').and_then(|s| s.strip_suffix("},")) {
                // Bounds are hexadecimal, strides decimal.
                let nums: Vec<u32> = inner
                    .split(',')
                    .filter_map(|n| match n.trim().strip_prefix("0x") {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.trim().parse().ok(),
                    })
                    .collect();
                if let [lo, hi, stride] = nums[..] {
                    if stride == 1 {
                        ranges.push((lo, hi));
                    } else {
                        let mut c = lo;
                        while c <= hi {
                            ranges.push((c, c));
                            c += stride;
                        }
                    }
                }
            }
        }
    }
    out
}

/// Reads `var Map = map[string]*RangeTable{ "Name": Ident, ... }`: name → table variable.
fn name_map(src: &str, var: &str, aliases: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in src.lines() {
        if line.starts_with(&format!("var {var} = map[string]*RangeTable{{")) {
            inside = true;
            continue;
        }
        if inside {
            if line == "}" {
                break;
            }
            if let Some((name, ident)) = line.trim().trim_end_matches(',').split_once(':') {
                let name = name.trim().trim_matches('"').to_owned();
                let ident = ident.trim().to_owned();
                // `"L": L` names a variable aliased to `_L`; `"L": foldL` names a table.
                let table = aliases.get(&ident).cloned().unwrap_or(ident);
                out.push((name, table));
            }
        }
    }
    out
}

/// `Ident = _table` lines of the var blocks.
fn aliases(src: &str) -> BTreeMap<String, String> {
    src.lines()
        .filter_map(|l| {
            let (ident, rest) = l.trim().split_once('=')?;
            let table = rest.split_whitespace().next()?;
            (table.starts_with('_') && !ident.trim().contains(' '))
                .then(|| (ident.trim().to_owned(), table.to_owned()))
        })
        .collect()
}

/// `{lo, hi, d{upper, lower, title}}` entries of `_CaseRanges`.
fn case_ranges(src: &str) -> Vec<(u32, u32, [i64; 3])> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in src.lines() {
        if line.starts_with("var _CaseRanges = []CaseRange{") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line == "}" {
            break;
        }
        let t = line.trim().replace(['{', '}'], " ").replace("d", " ");
        let parts: Vec<&str> = t
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let num = |s: &str| -> Option<i64> {
            if s == "UpperLower" {
                return Some(0x110000);
            }
            match s.strip_prefix("0x") {
                Some(h) => i64::from_str_radix(h, 16).ok(),
                None => s.parse().ok(),
            }
        };
        if let [lo, hi, u, l, ti] = parts[..]
            && let (Some(lo), Some(hi), Some(u), Some(l), Some(ti)) =
                (num(lo), num(hi), num(u), num(l), num(ti))
        {
            out.push((lo as u32, hi as u32, [u, l, ti]));
        }
    }
    out
}

fn fold_pairs(src: &str) -> BTreeMap<u32, u32> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in src.lines() {
        if line.starts_with("var caseOrbit = []foldPair{") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line == "}" {
            break;
        }
        let t = line.trim().trim_start_matches('{').trim_end_matches("},");
        if let Some((a, b)) = t.split_once(',')
            && let (Ok(a), Ok(b)) = (
                u32::from_str_radix(a.trim().trim_start_matches("0x"), 16),
                u32::from_str_radix(b.trim().trim_start_matches("0x"), 16),
            )
        {
            out.insert(a, b);
        }
    }
    out
}

/// Go's `unicode.to`: the case mapping of `r` (0 upper, 1 lower) from the case ranges.
fn to_case(case: usize, r: u32, ranges: &[(u32, u32, [i64; 3])]) -> u32 {
    for &(lo, hi, d) in ranges {
        if lo <= r && r <= hi {
            let delta = d.get(case).copied().unwrap_or(0);
            if delta > 0x10FFFF {
                return lo + (((r - lo) & !1) | (case as u32 & 1));
            }
            return (i64::from(r) + delta) as u32;
        }
    }
    r
}

/// Go's `unicode.SimpleFold`.
fn simple_fold(r: u32, orbit: &BTreeMap<u32, u32>, ranges: &[(u32, u32, [i64; 3])]) -> u32 {
    if let Some(&to) = orbit.get(&r) {
        return to;
    }
    let lower = to_case(1, r, ranges);
    if lower != r {
        return lower;
    }
    to_case(0, r, ranges)
}

/// Reads Go's tables and writes the data file under `root` (the workspace root).
pub fn regenerate(root: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(GO_TABLES).map_err(|e| {
        format!(
            "{GO_TABLES}: {e} (install Debian's golang-1.19-src: apt-get install golang-1.19-src)"
        )
    })?;
    let version = src
        .lines()
        .find_map(|l| l.strip_prefix("const Version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .ok_or("no Version in tables.go")?;
    let tables = range_tables(&src);
    let aliases = aliases(&src);
    let mut named: Vec<(String, Ranges)> = Vec::new();
    for map in ["Categories", "Scripts"] {
        for (name, var) in name_map(&src, map, &aliases) {
            let ranges = tables
                .get(&var)
                .ok_or_else(|| format!("{map}[{name}]: no table {var}"))?;
            named.push((name, merge(ranges.clone())));
        }
    }
    let cases = case_ranges(&src);
    let orbit_pairs = fold_pairs(&src);
    // Orbits: cycles of SimpleFold, each listed once from its smallest member.
    let mut orbits: Vec<Vec<u32>> = Vec::new();
    for r in 0..=0x10FFFFu32 {
        let mut members = vec![r];
        let mut next = simple_fold(r, &orbit_pairs, &cases);
        while next != r && members.len() < 8 {
            members.push(next);
            next = simple_fold(next, &orbit_pairs, &cases);
        }
        if members.len() > 1 && members.iter().all(|&m| m >= r) {
            members.sort_unstable();
            orbits.push(members);
        }
    }
    let bytes = unicode::encode(&version, &named, &orbits);
    // The data must read back, and Go's own fold tables must be what the orbits give.
    let back =
        Tables::from_bytes(&bytes).map_err(|e| format!("written tables do not read back: {e}"))?;
    for map in ["FoldCategory", "FoldScript"] {
        for (name, var) in name_map(&src, map, &aliases) {
            let want = merge(tables.get(&var).cloned().unwrap_or_default());
            let base = back
                .table(&name)
                .ok_or_else(|| format!("{map}: no table {name}"))?;
            let closure = back.fold_closure(&base);
            let extra = subtract(&closure, &base);
            if extra != want {
                return Err(format!(
                    "{map}[{name}] differs from the orbit closure: Go {:x?}, closure {:x?}",
                    want.iter().take(8).collect::<Vec<_>>(),
                    extra.iter().take(8).collect::<Vec<_>>()
                ));
            }
        }
    }
    let out = root.join("crates/burnlab/data/go-unicode-13.bin");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}: Unicode {version}, {} tables, {} orbits, {} bytes",
        out.display(),
        named.len(),
        orbits.len(),
        bytes.len()
    );
    Ok(())
}

fn merge(mut ranges: Ranges) -> Ranges {
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

fn subtract(a: &[(u32, u32)], b: &[(u32, u32)]) -> Ranges {
    let mut out = Vec::new();
    for &(lo, hi) in a {
        let mut c = lo;
        while c <= hi {
            if !b.iter().any(|&(l, h)| l <= c && c <= h) {
                out.push((c, c));
            }
            c += 1;
        }
    }
    merge(out)
}
