//! The page's Replay section, seen from the core: what the page asks ([`ReplayRequest`]: the
//! rules' source, the Alertmanager config, the scenario, the naive rule, the range the charts
//! show and an export), what it gets back ([`ReplayAnswer`]: the scenario read or written, the
//! run as plain views, the charts' points, the exported file), and [`ReplaySession`], which
//! answers on the heavy-core worker and keeps what later requests reuse.
//!
//! A request carries every input, so a restarted worker answers the next one in full. The
//! session compares each input with the last: a slider move that changes the SLO recompiles the
//! rules and runs again; a dragged incident only runs again; zooming only reads the kept
//! counters; nothing is computed twice for the same input. It is the same
//! [`Replay::compile`]/[`Replay::run`] that `burnlab simulate` calls, so the page and the CLI
//! answer alike.
//!
//! The scenario travels as text (what the user typed or picked, read here, where the YAML
//! reader is) or as a [`ScenarioWire`] (what the page's editor changed; it is written back as
//! YAML here), so the page itself never reads or writes YAML.

use serde::{Deserialize, Serialize};

use crate::alertmanager::config::{Config, ConfigOptions};
use crate::alertmanager::matchers::Labels;
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::format;
use crate::heavy::{ErrorView, MatcherMode, SloView};
use crate::replay::events::{self, Event};
use crate::replay::inputs::BadKind;
use crate::replay::scenario::{Incident, Ramp, Scenario, SilenceSpec};
use crate::replay::summary::{Class, Summary, WindowPoint};
use crate::replay::{AlertTimeline, NaiveRule, Notification, Options, Outcome, Replay, Timeline};
use crate::rules::form::SpecForm;
use crate::rules::spec::Spec;

/// At most this many events of a run travel to the page (the first ones in time); the summary
/// still counts everything.
pub const MAX_EVENTS: usize = 2_000;

/// At most this many notifications of a timeline travel to the page (the first ones in time).
pub const MAX_NOTIFICATIONS: usize = 5_000;

/// At most this many points of a chart: more than a wide screen has pixels to show them.
pub const MAX_POINTS: u32 = 2_000;

/// Where the replayed rules come from: the Rules section's three sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RulesInput {
    /// The Rules section's form on the page's SLO context: its SLI, objective, period and
    /// tiers, and the rules generated from them.
    Form {
        /// The form's fields.
        form: Box<SpecForm>,
        /// Objective, period and tiers.
        slo: SloView,
    },
    /// A pasted Sloth or OpenSLO spec and its generated rules.
    Spec {
        /// The spec's text.
        text: String,
        /// Which SLO to replay; the first when `None`.
        slo: Option<String>,
    },
    /// A pasted rule file or PrometheusRule, replayed against the form's SLI and objective
    /// (a rule file says nothing about which counters it reads as requests and failures).
    File {
        /// The rule file's text.
        text: String,
        /// The form whose SLI the scenario feeds.
        form: Box<SpecForm>,
        /// Objective, period and tiers.
        slo: SloView,
    },
}

/// One incident of a [`ScenarioWire`]: [`Incident`] with every duration in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentWire {
    /// Its name, if any.
    pub name: Option<String>,
    /// Start of the first occurrence, ms from the scenario's start.
    pub start_ms: u64,
    /// Length of each occurrence.
    pub duration_ms: u64,
    /// Added share of failed requests, at its start and at its end.
    pub error_ratio: (f64, f64),
    /// Added share of slow requests, at its start and at its end.
    pub slow_ratio: (f64, f64),
    /// Period of repetition.
    pub every_ms: Option<u64>,
    /// How many occurrences.
    pub count: u32,
    /// A blip that clears by itself.
    pub noise: bool,
    /// 1-based line in the scenario text; 0 when edited on the page.
    pub line: usize,
}

/// One silence of a [`ScenarioWire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilenceWire {
    /// Matchers.
    pub matchers: Vec<String>,
    /// Start, ms from the scenario's start.
    pub start_ms: u64,
    /// End, ms from the scenario's start.
    pub end_ms: u64,
    /// Why.
    pub comment: Option<String>,
}

/// A [`Scenario`] as plain data for the wire (the core's own `Serialize` writes the documented
/// JSON format, with durations as text); converting there and back loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioWire {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Start instant, Unix seconds.
    pub start_time: i64,
    /// Length, ms.
    pub duration_ms: u64,
    /// Scrape interval, ms.
    pub scrape_ms: u64,
    /// Evaluation interval, ms.
    pub eval_ms: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Hourly factors.
    pub daily_shape: Option<Vec<f64>>,
    /// Baseline share of failed requests.
    pub error_ratio: f64,
    /// Baseline share of slow requests.
    pub slow_ratio: f64,
    /// Incidents.
    pub incidents: Vec<IncidentWire>,
    /// Silences.
    pub silences: Vec<SilenceWire>,
}

