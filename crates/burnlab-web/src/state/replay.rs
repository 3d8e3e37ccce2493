//! The Replay section's state: the scenario (a built-in, YAML as typed, or the editor's changes
//! to it), the naive rule's inputs, the charts' range, what is selected and opened, and the last
//! answers of the heavy-core worker, which reads and writes the scenario's YAML and runs the
//! replay. `apply` only stores text, edits the scenario as data and keeps answers: every figure
//! comes from the worker.
//!
//! The scenario has two forms. The text is what a user types, picks or downloads; the data is
//! what the editor drags. Whichever changed last is sent: typed text comes back read (or with
//! its line and column), an edit comes back written as YAML. `rev` counts the changes, so an
//! answer about an older one never overwrites a newer edit.

use std::rc::Rc;

use burnlab::alertmanager::matchers::ParserMode;
use burnlab::replay::builtin;
use burnlab::replay::edit::{self, IncidentField, TrafficField, duration, ratio};
use burnlab::replay::scenario::{Incident, Ramp, Scenario};
use burnlab::{Duration, Error};
use burnlab_protocol::replay::{
    ExportKind, NaiveInput, ReplayAnswer, ReplayRequest, ReplayView, ScenarioInput, WindowInput,
    WindowView,
};

use crate::services::persist::{Persist, ShareMode};
use crate::shared::Shared;
use crate::state::rules::RulesState;

/// The built-in the page opens with: the lesson's 3 a.m. story.
pub const DEFAULT_BUILTIN: &str = "3am";

/// The shortest range the charts zoom to: one minute.
pub const MIN_SPAN_MS: i64 = 60_000;

/// How many points the charts ask for before their width is known (a 960 px plot).
pub const DEFAULT_POINTS: u32 = 406;

/// The most incidents the editor adds (the format takes more; they can be typed).
pub const MAX_INCIDENTS: usize = 50;

/// A field of the editor, for its typed text and error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    /// A field of incident `usize`.
    Incident(usize, IncidentField),
    /// A traffic field.
    Traffic(TrafficField),
    /// The naive rule's threshold.
    Threshold,
    /// The naive rule's `for`.
    ThresholdFor,
}

/// The Replay section's state. A run and the charts' points are [`Shared`]: they compare by
/// identity, never by content, on every render of every section.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayState {
    /// The scenario before each edit that can be undone, the latest last (at most
    /// [`MAX_UNDO`]).
    pub undo: Vec<Shared<Snapshot>>,
    /// The scenario after each undone edit, for redo, the latest last.
    pub redo: Vec<Shared<Snapshot>>,
    /// The kind of the last edit, so a run of one kind (a drag, typing in one field, arrow
    /// presses) is one step to undo; `None` after anything else.
    coalesce: Option<EditKey>,
    /// The built-in the scenario is, while nothing in it has changed.
    pub builtin: Option<&'static str>,
    /// The scenario as YAML: a built-in's, as typed, or as the worker wrote the last edit.
    pub text: Rc<str>,
    /// Whether the last change came from the editor (the data is sent) rather than the text.
    pub edited: bool,
    /// The scenario as data: the last one that read and held together.
    pub scenario: Option<Rc<Scenario>>,
    /// Counts changes to the scenario.
    pub rev: u64,
    /// Why the typed text (or the last edit) is not a scenario; the data above is older.
    pub scenario_error: Option<Error>,
    /// Text typed into editor fields, kept as typed, with its error when it does not read.
    pub typed: Vec<(EditField, String, Option<String>)>,
    /// The naive rule's threshold as typed; empty for the lesson's (the error budget).
    pub threshold: String,
    /// The naive rule's `for` as typed; empty for the lesson's 1 minute.
    pub threshold_for: String,
    /// The naive rule as last valid.
    pub naive: NaiveInput,
    /// Which SLO of a pasted spec; `None` for the first.
    pub slo: Option<String>,
    /// The range the charts show, ms; `None` for the whole scenario.
    pub zoom: Option<(i64, i64)>,
    /// The selected incident.
    pub selected: Option<usize>,
    /// The opened notification: `(naive, index)`.
    pub opened: Option<(bool, usize)>,
    /// Whether the naive rule's notifications show in the receivers' lanes.
    pub show_naive: bool,
    /// The last run.
    pub view: Option<Shared<ReplayView>>,
    /// Why the inputs do not run now; `view` is older.
    pub run_error: Option<Error>,
    /// The config's error: the last valid config is replayed.
    pub config_error: Option<Error>,
    /// The charts' points.
    pub window: Option<Shared<WindowView>>,
    /// Why the last export failed.
    pub export_error: Option<Error>,
    /// How long the last answer took, ms from the request to its arrival.
    pub took_ms: Option<f64>,
    /// The scenario revision of the last answer: the section says it is computing until the
    /// answer about the current one arrives.
    pub answered_rev: Option<u64>,
    /// How many points the charts ask for (about one per two pixels of the plot).
    pub points: u32,
    /// The last export asked for, counted, so asking for the same file again is news.
    pub export: Option<(ExportKind, u64)>,
}

