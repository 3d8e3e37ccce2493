//! The Rules section's state: the form's fields, a pasted spec and a pasted rule file as typed,
//! beside the last rules the heavy core generated from valid input. Which of the three drives
//! the YAML is the user's choice; switching keeps the others' text. The request to the heavy
//! core ([`RulesState::request`]) changes only when one of its inputs does (a field, the
//! format, or the SLO context from the sections above), and only then is it sent.

use std::rc::Rc;

use burnlab::Error;
use burnlab::rules::Format;
use burnlab::rules::form::{FormSli, SpecForm};
use burnlab_protocol::rules::{RuleFinding, RulesAnswer, RulesInput, RulesRequest, RulesView};
use burnlab_protocol::views::SloView;

use crate::services::persist::{Persist, ShareMode};
use crate::state::budget::SloContext;

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
    /// The SLO context of the sections above, as the form sends it.
    pub slo: Option<Rc<SloView>>,
    /// The last rules from valid input.
    pub output: Rc<RulesView>,
    /// The request the last answer was for.
    pub answered: Option<Rc<RulesRequest>>,
    /// The last answer's error; when set, `output` is stale.
    pub error: Option<Error>,
    /// Lint findings of the last answer's YAML.
    pub findings: Rc<Vec<RuleFinding>>,
    /// Set by "edit as a spec" until an answer with the form's spec arrives.
    pub wants_spec: bool,
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
    /// The heavy core answered `request`.
    Answer {
        /// The request answered.
        request: Rc<RulesRequest>,
        /// The answer.
        answer: Box<RulesAnswer>,
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
            slo: None,
            output: Rc::new(RulesView::default()),
            answered: None,
            error: None,
            findings: Rc::new(Vec::new()),
            wants_spec: false,
        }
    }
}

impl RulesState {
    /// What the heavy core must compute for the current input; `None` while the form waits
    /// for a valid SLO from the sections above.
    pub fn request(&self) -> Option<RulesRequest> {
        Some(RulesRequest {
            input: self.input(None)?,
            prometheus_rule: self.format == Format::PrometheusRule,
        })
    }

    /// The rules as every section hands them to the heavy core, with the SLO of a pasted spec
    /// that a replay runs (`None` for its first); `None` while the form or a pasted file waits
    /// for a valid SLO from the sections above.
    pub fn input(&self, spec_slo: Option<String>) -> Option<RulesInput> {
        let slo = || self.slo.as_deref().cloned();
        let form = || Box::new(self.form.to_form());
        Some(match self.source {
            Source::Form => RulesInput::Form {
                form: form(),
                slo: slo()?,
            },
            Source::Spec => RulesInput::Spec {
                text: self.spec.clone(),
                slo: spec_slo,
            },
            Source::File => RulesInput::File {
                text: self.file.clone(),
                form: form(),
                slo: slo()?,
            },
        })
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
                next.source = Source::Form;
                next.wants_spec = true;
                if let Some(text) = self.output.spec_yaml.clone().filter(|_| self.is_current()) {
                    next.spec = text;
                    next.source = Source::Spec;
                    next.wants_spec = false;
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
            RulesAction::Answer { request, answer } => {
                let RulesAnswer { output, findings } = *answer;
                next.findings = Rc::new(findings);
                match output {
                    Ok(view) => {
                        if self.wants_spec
                            && matches!(request.input, RulesInput::Form { .. })
                            && let Some(text) = &view.spec_yaml
                        {
                            next.spec = text.clone();
                            next.source = Source::Spec;
                            next.wants_spec = false;
                        }
                        if *next.output != view {
                            next.output = Rc::new(view);
                        }
                        next.error = None;
                    }
                    Err(e) => next.error = Some(e),
                }
                next.answered = Some(request);
            }
        }
        next
    }

    /// Takes the SLO context of the sections above (objective, period and the tiers in effect
    /// on it). The form's request changes only when the context does.
    pub fn sync_slo(&self, slo: &SloContext) -> Self {
        let view = SloView::new(slo.objective, slo.period, &slo.tiers);
        if self.slo.as_deref() == Some(&view) {
            return self.clone();
        }
        let mut next = self.clone();
        next.slo = Some(Rc::new(view));
        next
    }

    /// Whether the last answer is for what is typed now.
    pub fn is_current(&self) -> bool {
        self.answered
            .as_deref()
            .is_some_and(|a| Some(a) == self.request().as_ref())
    }

    /// The error for a form field, if the current error is about it.
    pub fn field_error(&self, field: Field) -> Option<&Error> {
        self.error
            .as_ref()
            .filter(|e| self.source == Source::Form && e.field == field.error_name())
    }

    /// Whether the shown rules come from older input than what is typed, because the typed
    /// input does not read.
    pub fn is_stale(&self) -> bool {
        self.error.is_some()
    }
}

/// The section's inputs travel as `r.`-prefixed pairs, each only when it differs from its
/// default. Nothing here is a secret.
impl Persist for RulesState {
    fn save(&self, _mode: ShareMode, out: &mut Vec<(String, String)>) {
        let mut put = |k: &str, v: String| out.push((k.to_owned(), v));
        if self.source != Source::Form {
            put("r.src", self.source.as_str().to_owned());
        }
        if self.form.sli != SliKind::Metric {
            put("r.sli", self.form.sli.as_str().to_owned());
        }
        let d = FormFields::default();
        for (f, key) in Field::ALL.iter().zip(FIELD_KEYS) {
            if self.form.get(*f) != d.get(*f) {
                put(key, self.form.get(*f).to_owned());
            }
        }
        if self.format == Format::PrometheusRule {
            put("r.fmt", "prometheusrule".into());
        }
        let d = Self::default();
        if self.spec != d.spec {
            put("r.spec", self.spec.clone());
        }
        if self.file != d.file {
            put("r.file", self.file.clone());
        }
    }

    /// The section from pairs `save` wrote; missing keys keep their defaults. The SLO context
    /// comes from the page afterwards ([`RulesState::sync_slo`]).
    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
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
