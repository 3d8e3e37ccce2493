//! The data model of alertmanager.yml: the input structs that mirror its field names
//! ([`RawConfig`], [`RawRoute`]) and the validated parts of a config ([`Receiver`],
//! [`InhibitRule`], [`NamedTimeInterval`], …), each with its methods. The validated
//! [`Config`](super::Config) itself, with its construction and all its methods, is in
//! `validate`; the routing tree it holds is [`crate::alertmanager::routing::RouteTree`], as
//! Alertmanager's runtime route lives in dispatch/route.go rather than in its config package.

use std::collections::BTreeMap;

use crate::alertmanager::config::schema::IntegrationKind;
use crate::alertmanager::matchers::{Matcher, ParserMode};
use crate::alertmanager::timeinterval::TimeIntervalSet;
use crate::duration::Duration;
use crate::error::Error;
use crate::yaml::Node;

/// How to read a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfigOptions {
    /// Which matcher parser reads `matchers` and `source_matchers`/`target_matchers`.
    pub matcher_mode: ParserMode,
}

/// The defaults of `DefaultRouteOpts` (not `global`): 30s, 5m, 4h.
pub const DEFAULT_GROUP_WAIT: Duration = Duration::from_secs(30);
/// Default group_interval.
pub const DEFAULT_GROUP_INTERVAL: Duration = Duration::from_mins(5);
/// Default repeat_interval.
pub const DEFAULT_REPEAT_INTERVAL: Duration = Duration::from_hours(4);
/// Alertmanager's default `--data.retention`, beyond which a repeat_interval draws a warning.
pub const DEFAULT_DATA_RETENTION: Duration = Duration::from_hours(120);
/// Default `global.resolve_timeout`.
pub const DEFAULT_RESOLVE_TIMEOUT: Duration = Duration::from_mins(5);

/// A 1-based line and column, with the field path it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pos {
    /// Field path, e.g. `route.routes[2].receiver`.
    pub path: String,
    /// 1-based line (0 when built in code).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Pos {
    pub(crate) fn of(node: &Node, path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: node.line,
            column: node.column,
        }
    }

    /// An error at this position.
    pub fn error(&self, message: impl Into<String>) -> Error {
        let err = Error::field(self.path.clone(), message);
        if self.line == 0 {
            err
        } else {
            err.at(self.line, self.column)
        }
    }
}

/// A value with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

/// The input struct for a route, field for field as in alertmanager.yml.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRoute {
    /// Where the route's mapping starts, and its path.
    pub pos: Pos,
    /// `receiver`.
    pub receiver: Option<Located<String>>,
    /// `group_by`: `None` when absent or null.
    pub group_by: Option<Located<Vec<String>>>,
    /// `match` (deprecated): label name to value.
    pub match_: Vec<(Located<String>, String)>,
    /// `match_re` (deprecated): label name to regex.
    pub match_re: Vec<(Located<String>, String)>,
    /// `matchers`: each item may hold several comma-separated matchers.
    pub matchers: Vec<Located<String>>,
    /// `mute_time_intervals`.
    pub mute_time_intervals: Vec<Located<String>>,
    /// `active_time_intervals`.
    pub active_time_intervals: Vec<Located<String>>,
    /// `continue`.
    pub continue_: Option<Located<bool>>,
    /// `routes`.
    pub routes: Vec<RawRoute>,
    /// `group_wait`.
    pub group_wait: Option<Located<Duration>>,
    /// `group_interval`.
    pub group_interval: Option<Located<Duration>>,
    /// `repeat_interval`.
    pub repeat_interval: Option<Located<Duration>>,
}

/// One integration of a receiver (`slack_configs[0]`), kept as written so it round-trips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// The kind, read from its list's name (`slack_configs`).
    pub kind: IntegrationKind,
    /// The mapping as written.
    pub node: Node,
    /// Where it was written.
    pub pos: Pos,
    /// Whether resolved notifications are sent: `send_resolved`, or the kind's default.
    pub send_resolved: bool,
}

/// A receiver and its integrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    /// The receiver's unique name.
    pub name: String,
    /// Where the receiver was written.
    pub pos: Pos,
    /// Its integrations, in the order written.
    pub integrations: Vec<Integration>,
}

/// An inhibition rule, its legacy maps already turned into matchers and ANDed with the new ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InhibitRule {
    /// Optional name (Alertmanager 0.30+).
    pub name: Option<String>,
    /// Matchers a source alert must satisfy.
    pub source: Vec<Matcher>,
    /// Matchers a target alert must satisfy.
    pub target: Vec<Matcher>,
    /// Labels that must be equal on source and target (missing equals empty).
    pub equal: Vec<String>,
    /// Where the rule was written.
    pub pos: Pos,
    /// Whether it uses the deprecated `source_match*`/`target_match*` maps.
    pub uses_deprecated_maps: bool,
}

impl InhibitRule {
    /// The rule in one line, as the tester and the tree's list show it:
    /// `source {severity="page"} → target {severity="ticket"} equal [slo]`.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "source {} → target {}",
            crate::alertmanager::matchers::render(&self.source),
            crate::alertmanager::matchers::render(&self.target)
        );
        if !self.equal.is_empty() {
            text.push_str(&format!(" equal [{}]", self.equal.join(", ")));
        }
        text
    }
}

/// A named set of time intervals from `time_intervals` or `mute_time_intervals`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTimeInterval {
    /// The name routes refer to.
    pub name: String,
    /// The intervals; the set matches an instant if any of them does.
    pub intervals: TimeIntervalSet,
    /// Whether it came from the deprecated `mute_time_intervals` list.
    pub deprecated_list: bool,
    /// Where it was written.
    pub pos: Pos,
}

/// The whole input, field for field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawConfig {
    /// `global`.
    pub global: Option<Node>,
    /// `route`.
    pub route: Option<RawRoute>,
    /// `receivers`, as nodes (checked when converting).
    pub receivers: Vec<Node>,
    /// `inhibit_rules`.
    pub inhibit_rules: Vec<Node>,
    /// `time_intervals`.
    pub time_intervals: Vec<Node>,
    /// `mute_time_intervals`.
    pub mute_time_intervals: Vec<Node>,
    /// `templates`.
    pub templates: Vec<String>,
    /// Whether the text was a Kubernetes Secret manifest.
    pub from_secret: bool,
    /// The alertmanager.yml tree as read.
    pub source: Option<Node>,
}

/// Whether `name` is a classic label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Labels as a map, for callers that build label sets from pairs.
pub fn labels_from_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}