impl Default for ReplayState {
    fn default() -> Self {
        Self {
            builtin: Some(DEFAULT_BUILTIN),
            text: builtin::text(DEFAULT_BUILTIN).unwrap_or_default().into(),
            edited: false,
            scenario: None,
            rev: 0,
            scenario_error: None,
            typed: Vec::new(),
            threshold: String::new(),
            threshold_for: String::new(),
            naive: NaiveInput {
                threshold: None,
                for_ms: None,
            },
            slo: None,
            zoom: None,
            selected: None,
            opened: None,
            undo: Vec::new(),
            redo: Vec::new(),
            coalesce: None,
            show_naive: true,
            view: None,
            run_error: None,
            config_error: None,
            window: None,
            export_error: None,
            took_ms: None,
            answered_rev: None,
            points: DEFAULT_POINTS,
            export: None,
        }
    }
}

/// A change in the Replay section.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayAction {
    /// Undo the last edit of the scenario (a drag, a field typed, a text change, a built-in).
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Load a built-in scenario.
    Builtin(String),
    /// The YAML text changed.
    SetText(String),
    /// Move incident `index` so its (first) occurrence starts at `start_ms`.
    Move {
        /// Which incident.
        index: usize,
        /// New start, ms from the scenario's start.
        start_ms: i64,
    },
    /// Give incident `index` a new start and length (a dragged edge).
    Stretch {
        /// Which incident.
        index: usize,
        /// New start, ms.
        start_ms: i64,
        /// New length, ms.
        duration_ms: i64,
    },
    /// Remove incident `index`.
    Remove(usize),
    /// Add an incident of 5 % errors over `[start_ms, start_ms + duration_ms)`.
    Add {
        /// Start, ms.
        start_ms: i64,
        /// Length, ms.
        duration_ms: i64,
    },
    /// An editor field changed.
    SetField(EditField, String),
    /// Toggle incident `usize`'s `noise`.
    SetNoise(usize, bool),
    /// Select an incident (or none).
    Select(Option<usize>),
    /// Open a notification's details (or none).
    Open(Option<(bool, usize)>),
    /// Show or hide the naive rule's notifications.
    ShowNaive(bool),
    /// Pick the SLO of a pasted spec.
    SetSlo(String),
    /// Show a range of the charts, ms; `None` for the whole scenario.
    Zoom(Option<(i64, i64)>),
    /// The worker answered.
    Answer {
        /// The scenario revision the request carried.
        rev: u64,
        /// Whether the request carried the editor's data (else the text).
        edited: bool,
        /// How long it took, ms.
        took_ms: f64,
        /// The answer.
        answer: Box<ReplayAnswer>,
    },
    /// The charts' width changed: ask for this many points.
    SetPoints(u32),
    /// Download a file of the current run.
    Export(ExportKind),
}

fn ms(d: i64) -> Duration {
    Duration::from_millis(d.max(0) as u64)
}

/// The text a field shows for `s` when nothing is typed in it.
pub fn field_text(s: &Scenario, field: EditField) -> String {
    match field {
        EditField::Incident(i, f) => s
            .incidents
            .get(i)
            .map(|inc| edit::incident_text(inc, f))
            .unwrap_or_default(),
        EditField::Traffic(f) => edit::traffic_text(s, f),
        EditField::Threshold | EditField::ThresholdFor => String::new(),
    }
}

