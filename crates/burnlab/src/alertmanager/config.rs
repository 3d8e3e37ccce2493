//! alertmanager.yml: the input structs that mirror its field names ([`RawConfig`] and friends,
//! read from the located YAML tree), and the validated [`Config`] built from them with the
//! checks Alertmanager 0.25 makes, each error located by line, column and field path
//! (`route.routes[2].receiver`).
//!
//! Like Alertmanager (which unmarshals strictly), unknown fields are errors. Only the first
//! error is reported, as Alertmanager does; warnings are collected in [`Config::warnings`].

use std::collections::{BTreeMap, HashSet};

use crate::alertmanager::go_string;
use crate::alertmanager::matchers::{self, MatchOp, Matcher, ParserMode};
use crate::alertmanager::timeinterval::TimeIntervalSet;
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::yaml::{self, Node, Value};

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
    fn of(node: &Node, path: impl Into<String>) -> Self {
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
    /// The kind, as its list is named without `_configs`: `slack`, `webhook`, `pagerduty`, …
    pub kind: String,
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

/// Who an alert is grouped by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// `group_by` unset everywhere: one group per route.
    #[default]
    Nothing,
    /// `...`: every label.
    All,
    /// These label names.
    Labels(Vec<String>),
}

/// A route's effective options after inheritance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOpts {
    /// The receiver.
    pub receiver: String,
    /// The grouping.
    pub group_by: GroupBy,
    /// How long a new group waits before its first notification.
    pub group_wait: Duration,
    /// The period between a group's flushes.
    pub group_interval: Duration,
    /// The nominal repeat period (see [`crate::alertmanager::lint::effective_repeat`]).
    pub repeat_interval: Duration,
    /// Mute intervals (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Active intervals (not inherited).
    pub active_time_intervals: Vec<String>,
}

/// One node of the validated routing tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteNode {
    /// Path from the root as written: `route`, `route.routes[2]`, `route.routes[2].routes[0]`.
    pub path: String,
    /// Where the route's mapping starts.
    pub line: usize,
    /// Column of the route's mapping.
    pub column: usize,
    /// Parent node index; `None` for the root.
    pub parent: Option<usize>,
    /// Child node indices, in order.
    pub children: Vec<usize>,
    /// Matchers (match, match_re and matchers together, sorted as Alertmanager sorts them).
    pub matchers: Vec<Matcher>,
    /// `continue`.
    pub continue_: bool,
    /// Effective options.
    pub opts: RouteOpts,
    /// Whether the route uses the deprecated `match`/`match_re`.
    pub uses_deprecated_match: bool,
    /// Whether these options were set on this node (rather than inherited), for the UI and lint.
    pub sets_repeat_interval: bool,
}

/// The routing tree: nodes in depth-first order in one vector, index 0 the root. A flat
/// arena keeps every walk iterative and dropping a deep tree cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTree {
    /// Nodes in depth-first pre-order.
    pub nodes: Vec<RouteNode>,
}

/// A validated Alertmanager configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `global` as written (null when absent), for round-tripping.
    pub global: Option<Node>,
    /// `global.resolve_timeout`, or its default.
    pub resolve_timeout: Duration,
    /// The routing tree.
    pub route: RouteTree,
    /// Receivers, in order.
    pub receivers: Vec<Receiver>,
    /// Inhibition rules, in order.
    pub inhibit_rules: Vec<InhibitRule>,
    /// Time intervals of both lists.
    pub time_intervals: Vec<NamedTimeInterval>,
    /// `templates`.
    pub templates: Vec<String>,
    /// Warnings that do not stop Alertmanager (repeat_interval shorter than group_interval).
    pub warnings: Vec<Error>,
    /// Whether the input was a Kubernetes Secret manifest.
    pub from_secret: bool,
    /// The alertmanager.yml tree as written, for writing it back ([`Config::to_yaml`]).
    pub source: Option<Node>,
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

/// Integration kinds: list key, send_resolved default, and the fields Alertmanager 0.25 knows
/// (plus msteams from 0.26). `send_resolved` and `http_config` are accepted for every kind.
const INTEGRATIONS: &[(&str, bool, &[&str])] = &[
    ("discord", true, &["webhook_url", "title", "message"]),
    (
        "email",
        false,
        &[
            "to",
            "from",
            "hello",
            "smarthost",
            "auth_username",
            "auth_password",
            "auth_password_file",
            "auth_secret",
            "auth_identity",
            "headers",
            "html",
            "text",
            "require_tls",
            "tls_config",
        ],
    ),
    (
        "pagerduty",
        true,
        &[
            "service_key",
            "service_key_file",
            "routing_key",
            "routing_key_file",
            "url",
            "client",
            "client_url",
            "description",
            "details",
            "images",
            "links",
            "source",
            "severity",
            "class",
            "component",
            "group",
        ],
    ),
    (
        "slack",
        false,
        &[
            "api_url",
            "api_url_file",
            "channel",
            "username",
            "color",
            "title",
            "title_link",
            "pretext",
            "text",
            "fields",
            "short_fields",
            "footer",
            "fallback",
            "callback_id",
            "icon_emoji",
            "icon_url",
            "image_url",
            "thumb_url",
            "link_names",
            "mrkdwn_in",
            "actions",
        ],
    ),
    ("webhook", true, &["url", "url_file", "max_alerts"]),
    (
        "opsgenie",
        true,
        &[
            "api_key",
            "api_key_file",
            "api_url",
            "message",
            "description",
            "source",
            "details",
            "entity",
            "responders",
            "actions",
            "tags",
            "note",
            "priority",
            "update_alerts",
        ],
    ),
    (
        "wechat",
        false,
        &[
            "api_secret",
            "corp_id",
            "message",
            "api_url",
            "to_user",
            "to_party",
            "to_tag",
            "agent_id",
            "message_type",
        ],
    ),
    (
        "pushover",
        true,
        &[
            "user_key",
            "token",
            "title",
            "message",
            "url",
            "url_title",
            "sound",
            "priority",
            "retry",
            "expire",
            "html",
        ],
    ),
    (
        "victorops",
        true,
        &[
            "api_key",
            "api_key_file",
            "api_url",
            "routing_key",
            "message_type",
            "state_message",
            "entity_display_name",
            "monitoring_tool",
            "custom_fields",
        ],
    ),
    (
        "sns",
        true,
        &[
            "api_url",
            "sigv4",
            "topic_arn",
            "phone_number",
            "target_arn",
            "subject",
            "message",
            "attributes",
        ],
    ),
    (
        "telegram",
        true,
        &[
            "api_url",
            "bot_token",
            "chat_id",
            "message",
            "disable_notifications",
            "parse_mode",
        ],
    ),
    ("webex", true, &["api_url", "message", "room_id"]),
    (
        "msteams",
        true,
        &["webhook_url", "title", "summary", "text"],
    ),
];

