//! Compiling a rule file to a plan of column operations.
//!
//! Every series the replay can see has labels known before it runs: the scenario's counters
//! have fixed labels, and each PromQL operation's output labels follow from its inputs' labels
//! alone. Only whether a series is present at an instant changes (a rate needs two samples, a
//! comparison filters, `and` keeps what matches). So compiling resolves every selector, every
//! label match of `on`/`ignoring`/`and`/`or`, every aggregation group and every alert's label
//! set once; what is left is a list of instructions over columns, each a value buffer and a
//! presence buffer over a chunk of evaluation instants, that [`super::eval`] runs without
//! looking at a label again.
//!
//! Rules run in the order Prometheus runs them: groups in file order, rules in order, at the
//! same instant; a rule reading a series recorded earlier at the same instant sees this
//! instant's value, one reading a series recorded later sees the previous evaluation's (if it
//! is within the lookback). Instructions are emitted in dependency order, so a whole chunk of
//! instants can be computed one instruction at a time.

use std::collections::HashMap;

use crate::alertmanager::matchers::{Labels, MatchOp, Matcher};
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::replay::promql::{self, BinOp, Expr, GroupSide, Grouping, Matching, Selector};
use crate::rules::model::{RuleFile, RuleKind};

/// The label holding a series' name.
pub const NAME: &str = "__name__";

/// A column: one value buffer and one presence buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Col {
    /// Value buffer index.
    pub val: u32,
    /// Presence buffer index (0 is the always-present buffer).
    pub mask: u32,
}

/// A scalar operand: a constant or a value buffer (scalars are always present).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Src {
    /// A value buffer.
    Buf(u32),
    /// A constant.
    Const(f64),
}

/// Functions over a range of samples of an input counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeFn {
    /// `rate`.
    Rate,
    /// `increase`.
    Increase,
    /// `delta`.
    Delta,
    /// `irate`.
    Irate,
}

/// Element-wise value operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValOp {
    /// A binary arithmetic operator or a comparison returning 1 or 0 (`bool`).
    Bin(BinOp),
    /// A function of one value (and constant parameters).
    Func(Func),
}

/// Element-wise functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `abs`
    Abs,
    /// `ceil`
    Ceil,
    /// `floor`
    Floor,
    /// `sqrt`
    Sqrt,
    /// `exp`
    Exp,
    /// `ln`
    Ln,
    /// `log2`
    Log2,
    /// `log10`
    Log10,
    /// `sgn`
    Sgn,
    /// `-x`
    Neg,
    /// `clamp_min(x, min)` with the bound in the right operand.
    ClampMin,
    /// `clamp_max(x, max)`.
    ClampMax,
}

/// Aggregation operators the replay evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggOp {
    /// `sum`
    Sum,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `avg`
    Avg,
    /// `count`
    Count,
    /// `group`
    Group,
}

/// One instruction over a chunk of evaluation instants.
#[derive(Debug, Clone, PartialEq)]
pub enum Instr {
    /// A range function over input counters, all with the same range: the window's sample
    /// positions and extrapolation are worked out once per instant for all of them.
    Range {
        /// The range.
        range_ms: i64,
        /// Which function.
        func: RangeFn,
        /// Input series index and where its result goes.
        io: Vec<(u32, Col)>,
    },
    /// An input counter's latest sample within the lookback.
    Instant {
        /// Input series index.
        input: u32,
        /// Where it goes.
        out: Col,
    },
    /// A recorded series as it was at the previous evaluation.
    Shift {
        /// The recording's column.
        src: Col,
        /// The shifted column.
        out: Col,
        /// The slot holding the last value of the previous chunk.
        carry: u32,
    },
    /// `out = l op r` element-wise.
    Val {
        /// The operation.
        op: ValOp,
        /// Left operand.
        l: Src,
        /// Right operand.
        r: Src,
        /// Output value buffer.
        out: u32,
    },
    /// `out = a & b & (l op r)` for a comparison `op`.
    Cmp {
        /// The comparison.
        op: BinOp,
        /// Left value.
        l: Src,
        /// Right value.
        r: Src,
        /// Presence buffers that must both hold.
        base: [u32; 2],
        /// Output presence buffer.
        out: u32,
    },
    /// `out = base & (any of others)`, or `base & !(any of others)` when `negate`.
    MaskAny {
        /// The presence that is filtered.
        base: u32,
        /// The presences tested.
        others: Vec<u32>,
        /// Keep where none of `others` is present.
        negate: bool,
        /// Output presence buffer.
        out: u32,
    },
    /// An aggregation over several columns into one.
    Agg {
        /// The operator.
        op: AggOp,
        /// The aggregated columns, in series order.
        inputs: Vec<Col>,
        /// The result.
        out: Col,
    },
    /// `scalar(v)`: the value of the only present series, else NaN.
    Scalar {
        /// The vector's columns.
        inputs: Vec<Col>,
        /// Output value buffer.
        out: u32,
    },
    /// `time()`.
    Time {
        /// Output value buffer.
        out: u32,
    },
    /// The first present of several columns that end up with the same labels.
    Coalesce {
        /// The columns.
        inputs: Vec<Col>,
        /// The result.
        out: Col,
    },
}

