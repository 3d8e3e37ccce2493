//! The Routing section's messages: the config, the label tester, the hygiene table and the
//! generator form in one request; the answer carries what changed since the last one.

use burnlab::Error;
use burnlab::alertmanager::matchers::ParserMode;
use burnlab::hygiene;
use burnlab::intent::IntentForm;
use burnlab::tester::{TestAnswer, TestInput};
use serde::{Deserialize, Serialize};

use crate::rules::RulesInput;

/// One node of the routing tree, flattened for drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    /// Path as written, `route.routes[1]`.
    pub path: String,
    /// 1-based line of the route.
    pub line: usize,
    /// Parent index; `None` for the root.
    pub parent: Option<usize>,
    /// Depth, 0 for the root.
    pub depth: usize,
    /// Matchers as Alertmanager prints them; empty for none.
    pub matchers: String,
    /// Effective receiver.
    pub receiver: String,
    /// Effective group_by: `alertname, slo`, `...`, or empty.
    pub group_by: String,
    /// Effective group_wait.
    pub group_wait: String,
    /// Effective group_interval.
    pub group_interval: String,
    /// Effective repeat_interval.
    pub repeat_interval: String,
    /// How often repeats really go out.
    pub effective_repeat: String,
    /// `continue: true`.
    pub continue_: bool,
    /// Mute time intervals.
    pub mute: Vec<String>,
    /// Active time intervals.
    pub active: Vec<String>,
}

/// A receiver and its integration kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiverView {
    /// The name.
    pub name: String,
    /// Integration kinds, `pagerduty, slack`.
    pub kinds: Vec<String>,
    /// Whether it pages someone (see [`hygiene::is_paging`]).
    pub paging: bool,
}

/// A lint finding of the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFinding {
    /// Route or field path.
    pub path: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// What to know or do.
    pub message: String,
}

/// What the page shows of a config.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfigView {
    /// Why the text is not a valid config; `None` when it is. While it is set, the tester and
    /// the hygiene table keep using the last valid config, and the fields below are empty.
    pub error: Option<Error>,
    /// Alertmanager's own warnings.
    pub warnings: Vec<Error>,
    /// Lint findings.
    pub findings: Vec<ConfigFinding>,
    /// The routing tree in depth-first order, index 0 the root.
    pub nodes: Vec<NodeView>,
    /// Receivers in order.
    pub receivers: Vec<ReceiverView>,
    /// Inhibit rules as text, with their lines.
    pub inhibit_rules: Vec<(String, usize)>,
    /// Names of the time intervals.
    pub time_intervals: Vec<String>,
}

/// What a share link without secrets may carry of a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Redaction {
    /// Nothing in it is a secret: the text as typed.
    NoSecrets,
    /// The config with every credential replaced by `<secret>` (comments and layout are not
    /// kept).
    Redacted(String),
    /// The text is not YAML, so what is secret in it cannot be told.
    Unreadable,
}

/// What the Routing section asks: every input, every time. The session compares each with
/// the last request's and computes only what changed, so a tester keystroke reads no config
/// again, and a worker started afresh answers the first request in full.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingRequest {
    /// The config text.
    pub config: String,
    /// The matcher parser to read it with.
    pub mode: ParserMode,
    /// The tester's input.
    pub test: TestInput,
    /// The Rules section's rules, whose alerts the hygiene table routes; `None` while they
    /// wait for a valid SLO.
    pub rules: Option<RulesInput>,
    /// The generator form, whose config the answer carries.
    pub intent: IntentForm,
}

/// The answer to a [`RoutingRequest`]. A field left `None` is as the session's previous
/// answer said: only what the request changed is computed and sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingAnswer {
    /// The config's view, when the config or its parser changed.
    pub config: Option<ConfigView>,
    /// Whether a valid config has been read yet (the tester and table need one).
    pub has_config: bool,
    /// The tester's answer (or the error in its labels or instant), when the tester's input or
    /// the config changed.
    pub test: Option<Result<TestAnswer, Error>>,
    /// The hygiene table (or why the rules could not be read), when the rules or the config
    /// changed.
    pub hygiene: Option<Result<Vec<hygiene::Row>, Error>>,
    /// What a share link may carry of the config, when the config changed.
    pub redaction: Option<Redaction>,
    /// The generator form's config, or its first error, when the form changed.
    pub generated: Option<Result<String, Error>>,
}