/// Whether `kind`'s integrations send resolved notifications unless told otherwise.
pub fn send_resolved_default(kind: &str) -> Option<bool> {
    INTEGRATIONS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, d, _)| *d)
}

const GLOBAL_FIELDS: &[&str] = &[
    "resolve_timeout",
    "http_config",
    "smtp_from",
    "smtp_hello",
    "smtp_smarthost",
    "smtp_auth_username",
    "smtp_auth_password",
    "smtp_auth_password_file",
    "smtp_auth_secret",
    "smtp_auth_identity",
    "smtp_require_tls",
    "slack_api_url",
    "slack_api_url_file",
    "pagerduty_url",
    "opsgenie_api_url",
    "opsgenie_api_key",
    "opsgenie_api_key_file",
    "wechat_api_url",
    "wechat_api_secret",
    "wechat_api_corp_id",
    "victorops_api_url",
    "victorops_api_key",
    "victorops_api_key_file",
    "telegram_api_url",
    "webex_api_url",
];

/// Whether `name` is a classic label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---- reading typed values from nodes, with yaml.v2's coercions ----

fn unknown_field(key: &Node, path: &str, ty: &str) -> Error {
    key.error(
        path,
        format!(
            "field {} not found in type {ty}",
            key.scalar().unwrap_or_default()
        ),
    )
}

fn entries<'a>(node: &'a Node, path: &str, into: &str) -> Result<&'a [(Node, Node)]> {
    if node.is_null() {
        return Ok(&[]);
    }
    node.entries().ok_or_else(|| {
        node.error(
            path,
            format!("cannot unmarshal {} into {into}", describe(node)),
        )
    })
}

fn describe(node: &Node) -> String {
    match node.scalar() {
        Some(text) if !node.is_null() => format!("{} `{text}`", node.kind()),
        _ => node.kind().to_owned(),
    }
}

fn strings(node: &Node, path: &str) -> Result<Vec<Located<String>>> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    let items = node.items().ok_or_else(|| {
        node.error(
            path,
            format!("cannot unmarshal {} into []string", describe(node)),
        )
    })?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = format!("{path}[{i}]");
            Ok(Located {
                value: go_string(item, &p)?,
                pos: Pos::of(item, p),
            })
        })
        .collect()
}

fn string_map(node: &Node, path: &str) -> Result<Vec<(Located<String>, String)>> {
    entries(node, path, "map[string]string")?
        .iter()
        .map(|(k, v)| {
            let key = go_string(k, path)?;
            let p = format!("{path}.{key}");
            Ok((
                Located {
                    value: key,
                    pos: Pos::of(k, p.clone()),
                },
                go_string(v, &p)?,
            ))
        })
        .collect()
}

fn boolean(node: &Node, path: &str) -> Result<bool> {
    if node.is_null() {
        return Ok(false);
    }
    match &node.value {
        Value::Scalar { text, plain: true } => match text.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                Ok(true)
            }
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off"
            | "OFF" => Ok(false),
            _ => Err(node.error(
                path,
                format!("cannot unmarshal {} into bool", describe(node)),
            )),
        },
        _ => Err(node.error(
            path,
            format!("cannot unmarshal {} into bool", describe(node)),
        )),
    }
}

fn duration(node: &Node, path: &str) -> Result<Option<Located<Duration>>> {
    if node.is_null() {
        return Ok(None);
    }
    let text = go_string(node, path)?;
    let d = parse_prometheus_duration(&text)
        .ok_or_else(|| node.error(path, format!("not a valid duration string: {text:?}")))?;
    Ok(Some(Located {
        value: d,
        pos: Pos::of(node, path),
    }))
}

/// Prometheus' `model.ParseDuration`: `0`, or `<n><unit>` pairs from years to milliseconds, no
/// spaces.
fn parse_prometheus_duration(text: &str) -> Option<Duration> {
    if text.is_empty() || text.trim() != text {
        return None;
    }
    Duration::parse(text, "duration").ok()
}

/// Go's `url.Parse` plus Alertmanager's scheme and host checks, reduced to what configs hit.
fn check_url(node: &Node, path: &str) -> Result<()> {
    let text = go_string(node, path)?;
    if text == "<secret>" {
        return Ok(());
    }
    let (scheme, rest) = match text.split_once(':') {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (s.to_ascii_lowercase(), r)
        }
        _ => (String::new(), text.as_str()),
    };
    if scheme != "http" && scheme != "https" {
        return Err(node.error(path, format!("unsupported scheme {scheme:?} for URL")));
    }
    let host = rest
        .strip_prefix("//")
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() {
        return Err(node.error(path, "missing host for URL"));
    }
    Ok(())
}

// ---- raw reading ----

