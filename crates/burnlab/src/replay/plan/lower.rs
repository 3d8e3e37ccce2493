//! Lowering one PromQL expression ([`Expr`]) to instructions.
//!
//! Every selector is resolved against the input series and the recorded ones, every function,
//! aggregation group and label match of `on`/`ignoring`/`group_left`/`group_right`/`and`/`or`
//! is worked out on the series' labels, and what is left is instructions over columns and the
//! labels of the series they compute ([`Value`]). Each instruction is emitted after those
//! computing its operands, and columns computed alike are shared (one range instruction per
//! range and function, one shift per recorded series).
//!
//! Lowering knows nothing of the order rules run in: what it may read of the recording rules
//! comes through [`Recordings`], which says for each recorded series a selector matches whether
//! the rule being lowered sees its value at this instant or at the previous evaluation. Its
//! errors are byte offsets into the expression ([`Fail`]); [`Locator`], kept beside them, turns
//! such an offset into a line and column of the rule file. [`names_read`] is here too, since it
//! follows selectors as lowering does: it finds the metric names an expression reads, from
//! which the rules are put in dependency order.

use std::collections::HashMap;

use super::NAME;
use super::ir::{AggOp, Col, Func, Instr, RangeFn, Src, ValOp, scalar_binop};
use crate::alertmanager::matchers::{Labels, MatchOp, Matcher};
use crate::replay::promql::{BinOp, Expr, GroupSide, Grouping, Matching, Selector};

/// Maps a byte offset in a rule's expression to a line and column of the file.
pub(super) struct Locator<'a> {
    /// The rule file's text.
    pub(super) source: &'a str,
}

impl Locator<'_> {
    /// The line and column of `offset` in `expr`, a rule's expression written at `expr_at`
    /// (line 0 when the rule has no place in a file).
    pub(super) fn at(&self, expr_at: (usize, usize), expr: &str, offset: usize) -> (usize, usize) {
        let (line, col) = expr_at;
        if line == 0 {
            return (0, 0);
        }
        let before = expr.get(..offset).unwrap_or(expr);
        let k = before.matches('\n').count();
        let c = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        let src_line = self.source.lines().nth(line - 1).unwrap_or("");
        match src_line.chars().nth(col.saturating_sub(1)) {
            // A quoted scalar starts at its quote.
            Some('"' | '\'') if k == 0 => (line, col + 1 + c),
            // A plain scalar, or a block scalar, whose position is its first content line and
            // whose lines all share that indentation.
            _ => (line + k, col + c),
        }
    }
}

/// What an expression evaluates to at compile time.
#[derive(Debug, Clone)]
pub(super) enum Value {
    /// A number: a constant or a value buffer.
    Scalar(Src),
    /// Series with labels known now, in the order Prometheus would list them.
    Vector(Vec<Series>),
    /// A string literal.
    Str,
}

/// A series of a vector: its labels and the column holding it.
#[derive(Debug, Clone)]
pub(super) struct Series {
    pub(super) labels: Labels,
    pub(super) col: Col,
}

/// What lowering may read of the recording rules: the one interface between lowering an
/// expression and scheduling the rules.
pub(super) trait Recordings {
    /// The recorded series all of `matchers` match, in the order they were recorded.
    fn matching(&self, matchers: &[Matcher]) -> Vec<Recording>;
}

/// A recorded series as the rule being lowered reads it.
#[derive(Debug, Clone)]
pub(super) struct Recording {
    pub(super) labels: Labels,
    pub(super) col: Col,
    /// Recorded earlier in the same evaluation, so the rule reads its value at this instant;
    /// otherwise it reads the value of the previous evaluation.
    pub(super) same_instant: bool,
    /// The longest range the recording reads, through other recordings too.
    pub(super) max_range_ms: i64,
}

/// A located compile error about a part of an expression.
pub(super) struct Fail {
    /// The byte offset in the expression.
    pub(super) at: usize,
    pub(super) message: String,
}

fn fail(at: usize, message: impl Into<String>) -> Fail {
    Fail {
        at,
        message: message.into(),
    }
}

