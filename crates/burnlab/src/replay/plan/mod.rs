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
//!
//! The files, by what they do:
//! - `ir` — the instruction set the evaluator runs ([`Col`], [`Src`], [`Instr`] and the
//!   operations they name) and the compiled [`Plan`] with its [`AlertPlan`]s; also
//!   [`scalar_binop`], the arithmetic of a binary instruction on one pair of values;
//! - `lower` — one PromQL expression lowered to instructions: selectors, functions,
//!   aggregations, binary operators and their label matching; where in the file an error in an
//!   expression is; the metric names an expression reads;
//! - `schedule` — [`compile`]: the rules in dependency order, which instant of a recorded
//!   series each rule reads, recorded series and alert label sets (`{{ $labels.x }}` expanded
//!   there), and [`keep_firing_for`], read from the rule file's text.
//!
//! [`NAME`] and [`series_text`] are here, with the public API, since all three parts and the
//! rest of the replay use them.
//!
//! Lowering sees the schedule only through one question, asked of each selector: which
//! recorded series match, and does the rule being lowered read this instant's value of each or
//! the previous evaluation's.

mod ir;
mod lower;
mod schedule;

pub use ir::{
    AggOp, AlertPlan, Col, Func, InstancePlan, Instr, Plan, RangeFn, Src, ValOp, scalar_binop,
};
pub use schedule::{KeepFiring, compile, keep_firing_for};

use crate::alertmanager::matchers::{self, Labels};

/// The label holding a series' name.
pub const NAME: &str = "__name__";

/// The labels of a series written as Prometheus prints them: `name{a="x", b="y"}`, values
/// quoted as Go quotes strings, which PromQL (and promtool's test series) read back.
pub fn series_text(labels: &Labels) -> String {
    let name = labels.get(NAME).map_or("", String::as_str);
    let rest = matchers::label_set(labels.iter().filter(|(k, _)| k.as_str() != NAME));
    format!("{name}{rest}")
}
