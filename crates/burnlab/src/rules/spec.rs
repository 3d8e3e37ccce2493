//! The SLO spec: Sloth's `prometheus/v1` file, read unchanged so existing users can paste theirs,
//! plus burnlab's additions under a `burnlab:` key (at the top for defaults, in an SLO to
//! override them) and a latency SLI under `sli.latency`.
//!
//! Reading happens in two steps, as elsewhere in the core: [`RawSpec`] mirrors the file field
//! for field with every value located, and [`Spec::try_from`] validates it into the types the
//! generator uses. Every error names the field path and the line and column.
//!
//! ```yaml
//! version: prometheus/v1
//! service: task-api
//! burnlab:                       # burnlab's additions; all optional
//!   period: 30d                  # default 30d
//!   tiers: workbook              # workbook, workbook-daily, sloth or pyrra
//!   scaling: budget-share        # or factors; default: the tier set's own tool's
//!   for: {1h: 2m, 6h: 15m}       # `for` per tier, keyed by the tier's long window
//!   runbook_url: https://runbooks.example.com/task-api
//!   dashboard_url: https://grafana.example.com/d/task-api
//!   traffic_floor: 1/s           # pages need at least this request rate
//!   manifest: {name: task-api-slo, namespace: monitoring, labels: {release: prometheus}}
//! slos:
//!   - name: latency
//!     objective: 99
//!     sli:
//!       latency:                 # errors = all requests − requests under the threshold
//!         metric: http_request_duration_seconds
//!         le: "0.3"
//!         matchers: {job: task-api}
//! ```

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::rules::conventions;
use crate::rules::read::{self, Located};
use crate::slo::{Objective, Period, RequestRate};
use crate::tiers::{Preset, Scaling, Severity, Tier};
use crate::yaml::{self, Node};

/// The spec file as written, every value located.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSpec {
    /// `version`: must be `prometheus/v1`.
    pub version: Located<String>,
    /// `service`.
    pub service: Located<String>,
    /// `labels`, added to every recording and alert.
    pub labels: Vec<(String, String)>,
    /// `slos`.
    pub slos: Vec<RawSlo>,
    /// `burnlab`: defaults for every SLO, and the manifest's metadata.
    pub burnlab: RawOptions,
}

/// One entry of `slos`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSlo {
    /// `name`.
    pub name: Located<String>,
    /// `objective`, a percentage.
    pub objective: Located<String>,
    /// `description`.
    pub description: String,
    /// `labels`.
    pub labels: Vec<(String, String)>,
    /// `sli`.
    pub sli: Located<RawSli>,
    /// `alerting`.
    pub alerting: RawAlerting,
    /// `burnlab`: overrides of the top-level defaults.
    pub burnlab: RawOptions,
}

/// `sli`: exactly one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum RawSli {
    /// `events`: `error_query` and `total_query`, both with `{{.window}}`.
    Events {
        /// `error_query`.
        error_query: Located<String>,
        /// `total_query`.
        total_query: Located<String>,
    },
    /// `raw`: `error_ratio_query` with `{{.window}}`.
    Raw {
        /// `error_ratio_query`.
        error_ratio_query: Located<String>,
    },
    /// `latency` (burnlab's): a histogram and the bucket at the threshold.
    Latency {
        /// `metric`: the histogram's name without `_bucket`.
        metric: Located<String>,
        /// `le`: the bucket bound that is the threshold, as the histogram writes it.
        le: Located<String>,
        /// `matchers`: equality matchers selecting the service's series.
        matchers: Vec<(String, String)>,
    },
}

/// `alerting`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawAlerting {
    /// `name`: the alert name.
    pub name: Option<Located<String>>,
    /// `labels` on both alerts.
    pub labels: Vec<(String, String)>,
    /// `annotations` on both alerts.
    pub annotations: Vec<(String, String)>,
    /// `page_alert`.
    pub page_alert: RawAlert,
    /// `ticket_alert`.
    pub ticket_alert: RawAlert,
}

/// `page_alert` or `ticket_alert`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawAlert {
    /// `disable`.
    pub disable: bool,
    /// `labels`.
    pub labels: Vec<(String, String)>,
    /// `annotations`.
    pub annotations: Vec<(String, String)>,
}

