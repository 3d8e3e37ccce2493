//! Typed values read from the located YAML tree with yaml.v2's coercions and Alertmanager's
//! messages: strings, string lists and maps, booleans, durations, URLs.

use crate::alertmanager::config::fixes;
use crate::alertmanager::config::model::{Located, Pos};
use crate::alertmanager::go_string;
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::yaml::{Node, Value};

/// Alertmanager's own message for a field its strict decoding does not know, followed by the
/// closest allowed field when the name looks like a typo of one, and the fields allowed here.
pub(crate) fn unknown_field(key: &Node, path: &str, ty: &str, allowed: &[&str]) -> Error {
    let name = key.scalar().unwrap_or_default();
    let hint = match crate::error::closest(name, allowed.iter().copied()) {
        Some(close) => format!(
            " (did you mean `{close}`? allowed here: {})",
            allowed.join(", ")
        ),
        None => format!(" (allowed here: {})", allowed.join(", ")),
    };
    let error = key.error(path, format!("field {name} not found in type {ty}{hint}"));
    match crate::error::closest(name, allowed.iter().copied()).and_then(|c| fixes::rename(key, c)) {
        Some(fix) => error.with_fix(fix),
        None => error,
    }
}

pub(crate) fn entries<'a>(node: &'a Node, path: &str, into: &str) -> Result<&'a [(Node, Node)]> {
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

pub(crate) fn describe(node: &Node) -> String {
    match node.scalar() {
        Some(text) if !node.is_null() => format!("{} `{text}`", node.kind()),
        _ => node.kind().to_owned(),
    }
}

pub(crate) fn strings(node: &Node, path: &str) -> Result<Vec<Located<String>>> {
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

pub(crate) fn string_map(node: &Node, path: &str) -> Result<Vec<(Located<String>, String)>> {
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

pub(crate) fn boolean(node: &Node, path: &str) -> Result<bool> {
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

pub(crate) fn duration(node: &Node, path: &str) -> Result<Option<Located<Duration>>> {
    if node.is_null() {
        return Ok(None);
    }
    let text = go_string(node, path)?;
    let d = parse_prometheus_duration(&text)
        .ok_or_else(|| {
            node.error(
                path,
                format!(
                    "not a valid duration string: {text:?} (whole numbers with units from y to ms, no spaces or signs, e.g. 30s, 5m, 1h30m)"
                ),
            )
        })?;
    Ok(Some(Located {
        value: d,
        pos: Pos::of(node, path),
    }))
}

/// Prometheus' `model.ParseDuration`: `0`, or `<n><unit>` pairs from years to milliseconds, no
/// spaces.
pub(crate) fn parse_prometheus_duration(text: &str) -> Option<Duration> {
    if text.is_empty() || text.trim() != text {
        return None;
    }
    Duration::parse(text, "duration").ok()
}

/// Go's `url.Parse` plus Alertmanager's scheme and host checks, reduced to what configs hit.
pub(crate) fn check_url(node: &Node, path: &str) -> Result<()> {
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

pub(crate) fn seq_nodes(node: &Node, path: &str) -> Result<Vec<Node>> {
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