impl RawConfig {
    /// Reads alertmanager.yml text, or a Kubernetes Secret manifest whose
    /// `stringData."alertmanager.yaml"` holds it.
    pub fn parse(text: &str) -> Result<Self> {
        let Some(root) = yaml::parse(text, "config")? else {
            return Ok(Self::default());
        };
        if root.get("kind").and_then(Node::scalar) == Some("Secret")
            || root.get("stringData").is_some()
        {
            let inner = root
                .get("stringData")
                .and_then(|d| d.get("alertmanager.yaml").or_else(|| d.get("alertmanager.yml")))
                .ok_or_else(|| {
                    root.error(
                        "stringData",
                        "a Secret manifest needs stringData.\"alertmanager.yaml\" holding the config",
                    )
                })?;
            let body = go_string(inner, "stringData.alertmanager.yaml")?;
            // Lines inside a block scalar count from the line after its indicator, and its
            // columns from its indentation; plain or quoted scalars get the line only.
            // The scanner may place a block scalar at its indicator or at its first content
            // line; either way, content lines are found by the indicator ending a line.
            let is_indicator = |n: usize| {
                text.lines()
                    .nth(n.saturating_sub(1))
                    .map(str::trim_end)
                    .is_some_and(|l| {
                        ["|", "|-", "|+", ">", ">-", ">+"]
                            .iter()
                            .any(|i| l.ends_with(i))
                    })
            };
            let content_start = if is_indicator(inner.line) {
                Some(inner.line + 1)
            } else if inner.line > 1 && is_indicator(inner.line - 1) {
                Some(inner.line)
            } else {
                None
            };
            let (line_offset, column_offset) = match content_start {
                Some(first) => {
                    let indent = text
                        .lines()
                        .nth(first.saturating_sub(1))
                        .map_or(0, |l| l.len() - l.trim_start().len());
                    (first - 1, indent)
                }
                None => (inner.line.saturating_sub(1), 0),
            };
            let shift = |mut e: Error| {
                if let Some((line, column)) = e.location {
                    e.location = Some((line + line_offset, column + column_offset));
                }
                e
            };
            let Some(mut inner_root) = yaml::parse(&body, "config").map_err(shift)? else {
                return Ok(Self {
                    from_secret: true,
                    ..Self::default()
                });
            };
            shift_lines(&mut inner_root, line_offset, column_offset);
            let mut raw = Self::from_node(&inner_root)?;
            raw.from_secret = true;
            raw.source = Some(inner_root);
            return Ok(raw);
        }
        let mut raw = Self::from_node(&root)?;
        raw.source = Some(root);
        Ok(raw)
    }

    /// Reads the input structs from a parsed YAML tree.
    pub fn from_node(root: &Node) -> Result<Self> {
        let mut raw = Self::default();
        for (key, value) in entries(root, "config", "config.Config")? {
            let name = key.scalar().unwrap_or_default();
            match name {
                "global" => {
                    for (k, _) in entries(value, "global", "config.GlobalConfig")? {
                        if !GLOBAL_FIELDS.contains(&k.scalar().unwrap_or_default()) {
                            return Err(unknown_field(k, "global", "config.GlobalConfig"));
                        }
                    }
                    if let Some(v) = value.get("resolve_timeout") {
                        duration(v, "global.resolve_timeout")?;
                    }
                    for url in [
                        "slack_api_url",
                        "pagerduty_url",
                        "opsgenie_api_url",
                        "wechat_api_url",
                        "victorops_api_url",
                        "telegram_api_url",
                        "webex_api_url",
                    ] {
                        if let Some(v) = value.get(url).filter(|v| !v.is_null()) {
                            check_url(v, &format!("global.{url}"))?;
                        }
                    }
                    raw.global = Some(value.clone());
                }
                "route" => {
                    if !value.is_null() {
                        raw.route = Some(read_route_tree(value)?);
                    }
                }
                "receivers" => raw.receivers = seq_nodes(value, "receivers")?,
                "inhibit_rules" => raw.inhibit_rules = seq_nodes(value, "inhibit_rules")?,
                "time_intervals" => raw.time_intervals = seq_nodes(value, "time_intervals")?,
                "mute_time_intervals" => {
                    raw.mute_time_intervals = seq_nodes(value, "mute_time_intervals")?
                }
                "templates" => {
                    raw.templates = strings(value, "templates")?
                        .into_iter()
                        .map(|l| l.value)
                        .collect()
                }
                _ => return Err(unknown_field(key, "config", "config.plain")),
            }
        }
        Ok(raw)
    }
}

/// Moves every node's position by a line and column offset (for a config embedded in a
/// Secret manifest), without recursion.
fn shift_lines(root: &mut Node, lines: usize, columns: usize) {
    let mut todo = vec![root];
    while let Some(node) = todo.pop() {
        node.line += lines;
        node.column += columns;
        match &mut node.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
}

fn seq_nodes(node: &Node, path: &str) -> Result<Vec<Node>> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    node.items().map(<[Node]>::to_vec).ok_or_else(|| {
        node.error(
            path,
            format!("cannot unmarshal {} into a list", describe(node)),
        )
    })
}

/// Reads the route tree without recursion: nodes are read in pre-order into a flat list, then
/// each is moved into its parent from the last to the first.
fn read_route_tree(root: &Node) -> Result<RawRoute> {
    let mut flat: Vec<(RawRoute, Option<usize>)> = Vec::new();
    let mut todo: Vec<(&Node, String, Option<usize>)> = vec![(root, "route".to_owned(), None)];
    while let Some((node, path, parent)) = todo.pop() {
        let (route, children) = read_route(node, path)?;
        let index = flat.len();
        flat.push((route, parent));
        for (child, child_path) in children.into_iter().rev() {
            todo.push((child, child_path, Some(index)));
        }
    }
    while flat.len() > 1 {
        let Some((mut route, parent)) = flat.pop() else {
            break;
        };
        // Children arrived last sibling first (they all have higher indices, so all are in).
        route.routes.reverse();
        if let Some((p, _)) = parent.and_then(|p| flat.get_mut(p)) {
            p.routes.push(route);
        }
    }
    flat.pop()
        .map(|(mut r, _)| {
            r.routes.reverse();
            r
        })
        .ok_or_else(|| root.error("route", "empty route"))
}

