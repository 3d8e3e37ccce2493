//! Known mends for config errors, as edits of the text the config was read from: a field
//! Alertmanager does not know renamed to the one it is close to, and a setting an integration
//! needs added to `global` or to the integration itself. A front offers each as one click;
//! the edits carry the text they expect, so a fix for an older text never applies.

use crate::error::{Edit, Fix};
use crate::yaml::{Node, Value};

/// Renames a mapping key, `recevier` → `receiver`.
pub(super) fn rename(key: &Node, to: &str) -> Option<Fix> {
    let from = key.scalar()?;
    (key.line > 0).then(|| Fix {
        label: format!("Rename {from} to {to}"),
        edits: vec![Edit {
            line: key.line,
            column: key.column,
            replace: from.to_owned(),
            with: to.to_owned(),
        }],
    })
}

/// The edit that adds `key: value` to a mapping as its first entry: on a line of its own at
/// the first key's indentation for a block mapping, after the `{` for a flow one. A mapping
/// whose first key is where the mapping starts is a block mapping; a flow mapping starts at
/// its `{`, before its first key.
fn add_entry(map: &Node, key: &str, value: &str) -> Option<Edit> {
    let Value::Map(entries) = &map.value else {
        return None;
    };
    if map.line == 0 {
        return None;
    }
    match entries.first() {
        Some((first, _)) if (first.line, first.column) == (map.line, map.column) => Some(Edit {
            line: first.line,
            column: first.column,
            replace: String::new(),
            with: format!(
                "{key}: {value}\n{}",
                " ".repeat(first.column.saturating_sub(1))
            ),
        }),
        Some(_) => Some(Edit {
            line: map.line,
            column: map.column + 1,
            replace: String::new(),
            with: format!("{key}: {value}, "),
        }),
        None => Some(Edit {
            line: map.line,
            column: map.column + 1,
            replace: String::new(),
            with: format!("{key}: {value}"),
        }),
    }
}

/// A value to start from for a setting an integration needs, named so that it reads as a
/// placeholder to replace.
fn placeholder(name: &str) -> &'static str {
    match name {
        "smarthost" | "smtp_smarthost" => "'smtp.example.com:587'",
        "from" | "smtp_from" => "'alertmanager@example.com'",
        n if n.ends_with("url") => "'https://example.com/REPLACE-ME'",
        _ => "'REPLACE-ME'",
    }
}

/// The fixes for an integration that needs `field` and sets it nowhere: add `setting` to
/// `global` (creating the block at the top of the document when there is none), or add
/// `field` to the integration itself.
pub(super) fn missing_setting(
    root: Option<&Node>,
    integration: &Node,
    kind: &str,
    field: &str,
    setting: Option<&str>,
) -> Vec<Fix> {
    let mut fixes = Vec::new();
    if let Some(setting) = setting {
        let value = placeholder(setting);
        let edit = match root.and_then(|r| r.get("global")) {
            Some(global) => add_entry(global, setting, value),
            None => root.and_then(|r| match r.entries().and_then(<[_]>::first) {
                // A block document: `global:` above the first key, its entry indented.
                Some((first, _)) if (first.line, first.column) == (r.line, r.column) => {
                    let indent = " ".repeat(first.column.saturating_sub(1));
                    Some(Edit {
                        line: first.line,
                        column: first.column,
                        replace: String::new(),
                        with: format!("global:\n{indent}  {setting}: {value}\n{indent}"),
                    })
                }
                _ => add_entry(r, "global", &format!("{{{setting}: {value}}}")),
            }),
        };
        if let Some(edit) = edit {
            fixes.push(Fix {
                label: format!("Add {setting} to global"),
                edits: vec![edit],
            });
        }
    }
    if let Some(edit) = add_entry(integration, field, placeholder(field)) {
        fixes.push(Fix {
            label: format!("Add {field} to this {kind} config"),
            edits: vec![edit],
        });
    }
    fixes
}
