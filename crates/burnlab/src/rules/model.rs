//! Prometheus rule files as data: what the generator builds and the linter reads. Writing goes
//! through the YAML module; reading accepts a plain rule file or a PrometheusRule manifest (its
//! `spec` holds the same groups) and keeps every group's and rule's line for findings.

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::rules::conventions;
use crate::rules::read;
use crate::rules::spec::Manifest;
use crate::yaml::{self, Node, Style};

/// A rule file: its groups in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFile {
    /// The groups.
    pub groups: Vec<Group>,
}

/// A rule group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// `name`.
    pub name: String,
    /// `interval`, when not the global evaluation interval.
    pub interval: Option<Duration>,
    /// `rules`, evaluated in this order at each evaluation.
    pub rules: Vec<Rule>,
    /// 1-based line of the group in the source; 0 when generated.
    pub line: usize,
}

/// Whether a rule records a series or raises an alert, and under which name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// `record: name`.
    Record(String),
    /// `alert: name`.
    Alert(String),
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    /// Recording or alerting, with the name; `None` only while reading a broken file.
    pub kind: Option<RuleKind>,
    /// `expr`, PromQL.
    pub expr: String,
    /// `for`.
    pub for_duration: Option<Duration>,
    /// `labels`.
    pub labels: Vec<(String, String)>,
    /// `annotations`.
    pub annotations: Vec<(String, String)>,
    /// 1-based line of the rule; 0 when generated.
    pub line: usize,
    /// 1-based line and column of `expr`; (0, 0) when generated.
    pub expr_at: (usize, usize),
}

impl Rule {
    /// The rule's name, recording or alert.
    pub fn name(&self) -> &str {
        match &self.kind {
            Some(RuleKind::Record(n) | RuleKind::Alert(n)) => n,
            None => "",
        }
    }

    /// The alert name, if this is an alerting rule.
    pub fn alert_name(&self) -> Option<&str> {
        match &self.kind {
            Some(RuleKind::Alert(n)) => Some(n),
            _ => None,
        }
    }

    /// The value of a label, if set.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of an annotation, if set.
    pub fn annotation(&self, name: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn pairs(map: &[(String, String)]) -> Node {
    Node::map(
        map.iter()
            .map(|(k, v)| (k.as_str(), Node::str(v.clone())))
            .collect(),
    )
}

impl RuleFile {
    /// The file as a YAML tree: `groups:` at the top.
    pub fn to_node(&self) -> Node {
        let groups = self
            .groups
            .iter()
            .map(|g| {
                let mut entries = vec![("name", Node::str(g.name.clone()))];
                if let Some(i) = g.interval {
                    entries.push(("interval", Node::plain(i.to_string())));
                }
                let rules = g
                    .rules
                    .iter()
                    .map(|r| {
                        let mut e = Vec::new();
                        match &r.kind {
                            Some(RuleKind::Record(n)) => e.push(("record", Node::str(n.clone()))),
                            Some(RuleKind::Alert(n)) => e.push(("alert", Node::str(n.clone()))),
                            None => {}
                        }
                        e.push(("expr", Node::str(r.expr.clone())));
                        if let Some(d) = r.for_duration {
                            e.push(("for", Node::plain(d.to_string())));
                        }
                        if !r.labels.is_empty() {
                            e.push(("labels", pairs(&r.labels)));
                        }
                        if !r.annotations.is_empty() {
                            e.push(("annotations", pairs(&r.annotations)));
                        }
                        Node::map(e)
                    })
                    .collect();
                entries.push(("rules", Node::seq(rules)));
                Node::map(entries)
            })
            .collect();
        Node::map(vec![("groups", Node::seq(groups))])
    }

    /// A plain rule file, as `promtool check rules` and Prometheus's `rule_files` read it.
    pub fn to_yaml(&self) -> String {
        yaml::to_string_with(
            &self.to_node(),
            Style {
                literal_blocks: true,
            },
        )
    }

    /// The same groups in a PrometheusRule manifest for the Prometheus Operator.
    pub fn to_manifest_yaml(&self, manifest: &Manifest) -> String {
        let spec = self.to_node();
        let node = Node::map(vec![
            ("apiVersion", Node::str(conventions::MANIFEST_API_VERSION)),
            ("kind", Node::str(conventions::MANIFEST_KIND)),
            (
                "metadata",
                Node::map(vec![
                    ("name", Node::str(manifest.name.clone())),
                    ("namespace", Node::str(manifest.namespace.clone())),
                    ("labels", pairs(&manifest.labels)),
                ]),
            ),
            ("spec", spec),
        ]);
        yaml::to_string_with(
            &node,
            Style {
                literal_blocks: true,
            },
        )
    }

    /// Reads a plain rule file or a PrometheusRule manifest. Unknown fields are errors, as in
    /// Prometheus's strict rule-file decoding.
    pub fn parse(text: &str) -> Result<Self> {
        let Some(root) = yaml::parse(text, "rules")? else {
            return Ok(Self::default());
        };
        if root.get("kind").is_some() || root.get("apiVersion").is_some() {
            let entries = read::mapping(&root, "", &["apiVersion", "kind", "metadata", "spec"])?;
            let kind = root.get("kind").and_then(Node::scalar).unwrap_or_default();
            if kind != conventions::MANIFEST_KIND {
                return Err(root.error("kind", format!("`{kind}` is not a PrometheusRule")));
            }
            let spec = entries
                .iter()
                .find(|(k, _)| k.scalar() == Some("spec"))
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    root.error(
                        "spec",
                        "is missing: a PrometheusRule holds its groups under `spec`",
                    )
                })?;
            return Self::from_groups_node(spec, "spec");
        }
        Self::from_groups_node(&root, "")
    }