/// One alert instance: a label set the alerting rule can produce.
#[derive(Debug, Clone, PartialEq)]
pub struct InstancePlan {
    /// The alert's labels: the series' labels without its name, the rule's labels, `alertname`.
    pub labels: Labels,
    /// The columns whose presence makes it active (several only when `or` branches meet).
    pub cols: Vec<Col>,
}

/// An alerting rule, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertPlan {
    /// The alert name.
    pub name: String,
    /// `for`, in milliseconds.
    pub for_ms: i64,
    /// `keep_firing_for`, in milliseconds.
    pub keep_firing_ms: i64,
    /// Its label sets.
    pub instances: Vec<InstancePlan>,
    /// The longest range it reads, through recordings too: how long after errors it may fire.
    pub max_range_ms: i64,
    /// Group index and rule index in the file.
    pub position: (usize, usize),
}

/// A compiled rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The input series' labels, in the order the runner supplies their samples.
    pub inputs: Vec<Labels>,
    /// Instructions in dependency order.
    pub instrs: Vec<Instr>,
    /// Value buffers whose content is constant: filled once per run.
    pub consts: Vec<(u32, f64)>,
    /// How many value buffers.
    pub n_vals: u32,
    /// How many presence buffers (buffer 0 is always present).
    pub n_masks: u32,
    /// How many carry slots the shifts use.
    pub n_carries: u32,
    /// The alerting rules, in file order.
    pub alerts: Vec<AlertPlan>,
    /// Rules reading series that nothing provides, with where.
    pub warnings: Vec<String>,
    /// Every group's `interval`, if set, with the group's name and line.
    pub group_intervals: Vec<(String, usize, Duration)>,
}

/// `keep_firing_for` per group and rule, which the rule-file model does not keep.
pub type KeepFiring = Vec<Vec<Option<Duration>>>;

/// Maps a byte offset in a rule's expression to a line and column of the file.
struct Locator<'a> {
    source: &'a str,
}

impl Locator<'_> {
    fn at(&self, expr_at: (usize, usize), expr: &str, offset: usize) -> (usize, usize) {
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
enum Value {
    Scalar(Src),
    Vector(Vec<Series>),
    Str,
}

#[derive(Debug, Clone)]
struct Series {
    labels: Labels,
    col: Col,
}

/// A recording rule's output series, for selectors to find.
#[derive(Debug, Clone)]
struct Recorded {
    labels: Labels,
    col: Col,
    /// Position of the rule in evaluation order.
    order: usize,
    max_range_ms: i64,
}

/// A located compile error about a part of an expression.
struct Fail {
    at: usize,
    message: String,
}

fn fail(at: usize, message: impl Into<String>) -> Fail {
    Fail {
        at,
        message: message.into(),
    }
}

struct Compiler<'a> {
    inputs: &'a [Labels],
    recorded: Vec<Recorded>,
    instrs: Vec<Instr>,
    consts: Vec<(u32, f64)>,
    n_vals: u32,
    n_masks: u32,
    n_carries: u32,
    order: usize,
    range_memo: HashMap<(u32, i64, RangeFn), Col>,
    /// The instruction computing each (range, function), to which more inputs are added.
    range_instr: HashMap<(i64, RangeFn), usize>,
    shift_memo: HashMap<Col, Col>,
    max_range_ms: i64,
    missing: Vec<(usize, String)>,
}

