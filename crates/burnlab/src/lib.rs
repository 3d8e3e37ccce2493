//! The pure core of burnlab: SLO burn-rate math, and (as it grows) the Prometheus rule and
//! Alertmanager models that the web page and the CLI both call.
//!
//! Architecture invariant: this crate does no I/O, never reads the clock and depends on no web
//! crate. Time is always an argument.

pub mod alertmanager;
pub mod duration;
pub mod error;
pub mod explain;
pub mod format;
pub mod gotemplate;
pub mod hostile;
pub mod hygiene;
pub mod intent;
pub mod limits;
pub mod quality;
pub mod replay;
pub mod report;
pub mod rules;
pub mod slo;
pub mod tester;
pub mod tiers;
pub mod yaml;

pub use duration::Duration;
pub use error::{Error, Result};
pub use explain::Explanation;
pub use quality::{IncidentImpact, SingleFailure, Sweep, TierQuality};
pub use report::{BudgetInput, BudgetReport, TierReport};
pub use slo::{BurnRate, ErrorBudget, ErrorRatio, Objective, Period, RequestRate};
pub use tiers::{Preset, Scaling, Severity, Tier, TierSet};