/// One rule's expression lowered.
pub(super) struct Lowered {
    pub(super) value: Value,
    /// The longest range it reads, through recordings too.
    pub(super) max_range_ms: i64,
    /// The selectors nothing provides: their offset in the expression and metric name.
    pub(super) missing: Vec<(usize, String)>,
}

/// The instructions and buffers lowering emitted for a whole rule file.
pub(super) struct Emitted {
    pub(super) instrs: Vec<Instr>,
    pub(super) consts: Vec<(u32, f64)>,
    pub(super) n_vals: u32,
    pub(super) n_masks: u32,
    pub(super) n_carries: u32,
}

/// Lowers the expressions of one rule file, one after another, into one list of instructions
/// whose buffers they share.
pub(super) struct Compiler<'a, R> {
    inputs: &'a [Labels],
    /// The recording rules' series, which the caller updates between rules.
    pub(super) recordings: R,
    instrs: Vec<Instr>,
    consts: Vec<(u32, f64)>,
    n_vals: u32,
    n_masks: u32,
    n_carries: u32,
    range_memo: HashMap<(u32, i64, RangeFn), Col>,
    /// The instruction computing each (range, function), to which more inputs are added.
    range_instr: HashMap<(i64, RangeFn), usize>,
    shift_memo: HashMap<Col, Col>,
    max_range_ms: i64,
    missing: Vec<(usize, String)>,
}

/// The labels without the series' name, as every operation but a filter leaves them.
pub(super) fn without_name(labels: &Labels) -> Labels {
    let mut l = labels.clone();
    l.remove(NAME);
    l
}

