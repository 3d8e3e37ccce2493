//! Running a [`Plan`] over chunks of evaluation instants.
//!
//! Every instruction processes a whole chunk (up to [`CHUNK`] instants) before the next one
//! starts, in tight loops over value and presence buffers that the compiler can vectorize. The
//! buffers are allocated once per [`Buffers`] and reused for every chunk and every run: nothing is
//! allocated while instants are evaluated.
//!
//! The arithmetic follows Prometheus's operation for operation (`extrapolatedRate` in
//! promql/functions.go, the aggregations in promql/engine.go), so that a threshold comparison
//! decides as Prometheus decides even when a value lands on the threshold.

use crate::replay::plan::{AggOp, Col, Func, Instr, Plan, RangeFn, Src, ValOp};
use crate::replay::promql::BinOp;

/// Instants per chunk: large enough that instruction dispatch costs nothing, small enough that
/// every buffer of a plan stays in cache.
pub const CHUNK: usize = 512;

/// Which Prometheus the replay behaves like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Version {
    /// Prometheus 2.x: range windows and the lookback are closed at the start, `[t − r, t]`;
    /// `rate` clamps the extrapolation to the counter's zero point before the 1.1× check (as
    /// 2.42 does). What most installations run today, and what Debian's promtool (the oracle)
    /// is.
    #[default]
    V2,
    /// Prometheus 3.x: windows are left-open, `(t − r, t]`, and the zero-point clamp comes after
    /// the 1.1× check.
    V3,
}

/// The timing of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// Which Prometheus.
    pub version: Version,
    /// The counters' sampling step.
    pub scrape_ms: i64,
    /// The evaluation step.
    pub eval_ms: i64,
    /// The lookback of instant selectors (5m).
    pub lookback_ms: i64,
}

/// The reusable buffers of a run.
#[derive(Debug, Clone, Default)]
pub struct Buffers {
    vals: Vec<f64>,
    masks: Vec<u8>,
    carries: Vec<(f64, u8)>,
    scratch: Vec<u8>,
    geo: Geometry,
}

/// Where each instant's window falls on the samples, shared by every counter read over the
/// same range: first and last sample index, the extrapolation factor when the counter's zero
/// point does not matter, and what decides whether it does.
#[derive(Debug, Clone, Default)]
struct Geometry {
    k0: Vec<i64>,
    k1: Vec<i64>,
    factor: Vec<f64>,
    /// The factor when the counter's zero point is the first sample (a counter that was 0).
    factor_zero: Vec<f64>,
    /// The gap before the first sample that the zero point must be nearer than to count.
    clamp_gap: Vec<f64>,
    sampled: Vec<f64>,
    ok: Vec<u8>,
}

fn part<T>(buf: &[T], i: u32, len: usize) -> &[T] {
    let start = i as usize * CHUNK;
    buf.get(start..start + len).unwrap_or(&[])
}

/// Splits `buf` into everything before buffer `out`, buffer `out` itself and everything after,
/// so an instruction can read its inputs while it writes its output.
fn split<T>(buf: &mut [T], out: u32) -> (&[T], &mut [T], &[T]) {
    let start = (out as usize * CHUNK).min(buf.len());
    let (lo, rest) = buf.split_at_mut(start);
    let (o, hi) = rest.split_at_mut(CHUNK.min(rest.len()));
    (lo, o, hi)
}

/// Buffer `i` (not `out`) from the two sides [`split`] returned.
fn side<'a, T>(lo: &'a [T], hi: &'a [T], out: u32, i: u32, len: usize) -> &'a [T] {
    if i < out {
        part(lo, i, len)
    } else {
        part(hi, i - out - 1, len)
    }
}

impl Buffers {
    /// Sizes the buffers for `plan` and fills its constants; call once before a run.
    pub fn prepare(&mut self, plan: &Plan) {
        self.vals.clear();
        self.vals.resize(plan.n_vals as usize * CHUNK, 0.0);
        self.masks.clear();
        self.masks.resize(plan.n_masks as usize * CHUNK, 0);
        if let Some(all) = self.masks.get_mut(..CHUNK) {
            all.fill(1);
        }
        for &(b, v) in &plan.consts {
            let start = b as usize * CHUNK;
            if let Some(buf) = self.vals.get_mut(start..start + CHUNK) {
                buf.fill(v);
            }
        }
        self.carries.clear();
        self.carries.resize(plan.n_carries as usize, (0.0, 0));
        self.scratch.clear();
        self.scratch.resize(CHUNK, 0);
        let g = &mut self.geo;
        g.k0.resize(CHUNK, 0);
        g.k1.resize(CHUNK, 0);
        g.factor.resize(CHUNK, 0.0);
        g.factor_zero.resize(CHUNK, 0.0);
        g.clamp_gap.resize(CHUNK, 0.0);
        g.sampled.resize(CHUNK, 0.0);
        g.ok.resize(CHUNK, 0);
    }

    /// Copies `chunk` into value buffer `buf` (a column kept from an earlier run).
    pub fn fill_vals(&mut self, buf: u32, chunk: &[f64]) {
        let start = buf as usize * CHUNK;
        if let Some(o) = self.vals.get_mut(start..start + chunk.len()) {
            o.copy_from_slice(chunk);
        }
    }

