//! What one run can take from the run before it.
//!
//! Moving the objective changes the thresholds and nothing else: the error ratio over each
//! window is the same series as before, and computing it (the range functions over the
//! counters) is most of a run. So every buffer of a [`Plan`] gets a key that says what it holds
//! — its instruction and the keys of what that reads, down to the counters and the constants —
//! and a run keeps, under their keys, the whole-run columns that feed a comparison with a
//! constant (where thresholds enter). The next run of the same counters fills any buffer whose
//! key it finds from those columns and skips every instruction that only led to it; what it
//! still computes is exactly what a fresh run computes, so the answer is the same.
//!
//! Keys are structural, not positional: two plans (the rules and the naive rule, or the rules
//! before and after an edit) that compute the same series from the same counters give it the
//! same key, whatever their buffer numbers. The columns stay valid only while the counters are
//! the same: [`Columns::reset`] drops them when the scenario, the SLI's inputs or the clock
//! change.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::replay::plan::{Col, Instr, Plan, Src};

/// At most this many bytes of columns are kept (a month at 30 s with the Workbook's tiers keeps
/// about 6 MB; a year at 10 s would need hundreds and is computed afresh instead).
const MAX_BYTES: usize = 64 << 20;

/// Whole-run columns of the last run, by key.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    vals: HashMap<u64, Vec<f64>>,
    masks: HashMap<u64, Vec<u8>>,
    /// Keys read or written by the current run: the others are dropped when it ends.
    used: HashSet<u64>,
    /// Dropped columns' memory, for the next ones: a dragged incident makes every run a fresh
    /// one, and fresh memory costs more than the copying.
    spare_vals: Vec<Vec<f64>>,
    spare_masks: Vec<Vec<u8>>,
}

impl Columns {
    /// Drops every column: the counters changed.
    pub fn reset(&mut self) {
        self.spare_vals.extend(self.vals.drain().map(|(_, v)| v));
        self.spare_masks.extend(self.masks.drain().map(|(_, m)| m));
        self.used.clear();
    }

    /// Starts a run: columns not used by it are dropped by [`Columns::finish`].
    pub fn begin(&mut self) {
        self.used.clear();
    }

    /// Ends a run: keeps only what it used.
    pub fn finish(&mut self) {
        let used = &self.used;
        let (gone_v, kept_v): (Vec<_>, Vec<_>) =
            self.vals.drain().partition(|(k, _)| !used.contains(k));
        let (gone_m, kept_m): (Vec<_>, Vec<_>) =
            self.masks.drain().partition(|(k, _)| !used.contains(k));
        self.vals.extend(kept_v);
        self.masks.extend(kept_m);
        self.spare_vals.extend(gone_v.into_iter().map(|(_, v)| v));
        self.spare_masks.extend(gone_m.into_iter().map(|(_, m)| m));
    }

    fn bytes(&self) -> usize {
        self.vals.values().map(|v| v.len() * 8).sum::<usize>()
            + self.masks.values().map(Vec::len).sum::<usize>()
    }
}

/// How one plan runs against [`Columns`]: which instructions run, which buffers are filled from
/// kept columns, and which are kept for the next run.
#[derive(Debug, Clone, Default)]
pub struct Reuse {
    /// Per instruction: whether it runs.
    pub run: Vec<bool>,
    /// Value buffers copied from kept columns, with their keys.
    pub fill_vals: Vec<(u32, u64)>,
    /// Presence buffers copied from kept columns, with their keys.
    pub fill_masks: Vec<(u32, u64)>,
    /// Value buffers read in place from kept columns (only element-wise instructions read
    /// them), with their keys.
    pub read_vals: Vec<(u32, u64)>,
    /// Presence buffers read in place from kept columns, with their keys.
    pub read_masks: Vec<(u32, u64)>,
    /// Value buffers to keep, with their keys.
    pub keep_vals: Vec<(u32, u64)>,
    /// Presence buffers to keep, with their keys.
    pub keep_masks: Vec<(u32, u64)>,
}

