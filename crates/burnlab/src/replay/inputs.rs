//! The counters a spec's SLI reads, made from a scenario's traffic.
//!
//! A latency SLI names its histogram, so its series are direct: `_count` and the `+Inf` bucket
//! count every request, the threshold bucket the fast ones. An events SLI names only queries, so
//! the series are found from their selectors: for each metric, a "bad" series that every
//! selector of the error query matches (and the total query's, where it can), and a "good"
//! series that the total query matches but the error query does not — label values are picked
//! from the matchers (`code=~"5.."` gives `500`, `code!~"5.."` gives `200`). A raw SLI is read as
//! `errors / total`. [`super::Replay::compile`] then checks the choice by evaluating the SLI on a
//! steady 10 % of bad requests.

use crate::alertmanager::matchers::{Labels, MatchOp, Matcher};
use crate::error::{Error, Result};
use crate::replay::plan::NAME;
use crate::replay::promql::{self, BinOp, Expr, Selector};
use crate::rules::conventions::WINDOW_PLACEHOLDER;
use crate::rules::spec::{Sli, Slo};

/// How an input counter follows the scenario's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// Every request.
    Total,
    /// Bad requests: failed ones (availability SLIs) or slow ones (latency SLIs).
    Bad,
    /// Good requests: all minus bad.
    Good,
}

/// Which of the scenario's ratios makes a request bad for this SLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadKind {
    /// `error_ratio`: failed requests.
    Errors,
    /// `slow_ratio`: requests slower than the latency SLI's threshold.
    Slow,
}

/// One input counter.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSeries {
    /// Its labels, with `__name__`.
    pub labels: Labels,
    /// How it follows the traffic.
    pub formula: Formula,
}

/// The counters an SLI reads, and its queries for the check.
#[derive(Debug, Clone, PartialEq)]
pub struct SliInputs {
    /// The counters.
    pub series: Vec<InputSeries>,
    /// Which requests are bad.
    pub bad: BadKind,
    /// The error ratio over `window` as PromQL, for checks and the naive rule.
    pub ratio_query: String,
}

fn err(message: impl Into<String>) -> Error {
    Error::field("sli", message)
}

/// The counters `slo`'s SLI reads.
pub fn inputs(slo: &Slo) -> Result<SliInputs> {
    let ratio_query =
        crate::rules::generate::error_ratio_query(slo, crate::duration::Duration::from_mins(5));
    match &slo.sli {
        Sli::Latency {
            metric,
            le,
            matchers,
        } => {
            let base: Labels = matchers.iter().cloned().collect();
            let with = |name: String, le: Option<&str>| {
                let mut l = base.clone();
                l.insert(NAME.to_owned(), name);
                if let Some(le) = le {
                    l.insert("le".to_owned(), le.to_owned());
                }
                l
            };
            Ok(SliInputs {
                series: vec![
                    InputSeries {
                        labels: with(format!("{metric}_bucket"), Some(le)),
                        formula: Formula::Good,
                    },
                    InputSeries {
                        labels: with(format!("{metric}_bucket"), Some("+Inf")),
                        formula: Formula::Total,
                    },
                    InputSeries {
                        labels: with(format!("{metric}_count"), None),
                        formula: Formula::Total,
                    },
                ],
                bad: BadKind::Slow,
                ratio_query,
            })
        }
        Sli::Events {
            error_query,
            total_query,
        } => {
            let e = parse(error_query, "error_query")?;
            let t = parse(total_query, "total_query")?;
            Ok(SliInputs {
                series: synthesize(&e, &t)?,
                bad: BadKind::Errors,
                ratio_query,
            })
        }
        Sli::Raw { error_ratio_query } => {
            let whole = parse(error_ratio_query, "error_ratio_query")?;
            let Expr::Binary {
                op: BinOp::Div,
                lhs,
                rhs,
                ..
            } = unparen(&whole)
            else {
                return Err(err(
                    "the replay reads a raw SLI as `errors / total` at the top of error_ratio_query; write it that way or use an events SLI",
                ));
            };
            Ok(SliInputs {
                series: synthesize(lhs, rhs)?,
                bad: BadKind::Errors,
                ratio_query,
            })
        }
    }
}