    /// Copies `chunk` into presence buffer `buf`.
    pub fn fill_masks(&mut self, buf: u32, chunk: &[u8]) {
        let start = buf as usize * CHUNK;
        if let Some(o) = self.masks.get_mut(start..start + chunk.len()) {
            o.copy_from_slice(chunk);
        }
    }

    /// Value buffer `buf` over the last chunk run.
    pub fn val_buf(&self, buf: u32, len: usize) -> &[f64] {
        part(&self.vals, buf, len)
    }

    /// Presence buffer `buf` over the last chunk run.
    pub fn mask_buf(&self, buf: u32, len: usize) -> &[u8] {
        part(&self.masks, buf, len)
    }

    /// The presence of `col` over the last chunk run.
    pub fn mask(&self, col: Col, len: usize) -> &[u8] {
        part(&self.masks, col.mask, len)
    }

    /// The values of `col` over the last chunk run.
    pub fn values(&self, col: Col, len: usize) -> &[f64] {
        part(&self.vals, col.val, len)
    }

    /// The presence of any of `cols` over the last chunk run (a scratch buffer when several).
    pub fn any_mask(&mut self, cols: &[Col], len: usize) -> &[u8] {
        if let [one] = cols {
            return part(&self.masks, one.mask, len);
        }
        let scratch = self.scratch.get_mut(..len).unwrap_or(&mut []);
        scratch.fill(0);
        for c in cols {
            let m = part(&self.masks, c.mask, len);
            for (s, x) in scratch.iter_mut().zip(m) {
                *s |= *x;
            }
        }
        self.scratch.get(..len).unwrap_or(&[])
    }
}

/// Steps `floor(x / s)` as `x` grows by a fixed step, without dividing.
#[derive(Debug, Clone, Copy)]
struct Stepper {
    q: i64,
    r: i64,
    dq: i64,
    dr: i64,
    s: i64,
}

impl Stepper {
    fn new(x: i64, s: i64, step: i64) -> Self {
        Self {
            q: x.div_euclid(s),
            r: x.rem_euclid(s),
            dq: step.div_euclid(s),
            dr: step.rem_euclid(s),
            s,
        }
    }

    #[inline]
    fn step(&mut self) {
        self.q += self.dq;
        self.r += self.dr;
        if self.r >= self.s {
            self.r -= self.s;
            self.q += 1;
        }
    }
}

/// Go's `time.Duration.Seconds()` of whole milliseconds.
fn seconds(ms: i64) -> f64 {
    (ms / 1000) as f64 + (ms % 1000) as f64 / 1000.0
}

/// Buffers whose chunk is read in place from a column kept by an earlier run
/// ([`super::reuse`]) instead of being copied in: only the element-wise instructions (`Val`,
/// `Cmp`, `MaskAny`) read through it.
#[derive(Debug, Default)]
pub struct InPlace<'a> {
    /// Value buffers and their chunk.
    pub vals: Vec<(u32, &'a [f64])>,
    /// Presence buffers and their chunk.
    pub masks: Vec<(u32, &'a [u8])>,
}

impl<'a> InPlace<'a> {
    fn val(&self, b: u32) -> Option<&'a [f64]> {
        self.vals.iter().find(|(x, _)| *x == b).map(|(_, s)| *s)
    }
    fn mask(&self, b: u32) -> Option<&'a [u8]> {
        self.masks.iter().find(|(x, _)| *x == b).map(|(_, s)| *s)
    }
}