/// Reads one route's own fields; returns its child route nodes to read next.
fn read_route(node: &Node, path: String) -> Result<(RawRoute, Vec<(&Node, String)>)> {
    let mut children = Vec::new();
    let mut r = RawRoute {
        pos: Pos::of(node, path.clone()),
        ..RawRoute::default()
    };
    for (key, value) in entries(node, &path, "config.plain")? {
        let name = key.scalar().unwrap_or_default();
        let p = format!("{path}.{name}");
        match name {
            "receiver" => {
                r.receiver = Some(Located {
                    value: go_string(value, &p)?,
                    pos: Pos::of(value, p),
                })
            }
            "group_by" => {
                r.group_by = if value.is_null() {
                    None
                } else {
                    Some(Located {
                        value: strings(value, &p)?.into_iter().map(|l| l.value).collect(),
                        pos: Pos::of(value, p),
                    })
                }
            }
            "match" => {
                r.match_ = string_map(value, &p)?;
                for (k, _) in &r.match_ {
                    if !is_label_name(&k.value) {
                        return Err(k.pos.error(format!("invalid label name {:?}", k.value)));
                    }
                }
            }
            "match_re" => {
                r.match_re = string_map(value, &p)?;
                for (k, v) in &r.match_re {
                    if !is_label_name(&k.value) {
                        return Err(k.pos.error(format!("invalid label name {:?}", k.value)));
                    }
                    matchers::compile_anchored(v).map_err(|e| k.pos.error(e))?;
                }
            }
            "matchers" => r.matchers = strings(value, &p)?,
            "mute_time_intervals" => r.mute_time_intervals = strings(value, &p)?,
            "active_time_intervals" => r.active_time_intervals = strings(value, &p)?,
            "continue" => {
                r.continue_ = Some(Located {
                    value: boolean(value, &p)?,
                    pos: Pos::of(value, p),
                })
            }
            "routes" => {
                if !value.is_null() {
                    let items = value.items().ok_or_else(|| {
                        value.error(
                            &p,
                            format!("cannot unmarshal {} into []*config.Route", describe(value)),
                        )
                    })?;
                    for (i, item) in items.iter().enumerate() {
                        children.push((item, format!("{p}[{i}]")));
                    }
                }
            }
            "group_wait" => r.group_wait = duration(value, &p)?,
            "group_interval" => r.group_interval = duration(value, &p)?,
            "repeat_interval" => r.repeat_interval = duration(value, &p)?,
            _ => return Err(unknown_field(key, &path, "config.plain")),
        }
    }
    // Checks Alertmanager's Route.UnmarshalYAML makes once the node is read.
    if let Some(gb) = &r.group_by {
        let all = gb.value.iter().any(|l| l == "...");
        let mut seen = HashSet::new();
        for l in gb.value.iter().filter(|l| *l != "...") {
            if !is_label_name(l) {
                return Err(gb
                    .pos
                    .error(format!("invalid label name {l:?} in group_by list")));
            }
        }
        if all && gb.value.iter().any(|l| l != "...") {
            return Err(gb.pos.error(
                "cannot have wildcard group_by (`...`) and other other labels at the same time",
            ));
        }
        for l in gb.value.iter().filter(|l| *l != "...") {
            if !seen.insert(l) {
                return Err(gb.pos.error(format!("duplicated label {l:?} in group_by")));
            }
        }
    }
    if let Some(d) = &r.group_interval
        && d.value.is_zero()
    {
        return Err(d.pos.error("group_interval cannot be zero"));
    }
    if let Some(d) = &r.repeat_interval
        && d.value.is_zero()
    {
        return Err(d.pos.error("repeat_interval cannot be zero"));
    }
    Ok((r, children))
}

// ---- validation into the domain ----

impl Config {
    /// Parses and validates alertmanager.yml text (or a Secret manifest holding it).
    pub fn parse(text: &str, options: ConfigOptions) -> Result<Self> {
        Self::from_raw(RawConfig::parse(text)?, options)
    }