impl From<&Scenario> for ScenarioWire {
    fn from(s: &Scenario) -> Self {
        Self {
            name: s.name.clone(),
            description: s.description.clone(),
            start_time: s.start_time,
            duration_ms: s.duration.as_millis(),
            scrape_ms: s.scrape_interval.as_millis(),
            eval_ms: s.evaluation_interval.as_millis(),
            requests_per_second: s.requests_per_second,
            daily_shape: s.daily_shape.clone(),
            error_ratio: s.error_ratio,
            slow_ratio: s.slow_ratio,
            incidents: s
                .incidents
                .iter()
                .map(|i| IncidentWire {
                    name: i.name.clone(),
                    start_ms: i.start.as_millis(),
                    duration_ms: i.duration.as_millis(),
                    error_ratio: (i.error_ratio.from, i.error_ratio.to),
                    slow_ratio: (i.slow_ratio.from, i.slow_ratio.to),
                    every_ms: i.every.map(Duration::as_millis),
                    count: i.count,
                    noise: i.noise,
                    line: i.line,
                })
                .collect(),
            silences: s
                .silences
                .iter()
                .map(|x| SilenceWire {
                    matchers: x.matchers.clone(),
                    start_ms: x.start.as_millis(),
                    end_ms: x.end.as_millis(),
                    comment: x.comment.clone(),
                })
                .collect(),
        }
    }
}

impl From<&ScenarioWire> for Scenario {
    fn from(w: &ScenarioWire) -> Self {
        let ramp = |(from, to): (f64, f64)| Ramp { from, to };
        Self {
            name: w.name.clone(),
            description: w.description.clone(),
            start_time: w.start_time,
            duration: Duration::from_millis(w.duration_ms),
            scrape_interval: Duration::from_millis(w.scrape_ms),
            evaluation_interval: Duration::from_millis(w.eval_ms),
            requests_per_second: w.requests_per_second,
            daily_shape: w.daily_shape.clone(),
            error_ratio: w.error_ratio,
            slow_ratio: w.slow_ratio,
            incidents: w
                .incidents
                .iter()
                .map(|i| Incident {
                    name: i.name.clone(),
                    start: Duration::from_millis(i.start_ms),
                    duration: Duration::from_millis(i.duration_ms),
                    error_ratio: ramp(i.error_ratio),
                    slow_ratio: ramp(i.slow_ratio),
                    every: i.every_ms.map(Duration::from_millis),
                    count: i.count,
                    noise: i.noise,
                    line: i.line,
                })
                .collect(),
            silences: w
                .silences
                .iter()
                .map(|x| SilenceSpec {
                    matchers: x.matchers.clone(),
                    start: Duration::from_millis(x.start_ms),
                    end: Duration::from_millis(x.end_ms),
                    comment: x.comment.clone(),
                })
                .collect(),
        }
    }
}

/// The scenario as the page has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ScenarioInput {
    /// YAML or JSON as typed (or a built-in's text): read here, answered with what it reads as.
    Text(String),
    /// Changed in the page's editor: checked here, answered with its YAML.
    Edited(ScenarioWire),
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
    pub config: Option<(String, MatcherMode)>,
    /// The scenario.
    pub scenario: ScenarioInput,
    /// The naive rule.
    pub naive: NaiveInput,
    /// What the charts show; `None` for the whole scenario.
    pub window: Option<WindowInput>,
    /// A file to export from the current run.
    pub export: Option<ExportKind>,
}

/// A notification as the page shows it ([`Notification`] without the JSON's optional keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    /// Receiver.
    pub receiver: String,
    /// Integration, `pagerduty[0]`.
    pub integration: String,
    /// When, seconds from the start.
    pub at_s: f64,
    /// Alertmanager's group key.
    pub group_key: String,
    /// Firing alerts.
    pub firing: Vec<Labels>,
    /// Resolved alerts.
    pub resolved: Vec<Labels>,
    /// Whether the real Alertmanager may send it at another time.
    pub uncertain: bool,
    /// That other time.
    pub alternative_at_s: Option<f64>,
    /// Why it is uncertain.
    pub why: Option<String>,
}

