//! The playground's state: the raw text of every input beside the last good result, so a bad edit
//! shows its error and never throws away what was shown before. `reduce` only calls the core.

use std::rc::Rc;

use burnlab::quality::{IncidentImpact, Sweep};
use burnlab::report::BudgetInput;
use burnlab::slo::{ErrorBudget, Period, RequestRate};
use burnlab::tiers::{Preset, Scaling};
use burnlab::{BudgetReport, Duration, ErrorRatio, Objective};
use yew::Reducible;

pub mod routing;
pub mod rules;

/// What the user typed or picked, exactly as they left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The objective, e.g. `99.9`.
    pub objective: String,
    /// The period, e.g. `30d`.
    pub period: String,
    /// The error ratio, e.g. `0.005`.
    pub error_ratio: String,
    /// Requests per second; empty when unknown.
    pub requests: String,
    /// The tier set.
    pub preset: Preset,
    /// How the tiers move to another period; `None` does what the tier set's own tool does.
    pub scaling: Option<Scaling>,
    /// How long the imagined incident lasts, e.g. `1h`.
    pub incident: String,
}

impl Default for Inputs {
    fn default() -> Self {
        Self {
            objective: "99.9".into(),
            period: "30d".into(),
            error_ratio: "0.005".into(),
            requests: String::new(),
            preset: Preset::Workbook,
            scaling: None,
            incident: "1h".into(),
        }
    }
}

/// The URL and storage keys of each input, short so shared links stay readable.
const KEYS: [&str; 7] = [
    "objective",
    "period",
    "errors",
    "rps",
    "tiers",
    "scaling",
    "incident",
];

impl Inputs {
    /// The inputs as key–value pairs for a URL query; empty optional fields are left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.objective.clone(),
            self.period.clone(),
            self.error_ratio.clone(),
            self.requests.clone(),
            self.preset.as_str().to_owned(),
            self.scaling
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            self.incident.clone(),
        ];
        KEYS.into_iter()
            .zip(values)
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// Inputs from a lookup of the keys [`Inputs::to_pairs`] writes. Missing keys keep their
    /// defaults; text fields are taken as they are (an invalid one shows its error, like a bad
    /// edit); an unknown tier set or scaling falls back to the default.
    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> Self {
        let d = Self::default();
        let text = |key: &str, default: String| get(key).unwrap_or(default);
        Self {
            objective: text("objective", d.objective),
            period: text("period", d.period),
            error_ratio: text("errors", d.error_ratio),
            requests: text("rps", d.requests),
            preset: get("tiers")
                .and_then(|t| Preset::parse(&t).ok())
                .unwrap_or(d.preset),
            scaling: get("scaling").and_then(|s| Scaling::parse(&s).ok()),
            incident: text("incident", d.incident),
        }
    }
}

/// Everything the page shows, computed by the core from valid inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Headline figures, tiers, warnings and explanations.
    pub report: BudgetReport,
    /// Detection time against error ratio for every tier.
    pub sweep: Sweep,
    /// What the imagined incident costs and wakes.
    pub incident: IncidentImpact,
}

/// The inputs, the last good figures, and the current input's errors.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// What the user typed.
    pub inputs: Inputs,
    /// The last figures computed from valid input; `None` only if no input was ever valid.
    pub figures: Option<Rc<Figures>>,
    /// The current input's errors, one per field at most; when non-empty, `figures` is stale.
    pub errors: Vec<burnlab::Error>,
    /// The Rules section.
    pub rules: rules::RulesState,
    /// The Routing section.
    pub routing: routing::RoutingState,
}

/// A change the user makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The objective field or slider changed.
    SetObjective { text: String },
    /// The period field changed.
    SetPeriod { text: String },
    /// The error ratio field changed.
    SetErrorRatio { text: String },
    /// The requests-per-second field changed.
    SetRequests { text: String },
    /// Another tier set was picked.
    SetPreset { preset: Preset },
    /// Another scaling was picked; `None` is the tier set's own.
    SetScaling { scaling: Option<Scaling> },
    /// The incident duration changed.
    SetIncident { text: String },
    /// A change in the Rules section.
    Rules(rules::RulesAction),
    /// A change in the Routing section.
    Routing(routing::RoutingAction),
}

/// Points per decade in the detection-time chart: smooth curves, a few hundred points in all.
const SWEEP_POINTS_PER_DECADE: u32 = 12;

