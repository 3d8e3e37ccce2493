//! The Rules section's state: the form's fields, a pasted spec and a pasted rule file as typed,
//! beside the last rules generated from valid input. Which of the three drives the YAML is
//! the user's choice; switching keeps the others' text. Generation runs only when one of its
//! inputs changes (a field, the format, or the SLO context from the sections above), never on
//! an edit elsewhere. Lint findings come from the heavy-core worker.

use std::rc::Rc;

use burnlab::heavy::RuleFinding;
use burnlab::rules::form::{FormSli, SpecForm};
use burnlab::rules::runbook::Runbook;
use burnlab::rules::{Format, Options, RuleFile, Spec};
use burnlab::tiers::TierSet;
use burnlab::{Objective, Period};

/// What drives the generated YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// The form, on the objective, period and tiers of the sections above.
    #[default]
    Form,
    /// A pasted Sloth `prometheus/v1` or OpenSLO spec, with its own objectives.
    Spec,
    /// A pasted rule file or PrometheusRule: linted, not generated.
    File,
}

impl Source {
    /// Stable name for links.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Spec => "spec",
            Self::File => "file",
        }
    }

    /// The source named by [`Source::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Form, Self::Spec, Self::File]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Which SLI fields the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SliKind {
    /// A request counter and a label filter for the failed ones.
    #[default]
    Metric,
    /// Two queries.
    Queries,
    /// A latency histogram.
    Latency,
}

impl SliKind {
    /// Stable name for links and selects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Metric => "metric",
            Self::Queries => "queries",
            Self::Latency => "latency",
        }
    }

    /// The kind named by [`SliKind::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Metric, Self::Queries, Self::Latency]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A text field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Service name.
    Service,
    /// SLO name.
    Slo,
    /// Counter metric (metric SLI).
    Metric,
    /// Selector of every request (metric SLI).
    Selector,
    /// Filter of failed requests (metric SLI).
    ErrorFilter,
    /// Error query (queries SLI).
    ErrorQuery,
    /// Total query (queries SLI).
    TotalQuery,
    /// Histogram (latency SLI).
    LatencyMetric,
    /// Bucket bound (latency SLI).
    Le,
    /// Equality matchers (latency SLI).
    LatencySelector,
    /// Labels on every rule.
    Labels,
    /// Runbook link.
    RunbookUrl,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 12] = [
        Field::Service,
        Field::Slo,
        Field::Metric,
        Field::Selector,
        Field::ErrorFilter,
        Field::ErrorQuery,
        Field::TotalQuery,
        Field::LatencyMetric,
        Field::Le,
        Field::LatencySelector,
        Field::Labels,
        Field::RunbookUrl,
    ];

    /// The key of the field in links (after `r.`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Slo => "slo",
            Self::Metric => "metric",
            Self::Selector => "sel",
            Self::ErrorFilter => "errf",
            Self::ErrorQuery => "errq",
            Self::TotalQuery => "totq",
            Self::LatencyMetric => "hist",
            Self::Le => "le",
            Self::LatencySelector => "hsel",
            Self::Labels => "labels",
            Self::RunbookUrl => "runbook",
        }
    }

    /// The name the core's errors use for the field.
    pub fn error_name(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Slo => "SLO name",
            Self::Metric | Self::LatencyMetric => "metric",
            Self::Selector | Self::LatencySelector => "selector",
            Self::ErrorFilter => "error filter",
            Self::ErrorQuery => "error query",
            Self::TotalQuery => "total query",
            Self::Le => "le",
            Self::Labels => "labels",
            Self::RunbookUrl => "runbook URL",
        }
    }
}

/// The form's fields as typed; the SLI fields of every kind are kept, so switching kinds
/// loses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormFields {
    /// Which SLI fields are used.
    pub sli: SliKind,
    values: [String; 12],
}