impl From<&Notification> for NotificationView {
    fn from(n: &Notification) -> Self {
        Self {
            receiver: n.receiver.clone(),
            integration: n.integration.clone(),
            at_s: n.at_s,
            group_key: n.group_key.clone(),
            firing: n.firing.clone(),
            resolved: n.resolved.clone(),
            uncertain: n.uncertain,
            alternative_at_s: n.alternative_at_s,
            why: n.why.clone(),
        }
    }
}

/// One rule set's timeline for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineView {
    /// Every alert instance and its pending and firing intervals.
    pub alerts: Vec<AlertTimeline>,
    /// Notifications in time order, at most [`MAX_NOTIFICATIONS`].
    pub notifications: Vec<NotificationView>,
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
                .map(NotificationView::from)
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
    pub scenario: Option<std::result::Result<ScenarioWire, ErrorView>>,
    /// For [`ScenarioInput::Edited`]: its YAML.
    pub yaml: Option<String>,
    /// The run, when it differs from the last one answered: its views, or why it could not
    /// run (the page keeps showing the last good run, marked stale).
    pub run: Option<std::result::Result<Box<ReplayView>, ErrorView>>,
    /// The config's error when its text is invalid: the last valid config is replayed.
    pub config_error: Option<ErrorView>,
    /// The charts' points for the requested range.
    pub window: Option<WindowView>,
    /// The requested export.
    pub export: Option<std::result::Result<ExportFile, ErrorView>>,
}

/// What a compile depends on.
#[derive(Debug, Clone, PartialEq)]
struct CompileKey {
    rules: RulesInput,
    config: Option<(String, MatcherMode)>,
    naive: NaiveInput,
}

/// A compiled replay and what the page shows about its rules.
#[derive(Debug)]
struct Compiled {
    key: CompileKey,
    replay: Replay,
    spec_yaml: String,
    slos: Vec<String>,
    thresholds: Vec<ThresholdView>,
    rules: Vec<AlertRuleView>,
}

/// The config texts read so far: the last one and its error, and the last valid one.
#[derive(Debug, Default)]
struct Configs {
    last: Option<(String, MatcherMode)>,
    error: Option<Error>,
    valid: Option<((String, MatcherMode), Config)>,
}

/// What the worker keeps between Replay requests.
#[derive(Debug, Default)]
pub struct ReplaySession {
    configs: Configs,
    compiled: Option<Compiled>,
    /// The last input that failed to compile, so it is not compiled again.
    failed: Option<(CompileKey, Error)>,
    /// The last scenario text read, and what it read as.
    text: Option<(String, Result<Scenario>)>,
    scenario: Option<Scenario>,
    outcome: Option<Outcome>,
    /// Whether the page has the current run.
    sent: bool,
    generation: u64,
}

/// The spec, its YAML and the rules text (for a pasted file) of a rules input.
fn spec_of(rules: &RulesInput) -> Result<(Spec, String, Option<&str>)> {
    let from_form = |form: &SpecForm, slo: &SloView| -> Result<(Spec, String)> {
        let (objective, period, tiers) = slo.read()?;
        form.to_spec_and_yaml(objective, period, &slo.set_name, &tiers)
    };
    match rules {
        RulesInput::Form { form, slo } => {
            let (spec, yaml) = from_form(form, slo)?;
            Ok((spec, yaml, None))
        }
        RulesInput::Spec { text, .. } => Ok((Spec::parse(text)?, text.clone(), None)),
        RulesInput::File { text, form, slo } => {
            let (spec, yaml) = from_form(form, slo)?;
            Ok((spec, yaml, Some(text.as_str())))
        }
    }
}

