//! Small readers over the located YAML tree: each returns an error naming the field path and the
//! line and column, and mappings refuse unknown keys as Sloth's strict decoding does.

use crate::error::{Error, Result};
use crate::yaml::{Node, Value};

/// A value with where it was written, so validation after reading can still point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// The field path, e.g. `slos[0].objective`.
    pub path: String,
    /// 1-based line and column; (0, 0) when built in code.
    pub at: (usize, usize),
}

impl<T> Located<T> {
    /// An error about this value, at its place.
    pub fn error(&self, message: impl Into<String>) -> Error {
        let err = Error::field(self.path.clone(), message);
        if self.at.0 == 0 {
            err
        } else {
            err.at(self.at.0, self.at.1)
        }
    }
}

fn describe(node: &Node) -> &'static str {
    match &node.value {
        Value::Map(_) => "a mapping",
        Value::Seq(_) => "a list",
        Value::Scalar { .. } if node.is_null() => "empty",
        Value::Scalar { .. } => "a scalar",
    }
}

/// The entries of a mapping whose keys must all be in `allowed`; null reads as empty.
pub fn mapping<'a>(node: &'a Node, path: &str, allowed: &[&str]) -> Result<&'a [(Node, Node)]> {
    if node.is_null() {
        return Ok(&[]);
    }
    let entries = node
        .entries()
        .ok_or_else(|| node.error(path, format!("must be a mapping, not {}", describe(node))))?;
    for (key, _) in entries {
        let name = key.scalar().unwrap_or_default();
        if !allowed.contains(&name) {
            return Err(key.error(
                join(path, name),
                format!(
                    "unknown field `{name}`: expected one of {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(entries)
}

/// `path.key`, or `key` at the top.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A scalar's text.
pub fn string(node: &Node, path: &str) -> Result<Located<String>> {
    match &node.value {
        Value::Scalar { text, .. } if !node.is_null() => Ok(Located {
            value: text.clone(),
            path: path.to_owned(),
            at: (node.line, node.column),
        }),
        _ => Err(node.error(path, format!("must be a string, not {}", describe(node)))),
    }
}

/// A boolean as YAML writes it: true or false.
pub fn boolean(node: &Node, path: &str) -> Result<bool> {
    match node.scalar().map(str::to_ascii_lowercase).as_deref() {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        _ => Err(node.error(path, "must be true or false")),
    }
}

/// A list's items; null reads as empty.
pub fn items<'a>(node: &'a Node, path: &str) -> Result<&'a [Node]> {
    if node.is_null() {
        return Ok(&[]);
    }
    node.items()
        .ok_or_else(|| node.error(path, format!("must be a list, not {}", describe(node))))
}

/// A mapping of strings to strings (labels, annotations), in source order.
pub fn string_map(node: &Node, path: &str) -> Result<Vec<(String, String)>> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    let entries = node
        .entries()
        .ok_or_else(|| node.error(path, format!("must be a mapping, not {}", describe(node))))?;
    entries
        .iter()
        .map(|(k, v)| {
            let key = k.scalar().unwrap_or_default().to_owned();
            let value = string(v, &join(path, &key))?.value;
            Ok((key, value))
        })
        .collect()
}

/// A mapping of label names to values, each name checked where it is written.
pub fn label_map(node: &Node, path: &str) -> Result<Vec<(String, String)>> {
    if let Some(entries) = node.entries()
        && let Some((key, _)) = entries
            .iter()
            .find(|(k, _)| !is_label_name(k.scalar().unwrap_or_default()))
    {
        let name = key.scalar().unwrap_or_default();
        return Err(key.error(join(path, name), label_name_message(name)));
    }
    string_map(node, path)
}

/// A label map whose values reach alerting rules, where Prometheus reads every label and
/// annotation value as a Go template: each value must parse as `promtool check rules` parses
/// it, or the error names the value's field and place.
pub fn template_map(node: &Node, path: &str) -> Result<Vec<(String, String)>> {
    let map = label_map(node, path)?;
    for (k, v) in node.entries().unwrap_or_default() {
        if let Some(text) = v.scalar() {
            template(v, &join(path, k.scalar().unwrap_or_default()), text)?;
        }
    }
    Ok(map)
}

/// Checks that `text`, read from `node`, parses as an alerting rule's template.
pub fn template(node: &Node, path: &str, text: &str) -> Result<()> {
    crate::gotemplate::parse_prometheus("spec", text)
        .map(|_| ())
        .map_err(|e| {
            node.error(
                path,
                format!(
                    "is not a template Prometheus can read: {}, at character {} of the value; write `{{{{` as `{{{{ \"{{{{\" }}}}` to mean the characters",
                    e.detail, e.token_column
                ),
            )
        })
}

/// Why `name` is not a label name, in the words every label check uses.
pub fn label_name_message(name: &str) -> String {
    format!("`{name}` is not a label name: use letters, digits and _, not starting with a digit")
}

/// Whether `name` is a valid Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` is a valid metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
pub fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}
