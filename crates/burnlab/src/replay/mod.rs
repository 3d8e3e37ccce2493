//! Incident replay: a traffic scenario through Prometheus rules and an Alertmanager
//! configuration, to which alerts go pending and fire when and who is notified when — and the
//! same scenario under the lesson's naive threshold rule beside it.
//!
//! Compile once, run many times (an interactive front runs again on every edit):
//! ```
//! use burnlab::replay::{Options, Replay, scenario::Scenario};
//! use burnlab::rules::Spec;
//! let spec = Spec::parse("version: prometheus/v1\nservice: api\nslos:\n  - name: availability\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total[{{.window}}]))\n    alerting:\n      name: ApiAvailability\n").unwrap();
//! let mut replay = Replay::compile(&spec, None, None, None, &Options::default()).unwrap();
//! let scenario = Scenario::builtin("fast-burn").unwrap();
//! let outcome = replay.run(&scenario).unwrap();
//! assert!(outcome.timeline.summary.pages > 0);
//! ```
//!
//! The parts, in the order a run uses them: [`scenario`] (the YAML format and its checks),
//! [`builtin`] (named scenarios) and [`edit`] (a scenario edited field by field); [`traffic`]
//! (counters sampled from the scenario, prefix sums);
//! [`inputs`] (which series the SLI reads); [`promql`] (a parser for the PromQL rules use),
//! [`plan`] (rules compiled to column operations with every label resolved) and [`eval`] (the
//! operations run over chunks of instants, as Prometheus computes them); [`prometheus`] (each
//! alert's pending/firing/resolved states and what is sent to Alertmanager); [`dispatch`]
//! (Alertmanager's groups, timers, inhibition, silences, time intervals and notification log);
//! [`notify`] (the Alertmanager half alone); [`summary`]; [`export`] (a promtool test and amtool
//! checks of the same prediction).
//!
//! The core reads no clock: times are milliseconds from the scenario's start, and Alertmanager's
//! time intervals read the scenario's `start_time` plus that offset.

pub mod builtin;
pub mod dispatch;
pub mod edit;
pub mod eval;
pub mod events;
pub mod export;
pub mod inputs;
pub mod notify;
pub mod plan;
pub mod prometheus;
pub mod promql;
pub mod reuse;
pub mod scenario;
pub mod summary;
pub mod traffic;

use serde::{Deserialize, Serialize};

use crate::alertmanager::config::Config;
use crate::alertmanager::matchers::Labels;
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::format;
use crate::rules::conventions::{LABEL_ALERT_SLO, LABEL_SEVERITY};
use crate::rules::generate::{self, Options as GeneratorOptions};
use crate::rules::model::{Group, Rule, RuleFile, RuleKind};
use crate::rules::spec::{Slo, Spec};
use crate::tiers::Severity;

pub use eval::Version;
pub use notify::Notification;
pub use scenario::Scenario;
pub use summary::Summary;

use dispatch::{ActiveSilence, AmPlan, Env};
use eval::{Buffers, CHUNK, Clock};
use inputs::{BadKind, Formula, SliInputs};
use plan::Plan;
use prometheus::{Machine, Send, Timing, Track};
use traffic::Traffic;

/// The lesson's naive threshold rule: the error ratio over `window` above `threshold` for
/// `for_duration` pages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NaiveRule {
    /// The error ratio that pages.
    pub threshold: f64,
    /// The window of the error ratio.
    pub window: Duration,
    /// How long it must hold.
    #[serde(rename = "for")]
    pub for_duration: Duration,
}

impl NaiveRule {
    /// The lesson's rule for an SLO: the 5-minute error ratio above the error budget
    /// (0.001 at 99.9 %) for 1 minute — `task_api:error_ratio:rate5m > 0.001 FOR 1m`.
    pub fn lesson(slo: &Slo) -> Self {
        Self {
            threshold: slo.objective.budget_ratio(),
            window: generate::NAIVE_WINDOW,
            for_duration: generate::NAIVE_FOR,
        }
    }
}

