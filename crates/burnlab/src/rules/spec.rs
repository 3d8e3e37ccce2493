//! The validated SLO spec: [`Spec`], its [`Slo`]s and [`Sli`]s, what the generator, the
//! runbooks and the replay work from.
//!
//! Reading happens in two steps, as elsewhere in the core: a reader turns the located YAML into
//! a [`RawSpec`], every value located and none checked — [`sloth`] for Sloth's `prometheus/v1`
//! specs with burnlab's additions, [`openslo`] for OpenSLO v1 `SLO` documents, picked by the
//! document's shape in [`RawSpec::from_node`] — and [`Spec::try_from`] validates it: names and
//! labels, the objective, the period, the tier set scaled to it with each tier's `for`, the
//! queries, the alerts and the manifest's metadata. Every error names the field path and the
//! line and column.

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::rules::conventions;
use crate::rules::raw::{RawAlert, RawSli, RawSpec};
use crate::rules::read::{self, Located};
use crate::rules::{openslo, sloth};
use crate::slo::{Objective, Period, RequestRate};
use crate::tiers::{Preset, Scaling, Severity, Tier};
use crate::yaml::{self, Node};

impl RawSpec {
    /// Reads the spec's YAML; the structure is checked, the values are not yet.
    pub fn parse(text: &str) -> Result<Self> {
        let root = yaml::parse(text, "spec")?
            .ok_or_else(|| Error::field("spec", "is empty: start with `version: prometheus/v1`"))?;
        Self::from_node(&root)
    }

    /// Reads an already parsed tree: a Sloth spec, or an OpenSLO v1 `SLO` where it maps (see
    /// [`crate::rules::openslo`]).
    pub fn from_node(root: &Node) -> Result<Self> {
        if openslo::is_openslo(root) {
            return openslo::raw_spec(root);
        }
        sloth::raw_spec(root)
    }
}

/// A validated spec: what the generator, the runbooks and the replay work from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The service name.
    pub service: String,
    /// Labels on every recording and alert.
    pub labels: Vec<(String, String)>,
    /// The SLOs.
    pub slos: Vec<Slo>,
    /// The PrometheusRule manifest's metadata.
    pub manifest: Manifest,
}

/// The PrometheusRule manifest's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.labels`, always with `release`.
    pub labels: Vec<(String, String)>,
}

/// The SLI: how the error ratio over a window is computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Sli {
    /// Error events over all events, each a query with `{{.window}}`.
    Events {
        /// Query for the rate of failed events.
        error_query: String,
        /// Query for the rate of all events.
        total_query: String,
    },
    /// A query for the error ratio itself, with `{{.window}}`.
    Raw {
        /// The error-ratio query.
        error_ratio_query: String,
    },
    /// Requests slower than a histogram bucket's bound: errors = all − those under `le`.
    Latency {
        /// The histogram's name without `_bucket`/`_count`.
        metric: String,
        /// The bucket bound, as the histogram writes it (`0.3`).
        le: String,
        /// Equality matchers selecting the service's series.
        matchers: Vec<(String, String)>,
    },
}

/// One alert (page or ticket) as the spec asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertSpec {
    /// Labels, the common ones then the alert's own (which win).
    pub labels: Vec<(String, String)>,
    /// Annotations, the common ones then the alert's own (which win).
    pub annotations: Vec<(String, String)>,
}

/// A validated SLO with its tiers moved to its period.
#[derive(Debug, Clone, PartialEq)]
pub struct Slo {
    /// `<service>-<name>`.
    pub id: String,
    /// The SLO's name.
    pub name: String,
    /// What it promises, in words.
    pub description: String,
    /// The objective.
    pub objective: Objective,
    /// The period.
    pub period: Period,
    /// Labels from the spec and the SLO.
    pub labels: Vec<(String, String)>,
    /// The SLI.
    pub sli: Sli,
    /// The alert name (Sloth's `alerting.name`).
    pub alert_name: String,
    /// The page alert, unless disabled.
    pub page: Option<AlertSpec>,
    /// The ticket alert, unless disabled.
    pub ticket: Option<AlertSpec>,
    /// The tiers, scaled to the period, with their `for`.
    pub tiers: Vec<Tier>,
    /// The tier set's name, for annotations and runbooks.
    pub tier_set: String,
    /// The runbook link.
    pub runbook_url: Option<String>,
    /// The dashboard link.
    pub dashboard_url: Option<String>,
    /// The least request rate at which a page may fire.
    pub traffic_floor: Option<RequestRate>,
}