impl Default for FormFields {
    fn default() -> Self {
        let d = SpecForm::default();
        let mut f = Self {
            sli: SliKind::Metric,
            values: Default::default(),
        };
        f.set(Field::Service, d.service);
        f.set(Field::Slo, d.slo);
        if let FormSli::Metric {
            metric,
            selector,
            error_filter,
        } = d.sli
        {
            f.set(Field::Metric, metric);
            f.set(Field::Selector, selector);
            f.set(Field::ErrorFilter, error_filter);
        }
        f.set(
            Field::ErrorQuery,
            "sum(rate(task_api_requests_total{status=~\"5..\"}[{{.window}}]))".into(),
        );
        f.set(
            Field::TotalQuery,
            "sum(rate(task_api_requests_total[{{.window}}]))".into(),
        );
        f.set(
            Field::LatencyMetric,
            "task_api_request_duration_seconds".into(),
        );
        f.set(Field::Le, "0.2".into());
        f.set(Field::LatencySelector, "job=task-api".into());
        f.set(Field::Labels, d.labels);
        f.set(Field::RunbookUrl, d.runbook_url);
        f
    }
}

impl FormFields {
    fn index(field: Field) -> usize {
        Field::ALL.iter().position(|f| *f == field).unwrap_or(0)
    }

    /// A field's text.
    pub fn get(&self, field: Field) -> &str {
        self.values
            .get(Self::index(field))
            .map_or("", String::as_str)
    }

    /// Sets a field's text.
    pub fn set(&mut self, field: Field, text: String) {
        if let Some(slot) = self.values.get_mut(Self::index(field)) {
            *slot = text;
        }
    }

    /// The core's form.
    pub fn to_form(&self) -> SpecForm {
        let g = |f| self.get(f).to_owned();
        SpecForm {
            service: g(Field::Service),
            slo: g(Field::Slo),
            sli: match self.sli {
                SliKind::Metric => FormSli::Metric {
                    metric: g(Field::Metric),
                    selector: g(Field::Selector),
                    error_filter: g(Field::ErrorFilter),
                },
                SliKind::Queries => FormSli::Queries {
                    error_query: g(Field::ErrorQuery),
                    total_query: g(Field::TotalQuery),
                },
                SliKind::Latency => FormSli::Latency {
                    metric: g(Field::LatencyMetric),
                    le: g(Field::Le),
                    selector: g(Field::LatencySelector),
                },
            },
            labels: g(Field::Labels),
            runbook_url: g(Field::RunbookUrl),
        }
    }
}

/// The SLO context the form works on: the last valid objective, period and tier set of the
/// sections above.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The objective.
    pub objective: Objective,
    /// The period.
    pub period: Period,
    /// The tiers, already on `period`.
    pub tiers: TierSet,
}

/// What the section shows, from the last valid input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    /// The YAML, exactly as generated or pasted.
    pub yaml: String,
    /// The same rules as a plain rule file (for the hygiene table and promtool).
    pub rule_file: String,
    /// One runbook per alert (generated sources only).
    pub runbooks: Vec<Runbook>,
    /// How many alerts the rules raise.
    pub alerts: usize,
}

/// The Rules section's state.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesState {
    /// What drives the YAML.
    pub source: Source,
    /// The form.
    pub form: FormFields,
    /// The pasted spec.
    pub spec: String,
    /// The pasted rule file.
    pub file: String,
    /// Rule file or PrometheusRule.
    pub format: Format,
    /// The last output from valid input.
    pub output: Rc<Output>,
    /// The current input's error; when set, `output` is stale.
    pub error: Option<burnlab::Error>,
    /// The SLO context the form last used.
    pub context: Option<Rc<Context>>,
    /// Lint findings and the YAML they are about (stale when it is not `output.yaml`).
    pub lint: Option<(String, Rc<Vec<RuleFinding>>)>,
    /// Why the linter could not run, if it could not.
    pub lint_error: Option<String>,
}

/// The spec examples, by name.
pub const SPEC_EXAMPLES: [(&str, &str); 3] = [
    (
        "Task API (Sloth spec with burnlab additions)",
        include_str!("../../../../tests/fixtures/specs/task-api.yaml"),
    ),
    (
        "Task API (OpenSLO v1)",
        include_str!("../../../../tests/fixtures/specs/openslo-task-api.yaml"),
    ),
    (
        "Search (Pyrra tiers on 28d)",
        include_str!("../../../../tests/fixtures/specs/pyrra-search.yaml"),
    ),
];

/// The rule-file examples, by name.
pub const FILE_EXAMPLES: [(&str, &str); 2] = [
    (
        "The lesson's PrometheusRule (reads an unrecorded series)",
        include_str!("../../../../tests/fixtures/rules/lint/lesson-task-api-slo-alerts.yaml"),
    ),
    (
        "Common mistakes",
        include_str!("../../../../tests/fixtures/rules/lint/mistakes.yaml"),
    ),
];

