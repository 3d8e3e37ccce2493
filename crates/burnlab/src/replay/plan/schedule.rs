//! Scheduling the rules of a file: [`compile`] lowers them in the order Prometheus runs them
//! and turns each result into recorded series or alert label sets.
//!
//! Prometheus runs groups in file order, rules in order, at the same instant: a rule reading a
//! series recorded earlier at the same instant sees this instant's value, one reading a series
//! recorded later sees the previous evaluation's (if it is within the lookback). Rules are
//! lowered in dependency order instead (a rule after every recording rule it reads, cycles
//! refused), so that each instruction's operands are computed before it and a whole chunk of
//! instants can be run one instruction at a time; [`Schedule`] tells the lowering, for each
//! recorded series, which of the two instants the rule being lowered reads.
//!
//! A recording rule's series get its name and labels (series that end up with the same labels
//! are coalesced); an alerting rule's get its labels, with `{{ $labels.name }}` expanded here
//! ([`expand_label`]) since that is part of building an alert's label set, and `alertname`.
//! The rule file's own checks are in `rules::model`; what it does not keep (`keep_firing_for`)
//! is read here from the text.

use super::NAME;
use super::ir::{AlertPlan, Col, InstancePlan, Plan};
use super::lower::{Compiler, Locator, Recording, Recordings, Value, names_read, without_name};
use crate::alertmanager::matchers::{Labels, Matcher};
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::replay::promql::{self, Expr};
use crate::rules::model::{RuleFile, RuleKind};

/// `keep_firing_for` per group and rule, which the rule-file model does not keep.
pub type KeepFiring = Vec<Vec<Option<Duration>>>;

/// A recording rule's output series, for selectors to find.
#[derive(Debug, Clone)]
struct Recorded {
    labels: Labels,
    col: Col,
    /// Position of the rule in evaluation order.
    order: usize,
    max_range_ms: i64,
}

/// The recording rules lowered so far, and the position in evaluation order of the rule being
/// lowered: what decides which instant of a recorded series it reads.
struct Schedule {
    recorded: Vec<Recorded>,
    order: usize,
}

impl Recordings for Schedule {
    fn matching(&self, matchers: &[Matcher]) -> Vec<Recording> {
        self.recorded
            .iter()
            .filter(|r| matchers.iter().all(|m| m.matches(&r.labels)))
            .map(|r| Recording {
                labels: r.labels.clone(),
                col: r.col,
                same_instant: r.order < self.order,
                max_range_ms: r.max_range_ms,
            })
            .collect()
    }
}

