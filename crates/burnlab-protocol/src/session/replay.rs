//! The Replay section's answers: [`ReplaySession`] keeps the compiled replay, the scenario and
//! the last run, so a request recompiles only when the rules, the config or the naive rule
//! changed (handing the last run's counters and series to the new replay), runs again only
//! when something changed, and reads the scenario text only when it changed.

use burnlab::alertmanager::config::Config;
use burnlab::duration::Duration;
use burnlab::format;
use burnlab::replay::events;
use burnlab::replay::scenario::Scenario;
use burnlab::replay::summary::Class;
use burnlab::replay::{NaiveRule, Options, Outcome, Replay};
use burnlab::{Error, Result};

use super::configs::{ConfigText, Configs};
use super::rules::spec_of;
use crate::replay::{
    AlertRuleView, ExportFile, ExportKind, MAX_EVENTS, MAX_POINTS, NaiveInput, NaiveView,
    ReplayAnswer, ReplayRequest, ReplayView, ScenarioInput, ThresholdView, TimelineView,
    WindowInput, WindowView,
};
use crate::rules::RulesInput;

/// What a compile depends on.
#[derive(Debug, Clone, PartialEq)]
struct CompileKey {
    rules: RulesInput,
    config: Option<ConfigText>,
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

/// What the worker keeps between Replay requests.
#[derive(Debug, Default)]
pub struct ReplaySession {
    /// Whether the last request carried a config.
    with_config: bool,
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
                    burnlab::tiers::Severity::Page => Class::Page,
                    burnlab::tiers::Severity::Ticket => Class::Ticket,
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
    /// Answers one request.
    pub fn answer(&mut self, request: &ReplayRequest, configs: &mut Configs) -> ReplayAnswer {
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
                answer.scenario = Some(read.clone());
                read
            }
            ScenarioInput::Edited(s) => {
                let s = s.clone();
                match s.validate() {
                    Ok(()) => {
                        answer.yaml = Some(s.to_yaml());
                        Ok(s)
                    }
                    Err(e) => {
                        answer.scenario = Some(Err(e.clone()));
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
        self.with_config = request.config.is_some();
        answer.config_error = request
            .config
            .as_ref()
            .and_then(|(text, mode)| configs.read(text, *mode).cloned());
        let config = self.config(configs);
        let key = CompileKey {
            rules: request.rules.clone(),
            config: config.map(|(t, _)| t.clone()),
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
                None => compile(&key, config.map(|(_, c)| c)),
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
                    answer.run = Some(Err(e.clone()));
                    self.failed = Some((key, e));
                    // The page keeps its last good run, marked stale, until one compiles.
                    self.sent = false;
                }
            }
        }
        if self.failed.is_none() && (rerun || !self.sent) {
            self.run(&mut answer, rerun, configs);
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
            answer.export = Some(self.export(kind, configs));
        }
        answer
    }

    /// The config the replay runs with: the last valid one, when the request carries one.
    fn config<'c>(&self, configs: &'c Configs) -> Option<(&'c ConfigText, &'c Config)> {
        configs.valid().filter(|_| self.with_config)
    }

    /// Runs the scenario again (when `fresh`, else reuses the last outcome) and puts the views
    /// in `answer`.
    fn run(&mut self, answer: &mut ReplayAnswer, fresh: bool, configs: &Configs) {
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
                    answer.run = Some(Err(e.clone()));
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
        let receivers = match configs.valid().filter(|_| self.with_config) {
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

    fn export(&self, kind: ExportKind, configs: &Configs) -> Result<ExportFile> {
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
            self.config(configs).ok_or_else(|| {
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