    /// Validates the input structs as Alertmanager does.
    pub fn from_raw(raw: RawConfig, options: ConfigOptions) -> Result<Self> {
        let mode = options.matcher_mode;
        // Receivers: each read and checked (Receiver.UnmarshalYAML and its integrations).
        let mut receivers = Vec::with_capacity(raw.receivers.len());
        for (i, node) in raw.receivers.iter().enumerate() {
            receivers.push(read_receiver(node, &format!("receivers[{i}]"))?);
        }
        let mut inhibit_rules = Vec::with_capacity(raw.inhibit_rules.len());
        for (i, node) in raw.inhibit_rules.iter().enumerate() {
            inhibit_rules.push(read_inhibit_rule(
                node,
                &format!("inhibit_rules[{i}]"),
                mode,
            )?);
        }
        let mut time_intervals = Vec::new();
        for (list, deprecated) in [
            (&raw.mute_time_intervals, true),
            (&raw.time_intervals, false),
        ] {
            let key = if deprecated {
                "mute_time_intervals"
            } else {
                "time_intervals"
            };
            for (i, node) in list.iter().enumerate() {
                time_intervals.push(read_named_interval(
                    node,
                    &format!("{key}[{i}]"),
                    deprecated,
                )?);
            }
        }
        // Config.UnmarshalYAML's checks, in its order.
        let global = raw.global.clone();
        let g = |k: &str| {
            global
                .as_ref()
                .and_then(|n| n.get(k))
                .filter(|n| !n.is_null())
                .and_then(Node::scalar)
                .filter(|s| !s.is_empty())
        };
        for (a, b) in [
            ("slack_api_url", "slack_api_url_file"),
            ("opsgenie_api_key", "opsgenie_api_key_file"),
            ("victorops_api_key", "victorops_api_key_file"),
            ("smtp_auth_password", "smtp_auth_password_file"),
        ] {
            if g(a).is_some() && g(b).is_some() {
                return Err(Error::field(
                    "global",
                    format!("at most one of {a} & {b} must be configured"),
                ));
            }
        }
        let mut names = HashSet::new();
        for rcv in &receivers {
            if !names.insert(rcv.name.clone()) {
                return Err(rcv.pos.error(format!(
                    "notification config name {:?} is not unique",
                    rcv.name
                )));
            }
            for integ in &rcv.integrations {
                let has = |k: &str| {
                    integ
                        .node
                        .get(k)
                        .and_then(Node::scalar)
                        .is_some_and(|s| !s.is_empty())
                };
                match integ.kind.as_str() {
                    "email" => {
                        if !has("smarthost") && g("smtp_smarthost").is_none() {
                            return Err(integ.pos.error("no global SMTP smarthost set"));
                        }
                        if !has("from") && g("smtp_from").is_none() {
                            return Err(integ.pos.error("no global SMTP from set"));
                        }
                    }
                    kind @ ("slack" | "opsgenie" | "victorops") => {
                        let (field, global, message) = match kind {
                            "slack" => (
                                "api_url",
                                "slack_api_url",
                                "no global Slack API URL set either inline or in a file",
                            ),
                            "opsgenie" => (
                                "api_key",
                                "opsgenie_api_key",
                                "no global OpsGenie API Key set either inline or in a file",
                            ),
                            _ => (
                                "api_key",
                                "victorops_api_key",
                                "no global VictorOps API Key set",
                            ),
                        };
                        let inline = has(field) || has(&format!("{field}_file"));
                        let global_set =
                            g(global).is_some() || g(&format!("{global}_file")).is_some();
                        if !inline && !global_set {
                            return Err(integ.pos.error(message));
                        }
                    }
                    _ => {}
                }
            }
        }
        let Some(root) = raw.route else {
            return Err(Error::field("route", "no routes provided"));
        };
        if root.receiver.as_ref().is_none_or(|r| r.value.is_empty()) {
            return Err(root.pos.error("root route must specify a default receiver"));
        }
        if !root.match_.is_empty() || !root.match_re.is_empty() || !root.matchers.is_empty() {
            return Err(root.pos.error("root route must not have any matchers"));
        }
        if !root.mute_time_intervals.is_empty() {
            return Err(root
                .pos
                .error("root route must not have any mute time intervals"));
        }
        if !root.active_time_intervals.is_empty() {
            return Err(root
                .pos
                .error("root route must not have any active time intervals"));
        }
        // Matchers are parsed while the YAML is read in Alertmanager; a bad one is an error
        // wherever it is, so the tree is built (and its matchers parsed) before the receiver check.
        let tree = build_tree(&root, mode)?;
        check_receivers(&root, &names)?;
        let mut ti_names = HashSet::new();
        for ti in &time_intervals {
            if !ti_names.insert(ti.name.clone()) {
                let what = if ti.deprecated_list {
                    "mute time interval"
                } else {
                    "time interval"
                };
                return Err(ti.pos.error(format!("{what} {:?} is not unique", ti.name)));
            }
        }
        check_intervals(&root, &ti_names)?;
        if root.continue_.as_ref().is_some_and(|c| c.value) {
            return Err(root.pos.error("cannot have continue in root route"));
        }
        // The warnings Alertmanager logs when it loads the config (app/reloader.go, 0.26+).
        let mut warnings = Vec::new();
        for node in &tree.nodes {
            let warn = |message: String| {
                Error::field(node.path.clone(), message).at(node.line, node.column)
            };
            if node.opts.repeat_interval > DEFAULT_DATA_RETENTION {
                warnings.push(warn(format!(
                    "repeat_interval is greater than the data retention period. It can lead to notifications being repeated more often than expected. (repeat_interval {}, retention {})",
                    node.opts.repeat_interval, DEFAULT_DATA_RETENTION
                )));
            }
            if node.opts.repeat_interval < node.opts.group_interval {
                warnings.push(warn(format!(
                    "repeat_interval is less than group_interval. Notifications will not repeat until the next group_interval. (repeat_interval {}, group_interval {})",
                    node.opts.repeat_interval, node.opts.group_interval
                )));
            }
        }
        let resolve_timeout = global
            .as_ref()
            .and_then(|n| n.get("resolve_timeout"))
            .and_then(|n| duration(n, "global.resolve_timeout").ok().flatten())
            .map_or(DEFAULT_RESOLVE_TIMEOUT, |d| d.value);
        Ok(Self {
            global,
            resolve_timeout,
            route: tree,
            receivers,
            inhibit_rules,
            time_intervals,
            templates: raw.templates,
            warnings,
            from_secret: raw.from_secret,
            source: raw.source,
        })
    }

    /// The config written back as alertmanager.yml: every field as read (integrations and all),
    /// comments and formatting aside. A config from a Secret manifest comes back as the inner
    /// alertmanager.yml; wrap it with [`crate::alertmanager::generate::secret_manifest`].
    pub fn to_yaml(&self) -> String {
        self.source
            .as_ref()
            .map(yaml::to_string)
            .unwrap_or_default()
    }

    /// The receiver with this name.
    pub fn receiver(&self, name: &str) -> Option<&Receiver> {
        self.receivers.iter().find(|r| r.name == name)
    }

    /// The named time interval set.
    pub fn time_interval(&self, name: &str) -> Option<&NamedTimeInterval> {
        self.time_intervals.iter().find(|t| t.name == name)
    }
}

impl TryFrom<RawConfig> for Config {
    type Error = Error;

    /// Validates with the default (fallback) matcher parser.
    fn try_from(raw: RawConfig) -> Result<Self> {
        Self::from_raw(raw, ConfigOptions::default())
    }
}

/// Depth-first, children before the node itself, like Alertmanager's `checkReceiver`; iterative.
fn check_receivers(root: &RawRoute, names: &HashSet<String>) -> Result<()> {
    for r in post_order(root) {
        if let Some(rcv) = &r.receiver
            && !rcv.value.is_empty()
            && !names.contains(&rcv.value)
        {
            return Err(rcv
                .pos
                .error(format!("undefined receiver {:?} used in route", rcv.value)));
        }
    }
    Ok(())
}

fn check_intervals(root: &RawRoute, names: &HashSet<String>) -> Result<()> {
    for r in post_order(root) {
        for ti in r.active_time_intervals.iter().chain(&r.mute_time_intervals) {
            if !names.contains(&ti.value) {
                return Err(ti.pos.error(format!(
                    "undefined time interval {:?} used in route",
                    ti.value
                )));
            }
        }
    }
    Ok(())
}