/// How the replay behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Which Prometheus: 2.x (closed windows, the default) or 3.x (left-open windows).
    pub prometheus: Version,
    /// Prometheus's `--rules.alert.resend-delay`.
    pub resend_delay: Duration,
    /// Prometheus's `--query.lookback-delta`.
    pub lookback: Duration,
    /// The layout of generated rules (when no rule file is given).
    pub generator: GeneratorOptions,
    /// Replay the naive threshold rule too: `None` for the lesson's (see [`NaiveRule::lesson`]),
    /// or the given rule; set `compare_naive` to false to skip it.
    pub naive: Option<NaiveRule>,
    /// Whether to replay the naive rule beside the rules.
    pub compare_naive: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            prometheus: Version::V2,
            resend_delay: Duration::from_mins(1),
            lookback: Duration::from_mins(5),
            generator: GeneratorOptions::default(),
            naive: None,
            compare_naive: true,
        }
    }
}

/// One alert instance's states over the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertTimeline {
    /// Its labels (`alertname` included).
    pub labels: Labels,
    /// Page, ticket or other, from `severity`.
    pub class: summary::Class,
    /// `[start_s, end_s or null]` while pending (waiting out `for`).
    pub pending: Vec<(f64, Option<f64>)>,
    /// `[start_s, end_s or null]` while firing.
    pub firing: Vec<(f64, Option<f64>)>,
}

/// Alerts, notifications and summary of one rule set over one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// Every alert instance the rules can produce, in rule order.
    pub alerts: Vec<AlertTimeline>,
    /// Every notification, in time order (empty without an Alertmanager configuration).
    pub notifications: Vec<Notification>,
    /// The figures.
    pub summary: Summary,
    /// Things a person should not miss (series nothing provides, receivers without
    /// integrations, cut output).
    pub warnings: Vec<String>,
    /// Alerts sent from Prometheus to Alertmanager (sends and re-sends).
    pub sends: usize,
}

/// The result of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The scenario's name.
    pub scenario: Option<String>,
    /// Which requests are bad for this SLI.
    pub bad: BadKind,
    /// The rules' timeline.
    #[serde(flatten)]
    pub timeline: Timeline,
    /// The naive threshold rule's timeline, when compared.
    pub naive: Option<NaiveTimeline>,
    /// `[seconds, requests per second, share of bad requests]`, at most 1000 points, for charts.
    pub traffic: Vec<(f64, f64, f64)>,
    /// Warnings about the scenario (overlaps, incidents cut at the end).
    pub scenario_warnings: Vec<String>,
}

/// The naive rule and its timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NaiveTimeline {
    /// The rule.
    pub rule: NaiveRule,
    /// Its timeline.
    #[serde(flatten)]
    pub timeline: Timeline,
}

/// One compiled rule set with its Alertmanager side and reusable buffers.
#[derive(Debug, Clone)]
struct Engine {
    plan: Plan,
    instances: Vec<Labels>,
    /// Per instance: (alert index in the plan, column list index).
    owners: Vec<usize>,
    am: Option<AmPlan>,
    buffers: Buffers,
    machines: Vec<Machine>,
    tracks: Vec<Track>,
    sends: Vec<Send>,
    /// Instructions the last run computed (the others were read from kept columns or not
    /// needed).
    ran: usize,
}

impl Engine {
    fn new(plan: Plan, config: Option<&Config>) -> Self {
        let mut instances = Vec::new();
        let mut owners = Vec::new();
        for (a, alert) in plan.alerts.iter().enumerate() {
            for inst in &alert.instances {
                instances.push(inst.labels.clone());
                owners.push(a);
            }
        }
        let am = config.map(|c| AmPlan::compile(c, &instances));
        let n = instances.len();
        Self {
            plan,
            instances,
            owners,
            am,
            buffers: Buffers::default(),
            machines: vec![Machine::default(); n],
            tracks: vec![Track::default(); n],
            sends: Vec::new(),
            ran: 0,
        }
    }