/// Expands a rule label's value: literal text, or `{{ $labels.name }}` references.
fn expand_label(value: &str, labels: &Labels) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 2..).unwrap_or("");
        let Some(close) = after.find("}}") else {
            return Err("has an unclosed `{{`".into());
        };
        let inner = after
            .get(..close)
            .unwrap_or("")
            .trim()
            .trim_matches('-')
            .trim();
        let Some(name) = inner
            .strip_prefix("$labels.")
            .or(inner.strip_prefix(".Labels."))
        else {
            return Err(format!(
                "uses the template `{{{{ {inner} }}}}`: only {{{{ $labels.name }}}} is supported in labels by the replay"
            ));
        };
        out.push_str(labels.get(name).map_or("", String::as_str));
        rest = after.get(close + 2..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// Compiles `file` (read from `source`, for locations) against the input series `inputs`.
pub fn compile(
    file: &RuleFile,
    keep_firing: &KeepFiring,
    source: &str,
    inputs: &[Labels],
) -> Result<Plan> {
    let locator = Locator { source };
    // Parse every expression first, for dependencies.
    struct Parsed<'r> {
        group: usize,
        index: usize,
        rule: &'r crate::rules::model::Rule,
        expr: Expr,
        reads: Vec<String>,
    }
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    let mut group_intervals = Vec::new();
    for (gi, g) in file.groups.iter().enumerate() {
        if let Some(i) = g.interval {
            group_intervals.push((g.name.clone(), g.line, i));
        }
        for (ri, rule) in g.rules.iter().enumerate() {
            let expr = promql::parse(&rule.expr).map_err(|e| {
                let (l, c) = locator.at(rule.expr_at, &rule.expr, e.at);
                located(rule.name(), e.message, l, c)
            })?;
            let mut reads = Vec::new();
            names_read(&expr, &mut reads);
            parsed.push(Parsed {
                group: gi,
                index: ri,
                rule,
                expr,
                reads,
            });
        }
    }
    // Dependency order: a rule after every recording rule it reads.
    let n = parsed.len();
    let records: Vec<Option<&str>> = parsed
        .iter()
        .map(|p| match &p.rule.kind {
            Some(RuleKind::Record(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let deps: Vec<Vec<usize>> = parsed
        .iter()
        .map(|p| {
            (0..n)
                .filter(|&j| {
                    records
                        .get(j)
                        .copied()
                        .flatten()
                        .is_some_and(|r| p.reads.iter().any(|x| x == r))
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the stack, 2 done
    for start in 0..n {
        if state.get(start).copied() != Some(0) {
            continue;
        }
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        // Iterative depth-first search: (rule, next dependency to visit).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((node, next)) = stack.last().copied() {
            match deps.get(node).and_then(|d| d.get(next)).copied() {
                Some(dep) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match state.get(dep).copied() {
                        Some(0) => {
                            if let Some(s) = state.get_mut(dep) {
                                *s = 1;
                            }
                            stack.push((dep, 0));
                        }
                        Some(1) => {
                            let p = parsed.get(node);
                            let (name, at) =
                                p.map_or(("", (0, 0)), |p| (p.rule.name(), p.rule.expr_at));
                            let via = parsed.get(dep).map_or("", |p| p.rule.name());
                            return Err(located(
                                name,
                                format!(
                                    "reads `{via}`, which depends on this rule's own result: the replay does not evaluate such cycles"
                                ),
                                at.0,
                                at.1,
                            ));
                        }
                        _ => {}
                    }
                }
                None => {
                    if let Some(s) = state.get_mut(node) {
                        *s = 2;
                    }
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    let mut c = Compiler::new(
        inputs,
        Schedule {
            recorded: Vec::new(),
            order: 0,
        },
    );
    let mut alerts: Vec<(usize, AlertPlan)> = Vec::new();
    let mut warnings = Vec::new();
    // Series nothing provides, with the rules that read them.
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    let mut rule_range: Vec<i64> = vec![0; n];
    for &i in &order {
        let Some(p) = parsed.get(i) else { continue };
        let rule = p.rule;
        c.recordings.order = i;
        let lowered = c.rule(&p.expr).map_err(|f| {
            let (l, col) = locator.at(rule.expr_at, &rule.expr, f.at);
            located(rule.name(), f.message, l, col)
        })?;
        for (at, name) in lowered.missing {
            let (l, col) = locator.at(rule.expr_at, &rule.expr, at);
            let place = format!("`{}` (line {l}, column {col})", rule.name());
            match missing.iter_mut().find(|(n, _)| *n == name) {
                Some((_, places)) => {
                    if !places
                        .iter()
                        .any(|p: &String| p.starts_with(&format!("`{}`", rule.name())))
                    {
                        places.push(place);
                    }
                }
                None => missing.push((name, vec![place])),
            }
        }
        if let Some(r) = rule_range.get_mut(i) {
            *r = lowered.max_range_ms;
        }
        let series = match lowered.value {
            Value::Vector(v) => v,
            Value::Scalar(s) => vec![c.vector(s)],
            Value::Str => {
                return Err(located(
                    rule.name(),
                    "the expression is a string: a rule needs a number or a vector",
                    rule.expr_at.0,
                    rule.expr_at.1,
                ));
            }
        };
        match &rule.kind {
            Some(RuleKind::Record(name)) => {
                let mut grouped: Vec<(Labels, Vec<Col>)> = Vec::new();
                for s in series {
                    let mut labels = s.labels;
                    labels.insert(NAME.to_owned(), name.clone());
                    for (k, v) in &rule.labels {
                        labels.insert(k.clone(), v.clone());
                    }
                    match grouped.iter_mut().find(|(l, _)| *l == labels) {
                        Some((_, cols)) => cols.push(s.col),
                        None => grouped.push((labels, vec![s.col])),
                    }
                }
                for (labels, cols) in grouped {
                    let col = c.coalesce(cols);
                    c.recordings.recorded.push(Recorded {
                        labels,
                        col,
                        order: i,
                        max_range_ms: lowered.max_range_ms,
                    });
                }
            }
            Some(RuleKind::Alert(name)) => {
                let mut instances: Vec<InstancePlan> = Vec::new();
                for s in series {
                    let mut labels = without_name(&s.labels);
                    for (k, v) in &rule.labels {
                        let value = expand_label(v, &s.labels).map_err(|m| {
                            located(rule.name(), format!("label `{k}` {m}"), rule.line, 1)
                        })?;
                        if value.is_empty() {
                            labels.remove(k);
                        } else {
                            labels.insert(k.clone(), value);
                        }
                    }
                    labels.insert("alertname".to_owned(), name.clone());
                    match instances.iter_mut().find(|x| x.labels == labels) {
                        Some(x) => x.cols.push(s.col),
                        None => instances.push(InstancePlan {
                            labels,
                            cols: vec![s.col],
                        }),
                    }
                }
                let kf = keep_firing
                    .get(p.group)
                    .and_then(|g| g.get(p.index))
                    .copied()
                    .flatten();
                alerts.push((
                    i,
                    AlertPlan {
                        name: name.clone(),
                        for_ms: rule.for_duration.map_or(0, |d| d.as_millis() as i64),
                        keep_firing_ms: kf.map_or(0, |d| d.as_millis() as i64),
                        instances,
                        max_range_ms: lowered.max_range_ms,
                        position: (p.group, p.index),
                    },
                ));
            }
            None => {}
        }
    }
    for (name, places) in missing {
        warnings.push(format!(
            "`{name}` is read by rule {}, but neither the scenario's series nor any recording rule provides it: it is always empty",
            places.join(", ")
        ));
    }
    alerts.sort_by_key(|(i, _)| *i);
    let code = c.finish();
    Ok(Plan {
        inputs: inputs.to_vec(),
        instrs: code.instrs,
        consts: code.consts,
        n_vals: code.n_vals,
        n_masks: code.n_masks,
        n_carries: code.n_carries,
        alerts: alerts.into_iter().map(|(_, a)| a).collect(),
        warnings,
        group_intervals,
    })
}

fn located(rule: &str, message: impl Into<String>, line: usize, column: usize) -> Error {
    let e = Error::field(format!("rule `{rule}`"), message);
    if line == 0 { e } else { e.at(line, column) }
}

/// Reads `keep_firing_for` of every rule from the rule file's text (the rule-file model reads
/// and checks it but does not keep it).
pub fn keep_firing_for(source: &str) -> Result<KeepFiring> {
    let Some(root) = crate::yaml::parse(source, "rules")? else {
        return Ok(Vec::new());
    };
    let groups_node = root
        .get("spec")
        .filter(|_| root.get("kind").is_some())
        .unwrap_or(&root)
        .get("groups");
    let mut out = Vec::new();
    for g in groups_node.and_then(|g| g.items()).unwrap_or(&[]) {
        let mut rules = Vec::new();
        for r in g.get("rules").and_then(|r| r.items()).unwrap_or(&[]) {
            let kf = match r.get("keep_firing_for").and_then(|k| k.scalar()) {
                Some(t) => Some(Duration::parse(t, "keep_firing_for")?),
                None => None,
            };
            rules.push(kf);
        }
        out.push(rules);
    }
    Ok(out)
}
