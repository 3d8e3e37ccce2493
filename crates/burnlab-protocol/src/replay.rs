//! The Replay section's messages: what the page asks ([`ReplayRequest`]: the rules, the
//! Alertmanager config, the scenario, the naive rule, the range the charts show and an export)
//! and what it gets back ([`ReplayAnswer`]: the scenario read or written, the run as plain
//! views, the charts' points, the exported file).
//!
//! A request carries every input, so a restarted worker answers the next one in full. The
//! session compares each input with the last: a slider move that changes the SLO recompiles the
//! rules and runs again; a dragged incident only runs again; zooming only reads the kept
//! counters; nothing is computed twice for the same input. It is the same
//! `Replay::compile`/`Replay::run` that `burnlab simulate` calls, so the page and the CLI
//! answer alike.
//!
//! The scenario travels as text (what the user typed or picked, read by the session, where the
//! YAML reader is) or as the core's [`Scenario`] (what the page's editor changed; the session
//! writes it back as YAML), so the page itself never reads or writes YAML.

use burnlab::Error;
use burnlab::alertmanager::matchers::ParserMode;
use burnlab::replay::events::Event;
use burnlab::replay::inputs::BadKind;
use burnlab::replay::scenario::Scenario;
use burnlab::replay::summary::{Class, Summary, WindowPoint};
use burnlab::replay::{AlertTimeline, Notification, Timeline};
use serde::{Deserialize, Serialize};

use crate::rules::RulesInput;

/// At most this many events of a run travel to the page (the first ones in time); the summary
/// still counts everything.
pub const MAX_EVENTS: usize = 2_000;

/// At most this many notifications of a timeline travel to the page (the first ones in time).
pub const MAX_NOTIFICATIONS: usize = 5_000;

/// At most this many points of a chart: more than a wide screen has pixels to show them.
pub const MAX_POINTS: u32 = 2_000;

/// The scenario as the page has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ScenarioInput {
    /// YAML or JSON as typed (or a built-in's text): read here, answered with what it reads as.
    Text(String),
    /// Changed in the page's editor: checked here, answered with its YAML.
    Edited(Scenario),
}

/// The naive threshold rule the page compares with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NaiveInput {
    /// The error ratio that pages; `None` for the lesson's (the error budget).
    pub threshold: Option<f64>,
    /// How long it must hold, ms; `None` for the lesson's 1 minute.
    pub for_ms: Option<u64>,
}

/// The stretch of the scenario the charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowInput {
    /// Start, ms from the scenario's start.
    pub from_ms: i64,
    /// End, ms; past the scenario's end reads as its end.
    pub to_ms: i64,
    /// How many points at most (about one per two pixels of the chart).
    pub points: u32,
}

/// A file the page offers for download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    /// `test.yaml`: the prediction as a `promtool test rules` file (it reads `rules.yaml`).
    PromtoolTest,
    /// `rules.yaml`: the rules replayed, as promtool reads them.
    PromtoolRules,
    /// `amtool.sh`: `amtool config routes test` for every alert that fired (reads
    /// `alertmanager.yml`).
    Amtool,
    /// `alertmanager.yml`: the configuration replayed.
    Alertmanager,
    /// `scenario.yaml`.
    Scenario,
    /// `spec.yaml`: the SLO spec whose SLI and objective were replayed.
    Spec,
}

/// An exported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    /// File name.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// What the page's Replay section asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayRequest {
    /// Where the rules come from.
    pub rules: RulesInput,
    /// The Alertmanager config and its matcher parser; `None` to replay without one.
    pub config: Option<(String, ParserMode)>,
    /// The scenario.
    pub scenario: ScenarioInput,
    /// The naive rule.
    pub naive: NaiveInput,
    /// What the charts show; `None` for the whole scenario.
    pub window: Option<WindowInput>,
    /// A file to export from the current run.
    pub export: Option<ExportKind>,
}