    fn from_groups_node(node: &Node, path: &str) -> Result<Self> {
        let entries = read::mapping(node, path, &["groups"])?;
        let mut groups = Vec::new();
        for (_, v) in entries {
            let gpath = read::join(path, "groups");
            for (i, g) in read::items(v, &gpath)?.iter().enumerate() {
                groups.push(read_group(g, &format!("{gpath}[{i}]"))?);
            }
        }
        Ok(Self { groups })
    }
}

fn read_duration(node: &Node, path: &str) -> Result<Duration> {
    let s = read::string(node, path)?;
    Duration::parse(&s.value, path).map_err(|e| s.error(e.message))
}

fn read_group(node: &Node, path: &str) -> Result<Group> {
    let entries = read::mapping(
        node,
        path,
        &[
            "name",
            "interval",
            "query_offset",
            "limit",
            "labels",
            "rules",
            "partial_response_strategy",
        ],
    )?;
    let mut g = Group {
        line: node.line,
        ..Group::default()
    };
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "name" => g.name = read::string(v, &p)?.value,
            "interval" => g.interval = Some(read_duration(v, &p)?),
            "rules" => {
                for (i, r) in read::items(v, &p)?.iter().enumerate() {
                    g.rules.push(read_rule(r, &format!("{p}[{i}]"))?);
                }
            }
            _ => {}
        }
    }
    if g.name.is_empty() {
        return Err(node.error(
            read::join(path, "name"),
            "is missing: every group needs a name",
        ));
    }
    Ok(g)
}

fn read_rule(node: &Node, path: &str) -> Result<Rule> {
    let entries = read::mapping(
        node,
        path,
        &[
            "record",
            "alert",
            "expr",
            "for",
            "keep_firing_for",
            "labels",
            "annotations",
        ],
    )?;
    let mut r = Rule {
        line: node.line,
        ..Rule::default()
    };
    let mut expr_seen = false;
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "record" | "alert" => {
                if r.kind.is_some() {
                    return Err(k.error(p, "a rule is either `record` or `alert`, not both"));
                }
                let name = read::string(v, &p)?.value;
                if key == "record" && !read::is_metric_name(&name) {
                    // Prometheus's own check: `invalid recording rule name`.
                    return Err(v.error(
                        p,
                        format!(
                            "invalid recording rule name: `{name}` is not a metric name (letters, digits, _ and :, not starting with a digit, e.g. job:errors:ratio_rate5m)"
                        ),
                    ));
                }
                r.kind = Some(if key == "record" {
                    RuleKind::Record(name)
                } else {
                    RuleKind::Alert(name)
                });
            }
            "expr" => {
                r.expr = read::string(v, &p)?.value;
                r.expr_at = (v.line, v.column);
                expr_seen = true;
            }
            "for" => r.for_duration = Some(read_duration(v, &p)?),
            "keep_firing_for" => {
                read_duration(v, &p)?;
            }
            // Prometheus refuses a rule file whose label or annotation names are not label
            // names (`invalid label name`), so they are errors where they are written.
            "labels" => r.labels = read::label_map(v, &p)?,
            _ => r.annotations = read::label_map(v, &p)?,
        }
    }
    if r.kind.is_none() {
        return Err(node.error(path, "needs `record` or `alert`"));
    }
    if !expr_seen || r.expr.trim().is_empty() {
        return Err(node.error(read::join(path, "expr"), "is missing or empty"));
    }
    if matches!(r.kind, Some(RuleKind::Record(_)))
        && (r.for_duration.is_some() || !r.annotations.is_empty())
    {
        return Err(
            Error::field(path, "a recording rule takes no `for` and no `annotations`")
                .at(node.line, node.column),
        );
    }
    Ok(r)
}
