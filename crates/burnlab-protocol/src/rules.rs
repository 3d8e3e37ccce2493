//! The Rules section's messages, and the one description of where rules come from
//! ([`RulesInput`]) that the Rules, Routing (hygiene table) and Replay requests all carry.

use burnlab::Error;
use burnlab::rules::form::SpecForm;
use serde::{Deserialize, Serialize};

use crate::views::SloView;

/// Where rules come from: the Rules section's three sources, each with what every reader of
/// them needs (the Rules section shows them, the hygiene table routes their alerts, the replay
/// runs them against a scenario).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RulesInput {
    /// The Rules section's form on the page's SLO context: its SLI, objective, period and
    /// tiers, and the rules generated from them.
    Form {
        /// The form's fields.
        form: Box<SpecForm>,
        /// Objective, period and tiers.
        slo: SloView,
    },
    /// A pasted Sloth or OpenSLO spec and its generated rules.
    Spec {
        /// The spec's text.
        text: String,
        /// Which SLO a replay runs; the first when `None`.
        slo: Option<String>,
    },
    /// A pasted rule file or PrometheusRule: shown and linted as it is, and replayed against
    /// the form's SLI and objective (a rule file says nothing about which counters it reads as
    /// requests and failures).
    File {
        /// The rule file's text.
        text: String,
        /// The form whose SLI a scenario feeds.
        form: Box<SpecForm>,
        /// Objective, period and tiers.
        slo: SloView,
    },
}

/// What the Rules section asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesRequest {
    /// The rules.
    pub input: RulesInput,
    /// A PrometheusRule manifest rather than a rule file.
    pub prometheus_rule: bool,
}

/// One lint finding of a rule file, located by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFinding {
    /// `error` or `warning`.
    pub level: String,
    /// The check's stable name, `undefined-series`.
    pub check: String,
    /// The rule, when one is at fault.
    pub rule: String,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub fix: String,
}

/// The rules generated (or pasted), ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesView {
    /// The YAML, exactly as generated or pasted.
    pub yaml: String,
    /// The same rules as a plain rule file.
    pub rule_file: String,
    /// `(alert, Markdown)` for each alert of generated rules.
    pub runbooks: Vec<(String, String)>,
    /// How many alerts the rules raise.
    pub alerts: usize,
    /// The spec the form stands for (form source only), for "edit as a spec".
    pub spec_yaml: Option<String>,
}

/// The answer to a [`RulesRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesAnswer {
    /// The rules, or the first error in the input.
    pub output: Result<RulesView, Error>,
    /// Lint findings of the shown YAML (of the pasted text even when it does not read).
    pub findings: Vec<RuleFinding>,
}