    /// Evaluates the rules over the whole scenario; fills `tracks` and `sends`. Series kept in
    /// `columns` by an earlier run of the same counters are read instead of computed, and the
    /// ones that meet thresholds are kept there for the next run.
    fn evaluate(
        &mut self,
        inputs: &[&[f64]],
        clock: &Clock,
        ticks: i64,
        resend_ms: i64,
        columns: &mut reuse::Columns,
    ) {
        let reuse = reuse::plan(
            &self.plan,
            &reuse::input_keys(&self.plan),
            columns,
            ticks as usize,
        );
        columns.start(&reuse, ticks as usize);
        self.ran = reuse.run.iter().filter(|r| **r).count();
        self.buffers.prepare(&self.plan);
        for m in &mut self.machines {
            *m = Machine::default();
        }
        for t in &mut self.tracks {
            t.pending.clear();
            t.firing.clear();
        }
        self.sends.clear();
        let mut j0 = 0i64;
        while j0 < ticks {
            let len = (ticks - j0).min(CHUNK as i64) as usize;
            let at = j0 as usize;
            for &(b, k) in &reuse.fill_vals {
                self.buffers.fill_vals(b, columns.vals(k, at, len));
            }
            for &(b, k) in &reuse.fill_masks {
                self.buffers.fill_masks(b, columns.masks(k, at, len));
            }
            let in_place = eval::InPlace {
                vals: (reuse.read_vals.iter())
                    .map(|&(b, k)| (b, columns.vals(k, at, len)))
                    .collect(),
                masks: (reuse.read_masks.iter())
                    .map(|&(b, k)| (b, columns.masks(k, at, len)))
                    .collect(),
            };
            eval::run_chunk(
                &self.plan,
                &reuse.run,
                &in_place,
                inputs,
                clock,
                j0,
                len,
                &mut self.buffers,
            );
            for &(b, k) in &reuse.keep_vals {
                columns.push_vals(k, self.buffers.val_buf(b, len));
            }
            for &(b, k) in &reuse.keep_masks {
                columns.push_masks(k, self.buffers.mask_buf(b, len));
            }
            let mut inst = 0u32;
            for alert in &self.plan.alerts {
                let timing = Timing {
                    for_ms: alert.for_ms,
                    keep_firing_ms: alert.keep_firing_ms,
                    resend_ms,
                    eval_ms: clock.eval_ms,
                    age_ms: 0,
                };
                for i in &alert.instances {
                    let present = self.buffers.any_mask(&i.cols, len);
                    if let (Some(m), Some(track)) = (
                        self.machines.get_mut(inst as usize),
                        self.tracks.get_mut(inst as usize),
                    ) {
                        m.feed(
                            j0 * clock.eval_ms,
                            present,
                            &timing,
                            inst,
                            &mut self.sends,
                            track,
                        );
                    }
                    inst += 1;
                }
            }
            j0 += len as i64;
        }
        // Alerting rules run one after another at each instant, so their sends are in rule
        // order within an instant; a stable sort by time keeps that.
        self.sends.sort_by_key(|s| s.at);
    }
}

/// A compiled replay: rules (and the naive rule) against an SLI, optionally through an
/// Alertmanager configuration.
#[derive(Debug, Clone)]
pub struct Replay {
    slo: Slo,
    inputs: SliInputs,
    options: Options,
    config: Option<Config>,
    main: Engine,
    naive: Option<(NaiveRule, Engine)>,
    kept: Kept,
    /// The rules as text: as given, or written from `file` when first asked for.
    rules_text: std::cell::OnceCell<String>,
    file: RuleFile,
}

/// What a run leaves for the next: the counters it sampled, what they were sampled from, and
/// the series that met thresholds ([`reuse`]). A run of the same scenario reads them instead
/// of computing them again, also after [`Replay::keep_from`] hands them to a newly compiled
/// replay (an objective moved on a slider).
#[derive(Debug, Clone, Default)]
struct Kept {
    /// The scenario, the SLI's counters, the Prometheus version and the lookback (ms) that
    /// `traffic`, `series` and `columns` follow from.
    stamp: Option<(Scenario, SliInputs, Version, i64)>,
    traffic: Traffic,
    series: Vec<Vec<f64>>,
    columns: reuse::Columns,
}

fn rule(
    kind: RuleKind,
    expr: String,
    for_duration: Option<Duration>,
    labels: Vec<(String, String)>,
) -> Rule {
    Rule {
        kind: Some(kind),
        expr,
        for_duration,
        labels,
        ..Rule::default()
    }
}