/// Undo steps kept.
pub const MAX_UNDO: usize = 100;

/// The scenario as one undo step holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    builtin: Option<&'static str>,
    text: Rc<str>,
    edited: bool,
    scenario: Option<Rc<Scenario>>,
}

/// What an edit changed, for joining a run of edits into one undo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKey {
    Builtin,
    Text,
    Move(usize),
    Stretch(usize),
    Remove,
    Add,
    Field(EditField),
    Noise(usize),
}

impl EditKey {
    /// The key of an action that edits the scenario; `None` for the others.
    fn of(action: &ReplayAction) -> Option<Self> {
        Some(match action {
            ReplayAction::Builtin(_) => Self::Builtin,
            ReplayAction::SetText(_) => Self::Text,
            ReplayAction::Move { index, .. } => Self::Move(*index),
            ReplayAction::Stretch { index, .. } => Self::Stretch(*index),
            ReplayAction::Remove(_) => Self::Remove,
            ReplayAction::Add { .. } => Self::Add,
            ReplayAction::SetField(f @ (EditField::Incident(..) | EditField::Traffic(_)), _) => {
                Self::Field(*f)
            }
            ReplayAction::SetNoise(i, _) => Self::Noise(*i),
            _ => return None,
        })
    }
}

impl ReplayState {
    /// The scenario as it is now, as an undo step.
    fn snapshot(&self) -> Shared<Snapshot> {
        Shared::new(Snapshot {
            builtin: self.builtin,
            text: self.text.clone(),
            edited: self.edited,
            scenario: self.scenario.clone(),
        })
    }

    /// Goes back to `step` as a new change of the scenario (so the worker replays it).
    fn go_back_to(&mut self, step: &Snapshot) {
        self.changed(step.edited);
        self.builtin = step.builtin;
        self.text = step.text.clone();
        self.scenario = step.scenario.clone();
        self.typed.clear();
        self.coalesce = None;
    }

    /// Whether there is an edit to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The text a field shows: as typed, else the scenario's value.
    pub fn shown(&self, field: EditField) -> String {
        match self.typed.iter().find(|(f, _, _)| *f == field) {
            Some((_, text, _)) => text.clone(),
            None => match field {
                EditField::Threshold => self.threshold.clone(),
                EditField::ThresholdFor => self.threshold_for.clone(),
                f => self
                    .scenario
                    .as_deref()
                    .map(|s| field_text(s, f))
                    .unwrap_or_default(),
            },
        }
    }