impl Slo {
    /// The alert spec for a severity, if that alert is enabled.
    pub fn alert(&self, severity: Severity) -> Option<&AlertSpec> {
        match severity {
            Severity::Page => self.page.as_ref(),
            Severity::Ticket => self.ticket.as_ref(),
        }
    }

    /// The tiers whose alert is enabled.
    pub fn enabled_tiers(&self) -> impl Iterator<Item = &Tier> {
        self.tiers
            .iter()
            .filter(|t| self.alert(t.severity()).is_some())
    }
}

impl Spec {
    /// Reads and validates a spec.
    pub fn parse(text: &str) -> Result<Self> {
        Self::try_from(RawSpec::parse(text)?)
    }

    /// The spec with every SLO's tiers replaced by `tiers` of the set named `name`, which
    /// must already be on the SLOs' period (a tier editor scales them first): how a custom
    /// tier set, which the spec file cannot name, reaches the rules. Tiers keep their own
    /// `for`. A tier that can never fire at an SLO's objective is refused, as in a spec.
    pub fn with_tiers(mut self, name: &str, tiers: &[Tier]) -> Result<Self> {
        if tiers.is_empty() {
            return Err(Error::field("tiers", "add at least one tier"));
        }
        for slo in &mut self.slos {
            if let Some(t) = tiers.iter().find(|t| !t.is_possible(slo.objective)) {
                return Err(Error::field(
                    "tiers",
                    format!(
                        "at {} the {} tier needs an error ratio of {} and can never fire: \
                         pick a higher objective or lower factors",
                        crate::format::percent(slo.objective.ratio()),
                        t.label(),
                        crate::format::percent_sig(t.threshold(slo.objective), 4)
                    ),
                ));
            }
            slo.tiers = tiers.to_vec();
            slo.tier_set = name.to_owned();
        }
        Ok(self)
    }
}

/// Merges `over` into `base`: same keys are replaced in place, new keys appended.
fn merge(base: &[(String, String)], over: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = base.to_vec();
    for (k, v) in over {
        match out.iter_mut().find(|(bk, _)| bk == k) {
            Some(slot) => slot.1 = v.clone(),
            None => out.push((k.clone(), v.clone())),
        }
    }
    out
}

fn check_labels(labels: &[(String, String)], path: &str) -> Result<()> {
    match labels.iter().find(|(k, _)| !read::is_label_name(k)) {
        Some((k, _)) => Err(Error::field(
            read::join(path, k),
            read::label_name_message(k),
        )),
        None => Ok(()),
    }
}

fn check_window_query(q: &Located<String>) -> Result<String> {
    let text = q
        .value
        .replace("{{ .window }}", conventions::WINDOW_PLACEHOLDER);
    if !text.contains(conventions::WINDOW_PLACEHOLDER) {
        return Err(q.error(format!(
            "has no `{}` placeholder: write the range as [{}] so each window gets its own rule",
            conventions::WINDOW_PLACEHOLDER,
            conventions::WINDOW_PLACEHOLDER
        )));
    }
    if text.trim().is_empty() {
        return Err(q.error("is empty"));
    }
    check_query(q, &text)?;
    Ok(text)
}

/// The query, its window filled in, must be PromQL that Prometheus accepts: a typo is a located
/// error in the spec rather than broken rules found later by the linter. Within the linter's
/// bounds (`limits::check_promql`), and parsed with promql-parser when the core has it (the
/// CLI and any front that lints); without it, brackets and quotes must at least pair up.
fn check_query(q: &Located<String>, text: &str) -> Result<()> {
    let filled = text.replace(conventions::WINDOW_PLACEHOLDER, "5m");
    let column = |offset: usize| crate::limits::locate(&filled, offset, (1, 1));
    if let Err(too_big) = crate::limits::check_promql(&filled) {
        let (l, c) = column(too_big.offset);
        return Err(q.error(format!(
            "{} (line {l}, column {c} of the query)",
            too_big.message
        )));
    }
    if let Err((offset, why)) = pairs_up(&filled) {
        let (l, c) = column(offset);
        return Err(q.error(format!(
            "is not PromQL: {why} (line {l}, column {c} of the query)"
        )));
    }
    #[cfg(feature = "promql")]
    if let Err(e) = promql_parser::parser::parse(&filled) {
        return Err(q.error(format!(
            "is not PromQL that Prometheus accepts: {} (with the window as 5m)",
            e.trim()
        )));
    }
    Ok(())
}