fn parse(query: &str, what: &str) -> Result<Expr> {
    let text = query.replace(WINDOW_PLACEHOLDER, "5m");
    promql::parse(&text).map_err(|e| err(format!("{what}: {} (at byte {})", e.message, e.at)))
}

fn unparen(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(inner) => unparen(inner),
        other => other,
    }
}

fn selectors<'a>(e: &'a Expr, out: &mut Vec<&'a Selector>) {
    match e {
        Expr::Selector(s) => out.push(s),
        Expr::Call { args, .. } => args.iter().for_each(|a| selectors(a, out)),
        Expr::Aggregate { param, expr, .. } => {
            if let Some(p) = param {
                selectors(p, out);
            }
            selectors(expr, out);
        }
        Expr::Binary { lhs, rhs, .. } => {
            selectors(lhs, out);
            selectors(rhs, out);
        }
        Expr::Negate { expr, .. } | Expr::Paren(expr) => selectors(expr, out),
        Expr::Number { .. } | Expr::String { .. } | Expr::Subquery { .. } => {}
    }
}

fn metric(s: &Selector) -> Option<String> {
    s.name.clone().or_else(|| {
        s.matchers
            .iter()
            .find(|m| m.name() == NAME && m.op() == MatchOp::Equal)
            .map(|m| m.value().to_owned())
    })
}

/// A string the Go-syntax regex `re` matches, for simple regexes (literals, `.`, classes,
/// alternation, groups and quantifiers): the first alternative, each class's first member,
/// each quantified atom as few times as allowed.
pub fn witness(re: &str) -> Option<String> {
    let chars: Vec<char> = re.chars().collect();
    let mut pos = 0;
    let s = alternation(&chars, &mut pos, 0)?;
    (pos == chars.len()).then_some(s)
}

fn alternation(c: &[char], pos: &mut usize, depth: usize) -> Option<String> {
    if depth > 20 {
        return None;
    }
    let first = sequence(c, pos, depth)?;
    while c.get(*pos) == Some(&'|') {
        *pos += 1;
        sequence(c, pos, depth)?;
    }
    Some(first)
}

fn sequence(c: &[char], pos: &mut usize, depth: usize) -> Option<String> {
    let mut out = String::new();
    while let Some(&ch) = c.get(*pos) {
        if ch == '|' || ch == ')' {
            break;
        }
        let atom = match ch {
            '(' => {
                *pos += 1;
                if c.get(*pos) == Some(&'?') {
                    // (?:…) or flags: skip to the colon.
                    while c.get(*pos).is_some_and(|x| *x != ':' && *x != ')') {
                        *pos += 1;
                    }
                    if c.get(*pos) == Some(&':') {
                        *pos += 1;
                    }
                }
                let inner = alternation(c, pos, depth + 1)?;
                if c.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                inner
            }
            '[' => {
                *pos += 1;
                let negated = c.get(*pos) == Some(&'^');
                if negated {
                    *pos += 1;
                }
                let mut members = Vec::new();
                let mut first = true;
                while let Some(&x) = c.get(*pos) {
                    if x == ']' && !first {
                        break;
                    }
                    first = false;
                    let lo = if x == '\\' {
                        *pos += 1;
                        escape_char(*c.get(*pos)?)
                    } else {
                        x
                    };
                    *pos += 1;
                    if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|y| *y != ']') {
                        let hi = *c.get(*pos + 1)?;
                        *pos += 2;
                        members.push((lo, hi));
                    } else {
                        members.push((lo, lo));
                    }
                }
                *pos += 1;
                let pick = if negated {
                    ['x', '0', 'a', 'Z', '_']
                        .into_iter()
                        .find(|ch| !members.iter().any(|(a, b)| a <= ch && ch <= b))?
                } else {
                    members.first()?.0
                };
                pick.to_string()
            }
            '\\' => {
                *pos += 1;
                let e = *c.get(*pos)?;
                *pos += 1;
                match e {
                    'd' => "0".into(),
                    'w' => "a".into(),
                    's' => " ".into(),
                    'D' | 'W' | 'S' => "x".into(),
                    other => escape_char(other).to_string(),
                }
            }
            '.' => {
                *pos += 1;
                "0".into()
            }
            '^' | '$' => {
                *pos += 1;
                String::new()
            }
            other => {
                *pos += 1;
                other.to_string()
            }
        };
        // Quantifiers: the fewest repetitions allowed.
        let times = match c.get(*pos) {
            Some('*' | '?') => {
                *pos += 1;
                0
            }
            Some('+') => {
                *pos += 1;
                1
            }
            Some('{') => {
                let close = c.get(*pos..)?.iter().position(|x| *x == '}')? + *pos;
                let inner: String = c.get(*pos + 1..close)?.iter().collect();
                *pos = close + 1;
                inner
                    .split(',')
                    .next()?
                    .trim()
                    .parse::<usize>()
                    .ok()?
                    .min(64)
            }
            _ => 1,
        };
        if c.get(*pos) == Some(&'?') {
            *pos += 1;
        }
        out.push_str(&atom.repeat(times));
    }
    Some(out)
}