    /// A field's error, if its typed text does not read.
    pub fn field_error(&self, field: EditField) -> Option<&str> {
        self.typed
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, _, e)| e.as_deref())
    }

    /// The scenario's length in ms (1 day until it has been read).
    pub fn duration_ms(&self) -> i64 {
        self.scenario
            .as_deref()
            .map_or(86_400_000, Scenario::duration_ms)
    }

    /// The range the charts show, ms.
    pub fn range(&self) -> (i64, i64) {
        self.zoom.unwrap_or((0, self.duration_ms()))
    }

    /// A range clamped into the scenario, at least [`MIN_SPAN_MS`] long.
    pub fn clamp_range(&self, from: i64, to: i64) -> Option<(i64, i64)> {
        let end = self.duration_ms();
        let span = (to - from).clamp(MIN_SPAN_MS.min(end), end);
        let from = from.clamp(0, end - span);
        let range = (from, from + span);
        (range != (0, end)).then_some(range)
    }

    /// Whether the shown run is older than the inputs, because they do not run.
    pub fn is_stale(&self) -> bool {
        self.run_error.is_some() || self.scenario_error.is_some()
    }

    /// Changes the scenario's data with `edit`, as an edit from the editor.
    fn edit(&mut self, edit: impl FnOnce(&mut Scenario)) {
        let Some(current) = self.scenario.as_deref() else {
            return;
        };
        let mut next = current.clone();
        edit(&mut next);
        if next != *current {
            // Lines locate errors in typed text; an edited scenario's YAML is written anew.
            for i in &mut next.incidents {
                i.line = 0;
            }
            self.scenario = Some(Rc::new(next));
            self.changed(true);
        }
    }

    fn changed(&mut self, edited: bool) {
        self.rev += 1;
        self.edited = edited;
        self.builtin = None;
        self.scenario_error = None;
    }

    /// The state after `action`.
    pub fn apply(&self, action: ReplayAction) -> Self {
        let key = EditKey::of(&action);
        let mut next = self.apply_one(action);
        match key {
            Some(key) if next.rev != self.rev => {
                // A new run of edits is a new step; one more edit of the same run is not.
                if self.coalesce != Some(key) {
                    next.undo.push(self.snapshot());
                    if next.undo.len() > MAX_UNDO {
                        next.undo.remove(0);
                    }
                }
                next.redo.clear();
                next.coalesce = Some(key);
            }
            Some(_) => {}
            None => {}
        }
        next
    }

    fn apply_one(&self, action: ReplayAction) -> Self {
        let mut next = self.clone();
        match action {
            // Undo takes the latest step off one list and keeps where it was on the other;
            // redo the same the other way round.
            ReplayAction::Undo => {
                if let Some(step) = next.undo.pop() {
                    next.redo.push(self.snapshot());
                    next.go_back_to(&step);
                }
            }
            ReplayAction::Redo => {
                if let Some(step) = next.redo.pop() {
                    next.undo.push(self.snapshot());
                    next.go_back_to(&step);
                }
            }
            ReplayAction::Builtin(name) => {
                if let Some((n, _, text)) = builtin::BUILTINS.iter().find(|(n, _, _)| *n == name) {
                    next.changed(false);
                    next.builtin = Some(n);
                    next.text = (*text).into();
                    next.typed.clear();
                    next.selected = None;
                    next.opened = None;
                    next.zoom = None;
                }
            }
            ReplayAction::SetText(text) => {
                next.changed(false);
                next.text = text.into();
                next.typed.clear();
            }
            ReplayAction::Move { index, start_ms } => {
                next.typed.clear();
                next.edit(|s| {
                    let end = s.duration_ms();
                    if let Some(inc) = s.incidents.get_mut(index) {
                        inc.start = ms(start_ms.clamp(0, end - 1));
                    }
                });
            }
            ReplayAction::Stretch {
                index,
                start_ms,
                duration_ms,
            } => {
                next.typed.clear();
                next.edit(|s| {
                    let end = s.duration_ms();
                    if let Some(inc) = s.incidents.get_mut(index) {
                        inc.start = ms(start_ms.clamp(0, end - 1));
                        inc.duration = ms(duration_ms.max(1000));
                    }
                });
            }
            ReplayAction::Remove(index) => {
                next.typed.clear();
                next.edit(|s| {
                    if index < s.incidents.len() {
                        s.incidents.remove(index);
                    }
                });
                next.selected = match self.selected {
                    Some(i) if i == index => None,
                    Some(i) if i > index => Some(i - 1),
                    other => other,
                };
            }
            ReplayAction::Add {
                start_ms,
                duration_ms,
            } => {
                let count = self.scenario.as_deref().map_or(0, |s| s.incidents.len());
                if count < MAX_INCIDENTS {
                    next.typed.clear();
                    next.edit(|s| {
                        let end = s.duration_ms();
                        s.incidents.push(Incident {
                            name: Some(format!("incident {}", count + 1)),
                            start: ms(start_ms.clamp(0, end - 1)),
                            duration: ms(duration_ms.max(1000)),
                            error_ratio: Ramp::step(0.05),
                            slow_ratio: Ramp::default(),
                            every: None,
                            count: 1,
                            noise: false,
                            line: 0,
                        });
                    });
                    next.selected = Some(count);
                }
            }
            ReplayAction::SetField(field, text) => next.set_field(field, text),
            ReplayAction::SetNoise(index, noise) => next.edit(|s| {
                if let Some(inc) = s.incidents.get_mut(index) {
                    inc.noise = noise;
                }
            }),
            ReplayAction::Select(i) => {
                // A new selection (a drag begins with one) starts a new undo step.
                next.coalesce = None;
                if i != self.selected {
                    next.typed
                        .retain(|(f, _, _)| !matches!(f, EditField::Incident(..)));
                }
                next.selected = i;
            }
            ReplayAction::Open(n) => next.opened = n,
            ReplayAction::ShowNaive(on) => next.show_naive = on,
            ReplayAction::SetSlo(name) => next.slo = Some(name),
            ReplayAction::Zoom(range) => {
                next.zoom = range.and_then(|(a, b)| self.clamp_range(a.min(b), a.max(b)));
            }
            ReplayAction::Answer {
                rev,
                edited,
                took_ms,
                answer,
            } => next.answered(rev, edited, took_ms, *answer),
            ReplayAction::SetPoints(points) => next.points = points,
            ReplayAction::Export(kind) => {
                let n = self.export.map_or(1, |(_, n)| n + 1);
                next.export = Some((kind, n));
            }
        }
        next
    }

    fn set_field(&mut self, field: EditField, text: String) {
        self.typed.retain(|(f, _, _)| *f != field);
        let result = match field {
            EditField::Threshold => {
                let t = text.trim();
                let r = if t.is_empty() {
                    Ok(None)
                } else {
                    ratio(t).map(Some)
                };
                self.threshold = text.clone();
                match r {
                    Ok(v) => {
                        self.naive.threshold = v;
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
            EditField::ThresholdFor => {
                let t = text.trim();
                let r = if t.is_empty() {
                    Ok(None)
                } else {
                    duration(t, "for").map(|d| Some(d.as_millis()))
                };
                self.threshold_for = text.clone();
                match r {
                    Ok(v) => {
                        self.naive.for_ms = v;
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
            EditField::Incident(i, f) => {
                let mut out = Ok(());
                let typed = text.clone();
                self.edit(|s| {
                    if let Some(inc) = s.incidents.get_mut(i) {
                        out = edit::set_incident(inc, f, &typed);
                    }
                });
                out
            }
            EditField::Traffic(f) => {
                let mut out = Ok(());
                let typed = text.clone();
                self.edit(|s| out = edit::set_traffic(s, f, &typed));
                out
            }
        };
        // The typed text stays as typed while the field has focus, so a value that reads
        // differently (60m as 1h) does not jump under the caret.
        self.typed.push((field, text, result.err()));
    }

    fn answered(&mut self, rev: u64, edited: bool, took_ms: f64, answer: ReplayAnswer) {
        let ReplayAnswer {
            scenario,
            yaml,
            run,
            config_error,
            window,
            export,
        } = answer;
        self.took_ms = Some(took_ms);
        self.answered_rev = Some(self.answered_rev.map_or(rev, |r| r.max(rev)));
        // What the answer says about the scenario is news only for the current revision.
        if rev == self.rev {
            match scenario {
                Some(Ok(read)) if !edited => {
                    if self.scenario.as_deref() != Some(&read) {
                        self.scenario = Some(Rc::new(read));
                    }
                    self.scenario_error = None;
                    let n = self.scenario.as_deref().map_or(0, |s| s.incidents.len());
                    if self.selected.is_some_and(|i| i >= n) {
                        self.selected = None;
                    }
                    if let Some((a, b)) = self.zoom {
                        self.zoom = self.clamp_range(a, b);
                    }
                }
                Some(Err(e)) => self.scenario_error = Some(e),
                _ => {}
            }
            if let Some(text) = yaml.filter(|_| edited) {
                self.text = text.into();
                self.scenario_error = None;
            }
        }
        match run {
            Some(Ok(view)) => {
                self.view = Some(Shared::new(*view));
                self.run_error = None;
            }
            Some(Err(e)) => self.run_error = Some(e),
            None => {}
        }
        self.config_error = config_error;
        if let Some(w) = window {
            self.window = Some(Shared::new(w));
        }
        match export {
            Some(Err(e)) => self.export_error = Some(e),
            Some(Ok(_)) => self.export_error = None,
            None => {}
        }
    }

    /// The request for the worker: every input of every section that the replay reads. `None`
    /// while the Rules form waits for a valid SLO.
    pub fn request(
        &self,
        rules: &RulesState,
        config: Option<(&str, ParserMode)>,
    ) -> Option<ReplayRequest> {
        let rules = rules.input(self.slo.clone())?;
        let scenario = match (&self.scenario, self.edited) {
            (Some(s), true) => ScenarioInput::Edited((**s).clone()),
            _ => ScenarioInput::Text(self.text.to_string()),
        };
        let points = self.points;
        let (from_ms, to_ms) = self.zoom.unwrap_or((0, i64::MAX));
        Some(ReplayRequest {
            rules,
            config: config.map(|(t, m)| (t.to_owned(), m)),
            scenario,
            naive: self.naive,
            window: Some(WindowInput {
                from_ms,
                to_ms,
                points,
            }),
            export: None,
        })
    }
}

/// The section's inputs travel as `rp.`-prefixed pairs, each only when it differs from its
/// default: the built-in's name, or the scenario's YAML once it is the user's own.
impl Persist for ReplayState {
    fn save(&self, _mode: ShareMode, out: &mut Vec<(String, String)>) {
        let mut put = |k: &str, v: String| out.push((k.to_owned(), v));
        match self.builtin {
            Some(DEFAULT_BUILTIN) => {}
            Some(name) => put("rp.scn", name.to_owned()),
            None => put("rp.yaml", self.text.to_string()),
        }
        if !self.threshold.is_empty() {
            put("rp.thr", self.threshold.clone());
        }
        if !self.threshold_for.is_empty() {
            put("rp.for", self.threshold_for.clone());
        }
        if let Some((a, b)) = self.zoom {
            put("rp.zoom", format!("{a},{b}"));
        }
        if let Some(slo) = &self.slo {
            put("rp.slo", slo.clone());
        }
        if !self.show_naive {
            put("rp.naive", "hide".into());
        }
    }

    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let mut s = Self::default();
        if let Some(name) = get("rp.scn") {
            s = s.apply(ReplayAction::Builtin(name));
            s.rev = 0;
        }
        if let Some(text) = get("rp.yaml") {
            s.builtin = None;
            s.text = text.into();
        }
        if let Some(t) = get("rp.thr") {
            s.set_field(EditField::Threshold, t);
        }
        if let Some(t) = get("rp.for") {
            s.set_field(EditField::ThresholdFor, t);
        }
        // The range is checked against the scenario once it has been read.
        s.zoom = get("rp.zoom").and_then(|z| {
            let (a, b) = z.split_once(',')?;
            let (a, b): (i64, i64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (0 <= a && a < b).then_some((a, b))
        });
        s.slo = get("rp.slo");
        s.show_naive = get("rp.naive").as_deref() != Some("hide");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The state once the worker has read the built-in `name`.
    fn read(name: &str) -> ReplayState {
        let s = ReplayState::default().apply(ReplayAction::Builtin(name.into()));
        let scenario = Scenario::builtin(name).unwrap_or_default();
        s.apply(ReplayAction::Answer {
            rev: s.rev,
            edited: false,
            took_ms: 1.0,
            answer: Box::new(ReplayAnswer {
                scenario: Some(Ok(scenario)),
                ..ReplayAnswer::default()
            }),
        })
    }

    #[test]
    fn a_drag_is_one_step_to_undo_and_redo_and_a_new_edit_drops_the_redo() {
        let s = read("fast-burn");
        let before = incident(&s, 0).start;
        let steps_at_start = s.undo.len();
        // A drag: a selection, then many moves of one incident.
        let s = s
            .apply(ReplayAction::Select(Some(0)))
            .apply(ReplayAction::Move {
                index: 0,
                start_ms: 3_600_000,
            })
            .apply(ReplayAction::Move {
                index: 0,
                start_ms: 7_200_000,
            });
        assert_eq!(s.undo.len(), steps_at_start + 1, "one drag, one step");
        assert_eq!(incident(&s, 0).start.as_millis(), 7_200_000);
        let undone = s.apply(ReplayAction::Undo);
        assert_eq!(incident(&undone, 0).start, before);
        assert!(undone.can_redo());
        assert!(undone.rev > s.rev, "an undo is a change the worker replays");
        let redone = undone.apply(ReplayAction::Redo);
        assert_eq!(incident(&redone, 0).start.as_millis(), 7_200_000);
        // Another drag is another step; an edit after an undo drops what could be redone.
        let again = redone
            .apply(ReplayAction::Select(Some(0)))
            .apply(ReplayAction::Move {
                index: 0,
                start_ms: 0,
            });
        assert_eq!(again.undo.len(), steps_at_start + 2);
        let branched = again
            .apply(ReplayAction::Undo)
            .apply(ReplayAction::Remove(0));
        assert!(!branched.can_redo());
        // Undo goes back through every step to the scenario the section opened with.
        let mut back = branched;
        while back.can_undo() {
            back = back.apply(ReplayAction::Undo);
        }
        assert_eq!(
            back.builtin,
            ReplayState::default().builtin,
            "the first step is the default scenario"
        );
    }

    fn incident(s: &ReplayState, i: usize) -> Incident {
        s.scenario
            .as_deref()
            .and_then(|s| s.incidents.get(i))
            .cloned()
            .unwrap_or_else(|| panic!("no incident {i}"))
    }

    #[test]
    fn dragging_moves_and_stretches_an_incident_inside_the_scenario() {
        let s = read("fast-burn");
        let moved = s.apply(ReplayAction::Move {
            index: 0,
            start_ms: 4 * 3_600_000,
        });
        assert_eq!(incident(&moved, 0).start, Duration::from_hours(4));
        assert!(moved.edited && moved.builtin.is_none() && moved.rev == s.rev + 1);
        // Dragged past either end, it stops inside the scenario.
        let early = s.apply(ReplayAction::Move {
            index: 0,
            start_ms: -5_000,
        });
        assert_eq!(incident(&early, 0).start, Duration::default());
        let late = s.apply(ReplayAction::Move {
            index: 0,
            start_ms: 90_000_000,
        });
        assert_eq!(incident(&late, 0).start.as_millis(), 86_399_999);
        let stretched = s.apply(ReplayAction::Stretch {
            index: 0,
            start_ms: 9 * 3_600_000,
            duration_ms: 2 * 3_600_000,
        });
        let inc = incident(&stretched, 0);
        assert_eq!(
            (inc.start, inc.duration),
            (Duration::from_hours(9), Duration::from_hours(2))
        );
        // A drag that changes nothing is not an edit.
        let same = s.apply(ReplayAction::Move {
            index: 0,
            start_ms: 10 * 3_600_000,
        });
        assert_eq!(same.rev, s.rev);
    }

    #[test]
    fn removing_an_incident_keeps_the_selection_on_the_same_one() {
        let s = read("healthy-month").apply(ReplayAction::Select(Some(2)));
        let after = s.apply(ReplayAction::Remove(0));
        assert_eq!(
            after.scenario.as_deref().map(|s| s.incidents.len()),
            Some(3)
        );
        assert_eq!(after.selected, Some(1));
        assert_eq!(after.apply(ReplayAction::Remove(1)).selected, None);
    }

    #[test]
    fn fields_read_as_the_scenario_format_does_and_keep_bad_text_with_its_error() {
        let s = read("fast-burn").apply(ReplayAction::Select(Some(0)));
        let cases: [(EditField, &str, Result<&str, &str>); 9] = [
            (
                EditField::Incident(0, IncidentField::Error),
                "2%",
                Ok("2 %"),
            ),
            (
                EditField::Incident(0, IncidentField::Error),
                "0.3",
                Ok("30 %"),
            ),
            (
                EditField::Incident(0, IncidentField::Error),
                "150%",
                Err("outside [0, 1]"),
            ),
            (
                EditField::Incident(0, IncidentField::Start),
                "90m",
                Ok("1h30m"),
            ),
            (
                EditField::Incident(0, IncidentField::Duration),
                "0s",
                Err("longer than 0"),
            ),
            (
                EditField::Incident(0, IncidentField::Count),
                "3",
                Err("need `every`"),
            ),
            (
                EditField::Traffic(TrafficField::Requests),
                "10/h",
                Ok("0.00277778"),
            ),
            (
                EditField::Traffic(TrafficField::Start),
                "2024-13-01T00:00:00Z",
                Err("not an instant"),
            ),
            (EditField::Threshold, "1%", Ok("")),
        ];
        for (field, text, want) in cases {
            let next = s.apply(ReplayAction::SetField(field, text.into()));
            assert_eq!(next.shown(field), text, "{field:?} keeps what was typed");
            match want {
                Ok(value) => {
                    assert_eq!(next.field_error(field), None, "{field:?} {text}");
                    if let Some(sc) = next.scenario.as_deref() {
                        assert_eq!(
                            field_text(sc, field).replace(' ', ""),
                            value.replace(' ', ""),
                            "{field:?} {text}"
                        );
                    }
                }
                Err(e) => {
                    let got = next.field_error(field).unwrap_or_default();
                    assert!(got.contains(e), "{field:?} {text}: {got}");
                    assert_eq!(next.scenario, s.scenario, "a bad value changes nothing");
                }
            }
        }
        let naive = s.apply(ReplayAction::SetField(EditField::Threshold, "1%".into()));
        assert_eq!(naive.naive.threshold, Some(0.01));
        let lesson = naive.apply(ReplayAction::SetField(EditField::Threshold, " ".into()));
        assert_eq!(lesson.naive.threshold, None);
    }

    #[test]
    fn an_answer_about_an_older_edit_does_not_overwrite_a_newer_one() {
        let s = read("fast-burn");
        let first = s.apply(ReplayAction::Move {
            index: 0,
            start_ms: 3_600_000,
        });
        let second = first.apply(ReplayAction::Move {
            index: 0,
            start_ms: 7_200_000,
        });
        let late = second.apply(ReplayAction::Answer {
            rev: first.rev,
            edited: true,
            took_ms: 3.0,
            answer: Box::new(ReplayAnswer {
                yaml: Some("old".into()),
                ..ReplayAnswer::default()
            }),
        });
        assert_ne!(&*late.text, "old");
        assert_eq!(incident(&late, 0).start, Duration::from_hours(2));
        let current = second.apply(ReplayAction::Answer {
            rev: second.rev,
            edited: true,
            took_ms: 3.0,
            answer: Box::new(ReplayAnswer {
                yaml: Some("new".into()),
                ..ReplayAnswer::default()
            }),
        });
        assert_eq!(&*current.text, "new");
    }

    #[test]
    fn zoom_stays_inside_the_scenario_and_the_whole_scenario_is_no_zoom() {
        let s = read("fast-burn");
        let day = 86_400_000;
        let cases = [
            ((3_600_000, 7_200_000), Some((3_600_000, 7_200_000))),
            ((-3_600_000, 3_600_000), Some((0, 7_200_000))),
            ((day - 1000, day + 1000), Some((day - 60_000, day))),
            ((0, day), None),
            ((-day, 2 * day), None),
        ];
        for ((a, b), want) in cases {
            assert_eq!(
                s.apply(ReplayAction::Zoom(Some((a, b)))).zoom,
                want,
                "{a} {b}"
            );
        }
    }

    #[test]
    fn links_carry_a_builtin_by_name_and_an_own_scenario_as_yaml() {
        let pairs = |s: &ReplayState| crate::services::persist::pairs_of(s, ShareMode::Link);
        let get = |p: &[(String, String)]| {
            let p = p.to_vec();
            move |k: &str| p.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone())
        };
        assert_eq!(pairs(&ReplayState::default()), Vec::new());
        let picked = read("slow-burn");
        let p = pairs(&picked);
        assert_eq!(p, [("rp.scn".to_owned(), "slow-burn".to_owned())]);
        let back = ReplayState::restore(&get(&p));
        assert_eq!(
            (back.builtin, &*back.text),
            (
                Some("slow-burn"),
                builtin::text("slow-burn").unwrap_or_default()
            )
        );

        let own = picked
            .apply(ReplayAction::SetText(
                "duration: 2d\nrequests_per_second: 5\n".into(),
            ))
            .apply(ReplayAction::SetField(EditField::Threshold, "2%".into()))
            .apply(ReplayAction::Zoom(Some((0, 3_600_000))));
        let back = ReplayState::restore(&get(&pairs(&own)));
        assert_eq!(back.builtin, None);
        assert_eq!(&*back.text, "duration: 2d\nrequests_per_second: 5\n");
        assert_eq!(
            (back.threshold.as_str(), back.naive.threshold),
            ("2%", Some(0.02))
        );
        assert_eq!(back.zoom, Some((0, 3_600_000)));
    }
}