/// One rule set's timeline for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineView {
    /// Every alert instance and its pending and firing intervals.
    pub alerts: Vec<AlertTimeline>,
    /// Notifications in time order, at most [`MAX_NOTIFICATIONS`].
    pub notifications: Vec<Notification>,
    /// How many notifications there are in all.
    pub notifications_total: usize,
    /// The figures.
    pub summary: Summary,
    /// Things not to miss.
    pub warnings: Vec<String>,
}

impl From<&Timeline> for TimelineView {
    fn from(t: &Timeline) -> Self {
        Self {
            alerts: t.alerts.clone(),
            notifications: t
                .notifications
                .iter()
                .take(MAX_NOTIFICATIONS)
                .cloned()
                .collect(),
            notifications_total: t.notifications.len(),
            summary: t.summary.clone(),
            warnings: t.warnings.clone(),
        }
    }
}

/// An alerting rule as the page explains a firing: its name, expression and `for`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRuleView {
    /// `alert`.
    pub name: String,
    /// `expr`.
    pub expr: String,
    /// `for`, as written; empty for none.
    pub for_: String,
}

/// A tier's threshold on the error ratio, for the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdView {
    /// `page 1h/5m ×14.4`.
    pub label: String,
    /// Page or ticket.
    pub class: Class,
    /// The error ratio both windows must exceed.
    pub ratio: f64,
}

/// The naive rule's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveView {
    /// Its threshold.
    pub threshold: f64,
    /// Its window, `5m`.
    pub window: String,
    /// Its `for`, `1m`.
    pub for_: String,
    /// Its timeline.
    pub timeline: TimelineView,
}

/// One run, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayView {
    /// Counts the runs of this session, so the page can tell a new run from a repeated one.
    pub generation: u64,
    /// The SLO replayed.
    pub slo: String,
    /// Every SLO of the spec, for a picker.
    pub slos: Vec<String>,
    /// The objective as a ratio.
    pub objective: f64,
    /// The SLO's period, `30d`.
    pub period: String,
    /// Which requests are bad.
    pub bad: BadKind,
    /// The scenario's length, seconds.
    pub duration_s: f64,
    /// The scenario's start, Unix seconds.
    pub start_time: i64,
    /// The tiers' thresholds (generated rules only: a pasted file's are its own).
    pub thresholds: Vec<ThresholdView>,
    /// The alerting rules replayed.
    pub rules: Vec<AlertRuleView>,
    /// The rules' timeline.
    pub timeline: TimelineView,
    /// The naive rule's.
    pub naive: Option<NaiveView>,
    /// Receivers that got a notification (from the rules or the naive rule), in config order.
    pub receivers: Vec<String>,
    /// The timeline in words, at most [`MAX_EVENTS`].
    pub events: Vec<Event>,
    /// How many events there are in all.
    pub events_total: usize,
    /// Warnings about the scenario.
    pub scenario_warnings: Vec<String>,
    /// Evaluations the run took (rules and naive rule each), for the page's note on cost.
    pub evaluations: u64,
}

/// The charts' points for one range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowView {
    /// The run they belong to.
    pub generation: u64,
    /// Start, seconds.
    pub from_s: f64,
    /// End, seconds.
    pub to_s: f64,
    /// The points.
    pub points: Vec<WindowPoint>,
}

/// The answer to a [`ReplayRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReplayAnswer {
    /// For [`ScenarioInput::Text`]: the scenario it reads as, or its located error; for an
    /// edited scenario that does not hold together, its error.
    pub scenario: Option<Result<Scenario, Error>>,
    /// For [`ScenarioInput::Edited`]: its YAML.
    pub yaml: Option<String>,
    /// The run, when it differs from the last one answered: its views, or why it could not
    /// run (the page keeps showing the last good run, marked stale).
    pub run: Option<Result<Box<ReplayView>, Error>>,
    /// The config's error when its text is invalid: the last valid config is replayed.
    pub config_error: Option<Error>,
    /// The charts' points for the requested range.
    pub window: Option<WindowView>,
    /// The requested export.
    pub export: Option<Result<ExportFile, Error>>,
}