fn compile(key: &CompileKey, config: Option<&Config>) -> Result<Compiled> {
    let (spec, spec_yaml, file) = spec_of(&key.rules)?;
    let slo_name = match &key.rules {
        RulesInput::Spec { slo, .. } => slo.clone(),
        _ => None,
    };
    let naive = spec
        .slos
        .iter()
        .find(|s| slo_name.as_ref().is_none_or(|n| *n == s.name))
        .map(|slo| {
            let mut rule = NaiveRule::lesson(slo);
            if let Some(t) = key.naive.threshold {
                rule.threshold = t;
            }
            if let Some(f) = key.naive.for_ms {
                rule.for_duration = Duration::from_millis(f);
            }
            rule
        });
    let options = Options {
        naive,
        ..Options::default()
    };
    let replay = Replay::compile(&spec, slo_name.as_deref(), file, config, &options)?;
    let slo = replay.slo();
    let thresholds = if file.is_some() {
        Vec::new()
    } else {
        slo.tiers
            .iter()
            .map(|t| ThresholdView {
                label: format!(
                    "{} {}/{} ×{}",
                    t.severity().as_str(),
                    t.long_window(),
                    t.short_window(),
                    format::sig(t.factor(), 4)
                ),
                class: match t.severity() {
                    crate::tiers::Severity::Page => Class::Page,
                    crate::tiers::Severity::Ticket => Class::Ticket,
                },
                ratio: t.threshold(slo.objective),
            })
            .collect()
    };
    let rules = replay
        .rule_file()
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter_map(|r| {
            Some(AlertRuleView {
                name: r.alert_name()?.to_owned(),
                expr: r.expr.trim().to_owned(),
                for_: r.for_duration.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    Ok(Compiled {
        key: key.clone(),
        slos: spec.slos.iter().map(|s| s.name.clone()).collect(),
        spec_yaml,
        thresholds,
        rules,
        replay,
    })
}

impl ReplaySession {
    /// A session with nothing compiled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers one request.
    pub fn answer(&mut self, request: &ReplayRequest) -> ReplayAnswer {
        let mut answer = ReplayAnswer::default();
        let scenario = match &request.scenario {
            ScenarioInput::Text(text) => {
                // Every request carries the text; it is read again only when it changed.
                let read = match &self.text {
                    Some((last, read)) if last == text => read.clone(),
                    _ => {
                        let read = Scenario::parse(text);
                        self.text = Some((text.clone(), read.clone()));
                        read
                    }
                };
                answer.scenario = Some(
                    read.as_ref()
                        .map(ScenarioWire::from)
                        .map_err(ErrorView::from),
                );
                read
            }
            ScenarioInput::Edited(wire) => {
                let s = Scenario::from(wire);
                match s.validate() {
                    Ok(()) => {
                        answer.yaml = Some(s.to_yaml());
                        Ok(s)
                    }
                    Err(e) => {
                        answer.scenario = Some(Err(ErrorView::from(&e)));
                        Err(e)
                    }
                }
            }
        };
        let mut rerun = false;
        if let Ok(s) = scenario
            && self.scenario.as_ref() != Some(&s)
        {
            self.scenario = Some(s);
            rerun = true;
        }
        self.read_config(request.config.as_ref());
        answer.config_error = self.configs.error.as_ref().map(ErrorView::from);
        let key = CompileKey {
            rules: request.rules.clone(),
            config: self.configs.valid.as_ref().map(|(t, _)| t.clone()),
            naive: request.naive,
        };
        if self.compiled.as_ref().is_some_and(|c| c.key == key) {
            // Back to what is compiled after an input that failed.
            self.failed = None;
        } else {
            // An input that failed before fails again: answer its error without compiling.
            let known = self
                .failed
                .as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, e)| e);
            let result = match known {
                Some(e) => Err(e.clone()),
                None => compile(&key, self.configs.valid.as_ref().map(|(_, c)| c)),
            };
            match result {
                Ok(mut c) => {
                    // A run of the same scenario reuses the counters and the series the
                    // last one computed: an objective change costs the comparisons only.
                    if let Some(old) = self.compiled.as_mut() {
                        c.replay.keep_from(&mut old.replay);
                    }
                    self.compiled = Some(c);
                    self.failed = None;
                    rerun = true;
                }
                Err(e) => {
                    answer.run = Some(Err(ErrorView::from(&e)));
                    self.failed = Some((key, e));
                    // The page keeps its last good run, marked stale, until one compiles.
                    self.sent = false;
                }
            }
        }
        if self.failed.is_none() && (rerun || !self.sent) {
            self.run(&mut answer, rerun);
        }
        if let (true, Some(w), Some(c), Some(_)) = (
            self.failed.is_none(),
            request.window.as_ref().or(Some(&WindowInput {
                from_ms: 0,
                to_ms: i64::MAX,
                points: 500,
            })),
            self.compiled.as_ref(),
            self.outcome.as_ref(),
        ) {
            let end = self.scenario.as_ref().map_or(0, Scenario::duration_ms);
            let (from, to) = (w.from_ms.clamp(0, end), w.to_ms.clamp(0, end));
            answer.window = Some(WindowView {
                generation: self.generation,
                from_s: from as f64 / 1000.0,
                to_s: to as f64 / 1000.0,
                points: c
                    .replay
                    .window(from, to, w.points.clamp(1, MAX_POINTS) as usize),
            });
        }
        if let Some(kind) = request.export {
            answer.export = Some(self.export(kind).map_err(ErrorView::from));
        }
        answer
    }

    fn read_config(&mut self, config: Option<&(String, MatcherMode)>) {
        let c = &mut self.configs;
        if c.last.as_ref() == config {
            return;
        }
        c.last = config.cloned();
        match config {
            None => {
                c.valid = None;
                c.error = None;
            }
            Some((text, mode)) => {
                let options = ConfigOptions {
                    matcher_mode: mode.parser(),
                };
                match Config::parse(text, options) {
                    Ok(parsed) => {
                        c.valid = Some(((text.clone(), *mode), parsed));
                        c.error = None;
                    }
                    Err(e) => c.error = Some(e),
                }
            }
        }
    }

    /// Runs the scenario again (when `fresh`, else reuses the last outcome) and puts the views
    /// in `answer`.
    fn run(&mut self, answer: &mut ReplayAnswer, fresh: bool) {
        let (Some(c), Some(scenario)) = (self.compiled.as_mut(), self.scenario.as_ref()) else {
            return;
        };
        if fresh || self.outcome.is_none() {
            match c.replay.run(scenario) {
                Ok(o) => {
                    self.outcome = Some(o);
                    self.generation += 1;
                }
                Err(e) => {
                    self.outcome = None;
                    answer.run = Some(Err(ErrorView::from(&e)));
                    self.sent = false;
                    return;
                }
            }
        }
        let Some(outcome) = self.outcome.as_ref() else {
            return;
        };
        let slo = c.replay.slo();
        let mut events = events::of(outcome, scenario);
        let events_total = events.len();
        events.truncate(MAX_EVENTS);
        let notified: Vec<&str> = outcome
            .timeline
            .notifications
            .iter()
            .chain(outcome.naive.iter().flat_map(|n| &n.timeline.notifications))
            .map(|n| n.receiver.as_str())
            .collect();
        let receivers = match self.configs.valid.as_ref() {
            Some((_, config)) => config
                .receivers
                .iter()
                .map(|r| r.name.clone())
                .filter(|r| notified.contains(&r.as_str()))
                .collect(),
            None => Vec::new(),
        };
        let ticks = (scenario.duration_ms()
            / scenario.evaluation_interval.as_millis().max(1) as i64
            + 1) as u64;
        let view = ReplayView {
            generation: self.generation,
            slo: slo.name.clone(),
            slos: c.slos.clone(),
            objective: slo.objective.ratio(),
            period: slo.period.to_string(),
            bad: outcome.bad,
            duration_s: scenario.duration_ms() as f64 / 1000.0,
            start_time: scenario.start_time,
            thresholds: c.thresholds.clone(),
            rules: c.rules.clone(),
            timeline: TimelineView::from(&outcome.timeline),
            naive: outcome.naive.as_ref().map(|n| NaiveView {
                threshold: n.rule.threshold,
                window: n.rule.window.to_string(),
                for_: n.rule.for_duration.to_string(),
                timeline: TimelineView::from(&n.timeline),
            }),
            receivers,
            events,
            events_total,
            scenario_warnings: outcome.scenario_warnings.clone(),
            evaluations: ticks * if outcome.naive.is_some() { 2 } else { 1 },
        };
        answer.run = Some(Ok(Box::new(view)));
        self.sent = true;
    }

    fn export(&self, kind: ExportKind) -> Result<ExportFile> {
        let none = || {
            Error::field(
                "replay",
                "has not run yet: fix the errors shown, then export",
            )
        };
        let c = self.compiled.as_ref().ok_or_else(none)?;
        let scenario = self.scenario.as_ref().ok_or_else(none)?;
        let file = |name: &str, text: String| ExportFile {
            name: name.to_owned(),
            text,
        };
        let config = || {
            self.configs.valid.as_ref().ok_or_else(|| {
                Error::field(
                    "alertmanager",
                    "no valid Alertmanager config is replayed: give one in the Routing section",
                )
            })
        };
        match kind {
            ExportKind::Scenario => Ok(file("scenario.yaml", scenario.to_yaml())),
            ExportKind::Spec => Ok(file("spec.yaml", c.spec_yaml.clone())),
            ExportKind::Alertmanager => Ok(file("alertmanager.yml", config()?.0.0.clone())),
            ExportKind::PromtoolRules | ExportKind::PromtoolTest => {
                let outcome = self.outcome.as_ref().ok_or_else(none)?;
                let files = c.replay.promtool_test(scenario, outcome, "rules.yaml")?;
                Ok(match kind {
                    ExportKind::PromtoolRules => file("rules.yaml", files.rules),
                    _ => file("test.yaml", files.test),
                })
            }
            ExportKind::Amtool => {
                let outcome = self.outcome.as_ref().ok_or_else(none)?;
                let (_, config) = config()?;
                Ok(file(
                    "amtool.sh",
                    c.replay.amtool_script(outcome, config, "alertmanager.yml"),
                ))
            }
        }
    }
}
