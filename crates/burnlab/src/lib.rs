//! The pure core of burnlab: SLO burn-rate math, and (as it grows) the Prometheus rule and
//! Alertmanager models that the web page and the CLI both call.
//!
//! Architecture invariant: this crate does no I/O, never reads the clock and depends on no web
//! crate. Time is always an argument.

pub mod duration;
pub mod error;
pub mod format;
pub mod slo;

pub use duration::Duration;
pub use error::{Error, Result};
pub use slo::{BudgetReport, BurnRate, ErrorBudget, ErrorRatio, Objective};
