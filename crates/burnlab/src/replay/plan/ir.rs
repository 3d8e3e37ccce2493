//! The instruction set [`crate::replay::eval`] runs, and the compiled [`Plan`] that carries it.
//!
//! A column is a value buffer and a presence buffer over a chunk of evaluation instants
//! ([`Col`]); scalars are a constant or a value buffer ([`Src`]). Each [`Instr`] reads columns
//! written by instructions before it and writes new ones, so a plan runs one instruction at a
//! time over a whole chunk. The plan also holds what the alert model needs of each alerting
//! rule ([`AlertPlan`], [`InstancePlan`]): which columns make which label set active.
//!
//! [`scalar_binop`] is here because it is what `Val` with a binary operator computes for one
//! pair of values: lowering folds constants through it, so a folded constant and a computed
//! one agree.

use crate::alertmanager::matchers::Labels;
use crate::duration::Duration;
use crate::replay::promql::BinOp;

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
