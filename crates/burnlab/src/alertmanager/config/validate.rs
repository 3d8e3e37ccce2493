//! The validated [`Config`] with all its methods: built from the input structs in the order
//! Alertmanager's `Config.UnmarshalYAML` checks (receivers, inhibit rules, time intervals,
//! global settings, the root route, receiver and interval references; then the load-time
//! warnings), written back, and asked for its receivers, time intervals and routes.

use std::collections::HashSet;

use crate::alertmanager::config::integrations::{check_with_global, read_receiver};
use crate::alertmanager::config::model::*;
use crate::alertmanager::config::read::{read_inhibit_rule, read_named_interval};
use crate::alertmanager::config::tree::build_tree;
use crate::alertmanager::config::values::duration;
use crate::alertmanager::matchers::{self, Labels, ParserMode};
use crate::alertmanager::routing::{RouteMatch, RouteTree};
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::yaml::{self, Node};

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

impl Config {
    /// Parses and validates alertmanager.yml text (or a Secret manifest holding it).
    pub fn parse(text: &str, options: ConfigOptions) -> Result<Self> {
        Self::from_raw(RawConfig::parse(text)?, options)
    }

    /// Validates the input structs as Alertmanager does, in its order.
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
            check_with_global(rcv, &|k| g(k).map(str::to_owned), raw.source.as_ref())?;
        }
        let Some(root) = raw.route else {
            // Alertmanager's words, located at the top of the document (where `route:` belongs)
            // and followed by what to write.
            let (line, column) = raw.source.as_ref().map_or((1, 1), |n| (n.line, n.column));
            return Err(Error::field(
                "route",
                "no routes provided (the config needs a top-level `route:` naming the default `receiver`, e.g. `route: {receiver: default}`)",
            )
            .at(line.max(1), column.max(1)));
        };
        if root.receiver.as_ref().is_none_or(|r| r.value.is_empty()) {
            return Err(root.pos.error("root route must specify a default receiver"));
        }
        // Alertmanager counts parsed matchers, so `matchers: ['{}']` (an empty set) is allowed.
        let root_matchers = root.matchers.iter().try_fold(0usize, |n, line| {
            matchers::parse(&line.value, mode)
                .map(|ms| n + ms.len())
                .map_err(|e| line.pos.error(e))
        })?;
        if !root.match_.is_empty() || !root.match_re.is_empty() || root_matchers > 0 {
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
        if mode == ParserMode::Fallback {
            warnings.extend(classic_refusals(&root, &raw.inhibit_rules));
        }
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

    /// Routes a label set through this config's tree.
    pub fn route(&self, labels: &Labels) -> Vec<RouteMatch<'_>> {
        self.route.route(labels)
    }

    /// Why the route at `node` sends nothing at `at` (Unix seconds) because of its time
    /// intervals, as the TimeActive and TimeMute stages decide: `None` when it may send.
    pub fn time_muted(&self, node: usize, at: i64) -> Result<Option<String>> {
        let Some(node) = self.route.nodes.get(node) else {
            return Ok(None);
        };
        let inside = |name: &str| -> Result<bool> {
            match self.time_interval(name) {
                Some(ti) => ti.intervals.contains(at),
                None => Ok(false),
            }
        };
        let active = &node.opts.active_time_intervals;
        if !active.is_empty() {
            let mut any = false;
            for name in active {
                any |= inside(name)?;
            }
            if !any {
                return Ok(Some(format!(
                    "outside its active time intervals ({})",
                    active.join(", ")
                )));
            }
        }
        for name in &node.opts.mute_time_intervals {
            if inside(name)? {
                return Ok(Some(format!("muted by time interval {name:?}")));
            }
        }
        Ok(None)
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

/// In fallback mode, the matchers that only Alertmanager 0.27+'s UTF-8 parser reads (a leading
/// space before `{`, a quoted label name): accepted as 0.27+ accepts them, with a warning that
/// Alertmanager 0.26 and older — amtool 0.25 among them — refuse the config.
fn classic_refusals(root: &RawRoute, inhibit_rules: &[Node]) -> Vec<Error> {
    let mut lines: Vec<(String, Pos)> = post_order(root)
        .into_iter()
        .rev()
        .flat_map(|r| r.matchers.iter().map(|l| (l.value.clone(), l.pos.clone())))
        .collect();
    for (i, rule) in inhibit_rules.iter().enumerate() {
        for key in ["source_matchers", "target_matchers"] {
            for (j, item) in rule
                .get(key)
                .and_then(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(text) = item.scalar() {
                    let pos = Pos::of(item, format!("inhibit_rules[{i}].{key}[{j}]"));
                    lines.push((text.to_owned(), pos));
                }
            }
        }
    }
    lines.sort_by_key(|(_, pos)| (pos.line, pos.column));
    lines
        .into_iter()
        .filter_map(|(text, pos)| {
            let refusal = matchers::parse_classic(&text).err()?;
            Some(pos.error(format!(
                "{text:?} is read by the UTF-8 matcher parser of Alertmanager 0.27 and later; Alertmanager 0.26 and older (amtool 0.25) refuse this config: {refusal}"
            )))
        })
        .collect()
}
