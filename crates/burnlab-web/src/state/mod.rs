//! The playground's state: one root [`State`], changed only through [`Action`]s in
//! [`State::reduce`](yew::Reducible::reduce), which calls the core and has no side effects.
//!
//! Every input keeps its raw text beside its last valid value, so a bad edit shows its error
//! and never throws away what was shown before. The last valid objective, period and tier set
//! make the [`SloContext`] that every section builds on.

pub mod budget;
pub mod learn;
pub mod replay;
pub mod routing;
pub mod rules;
pub mod tiers;

use std::rc::Rc;

use burnlab::Error;
use burnlab::tiers::{Scaling, Severity};
use yew::Reducible;

use crate::services::persist::{Persist, ShareMode};
use budget::slo_context;
pub use budget::{Field, Figures, Inputs, SloContext, Valid};
pub use tiers::{CustomTiers, RowError, TierCell, TierChoice, TierRow};

/// The page's sections. Each is a route: the URL fragment names the one that is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Section {
    /// The guided lesson: what burnlab is, and the lesson's path through the other sections.
    Learn,
    /// The error budget, burn rate and an imagined incident.
    #[default]
    Budget,
    /// The alert tiers: presets, the user's own, and their quality.
    Tiers,
    /// Prometheus rules, their lint and runbooks.
    Rules,
    /// The Alertmanager config, its tree, the label tester and alert hygiene.
    Routing,
    /// A scenario replayed through the rules and the routing.
    Replay,
}

impl Section {
    /// Every section, in the order the section list shows them.
    pub const ALL: [Section; 6] = [
        Section::Learn,
        Section::Budget,
        Section::Tiers,
        Section::Rules,
        Section::Routing,
        Section::Replay,
    ];

    /// The fragment that opens it: `budget` for `#budget`.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Learn => "learn",
            Section::Budget => "budget",
            Section::Tiers => "tiers",
            Section::Rules => "rules",
            Section::Routing => "routing",
            Section::Replay => "replay",
        }
    }

    /// The name in the section list.
    pub fn title(self) -> &'static str {
        match self {
            Section::Learn => "Learn",
            Section::Budget => "Budget",
            Section::Tiers => "Tiers",
            Section::Rules => "Rules",
            Section::Routing => "Routing",
            Section::Replay => "Replay",
        }
    }

    /// The section a fragment names. `incident` is the Budget section's second part and was a
    /// section of its own in earlier links.
    pub fn from_slug(slug: &str) -> Option<Section> {
        match slug {
            "incident" => Some(Section::Budget),
            s => Section::ALL.into_iter().find(|sec| sec.slug() == s),
        }
    }
}

/// Whether the heavy-core worker answers, for every section that asks it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WorkerStatus {
    /// Not asked yet, or loading.
    #[default]
    Loading,
    /// Answering.
    Ready,
    /// It could not start or answer; the message says why. The next answer makes it ready.
    Failed(String),
}

/// The whole page's state.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// What the user typed in the Budget and Tiers sections.
    pub inputs: Inputs,
    /// The last valid value of each of those fields.
    pub valid: Valid,
    /// The current errors, at most one per field; a field with an error shows `valid`'s value.
    pub errors: Vec<(Field, Error)>,
    /// Errors on the custom tier rows, located by row and cell.
    pub row_errors: Vec<RowError>,
    /// The figures of `valid`; `None` only if the core refused values it was checked to accept.
    pub figures: Option<Rc<Figures>>,
    /// The last valid SLO: what the Rules and Routing sections build on.
    pub slo: Rc<SloContext>,
    /// Things to tell the user once about how the page opened (a link's unknown tier set, say).
    pub notices: Vec<String>,
    /// The Rules section.
    pub rules: rules::RulesState,
    /// The Routing section.
    pub routing: routing::RoutingState,
    /// The Replay section.
    pub replay: replay::ReplayState,
    /// The heavy-core worker that the Rules, Routing and Replay sections ask.
    pub worker: WorkerStatus,
    /// The guided lesson's place.
    pub learn: learn::LearnState,
}