/// A change in the Rules section.
#[derive(Debug, Clone, PartialEq)]
pub enum RulesAction {
    /// Pick what drives the YAML.
    SetSource(Source),
    /// A form field changed.
    SetField(Field, String),
    /// The SLI kind changed.
    SetSli(SliKind),
    /// The spec text changed.
    SetSpec(String),
    /// The pasted rule file changed.
    SetFile(String),
    /// Rule file or PrometheusRule.
    SetFormat(Format),
    /// Copy the form's spec into the spec editor and use it.
    FormToSpec,
    /// Load a spec example.
    LoadSpec(usize),
    /// Load a rule-file example.
    LoadFile(usize),
    /// The linter (the heavy-core worker) could not run.
    LintFailed(String),
    /// The worker's lint findings for `yaml`.
    Linted {
        /// The YAML that was linted.
        yaml: String,
        /// The findings.
        findings: Vec<RuleFinding>,
    },
}

impl Default for RulesState {
    fn default() -> Self {
        Self {
            source: Source::Form,
            form: FormFields::default(),
            spec: SPEC_EXAMPLES
                .first()
                .map(|(_, t)| (*t).to_owned())
                .unwrap_or_default(),
            file: FILE_EXAMPLES
                .first()
                .map(|(_, t)| (*t).to_owned())
                .unwrap_or_default(),
            format: Format::Rules,
            output: Rc::new(Output::default()),
            error: None,
            context: None,
            lint: None,
            lint_error: None,
        }
    }
}

/// The generator's options: one alert per tier, no naive rule (the CLI has both switches).
const OPTIONS: Options = Options {
    grouping: burnlab::rules::Grouping::PerTier,
    naive_threshold: false,
};