/// Whether brackets and quotes pair up, outside strings, and no comment hides the rest of the
/// generated expression; the byte offset and what is wrong when not.
fn pairs_up(expr: &str) -> std::result::Result<(), (usize, String)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut chars = expr.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                let mut escaped = false;
                let closed = chars.by_ref().any(|(_, d)| {
                    let end = d == c && !escaped;
                    escaped = !escaped && d == '\\' && c != '`';
                    end
                });
                if !closed {
                    return Err((
                        i,
                        format!("the string opened here with {c} is never closed"),
                    ));
                }
            }
            '#' => {
                return Err((
                    i,
                    "a `#` comment starts here: burnlab writes the query inside other PromQL, where it would hide what follows; remove it".into(),
                ));
            }
            '(' | '[' | '{' => open.push((i, c)),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.pop() {
                    Some((_, o)) if o == want => {}
                    Some((at, o)) => {
                        return Err((i, format!("`{c}` closes the `{o}` opened at byte {at}")));
                    }
                    None => return Err((i, format!("`{c}` closes nothing"))),
                }
            }
            _ => {}
        }
    }
    match open.pop() {
        Some((at, o)) => Err((at, format!("the `{o}` opened here is never closed"))),
        None => Ok(()),
    }
}

/// A name usable in a label value and in an id: letters, digits, `_`, `-` and `.`.
fn check_name(name: &Located<String>) -> Result<()> {
    let ok = !name.value.is_empty()
        && name
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(name.error(format!(
            "`{}` is not a name: use letters, digits, _, - and .",
            name.value
        )))
    }
}

fn pick<'a>(
    own: &'a Option<Located<String>>,
    top: &'a Option<Located<String>>,
) -> Option<&'a Located<String>> {
    own.as_ref().or(top.as_ref())
}

impl TryFrom<RawSpec> for Spec {
    type Error = Error;