/// Runs the instructions of `plan` for instants `j0 .. j0 + len` (instant j is at `j·eval_ms`):
/// those whose entry in `run` is true, or all when `run` is empty.
#[allow(clippy::too_many_arguments)]
pub fn run_chunk(
    plan: &Plan,
    run: &[bool],
    in_place: &InPlace<'_>,
    inputs: &[&[f64]],
    clock: &Clock,
    j0: i64,
    len: usize,
    b: &mut Buffers,
) {
    let t0 = j0 * clock.eval_ms;
    for (n, instr) in plan.instrs.iter().enumerate() {
        if run.get(n) == Some(&false) {
            continue;
        }
        match instr {
            Instr::Range { range_ms, func, io } => {
                // From the first instant whose window lies wholly after the first sample, the
                // windows repeat every `period` instants, `shift` samples further on: only the
                // instants before that and one period are worked out one by one.
                let (s, e) = (clock.scrape_ms, clock.eval_ms);
                let lcm = s / gcd(s, e) * e;
                let period = (lcm / e) as usize;
                let shift = (lcm / s) as usize;
                let steady = if t0 >= *range_ms {
                    0
                } else {
                    ((*range_ms - t0 + e - 1) / e) as usize
                };
                let exact = if *func == RangeFn::Irate {
                    len
                } else {
                    len.min(steady.saturating_add(period))
                };
                geometry(
                    &mut b.geo,
                    clock,
                    t0,
                    *range_ms,
                    *func,
                    exact,
                    inputs.first().map_or(0, |c| c.len()),
                );
                for (n, (input, out)) in io.iter().enumerate() {
                    let c = inputs.get(*input as usize).copied().unwrap_or(&[]);
                    let (_, o_v, _) = split(&mut b.vals, out.val);
                    let (_, o_m, _) = split(&mut b.masks, out.mask);
                    let o_v = o_v.get_mut(..len).unwrap_or(&mut []);
                    let o_m = o_m.get_mut(..len).unwrap_or(&mut []);
                    let run = Run {
                        c,
                        clock,
                        t0,
                        range_ms: *range_ms,
                        func: *func,
                    };
                    range_values(
                        &b.geo,
                        &run,
                        o_v.get_mut(..exact).unwrap_or(&mut []),
                        o_m.get_mut(..exact).unwrap_or(&mut []),
                    );
                    if exact < len && *func != RangeFn::Irate {
                        // The results share one presence buffer: the first writes it.
                        let o_m = if n == 0 { Some(o_m) } else { None };
                        periodic(&b.geo, &run, steady, period, shift, exact, o_v, o_m);
                    }
                }
            }
            Instr::Instant { input, out } => {
                let c = inputs.get(*input as usize).copied().unwrap_or(&[]);
                let (_, o_v, _) = split(&mut b.vals, out.val);
                let (_, o_m, _) = split(&mut b.masks, out.mask);
                let s = clock.scrape_ms;
                let last = c.len() as i64 - 1;
                let mut k = Stepper::new(t0, s, clock.eval_ms);
                let mut t = t0;
                for (v, m) in o_v.iter_mut().zip(o_m.iter_mut()).take(len) {
                    let idx = k.q.min(last);
                    let age = t - idx * s;
                    let visible = match clock.version {
                        Version::V2 => age <= clock.lookback_ms,
                        Version::V3 => age < clock.lookback_ms,
                    };
                    match c.get(idx.max(0) as usize) {
                        Some(x) if visible && idx >= 0 => {
                            *v = *x;
                            *m = 1;
                        }
                        _ => *m = 0,
                    }
                    k.step();
                    t += clock.eval_ms;
                }
            }
            Instr::Shift { src, out, carry } => {
                let visible = match clock.version {
                    Version::V2 => clock.eval_ms <= clock.lookback_ms,
                    Version::V3 => clock.eval_ms < clock.lookback_ms,
                };
                let slot = b.carries.get(*carry as usize).copied().unwrap_or((0.0, 0));
                let (lo, o, hi) = split(&mut b.vals, out.val);
                let s = side(lo, hi, out.val, src.val, len);
                let o = o.get_mut(..len).unwrap_or(&mut []);
                let last_v = s.last().copied().unwrap_or(0.0);
                if let Some((first, rest)) = o.split_first_mut() {
                    *first = slot.0;
                    rest.copy_from_slice(s.get(..rest.len()).unwrap_or(&[]));
                }
                let (lo, o, hi) = split(&mut b.masks, out.mask);
                let s = side(lo, hi, out.mask, src.mask, len);
                let o = o.get_mut(..len).unwrap_or(&mut []);
                let last_m = s.last().copied().unwrap_or(0);
                if visible {
                    if let Some((first, rest)) = o.split_first_mut() {
                        *first = slot.1;
                        rest.copy_from_slice(s.get(..rest.len()).unwrap_or(&[]));
                    }
                } else {
                    o.fill(0);
                }
                if let Some(c) = b.carries.get_mut(*carry as usize) {
                    *c = (last_v, last_m);
                }
            }
            Instr::Val { op, l, r, out } => {
                let (lo, o, hi) = split(&mut b.vals, *out);
                let o = o.get_mut(..len).unwrap_or(&mut []);
                let get = |s: &Src| match s {
                    Src::Buf(i) => Operand::Buf(
                        in_place
                            .val(*i)
                            .unwrap_or_else(|| side(lo, hi, *out, *i, len)),
                    ),
                    Src::Const(c) => Operand::Const(*c),
                };
                val_kernel(*op, get(l), get(r), o);
            }
            Instr::Cmp {
                op,
                l,
                r,
                base,
                out,
            } => {
                let vals = &b.vals;
                let get = |s: &Src| match s {
                    Src::Buf(i) => {
                        Operand::Buf(in_place.val(*i).unwrap_or_else(|| part(vals, *i, len)))
                    }
                    Src::Const(c) => Operand::Const(*c),
                };
                let (lo, o, hi) = split(&mut b.masks, *out);
                let o = o.get_mut(..len).unwrap_or(&mut []);
                let mask = |m: u32| {
                    in_place
                        .mask(m)
                        .unwrap_or_else(|| side(lo, hi, *out, m, len))
                };
                let (ma, mb) = (mask(base[0]), mask(base[1]));
                cmp_kernel(*op, get(l), get(r), ma, mb, o);
            }
            Instr::MaskAny {
                base,
                others,
                negate,
                out,
            } => {
                let (lo, o, hi) = split(&mut b.masks, *out);
                let o = o.get_mut(..len).unwrap_or(&mut []);
                let mask = |m: u32| {
                    in_place
                        .mask(m)
                        .unwrap_or_else(|| side(lo, hi, *out, m, len))
                };
                o.fill(0);
                for x in others {
                    for (a, m) in o.iter_mut().zip(mask(*x)) {
                        *a |= *m;
                    }
                }
                let base = mask(*base);
                if *negate {
                    for (a, m) in o.iter_mut().zip(base) {
                        *a = *m & (*a ^ 1);
                    }
                } else {
                    for (a, m) in o.iter_mut().zip(base) {
                        *a &= *m;
                    }
                }
            }
            Instr::Agg { op, inputs, out } => agg_kernel(*op, inputs, *out, len, b),
            Instr::Coalesce { inputs, out } => {
                for i in 0..len {
                    let hit = inputs
                        .iter()
                        .find(|c| part(&b.masks, c.mask, len).get(i).copied() == Some(1));
                    let (v, m) = match hit {
                        Some(c) => (part(&b.vals, c.val, len).get(i).copied().unwrap_or(0.0), 1),
                        None => (0.0, 0),
                    };
                    if let Some(x) = b.vals.get_mut(out.val as usize * CHUNK + i) {
                        *x = v;
                    }
                    if let Some(x) = b.masks.get_mut(out.mask as usize * CHUNK + i) {
                        *x = m;
                    }
                }
            }
            Instr::Scalar { inputs, out } => {
                for i in 0..len {
                    let mut present = inputs
                        .iter()
                        .filter(|c| part(&b.masks, c.mask, len).get(i).copied() == Some(1));
                    let v = match (present.next(), present.next()) {
                        (Some(c), None) => part(&b.vals, c.val, len)
                            .get(i)
                            .copied()
                            .unwrap_or(f64::NAN),
                        _ => f64::NAN,
                    };
                    if let Some(x) = b.vals.get_mut(*out as usize * CHUNK + i) {
                        *x = v;
                    }
                }
            }
            Instr::Time { out } => {
                let (_, o, _) = split(&mut b.vals, *out);
                let mut t = t0;
                for v in o.iter_mut().take(len) {
                    *v = t as f64 / 1000.0;
                    t += clock.eval_ms;
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Operand<'a> {
    Buf(&'a [f64]),
    Const(f64),
}

/// Applies `f` element-wise; the dispatch on the operand kinds sits outside the loops.
#[inline(always)]
fn zip_with(l: Operand<'_>, r: Operand<'_>, out: &mut [f64], f: impl Fn(f64, f64) -> f64) {
    match (l, r) {
        (Operand::Buf(a), Operand::Buf(b)) => {
            for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
                *o = f(*x, *y);
            }
        }
        (Operand::Buf(a), Operand::Const(y)) => {
            for (o, x) in out.iter_mut().zip(a) {
                *o = f(*x, y);
            }
        }
        (Operand::Const(x), Operand::Buf(b)) => {
            for (o, y) in out.iter_mut().zip(b) {
                *o = f(x, *y);
            }
        }
        (Operand::Const(x), Operand::Const(y)) => out.fill(f(x, y)),
    }
}

fn val_kernel(op: ValOp, l: Operand<'_>, r: Operand<'_>, out: &mut [f64]) {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    match op {
        ValOp::Bin(BinOp::Add) => zip_with(l, r, out, |x, y| x + y),
        ValOp::Bin(BinOp::Sub) => zip_with(l, r, out, |x, y| x - y),
        ValOp::Bin(BinOp::Mul) => zip_with(l, r, out, |x, y| x * y),
        ValOp::Bin(BinOp::Div) => zip_with(l, r, out, |x, y| x / y),
        ValOp::Bin(BinOp::Mod) => zip_with(l, r, out, |x, y| x % y),
        ValOp::Bin(BinOp::Pow) => zip_with(l, r, out, f64::powf),
        ValOp::Bin(BinOp::Atan2) => zip_with(l, r, out, f64::atan2),
        ValOp::Bin(BinOp::Eq) => zip_with(l, r, out, |x, y| b(x == y)),
        ValOp::Bin(BinOp::Ne) => zip_with(l, r, out, |x, y| b(x != y)),
        ValOp::Bin(BinOp::Gt) => zip_with(l, r, out, |x, y| b(x > y)),
        ValOp::Bin(BinOp::Lt) => zip_with(l, r, out, |x, y| b(x < y)),
        ValOp::Bin(BinOp::Ge) => zip_with(l, r, out, |x, y| b(x >= y)),
        ValOp::Bin(BinOp::Le) => zip_with(l, r, out, |x, y| b(x <= y)),
        ValOp::Bin(BinOp::And | BinOp::Or | BinOp::Unless) => out.fill(f64::NAN),
        ValOp::Func(f) => zip_with(l, r, out, |x, p| match f {
            Func::Abs => x.abs(),
            Func::Ceil => x.ceil(),
            Func::Floor => x.floor(),
            Func::Sqrt => x.sqrt(),
            Func::Exp => x.exp(),
            Func::Ln => x.ln(),
            Func::Log2 => x.log2(),
            Func::Log10 => x.log10(),
            Func::Sgn => {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    x
                }
            }
            Func::Neg => -x,
            // Go's math.Max/Min: NaN wins.
            Func::ClampMin => {
                if x.is_nan() || p.is_nan() {
                    f64::NAN
                } else {
                    x.max(p)
                }
            }
            Func::ClampMax => {
                if x.is_nan() || p.is_nan() {
                    f64::NAN
                } else {
                    x.min(p)
                }
            }
        }),
    }
}

fn cmp_kernel(op: BinOp, l: Operand<'_>, r: Operand<'_>, ma: &[u8], mb: &[u8], out: &mut [u8]) {
    for ((o, a), b) in out.iter_mut().zip(ma).zip(mb) {
        *o = a & b;
    }
    match op {
        BinOp::Eq => filter(l, r, out, |x, y| x == y),
        BinOp::Ne => filter(l, r, out, |x, y| x != y),
        BinOp::Gt => filter(l, r, out, |x, y| x > y),
        BinOp::Lt => filter(l, r, out, |x, y| x < y),
        BinOp::Ge => filter(l, r, out, |x, y| x >= y),
        BinOp::Le => filter(l, r, out, |x, y| x <= y),
        _ => out.fill(0),
    }
}

/// Clears `out` where `keep` is false; the dispatch on operand kinds sits outside the loops.
#[inline(always)]
fn filter(l: Operand<'_>, r: Operand<'_>, out: &mut [u8], keep: impl Fn(f64, f64) -> bool) {
    match (l, r) {
        (Operand::Buf(a), Operand::Buf(b)) => {
            for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
                *o &= u8::from(keep(*x, *y));
            }
        }
        (Operand::Buf(a), Operand::Const(y)) => {
            for (o, x) in out.iter_mut().zip(a) {
                *o &= u8::from(keep(*x, y));
            }
        }
        (Operand::Const(x), Operand::Buf(b)) => {
            for (o, y) in out.iter_mut().zip(b) {
                *o &= u8::from(keep(x, *y));
            }
        }
        (Operand::Const(x), Operand::Const(y)) => {
            let k = u8::from(keep(x, y));
            for o in out.iter_mut() {
                *o &= k;
            }
        }
    }
}

fn agg_kernel(op: AggOp, inputs: &[Col], out: Col, len: usize, b: &mut Buffers) {
    let (lo_v, o_v, hi_v) = split(&mut b.vals, out.val);
    let (lo_m, o_m, hi_m) = split(&mut b.masks, out.mask);
    let o_v = o_v.get_mut(..len).unwrap_or(&mut []);
    let o_m = o_m.get_mut(..len).unwrap_or(&mut []);
    o_m.fill(0);
    if op == AggOp::Sum {
        // The first present member's value, then the others added in series order.
        o_v.fill(0.0);
        for c in inputs {
            let v = side(lo_v, hi_v, out.val, c.val, len);
            let m = side(lo_m, hi_m, out.mask, c.mask, len);
            for (((ov, om), x), p) in o_v.iter_mut().zip(o_m.iter_mut()).zip(v).zip(m) {
                if *p != 0 {
                    *ov = if *om != 0 { *ov + *x } else { *x };
                    *om = 1;
                }
            }
        }
        return;
    }
    // Per group: value, mean, count, as in Prometheus's groupedAggregation.
    let mut mean = [0.0f64; CHUNK];
    let mut count = [0.0f64; CHUNK];
    for c in inputs {
        let v = side(lo_v, hi_v, out.val, c.val, len);
        let m = side(lo_m, hi_m, out.mask, c.mask, len);
        for i in 0..len {
            if m.get(i).copied() != Some(1) {
                continue;
            }
            let (Some(x), Some(present), Some(value), Some(mean), Some(n)) = (
                v.get(i).copied(),
                o_m.get_mut(i),
                o_v.get_mut(i),
                mean.get_mut(i),
                count.get_mut(i),
            ) else {
                continue;
            };
            if *present == 0 {
                *present = 1;
                *value = match op {
                    AggOp::Group => 1.0,
                    _ => x,
                };
                *mean = x;
                *n = 1.0;
                continue;
            }
            *n += 1.0;
            match op {
                AggOp::Sum => *value += x,
                AggOp::Max => {
                    if *value < x || value.is_nan() {
                        *value = x;
                    }
                }
                AggOp::Min => {
                    if *value > x || value.is_nan() {
                        *value = x;
                    }
                }
                AggOp::Avg => {
                    if mean.is_infinite() {
                        if x.is_infinite() && (*mean > 0.0) == (x > 0.0) {
                            continue;
                        }
                        if !x.is_infinite() && !x.is_nan() {
                            continue;
                        }
                    }
                    *mean += x / *n - *mean / *n;
                }
                AggOp::Count | AggOp::Group => {}
            }
        }
    }
    for i in 0..len {
        if o_m.get(i).copied() != Some(1) {
            continue;
        }
        if let (Some(value), Some(mean), Some(n)) = (o_v.get_mut(i), mean.get(i), count.get(i)) {
            match op {
                AggOp::Avg => *value = *mean,
                AggOp::Count => *value = *n,
                _ => {}
            }
        }
    }
}

/// A window's shape (samples, gap before, gap after) with its factor, clamp gap, sampled span
/// and zero-point factor.
type Shape = ((i64, i64, i64), f64, f64, f64, f64);

/// Fills `g` with each instant's window on the samples, for `range_ms`.
fn geometry(
    g: &mut Geometry,
    clock: &Clock,
    t0: i64,
    range_ms: i64,
    func: RangeFn,
    len: usize,
    samples: usize,
) {
    let s = clock.scrape_ms;
    let e = clock.eval_ms;
    let last_k = samples as i64 - 1;
    let v3 = clock.version == Version::V3;
    // k1 = floor(t / s); k0 = floor(x / s) + 1 with x = lo − 1 (closed) or lo (left-open).
    let mut hi = Stepper::new(t0, s, e);
    let lo0 = t0 - range_ms;
    let mut lo = Stepper::new(if v3 { lo0 } else { lo0 - 1 }, s, e);
    let range_secs = seconds(range_ms);
    // The factor depends only on the window's shape, which repeats: remember the last few.
    let mut cache: [Shape; 4] = [((-1, -1, -1), 0.0, 0.0, 0.0, 0.0); 4];
    let mut next_slot = 0;
    let mut t = t0;
    for i in 0..len {
        let range_start = t - range_ms;
        let k1 = hi.q.min(last_k);
        let k0 = (lo.q + 1).max(0);
        hi.step();
        lo.step();
        t += e;
        let ok = k1 - k0 >= 1;
        if let Some(x) = g.ok.get_mut(i) {
            *x = u8::from(ok);
        }
        if let (Some(a), Some(b)) = (g.k0.get_mut(i), g.k1.get_mut(i)) {
            *a = k0;
            *b = k1;
        }
        if !ok || func == RangeFn::Irate {
            continue;
        }
        let d_start_ms = k0 * s - range_start;
        let d_end_ms = (range_start + range_ms) - k1 * s;
        let key = (k1 - k0, d_start_ms, d_end_ms);
        let (factor, gap, sampled, factor_zero) = match cache.iter().find(|c| c.0 == key) {
            Some(c) => (c.1, c.2, c.3, c.4),
            None => {
                let n = (k1 - k0) as f64;
                let sampled = ((k1 - k0) * s) as f64 / 1000.0;
                let average = sampled / n;
                let threshold = average * 1.1;
                let d_start = d_start_ms as f64 / 1000.0;
                let d_end = d_end_ms as f64 / 1000.0;
                let start = if d_start < threshold {
                    d_start
                } else {
                    average / 2.0
                };
                let end = if d_end < threshold {
                    d_end
                } else {
                    average / 2.0
                };
                let mut factor = (sampled + start + end) / sampled;
                // A zero point at the first sample: Prometheus adds a start gap of 0.
                let mut factor_zero = (sampled + 0.0 + end) / sampled;
                if func == RangeFn::Rate {
                    factor /= range_secs;
                    factor_zero /= range_secs;
                }
                // 2.42 compares the zero point with the raw gap; 3.x with the gap after the
                // spacing check.
                let gap = if v3 { start } else { d_start };
                if let Some(slot) = cache.get_mut(next_slot) {
                    *slot = (key, factor, gap, sampled, factor_zero);
                }
                next_slot = (next_slot + 1) % 4;
                (factor, gap, sampled, factor_zero)
            }
        };
        if let (Some(f), Some(c), Some(sm), Some(fz)) = (
            g.factor.get_mut(i),
            g.clamp_gap.get_mut(i),
            g.sampled.get_mut(i),
            g.factor_zero.get_mut(i),
        ) {
            *f = factor;
            *c = gap;
            *sm = sampled;
            *fz = factor_zero;
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

/// What a window's shape gives its value: the extrapolation factor, the gap the counter's zero
/// point must be nearer than to matter, the sampled span, and the factor when the zero point is
/// the first sample.
#[derive(Debug, Clone, Copy)]
struct Factors {
    factor: f64,
    gap: f64,
    sampled: f64,
    factor_zero: f64,
}

/// A counter and how it is read: what [`range_values`] and [`periodic`] share.
struct Run<'a> {
    c: &'a [f64],
    clock: &'a Clock,
    t0: i64,
    range_ms: i64,
    func: RangeFn,
}

impl Run<'_> {
    /// The value over the window `k0 ..= k1` at instant `i`, given its shape.
    #[inline(always)]
    fn value(&self, i: usize, k0: i64, k1: i64, w: Factors) -> f64 {
        let Factors {
            factor,
            gap,
            sampled,
            factor_zero,
        } = w;
        let first = self.c.get(k0 as usize).copied().unwrap_or(0.0);
        let last = self.c.get(k1 as usize).copied().unwrap_or(0.0);
        let delta = last - first;
        if self.func != RangeFn::Delta && delta > 0.0 {
            if first == 0.0 {
                // The zero point is the first sample itself: no start gap at all.
                return delta * factor_zero;
            }
            // The zero point, sampled × first / delta, matters only when nearer than the gap;
            // the margin sends every close case to the exact computation.
            if first > 0.0 && first * sampled <= gap * delta * 1.000_001 {
                let t = self.t0 + i as i64 * self.clock.eval_ms;
                return extrapolated(self.c, self.clock, t, self.range_ms, self.func, k0, k1);
            }
        }
        delta * factor
    }
}

/// A range function of a counter over the windows in `g`, one instant at a time.
fn range_values(g: &Geometry, run: &Run<'_>, out: &mut [f64], present: &mut [u8]) {
    for (i, (o, m)) in out.iter_mut().zip(present.iter_mut()).enumerate() {
        let (Some(&ok), Some(&k0), Some(&k1)) = (g.ok.get(i), g.k0.get(i), g.k1.get(i)) else {
            continue;
        };
        let in_range = run.c.get(k1 as usize).is_some();
        *m = ok & u8::from(in_range);
        if *m == 0 {
            continue;
        }
        if run.func == RangeFn::Irate {
            let (Some(&prev), Some(&last)) = (run.c.get(k1 as usize - 1), run.c.get(k1 as usize))
            else {
                continue;
            };
            let d = if last < prev { last } else { last - prev };
            *o = d / seconds(run.clock.scrape_ms);
            continue;
        }
        let w = Factors {
            factor: g.factor.get(i).copied().unwrap_or(0.0),
            gap: g.clamp_gap.get(i).copied().unwrap_or(0.0),
            sampled: g.sampled.get(i).copied().unwrap_or(0.0),
            factor_zero: g.factor_zero.get(i).copied().unwrap_or(0.0),
        };
        *o = run.value(i, k0, k1, w);
    }
}

/// The instants from `from` on, each the window of the instant one `period` before moved on by
/// `shift` samples (the first period after `steady` holds the shapes, worked out in `g`). Writes
/// the presence too when given.
#[allow(clippy::too_many_arguments)]
fn periodic(
    g: &Geometry,
    run: &Run<'_>,
    steady: usize,
    period: usize,
    shift: usize,
    from: usize,
    out: &mut [f64],
    present: Option<&mut [u8]>,
) {
    let counter = run.func != RangeFn::Delta;
    let mut present = present;
    for p in 0..period {
        let base = steady + p;
        let (Some(&ok), Some(&k0), Some(&k1), Some(&f), Some(&gap), Some(&sampled), Some(&fz)) = (
            g.ok.get(base),
            g.k0.get(base),
            g.k1.get(base),
            g.factor.get(base),
            g.clamp_gap.get(base),
            g.sampled.get(base),
            g.factor_zero.get(base),
        ) else {
            continue;
        };
        let start = base + period;
        if start < from {
            continue;
        }
        // The windows lie wholly inside the samples from here on: present exactly when the
        // shape has two samples.
        if let Some(m) = present.as_deref_mut() {
            for x in m.iter_mut().skip(start).step_by(period) {
                *x = ok;
            }
        }
        if ok == 0 {
            continue;
        }
        let w = Factors {
            factor: f,
            gap,
            sampled,
            factor_zero: fz,
        };
        // The zero point can matter only when first ≤ delta × gap / sampled (with a margin);
        // those few instants take the careful path.
        let limit = gap * 1.000_001 / sampled;
        let step = shift as i64;
        let (mut k0, mut k1) = (k0 + step, k1 + step);
        let mut i = start;
        while let Some(o) = out.get_mut(i) {
            let first = run.c.get(k0 as usize).copied().unwrap_or(0.0);
            let last = run.c.get(k1 as usize).copied().unwrap_or(0.0);
            let delta = last - first;
            *o = delta * f;
            if counter && delta > 0.0 && first <= delta * limit {
                *o = run.value(i, k0, k1, w);
            }
            i += period;
            k0 += step;
            k1 += step;
        }
    }
}

/// Prometheus's `extrapolatedRate` for the window `k0 ..= k1` at `t`, step for step.
fn extrapolated(
    c: &[f64],
    clock: &Clock,
    t: i64,
    range_ms: i64,
    func: RangeFn,
    k0: i64,
    k1: i64,
) -> f64 {
    let s = clock.scrape_ms;
    let v3 = clock.version == Version::V3;
    let is_counter = func != RangeFn::Delta;
    let first = c.get(k0 as usize).copied().unwrap_or(0.0);
    let last = c.get(k1 as usize).copied().unwrap_or(0.0);
    let range_start = t - range_ms;
    let first_t = k0 * s;
    let last_t = k1 * s;
    // The counters the replay builds never go down, so there are no resets to add.
    let mut result = last - first;
    let mut duration_to_start = (first_t - range_start) as f64 / 1000.0;
    let mut duration_to_end = (t - last_t) as f64 / 1000.0;
    let sampled = (last_t - first_t) as f64 / 1000.0;
    let average = sampled / (k1 - k0) as f64;
    let threshold = average * 1.1;
    let mut extrapolate_to = sampled;
    if v3 {
        if duration_to_start >= threshold {
            duration_to_start = average / 2.0;
        }
        if is_counter && result > 0.0 && first >= 0.0 {
            let to_zero = sampled * (first / result);
            if to_zero < duration_to_start {
                duration_to_start = to_zero;
            }
        }
        extrapolate_to += duration_to_start;
        if duration_to_end >= threshold {
            duration_to_end = average / 2.0;
        }
        extrapolate_to += duration_to_end;
    } else {
        if is_counter && result > 0.0 && first >= 0.0 {
            let to_zero = sampled * (first / result);
            if to_zero < duration_to_start {
                duration_to_start = to_zero;
            }
        }
        if duration_to_start < threshold {
            extrapolate_to += duration_to_start;
        } else {
            extrapolate_to += average / 2.0;
        }
        if duration_to_end < threshold {
            extrapolate_to += duration_to_end;
        } else {
            extrapolate_to += average / 2.0;
        }
    }
    let mut factor = extrapolate_to / sampled;
    if func == RangeFn::Rate {
        factor /= seconds(range_ms);
    }
    result *= factor;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rate() of a counter growing by `per_scrape` each 60 s, at instant `t`, Prometheus 2.
    fn rate_at(samples: &[f64], t: i64, range_ms: i64, version: Version) -> Option<f64> {
        let clock = Clock {
            version,
            scrape_ms: 60_000,
            eval_ms: 30_000,
            lookback_ms: 300_000,
        };
        let mut out = [0.0f64];
        let mut m = [0u8];
        let mut g = Geometry::default();
        for v in [
            &mut g.factor,
            &mut g.clamp_gap,
            &mut g.sampled,
            &mut g.factor_zero,
        ] {
            v.resize(1, 0.0);
        }
        g.k0.resize(1, 0);
        g.k1.resize(1, 0);
        g.ok.resize(1, 0);
        geometry(&mut g, &clock, t, range_ms, RangeFn::Rate, 1, samples.len());
        let run = Run {
            c: samples,
            clock: &clock,
            t0: t,
            range_ms,
            func: RangeFn::Rate,
        };
        range_values(&g, &run, &mut out, &mut m);
        let exact = extrapolated(
            samples,
            &clock,
            t,
            range_ms,
            RangeFn::Rate,
            g.k0[0],
            g.k1[0],
        );
        if m[0] == 1 {
            assert_eq!(
                out[0].to_bits(),
                exact.to_bits(),
                "the fast path must equal the exact one"
            );
        }
        (m[0] == 1).then_some(out[0])
    }

    #[test]
    fn rate_of_an_aligned_linear_counter_is_its_slope() {
        let c: Vec<f64> = (0..100).map(|k| k as f64 * 600.0).collect();
        assert_eq!(rate_at(&c, 3_600_000, 300_000, Version::V2), Some(10.0));
        assert_eq!(rate_at(&c, 3_630_000, 300_000, Version::V2), Some(10.0));
        assert_eq!(rate_at(&c, 3_600_000, 300_000, Version::V3), Some(10.0));
    }

    #[test]
    fn rate_needs_two_samples_and_extrapolates_to_the_zero_point_at_the_start() {
        let c: Vec<f64> = (0..100).map(|k| k as f64 * 600.0).collect();
        assert_eq!(rate_at(&c, 30_000, 300_000, Version::V2), None);
        // Samples at 0 and 60 s: the counter starts at 0, so the start extrapolates nothing,
        // the end extrapolates nothing (a sample at t): 600 over a 300 s range.
        assert_eq!(rate_at(&c, 60_000, 300_000, Version::V2), Some(2.0));
        // A closed window at t = 300 s holds 6 samples from 0 s, a left-open one 5 from 60 s.
        assert_eq!(rate_at(&c, 300_000, 300_000, Version::V2), Some(10.0));
        assert_eq!(rate_at(&c, 300_000, 300_000, Version::V3), Some(10.0));
    }

    #[test]
    fn the_zero_point_clamp_comes_before_the_spacing_check_in_2_and_after_it_in_3() {
        // The series starts inside the window (120 s before its first sample, more than 1.1 ×
        // the 60 s spacing); its zero point lies 60 s before the first sample. Prometheus 2.42
        // clamps to the zero point first (60 s < 66 s, so it extrapolates 60 s); 3.x takes half
        // a spacing first (30 s), then the zero point if nearer (it is not).
        let c = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(
            rate_at(&c, 180_000, 300_000, Version::V2),
            Some(30.0 * (240.0 / 180.0 / 300.0))
        );
        assert_eq!(
            rate_at(&c, 180_000, 300_000, Version::V3),
            Some(30.0 * (210.0 / 180.0 / 300.0))
        );
    }

    proptest::proptest! {
        /// Every instant of a chunk, however it was computed (one by one, or as a window moved
        /// on by a period), equals Prometheus's computation on the samples in its window.
        #[test]
        fn every_instant_equals_the_exact_computation(
            steps in proptest::collection::vec(0u32..50, 2..400),
            zeros in 0usize..30,
            scrape in proptest::sample::select(vec![15_000i64, 30_000, 45_000, 60_000, 120_000]),
            eval in proptest::sample::select(vec![10_000i64, 30_000, 60_000, 90_000]),
            range in proptest::sample::select(vec![60_000i64, 300_000, 1_800_000, 3_600_000]),
            v3 in proptest::bool::ANY,
            start in 0i64..20,
        ) {
            let mut c = vec![0.0; zeros.min(steps.len())];
            let mut acc = 0.0;
            for s in &steps {
                acc += f64::from(*s);
                c.push(acc);
            }
            let clock = Clock {
                version: if v3 { Version::V3 } else { Version::V2 },
                scrape_ms: scrape,
                eval_ms: eval,
                lookback_ms: 300_000,
            };
            let plan = Plan {
                inputs: Vec::new(),
                instrs: vec![Instr::Range {
                    range_ms: range,
                    func: RangeFn::Rate,
                    io: vec![(0, Col { val: 0, mask: 1 })],
                }],
                consts: Vec::new(),
                n_vals: 1,
                n_masks: 2,
                n_carries: 0,
                alerts: Vec::new(),
                warnings: Vec::new(),
                group_intervals: Vec::new(),
            };
            let mut b = Buffers::default();
            b.prepare(&plan);
            let end = (c.len() as i64 - 1) * scrape;
            let ticks = (end / eval + 1 - start).clamp(0, CHUNK as i64) as usize;
            run_chunk(
                &plan,
                &[],
                &InPlace::default(),
                &[&c],
                &clock,
                start,
                ticks,
                &mut b,
            );
            for i in 0..ticks {
                let t = (start + i as i64) * eval;
                let lo = t - range;
                let inside: Vec<i64> = (0..c.len() as i64)
                    .filter(|k| {
                        let st = k * scrape;
                        st <= t && if v3 { st > lo } else { st >= lo }
                    })
                    .collect();
                let present = b.mask(Col { val: 0, mask: 1 }, ticks)[i] == 1;
                proptest::prop_assert_eq!(present, inside.len() >= 2, "t={} window {:?}", t, inside);
                if let (true, Some(&k0), Some(&k1)) = (present, inside.first(), inside.last()) {
                    let want = extrapolated(&c, &clock, t, range, RangeFn::Rate, k0, k1);
                    let got = b.values(Col { val: 0, mask: 1 }, ticks)[i];
                    proptest::prop_assert_eq!(got.to_bits(), want.to_bits(), "t={} got {} want {}", t, got, want);
                }
            }
        }
    }
}