impl RulesState {
    /// Recomputes the output from the current input; on error the last output stays, stale.
    fn recompute(mut self) -> Self {
        match self.compute() {
            Ok(output) => {
                if *self.output != output {
                    self.output = Rc::new(output);
                }
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    fn compute(&self) -> burnlab::Result<Output> {
        let from_spec = |spec: Spec| {
            let file = burnlab::rules::generate::generate(&spec, OPTIONS);
            Output {
                yaml: burnlab::rules::generate::render(&spec, OPTIONS, self.format),
                rule_file: file.to_yaml(),
                runbooks: burnlab::rules::runbook::runbooks(&spec, OPTIONS),
                alerts: count_alerts(&file),
            }
        };
        match self.source {
            Source::Form => {
                let Some(c) = &self.context else {
                    return Err(burnlab::Error::field(
                        "objective",
                        "the Budget section has no valid objective and period yet",
                    ));
                };
                let spec = self
                    .form
                    .to_form()
                    .to_spec(c.objective, c.period, &c.tiers)?;
                Ok(from_spec(spec))
            }
            Source::Spec => Ok(from_spec(Spec::parse(&self.spec)?)),
            Source::File => {
                let file = RuleFile::parse(&self.file)?;
                Ok(Output {
                    yaml: self.file.clone(),
                    rule_file: self.file.clone(),
                    runbooks: Vec::new(),
                    alerts: count_alerts(&file),
                })
            }
        }
    }

    /// The state after `action`.
    pub fn apply(&self, action: RulesAction) -> Self {
        let mut next = self.clone();
        match action {
            RulesAction::SetSource(s) => next.source = s,
            RulesAction::SetField(f, text) => next.form.set(f, text),
            RulesAction::SetSli(k) => next.form.sli = k,
            RulesAction::SetSpec(t) => next.spec = t,
            RulesAction::SetFile(t) => next.file = t,
            RulesAction::SetFormat(f) => next.format = f,
            RulesAction::FormToSpec => {
                if let Some(c) = &self.context {
                    let preset = burnlab::tiers::Preset::parse(c.tiers.name()).ok();
                    match self
                        .form
                        .to_form()
                        .to_spec_yaml(c.objective, c.period, preset)
                    {
                        Ok(text) => {
                            next.spec = text;
                            next.source = Source::Spec;
                        }
                        Err(e) => {
                            next.error = Some(e);
                            return next;
                        }
                    }
                }
            }
            RulesAction::LoadSpec(i) => {
                if let Some((_, t)) = SPEC_EXAMPLES.get(i) {
                    next.spec = (*t).to_owned();
                    next.source = Source::Spec;
                }
            }
            RulesAction::LoadFile(i) => {
                if let Some((_, t)) = FILE_EXAMPLES.get(i) {
                    next.file = (*t).to_owned();
                    next.source = Source::File;
                }
            }
            RulesAction::Linted { yaml, findings } => {
                next.lint = Some((yaml, Rc::new(findings)));
                next.lint_error = None;
                return next;
            }
            RulesAction::LintFailed(message) => {
                next.lint_error = Some(if message.is_empty() {
                    "the heavy core answered something else".into()
                } else {
                    message
                });
                return next;
            }
        }
        next.recompute()
    }

    /// Takes the SLO context of the sections above; regenerates only when it changed and the
    /// form uses it.
    pub fn sync_slo(&self, objective: Objective, period: Period, tiers: &TierSet) -> Self {
        let context = Context {
            objective,
            period,
            tiers: tiers.clone(),
        };
        if self.context.as_deref() == Some(&context) {
            return self.clone();
        }
        let mut next = self.clone();
        next.context = Some(Rc::new(context));
        if next.source == Source::Form || self.output.yaml.is_empty() {
            next.recompute()
        } else {
            next
        }
    }

    /// The error for a form field, if the current error is about it.
    pub fn field_error(&self, field: Field) -> Option<&burnlab::Error> {
        self.error
            .as_ref()
            .filter(|e| self.source == Source::Form && e.field == field.error_name())
    }

    /// Whether the shown output belongs to older input than what is typed now.
    pub fn is_stale(&self) -> bool {
        self.error.is_some()
    }

    /// Lint findings of the shown YAML, when the worker has answered for it.
    pub fn findings(&self) -> Option<&Rc<Vec<RuleFinding>>> {
        self.lint
            .as_ref()
            .filter(|(yaml, _)| *yaml == self.output.yaml)
            .map(|(_, f)| f)
    }

    /// Writes the section's inputs as `r.`-prefixed key–value pairs (no secrets here).
    pub fn save(&self, out: &mut Vec<(&'static str, String)>) {
        out.push(("r.src", self.source.as_str().to_owned()));
        out.push(("r.sli", self.form.sli.as_str().to_owned()));
        let d = FormFields::default();
        for (f, key) in Field::ALL.iter().zip(FIELD_KEYS) {
            if self.form.get(*f) != d.get(*f) {
                out.push((key, self.form.get(*f).to_owned()));
            }
        }
        if self.format == Format::PrometheusRule {
            out.push(("r.fmt", "prometheusrule".into()));
        }
        let d = Self::default();
        if self.spec != d.spec {
            out.push(("r.spec", self.spec.clone()));
        }
        if self.file != d.file {
            out.push(("r.file", self.file.clone()));
        }
    }

    /// The section from pairs [`RulesState::save`] wrote; missing keys keep their defaults.
    /// The output is computed once the SLO context arrives ([`RulesState::sync_slo`]).
    pub fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let mut s = Self::default();
        if let Some(src) = get("r.src").and_then(|t| Source::parse(&t)) {
            s.source = src;
        }
        if let Some(k) = get("r.sli").and_then(|t| SliKind::parse(&t)) {
            s.form.sli = k;
        }
        for (f, key) in Field::ALL.iter().zip(FIELD_KEYS) {
            if let Some(v) = get(key) {
                s.form.set(*f, v);
            }
        }
        if get("r.fmt").as_deref() == Some("prometheusrule") {
            s.format = Format::PrometheusRule;
        }
        if let Some(t) = get("r.spec") {
            s.spec = t;
        }
        if let Some(t) = get("r.file") {
            s.file = t;
        }
        s
    }
}

/// Link keys of the form's fields, in [`Field::ALL`] order.
const FIELD_KEYS: [&str; 12] = [
    "r.service",
    "r.slo",
    "r.metric",
    "r.sel",
    "r.errf",
    "r.errq",
    "r.totq",
    "r.hist",
    "r.le",
    "r.hsel",
    "r.labels",
    "r.runbook",
];

fn count_alerts(file: &RuleFile) -> usize {
    file.groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter(|r| r.alert_name().is_some())
        .count()
}
