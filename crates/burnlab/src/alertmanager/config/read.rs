//! Reading alertmanager.yml (or a Secret manifest holding it) into the input structs: the
//! top-level keys, `global`, the route tree (without recursion), inhibit rules and named time
//! intervals, with the checks Alertmanager makes while unmarshalling.

use std::collections::HashSet;

use crate::alertmanager::config::integrations::{check_host_port, check_http};
use crate::alertmanager::config::model::{
    InhibitRule, Located, NamedTimeInterval, Pos, RawConfig, RawRoute, is_label_name,
};
use crate::alertmanager::config::values::{
    boolean, check_url, describe, duration, entries, seq_nodes, string_map, strings, unknown_field,
};
use crate::alertmanager::go_string;
use crate::alertmanager::matchers::{self, MatchOp, Matcher, ParserMode};
use crate::alertmanager::timeinterval::TimeIntervalSet;
use crate::error::{Error, Result};
use crate::yaml::{self, Node, Value};

/// The Go types of alertmanager.yml's keys that matter when merge keys combine values.
const GO_TYPES: yaml::MergeTypes = yaml::MergeTypes {
    maps: &[
        "match",
        "match_re",
        "source_match",
        "source_match_re",
        "target_match",
        "target_match_re",
        "headers",
        "details",
        "custom_fields",
        "attributes",
        "endpoint_params",
        "proxy_connect_header",
    ],
    structs: &[
        "global",
        "route",
        "http_config",
        "tls_config",
        "sigv4",
        "basic_auth",
        "authorization",
        "oauth2",
        "confirm",
    ],
    // `Matchers.UnmarshalYAML` appends to the list it decodes into.
    appends: &["matchers", "source_matchers", "target_matchers"],
};

/// The keys of `global`, in the order of Alertmanager's `GlobalConfig`.
pub(super) const GLOBAL_FIELDS: &[&str] = &[
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

// ---- raw reading ----

/// The top-level fields of alertmanager.yml.
const TOP_FIELDS: &[&str] = &[
    "global",
    "route",
    "receivers",
    "inhibit_rules",
    "time_intervals",
    "mute_time_intervals",
    "templates",
];

/// The fields of a route.
const ROUTE_FIELDS: &[&str] = &[
    "receiver",
    "group_by",
    "match",
    "match_re",
    "matchers",
    "mute_time_intervals",
    "active_time_intervals",
    "continue",
    "routes",
    "group_wait",
    "group_interval",
    "repeat_interval",
];

/// The fields of an inhibit rule.
const INHIBIT_FIELDS: &[&str] = &[
    "name",
    "source_match",
    "target_match",
    "source_match_re",
    "target_match_re",
    "source_matchers",
    "target_matchers",
    "equal",
];

impl RawConfig {
    /// Reads alertmanager.yml text, or a Kubernetes Secret manifest whose
    /// `stringData."alertmanager.yaml"` holds it.
    pub fn parse(text: &str) -> Result<Self> {
        let Some(root) = yaml::parse_with(text, "config", &GO_TYPES)? else {
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
            let (line_offset, column_offset) = match block_body(text, inner) {
                Some((first, indent)) => (first - 1, indent),
                None => (inner.line.saturating_sub(1), 0),
            };
            let shift = |mut e: Error| {
                if let Some((line, column)) = e.location {
                    e.location = Some((line + line_offset, column + column_offset));
                }
                e
            };
            let Some(mut inner_root) =
                yaml::parse_with(&body, "config", &GO_TYPES).map_err(shift)?
            else {
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
                            return Err(unknown_field(
                                k,
                                "global",
                                "config.GlobalConfig",
                                GLOBAL_FIELDS,
                            ));
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
                    if let Some(v) = value.get("smtp_smarthost").filter(|v| !v.is_null()) {
                        let text = go_string(v, "global.smtp_smarthost")?;
                        check_host_port(&text).map_err(|e| v.error("global.smtp_smarthost", e))?;
                    }
                    if let Some(v) = value.get("smtp_require_tls") {
                        boolean(v, "global.smtp_require_tls")?;
                    }
                    if let Some(v) = value.get("http_config").filter(|v| !v.is_null()) {
                        check_http(v, "global.http_config")?;
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
                _ => return Err(unknown_field(key, "config", "config.plain", TOP_FIELDS)),
            }
        }
        Ok(raw)
    }
}

/// Where the content of a block scalar (`|`, `>` and their chomping forms) starts in `text`:
/// its first line (1-based) and its indentation; `None` for a plain or quoted scalar. The
/// scanner may place a block scalar at its indicator or at its first content line; either way,
/// content lines are found by the indicator ending a line.
pub(crate) fn block_body(text: &str, node: &Node) -> Option<(usize, usize)> {
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
    let first = if is_indicator(node.line) {
        node.line + 1
    } else if node.line > 1 && is_indicator(node.line - 1) {
        node.line
    } else {
        return None;
    };
    let indent = text
        .lines()
        .nth(first.saturating_sub(1))
        .map_or(0, |l| l.len() - l.trim_start().len());
    Some((first, indent))
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
                null_regexes(value, &p)?;
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
            _ => return Err(unknown_field(key, &path, "config.plain", ROUTE_FIELDS)),
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

/// A `match_re` map entry without a value: yaml.v2 leaves the regex unset, which Alertmanager
/// refuses as "invalid regexp value" (an empty string is a valid, empty regex).
fn null_regexes(node: &Node, path: &str) -> Result<()> {
    for (k, v) in node.entries().unwrap_or_default() {
        if v.is_null() {
            let name = k.scalar().unwrap_or_default();
            return Err(k.error(
                format!("{path}.{name}"),
                format!("invalid regexp value for {name:?}"),
            ));
        }
    }
    Ok(())
}

fn legacy_matchers(node: &Node, path: &str, op: MatchOp, out: &mut Vec<Matcher>) -> Result<()> {
    if op == MatchOp::Regex {
        null_regexes(node, path)?;
    }
    for (k, v) in string_map(node, path)? {
        if !is_label_name(&k.value) {
            return Err(k.pos.error(format!("invalid label name {:?}", k.value)));
        }
        out.push(Matcher::new(op, k.value, v).map_err(|e| k.pos.error(e))?);
    }
    Ok(())
}

pub(crate) fn read_inhibit_rule(node: &Node, path: &str, mode: ParserMode) -> Result<InhibitRule> {
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
            _ => return Err(unknown_field(key, path, "config.plain", INHIBIT_FIELDS)),
        }
    }
    matchers::sort(&mut rule.source);
    matchers::sort(&mut rule.target);
    Ok(rule)
}

pub(crate) fn read_named_interval(
    node: &Node,
    path: &str,
    deprecated: bool,
) -> Result<NamedTimeInterval> {
    let mut name = String::new();
    let mut intervals = TimeIntervalSet::default();
    for (key, value) in entries(node, path, "config.plain")? {
        let k = key.scalar().unwrap_or_default();
        let p = format!("{path}.{k}");
        match k {
            "name" => name = go_string(value, &p)?,
            "time_intervals" => intervals = TimeIntervalSet::from_node(value, &p)?,
            _ => {
                return Err(unknown_field(
                    key,
                    path,
                    "config.plain",
                    &["name", "time_intervals"],
                ));
            }
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
