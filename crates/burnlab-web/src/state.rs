//! The calculator's state: the raw text of every input beside the last good result, so a bad edit
//! shows its error and never throws away what was shown before.

use std::rc::Rc;

use burnlab::{BudgetReport, Duration, ErrorRatio, Objective};
use yew::Reducible;

/// What the user typed and what the core made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The objective as typed, e.g. `99.9`.
    pub objective_text: String,
    /// The error ratio as typed, e.g. `0.005`.
    pub error_ratio_text: String,
    /// The period as typed, e.g. `30d`.
    pub period_text: String,
    /// The last report computed from valid input; `None` only if no input was ever valid.
    pub report: Option<BudgetReport>,
    /// The current input's errors; when non-empty, `report` is stale.
    pub errors: Vec<burnlab::Error>,
}

/// A change the user makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The objective field or slider changed.
    SetObjective { text: String },
    /// The error ratio field changed.
    SetErrorRatio { text: String },
    /// The period field changed.
    SetPeriod { text: String },
}

impl State {
    /// The state for the given inputs; when they are invalid, `fallback` stays shown.
    fn compute(
        objective_text: String,
        error_ratio_text: String,
        period_text: String,
        fallback: Option<&BudgetReport>,
    ) -> Self {
        let objective = Objective::parse(&objective_text);
        let errors = ErrorRatio::parse(&error_ratio_text);
        let period = Duration::parse(&period_text, "period");
        let result = match (objective, errors, period) {
            (Ok(o), Ok(e), Ok(p)) => BudgetReport::new(o, p, e).map_err(|e| vec![e]),
            (o, e, p) => Err([o.err(), e.err(), p.err()].into_iter().flatten().collect()),
        };
        let (report, errors) = match result {
            Ok(report) => (Some(report), Vec::new()),
            Err(errors) => (fallback.cloned(), errors),
        };
        Self {
            objective_text,
            error_ratio_text,
            period_text,
            report,
            errors,
        }
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
        Self::compute("99.9".into(), "0.005".into(), "30d".into(), None)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let (mut o, mut e, mut p) = (
            self.objective_text.clone(),
            self.error_ratio_text.clone(),
            self.period_text.clone(),
        );
        match action {
            Action::SetObjective { text } => o = text,
            Action::SetErrorRatio { text } => e = text,
            Action::SetPeriod { text } => p = text,
        }
        Rc::new(Self::compute(o, e, p, self.report.as_ref()))
    }
}
