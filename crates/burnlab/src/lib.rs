//! The pure core of burnlab: SLO burn-rate math, Prometheus rules from an SLO spec, the
//! Alertmanager model, and the incident replay through both. Every front (the `burnlab`
//! command, the browser fronts through `burnlab-protocol`) calls it; none of them holds math,
//! routing logic or YAML building of its own.
//!
//! The modules, lowest first:
//! - foundations: [`error`] (the one `Error`, with field, line and column), [`duration`],
//!   [`numeric`] (the rounding every derived figure gets), [`format`](mod@format) (numbers as
//!   people and tools read them), [`limits`] (every bound on hostile input), [`yaml`] (the one
//!   YAML reader and writer), [`gotemplate`] (Go template parsing);
//! - SLO math: [`slo`] (checked objective, period, ratios, budget), [`tiers`] (multiwindow
//!   tiers and the published sets), [`quality`] (detection, reset, budget spent), [`explain`],
//!   [`report`] (the calculator's whole answer);
//! - rules: [`rules`] (specs, generation, rule files, runbooks, lint);
//! - Alertmanager: [`alertmanager`] (config, routing, inhibition, silences, time intervals,
//!   generation), [`tester`] (one alert's fate as typed), [`intent`] (a routing intent as
//!   typed), [`hygiene`] (rules joined with a config);
//! - [`replay`]: a traffic scenario through rules and Alertmanager over time.
//!
//! Architecture invariant: this crate does no I/O, never reads the clock and depends on no web
//! crate and no wire encoding. Time is always an argument.

pub mod alertmanager;
pub mod duration;
pub mod error;
pub mod explain;
pub mod format;
pub mod gotemplate;
pub mod hygiene;
pub mod intent;
pub mod limits;
pub mod numeric;
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