/// A change the user makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The objective field or slider changed.
    SetObjective {
        /// The new text.
        text: String,
    },
    /// The period field changed.
    SetPeriod {
        /// The new text.
        text: String,
    },
    /// The error ratio field changed.
    SetErrorRatio {
        /// The new text.
        text: String,
    },
    /// The requests-per-second field changed.
    SetRequests {
        /// The new text.
        text: String,
    },
    /// The incident duration changed.
    SetIncident {
        /// The new text.
        text: String,
    },
    /// Another tier set was picked. Picking `Custom` with no rows yet starts from the tiers in
    /// effect.
    SetTiers {
        /// The set.
        choice: TierChoice,
    },
    /// Another scaling was picked; `None` is the preset's own.
    SetScaling {
        /// The scaling.
        scaling: Option<Scaling>,
    },
    /// Replace the custom rows with a copy of the tiers in effect and use them.
    CopyTiers,
    /// One cell of a custom row changed.
    EditTier {
        /// 0-based row.
        row: usize,
        /// Which cell.
        cell: TierCell,
        /// The new text.
        text: String,
    },
    /// A custom row's severity changed.
    SetTierSeverity {
        /// 0-based row.
        row: usize,
        /// The new severity.
        severity: Severity,
    },
    /// Append a row to the custom tiers.
    AddTier,
    /// Remove a custom row.
    RemoveTier {
        /// 0-based row.
        row: usize,
    },
    /// The user read the notices.
    DismissNotices,
    /// A change in the Rules section.
    Rules(rules::RulesAction),
    /// A change in the Routing section.
    Routing(routing::RoutingAction),
    /// A change in the Replay section.
    Replay(replay::ReplayAction),
    /// The heavy-core worker could not answer; the message says why.
    WorkerFailed(String),
    /// The guided lesson.
    Learn(learn::LearnAction),
}

impl State {
    /// The state for `inputs`, checked against `previous` valid values (the defaults when
    /// there are none).
    pub fn new(inputs: Inputs, previous: Option<&Valid>) -> Self {
        let defaults = Valid::default();
        let checked = budget::check(&inputs, previous.unwrap_or(&defaults));
        let figures = Figures::compute(&checked.valid, None).map(Rc::new);
        let slo = Rc::new(slo_context(&checked.valid));
        Self {
            inputs,
            valid: checked.valid,
            errors: checked.errors,
            row_errors: checked.row_errors,
            rules: rules::RulesState::default().sync_slo(&slo),
            routing: routing::RoutingState::default(),
            replay: replay::ReplayState::default(),
            worker: WorkerStatus::Loading,
            learn: learn::LearnState::default(),
            figures,
            slo,
            notices: Vec::new(),
        }
    }

    /// The last valid SLO context, shared by every section.
    pub fn slo(&self) -> &Rc<SloContext> {
        &self.slo
    }

    /// The error for one field, if any.
    pub fn error_for(&self, field: Field) -> Option<&Error> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    /// Whether any of `fields` has an error, so that figures depending on them show the last
    /// valid input's values and must be marked as such.
    pub fn is_stale(&self, fields: &[Field]) -> bool {
        self.errors.iter().any(|(f, _)| fields.contains(f))
    }

    /// Whether the SLO context is older than what is typed: rules and configs built on it are
    /// stale too.
    pub fn slo_is_stale(&self) -> bool {
        self.is_stale(&[
            Field::Objective,
            Field::Period,
            Field::Tiers,
            Field::Scaling,
        ])
    }