/// Routes in post-order (children first, left to right), without recursion.
fn post_order(root: &RawRoute) -> Vec<&RawRoute> {
    let mut out = Vec::new();
    let mut stack: Vec<(&RawRoute, usize)> = vec![(root, 0)];
    while let Some((node, next)) = stack.pop() {
        if let Some(child) = node.routes.get(next) {
            stack.push((node, next + 1));
            stack.push((child, 0));
        } else {
            out.push(node);
        }
    }
    out
}

fn build_tree(root: &RawRoute, mode: ParserMode) -> Result<RouteTree> {
    let defaults = RouteOpts {
        receiver: String::new(),
        group_by: GroupBy::Nothing,
        group_wait: DEFAULT_GROUP_WAIT,
        group_interval: DEFAULT_GROUP_INTERVAL,
        repeat_interval: DEFAULT_REPEAT_INTERVAL,
        mute_time_intervals: Vec::new(),
        active_time_intervals: Vec::new(),
    };
    let mut nodes: Vec<RouteNode> = Vec::new();
    // (raw route, parent index)
    let mut stack: Vec<(&RawRoute, Option<usize>)> = vec![(root, None)];
    while let Some((raw, parent)) = stack.pop() {
        let mut opts = parent
            .and_then(|p| nodes.get(p))
            .map_or_else(|| defaults.clone(), |p| p.opts.clone());
        if let Some(r) = raw.receiver.as_ref().filter(|r| !r.value.is_empty()) {
            opts.receiver = r.value.clone();
        }
        if let Some(gb) = &raw.group_by {
            let labels: Vec<String> = gb.value.iter().filter(|l| *l != "...").cloned().collect();
            if !labels.is_empty() {
                opts.group_by = GroupBy::Labels(labels);
            } else if gb.value.iter().any(|l| l == "...") {
                opts.group_by = GroupBy::All;
            }
        }
        if let Some(d) = &raw.group_wait {
            opts.group_wait = d.value;
        }
        if let Some(d) = &raw.group_interval {
            opts.group_interval = d.value;
        }
        if let Some(d) = &raw.repeat_interval {
            opts.repeat_interval = d.value;
        }
        opts.mute_time_intervals = raw
            .mute_time_intervals
            .iter()
            .map(|l| l.value.clone())
            .collect();
        opts.active_time_intervals = raw
            .active_time_intervals
            .iter()
            .map(|l| l.value.clone())
            .collect();
        let mut ms = Vec::new();
        for (k, v) in &raw.match_ {
            ms.push(
                Matcher::new(MatchOp::Equal, k.value.clone(), v.clone())
                    .map_err(|e| k.pos.error(e))?,
            );
        }
        for (k, v) in &raw.match_re {
            // Alertmanager keeps the compiled regex's text, `^(?:re)$`, as the matcher value.
            ms.push(
                Matcher::new(MatchOp::Regex, k.value.clone(), format!("^(?:{v})$"))
                    .map_err(|e| k.pos.error(e))?,
            );
        }
        for line in &raw.matchers {
            ms.extend(matchers::parse(&line.value, mode).map_err(|e| line.pos.error(e))?);
        }
        matchers::sort(&mut ms);
        let index = nodes.len();
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.children.push(index);
        }
        nodes.push(RouteNode {
            path: raw.pos.path.clone(),
            line: raw.pos.line,
            column: raw.pos.column,
            parent,
            children: Vec::new(),
            matchers: ms,
            continue_: raw.continue_.as_ref().is_some_and(|c| c.value),
            opts,
            uses_deprecated_match: !raw.match_.is_empty() || !raw.match_re.is_empty(),
            sets_repeat_interval: raw.repeat_interval.is_some(),
        });
        // Children pushed in reverse so they come off the stack in order (pre-order indices).
        for child in raw.routes.iter().rev() {
            stack.push((child, Some(index)));
        }
    }
    Ok(RouteTree { nodes })
}

fn read_receiver(node: &Node, path: &str) -> Result<Receiver> {
    let mut name = String::new();
    let mut integrations = Vec::new();
    for (key, value) in entries(node, path, "config.plain")? {
        let k = key.scalar().unwrap_or_default();
        let p = format!("{path}.{k}");
        if k == "name" {
            name = go_string(value, &p)?;
            continue;
        }
        let Some((kind, default, fields)) = k
            .strip_suffix("_configs")
            .and_then(|kind| INTEGRATIONS.iter().find(|(n, _, _)| *n == kind))
        else {
            return Err(unknown_field(key, path, "config.plain"));
        };
        for (i, item) in seq_nodes(value, &p)?.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            let mut send_resolved = *default;
            for (fk, fv) in entries(item, &ip, "config.plain")? {
                let f = fk.scalar().unwrap_or_default();
                let fp = format!("{ip}.{f}");
                match f {
                    "send_resolved" => send_resolved = boolean(fv, &fp)?,
                    "http_config" => {}
                    "url" | "api_url" | "webhook_url" if !fv.is_null() => check_url(fv, &fp)?,
                    _ if fields.contains(&f) => {}
                    _ => return Err(unknown_field(fk, &ip, "config.plain")),
                }
            }
            let has = |k: &str| {
                item.get(k)
                    .and_then(Node::scalar)
                    .is_some_and(|s| !s.is_empty() && !item.get(k).is_some_and(Node::is_null))
            };
            let pos = Pos::of(item, ip.clone());
            match *kind {
                "webhook" if !has("url") && !has("url_file") => {
                    return Err(pos.error("missing URL in webhook config"));
                }
                "email" if !has("to") => {
                    return Err(pos.error("missing to address in email config"));
                }
                "pagerduty" => {
                    if !has("routing_key")
                        && !has("service_key")
                        && !has("routing_key_file")
                        && !has("service_key_file")
                    {
                        return Err(pos.error("missing service or routing key in PagerDuty config"));
                    }
                    if has("routing_key") && has("routing_key_file") {
                        return Err(pos.error(
                            "at most one of routing_key & routing_key_file must be configured",
                        ));
                    }
                    if has("service_key") && has("service_key_file") {
                        return Err(pos.error(
                            "at most one of service_key & service_key_file must be configured",
                        ));
                    }
                }
                _ => {}
            }
            integrations.push(Integration {
                kind: (*kind).to_owned(),
                node: item.clone(),
                pos,
                send_resolved,
            });
        }
    }
    if name.is_empty() {
        return Err(node.error(path, "missing name in receiver"));
    }
    Ok(Receiver {
        name,
        pos: Pos::of(node, path),
        integrations,
    })
}