/// The matching signature of a series: the `on` labels, or all but `__name__` and the
/// `ignoring` labels.
fn signature(labels: &Labels, matching: &Matching) -> Vec<(String, String)> {
    labels
        .iter()
        .filter(|(k, _)| {
            if matching.on {
                matching.labels.iter().any(|l| l == *k)
            } else {
                k.as_str() != NAME && !matching.labels.iter().any(|l| l == *k)
            }
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

const RANGE_FNS: [(&str, RangeFn); 4] = [
    ("rate", RangeFn::Rate),
    ("increase", RangeFn::Increase),
    ("delta", RangeFn::Delta),
    ("irate", RangeFn::Irate),
];

const FUNCS: [(&str, Func); 9] = [
    ("abs", Func::Abs),
    ("ceil", Func::Ceil),
    ("floor", Func::Floor),
    ("sqrt", Func::Sqrt),
    ("exp", Func::Exp),
    ("ln", Func::Ln),
    ("log2", Func::Log2),
    ("log10", Func::Log10),
    ("sgn", Func::Sgn),
];

impl<'a, R: Recordings> Compiler<'a, R> {
    /// A compiler over the input series `inputs`, reading recordings from `recordings`.
    pub(super) fn new(inputs: &'a [Labels], recordings: R) -> Self {
        Compiler {
            inputs,
            recordings,
            instrs: Vec::new(),
            consts: Vec::new(),
            n_vals: 0,
            n_masks: 1,
            n_carries: 0,
            range_memo: HashMap::new(),
            range_instr: HashMap::new(),
            shift_memo: HashMap::new(),
            max_range_ms: 0,
            missing: Vec::new(),
        }
    }

    /// Lowers the expression of the next rule.
    pub(super) fn rule(&mut self, e: &Expr) -> std::result::Result<Lowered, Fail> {
        self.max_range_ms = 0;
        self.missing.clear();
        let value = self.expr(e)?;
        Ok(Lowered {
            value,
            max_range_ms: self.max_range_ms,
            missing: std::mem::take(&mut self.missing),
        })
    }

    /// Everything emitted, for the plan.
    pub(super) fn finish(self) -> Emitted {
        Emitted {
            instrs: self.instrs,
            consts: self.consts,
            n_vals: self.n_vals,
            n_masks: self.n_masks,
            n_carries: self.n_carries,
        }
    }

    fn val(&mut self) -> u32 {
        self.n_vals += 1;
        self.n_vals - 1
    }

    fn mask(&mut self) -> u32 {
        self.n_masks += 1;
        self.n_masks - 1
    }

    fn expr(&mut self, e: &Expr) -> std::result::Result<Value, Fail> {
        match e {
            Expr::Number { value, .. } => Ok(Value::Scalar(Src::Const(*value))),
            Expr::String { .. } => Ok(Value::Str),
            Expr::Paren(inner) => self.expr(inner),
            Expr::Subquery { at } => Err(fail(
                *at,
                "subqueries, `offset` on expressions and `@` are not supported by the replay",
            )),
            Expr::Selector(s) => self.selector(s),
            Expr::Negate { expr, at } => match self.expr(expr)? {
                Value::Scalar(Src::Const(v)) => Ok(Value::Scalar(Src::Const(-v))),
                Value::Scalar(src) => {
                    let out = self.val();
                    self.instrs.push(Instr::Val {
                        op: ValOp::Func(Func::Neg),
                        l: src,
                        r: Src::Const(0.0),
                        out,
                    });
                    Ok(Value::Scalar(Src::Buf(out)))
                }
                Value::Vector(v) => Ok(Value::Vector(self.map_func(v, Func::Neg, Src::Const(0.0)))),
                Value::Str => Err(fail(*at, "a string cannot be negated")),
            },
            Expr::Call { name, args, at } => self.call(name, args, *at),
            Expr::Aggregate {
                op,
                grouping,
                param,
                expr,
                at,
            } => self.aggregate(op, grouping, param.as_deref(), expr, *at),
            Expr::Binary {
                op,
                lhs,
                rhs,
                matching,
                return_bool,
                at,
            } => self.binary(*op, lhs, rhs, matching.as_ref(), *return_bool, *at),
        }
    }

    fn selector_matchers(&self, s: &Selector) -> std::result::Result<Vec<Matcher>, Fail> {
        let mut ms = s.matchers.clone();
        if let Some(name) = &s.name {
            ms.push(Matcher::new(MatchOp::Equal, NAME, name.clone()).map_err(|e| fail(s.at, e))?);
        }
        let named = ms
            .iter()
            .any(|m| m.name() == NAME && m.op() == MatchOp::Equal);
        if !named {
            return Err(fail(
                s.at,
                "the replay needs a metric name on every selector, e.g. http_requests_total{code=\"500\"}",
            ));
        }
        Ok(ms)
    }

    fn selector(&mut self, s: &Selector) -> std::result::Result<Value, Fail> {
        if let Some(at) = s.offset_at.or(s.at_modifier) {
            return Err(fail(at, "`offset` and `@` are not supported by the replay"));
        }
        let ms = self.selector_matchers(s)?;
        if s.range.is_some() {
            return Err(fail(
                s.at,
                "a range selector must be the argument of rate(), increase(), irate() or delta() in the replay",
            ));
        }
        let mut out = Vec::new();
        for (i, labels) in self.inputs.iter().enumerate() {
            if ms.iter().all(|m| m.matches(labels)) {
                let col = Col {
                    val: self.val(),
                    mask: self.mask(),
                };
                self.instrs.push(Instr::Instant {
                    input: i as u32,
                    out: col,
                });
                out.push(Series {
                    labels: labels.clone(),
                    col,
                });
            }
        }
        for r in self.recordings.matching(&ms) {
            self.max_range_ms = self.max_range_ms.max(r.max_range_ms);
            let col = if r.same_instant {
                r.col
            } else {
                self.shifted(r.col)
            };
            out.push(Series {
                labels: r.labels,
                col,
            });
        }
        if out.is_empty() {
            let name = s.name.clone().unwrap_or_default();
            self.missing.push((s.at, name));
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(Value::Vector(out))
    }

    /// A presence buffer for "both present": one of the two when they are the same or one is
    /// always present.
    fn both(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == 0 {
            return a;
        }
        if a == 0 {
            return b;
        }
        let out = self.mask();
        self.instrs.push(Instr::MaskAny {
            base: a,
            others: vec![b],
            negate: false,
            out,
        });
        out
    }

    fn shifted(&mut self, src: Col) -> Col {
        if let Some(c) = self.shift_memo.get(&src) {
            return *c;
        }
        let out = Col {
            val: self.val(),
            mask: self.mask(),
        };
        let carry = self.n_carries;
        self.n_carries += 1;
        self.instrs.push(Instr::Shift { src, out, carry });
        self.shift_memo.insert(src, out);
        out
    }

    fn call(&mut self, name: &str, args: &[Expr], at: usize) -> std::result::Result<Value, Fail> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(fail(
                    at,
                    format!(
                        "{name}() takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        if let Some((_, func)) = RANGE_FNS.iter().find(|(n, _)| *n == name) {
            arity(1)?;
            let Some(Expr::Selector(s)) = args.first().map(unparen) else {
                return Err(fail(
                    at,
                    format!(
                        "{name}() needs a range selector such as x[5m] as its argument in the replay"
                    ),
                ));
            };
            let Some(range) = s.range else {
                return Err(fail(
                    s.at,
                    format!(
                        "{name}() needs a range: write {}[5m]",
                        s.name.as_deref().unwrap_or("x")
                    ),
                ));
            };
            if let Some(a) = s.offset_at.or(s.at_modifier) {
                return Err(fail(a, "`offset` and `@` are not supported by the replay"));
            }
            let ms = self.selector_matchers(s)?;
            if let Some(r) = self.recordings.matching(&ms).first() {
                let rec = r.labels.get(NAME).cloned().unwrap_or_default();
                return Err(fail(
                    s.at,
                    format!(
                        "a range over the recorded series `{rec}` is not supported by the replay (ranges are read from the scenario's counters only)"
                    ),
                ));
            }
            let range_ms = range.as_millis() as i64;
            self.max_range_ms = self.max_range_ms.max(range_ms);
            let mut out = Vec::new();
            for (i, labels) in self.inputs.iter().enumerate() {
                if !ms.iter().all(|m| m.matches(labels)) {
                    continue;
                }
                let key = (i as u32, range_ms, *func);
                let col = match self.range_memo.get(&key) {
                    Some(c) => *c,
                    None => {
                        // Every counter has a sample at the same instants, so all results of
                        // one range share one presence buffer.
                        let existing = self
                            .range_instr
                            .get(&(range_ms, *func))
                            .copied()
                            .and_then(|k| self.instrs.get(k).map(|instr| (k, instr)));
                        let shared = match existing {
                            Some((k, Instr::Range { io, .. })) => {
                                io.first().map(|(_, c)| (k, c.mask))
                            }
                            _ => None,
                        };
                        let col = Col {
                            val: self.val(),
                            mask: match shared {
                                Some((_, m)) => m,
                                None => self.mask(),
                            },
                        };
                        match shared.and_then(|(k, _)| self.instrs.get_mut(k)) {
                            Some(Instr::Range { io, .. }) => io.push((i as u32, col)),
                            _ => {
                                self.range_instr
                                    .insert((range_ms, *func), self.instrs.len());
                                self.instrs.push(Instr::Range {
                                    range_ms,
                                    func: *func,
                                    io: vec![(i as u32, col)],
                                });
                            }
                        }
                        self.range_memo.insert(key, col);
                        col
                    }
                };
                out.push(Series {
                    labels: without_name(labels),
                    col,
                });
            }
            if out.is_empty() {
                self.missing
                    .push((s.at, s.name.clone().unwrap_or_default()));
            }
            return Ok(Value::Vector(out));
        }
        if let Some((_, f)) = FUNCS.iter().find(|(n, _)| *n == name) {
            arity(1)?;
            return match self.arg(args, 0, at)? {
                Value::Vector(v) => Ok(Value::Vector(self.map_func(v, *f, Src::Const(0.0)))),
                _ => Err(fail(at, format!("{name}() needs an instant vector"))),
            };
        }
        match name {
            "clamp_min" | "clamp_max" => {
                arity(2)?;
                let bound = self.scalar_arg(args, 1, at)?;
                let f = if name == "clamp_min" {
                    Func::ClampMin
                } else {
                    Func::ClampMax
                };
                match self.arg(args, 0, at)? {
                    Value::Vector(v) => Ok(Value::Vector(self.map_func(v, f, bound))),
                    _ => Err(fail(at, format!("{name}() needs an instant vector first"))),
                }
            }
            "clamp" => {
                arity(3)?;
                let lo = self.scalar_arg(args, 1, at)?;
                let hi = self.scalar_arg(args, 2, at)?;
                match self.arg(args, 0, at)? {
                    Value::Vector(v) => {
                        let v = self.map_func(v, Func::ClampMin, lo);
                        Ok(Value::Vector(self.map_func(v, Func::ClampMax, hi)))
                    }
                    _ => Err(fail(at, "clamp() needs an instant vector first")),
                }
            }
            "vector" => {
                arity(1)?;
                let s = self.scalar_arg(args, 0, at)?;
                Ok(Value::Vector(vec![self.vector(s)]))
            }
            "scalar" => {
                arity(1)?;
                match self.arg(args, 0, at)? {
                    Value::Vector(v) => {
                        if v.is_empty() {
                            return Ok(Value::Scalar(Src::Const(f64::NAN)));
                        }
                        let out = self.val();
                        self.instrs.push(Instr::Scalar {
                            inputs: v.iter().map(|s| s.col).collect(),
                            out,
                        });
                        Ok(Value::Scalar(Src::Buf(out)))
                    }
                    _ => Err(fail(at, "scalar() needs an instant vector")),
                }
            }
            "time" => {
                arity(0)?;
                let out = self.val();
                self.instrs.push(Instr::Time { out });
                Ok(Value::Scalar(Src::Buf(out)))
            }
            _ => Err(fail(at, format!("`{name}` is not supported by the replay"))),
        }
    }

    /// `vector(s)`: the scalar as one series without labels, always present.
    pub(super) fn vector(&mut self, s: Src) -> Series {
        let val = match s {
            Src::Buf(b) => b,
            Src::Const(c) => {
                let b = self.val();
                self.consts.push((b, c));
                b
            }
        };
        Series {
            labels: Labels::new(),
            col: Col { val, mask: 0 },
        }
    }

    /// One column for several that end up with the same labels: the first present of them.
    pub(super) fn coalesce(&mut self, cols: Vec<Col>) -> Col {
        match cols.as_slice() {
            [one] => *one,
            _ => {
                let out = Col {
                    val: self.val(),
                    mask: self.mask(),
                };
                self.instrs.push(Instr::Coalesce { inputs: cols, out });
                out
            }
        }
    }

    fn arg(&mut self, args: &[Expr], i: usize, at: usize) -> std::result::Result<Value, Fail> {
        let e = args
            .get(i)
            .ok_or_else(|| fail(at, "an argument is missing"))?;
        self.expr(e)
    }

    fn scalar_arg(&mut self, args: &[Expr], i: usize, at: usize) -> std::result::Result<Src, Fail> {
        match self.arg(args, i, at)? {
            Value::Scalar(s) => Ok(s),
            _ => Err(fail(
                args.get(i).map_or(at, Expr::at),
                "this argument must be a number",
            )),
        }
    }

    fn map_func(&mut self, v: Vec<Series>, f: Func, param: Src) -> Vec<Series> {
        v.into_iter()
            .map(|s| {
                let out = self.val();
                self.instrs.push(Instr::Val {
                    op: ValOp::Func(f),
                    l: Src::Buf(s.col.val),
                    r: param,
                    out,
                });
                Series {
                    labels: without_name(&s.labels),
                    col: Col {
                        val: out,
                        mask: s.col.mask,
                    },
                }
            })
            .collect()
    }

    fn aggregate(
        &mut self,
        op: &str,
        grouping: &Grouping,
        param: Option<&Expr>,
        expr: &Expr,
        at: usize,
    ) -> std::result::Result<Value, Fail> {
        let agg = match op {
            "sum" => AggOp::Sum,
            "min" => AggOp::Min,
            "max" => AggOp::Max,
            "avg" => AggOp::Avg,
            "count" => AggOp::Count,
            "group" => AggOp::Group,
            _ => return Err(fail(at, format!("`{op}` is not supported by the replay"))),
        };
        if param.is_some() {
            return Err(fail(at, format!("{op}() takes no parameter")));
        }
        let Value::Vector(v) = self.expr(expr)? else {
            return Err(fail(expr.at(), format!("{op}() needs an instant vector")));
        };
        // Groups in order of first appearance, as Prometheus emits them.
        let mut groups: Vec<(Labels, Vec<Col>)> = Vec::new();
        for s in v {
            let key: Labels = match grouping {
                Grouping::None => Labels::new(),
                Grouping::By(ls) => s
                    .labels
                    .iter()
                    .filter(|(k, _)| ls.iter().any(|l| l == *k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                Grouping::Without(ls) => s
                    .labels
                    .iter()
                    .filter(|(k, _)| k.as_str() != NAME && !ls.iter().any(|l| l == *k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, cols)) => cols.push(s.col),
                None => groups.push((key, vec![s.col])),
            }
        }
        let mut out = Vec::new();
        for (labels, cols) in groups {
            let col = match (agg, cols.as_slice()) {
                // One member: the value is the member's (sum, min, max, avg of one value).
                (AggOp::Sum | AggOp::Min | AggOp::Max | AggOp::Avg, [one]) => *one,
                (AggOp::Sum, [first, rest @ ..]) if rest.iter().all(|c| c.mask == first.mask) => {
                    // All present together: a plain sum in series order, the same presence.
                    let mut acc = first.val;
                    for c in rest {
                        let out = self.val();
                        self.instrs.push(Instr::Val {
                            op: ValOp::Bin(BinOp::Add),
                            l: Src::Buf(acc),
                            r: Src::Buf(c.val),
                            out,
                        });
                        acc = out;
                    }
                    Col {
                        val: acc,
                        mask: first.mask,
                    }
                }
                _ => {
                    let col = Col {
                        val: self.val(),
                        mask: self.mask(),
                    };
                    self.instrs.push(Instr::Agg {
                        op: agg,
                        inputs: cols,
                        out: col,
                    });
                    col
                }
            };
            out.push(Series { labels, col });
        }
        Ok(Value::Vector(out))
    }

    fn binary(
        &mut self,
        op: BinOp,
        lhs: &Expr,
        rhs: &Expr,
        matching: Option<&Matching>,
        return_bool: bool,
        at: usize,
    ) -> std::result::Result<Value, Fail> {
        let l = self.expr(lhs)?;
        let r = self.expr(rhs)?;
        if op == BinOp::Atan2 {
            return Err(fail(at, "`atan2` is not supported by the replay"));
        }
        match (l, r) {
            (Value::Str, _) | (_, Value::Str) => {
                Err(fail(at, "strings cannot be operands of a binary operator"))
            }
            (Value::Scalar(a), Value::Scalar(b)) => {
                if op.is_set() {
                    return Err(fail(
                        at,
                        format!("`{}` needs vectors on both sides", op.as_str()),
                    ));
                }
                if op.is_comparison() && !return_bool {
                    return Err(fail(
                        at,
                        "comparisons between numbers must use `bool`, as in Prometheus",
                    ));
                }
                if let (Src::Const(x), Src::Const(y)) = (a, b) {
                    return Ok(Value::Scalar(Src::Const(scalar_binop(op, x, y))));
                }
                let out = self.val();
                self.instrs.push(Instr::Val {
                    op: ValOp::Bin(op),
                    l: a,
                    r: b,
                    out,
                });
                Ok(Value::Scalar(Src::Buf(out)))
            }
            (Value::Vector(v), Value::Scalar(s)) => {
                self.vector_scalar(op, v, s, false, return_bool, at)
            }
            (Value::Scalar(s), Value::Vector(v)) => {
                self.vector_scalar(op, v, s, true, return_bool, at)
            }
            (Value::Vector(a), Value::Vector(b)) => {
                let default = Matching::default();
                let matching = matching.unwrap_or(&default);
                if op.is_set() {
                    if matching.group.is_some() {
                        return Err(fail(
                            at,
                            "group_left/group_right cannot be used with set operators",
                        ));
                    }
                    Ok(Value::Vector(self.set_op(op, a, b, matching)))
                } else {
                    self.vector_vector(op, a, b, matching, return_bool, at)
                }
            }
        }
    }

    fn vector_scalar(
        &mut self,
        op: BinOp,
        v: Vec<Series>,
        s: Src,
        scalar_left: bool,
        return_bool: bool,
        at: usize,
    ) -> std::result::Result<Value, Fail> {
        if op.is_set() {
            return Err(fail(
                at,
                format!("`{}` needs vectors on both sides", op.as_str()),
            ));
        }
        let operands = |x: u32| {
            if scalar_left {
                (s, Src::Buf(x))
            } else {
                (Src::Buf(x), s)
            }
        };
        let mut out = Vec::with_capacity(v.len());
        for series in v {
            let (l, r) = operands(series.col.val);
            if op.is_comparison() && !return_bool {
                let mask = self.mask();
                self.instrs.push(Instr::Cmp {
                    op,
                    l,
                    r,
                    base: [series.col.mask, 0],
                    out: mask,
                });
                out.push(Series {
                    labels: series.labels,
                    col: Col {
                        val: series.col.val,
                        mask,
                    },
                });
            } else {
                let val = self.val();
                self.instrs.push(Instr::Val {
                    op: ValOp::Bin(op),
                    l,
                    r,
                    out: val,
                });
                out.push(Series {
                    labels: without_name(&series.labels),
                    col: Col {
                        val,
                        mask: series.col.mask,
                    },
                });
            }
        }
        Ok(Value::Vector(out))
    }

    fn set_op(
        &mut self,
        op: BinOp,
        a: Vec<Series>,
        b: Vec<Series>,
        matching: &Matching,
    ) -> Vec<Series> {
        let sig_b: Vec<Vec<(String, String)>> =
            b.iter().map(|s| signature(&s.labels, matching)).collect();
        let sig_a: Vec<Vec<(String, String)>> =
            a.iter().map(|s| signature(&s.labels, matching)).collect();
        let masks_matching = |sig: &Vec<(String, String)>,
                              sigs: &[Vec<(String, String)>],
                              series: &[Series]|
         -> Vec<u32> {
            sigs.iter()
                .zip(series)
                .filter(|(s, _)| *s == sig)
                .map(|(_, x)| x.col.mask)
                .collect()
        };
        match op {
            BinOp::And | BinOp::Unless => {
                let mut out = Vec::new();
                for (s, sig) in a.into_iter().zip(&sig_a) {
                    let others = masks_matching(sig, &sig_b, &b);
                    if op == BinOp::And && others.is_empty() {
                        continue;
                    }
                    if op == BinOp::Unless && others.is_empty() {
                        out.push(s);
                        continue;
                    }
                    let mask = if op == BinOp::And && others.len() == 1 {
                        self.both(s.col.mask, others.first().copied().unwrap_or(0))
                    } else {
                        let mask = self.mask();
                        self.instrs.push(Instr::MaskAny {
                            base: s.col.mask,
                            others,
                            negate: op == BinOp::Unless,
                            out: mask,
                        });
                        mask
                    };
                    out.push(Series {
                        labels: s.labels,
                        col: Col {
                            val: s.col.val,
                            mask,
                        },
                    });
                }
                out
            }
            _ => {
                // `or`: every left series, then right series where no left series with the same
                // signature is present.
                let mut out = Vec::with_capacity(a.len() + b.len());
                for (s, sig) in b.into_iter().zip(&sig_b) {
                    let others = masks_matching(sig, &sig_a, &a);
                    if others.is_empty() {
                        out.push(s);
                        continue;
                    }
                    let mask = self.mask();
                    self.instrs.push(Instr::MaskAny {
                        base: s.col.mask,
                        others,
                        negate: true,
                        out: mask,
                    });
                    out.push(Series {
                        labels: s.labels,
                        col: Col {
                            val: s.col.val,
                            mask,
                        },
                    });
                }
                let mut all = a;
                all.extend(out);
                all
            }
        }
    }

    fn vector_vector(
        &mut self,
        op: BinOp,
        a: Vec<Series>,
        b: Vec<Series>,
        matching: &Matching,
        return_bool: bool,
        at: usize,
    ) -> std::result::Result<Value, Fail> {
        // The "many" side is iterated; the "one" side must be unique per signature.
        let (many, one, swapped) = match matching.group {
            Some((GroupSide::Right, _)) => (b, a, true),
            _ => (a, b, false),
        };
        let mut one_by_sig: HashMap<Vec<(String, String)>, usize> = HashMap::new();
        for (i, s) in one.iter().enumerate() {
            if one_by_sig
                .insert(signature(&s.labels, matching), i)
                .is_some()
            {
                return Err(fail(
                    at,
                    "several series on the one side share the same matching labels: the replay cannot tell at compile time which one Prometheus would match",
                ));
            }
        }
        let include: &[String] = matching.group.as_ref().map_or(&[], |(_, l)| l.as_slice());
        let mut out: Vec<Series> = Vec::new();
        for m in many {
            let sig = signature(&m.labels, matching);
            let Some(&j) = one_by_sig.get(&sig) else {
                continue;
            };
            let Some(o) = one.get(j) else { continue };
            let (lc, rc) = if swapped {
                (o.col, m.col)
            } else {
                (m.col, o.col)
            };
            let mut labels = m.labels.clone();
            if !op.is_comparison() || return_bool {
                labels.remove(NAME);
            }
            if matching.group.is_none() {
                if matching.on {
                    labels.retain(|k, _| matching.labels.iter().any(|l| l == k));
                } else {
                    labels.retain(|k, _| !matching.labels.iter().any(|l| l == k));
                }
            }
            for ln in include {
                match o.labels.get(ln) {
                    Some(v) if !v.is_empty() => {
                        labels.insert(ln.clone(), v.clone());
                    }
                    _ => {
                        labels.remove(ln);
                    }
                }
            }
            if out.iter().any(|s| s.labels == labels) && matching.group.is_none() {
                return Err(fail(
                    at,
                    "several series match the same series on the other side: many-to-one matching needs group_left or group_right",
                ));
            }
            let col = if op.is_comparison() && !return_bool {
                let mask = self.mask();
                self.instrs.push(Instr::Cmp {
                    op,
                    l: Src::Buf(lc.val),
                    r: Src::Buf(rc.val),
                    base: [lc.mask, rc.mask],
                    out: mask,
                });
                Col { val: lc.val, mask }
            } else {
                let val = self.val();
                self.instrs.push(Instr::Val {
                    op: ValOp::Bin(op),
                    l: Src::Buf(lc.val),
                    r: Src::Buf(rc.val),
                    out: val,
                });
                let mask = self.both(lc.mask, rc.mask);
                Col { val, mask }
            };
            out.push(Series { labels, col });
        }
        Ok(Value::Vector(out))
    }
}

fn unparen(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(inner) => unparen(inner),
        other => other,
    }
}

/// Every metric name an expression's selectors name.
pub(super) fn names_read(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Selector(s) => {
            if let Some(n) = &s.name {
                out.push(n.clone());
            }
            for m in &s.matchers {
                if m.name() == NAME && m.op() == MatchOp::Equal {
                    out.push(m.value().to_owned());
                }
            }
        }
        Expr::Call { args, .. } => args.iter().for_each(|a| names_read(a, out)),
        Expr::Aggregate { param, expr, .. } => {
            if let Some(p) = param {
                names_read(p, out);
            }
            names_read(expr, out);
        }
        Expr::Binary { lhs, rhs, .. } => {
            names_read(lhs, out);
            names_read(rhs, out);
        }
        Expr::Negate { expr, .. } | Expr::Paren(expr) => names_read(expr, out),
        Expr::Number { .. } | Expr::String { .. } | Expr::Subquery { .. } => {}
    }
}