fn escape_char(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

/// Label values worth trying for a bad series, most natural first.
const BAD: [&str; 14] = [
    "500", "503", "5xx", "error", "failure", "false", "200", "2xx", "ok", "success", "true", "GET",
    "x", "",
];

/// Label values worth trying for a good series, most natural first.
const GOOD: [&str; 14] = [
    "200", "2xx", "ok", "success", "true", "GET", "500", "503", "5xx", "error", "failure", "false",
    "x", "",
];

/// A value satisfying every matcher, or `None`.
fn pick(ms: &[&Matcher], avoid: Option<&Matcher>) -> Option<String> {
    let mut cands: Vec<String> = Vec::new();
    let natural = if avoid.is_some() { GOOD } else { BAD };
    if avoid.is_some() {
        cands.extend(natural.iter().map(|s| (*s).to_owned()));
    }
    for m in ms.iter().copied().chain(avoid) {
        match m.op() {
            MatchOp::Equal | MatchOp::NotEqual => cands.push(m.value().to_owned()),
            MatchOp::Regex | MatchOp::NotRegex => {
                if let Some(w) = witness(m.value()) {
                    cands.push(w);
                }
            }
        }
    }
    cands.extend(natural.iter().map(|s| (*s).to_owned()));
    cands.into_iter().find(|v| {
        ms.iter().all(|m| m.matches_value(v)) && avoid.is_none_or(|a| !a.matches_value(v))
    })
}

/// Labels satisfying `ms` (grouped by label name), or `None`.
fn solve(name: &str, ms: &[&Matcher], avoid: Option<&Matcher>) -> Option<Labels> {
    let mut labels = Labels::new();
    labels.insert(NAME.to_owned(), name.to_owned());
    let mut names: Vec<&str> = ms.iter().map(|m| m.name()).filter(|n| *n != NAME).collect();
    if let Some(a) = avoid {
        names.push(a.name());
    }
    names.sort_unstable();
    names.dedup();
    for n in names {
        let on: Vec<&Matcher> = ms.iter().copied().filter(|m| m.name() == n).collect();
        let v = pick(&on, avoid.filter(|a| a.name() == n))?;
        if !v.is_empty() {
            labels.insert(n.to_owned(), v);
        }
    }
    Some(labels)
}

fn synthesize(error: &Expr, total: &Expr) -> Result<Vec<InputSeries>> {
    let (mut es, mut ts) = (Vec::new(), Vec::new());
    selectors(error, &mut es);
    selectors(total, &mut ts);
    let mut names: Vec<String> = Vec::new();
    for s in es.iter().chain(&ts) {
        let Some(n) = metric(s) else {
            return Err(err(
                "every selector of the SLI's queries needs a metric name",
            ));
        };
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let on = |v: &[&Selector]| -> Vec<Matcher> {
            v.iter()
                .filter(|s| metric(s).as_deref() == Some(name.as_str()))
                .flat_map(|s| s.matchers.iter().filter(|m| m.name() != NAME).cloned())
                .collect()
        };
        let em = on(&es);
        let tm = on(&ts);
        let in_error = es
            .iter()
            .any(|s| metric(s).as_deref() == Some(name.as_str()));
        let in_total = ts
            .iter()
            .any(|s| metric(s).as_deref() == Some(name.as_str()));
        let erefs: Vec<&Matcher> = em.iter().collect();
        let trefs: Vec<&Matcher> = tm.iter().collect();
        let both: Vec<&Matcher> = em.iter().chain(&tm).collect();
        match (in_error, in_total) {
            (true, true) => {
                let bad = solve(&name, &both, None)
                    .or_else(|| solve(&name, &erefs, None))
                    .ok_or_else(|| {
                        err(format!(
                            "no series of `{name}` matches the error query's selectors"
                        ))
                    })?;
                let good = em
                    .iter()
                    .find_map(|avoid| solve(&name, &trefs, Some(avoid)))
                    .ok_or_else(|| {
                        err(format!(
                            "no series of `{name}` matches the total query but not the error query: the replay cannot tell good requests from bad"
                        ))
                    })?;
                out.push(InputSeries {
                    labels: bad,
                    formula: Formula::Bad,
                });
                out.push(InputSeries {
                    labels: good,
                    formula: Formula::Good,
                });
            }
            (true, false) => out.push(InputSeries {
                labels: solve(&name, &erefs, None).ok_or_else(|| {
                    err(format!(
                        "no series of `{name}` matches the error query's selectors"
                    ))
                })?,
                formula: Formula::Bad,
            }),
            _ => out.push(InputSeries {
                labels: solve(&name, &trefs, None).ok_or_else(|| {
                    err(format!(
                        "no series of `{name}` matches the total query's selectors"
                    ))
                })?,
                formula: Formula::Total,
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::spec::Spec;

    #[test]
    fn witnesses_match_their_regexes() {
        for (re, want) in [
            ("5..", "500"),
            ("5xx|4xx", "5xx"),
            ("(5|4)[0-9]{2}", "500"),
            ("[^2].*", "x"),
            ("error(s)?", "error"),
            ("\\d+", "0"),
            ("(?:GET|POST)", "GET"),
        ] {
            assert_eq!(witness(re).as_deref(), Some(want), "{re}");
        }
    }

    fn series_of(sli: &str) -> Result<Vec<String>> {
        let spec = format!(
            "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99.9\n    sli:\n{sli}\n    alerting:\n      name: A\n"
        );
        let spec = Spec::parse(&spec)?;
        let sli = inputs(&spec.slos[0])?;
        Ok(sli
            .series
            .iter()
            .map(|s| {
                format!(
                    "{:?} {}",
                    s.formula,
                    crate::replay::plan::series_text(&s.labels)
                )
            })
            .collect())
    }

    #[test]
    fn an_events_sli_gets_a_bad_and_a_good_series_of_the_same_metric() {
        assert_eq!(
            series_of("      events:\n        error_query: sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))").unwrap(),
            vec![
                "Bad http_requests_total{code=\"500\", job=\"api\"}",
                "Good http_requests_total{code=\"200\", job=\"api\"}",
            ]
        );
        assert_eq!(
            series_of("      events:\n        error_query: sum(rate(req_total{code!~\"2..|3..\"}[{{.window}}]))\n        total_query: sum(rate(req_total[{{.window}}]))").unwrap(),
            vec!["Bad req_total{code=\"500\"}", "Good req_total{code=\"200\"}"]
        );
    }

    #[test]
    fn separate_error_and_total_metrics_get_one_series_each() {
        assert_eq!(
            series_of("      events:\n        error_query: sum(rate(errors_total[{{.window}}]))\n        total_query: sum(rate(requests_total[{{.window}}]))").unwrap(),
            vec!["Bad errors_total{}", "Total requests_total{}"]
        );
    }

    #[test]
    fn a_latency_sli_feeds_its_histogram() {
        assert_eq!(
            series_of("      latency:\n        metric: http_duration_seconds\n        le: \"0.3\"\n        matchers: {job: api}").unwrap(),
            vec![
                "Good http_duration_seconds_bucket{job=\"api\", le=\"0.3\"}",
                "Total http_duration_seconds_bucket{job=\"api\", le=\"+Inf\"}",
                "Total http_duration_seconds_count{job=\"api\"}",
            ]
        );
    }

    #[test]
    fn a_raw_sli_that_is_not_a_division_is_refused_with_the_reason() {
        let e =
            series_of("      raw:\n        error_ratio_query: 1 - avg_over_time(up[{{.window}}])")
                .unwrap_err();
        assert!(e.message.contains("errors / total"), "{e}");
    }
}
