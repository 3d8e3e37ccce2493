//! Prometheus rules from an SLO spec: reading Sloth's `prometheus/v1` specs with burnlab's
//! additions ([`sloth`]) or OpenSLO v1 SLOs ([`openslo`]) into the raw spec ([`raw`]) and
//! validating it ([`spec`]), generating recording and multiwindow alerting rules as a rule file
//! or a PrometheusRule manifest ([`generate`]), the names they use ([`conventions`]), runbook
//! skeletons ([`runbook`]), a form's fields ([`form`]) and, with the `promql` feature, a linter for any rule file (`lint`).

pub mod conventions;
pub mod form;
pub mod generate;
#[cfg(feature = "promql")]
pub mod lint;
pub mod model;
pub mod openslo;
pub mod raw;
mod read;
pub mod runbook;
pub mod sloth;
pub mod spec;

pub use generate::{Format, Grouping, Options};
pub use model::{Group, Rule, RuleFile, RuleKind};
pub use raw::RawSpec;
pub use read::Located;
pub use spec::{Sli, Slo, Spec};

use crate::error::Result;

/// The one call every front makes: spec text in, rule file or manifest text out.
pub fn rules_from_spec(spec_text: &str, options: Options, format: Format) -> Result<String> {
    Ok(generate::render(&Spec::parse(spec_text)?, options, format))
}

/// Spec text in, the runbook of each generated alert out (Markdown).
pub fn runbooks_from_spec(spec_text: &str, options: Options) -> Result<Vec<runbook::Runbook>> {
    Ok(runbook::runbooks(&Spec::parse(spec_text)?, options))
}
