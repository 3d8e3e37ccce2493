//! The rules form: a handful of fields (service, SLO name, the SLI as two queries, as a
//! counter with a label filter, or as a latency histogram, labels, runbook link) turned into a
//! Sloth `prometheus/v1` spec, so the form and a pasted spec go through the same reader and
//! generator. Objective, period and tiers are not form fields: they come from the calculator
//! and the tier editor, and [`SpecForm::to_spec`] puts them in with [`Spec::with_tiers`], which
//! also carries a custom tier set that the spec file format cannot name.
//!
//! Errors name the form's fields (`service`, `error filter`, …), never the path inside the
//! spec the form writes, which the user never sees unless they ask for it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::format;
use crate::rules::conventions;
use crate::rules::read;
use crate::rules::spec::Spec;
use crate::slo::{Objective, Period};
use crate::tiers::{Preset, Tier};
use crate::yaml::{self, Node};

/// How the form describes the SLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormSli {
    /// Two PromQL queries, each with `{{.window}}`: failed events and all events.
    Queries {
        /// The rate of failed events.
        error_query: String,
        /// The rate of all events.
        total_query: String,
    },
    /// A request counter: all requests match `selector`, failed ones also `error_filter`.
    Metric {
        /// The counter, e.g. `http_requests_total`.
        metric: String,
        /// Matchers every request series has, e.g. `job="api"`; may be empty.
        selector: String,
        /// Matchers of the failed requests, e.g. `code=~"5.."`.
        error_filter: String,
    },
    /// A latency histogram: requests slower than the bucket `le` are errors.
    Latency {
        /// The histogram without `_bucket`, e.g. `http_request_duration_seconds`.
        metric: String,
        /// The threshold bucket's bound as the histogram writes it, e.g. `0.3`.
        le: String,
        /// Equality matchers, `job=api, route=/tasks`; may be empty.
        selector: String,
    },
}

/// The form as the user left it; every field is raw text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecForm {
    /// The service, e.g. `task-api`.
    pub service: String,
    /// The SLO's name, e.g. `availability`.
    pub slo: String,
    /// The SLI.
    pub sli: FormSli,
    /// Labels on every recording and alert, `team=platform, tier=1`.
    pub labels: String,
    /// The runbook link put on every alert; may be empty (pages then draw a lint warning).
    pub runbook_url: String,
}

impl Default for SpecForm {
    /// The lesson's Task API.
    fn default() -> Self {
        Self {
            service: "task-api".into(),
            slo: "availability".into(),
            sli: FormSli::Metric {
                metric: "task_api_requests_total".into(),
                selector: String::new(),
                error_filter: "status=~\"5..\"".into(),
            },
            labels: "team=platform".into(),
            runbook_url: "https://runbooks.example.com/task-api".into(),
        }
    }
}

/// `task-api` and `availability` → `TaskApiAvailability`: the alert name the form gives.
pub fn alert_name(service: &str, slo: &str) -> String {
    let mut out = String::new();
    for word in service
        .split(|c: char| !c.is_ascii_alphanumeric())
        .chain(slo.split(|c: char| !c.is_ascii_alphanumeric()))
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Reads `k=v, k="v"` pairs (labels, or a latency selector). Names must be label names.
pub fn label_pairs(text: &str, field: &str) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((name, value)) = item.split_once('=') else {
            return Err(Error::field(
                field,
                format!("`{item}` is not name=value: write pairs like team=platform, tier=1"),
            ));
        };
        let name = name.trim();
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if !read::is_label_name(name) {
            return Err(Error::field(
                field,
                format!(
                    "`{name}` is not a label name: use letters, digits and _, not starting with a digit"
                ),
            ));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(Error::field(field, format!("`{name}` is given twice")));
        }
        out.push((name.to_owned(), value.to_owned()));
    }
    Ok(out)
}