fn key(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The buffers one instruction reads and writes.
#[derive(Default)]
struct Io {
    read_vals: Vec<u32>,
    read_masks: Vec<u32>,
    vals: Vec<(u32, u64)>,
    masks: Vec<(u32, u64)>,
}

impl Io {
    /// Records that the instruction reads `cols`, and returns their keys.
    fn read_cols(&mut self, cols: &[Col], k: &Keys) -> Vec<(u64, u64)> {
        self.read_vals = cols.iter().map(|c| c.val).collect();
        self.read_masks = cols.iter().map(|c| c.mask).collect();
        cols.iter()
            .map(|c| (k.val(c.val), k.mask(c.mask)))
            .collect()
    }
}

/// The key of every buffer, computed in instruction order (buffers are written once).
struct Keys {
    vals: Vec<u64>,
    masks: Vec<u64>,
    /// Value buffers holding the same number at every instant (constants and what is computed
    /// from constants only): thresholds.
    constant: Vec<bool>,
}

impl Keys {
    fn val(&self, b: u32) -> u64 {
        self.vals.get(b as usize).copied().unwrap_or(0)
    }
    fn mask(&self, b: u32) -> u64 {
        self.masks.get(b as usize).copied().unwrap_or(0)
    }
    fn src(&self, s: &Src) -> u64 {
        match s {
            Src::Buf(b) => self.val(*b),
            Src::Const(c) => key(("const", c.to_bits())),
        }
    }
    fn is_constant(&self, s: &Src) -> bool {
        match s {
            Src::Buf(b) => self.constant.get(*b as usize).copied().unwrap_or(false),
            Src::Const(_) => true,
        }
    }
}

/// What `instr` reads and writes, and the keys of what it writes.
fn io_of(instr: &Instr, k: &Keys, inputs: &[u64]) -> Io {
    let input = |i: u32| inputs.get(i as usize).copied().unwrap_or(0);
    let srcs = |s: &[&Src]| -> Vec<u32> {
        s.iter()
            .filter_map(|s| match s {
                Src::Buf(b) => Some(*b),
                Src::Const(_) => None,
            })
            .collect()
    };
    let mut io = Io::default();
    match instr {
        Instr::Range {
            range_ms,
            func,
            io: pairs,
        } => {
            let all: Vec<u64> = pairs.iter().map(|(i, _)| input(*i)).collect();
            for (i, col) in pairs {
                io.vals
                    .push((col.val, key(("range", *range_ms, *func, input(*i)))));
            }
            if let Some((_, col)) = pairs.first() {
                io.masks
                    .push((col.mask, key(("range-mask", *range_ms, *func, &all))));
            }
        }
        Instr::Instant { input: i, out } => {
            io.vals.push((out.val, key(("instant", input(*i)))));
            io.masks.push((out.mask, key(("instant-mask", input(*i)))));
        }
        Instr::Shift { src, out, .. } => {
            io.read_vals.push(src.val);
            io.read_masks.push(src.mask);
            io.vals.push((out.val, key(("shift", k.val(src.val)))));
            io.masks
                .push((out.mask, key(("shift-mask", k.mask(src.mask)))));
        }
        Instr::Val { op, l, r, out } => {
            io.read_vals = srcs(&[l, r]);
            io.vals
                .push((*out, key(("val", format!("{op:?}"), k.src(l), k.src(r)))));
        }
        Instr::Cmp {
            op,
            l,
            r,
            base,
            out,
        } => {
            io.read_vals = srcs(&[l, r]);
            io.read_masks = base.to_vec();
            io.masks.push((
                *out,
                key((
                    "cmp",
                    format!("{op:?}"),
                    k.src(l),
                    k.src(r),
                    k.mask(base[0]),
                    k.mask(base[1]),
                )),
            ));
        }
        Instr::MaskAny {
            base,
            others,
            negate,
            out,
        } => {
            io.read_masks.push(*base);
            io.read_masks.extend(others);
            let others: Vec<u64> = others.iter().map(|o| k.mask(*o)).collect();
            io.masks
                .push((*out, key(("any", k.mask(*base), others, *negate))));
        }
        Instr::Agg { op, inputs, out } => {
            let ins = io.read_cols(inputs, k);
            io.vals
                .push((out.val, key(("agg", format!("{op:?}"), &ins))));
            io.masks
                .push((out.mask, key(("agg-mask", format!("{op:?}"), &ins))));
        }
        Instr::Scalar { inputs, out } => {
            let ins = io.read_cols(inputs, k);
            io.vals.push((*out, key(("scalar", &ins))));
        }
        Instr::Time { out } => io.vals.push((*out, key("time"))),
        Instr::Coalesce { inputs, out } => {
            let ins = io.read_cols(inputs, k);
            io.vals.push((out.val, key(("coalesce", &ins))));
            io.masks.push((out.mask, key(("coalesce-mask", &ins))));
        }
    }
    io
}

/// Decides how `plan` runs over `ticks` instants against `columns`: `inputs` are the keys of
/// the plan's input counters (what identifies their samples while `columns` are valid).
pub fn plan(plan: &Plan, inputs: &[u64], columns: &Columns, ticks: usize) -> Reuse {
    let mut k = Keys {
        vals: vec![key("zero"); plan.n_vals as usize],
        masks: vec![key("none"); plan.n_masks as usize],
        constant: vec![true; plan.n_vals as usize],
    };
    if let Some(all) = k.masks.first_mut() {
        *all = key("all");
    }
    for &(b, v) in &plan.consts {
        if let Some(slot) = k.vals.get_mut(b as usize) {
            *slot = key(("const", v.to_bits()));
        }
    }
    // Forward: every buffer's key, and which buffers meet a threshold.
    let mut ios = Vec::with_capacity(plan.instrs.len());
    let mut keep_v: Vec<u32> = Vec::new();
    let mut keep_m: Vec<u32> = Vec::new();
    for instr in &plan.instrs {
        let io = io_of(instr, &k, inputs);
        let constant = match instr {
            Instr::Val { l, r, .. } => k.is_constant(l) && k.is_constant(r),
            _ => false,
        };
        // Where a varying series meets a constant, that series is what the next run (with
        // other constants) will want.
        match instr {
            Instr::Val { l, r, .. } | Instr::Cmp { l, r, .. }
                if k.is_constant(l) != k.is_constant(r) =>
            {
                for s in [l, r] {
                    if let Src::Buf(b) = s
                        && !k.is_constant(s)
                    {
                        keep_v.push(*b);
                    }
                }
                if let Instr::Cmp { base, .. } = instr {
                    keep_m.extend(base.iter().filter(|m| **m != 0));
                }
            }
            _ => {}
        }
        for &(b, kk) in &io.vals {
            if let Some(slot) = k.vals.get_mut(b as usize) {
                *slot = kk;
            }
            if let Some(c) = k.constant.get_mut(b as usize) {
                *c = constant;
            }
        }
        for &(b, kk) in &io.masks {
            if let Some(slot) = k.masks.get_mut(b as usize) {
                *slot = kk;
            }
        }
        ios.push(io);
    }
    // Backward: what the alerts need, filled from kept columns where they have it.
    let mut need_v = vec![false; plan.n_vals as usize];
    let mut need_m = vec![false; plan.n_masks as usize];
    for alert in &plan.alerts {
        for inst in &alert.instances {
            for c in &inst.cols {
                if let Some(n) = need_m.get_mut(c.mask as usize) {
                    *n = true;
                }
            }
        }
    }
    let mut reuse = Reuse {
        run: vec![false; plan.instrs.len()],
        ..Reuse::default()
    };
    let have_v = |b: u32| columns.vals.contains_key(&k.val(b));
    let have_m = |b: u32| columns.masks.contains_key(&k.mask(b));
    for (n, io) in ios.iter().enumerate().rev() {
        let wanted_v = io
            .vals
            .iter()
            .any(|(b, _)| need_v.get(*b as usize).copied().unwrap_or(false) && !have_v(*b));
        let wanted_m = io
            .masks
            .iter()
            .any(|(b, _)| need_m.get(*b as usize).copied().unwrap_or(false) && !have_m(*b));
        if wanted_v || wanted_m {
            if let Some(r) = reuse.run.get_mut(n) {
                *r = true;
            }
            for b in &io.read_vals {
                if let Some(x) = need_v.get_mut(*b as usize) {
                    *x = true;
                }
            }
            for b in &io.read_masks {
                if let Some(x) = need_m.get_mut(*b as usize) {
                    *x = true;
                }
            }
        }
    }
    // Buffers that are needed but not computed come from the kept columns. The constants and
    // the always-present mask are filled by `Buffers::prepare`.
    let computed_v: HashSet<u32> = ios
        .iter()
        .zip(&reuse.run)
        .filter(|(_, r)| **r)
        .flat_map(|(io, _)| io.vals.iter().map(|(b, _)| *b))
        .collect();
    let computed_m: HashSet<u32> = ios
        .iter()
        .zip(&reuse.run)
        .filter(|(_, r)| **r)
        .flat_map(|(io, _)| io.masks.iter().map(|(b, _)| *b))
        .collect();
    // A kept column is read in place when only element-wise instructions read it (and no
    // alert reads its presence from the buffers); otherwise it is copied in.
    let mut copy_v: HashSet<u32> = HashSet::new();
    let mut copy_m: HashSet<u32> = HashSet::new();
    for (instr, io) in plan
        .instrs
        .iter()
        .zip(&ios)
        .zip(&reuse.run)
        .filter(|(_, r)| **r)
        .map(|(x, _)| x)
    {
        if !matches!(
            instr,
            Instr::Val { .. } | Instr::Cmp { .. } | Instr::MaskAny { .. }
        ) {
            copy_v.extend(&io.read_vals);
            copy_m.extend(&io.read_masks);
        }
    }
    for alert in &plan.alerts {
        for inst in &alert.instances {
            copy_m.extend(inst.cols.iter().map(|c| c.mask));
        }
    }
    for (b, needed) in need_v.iter().enumerate() {
        let b = b as u32;
        if *needed && !computed_v.contains(&b) && have_v(b) {
            if copy_v.contains(&b) {
                reuse.fill_vals.push((b, k.val(b)));
            } else {
                reuse.read_vals.push((b, k.val(b)));
            }
        }
    }
    for (b, needed) in need_m.iter().enumerate() {
        let b = b as u32;
        if *needed && b != 0 && !computed_m.contains(&b) && have_m(b) {
            if copy_m.contains(&b) {
                reuse.fill_masks.push((b, k.mask(b)));
            } else {
                reuse.read_masks.push((b, k.mask(b)));
            }
        }
    }
    // What to keep: the series that meet thresholds, once each, if they fit.
    keep_v.sort_unstable();
    keep_v.dedup();
    keep_m.sort_unstable();
    keep_m.dedup();
    let size = keep_v.len() * ticks * 8 + keep_m.len() * ticks;
    if size + columns.bytes() <= MAX_BYTES {
        // Two buffers computed alike have one key: one of them is kept (a column is appended
        // chunk by chunk, so it must be written once).
        let mut seen = HashSet::new();
        reuse.keep_vals = keep_v
            .into_iter()
            .filter(|b| computed_v.contains(b) && !have_v(*b))
            .map(|b| (b, k.val(b)))
            .filter(|(_, key)| seen.insert(*key))
            .collect();
        let mut seen = HashSet::new();
        reuse.keep_masks = keep_m
            .into_iter()
            .filter(|b| computed_m.contains(b) && !have_m(*b))
            .map(|b| (b, k.mask(b)))
            .filter(|(_, key)| seen.insert(*key))
            .collect();
    }
    reuse
}

impl Columns {
    /// Marks the columns `reuse` fills as used and opens the ones it keeps.
    pub fn start(&mut self, reuse: &Reuse, ticks: usize) {
        for (_, k) in (reuse.fill_vals.iter().chain(&reuse.fill_masks))
            .chain(reuse.read_vals.iter().chain(&reuse.read_masks))
        {
            self.used.insert(*k);
        }
        for (_, k) in &reuse.keep_vals {
            self.used.insert(*k);
            let mut v = self.spare_vals.pop().unwrap_or_default();
            v.clear();
            v.reserve(ticks);
            self.vals.insert(*k, v);
        }
        for (_, k) in &reuse.keep_masks {
            self.used.insert(*k);
            let mut m = self.spare_masks.pop().unwrap_or_default();
            m.clear();
            m.reserve(ticks);
            self.masks.insert(*k, m);
        }
    }

    /// The kept values of `key` from instant `j0`, `len` of them.
    pub fn vals(&self, key: u64, j0: usize, len: usize) -> &[f64] {
        self.vals
            .get(&key)
            .and_then(|c| c.get(j0..j0 + len))
            .unwrap_or(&[])
    }

    /// The kept presence of `key` from instant `j0`, `len` of them.
    pub fn masks(&self, key: u64, j0: usize, len: usize) -> &[u8] {
        self.masks
            .get(&key)
            .and_then(|c| c.get(j0..j0 + len))
            .unwrap_or(&[])
    }

    /// Appends a chunk to the kept values of `key`.
    pub fn push_vals(&mut self, key: u64, chunk: &[f64]) {
        if let Some(c) = self.vals.get_mut(&key) {
            c.extend_from_slice(chunk);
        }
    }

    /// Appends a chunk to the kept presence of `key`.
    pub fn push_masks(&mut self, key: u64, chunk: &[u8]) {
        if let Some(c) = self.masks.get_mut(&key) {
            c.extend_from_slice(chunk);
        }
    }
}

/// The keys of `plan`'s input counters: their labels (the columns are reset whenever what the
/// labels map to changes).
pub fn input_keys(plan: &Plan) -> Vec<u64> {
    plan.inputs
        .iter()
        .map(|labels| key(("input", labels)))
        .collect()
}