fn without_name(labels: &Labels) -> Labels {
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

impl Compiler<'_> {
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
        let found: Vec<Recorded> = self
            .recorded
            .iter()
            .filter(|r| ms.iter().all(|m| m.matches(&r.labels)))
            .cloned()
            .collect();
        for r in found {
            self.max_range_ms = self.max_range_ms.max(r.max_range_ms);
            let col = if r.order < self.order {
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
            if let Some(r) = self
                .recorded
                .iter()
                .find(|r| ms.iter().all(|m| m.matches(&r.labels)))
            {
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
                let val = match s {
                    Src::Buf(b) => b,
                    Src::Const(c) => {
                        let b = self.val();
                        self.consts.push((b, c));
                        b
                    }
                };
                Ok(Value::Vector(vec![Series {
                    labels: Labels::new(),
                    col: Col { val, mask: 0 },
                }]))
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

/// Scalar arithmetic exactly as Prometheus's `scalarBinop`.
pub fn scalar_binop(op: BinOp, l: f64, r: f64) -> f64 {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    match op {
        BinOp::Add => l + r,
        BinOp::Sub => l - r,
        BinOp::Mul => l * r,
        BinOp::Div => l / r,
        BinOp::Pow => l.powf(r),
        BinOp::Mod => l % r,
        BinOp::Atan2 => l.atan2(r),
        BinOp::Eq => b(l == r),
        BinOp::Ne => b(l != r),
        BinOp::Gt => b(l > r),
        BinOp::Lt => b(l < r),
        BinOp::Ge => b(l >= r),
        BinOp::Le => b(l <= r),
        BinOp::And | BinOp::Or | BinOp::Unless => f64::NAN,
    }
}

/// Every metric name an expression's selectors name.
fn names_read(e: &Expr, out: &mut Vec<String>) {
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

/// Expands a rule label's value: literal text, or `{{ $labels.name }}` references.
fn expand_label(value: &str, labels: &Labels) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 2..).unwrap_or("");
        let Some(close) = after.find("}}") else {
            return Err("has an unclosed `{{`".into());
        };
        let inner = after
            .get(..close)
            .unwrap_or("")
            .trim()
            .trim_matches('-')
            .trim();
        let Some(name) = inner
            .strip_prefix("$labels.")
            .or(inner.strip_prefix(".Labels."))
        else {
            return Err(format!(
                "uses the template `{{{{ {inner} }}}}`: only {{{{ $labels.name }}}} is supported in labels by the replay"
            ));
        };
        out.push_str(labels.get(name).map_or("", String::as_str));
        rest = after.get(close + 2..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// Compiles `file` (read from `source`, for locations) against the input series `inputs`.
pub fn compile(
    file: &RuleFile,
    keep_firing: &KeepFiring,
    source: &str,
    inputs: &[Labels],
) -> Result<Plan> {
    let locator = Locator { source };
    // Parse every expression first, for dependencies.
    struct Parsed<'r> {
        group: usize,
        index: usize,
        rule: &'r crate::rules::model::Rule,
        expr: Expr,
        reads: Vec<String>,
    }
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    let mut group_intervals = Vec::new();
    for (gi, g) in file.groups.iter().enumerate() {
        if let Some(i) = g.interval {
            group_intervals.push((g.name.clone(), g.line, i));
        }
        for (ri, rule) in g.rules.iter().enumerate() {
            let expr = promql::parse(&rule.expr).map_err(|e| {
                let (l, c) = locator.at(rule.expr_at, &rule.expr, e.at);
                located(rule.name(), e.message, l, c)
            })?;
            let mut reads = Vec::new();
            names_read(&expr, &mut reads);
            parsed.push(Parsed {
                group: gi,
                index: ri,
                rule,
                expr,
                reads,
            });
        }
    }
    // Dependency order: a rule after every recording rule it reads.
    let n = parsed.len();
    let records: Vec<Option<&str>> = parsed
        .iter()
        .map(|p| match &p.rule.kind {
            Some(RuleKind::Record(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let deps: Vec<Vec<usize>> = parsed
        .iter()
        .map(|p| {
            (0..n)
                .filter(|&j| {
                    records
                        .get(j)
                        .copied()
                        .flatten()
                        .is_some_and(|r| p.reads.iter().any(|x| x == r))
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the stack, 2 done
    for start in 0..n {
        if state.get(start).copied() != Some(0) {
            continue;
        }
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        // Iterative depth-first search: (rule, next dependency to visit).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((node, next)) = stack.last().copied() {
            match deps.get(node).and_then(|d| d.get(next)).copied() {
                Some(dep) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match state.get(dep).copied() {
                        Some(0) => {
                            if let Some(s) = state.get_mut(dep) {
                                *s = 1;
                            }
                            stack.push((dep, 0));
                        }
                        Some(1) => {
                            let p = parsed.get(node);
                            let (name, at) =
                                p.map_or(("", (0, 0)), |p| (p.rule.name(), p.rule.expr_at));
                            let via = parsed.get(dep).map_or("", |p| p.rule.name());
                            return Err(located(
                                name,
                                format!(
                                    "reads `{via}`, which depends on this rule's own result: the replay does not evaluate such cycles"
                                ),
                                at.0,
                                at.1,
                            ));
                        }
                        _ => {}
                    }
                }
                None => {
                    if let Some(s) = state.get_mut(node) {
                        *s = 2;
                    }
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    let mut c = Compiler {
        inputs,
        recorded: Vec::new(),
        instrs: Vec::new(),
        consts: Vec::new(),
        n_vals: 0,
        n_masks: 1,
        n_carries: 0,
        order: 0,
        range_memo: HashMap::new(),
        range_instr: HashMap::new(),
        shift_memo: HashMap::new(),
        max_range_ms: 0,
        missing: Vec::new(),
    };
    let mut alerts: Vec<(usize, AlertPlan)> = Vec::new();
    let mut warnings = Vec::new();
    // Series nothing provides, with the rules that read them.
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    let mut rule_range: Vec<i64> = vec![0; n];
    for &i in &order {
        let Some(p) = parsed.get(i) else { continue };
        let rule = p.rule;
        c.order = i;
        c.max_range_ms = 0;
        c.missing.clear();
        let value = c.expr(&p.expr).map_err(|f| {
            let (l, col) = locator.at(rule.expr_at, &rule.expr, f.at);
            located(rule.name(), f.message, l, col)
        })?;
        for (at, name) in c.missing.drain(..) {
            let (l, col) = locator.at(rule.expr_at, &rule.expr, at);
            let place = format!("`{}` (line {l}, column {col})", rule.name());
            match missing.iter_mut().find(|(n, _)| *n == name) {
                Some((_, places)) => {
                    if !places
                        .iter()
                        .any(|p: &String| p.starts_with(&format!("`{}`", rule.name())))
                    {
                        places.push(place);
                    }
                }
                None => missing.push((name, vec![place])),
            }
        }
        if let Some(r) = rule_range.get_mut(i) {
            *r = c.max_range_ms;
        }
        let series = match value {
            Value::Vector(v) => v,
            Value::Scalar(s) => {
                let val = match s {
                    Src::Buf(b) => b,
                    Src::Const(k) => {
                        let b = c.val();
                        c.consts.push((b, k));
                        b
                    }
                };
                vec![Series {
                    labels: Labels::new(),
                    col: Col { val, mask: 0 },
                }]
            }
            Value::Str => {
                return Err(located(
                    rule.name(),
                    "the expression is a string: a rule needs a number or a vector",
                    rule.expr_at.0,
                    rule.expr_at.1,
                ));
            }
        };
        match &rule.kind {
            Some(RuleKind::Record(name)) => {
                let mut grouped: Vec<(Labels, Vec<Col>)> = Vec::new();
                for s in series {
                    let mut labels = s.labels;
                    labels.insert(NAME.to_owned(), name.clone());
                    for (k, v) in &rule.labels {
                        labels.insert(k.clone(), v.clone());
                    }
                    match grouped.iter_mut().find(|(l, _)| *l == labels) {
                        Some((_, cols)) => cols.push(s.col),
                        None => grouped.push((labels, vec![s.col])),
                    }
                }
                for (labels, cols) in grouped {
                    let col = match cols.as_slice() {
                        [one] => *one,
                        _ => {
                            let out = Col {
                                val: c.val(),
                                mask: c.mask(),
                            };
                            c.instrs.push(Instr::Coalesce { inputs: cols, out });
                            out
                        }
                    };
                    c.recorded.push(Recorded {
                        labels,
                        col,
                        order: i,
                        max_range_ms: c.max_range_ms,
                    });
                }
            }
            Some(RuleKind::Alert(name)) => {
                let mut instances: Vec<InstancePlan> = Vec::new();
                for s in series {
                    let mut labels = without_name(&s.labels);
                    for (k, v) in &rule.labels {
                        let value = expand_label(v, &s.labels).map_err(|m| {
                            located(rule.name(), format!("label `{k}` {m}"), rule.line, 1)
                        })?;
                        if value.is_empty() {
                            labels.remove(k);
                        } else {
                            labels.insert(k.clone(), value);
                        }
                    }
                    labels.insert("alertname".to_owned(), name.clone());
                    match instances.iter_mut().find(|x| x.labels == labels) {
                        Some(x) => x.cols.push(s.col),
                        None => instances.push(InstancePlan {
                            labels,
                            cols: vec![s.col],
                        }),
                    }
                }
                let kf = keep_firing
                    .get(p.group)
                    .and_then(|g| g.get(p.index))
                    .copied()
                    .flatten();
                alerts.push((
                    i,
                    AlertPlan {
                        name: name.clone(),
                        for_ms: rule.for_duration.map_or(0, |d| d.as_millis() as i64),
                        keep_firing_ms: kf.map_or(0, |d| d.as_millis() as i64),
                        instances,
                        max_range_ms: c.max_range_ms,
                        position: (p.group, p.index),
                    },
                ));
            }
            None => {}
        }
    }
    for (name, places) in missing {
        warnings.push(format!(
            "`{name}` is read by rule {}, but neither the scenario's series nor any recording rule provides it: it is always empty",
            places.join(", ")
        ));
    }
    alerts.sort_by_key(|(i, _)| *i);
    Ok(Plan {
        inputs: inputs.to_vec(),
        instrs: c.instrs,
        consts: c.consts,
        n_vals: c.n_vals,
        n_masks: c.n_masks,
        n_carries: c.n_carries,
        alerts: alerts.into_iter().map(|(_, a)| a).collect(),
        warnings,
        group_intervals,
    })
}

fn located(rule: &str, message: impl Into<String>, line: usize, column: usize) -> Error {
    let e = Error::field(format!("rule `{rule}`"), message);
    if line == 0 { e } else { e.at(line, column) }
}

/// Reads `keep_firing_for` of every rule from the rule file's text (the rule-file model reads
/// and checks it but does not keep it).
pub fn keep_firing_for(source: &str) -> Result<KeepFiring> {
    let Some(root) = crate::yaml::parse(source, "rules")? else {
        return Ok(Vec::new());
    };
    let groups_node = root
        .get("spec")
        .filter(|_| root.get("kind").is_some())
        .unwrap_or(&root)
        .get("groups");
    let mut out = Vec::new();
    for g in groups_node.and_then(|g| g.items()).unwrap_or(&[]) {
        let mut rules = Vec::new();
        for r in g.get("rules").and_then(|r| r.items()).unwrap_or(&[]) {
            let kf = match r.get("keep_firing_for").and_then(|k| k.scalar()) {
                Some(t) => Some(Duration::parse(t, "keep_firing_for")?),
                None => None,
            };
            rules.push(kf);
        }
        out.push(rules);
    }
    Ok(out)
}

/// The labels of a series written as PromQL does: `name{a="x", b="y"}`.
pub fn series_text(labels: &Labels) -> String {
    let name = labels.get(NAME).map_or("", String::as_str);
    let inner: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != NAME)
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{name}{{{}}}", inner.join(", "))
}
