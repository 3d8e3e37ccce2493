//! Prometheus rules from an SLO spec: reading Sloth's `prometheus/v1` specs with burnlab's
//! additions ([`spec`]), generating recording and multiwindow alerting rules as a rule file or a
//! PrometheusRule manifest ([`generate`]), and the names they use ([`conventions`]).

pub mod conventions;
pub mod generate;
#[cfg(feature = "promql")]
pub mod lint;
pub mod model;
mod read;
pub mod spec;

pub use generate::{Format, Grouping, Options};
pub use model::{Group, Rule, RuleFile, RuleKind};
pub use read::Located;
pub use spec::{RawSpec, Sli, Slo, Spec};

use crate::error::Result;

/// The page's and the CLI's one call: spec text in, rule file or manifest text out.
pub fn rules_from_spec(spec_text: &str, options: Options, format: Format) -> Result<String> {
    Ok(generate::render(&Spec::parse(spec_text)?, options, format))
}