/// Collects every field's error instead of stopping at the first, so the user sees them all.
fn field<T>(result: burnlab::Result<T>, errors: &mut Vec<burnlab::Error>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

impl Inputs {
    /// Computes every figure, or every field's error.
    pub fn compute(&self) -> Result<Figures, Vec<burnlab::Error>> {
        let mut errors = Vec::new();
        let objective = field(Objective::parse(&self.objective), &mut errors);
        let period = field(Period::parse(&self.period), &mut errors);
        let ratio = field(ErrorRatio::parse(&self.error_ratio), &mut errors);
        let requests = if self.requests.trim().is_empty() {
            Some(None)
        } else {
            field(RequestRate::parse(&self.requests), &mut errors).map(Some)
        };
        let incident = field(
            Duration::parse(&self.incident, "incident duration"),
            &mut errors,
        );
        let (Some(objective), Some(period), Some(errors_ratio), Some(requests), Some(incident)) =
            (objective, period, ratio, requests, incident)
        else {
            return Err(errors);
        };
        let input = BudgetInput {
            objective,
            period,
            errors: errors_ratio,
            requests,
            tiers: self.preset.tier_set(),
            scaling: self.scaling,
        };
        let report = BudgetReport::compute(&input).map_err(|e| vec![e])?;
        let tiers = input.scaled_tiers().map_err(|e| vec![e])?;
        let budget = ErrorBudget::new(objective, period);
        let sweep = burnlab::quality::sweep(tiers.tiers(), budget, SWEEP_POINTS_PER_DECADE);
        let incident = IncidentImpact::new(budget, tiers.tiers(), errors_ratio, incident, 1.0)
            .map_err(|e| vec![e])?;
        Ok(Figures {
            report,
            sweep,
            incident,
        })
    }
}

impl State {
    /// The state for `inputs`; when they are invalid, `fallback` stays shown.
    pub fn new(inputs: Inputs, fallback: Option<Rc<Figures>>) -> Self {
        match inputs.compute() {
            Ok(figures) => Self {
                inputs,
                figures: Some(Rc::new(figures)),
                errors: Vec::new(),
                rules: rules::RulesState::default(),
                routing: routing::RoutingState::default(),
            },
            Err(errors) => Self {
                inputs,
                figures: fallback,
                errors,
                rules: rules::RulesState::default(),
                routing: routing::RoutingState::default(),
            },
        }
        .with_sections_synced()
    }

    /// Hands the SLO context (objective, period, scaled tiers) of valid inputs to the sections
    /// that depend on it; with invalid inputs they keep the last one.
    fn with_sections_synced(mut self) -> Self {
        if !self.errors.is_empty() {
            return self;
        }
        let (Ok(objective), Ok(period)) = (
            Objective::parse(&self.inputs.objective),
            Period::parse(&self.inputs.period),
        ) else {
            return self;
        };
        let set = self.inputs.preset.tier_set();
        let scaling = self.inputs.scaling.unwrap_or(set.native_scaling());
        if let Ok(tiers) = set.scale_to(period, scaling) {
            self.rules = self.rules.sync_slo(objective, period, &tiers);
        }
        self
    }

    /// Whether the shown figures belong to older input than what is typed now.
    pub fn is_stale(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The error for one field, if any.
    pub fn error_for(&self, field: &str) -> Option<&burnlab::Error> {
        self.errors.iter().find(|e| e.field == field)
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new(Inputs::default(), None)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut inputs = self.inputs.clone();
        match action {
            Action::Rules(a) => {
                let mut next = (*self).clone();
                next.rules = self.rules.apply(a);
                return Rc::new(next);
            }
            Action::Routing(a) => {
                let mut next = (*self).clone();
                next.routing = self.routing.apply(a);
                return Rc::new(next);
            }
            Action::SetObjective { text } => inputs.objective = text,
            Action::SetPeriod { text } => inputs.period = text,
            Action::SetErrorRatio { text } => inputs.error_ratio = text,
            Action::SetRequests { text } => inputs.requests = text,
            Action::SetPreset { preset } => inputs.preset = preset,
            Action::SetScaling { scaling } => inputs.scaling = scaling,
            Action::SetIncident { text } => inputs.incident = text,
        }
        let mut next = Self::new(inputs, self.figures.clone());
        next.rules = self.rules.clone();
        next.routing = self.routing.clone();
        Rc::new(next.with_sections_synced())
    }
}