    fn try_from(raw: RawSpec) -> Result<Self> {
        if raw.version.value != "prometheus/v1" {
            return Err(raw.version.error(format!(
                "`{}` is not supported: burnlab reads Sloth's `prometheus/v1` specs",
                raw.version.value
            )));
        }
        check_name(&raw.service)?;
        check_labels(&raw.labels, "labels")?;
        if raw.slos.is_empty() {
            return Err(
                Error::field("slos", "the spec has no SLO: add at least one under `slos`")
                    .at(raw.service.at.0, raw.service.at.1),
            );
        }
        let top = &raw.burnlab;
        let mut slos: Vec<Slo> = Vec::new();
        for (i, s) in raw.slos.iter().enumerate() {
            let path = format!("slos[{i}]");
            check_name(&s.name)?;
            if let Some(first) = slos.iter().find(|o| o.name == s.name.value) {
                return Err(s
                    .name
                    .error(format!("SLO `{}` is defined twice", first.name)));
            }
            check_labels(&s.labels, &read::join(&path, "labels"))?;
            let percent: f64 = s
                .objective
                .value
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .map_err(|_| {
                    s.objective.error(format!(
                        "`{}` is not a number: write a percentage like 99.9",
                        s.objective.value
                    ))
                })?;
            let objective =
                Objective::from_percent(percent).map_err(|e| s.objective.error(e.message))?;
            if objective.has_zero_budget() {
                return Err(s.objective.error(crate::slo::ZERO_BUDGET));
            }
            let period = match pick(&s.burnlab.period, &top.period) {
                Some(p) => Period::parse(&p.value).map_err(|e| p.error(e.message))?,
                None => Period::DAYS_30,
            };
            let preset = match pick(&s.burnlab.tiers, &top.tiers) {
                Some(p) => Preset::parse(&p.value).map_err(|e| p.error(e.message))?,
                None => Preset::Workbook,
            };
            let set = preset.tier_set();
            let scaling = match pick(&s.burnlab.scaling, &top.scaling) {
                Some(p) => Scaling::parse(&p.value).map_err(|e| p.error(e.message))?,
                None => set.native_scaling(),
            };
            let scaled = set.scale_to(period, scaling).map_err(|e| {
                pick(&s.burnlab.period, &top.period)
                    .map_or_else(|| e.clone(), |p| p.error(e.message.clone()))
            })?;
            let mut fors = top.for_by_window.clone();
            fors.extend(s.burnlab.for_by_window.iter().cloned());
            let mut tiers = scaled.tiers().to_vec();
            for (window, value) in &fors {
                let long =
                    Duration::parse(&window.value, "for").map_err(|e| window.error(e.message))?;
                let d = Duration::parse(&value.value, "for").map_err(|e| value.error(e.message))?;
                let Some(tier) = tiers.iter_mut().find(|t| t.long_window() == long) else {
                    let windows: Vec<String> =
                        tiers.iter().map(|t| t.long_window().to_string()).collect();
                    return Err(window.error(format!(
                        "no tier has the long window {long}: the tiers' long windows are {}",
                        windows.join(", ")
                    )));
                };
                *tier = Tier::new(
                    tier.severity(),
                    tier.long_window(),
                    tier.short_window(),
                    tier.factor(),
                    Some(d),
                )
                .map_err(|e| value.error(e.message))?;
            }
            if let Some(t) = tiers.iter().find(|t| !t.is_possible(objective)) {
                return Err(s.objective.error(format!(
                    "at {} the {} tier needs an error ratio of {} and can never fire: \
                     pick a higher objective or a tier set with lower factors",
                    crate::format::percent(objective.ratio()),
                    t.label(),
                    crate::format::percent_sig(t.threshold(objective), 4)
                )));
            }
            let sli = match &s.sli.value {
                RawSli::Events {
                    error_query,
                    total_query,
                } => Sli::Events {
                    error_query: check_window_query(error_query)?,
                    total_query: check_window_query(total_query)?,
                },
                RawSli::Raw { error_ratio_query } => Sli::Raw {
                    error_ratio_query: check_window_query(error_ratio_query)?,
                },
                RawSli::Latency {
                    metric,
                    le,
                    matchers,
                } => {
                    if !read::is_metric_name(&metric.value) || metric.value.ends_with("_bucket") {
                        return Err(metric.error(format!(
                            "`{}` is not a histogram name: give the metric without `_bucket`, e.g. http_request_duration_seconds",
                            metric.value
                        )));
                    }
                    let bound: f64 = le.value.trim().parse().map_err(|_| {
                        le.error(format!("`{}` is not a bucket bound: write it as the histogram does, e.g. \"0.3\"", le.value))
                    })?;
                    if !(bound.is_finite() && bound > 0.0) {
                        return Err(le.error(
                            "must be a finite bound above 0: +Inf counts every request as fast",
                        ));
                    }
                    check_labels(matchers, &read::join(&s.sli.path, "latency.matchers"))?;
                    Sli::Latency {
                        metric: metric.value.clone(),
                        le: le.value.trim().to_owned(),
                        matchers: matchers.clone(),
                    }
                }
            };
            let traffic_floor = match pick(&s.burnlab.traffic_floor, &top.traffic_floor) {
                Some(p) => {
                    if matches!(sli, Sli::Raw { .. }) {
                        return Err(p.error(
                            "needs the request rate, which a `raw` SLI does not give: use `events` or `latency`",
                        ));
                    }
                    Some(RequestRate::parse(&p.value).map_err(|e| p.error(e.message))?)
                }
                None => None,
            };
            let al = &s.alerting;
            let enabled = |a: &RawAlert| {
                (!a.disable).then(|| AlertSpec {
                    labels: merge(&al.labels, &a.labels),
                    annotations: merge(&al.annotations, &a.annotations),
                })
            };
            let (page, ticket) = (enabled(&al.page_alert), enabled(&al.ticket_alert));
            for (what, labels) in [
                ("labels", &al.labels),
                ("page_alert.labels", &al.page_alert.labels),
                ("ticket_alert.labels", &al.ticket_alert.labels),
            ] {
                check_labels(labels, &format!("{path}.alerting.{what}"))?;
            }
            let alert_name = match &al.name {
                Some(n) if read::is_label_name(&n.value) => n.value.clone(),
                Some(n) => {
                    return Err(n.error(format!(
                        "`{}` is not an alert name: use letters, digits and _, e.g. TaskApiAvailability",
                        n.value
                    )));
                }
                None if page.is_none() && ticket.is_none() => String::new(),
                None => {
                    return Err(Error::field(
                        format!("{path}.alerting.name"),
                        "is missing: name the alert (e.g. TaskApiAvailability), or disable page_alert and ticket_alert",
                    )
                    .at(s.name.at.0, s.name.at.1));
                }
            };
            slos.push(Slo {
                id: conventions::slo_id(&raw.service.value, &s.name.value),
                name: s.name.value.clone(),
                description: s.description.clone(),
                objective,
                period,
                labels: merge(&raw.labels, &s.labels),
                sli,
                alert_name,
                page,
                ticket,
                tiers,
                tier_set: scaled.name().to_owned(),
                runbook_url: pick(&s.burnlab.runbook_url, &top.runbook_url)
                    .map(|l| l.value.clone()),
                dashboard_url: pick(&s.burnlab.dashboard_url, &top.dashboard_url)
                    .map(|l| l.value.clone()),
                traffic_floor,
            });
        }
        let m = top.manifest.clone().unwrap_or_default();
        let mut labels = merge(
            &[(
                conventions::MANIFEST_RELEASE_LABEL.to_owned(),
                conventions::DEFAULT_RELEASE.to_owned(),
            )],
            &m.labels,
        );
        labels.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Spec {
            manifest: Manifest {
                name: m
                    .name
                    .map_or_else(|| format!("{}-slo-rules", raw.service.value), |n| n.value),
                namespace: m
                    .namespace
                    .map_or_else(|| conventions::DEFAULT_NAMESPACE.to_owned(), |n| n.value),
                labels,
            },
            service: raw.service.value,
            labels: raw.labels,
            slos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "version: prometheus/v1
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(x{code=\"500\"}[{{.window}}]))
        total_query: sum(rate(x[{{.window}}]))
    alerting:
      name: ApiAvailability
";

    /// Parses `text` and compares the error (or `ok`) with `expect`.
    fn check(text: &str, expect: &str) {
        let got = match Spec::parse(text) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "spec:\n{text}");
    }

    fn with(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    }

    #[test]
    fn a_minimal_sloth_spec_is_accepted() {
        check(GOOD, "ok");
    }

    #[test]
    fn an_unknown_field_is_located_with_its_path() {
        check(
            &with(
                "    objective: 99.9\n",
                "    objective: 99.9\n    objectiv: 99\n",
            ),
            "line 6, column 5: slos[0].objectiv: unknown field `objectiv`: expected one of \
             name, objective, description, labels, sli, alerting, burnlab",
        );
    }

    #[test]
    fn a_query_without_the_window_placeholder_is_located() {
        check(
            &with("x[{{.window}}]))\n    alerting", "x[5m]))\n    alerting"),
            "line 9, column 22: slos[0].sli.events.total_query: has no `{{.window}}` placeholder: \
             write the range as [{{.window}}] so each window gets its own rule",
        );
    }

    #[test]
    fn a_comment_in_a_query_is_refused_where_it_starts() {
        // Found by the `sloth_spec` fuzz target: `su#m(…)` reads as `su`, and the comment hid
        // the closing brackets of every generated rule.
        check(
            &with("sum(rate(x{code", "su#m(rate(x{code"),
            "line 8, column 22: slos[0].sli.events.error_query: is not PromQL: a `#` comment \
             starts here: burnlab writes the query inside other PromQL, where it would hide what \
             follows; remove it (line 1, column 3 of the query)",
        );
    }

    #[test]
    fn an_objective_out_of_range_is_located() {
        check(
            &with("99.9", "120"),
            "line 5, column 16: slos[0].objective: 120 % is outside (0 %, 100 %]: give the share \
             of good events, e.g. 99.9",
        );
        check(
            &with("99.9", "100"),
            "line 5, column 16: slos[0].objective: 100 % leaves no error budget: every failed \
             event breaks the objective, so every burn rate is infinite and no burn-rate alert can \
             be written for it (burnlab rules refuses it; pick 99.9 or similar to alert on burn)",
        );
        check(
            &with("99.9", "high"),
            "line 5, column 16: slos[0].objective: `high` is not a number: write a percentage like 99.9",
        );
    }

    #[test]
    fn text_that_is_not_yaml_is_a_located_error() {
        check(
            "version: [prometheus/v1\nservice: x\n",
            "line 1, column 24: spec: YAML error: a `:` after a `[` or `{` left open: close it, or quote the text holding the `:` (illegal placement of ':' indicator)",
        );
        check("", "spec: is empty: start with `version: prometheus/v1`");
        check(
            "- a\n- b\n",
            "line 1, column 1: spec: must be a mapping, not a list",
        );
    }

    #[test]
    fn burnlab_additions_are_checked_where_they_are_written() {
        check(
            &with("slos:\n", "burnlab:\n  tiers: google\nslos:\n"),
            "line 4, column 10: burnlab.tiers: `google` is not a tier set: use workbook, \
             workbook-daily, sloth or pyrra",
        );
        check(
            &with("slos:\n", "burnlab:\n  for: {2h: 5m}\nslos:\n"),
            "line 4, column 9: burnlab.for: no tier has the long window 2h: the tiers' long \
             windows are 1h, 6h, 3d",
        );
        check(
            &with("slos:\n", "burnlab:\n  period: 0d\nslos:\n"),
            "line 4, column 11: burnlab.period: must be longer than zero, e.g. 30d",
        );
    }

    #[test]
    fn tiers_that_could_never_fire_at_the_objective_are_refused() {
        check(
            &with("99.9", "90"),
            "line 5, column 16: slos[0].objective: at 90 % the page 1h/5m 14.4× tier needs an \
             error ratio of 144 % and can never fire: pick a higher objective or a tier set with \
             lower factors",
        );
    }

    #[test]
    fn an_alert_needs_a_name_unless_both_are_disabled() {
        check(
            &with("    alerting:\n      name: ApiAvailability\n", ""),
            "line 4, column 11: slos[0].alerting.name: is missing: name the alert (e.g. \
             TaskApiAvailability), or disable page_alert and ticket_alert",
        );
        check(
            &with(
                "      name: ApiAvailability\n",
                "      page_alert: {disable: true}\n      ticket_alert: {disable: true}\n",
            ),
            "ok",
        );
    }

    #[test]
    fn a_latency_sli_needs_a_histogram_and_a_finite_bound() {
        let latency = |metric: &str, le: &str| {
            with(
                "      events:\n        error_query: sum(rate(x{code=\"500\"}[{{.window}}]))\n        total_query: sum(rate(x[{{.window}}]))\n",
                &format!("      latency: {{metric: {metric}, le: \"{le}\"}}\n"),
            )
        };
        check(&latency("http_seconds", "0.3"), "ok");
        check(
            &latency("http_seconds_bucket", "0.3"),
            "line 7, column 25: slos[0].sli.latency.metric: `http_seconds_bucket` is not a \
             histogram name: give the metric without `_bucket`, e.g. http_request_duration_seconds",
        );
        check(
            &latency("http_seconds", "+Inf"),
            "line 7, column 43: slos[0].sli.latency.le: must be a finite bound above 0: +Inf \
             counts every request as fast",
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,300}") {
            let _ = Spec::parse(&s);
            let _ = crate::rules::RuleFile::parse(&s);
        }

        #[test]
        fn every_alert_reads_only_recorded_windows(
            objective in 95.0f64..99.999,
            preset in 0usize..4,
            days in 1u64..120,
            naive: bool,
            grouped: bool,
        ) {
            let tiers = ["workbook", "workbook-daily", "sloth", "pyrra"][preset];
            let text = with(
                "slos:\n",
                &format!("burnlab: {{tiers: {tiers}, period: {days}d}}\nslos:\n"),
            )
            .replace("99.9", &crate::format::decimal(objective));
            let spec = match Spec::parse(&text) {
                Ok(spec) => spec,
                // Short periods make Pyrra's scaled windows round to zero: a located error.
                Err(e) => {
                    proptest::prop_assert!(e.field.contains("period") || e.field.contains("objective"), "{e}");
                    return Ok(());
                }
            };
            let options = crate::rules::Options {
                grouping: if grouped { crate::rules::Grouping::BySeverity } else { crate::rules::Grouping::PerTier },
                naive_threshold: naive,
            };
            let file = crate::rules::generate::generate(&spec, options);
            let rules: Vec<_> = file.groups.iter().flat_map(|g| &g.rules).collect();
            let recorded: Vec<&str> = rules
                .iter()
                .filter_map(|r| match &r.kind {
                    Some(crate::rules::RuleKind::Record(n)) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            for rule in &rules {
                for word in rule.expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '_')) {
                    if word.starts_with(conventions::RECORD_PREFIX) {
                        proptest::prop_assert!(recorded.contains(&word), "{word} is not recorded:\n{}", file.to_yaml());
                    }
                }
            }
        }
    }

    #[test]
    fn sloth_spellings_of_the_placeholder_and_defaults_are_kept() {
        let spec = Spec::parse(&GOOD.replace("{{.window}}", "{{ .window }}"));
        let Ok(spec) = spec else {
            panic!("{spec:?}");
        };
        let slo = &spec.slos[0];
        assert_eq!(slo.id, "api-availability");
        assert_eq!(slo.period, Period::DAYS_30);
        assert_eq!(slo.tiers.len(), 3);
        assert_eq!(
            spec.manifest.labels,
            vec![("release".into(), "prometheus".into())]
        );
    }
}