/// burnlab's additions; every field optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawOptions {
    /// `period`.
    pub period: Option<Located<String>>,
    /// `tiers`: a preset name.
    pub tiers: Option<Located<String>>,
    /// `scaling`.
    pub scaling: Option<Located<String>>,
    /// `for`: long window → `for`.
    pub for_by_window: Vec<(Located<String>, Located<String>)>,
    /// `runbook_url`.
    pub runbook_url: Option<Located<String>>,
    /// `dashboard_url`.
    pub dashboard_url: Option<Located<String>>,
    /// `traffic_floor`: a request rate.
    pub traffic_floor: Option<Located<String>>,
    /// `manifest` (top level only).
    pub manifest: Option<RawManifest>,
}

/// `burnlab.manifest`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawManifest {
    /// `name`.
    pub name: Option<Located<String>>,
    /// `namespace`.
    pub namespace: Option<Located<String>>,
    /// `labels`.
    pub labels: Vec<(String, String)>,
}

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
        if crate::rules::openslo::is_openslo(root) {
            return crate::rules::openslo::raw_spec(root);
        }
        let entries = read::mapping(
            root,
            "",
            &["version", "service", "labels", "slos", "burnlab"],
        )
        .map_err(|e| {
            if e.field.is_empty() {
                Error {
                    field: "spec".into(),
                    ..e
                }
            } else {
                e
            }
        })?;
        let mut version = None;
        let mut service = None;
        let mut labels = Vec::new();
        let mut slos = Vec::new();
        let mut burnlab = RawOptions::default();
        for (k, v) in entries {
            match k.scalar().unwrap_or_default() {
                "version" => version = Some(read::string(v, "version")?),
                "service" => service = Some(read::string(v, "service")?),
                "labels" => labels = read::template_map(v, "labels")?,
                "slos" => {
                    for (i, item) in read::items(v, "slos")?.iter().enumerate() {
                        slos.push(read_slo(item, &format!("slos[{i}]"))?);
                    }
                }
                _ => burnlab = read_options(v, "burnlab", true)?,
            }
        }
        let missing =
            |field: &str| root.error(field, format!("is missing: the spec needs a `{field}`"));
        Ok(Self {
            version: version.ok_or_else(|| missing("version"))?,
            service: service.ok_or_else(|| missing("service"))?,
            labels,
            slos,
            burnlab,
        })
    }
}

fn read_slo(node: &Node, path: &str) -> Result<RawSlo> {
    let entries = read::mapping(
        node,
        path,
        &[
            "name",
            "objective",
            "description",
            "labels",
            "sli",
            "alerting",
            "burnlab",
        ],
    )?;
    let (mut name, mut objective, mut sli) = (None, None, None);
    let mut slo_labels = Vec::new();
    let mut description = String::new();
    let mut alerting = RawAlerting::default();
    let mut burnlab = RawOptions::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "name" => name = Some(read::string(v, &p)?),
            "objective" => objective = Some(read::string(v, &p)?),
            "description" => description = read::string(v, &p)?.value,
            "labels" => slo_labels = read::template_map(v, &p)?,
            "sli" => sli = Some(read_sli(v, &p)?),
            "alerting" => alerting = read_alerting(v, &p)?,
            _ => burnlab = read_options(v, &p, false)?,
        }
    }
    let missing = |field: &str| {
        node.error(
            read::join(path, field),
            format!("is missing: every SLO needs a `{field}`"),
        )
    };
    Ok(RawSlo {
        name: name.ok_or_else(|| missing("name"))?,
        objective: objective.ok_or_else(|| missing("objective"))?,
        description,
        labels: slo_labels,
        sli: sli.ok_or_else(|| missing("sli"))?,
        alerting,
        burnlab,
    })
}

