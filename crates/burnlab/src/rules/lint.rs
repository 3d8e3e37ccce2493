//! Lint for Prometheus rule files and PrometheusRule manifests, generated or pasted.
//!
//! Findings, each with a severity, a location (file, group, rule, line) and a fix:
//! - a selector of a name that looks like a recording rule's (it has a colon) that no rule in
//!   the files records: the alert reading it can never fire (the lesson's `rate30m`);
//! - an error-ratio comparison whose threshold is above 1, e.g. `14.4 * 0.1`: it can never fire;
//! - a page without a `runbook_url` annotation;
//! - an `and` whose sides can never share a label set (section I: `and` keeps the left samples
//!   whose labels, all but `__name__` or those in `on(...)`, exist on the right);
//! - duplicate group names, recording rules and alerts;
//! - a `for` longer than the alert's short window, which then forgets short incidents before
//!   `for` runs out;
//! - a label or annotation of an alert whose Go template does not parse (what `promtool check
//!   rules` refuses), with the parser of [`crate::gotemplate`];
//! - an expression that does not parse.
//!
//! PromQL is parsed with the `promql-parser` crate, a port of Prometheus's own grammar. It pulls
//! in the full `regex` crate, `chrono` and an LR parser runtime, several times the size of the
//! rest of the core once compiled to wasm, so this module sits behind the core's `promql` cargo
//! feature: the fronts that lint turn it on, a build that must stay small leaves it out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use promql_parser::parser::{self, Expr, LabelModifier};

use crate::duration::Duration;
use crate::rules::conventions;
use crate::rules::model::{Rule, RuleFile, RuleKind};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The rule is broken: it can never fire, or Prometheus refuses it.
    Error,
    /// The rule works but will hurt someone: no runbook, a `for` that hides incidents.
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
        })
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How bad it is.
    pub level: Level,
    /// A short, stable name of the check: `undefined-series`, `never-fires`, …
    pub check: &'static str,
    /// The file, as the caller named it.
    pub file: String,
    /// The group's name; empty when the file itself is at fault.
    pub group: String,
    /// The rule's name; empty when the group or file is at fault.
    pub rule: String,
    /// 1-based line of the rule (or of the expression, for a parse error); 0 when unknown.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        write!(f, ": {} [{}]", self.level, self.check)?;
        if !self.group.is_empty() {
            write!(f, " group {}", self.group)?;
        }
        if !self.rule.is_empty() {
            write!(f, " rule {}", self.rule)?;
        }
        write!(f, ": {}\n  fix: {}", self.message, self.fix)
    }
}