    /// Applies `action` to the inputs.
    fn apply(&mut self, action: Action) {
        let inputs = &mut self.inputs;
        match action {
            Action::SetObjective { text } => inputs.objective = text,
            Action::SetPeriod { text } => inputs.period = text,
            Action::SetErrorRatio { text } => inputs.error_ratio = text,
            Action::SetRequests { text } => inputs.requests = text,
            Action::SetIncident { text } => inputs.incident = text,
            Action::SetTiers { choice } => {
                if choice == TierChoice::Custom && inputs.custom.rows.is_empty() {
                    inputs.custom = CustomTiers::from_set(&self.slo.tiers);
                }
                inputs.tiers = choice;
            }
            Action::SetScaling { scaling } => inputs.scaling = scaling,
            Action::CopyTiers => {
                inputs.custom = CustomTiers::from_set(&self.slo.tiers);
                inputs.tiers = TierChoice::Custom;
            }
            Action::EditTier { row, cell, text } => {
                if let Some(r) = inputs.custom.rows.get_mut(row) {
                    r.set_cell(cell, text);
                }
            }
            Action::SetTierSeverity { row, severity } => {
                if let Some(r) = inputs.custom.rows.get_mut(row) {
                    r.severity = severity;
                }
            }
            Action::AddTier => {
                if inputs.custom.rows.len() < tiers::MAX_ROWS {
                    let row = inputs
                        .custom
                        .rows
                        .last()
                        .cloned()
                        .unwrap_or_else(TierRow::new_ticket);
                    inputs.custom.rows.push(row);
                }
            }
            Action::RemoveTier { row } => {
                if row < inputs.custom.rows.len() {
                    inputs.custom.rows.remove(row);
                }
            }
            Action::DismissNotices => self.notices.clear(),
            Action::Rules(a) => {
                if matches!(a, rules::RulesAction::Answer { .. }) {
                    self.worker = WorkerStatus::Ready;
                }
                self.rules = self.rules.apply(a);
            }
            Action::Routing(a) => {
                if matches!(a, routing::RoutingAction::Answer { .. }) {
                    self.worker = WorkerStatus::Ready;
                }
                self.routing = self.routing.apply(a);
            }
            Action::Replay(a) => {
                if matches!(a, replay::ReplayAction::Answer { .. }) {
                    self.worker = WorkerStatus::Ready;
                }
                self.replay = self.replay.apply(a);
            }
            Action::WorkerFailed(message) => self.worker = WorkerStatus::Failed(message),
            Action::Learn(a) => match a {
                learn::LearnAction::Go(i) if i < learn::STEPS.len() => {
                    for action in learn::setup(i) {
                        self.apply(action);
                    }
                    self.learn.step = Some(i);
                    self.learn.picked = None;
                }
                learn::LearnAction::Go(_) => {}
                learn::LearnAction::Pick(i) => self.learn.picked = Some(i),
                learn::LearnAction::Leave => {
                    self.learn.step = None;
                    self.learn.picked = None;
                }
            },
        }
    }

    /// Checks the inputs again and recomputes only what the change touched, sharing the rest
    /// with `before`.
    fn refresh(&mut self, before: &State) {
        let checked = budget::check(&self.inputs, &before.valid);
        if checked.valid != before.valid || self.figures.is_none() {
            let reuse = before.figures.as_deref().map(|f| (&before.valid, f));
            if let Some(f) = Figures::compute(&checked.valid, reuse) {
                self.figures = Some(Rc::new(f));
            }
            let slo = slo_context(&checked.valid);
            if slo != *before.slo {
                self.slo = Rc::new(slo);
            }
        }
        self.valid = checked.valid;
        self.errors = checked.errors;
        self.row_errors = checked.row_errors;
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
        let mut next = (*self).clone();
        next.apply(action);
        next.refresh(&self);
        // Sections whose state derives from the SLO recompute it here, and only when
        // `!Rc::ptr_eq(&next.slo, &self.slo)`.
        if !Rc::ptr_eq(&next.slo, &self.slo) {
            next.rules = next.rules.sync_slo(&next.slo);
        }
        // A lesson step counts as answered once the page has held its answer.
        if let Some(i) = next.learn.step
            && !next.learn.is_done(i)
            && learn::check(i, &next).is_some()
        {
            next.learn.done |= 1 << i;
        }
        Rc::new(next)
    }
}

/// The key under which a field's last valid value travels when its typed text is invalid.
fn valid_key(field: Field) -> String {
    format!("ok.{}", field.key())
}

/// The key of the custom tier rows.
const CUSTOM_KEY: &str = "tiers.custom";