fn legacy_matchers(node: &Node, path: &str, op: MatchOp, out: &mut Vec<Matcher>) -> Result<()> {
    for (k, v) in string_map(node, path)? {
        if !is_label_name(&k.value) {
            return Err(k.pos.error(format!("invalid label name {:?}", k.value)));
        }
        out.push(Matcher::new(op, k.value, v).map_err(|e| k.pos.error(e))?);
    }
    Ok(())
}

fn read_inhibit_rule(node: &Node, path: &str, mode: ParserMode) -> Result<InhibitRule> {
    let mut rule = InhibitRule {
        name: None,
        source: Vec::new(),
        target: Vec::new(),
        equal: Vec::new(),
        pos: Pos::of(node, path),
        uses_deprecated_maps: false,
    };
    for (key, value) in entries(node, path, "config.plain")? {
        let k = key.scalar().unwrap_or_default();
        let p = format!("{path}.{k}");
        match k {
            "name" => rule.name = Some(go_string(value, &p)?),
            "source_match" | "target_match" | "source_match_re" | "target_match_re" => {
                rule.uses_deprecated_maps = true;
                let op = if k.ends_with("_re") {
                    MatchOp::Regex
                } else {
                    MatchOp::Equal
                };
                let out = if k.starts_with("source") {
                    &mut rule.source
                } else {
                    &mut rule.target
                };
                legacy_matchers(value, &p, op, out)?;
            }
            "source_matchers" | "target_matchers" => {
                for line in strings(value, &p)? {
                    let ms = matchers::parse(&line.value, mode).map_err(|e| line.pos.error(e))?;
                    if k.starts_with("source") {
                        rule.source.extend(ms);
                    } else {
                        rule.target.extend(ms);
                    }
                }
            }
            "equal" => {
                for l in strings(value, &p)? {
                    if !is_label_name(&l.value) {
                        return Err(l
                            .pos
                            .error(format!("{:?} is not a valid label name", l.value)));
                    }
                    rule.equal.push(l.value);
                }
            }
            _ => return Err(unknown_field(key, path, "config.plain")),
        }
    }
    matchers::sort(&mut rule.source);
    matchers::sort(&mut rule.target);
    Ok(rule)
}