/// Lints `files`, each `(name, text)`, as Prometheus would load them together: a series
/// recorded in one file may be read in another. Findings come in file, then line, order.
pub fn lint_files(files: &[(&str, &str)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in files {
        match RuleFile::parse(text) {
            Ok(file) => parsed.push((*name, file)),
            Err(e) => findings.push(Finding {
                level: Level::Error,
                check: "invalid-file",
                file: (*name).to_owned(),
                group: String::new(),
                rule: String::new(),
                line: e.location.map_or(0, |(l, _)| l),
                message: e.to_string(),
                fix: "correct the file so Prometheus (or the Prometheus Operator) can load it"
                    .into(),
            }),
        }
    }
    findings.extend(lint(&parsed));
    findings
}

/// A rule's name and its sorted static labels: two rules with the same key write the same
/// series, or raise alerts that cannot be told apart.
type RuleKey = (String, Vec<(String, String)>);

/// Lints already parsed rule files, each with its name.
pub fn lint(files: &[(&str, RuleFile)]) -> Vec<Finding> {
    let mut out = Vec::new();
    // Every rule's expression, parsed once; `None` when it does not parse (reported below).
    let mut exprs: Vec<(&str, &str, &Rule, Option<Expr>)> = Vec::new();
    for (file, rf) in files {
        let mut group_names: BTreeMap<&str, usize> = BTreeMap::new();
        let total: usize = rf
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .map(|r| r.expr.len())
            .sum();
        let mut budget = crate::limits::promql_budget(total);
        let mut budget_left = true;
        for g in &rf.groups {
            if let Some(first) = group_names.insert(&g.name, g.line) {
                out.push(finding(Level::Error, "duplicate-group", file, &g.name, "", g.line,
                    format!("group `{}` is defined twice (first at line {first}); Prometheus refuses the file", g.name),
                    "rename one of the groups".into()));
            }
            for r in &g.rules {
                let line = if r.expr_at.0 > 0 { r.expr_at.0 } else { r.line };
                // promql-parser's recursion and quadratic checks are only reached within the
                // bounds of `limits::check_promql`, and the file's expressions together within
                // its budget; beyond them an expression is not parsed.
                let not_linted = |message: String| {
                    finding(
                        Level::Warning,
                        "not-linted",
                        file,
                        &g.name,
                        r.name(),
                        line,
                        message,
                        "split the expression with recording rules, or check it with `promtool check rules`".into(),
                    )
                };
                match crate::limits::check_promql(&r.expr) {
                    Err(too_big) => {
                        let (l, c) = crate::limits::locate(&r.expr, too_big.offset, (1, 1));
                        out.push(not_linted(format!(
                            "{} (at line {l}, column {c} of the expression); it was not checked",
                            too_big.message
                        )));
                        exprs.push((file, &g.name, r, None));
                        continue;
                    }
                    Ok(cost) if cost > budget => {
                        if budget_left {
                            out.push(not_linted(format!(
                                "this expression and the ones after it in the file were not checked: together they would keep the PromQL parser busy for more than {} (the budget for {} of PromQL), which only files built to be slow do",
                                crate::limits::budget_time(crate::limits::promql_budget(total)),
                                crate::limits::bytes(total)
                            )));
                            budget_left = false;
                        }
                        exprs.push((file, &g.name, r, None));
                        continue;
                    }
                    Ok(cost) => budget -= cost,
                }
                let expr = match parser::parse(&r.expr) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        out.push(finding(
                            Level::Error,
                            "invalid-expr",
                            file,
                            &g.name,
                            r.name(),
                            line,
                            format!("the expression does not parse: {}", e.trim()),
                            "correct the PromQL; `promtool check rules` shows the same error"
                                .into(),
                        ));
                        None
                    }
                };
                exprs.push((file, &g.name, r, expr));
            }
        }
    }
    let recorded = recorded_labels(&exprs);
    // Where each (name, labels) was first seen: `line N`, or `file:N` in another file.
    let mut seen_records: BTreeMap<RuleKey, (&str, usize)> = BTreeMap::new();
    let mut seen_alerts: BTreeMap<RuleKey, (&str, usize)> = BTreeMap::new();
    let place = |(f, line): (&str, usize), here: &str| {
        if f == here {
            format!("line {line}")
        } else {
            format!("{f}:{line}")
        }
    };
    for (file, group, rule, expr) in &exprs {
        let name = rule.name();
        let mut labels = rule.labels.clone();
        labels.sort();
        match &rule.kind {
            Some(RuleKind::Record(n)) => {
                if let Some(first) = seen_records.insert((n.clone(), labels), (file, rule.line)) {
                    let first = place(first, file);
                    out.push(finding(Level::Error, "duplicate-rule", file, group, name, rule.line,
                        format!("`{n}` is already recorded with the same labels at {first}: the two rules write the same series"),
                        "remove one, or tell them apart with a label".into()));
                }
            }
            Some(RuleKind::Alert(n)) => {
                if let Some(first) = seen_alerts.insert((n.clone(), labels), (file, rule.line)) {
                    let first = place(first, file);
                    out.push(finding(Level::Warning, "duplicate-alert", file, group, name, rule.line,
                        format!("alert `{n}` is already defined with the same labels at {first}: their notifications cannot be told apart"),
                        "rename one, or give each a label such as `long_window`".into()));
                }
                let severity = rule.label(conventions::LABEL_SEVERITY).unwrap_or_default();
                if matches!(severity, "page" | "critical")
                    && rule.annotation(conventions::ANNOTATION_RUNBOOK).is_none()
                {
                    out.push(finding(Level::Warning, "page-without-runbook", file, group, name, rule.line,
                        format!("this page ({}: {severity}) has no `{}` annotation: whoever is woken up has nowhere to start", conventions::LABEL_SEVERITY, conventions::ANNOTATION_RUNBOOK),
                        format!("add `{}` under annotations (`burnlab runbook` writes a skeleton)", conventions::ANNOTATION_RUNBOOK)));
                }
                // promtool parses every label and annotation of an alerting rule as a Go
                // template (rulefmt testTemplateParsing) and refuses the file if one fails.
                let templated = rule
                    .labels
                    .iter()
                    .map(|kv| ("label", kv))
                    .chain(rule.annotations.iter().map(|kv| ("annotation", kv)));
                for (what, (key, value)) in templated {
                    if let Err(e) = crate::gotemplate::parse_prometheus(n, value) {
                        out.push(finding(Level::Error, "invalid-template", file, group, name, rule.line,
                            format!("{what} {key:?}: {} (at line {}, column {} of the value); `promtool check rules` refuses the file", e.message, e.token_line, e.token_column),
                            "correct the template: functions are Prometheus's (humanize, humanizePercentage, …), variables $labels, $value, $externalLabels, $externalURL".into()));
                    }
                }
            }
            None => {}
        }
        let Some(expr) = expr else { continue };
        let mut selectors = Vec::new();
        collect_selectors(expr, &mut selectors);
        let mut reported = BTreeSet::new();
        for (sel, _) in &selectors {
            if sel.contains(':')
                && !recorded.contains_key(sel.as_str())
                && reported.insert(sel.clone())
            {
                let similar: Vec<&str> = recorded
                    .keys()
                    .filter(|k| stem(k) == stem(sel))
                    .map(String::as_str)
                    .collect();
                let hint = if similar.is_empty() {
                    format!("add a recording rule for `{sel}`")
                } else {
                    format!(
                        "add a recording rule for `{sel}` like the one for {}, or read one of those",
                        similar
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                out.push(finding(Level::Error, "undefined-series", file, group, name, rule.line,
                    format!("`{sel}` looks like a recording rule's name, but no rule records it: this {} reads nothing{}",
                        if rule.alert_name().is_some() { "alert" } else { "rule" },
                        if rule.alert_name().is_some() { " and can never fire" } else { "" }),
                    hint));
            }
        }
        if rule.alert_name().is_some() {
            let mut facts = Facts::new(&recorded);
            let mut thresholds = Vec::new();
            collect_thresholds(&mut facts, expr, &mut thresholds);
            for (series, value, product) in thresholds {
                if value > 1.0 {
                    let how = match product {
                        Some((a, b)) => format!(
                            "{} × {} = {}",
                            crate::format::decimal(a),
                            crate::format::decimal(b),
                            crate::format::decimal(value)
                        ),
                        None => crate::format::decimal(value),
                    };
                    out.push(finding(Level::Error, "never-fires", file, group, name, rule.line,
                        format!("`{series}` is a ratio, at most 1, but the threshold is {how}: this alert can never fire"),
                        "lower the factor: factor × error budget must stay at or below 1 (a 14.4× tier needs an objective above 93.06 %)".into()));
                }
            }
            let mut ands = Vec::new();
            collect_and_mismatches(&mut facts, expr, &mut ands);
            for m in ands {
                out.push(finding(Level::Error, "and-never-matches", file, group, name, rule.line, m,
                    "give both sides the same labels (aggregate both `by` the same labels), or match with `on(...)` on the labels they share".into()));
            }
            if let Some(for_d) = rule.for_duration {
                let short = selectors
                    .iter()
                    .filter_map(|(s, range)| range.or_else(|| window_of(s)))
                    .min();
                if let Some(short) = short
                    && for_d > short
                {
                    out.push(finding(Level::Warning, "for-longer-than-window", file, group, name, rule.line,
                        format!("`for: {for_d}` is longer than the short window {short}: an incident shorter than `for` leaves the short window before the alert fires, so it never does"),
                        format!("use a `for` of at most {short}, or none: the short window already confirms the burn")));
                }
            }
        }
    }
    out.sort_by(|a, b| (a.file.as_str(), a.line, a.check).cmp(&(b.file.as_str(), b.line, b.check)));
    out
}

#[allow(clippy::too_many_arguments)]
fn finding(
    level: Level,
    check: &'static str,
    file: &str,
    group: &str,
    rule: &str,
    line: usize,
    message: String,
    fix: String,
) -> Finding {
    Finding {
        level,
        check,
        file: file.to_owned(),
        group: group.to_owned(),
        rule: rule.to_owned(),
        line,
        message,
        fix,
    }
}

/// A recording name without its window: `task_api:error_ratio:rate30m` → `task_api:error_ratio:rate`.
fn stem(name: &str) -> &str {
    match name.rfind("rate") {
        Some(i) if window_of(name).is_some() => name.get(..i + 4).unwrap_or(name),
        _ => name,
    }
}

/// The window a recording's name ends with: `…:rate30m`, `…_rate1h` → 30m, 1h.
fn window_of(name: &str) -> Option<Duration> {
    let i = name.rfind("rate")?;
    let tail = name.get(i + 4..)?;
    if tail.is_empty() {
        return None;
    }
    Duration::parse(tail, "window").ok()
}

/// What is known about the labels of a side of a binary operation.
#[derive(Debug, Clone, PartialEq)]
enum Known {
    /// Exactly these labels (after an aggregation, or a recording of one).
    Exact(BTreeSet<String>),
    /// At least these labels (a selector's equality matchers); maybe more.
    AtLeast(BTreeSet<String>),
}

/// The labels each recorded name is known to carry; `None` when its rules disagree or nothing
/// is known.
fn recorded_labels(
    exprs: &[(&str, &str, &Rule, Option<Expr>)],
) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let mut out: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let nothing_recorded = BTreeMap::new();
    for (_, _, rule, expr) in exprs {
        let Some(RuleKind::Record(name)) = &rule.kind else {
            continue;
        };
        let own = expr
            .as_ref()
            .and_then(|e| match Facts::new(&nothing_recorded).known(e) {
                Some(Known::Exact(mut set)) => {
                    set.extend(rule.labels.iter().map(|(k, _)| k.clone()));
                    Some(set)
                }
                _ => None,
            });
        out.entry(name.clone())
            .and_modify(|prev| {
                if *prev != own {
                    *prev = None;
                }
            })
            .or_insert(own);
    }
    out
}