fn read_sli(node: &Node, path: &str) -> Result<Located<RawSli>> {
    let entries = read::mapping(node, path, &["events", "raw", "latency"])?;
    let [(k, v)] = entries else {
        return Err(node.error(path, "needs exactly one of `events`, `raw` or `latency`"));
    };
    let kind = k.scalar().unwrap_or_default();
    let p = read::join(path, kind);
    let field = |entries: &[(Node, Node)], name: &str| -> Result<Located<String>> {
        entries
            .iter()
            .find(|(k, _)| k.scalar() == Some(name))
            .map(|(_, v)| read::string(v, &read::join(&p, name)))
            .unwrap_or_else(|| {
                Err(v.error(
                    read::join(&p, name),
                    format!("is missing: `{kind}` needs `{name}`"),
                ))
            })
    };
    let value = match kind {
        "events" => {
            let e = read::mapping(v, &p, &["error_query", "total_query"])?;
            RawSli::Events {
                error_query: field(e, "error_query")?,
                total_query: field(e, "total_query")?,
            }
        }
        "raw" => {
            let e = read::mapping(v, &p, &["error_ratio_query"])?;
            RawSli::Raw {
                error_ratio_query: field(e, "error_ratio_query")?,
            }
        }
        _ => {
            let e = read::mapping(v, &p, &["metric", "le", "matchers"])?;
            let matchers = match e.iter().find(|(k, _)| k.scalar() == Some("matchers")) {
                Some((_, m)) => read::label_map(m, &read::join(&p, "matchers"))?,
                None => Vec::new(),
            };
            RawSli::Latency {
                metric: field(e, "metric")?,
                le: field(e, "le")?,
                matchers,
            }
        }
    };
    Ok(Located {
        value,
        path: p,
        at: (v.line, v.column),
    })
}

fn read_alerting(node: &Node, path: &str) -> Result<RawAlerting> {
    let entries = read::mapping(
        node,
        path,
        &[
            "name",
            "labels",
            "annotations",
            "page_alert",
            "ticket_alert",
        ],
    )?;
    let mut out = RawAlerting::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "name" => out.name = Some(read::string(v, &p)?),
            "labels" => out.labels = read::template_map(v, &p)?,
            "annotations" => out.annotations = read::template_map(v, &p)?,
            "page_alert" => out.page_alert = read_alert(v, &p)?,
            _ => out.ticket_alert = read_alert(v, &p)?,
        }
    }
    Ok(out)
}

fn read_alert(node: &Node, path: &str) -> Result<RawAlert> {
    let entries = read::mapping(node, path, &["disable", "labels", "annotations"])?;
    let mut out = RawAlert::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "disable" => out.disable = read::boolean(v, &p)?,
            "labels" => out.labels = read::template_map(v, &p)?,
            _ => out.annotations = read::template_map(v, &p)?,
        }
    }
    Ok(out)
}

fn read_options(node: &Node, path: &str, top: bool) -> Result<RawOptions> {
    let mut allowed = vec![
        "period",
        "tiers",
        "scaling",
        "for",
        "runbook_url",
        "dashboard_url",
        "traffic_floor",
    ];
    if top {
        allowed.push("manifest");
    }
    let entries = read::mapping(node, path, &allowed)?;
    let mut out = RawOptions::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "period" => out.period = Some(read::string(v, &p)?),
            "tiers" => out.tiers = Some(read::string(v, &p)?),
            "scaling" => out.scaling = Some(read::string(v, &p)?),
            "runbook_url" | "dashboard_url" => {
                let url = read::string(v, &p)?;
                // Both become annotations of the generated alerts.
                read::template(v, &p, &url.value)?;
                if key == "runbook_url" {
                    out.runbook_url = Some(url);
                } else {
                    out.dashboard_url = Some(url);
                }
            }
            "traffic_floor" => out.traffic_floor = Some(read::string(v, &p)?),
            "for" => {
                if let Some(entries) = v.entries() {
                    for (wk, wv) in entries {
                        let window = read::string(wk, &p)?;
                        let wp = read::join(&p, &window.value);
                        out.for_by_window.push((window, read::string(wv, &wp)?));
                    }
                } else if !v.is_null() {
                    return Err(v.error(
                        &p,
                        "must map a tier's long window to its `for`, e.g. {1h: 2m}",
                    ));
                }
            }
            _ => {
                let e = read::mapping(v, &p, &["name", "namespace", "labels"])?;
                let mut m = RawManifest::default();
                for (mk, mv) in e {
                    let mkey = mk.scalar().unwrap_or_default();
                    let mp = read::join(&p, mkey);
                    match mkey {
                        "name" => m.name = Some(read::string(mv, &mp)?),
                        "namespace" => m.namespace = Some(read::string(mv, &mp)?),
                        _ => m.labels = read::string_map(mv, &mp)?,
                    }
                }
                out.manifest = Some(m);
            }
        }
    }
    Ok(out)
}

/// A validated spec: what the generator, the runbooks and the page work from.
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
    /// must already be on the SLOs' period (the page's tier editor scales them): how a custom
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
/// CLI and the page's worker); without it, brackets and quotes must at least pair up.
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
            "line 2, column 8: spec: YAML error: illegal placement of ':' indicator",
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