impl Persist for State {
    fn save(&self, mode: ShareMode, out: &mut Vec<(String, String)>) {
        let i = &self.inputs;
        let defaults = Inputs::default();
        for field in Field::ALL {
            let typed = match field {
                Field::Tiers => i.tiers.as_str().to_owned(),
                Field::Scaling => i
                    .scaling
                    .map(Scaling::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                f => i.text(f).unwrap_or_default().to_owned(),
            };
            let default = match field {
                Field::Tiers => defaults.tiers.as_str().to_owned(),
                Field::Scaling => String::new(),
                f => defaults.text(f).unwrap_or_default().to_owned(),
            };
            // A field at its default stays out of the link, unless it was emptied on purpose.
            if typed != default || (typed.is_empty() && !default.is_empty()) {
                out.push((field.key().to_owned(), typed));
            }
            if self.error_for(field).is_some() {
                out.push((valid_key(field), self.valid.text(field)));
            }
        }
        if !i.custom.rows.is_empty() {
            out.push((CUSTOM_KEY.to_owned(), i.custom.to_text()));
        }
        self.rules.save(mode, out);
        self.routing.save(mode, out);
        self.replay.save(mode, out);
        self.learn.save(mode, out);
        // Rows that do not parse keep the last valid custom set beside them.
        if !self.row_errors.is_empty() && self.valid.tiers.name() == "custom" {
            out.push((
                valid_key(Field::Tiers) + ".custom",
                CustomTiers::from_set(&self.valid.tiers).to_text(),
            ));
        }
    }

    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let mut notices = Vec::new();
        let defaults = Inputs::default();
        // The typed inputs, as the link or storage has them.
        let text = |field: Field, d: &str| get(field.key()).unwrap_or_else(|| d.to_owned());
        let tiers = match get(Field::Tiers.key()) {
            None => defaults.tiers,
            Some(t) => TierChoice::parse(&t).unwrap_or_else(|e| {
                notices.push(format!(
                    "{} The SRE Workbook's tiers are shown instead.",
                    e.sentence()
                ));
                defaults.tiers
            }),
        };
        let scaling = match get(Field::Scaling.key()).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Scaling::parse(&s)
                .map_err(|e| {
                    notices.push(format!(
                        "{} Each tier set's own scaling is used instead.",
                        e.sentence()
                    ))
                })
                .ok(),
        };
        let typed = Inputs {
            objective: text(Field::Objective, &defaults.objective),
            period: text(Field::Period, &defaults.period),
            error_ratio: text(Field::ErrorRatio, &defaults.error_ratio),
            requests: text(Field::Requests, &defaults.requests),
            incident: text(Field::Incident, &defaults.incident),
            tiers,
            scaling,
            custom: get(CUSTOM_KEY)
                .map(|t| CustomTiers::from_text(&t))
                .unwrap_or_default(),
        };
        // The last valid values: where a field was saved with an error, its `ok.` value; then
        // the typed text is checked against them, so a bad value shows its error beside the
        // figures of the last good one.
        let ok = |field: Field| get(&valid_key(field));
        let last_good = Inputs {
            objective: ok(Field::Objective).unwrap_or_else(|| typed.objective.clone()),
            period: ok(Field::Period).unwrap_or_else(|| typed.period.clone()),
            error_ratio: ok(Field::ErrorRatio).unwrap_or_else(|| typed.error_ratio.clone()),
            requests: ok(Field::Requests).unwrap_or_else(|| typed.requests.clone()),
            incident: ok(Field::Incident).unwrap_or_else(|| typed.incident.clone()),
            tiers: ok(Field::Tiers)
                .and_then(|t| TierChoice::parse(&t).ok())
                .unwrap_or(typed.tiers),
            scaling: match ok(Field::Scaling) {
                Some(s) => Scaling::parse(&s).ok(),
                None => typed.scaling,
            },
            custom: get(&(valid_key(Field::Tiers) + ".custom"))
                .map(|t| CustomTiers::from_text(&t))
                .unwrap_or_else(|| typed.custom.clone()),
        };
        let good = budget::check(&last_good, &Valid::default()).valid;
        let mut state = State::new(typed, Some(&good));
        state.notices = notices;
        state.rules = rules::RulesState::restore(get).sync_slo(&state.slo);
        state.routing = routing::RoutingState::restore(get);
        state.replay = replay::ReplayState::restore(get);
        state.learn = learn::LearnState::restore(get);
        state
    }
}