/// A constant's value, and its two factors when it is a product.
type Constant = (f64, Option<(f64, f64)>);

/// What the walks below know about each node of one expression, computed once per node. The
/// walks ask about the same subtrees again and again (each `and` of a chain about its whole
/// left side, each level of that about its constant operands), which without these caches
/// costs the cube of the chain's length. Nodes are keyed by address: the expression is
/// borrowed for the caches' whole life, so no node moves. The walks recurse, as deep as the
/// expression nests, which `limits::check_promql` bounds before anything is parsed.
struct Facts<'r> {
    recorded: &'r BTreeMap<String, Option<BTreeSet<String>>>,
    constants: HashMap<*const Expr, Option<Constant>>,
    known: HashMap<*const Expr, Option<Known>>,
}

impl<'r> Facts<'r> {
    fn new(recorded: &'r BTreeMap<String, Option<BTreeSet<String>>>) -> Self {
        Self {
            recorded,
            constants: HashMap::new(),
            known: HashMap::new(),
        }
    }

    /// The value of a constant expression (`0.0144`, `(14.4 * 0.001)`), and the two factors
    /// when it is a product.
    fn constant(&mut self, expr: &Expr) -> Option<Constant> {
        let key = std::ptr::from_ref(expr);
        if let Some(v) = self.constants.get(&key) {
            return *v;
        }
        let value = match expr {
            Expr::NumberLiteral(n) => Some((n.val, None)),
            Expr::Paren(p) => self.constant(&p.expr),
            Expr::Unary(u) => self.constant(&u.expr).map(|(v, _)| (-v, None)),
            Expr::Binary(b) => match (self.constant(&b.lhs), self.constant(&b.rhs)) {
                (Some((l, _)), Some((r, _))) => match b.op.to_string().as_str() {
                    "*" => Some((l * r, Some((l, r)))),
                    "/" => Some((l / r, None)),
                    "+" => Some((l + r, None)),
                    "-" => Some((l - r, None)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        self.constants.insert(key, value);
        value
    }

    /// The labels an expression's samples are known to carry.
    fn known(&mut self, expr: &Expr) -> Option<Known> {
        let key = std::ptr::from_ref(expr);
        if let Some(k) = self.known.get(&key) {
            return k.clone();
        }
        let value = match expr {
            Expr::Aggregate(a) => {
                if a.op.to_string() == "count_values" {
                    None
                } else {
                    match &a.modifier {
                        None => Some(Known::Exact(BTreeSet::new())),
                        Some(LabelModifier::Include(l)) => {
                            Some(Known::Exact(l.labels.iter().cloned().collect()))
                        }
                        Some(LabelModifier::Exclude(_)) => None,
                    }
                }
            }
            Expr::Paren(p) => self.known(&p.expr),
            Expr::Unary(u) => self.known(&u.expr),
            Expr::Binary(b) => {
                let op = b.op.to_string();
                let modified = b
                    .modifier
                    .as_ref()
                    .is_some_and(|m| m.matching.is_some() || m.return_bool);
                if self.constant(&b.rhs).is_some() {
                    self.known(&b.lhs)
                } else if self.constant(&b.lhs).is_some() {
                    self.known(&b.rhs)
                } else if op == "or" || modified {
                    // `or` mixes both sides; `on`, `ignoring`, `group_*` and `bool` reshape
                    // labels.
                    None
                } else {
                    // `and`, `unless`, comparisons and one-to-one arithmetic keep the left's
                    // labels.
                    self.known(&b.lhs)
                }
            }
            Expr::MatrixSelector(m) => Some(self.known_selector(&m.vs)),
            Expr::Call(c) => {
                // Functions that keep their argument's labels (the names differ from the
                // input's only in `__name__`, which no match compares).
                const KEEP: [&str; 12] = [
                    "rate",
                    "irate",
                    "increase",
                    "delta",
                    "idelta",
                    "deriv",
                    "abs",
                    "ceil",
                    "floor",
                    "round",
                    "clamp_min",
                    "clamp_max",
                ];
                let name = c.func.name;
                if KEEP.contains(&name) || name.ends_with("_over_time") {
                    c.args.args.first().and_then(|a| self.known(a))
                } else {
                    None
                }
            }
            Expr::VectorSelector(v) => Some(self.known_selector(v)),
            _ => None,
        };
        self.known.insert(key, value.clone());
        value
    }

    fn known_selector(&self, v: &parser::VectorSelector) -> Known {
        let name = selector_name(v);
        if let Some(Some(set)) = name.as_ref().and_then(|n| self.recorded.get(n)) {
            return Known::Exact(set.clone());
        }
        Known::AtLeast(
            v.matchers
                .matchers
                .iter()
                .filter(|m| m.name != "__name__" && m.op.to_string() == "=" && !m.value.is_empty())
                .map(|m| m.name.clone())
                .collect(),
        )
    }
}

fn selector_name(v: &parser::VectorSelector) -> Option<String> {
    v.name.clone().or_else(|| {
        v.matchers
            .matchers
            .iter()
            .find(|m| m.name == "__name__" && m.op.to_string() == "=")
            .map(|m| m.value.clone())
    })
}

/// Every selector's metric name, with its range when it is a range selector.
fn collect_selectors(expr: &Expr, out: &mut Vec<(String, Option<Duration>)>) {
    match expr {
        Expr::VectorSelector(v) => {
            if let Some(n) = selector_name(v) {
                out.push((n, None));
            }
        }
        Expr::MatrixSelector(m) => {
            if let Some(n) = selector_name(&m.vs) {
                let range = u64::try_from(m.range.as_millis())
                    .ok()
                    .map(Duration::from_millis);
                out.push((n, range));
            }
        }
        Expr::Aggregate(a) => {
            collect_selectors(&a.expr, out);
            if let Some(p) = &a.param {
                collect_selectors(p, out);
            }
        }
        Expr::Unary(u) => collect_selectors(&u.expr, out),
        Expr::Binary(b) => {
            collect_selectors(&b.lhs, out);
            collect_selectors(&b.rhs, out);
        }
        Expr::Paren(p) => collect_selectors(&p.expr, out),
        Expr::Subquery(s) => collect_selectors(&s.expr, out),
        Expr::Call(c) => {
            for a in &c.args.args {
                collect_selectors(a, out);
            }
        }
        _ => {}
    }
}

/// A ratio's name, the threshold it is compared with, and the threshold's two factors when it
/// is written as a product.
type Threshold = (String, f64, Option<(f64, f64)>);

/// Comparisons `ratio > c` (or `>=`) where the left side is a selector whose name says it is a
/// ratio: the name, c, and c's factors.
fn collect_thresholds(facts: &mut Facts<'_>, expr: &Expr, out: &mut Vec<Threshold>) {
    match expr {
        Expr::Binary(b) => {
            let op = b.op.to_string();
            if matches!(op.as_str(), ">" | ">=")
                && let Some((value, product)) = facts.constant(&b.rhs)
                && let Some(name) = ratio_selector(&b.lhs)
            {
                out.push((name, value, product));
            }
            collect_thresholds(facts, &b.lhs, out);
            collect_thresholds(facts, &b.rhs, out);
        }
        Expr::Paren(p) => collect_thresholds(facts, &p.expr, out),
        _ => {}
    }
}

fn ratio_selector(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Paren(p) => ratio_selector(&p.expr),
        Expr::VectorSelector(v) => selector_name(v).filter(|n| n.contains("ratio")),
        _ => None,
    }
}

fn show(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "no labels".into()
    } else {
        format!("{{{}}}", set.iter().cloned().collect::<Vec<_>>().join(", "))
    }
}

/// `and`s whose two sides can never have the same label signature.
fn collect_and_mismatches(facts: &mut Facts<'_>, expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Binary(b) => {
            if b.op.to_string() == "and" {
                let matching = b.modifier.as_ref().and_then(|m| m.matching.clone());
                let restrict = |k: Known| -> Known {
                    match &matching {
                        Some(LabelModifier::Include(l)) => {
                            let on: BTreeSet<String> = l.labels.iter().cloned().collect();
                            match k {
                                Known::Exact(s) => {
                                    Known::Exact(s.intersection(&on).cloned().collect())
                                }
                                Known::AtLeast(s) => {
                                    Known::AtLeast(s.intersection(&on).cloned().collect())
                                }
                            }
                        }
                        Some(LabelModifier::Exclude(l)) => {
                            let ignored: BTreeSet<String> = l.labels.iter().cloned().collect();
                            match k {
                                Known::Exact(s) => {
                                    Known::Exact(s.difference(&ignored).cloned().collect())
                                }
                                Known::AtLeast(s) => {
                                    Known::AtLeast(s.difference(&ignored).cloned().collect())
                                }
                            }
                        }
                        None => k,
                    }
                };
                if let (Some(l), Some(r)) = (facts.known(&b.lhs), facts.known(&b.rhs)) {
                    let (l, r) = (restrict(l), restrict(r));
                    let clash = match (&l, &r) {
                        (Known::Exact(a), Known::Exact(b)) => (a != b).then(|| (show(a), show(b))),
                        (Known::Exact(e), Known::AtLeast(a)) if !a.is_subset(e) => {
                            Some((show(e), format!("at least {}", show(a))))
                        }
                        (Known::AtLeast(a), Known::Exact(e)) if !a.is_subset(e) => {
                            Some((format!("at least {}", show(a)), show(e)))
                        }
                        _ => None,
                    };
                    if let Some((left, right)) = clash {
                        out.push(format!(
                            "`and` keeps the left samples whose labels exist on the right, but the left has {left} and the right has {right}: they never match, so this alert can never fire"
                        ));
                    }
                }
            }
            collect_and_mismatches(facts, &b.lhs, out);
            collect_and_mismatches(facts, &b.rhs, out);
        }
        Expr::Paren(p) => collect_and_mismatches(facts, &p.expr, out),
        _ => {}
    }
}