/// A matcher list written inside a selector's braces must not close or open one itself.
/// Checks a field of PromQL label matchers (`job="api", code=~"5.."`) as Prometheus reads
/// them inside a selector's braces, regexes included; an error says what is wrong and at which
/// character of the field.
fn check_matchers(text: &str, field: &str) -> Result<()> {
    if text.contains(['{', '}', '[', ']']) {
        return Err(Error::field(
            field,
            "write the matchers without braces, e.g. job=\"api\", code=~\"5..\"",
        ));
    }
    if text.trim().is_empty() {
        return Ok(());
    }
    // The text as it is written into the rules: inside a selector's braces.
    const BEFORE: &str = "m{";
    let src = format!("{BEFORE}{}}}", text.trim_end().trim_end_matches(','));
    crate::replay::promql::parse(&src).map(drop).map_err(|e| {
        let at = e.at.saturating_sub(BEFORE.len()).min(text.len());
        let column = text.get(..at).map_or(at, |t| t.chars().count()) + 1;
        let near = if at >= text.trim_end().len() {
            "at the end".to_owned()
        } else {
            format!("at character {column}")
        };
        // The braces are the writer's, not the user's: say what the user wrote.
        let why = e.message.replace("found `}`", "found the end").replace(
            "expected `,` or `}` after a matcher",
            "expected `,` before the next matcher",
        );
        Error::field(
            field,
            format!("`{text}` is not a list of matchers {near}: {why}"),
        )
    })
}

fn selector(parts: &[&str]) -> String {
    let inner: Vec<&str> = parts
        .iter()
        .map(|p| p.trim().trim_end_matches(',').trim())
        .filter(|p| !p.is_empty())
        .collect();
    if inner.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", inner.join(","))
    }
}

fn pairs_node(pairs: &[(String, String)]) -> Node {
    Node::map(
        pairs
            .iter()
            .map(|(k, v)| (k.as_str(), Node::str(v.clone())))
            .collect(),
    )
}

/// The form field an error of the spec the form writes is about.
fn form_field(path: &str) -> &'static str {
    if path.contains("error_query") {
        "error query"
    } else if path.contains("total_query") {
        "total query"
    } else if path.contains("metric") {
        "metric"
    } else if path.ends_with(".le") {
        "le"
    } else if path.contains("latency.matchers") {
        "selector"
    } else if path.contains("labels") {
        "labels"
    } else if path.contains("runbook_url") {
        "runbook URL"
    } else if path.contains("objective") {
        "objective"
    } else if path.contains("period") {
        "period"
    } else if path.contains("name") {
        "SLO name"
    } else {
        "service"
    }
}

impl SpecForm {
    /// The Sloth spec the form stands for, on `objective` and `period`. `tiers` names a preset
    /// to write into it; a custom tier set cannot be named in a spec, so it is left out (and
    /// [`SpecForm::to_spec`] puts the tiers in afterwards).
    pub fn to_spec_yaml(
        &self,
        objective: Objective,
        period: Period,
        tiers: Option<Preset>,
    ) -> Result<String> {
        let service = self.service.trim();
        let slo = self.slo.trim();
        for (value, field, example) in [
            (service, "service", "task-api"),
            (slo, "SLO name", "availability"),
        ] {
            let ok = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !ok {
                return Err(Error::field(
                    field,
                    if value.is_empty() {
                        format!("is empty: name it, e.g. {example}")
                    } else {
                        format!("`{value}` is not a name: use letters, digits, _, - and .")
                    },
                ));
            }
        }
        let labels = label_pairs(&self.labels, "labels")?;
        let w = conventions::WINDOW_PLACEHOLDER;
        let sli = match &self.sli {
            FormSli::Queries {
                error_query,
                total_query,
            } => Node::map(vec![(
                "events",
                Node::map(vec![
                    ("error_query", Node::str(error_query.trim())),
                    ("total_query", Node::str(total_query.trim())),
                ]),
            )]),
            FormSli::Metric {
                metric,
                selector: sel,
                error_filter,
            } => {
                let metric = metric.trim();
                if !read::is_metric_name(metric) {
                    return Err(Error::field(
                        "metric",
                        format!("`{metric}` is not a metric name: e.g. http_requests_total"),
                    ));
                }
                check_matchers(sel, "selector")?;
                check_matchers(error_filter, "error filter")?;
                if error_filter.trim().is_empty() {
                    return Err(Error::field(
                        "error filter",
                        "is empty: say which requests failed, e.g. code=~\"5..\"",
                    ));
                }
                let all = selector(&[sel]);
                let failed = selector(&[sel, error_filter]);
                Node::map(vec![(
                    "events",
                    Node::map(vec![
                        (
                            "error_query",
                            Node::str(format!("sum(rate({metric}{failed}[{w}]))")),
                        ),
                        (
                            "total_query",
                            Node::str(format!("sum(rate({metric}{all}[{w}]))")),
                        ),
                    ]),
                )])
            }
            FormSli::Latency {
                metric,
                le,
                selector: sel,
            } => {
                let matchers = label_pairs(sel, "selector")?;
                let mut entries = vec![
                    ("metric", Node::str(metric.trim())),
                    ("le", Node::str(le.trim())),
                ];
                if !matchers.is_empty() {
                    entries.push(("matchers", pairs_node(&matchers)));
                }
                Node::map(vec![("latency", Node::map(entries))])
            }
        };
        let mut options = vec![("period", Node::plain(period.to_string()))];
        if let Some(p) = tiers {
            options.push(("tiers", Node::plain(p.as_str())));
        }
        if !self.runbook_url.trim().is_empty() {
            options.push(("runbook_url", Node::str(self.runbook_url.trim())));
        }
        let mut top = vec![
            ("version", Node::plain("prometheus/v1")),
            ("service", Node::str(service)),
        ];
        if !labels.is_empty() {
            top.push(("labels", pairs_node(&labels)));
        }
        top.push(("burnlab", Node::map(options)));
        top.push((
            "slos",
            Node::seq(vec![Node::map(vec![
                ("name", Node::str(slo)),
                (
                    "objective",
                    Node::plain(format::decimal(objective.percent())),
                ),
                ("sli", sli),
                (
                    "alerting",
                    Node::map(vec![("name", Node::str(alert_name(service, slo)))]),
                ),
            ])]),
        ));
        Ok(yaml::to_string(&Node::map(top)))
    }