impl Replay {
    /// Compiles a replay of `spec`'s SLO named `slo` (the first when `None`): its generated rules
    /// (or the rule file `rules`, YAML text of a rule file or PrometheusRule manifest), through
    /// `alertmanager` when given.
    pub fn compile(
        spec: &Spec,
        slo: Option<&str>,
        rules: Option<&str>,
        alertmanager: Option<&Config>,
        options: &Options,
    ) -> Result<Self> {
        let slo = match slo {
            None => spec.slos.first(),
            Some(name) => spec.slos.iter().find(|s| s.name == name),
        }
        .ok_or_else(|| {
            Error::field(
                "slo",
                format!(
                    "`{}` is not in the spec: its SLOs are {}",
                    slo.unwrap_or(""),
                    spec.slos
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?
        .clone();
        let inputs = inputs::inputs(&slo)?;
        let labels: Vec<Labels> = inputs.series.iter().map(|s| s.labels.clone()).collect();
        let rules_text = std::cell::OnceCell::new();
        let (file, main_plan) = match rules {
            Some(t) => {
                let file = RuleFile::parse(t)?;
                let keep = plan::keep_firing_for(t)?;
                let p = plan::compile(&file, &keep, t, &labels)?;
                let _ = rules_text.set(t.to_owned());
                (file, p)
            }
            // Only the replayed SLO's rules: the others read series the scenario does not feed.
            None => {
                let mut one = spec.clone();
                one.slos.retain(|s| s.name == slo.name);
                let generated = generate::generate(&one, options.generator);
                // Generated rules have no `keep_firing_for` and need no reading back (their
                // text is written when asked for); only an error is worth locating in the
                // text, which needs the text's line numbers.
                match plan::compile(&generated, &Vec::new(), "", &labels) {
                    Ok(p) => (generated, p),
                    Err(_) => {
                        let text = generated.to_yaml();
                        let file = RuleFile::parse(&text)?;
                        let p = plan::compile(&file, &Vec::new(), &text, &labels)?;
                        (file, p)
                    }
                }
            }
        };
        check_sli(&slo, &inputs, &labels, options)?;
        let naive = if options.compare_naive {
            let rule_def = options.naive.unwrap_or_else(|| NaiveRule::lesson(&slo));
            if !(rule_def.threshold.is_finite() && rule_def.threshold >= 0.0) {
                return Err(Error::field(
                    "threshold",
                    "must be an error ratio of 0 or more, e.g. 0.01",
                ));
            }
            let mut rule_labels = generate::recording_labels(spec, &slo);
            rule_labels.push((LABEL_SEVERITY.into(), Severity::Page.as_str().into()));
            rule_labels.push((LABEL_ALERT_SLO.into(), slo.name.clone()));
            if let Some(page) = &slo.page {
                for (k, v) in &page.labels {
                    rule_labels.retain(|(x, _)| x != k);
                    rule_labels.push((k.clone(), v.clone()));
                }
            }
            let naive_file = RuleFile {
                groups: vec![Group {
                    name: "burnlab-naive-threshold".into(),
                    rules: vec![rule(
                        RuleKind::Alert(format!("{}NaiveThreshold", slo.alert_name)),
                        format!(
                            "(\n{}\n) > {}",
                            generate::error_ratio_query(&slo, rule_def.window),
                            format::decimal(rule_def.threshold)
                        ),
                        Some(rule_def.for_duration).filter(|d| !d.is_zero()),
                        rule_labels,
                    )],
                    ..Group::default()
                }],
            };
            let text = naive_file.to_yaml();
            let p = plan::compile(&naive_file, &Vec::new(), &text, &labels)?;
            Some((rule_def, Engine::new(p, alertmanager)))
        } else {
            None
        };
        Ok(Self {
            main: Engine::new(main_plan, alertmanager),
            naive,
            slo,
            inputs,
            options: options.clone(),
            config: alertmanager.cloned(),
            kept: Kept::default(),
            rules_text,
            file,
        })
    }

    /// The rule file replayed, as YAML text.
    pub fn rules_text(&self) -> &str {
        self.rules_text.get_or_init(|| self.file.to_yaml())
    }

    /// The rule file replayed.
    pub fn rule_file(&self) -> &RuleFile {
        &self.file
    }

    /// The counters the SLI reads.
    pub fn inputs(&self) -> &SliInputs {
        &self.inputs
    }

    /// Every alert instance the rules can produce, in rule order.
    pub fn alert_labels(&self) -> &[Labels] {
        &self.main.instances
    }

    /// The SLO replayed.
    pub fn slo(&self) -> &Slo {
        &self.slo
    }

    /// The counters of the last run.
    pub fn traffic(&self) -> &Traffic {
        &self.kept.traffic
    }

    /// Each input series' samples in the last run, in [`Replay::inputs`] order.
    pub fn series(&self) -> &[Vec<f64>] {
        &self.kept.series
    }

    /// How many instructions the last run computed, and how many the compiled rules have (the
    /// rules' and the naive rule's together).
    pub fn instructions_run(&self) -> (usize, usize) {
        let engines = std::iter::once(&self.main).chain(self.naive.as_ref().map(|(_, e)| e));
        engines.fold((0, 0), |(ran, all), e| {
            (ran + e.ran, all + e.plan.instrs.len())
        })
    }

    /// Takes what `earlier`'s last run left (its counters and the series that met thresholds),
    /// so that a run of the same scenario computes only what this replay's rules change. The
    /// answers are the same as without it.
    pub fn keep_from(&mut self, earlier: &mut Replay) {
        self.kept = std::mem::take(&mut earlier.kept);
    }

    /// The counters of the last run between `from_ms` and `to_ms` in at most `points`
    /// stretches, with the error ratio and the budget left: what charts draw for
    /// the range they show, at any zoom.
    pub fn window(&self, from_ms: i64, to_ms: i64, points: usize) -> Vec<summary::WindowPoint> {
        let traffic = &self.kept.traffic;
        let bad = match self.inputs.bad {
            BadKind::Errors => &traffic.errors,
            BadKind::Slow => &traffic.slow,
        };
        let budget = summary::budget_requests(
            traffic,
            self.slo.objective.budget_ratio(),
            self.slo.period.seconds(),
        );
        summary::window(traffic, bad, budget, from_ms, to_ms, points)
    }

    /// The sends of the last run (rules, then the naive rule).
    pub fn sends(&self) -> (&[Send], Option<&[Send]>) {
        (
            &self.main.sends,
            self.naive.as_ref().map(|(_, e)| e.sends.as_slice()),
        )
    }

    /// Replays `scenario`.
    pub fn run(&mut self, scenario: &Scenario) -> Result<Outcome> {
        scenario.validate()?;
        for (name, line, interval) in &self.main.plan.group_intervals {
            if *interval != scenario.evaluation_interval {
                let e = Error::field(
                    format!("group `{name}`"),
                    format!(
                        "is evaluated every {interval}, the scenario every {}: the replay evaluates every group at the scenario's evaluation_interval, so set it to {interval} or remove the group's interval",
                        scenario.evaluation_interval
                    ),
                );
                return Err(if *line > 0 { e.at(*line, 1) } else { e });
            }
        }
        let lookback_ms = self.options.lookback.as_millis() as i64;
        let same = self.kept.stamp.as_ref().is_some_and(|(s, i, v, l)| {
            s == scenario && *i == self.inputs && *v == self.options.prometheus && *l == lookback_ms
        });
        if !same {
            let kept = &mut self.kept;
            kept.traffic.fill(scenario);
            let bad = match self.inputs.bad {
                BadKind::Errors => &kept.traffic.errors,
                BadKind::Slow => &kept.traffic.slow,
            };
            kept.series.resize(self.inputs.series.len(), Vec::new());
            for (s, out) in self.inputs.series.iter().zip(kept.series.iter_mut()) {
                out.clear();
                match s.formula {
                    Formula::Total => out.extend_from_slice(&kept.traffic.total),
                    Formula::Bad => out.extend_from_slice(bad),
                    Formula::Good => {
                        out.extend(kept.traffic.total.iter().zip(bad).map(|(t, b)| t - b));
                    }
                }
            }
            kept.columns.reset();
            kept.stamp = Some((
                scenario.clone(),
                self.inputs.clone(),
                self.options.prometheus,
                lookback_ms,
            ));
        }
        let clock = Clock {
            version: self.options.prometheus,
            scrape_ms: scenario.scrape_interval.as_millis() as i64,
            eval_ms: scenario.evaluation_interval.as_millis() as i64,
            lookback_ms,
        };
        let ticks = scenario.duration_ms() / clock.eval_ms + 1;
        let resend_ms = self.options.resend_delay.as_millis() as i64;
        let kept = &mut self.kept;
        let inputs: Vec<&[f64]> = kept.series.iter().map(Vec::as_slice).collect();
        let mut silences = Vec::new();
        for (i, s) in scenario.silences.iter().enumerate() {
            let silence = s
                .to_silence(scenario.start_time)
                .map_err(|e| Error::field(format!("silences[{i}]"), e.message))?;
            silences.push((
                silence,
                s.start.as_millis() as i64,
                s.end.as_millis() as i64,
            ));
        }
        let basis_bad: &[f64] = match self.inputs.bad {
            BadKind::Errors => &kept.traffic.errors,
            BadKind::Slow => &kept.traffic.slow,
        };
        let basis = summary::Basis {
            scenario,
            traffic: &kept.traffic,
            bad: basis_bad,
            budget_ratio: self.slo.objective.budget_ratio(),
            period_s: self.slo.period.seconds(),
            slow: self.inputs.bad == BadKind::Slow,
        };
        let env = self.config.as_ref().map(|c| Env {
            config: c,
            start_unix: scenario.start_time,
            end_ms: scenario.duration_ms(),
        });
        kept.columns.begin();
        self.main
            .evaluate(&inputs, &clock, ticks, resend_ms, &mut kept.columns);
        let timeline = build_timeline(&self.main, env.as_ref(), &silences, &basis);
        let naive = match &mut self.naive {
            Some((rule_def, engine)) => {
                engine.evaluate(&inputs, &clock, ticks, resend_ms, &mut kept.columns);
                Some(NaiveTimeline {
                    rule: *rule_def,
                    timeline: build_timeline(engine, env.as_ref(), &silences, &basis),
                })
            }
            None => None,
        };
        kept.columns.finish();
        Ok(Outcome {
            scenario: scenario.name.clone(),
            bad: self.inputs.bad,
            timeline,
            naive,
            traffic: traffic_points(&kept.traffic, basis_bad),
            scenario_warnings: scenario.warnings(),
        })
    }
}

/// The traffic at most 1000 points: `[seconds, requests per second, share of bad requests]`.
fn traffic_points(t: &Traffic, bad: &[f64]) -> Vec<(f64, f64, f64)> {
    let n = t.total.len();
    if n < 2 {
        return Vec::new();
    }
    let stride = (n - 1).div_ceil(1000).max(1);
    let mut out = Vec::new();
    let mut k = 0;
    while k + 1 < n {
        let k1 = (k + stride).min(n - 1);
        let (total, _, _) = t.between(k, k1);
        let b = bad.get(k1).copied().unwrap_or(0.0) - bad.get(k).copied().unwrap_or(0.0);
        let secs = (k1 - k) as f64 * t.scrape_ms as f64 / 1000.0;
        out.push((
            notify::secs(k1 as i64 * t.scrape_ms),
            if secs > 0.0 { total / secs } else { 0.0 },
            if total > 0.0 { b / total } else { 0.0 },
        ));
        k = k1;
    }
    out
}

fn build_timeline(
    engine: &Engine,
    env: Option<&Env<'_>>,
    silences: &[(crate::alertmanager::silence::Silence, i64, i64)],
    basis: &summary::Basis<'_>,
) -> Timeline {
    let mut warnings = engine.plan.warnings.clone();
    let (notifications, truncated) = match (&engine.am, env) {
        (Some(am), Some(env)) => {
            let active: Vec<ActiveSilence> = silences
                .iter()
                .map(|(s, start, end)| {
                    ActiveSilence::new(s.matchers(), *start, *end, &engine.instances)
                })
                .collect();
            let (notices, truncated) = dispatch::simulate(am, env, &engine.sends, &active);
            for r in &am.silent_receivers {
                warnings.push(format!(
                    "receiver `{r}` has no integrations: alerts routed to it notify nobody"
                ));
            }
            (
                notify::notifications(am, &engine.instances, &notices),
                truncated,
            )
        }
        _ => (Vec::new(), false),
    };
    if truncated {
        warnings.push(format!(
            "stopped after {} notifications: the rest of the timeline has none",
            dispatch::MAX_NOTIFICATIONS
        ));
    }
    let judged: Vec<summary::Judged<'_>> = engine
        .instances
        .iter()
        .zip(&engine.tracks)
        .zip(&engine.owners)
        .map(|((labels, track), owner)| {
            let alert = engine.plan.alerts.get(*owner);
            summary::Judged {
                class: summary::class(labels),
                firing: &track.firing,
                reach_ms: alert.map_or(0, |a| a.max_range_ms + a.for_ms + a.keep_firing_ms),
            }
        })
        .collect();
    let summary = summary::summarize(basis, &judged, &notifications);
    let iv = |v: &[(i64, Option<i64>)], drop_empty: bool| -> Vec<(f64, Option<f64>)> {
        v.iter()
            .filter(|(s, e)| !(drop_empty && *e == Some(*s)))
            .map(|(s, e)| (notify::secs(*s), e.map(notify::secs)))
            .collect()
    };
    Timeline {
        alerts: engine
            .instances
            .iter()
            .zip(&engine.tracks)
            .map(|(labels, t)| AlertTimeline {
                labels: labels.clone(),
                class: summary::class(labels),
                pending: iv(&t.pending, true),
                firing: iv(&t.firing, false),
            })
            .collect(),
        notifications,
        summary,
        warnings,
        sends: engine.sends.len(),
    }
}

/// Checks that the series made for the SLI make its error ratio what the scenario says: with
/// 10 % of requests bad for ten minutes, the SLI's 5-minute ratio must read 0.1.
fn check_sli(slo: &Slo, inputs: &SliInputs, labels: &[Labels], options: &Options) -> Result<()> {
    let file = RuleFile {
        groups: vec![Group {
            name: "check".into(),
            rules: vec![rule(
                RuleKind::Alert("SliCheck".into()),
                format!("abs(\n({})\n- 0.1) < 0.000001", inputs.ratio_query),
                None,
                Vec::new(),
            )],
            ..Group::default()
        }],
    };
    let text = file.to_yaml();
    let plan = plan::compile(&file, &Vec::new(), &text, labels).map_err(|e| {
        Error::field(
            "sli",
            format!("the SLI's error ratio cannot be replayed: {}", e.message),
        )
    })?;
    let series: Vec<Vec<f64>> = inputs
        .series
        .iter()
        .map(|s| {
            (0..=20)
                .map(|k| {
                    let k = k as f64;
                    match s.formula {
                        Formula::Total => 600.0 * k,
                        Formula::Bad => 60.0 * k,
                        Formula::Good => 540.0 * k,
                    }
                })
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let clock = Clock {
        version: options.prometheus,
        scrape_ms: 60_000,
        eval_ms: 30_000,
        lookback_ms: options.lookback.as_millis() as i64,
    };
    let mut buffers = Buffers::default();
    buffers.prepare(&plan);
    eval::run_chunk(
        &plan,
        &[],
        &eval::InPlace::default(),
        &refs,
        &clock,
        0,
        41,
        &mut buffers,
    );
    let ok = plan
        .alerts
        .first()
        .and_then(|a| a.instances.first())
        .is_some_and(|i| buffers.any_mask(&i.cols, 41).get(40).copied() == Some(1));
    if ok {
        Ok(())
    } else {
        let names: Vec<String> = inputs
            .series
            .iter()
            .map(|s| {
                let what = match s.formula {
                    Formula::Total => "all requests",
                    Formula::Bad => "bad requests",
                    Formula::Good => "good requests",
                };
                format!("{} ({what})", plan::series_text(&s.labels))
            })
            .collect();
        Err(Error::field(
            format!("slos[{}].sli", slo.name),
            format!(
                "the replay could not make series that this SLI reads as errors and totals (it tried {}): use an events SLI whose error and total queries select the same counter with matchers, or a latency SLI",
                names.join(", ")
            ),
        ))
    }
}