fn read_named_interval(node: &Node, path: &str, deprecated: bool) -> Result<NamedTimeInterval> {
    let mut name = String::new();
    let mut intervals = TimeIntervalSet::default();
    for (key, value) in entries(node, path, "config.plain")? {
        let k = key.scalar().unwrap_or_default();
        let p = format!("{path}.{k}");
        match k {
            "name" => name = go_string(value, &p)?,
            "time_intervals" => intervals = TimeIntervalSet::from_node(value, &p)?,
            _ => return Err(unknown_field(key, path, "config.plain")),
        }
    }
    if name.is_empty() {
        let what = if deprecated {
            "missing name in mute time interval"
        } else {
            "missing name in time interval"
        };
        return Err(node.error(path, what));
    }
    Ok(NamedTimeInterval {
        name,
        intervals,
        deprecated_list: deprecated,
        pos: Pos::of(node, path),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `yaml` and renders the outcome: `ok` or the located error.
    fn check(yaml: &str, expect: &str) {
        let got = match Config::parse(yaml, ConfigOptions::default()) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "config:\n{yaml}");
    }

    const RECEIVERS: &str = "receivers: [{name: a}, {name: b}]\n";

    #[test]
    fn an_undefined_receiver_is_located_at_its_route_path_and_line() {
        check(
            &format!(
                "route:\n  receiver: a\n  routes:\n    - receiver: b\n    - receiver: b\n    - receiver: nobody\n{RECEIVERS}"
            ),
            "line 6, column 17: route.routes[2].receiver: undefined receiver \"nobody\" used in route",
        );
    }

    #[test]
    fn an_invalid_regex_is_located_at_its_matcher() {
        let yaml =
            format!("route:\n  receiver: a\n  routes:\n    - matchers: ['x=~\"(\"']\n{RECEIVERS}");
        let got = Config::parse(&yaml, ConfigOptions::default());
        assert!(
            matches!(&got, Err(e) if e.location == Some((4, 18))
                && e.field == "route.routes[0].matchers[0]"
                && e.message.contains("error parsing regexp \"(\"")),
            "{got:?}"
        );
    }

    #[test]
    fn yaml_errors_are_located() {
        check(
            "route:\n  receiver: a\n routes: []\n",
            "line 3, column 2: config: YAML error: while parsing a block mapping, did not find expected key",
        );
    }

    #[test]
    fn unknown_fields_are_errors_as_in_strict_unmarshalling() {
        check(
            &format!("route:\n  receiver: a\n  recevier: b\n{RECEIVERS}"),
            "line 3, column 3: route: field recevier not found in type config.plain",
        );
    }

    #[test]
    fn root_rules_follow_alertmanager() {
        check(RECEIVERS, "route: no routes provided");
        check(
            &format!("route:\n  receiver: a\n  continue: true\n{RECEIVERS}"),
            "line 2, column 3: route: cannot have continue in root route",
        );
        check(
            &format!("route:\n  group_wait: 1s\n{RECEIVERS}"),
            "line 2, column 3: route: root route must specify a default receiver",
        );
    }

    #[test]
    fn a_secret_manifest_is_read_through_its_string_data() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: am}\nstringData:\n  alertmanager.yaml: |\n    route:\n      receiver: a\n    receivers: [{name: a}]\n";
        check(secret, "ok");
        let broken = secret.replace("receiver: a\n", "receiver: zz\n");
        check(
            &broken,
            "line 7, column 17: route.receiver: undefined receiver \"zz\" used in route",
        );
    }

    #[test]
    fn a_ten_thousand_deep_tree_is_a_located_error_not_a_crash() {
        let mut flow = String::from("route: ");
        for _ in 0..10_000 {
            flow.push_str("{receiver: a, routes: [");
        }
        flow.push_str(&"]}".repeat(10_000));
        let got = Config::parse(&flow, ConfigOptions::default());
        assert!(matches!(&got, Err(e) if e.location.is_some()), "{got:?}");
        let mut block = String::from("route:\n  receiver: a\n");
        for i in 0..300 {
            let pad = "  ".repeat(i + 1);
            block.push_str(&format!("{pad}routes:\n{pad}- receiver: a\n"));
        }
        let got = Config::parse(&block, ConfigOptions::default());
        assert!(
            matches!(&got, Err(e) if e.message.contains("deeper than") && e.location.is_some()),
            "{got:?}"
        );
    }

    #[test]
    fn a_one_megabyte_config_is_answered() {
        let mut yaml = String::from("route:\n  receiver: a\n  routes:\n");
        let mut i = 0;
        while yaml.len() < 1_000_000 {
            yaml.push_str(&format!(
                "    - receiver: b\n      matchers: ['service=\"svc-{i}\"', 'severity=~\"page|ticket\"']\n      group_by: [alertname, service]\n"
            ));
            i += 1;
        }
        yaml.push_str(RECEIVERS);
        let config = Config::parse(&yaml, ConfigOptions::default());
        let labels = labels_from_pairs([("service", "svc-5000"), ("severity", "page")]);
        let got = config.map(|c| {
            c.route(&labels)
                .iter()
                .map(|m| m.path.to_owned())
                .collect::<Vec<_>>()
        });
        assert_eq!(got, Ok(vec!["route.routes[5000]".to_owned()]));
    }

    #[test]
    fn send_resolved_follows_each_kinds_default() {
        let yaml = "route: {receiver: a}\nreceivers:\n  - name: a\n    email_configs: [{to: x@y.z, from: a@b.c, smarthost: 'm:25'}]\n    webhook_configs: [{url: 'http://h/'}, {url: 'http://h/', send_resolved: false}]\n    slack_configs: [{api_url: 'https://s/', send_resolved: true}]\n";
        let got = Config::parse(yaml, ConfigOptions::default()).map(|c| {
            c.receivers
                .iter()
                .flat_map(|r| r.integrations.iter())
                .map(|i| format!("{}={}", i.kind, i.send_resolved))
                .collect::<Vec<_>>()
                .join(" ")
        });
        assert_eq!(
            got,
            Ok("email=false webhook=true webhook=false slack=true".to_owned())
        );
    }

    #[test]
    fn warnings_do_not_stop_the_config() {
        let yaml = format!(
            "route:\n  receiver: a\n  repeat_interval: 1m\n  routes:\n    - repeat_interval: 6d\n{RECEIVERS}"
        );
        let got = Config::parse(&yaml, ConfigOptions::default()).map(|c| {
            c.warnings
                .iter()
                .map(|w| format!("{} {:?}", w.field, w.location))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            got,
            Ok(vec![
                "route Some((2, 3))".to_owned(),
                "route.routes[0] Some((5, 7))".to_owned()
            ])
        );
    }

    #[test]
    fn a_config_written_back_reads_the_same() {
        let yaml = "global:\n  resolve_timeout: 1m\nroute:\n  receiver: a\n  routes:\n    - match_re: {x: 'a|b'}\n      receiver: b\n      continue: yes\nreceivers:\n  - name: a\n    opsgenie_configs: [{api_key: k, responders: [{name: ops, type: team}]}]\n  - name: b\n    webhook_configs: [{url: 'http://h/', max_alerts: 3}]\ninhibit_rules:\n  - source_match: {severity: page}\n    target_matchers: ['severity=ticket']\n    equal: [slo]\n";
        let first = Config::parse(yaml, ConfigOptions::default());
        let again = first
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| Config::parse(&c.to_yaml(), ConfigOptions::default()));
        let summary = |c: &Config| {
            format!(
                "{}{:?}{:?}",
                c.route.render(),
                c.receivers
                    .iter()
                    .map(|r| r.integrations.first().map(|i| (&i.kind, i.send_resolved)))
                    .collect::<Vec<_>>(),
                c.inhibit_rules
                    .iter()
                    .map(|r| (&r.source, &r.target, &r.equal))
                    .collect::<Vec<_>>()
            )
        };
        assert_eq!(first.as_ref().map(summary), again.as_ref().map(summary));
        assert!(first.is_ok());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,200}") {
            let _ = Config::parse(&s, ConfigOptions::default());
        }

        #[test]
        fn parse_of_render_is_the_same_routing(seed in 0u64..10_000) {
            let text = crate::alertmanager::testgen::route_tree_config(seed, 3);
            let first = Config::parse(&text, ConfigOptions::default()).map(|c| c.route.render());
            let again = Config::parse(&text, ConfigOptions::default())
                .and_then(|c| Config::parse(&c.to_yaml(), ConfigOptions::default()))
                .map(|c| c.route.render());
            proptest::prop_assert_eq!(first, again);
        }

        #[test]
        fn routing_never_returns_an_empty_receiver_list(seed in 0u64..10_000, labels_seed in 0u64..1000) {
            let text = crate::alertmanager::testgen::route_tree_config(seed, 3);
            let config = Config::parse(&text, ConfigOptions::default());
            proptest::prop_assert!(config.is_ok());
            if let Ok(config) = config {
                let mut rng = crate::alertmanager::testgen::Rng::new(labels_seed);
                let labels = crate::alertmanager::testgen::label_set(&mut rng);
                proptest::prop_assert!(!config.route(&labels).is_empty());
            }
        }
    }
}