    /// The validated spec on `objective`, `period` and `tiers` of the set named `set_name`
    /// (already scaled to `period`, possibly custom). Errors name the form's fields.
    pub fn to_spec(
        &self,
        objective: Objective,
        period: Period,
        set_name: &str,
        tiers: &[Tier],
    ) -> Result<Spec> {
        self.to_spec_and_yaml(objective, period, set_name, tiers)
            .map(|(spec, _)| spec)
    }

    /// [`SpecForm::to_spec`] and the spec's YAML ([`SpecForm::to_spec_yaml`]) together,
    /// writing the YAML once.
    pub fn to_spec_and_yaml(
        &self,
        objective: Objective,
        period: Period,
        set_name: &str,
        tiers: &[Tier],
    ) -> Result<(Spec, String)> {
        let preset = Preset::parse(set_name).ok();
        let text = self.to_spec_yaml(objective, period, preset)?;
        let spec = Spec::parse(&text).map_err(|e| Error {
            field: form_field(&e.field).to_owned(),
            location: None,
            // A fix edits the generated text, which the form's user never sees.
            fixes: Vec::new(),
            ..e
        })?;
        Ok((spec.with_tiers(set_name, tiers)?, text))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_bad_matcher_is_named_at_its_field_and_character() {
        for (text, expect) in [
            (
                "status=~\"5..",
                "`status=~\"5..` is not a list of matchers at character 9: ",
            ),
            (
                "status=~\"(5..\"",
                "`status=~\"(5..\"` is not a list of matchers at character 9: ",
            ),
            (
                "status=",
                "`status=` is not a list of matchers at the end: ",
            ),
            (
                "code=\"5\" job",
                "`code=\"5\" job` is not a list of matchers at character 10: ",
            ),
        ] {
            let e = check_matchers(text, "error filter").unwrap_err();
            assert_eq!(e.field, "error filter");
            assert!(e.message.starts_with(expect), "{text}: {}", e.message);
        }
        assert!(check_matchers("code=~\"5..\", job=\"api\",", "error filter").is_ok());
        assert!(check_matchers("  ", "selector").is_ok());
    }

    use super::*;

    fn context() -> (Objective, Period, crate::tiers::TierSet) {
        let objective = Objective::from_percent(99.9).unwrap();
        (objective, Period::DAYS_30, Preset::Workbook.tier_set())
    }

    /// Builds the spec from `form` and compares the outcome (the generated rules' alert names,
    /// or the error) with `expect`.
    fn check(form: &SpecForm, expect: &str) {
        let (o, p, t) = context();
        let got = match form.to_spec(o, p, t.name(), t.tiers()) {
            Ok(spec) => crate::rules::generate::generate(&spec, Default::default())
                .groups
                .iter()
                .flat_map(|g| &g.rules)
                .filter_map(|r| r.alert_name().map(str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn the_default_form_gives_the_lessons_task_api_alerts() {
        check(
            &SpecForm::default(),
            "TaskApiAvailabilityPage1h, TaskApiAvailabilityPage6h, TaskApiAvailabilityTicket3d",
        );
    }

    #[test]
    fn a_metric_with_a_filter_becomes_error_and_total_queries() {
        let form = SpecForm {
            sli: FormSli::Metric {
                metric: "http_requests_total".into(),
                selector: "job=\"api\"".into(),
                error_filter: "code=~\"5..\"".into(),
            },
            ..SpecForm::default()
        };
        let (o, p, _) = context();
        let text = form.to_spec_yaml(o, p, Some(Preset::Workbook)).unwrap();
        assert!(
            text.contains(
                "error_query: \"sum(rate(http_requests_total{job=\\\"api\\\",code=~\\\"5..\\\"}[{{.window}}]))\""
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "total_query: \"sum(rate(http_requests_total{job=\\\"api\\\"}[{{.window}}]))\""
            ),
            "{text}"
        );
        // The text the form writes is a spec the reader takes back as it is.
        assert!(Spec::parse(&text).is_ok(), "{text}");
    }

    #[test]
    fn bad_fields_are_named_as_the_form_names_them() {
        let with = |f: fn(&mut SpecForm)| {
            let mut form = SpecForm::default();
            f(&mut form);
            form
        };
        check(
            &with(|f| f.service = String::new()),
            "service: is empty: name it, e.g. task-api",
        );
        check(
            &with(|f| f.slo = "avail ability".into()),
            "SLO name: `avail ability` is not a name: use letters, digits, _, - and .",
        );
        check(
            &with(|f| f.labels = "team".into()),
            "labels: `team` is not name=value: write pairs like team=platform, tier=1",
        );
        check(
            &with(|f| {
                f.sli = FormSli::Queries {
                    error_query: "sum(rate(x{code=\"500\"}[5m]))".into(),
                    total_query: "sum(rate(x[{{.window}}]))".into(),
                }
            }),
            "error query: has no `{{.window}}` placeholder: write the range as [{{.window}}] so each window gets its own rule",
        );
        check(
            &with(|f| {
                f.sli = FormSli::Latency {
                    metric: "http_seconds_bucket".into(),
                    le: "0.3".into(),
                    selector: String::new(),
                }
            }),
            "metric: `http_seconds_bucket` is not a histogram name: give the metric without `_bucket`, e.g. http_request_duration_seconds",
        );
        check(
            &with(|f| {
                f.sli = FormSli::Metric {
                    metric: "x_total".into(),
                    selector: "{job=\"a\"}".into(),
                    error_filter: "code=\"500\"".into(),
                }
            }),
            "selector: write the matchers without braces, e.g. job=\"api\", code=~\"5..\"",
        );
    }

    #[test]
    fn alert_names_are_camel_case_of_service_and_slo() {
        assert_eq!(
            alert_name("task-api", "availability"),
            "TaskApiAvailability"
        );
        assert_eq!(
            alert_name("checkout.v2", "p99_latency"),
            "CheckoutV2P99Latency"
        );
        assert_eq!(alert_name("3d", "x"), "_3dX");
    }

    #[test]
    fn a_custom_tier_set_reaches_the_rules() {
        use crate::duration::Duration;
        use crate::tiers::Severity;
        let (o, p, _) = context();
        let custom = vec![
            Tier::new(
                Severity::Page,
                Duration::from_hours(2),
                Duration::from_mins(10),
                10.0,
                Some(Duration::from_mins(3)),
            )
            .unwrap(),
        ];
        let spec = SpecForm::default()
            .to_spec(o, p, "custom", &custom)
            .unwrap();
        let yaml = crate::rules::generate::render(&spec, Default::default(), Default::default());
        assert!(yaml.contains("alert: TaskApiAvailabilityPage2h"), "{yaml}");
        assert!(yaml.contains("> 0.01\n"), "{yaml}");
        assert!(yaml.contains("for: 3m"), "{yaml}");
        assert!(!yaml.contains("Ticket"), "{yaml}");
    }
}
