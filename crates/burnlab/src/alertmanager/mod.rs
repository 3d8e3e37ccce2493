//! Alertmanager in the core: its configuration with Alertmanager's own validation, label
//! matchers, the routing tree, and (as pure functions of an instant) inhibition, silences and
//! time intervals.
//!
//! The semantics follow Alertmanager's source (config/config.go, dispatch/route.go,
//! pkg/labels, matcher/parse, inhibit, silence, timeinterval) and are checked against the real
//! `amtool` in the oracle tests.

pub mod config;
pub mod generate;
pub mod inhibit;
pub mod lint;
pub mod matchers;
pub mod render;
pub mod routing;
pub mod silence;
pub mod testgen;
pub mod timeinterval;
