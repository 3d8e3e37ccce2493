//! The page's heavy core: everything the Rules, Routing and Replay sections compute (reading and
//! writing YAML, rules and runbooks, the Alertmanager model with its regex engine and
//! time-zone database, the PromQL linter) answers through a small typed request/response
//! protocol, so none of it weighs on the page's first load. The page encodes a [`Request`], a
//! Web Worker built from `crates/burnlab-worker` decodes it, asks a [`Session`] and sends the
//! [`Response`] back; both sides share these types, so they cannot disagree.
//!
//! The messages are plain data (strings, numbers, the views below), encoded with bincode. The
//! session keeps what later requests build on (the last valid config, the rules for the
//! hygiene table), so a tester keystroke does not send or re-read a 1 MB config.
//!
//! [`Session`] needs the core's `promql` feature (for the rules linter); the page never calls
//! it and only uses the types and [`encode`]/[`decode`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::error::Error;
use crate::hygiene;
use crate::intent::IntentForm;
use crate::rules::form::SpecForm;
use crate::slo::{Objective, Period};
use crate::tester::{TestAnswer, TestInput};
use crate::tiers::{Severity, Tier, TierSet};

/// An error as the page shows it: field, message and 1-based line and column (0 when none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorView {
    /// The field or path.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line; 0 when not located.
    pub line: usize,
    /// 1-based column; 0 when not located.
    pub column: usize,
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> Self {
        let (line, column) = e.location.unwrap_or((0, 0));
        Self {
            field: e.field.clone(),
            message: e.message.clone(),
            line,
            column,
        }
    }
}

impl From<Error> for ErrorView {
    fn from(e: Error) -> Self {
        Self::from(&e)
    }
}

/// Which matcher parser reads the config, as Alertmanager versions differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MatcherMode {
    /// Alertmanager 0.22–0.26 (and amtool 0.25).
    Classic,
    /// Alertmanager 0.27+'s default.
    #[default]
    Fallback,
    /// Alertmanager 0.27+ with the strict UTF-8 parser only.
    Utf8,
}

impl MatcherMode {
    /// The core's parser mode.
    pub fn parser(self) -> crate::alertmanager::matchers::ParserMode {
        use crate::alertmanager::matchers::ParserMode;
        match self {
            Self::Classic => ParserMode::Classic,
            Self::Fallback => ParserMode::Fallback,
            Self::Utf8 => ParserMode::Utf8,
        }
    }

    /// Stable short name, for links and selects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Fallback => "fallback",
            Self::Utf8 => "utf8",
        }
    }

    /// The mode named by [`MatcherMode::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Classic, Self::Fallback, Self::Utf8]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// One lint finding of a rule file, located by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFinding {
    /// `error` or `warning`.
    pub level: String,
    /// The check's stable name, `undefined-series`.
    pub check: String,
    /// The rule, when one is at fault.
    pub rule: String,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub fix: String,
}

/// One node of the routing tree, flattened for drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    /// Path as written, `route.routes[1]`.
    pub path: String,
    /// 1-based line of the route.
    pub line: usize,
    /// Parent index; `None` for the root.
    pub parent: Option<usize>,
    /// Depth, 0 for the root.
    pub depth: usize,
    /// Matchers as Alertmanager prints them; empty for none.
    pub matchers: String,
    /// Effective receiver.
    pub receiver: String,
    /// Effective group_by: `alertname, slo`, `...`, or empty.
    pub group_by: String,
    /// Effective group_wait.
    pub group_wait: String,
    /// Effective group_interval.
    pub group_interval: String,
    /// Effective repeat_interval.
    pub repeat_interval: String,
    /// How often repeats really go out.
    pub effective_repeat: String,
    /// `continue: true`.
    pub continue_: bool,
    /// Mute time intervals.
    pub mute: Vec<String>,
    /// Active time intervals.
    pub active: Vec<String>,
}

/// A receiver and its integration kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiverView {
    /// The name.
    pub name: String,
    /// Integration kinds, `pagerduty, slack`.
    pub kinds: Vec<String>,
    /// Whether it pages someone (see [`hygiene::is_paging`]).
    pub paging: bool,
}

/// A lint finding of the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFinding {
    /// Route or field path.
    pub path: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// What to know or do.
    pub message: String,
}

/// What the page shows of a config.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfigView {
    /// Why the text is not a valid config; `None` when it is. While it is set, the tester and
    /// the hygiene table keep using the last valid config, and the fields below are empty.
    pub error: Option<ErrorView>,
    /// Alertmanager's own warnings.
    pub warnings: Vec<ErrorView>,
    /// Lint findings.
    pub findings: Vec<ConfigFinding>,
    /// The routing tree in depth-first order, index 0 the root.
    pub nodes: Vec<NodeView>,
    /// Receivers in order.
    pub receivers: Vec<ReceiverView>,
    /// Inhibit rules as text, with their lines.
    pub inhibit_rules: Vec<(String, usize)>,
    /// Names of the time intervals.
    pub time_intervals: Vec<String>,
}

/// One tier as text, for the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierView {
    /// `page` or `ticket`.
    pub severity: String,
    /// Long window, `1h`.
    pub long: String,
    /// Short window, `5m`.
    pub short: String,
    /// Burn-rate factor.
    pub factor: f64,
    /// `for`, if any.
    pub for_: Option<String>,
}

/// The SLO context of the page's Budget and Tiers sections, for the wire: objective as a
/// ratio (exact), period and tiers as Prometheus text (exact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloView {
    /// The objective as a ratio, `0.999`.
    pub objective: f64,
    /// The period, `30d`.
    pub period: String,
    /// The tier set's name: a preset's (`workbook`) or `custom`.
    pub set_name: String,
    /// The tiers, already on `period`.
    pub tiers: Vec<TierView>,
}

impl SloView {
    /// The view of an objective, a period and the tier set in effect on it.
    pub fn new(objective: Objective, period: Period, tiers: &TierSet) -> Self {
        Self {
            objective: objective.ratio(),
            period: period.to_string(),
            set_name: tiers.name().to_owned(),
            tiers: tiers
                .tiers()
                .iter()
                .map(|t| TierView {
                    severity: t.severity().as_str().to_owned(),
                    long: t.long_window().to_string(),
                    short: t.short_window().to_string(),
                    factor: t.factor(),
                    for_: t.for_duration().map(|d| d.to_string()),
                })
                .collect(),
        }
    }

    /// The objective, period and tiers back.
    pub fn read(&self) -> crate::Result<(Objective, Period, Vec<Tier>)> {
        let objective = Objective::from_ratio(self.objective)?;
        let period = Period::parse(&self.period)?;
        let mut tiers = Vec::new();
        for t in &self.tiers {
            let for_ = match &t.for_ {
                Some(f) => Some(Duration::parse(f, "for")?),
                None => None,
            };
            tiers.push(Tier::new(
                Severity::parse(&t.severity)?,
                Duration::parse(&t.long, "long window")?,
                Duration::parse(&t.short, "short window")?,
                t.factor,
                for_,
            )?);
        }
        Ok((objective, period, tiers))
    }
}

/// Where the Rules section's rules come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RulesSource {
    /// The form, on the page's SLO context.
    Form {
        /// The form's fields.
        form: Box<SpecForm>,
        /// Objective, period and tiers.
        slo: SloView,
    },
    /// A pasted Sloth or OpenSLO spec.
    Spec(String),
    /// A pasted rule file or PrometheusRule: shown and linted as it is.
    File(String),
}

/// What the Rules section asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesRequest {
    /// The source.
    pub source: RulesSource,
    /// A PrometheusRule manifest rather than a rule file.
    pub prometheus_rule: bool,
}

/// The rules generated (or pasted), ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesView {
    /// The YAML, exactly as generated or pasted.
    pub yaml: String,
    /// The same rules as a plain rule file.
    pub rule_file: String,
    /// `(alert, Markdown)` for each alert of generated rules.
    pub runbooks: Vec<(String, String)>,
    /// How many alerts the rules raise.
    pub alerts: usize,
    /// The spec the form stands for (form source only), for "edit as a spec".
    pub spec_yaml: Option<String>,
}

/// The answer to a [`RulesRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesAnswer {
    /// The rules, or the first error in the input.
    pub output: Result<RulesView, ErrorView>,
    /// Lint findings of the shown YAML (of the pasted text even when it does not read).
    pub findings: Vec<RuleFinding>,
}

/// A request to the heavy core's routing side. Fields left `None` are unchanged since the
/// previous request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingRequest {
    /// New config text, and the matcher parser to read it with.
    pub config: Option<(String, MatcherMode)>,
    /// New tester input.
    pub test: Option<TestInput>,
    /// The Rules section's request, whose alerts the hygiene table routes.
    pub rules: Option<RulesRequest>,
    /// The generator form, whose config the answer carries.
    pub intent: Option<IntentForm>,
}

/// What a share link without secrets may carry of a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Redaction {
    /// Nothing in it is a secret: the text as typed.
    NoSecrets,
    /// The config with every credential replaced by `<secret>` (comments and layout are not
    /// kept).
    Redacted(String),
    /// The text is not YAML, so what is secret in it cannot be told.
    Unreadable,
}

/// The heavy core's answer to a [`RoutingRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingAnswer {
    /// The config's view, when the request carried a config.
    pub config: Option<ConfigView>,
    /// Whether a valid config has been read yet (the tester and table need one).
    pub has_config: bool,
    /// The tester's answer (or the error in its labels or instant).
    pub test: Option<Result<TestAnswer, ErrorView>>,
    /// The hygiene table (or why the rules could not be read).
    pub hygiene: Option<Result<Vec<hygiene::Row>, ErrorView>>,
    /// What a share link may carry of the config, when the request carried one.
    pub redaction: Option<Redaction>,
    /// The generator form's config, or its first error, when the request carried the form.
    pub generated: Option<Result<String, ErrorView>>,
}

/// A request from the page, with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Rules from the form, a spec or a pasted file, with their lint.
    Rules {
        /// Sequence number, echoed back.
        seq: u64,
        /// What to compute.
        request: RulesRequest,
    },
    /// Routing: config, tester and hygiene.
    Routing {
        /// Sequence number, echoed back.
        seq: u64,
        /// What changed.
        request: Box<RoutingRequest>,
    },
    /// The Replay section: a scenario through the rules and the config.
    Replay {
        /// Sequence number, echoed back.
        seq: u64,
        /// Every input of the replay.
        request: Box<crate::replay::session::ReplayRequest>,
    },
}

/// The answer to a [`Request`], with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker listens: requests sent from now on are answered.
    Ready,
    /// The answer to a [`Request::Rules`].
    Rules {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<RulesAnswer>,
    },
    /// The answer to a [`Request::Routing`].
    Routing {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<RoutingAnswer>,
    },
    /// The answer to a [`Request::Replay`].
    Replay {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<crate::replay::session::ReplayAnswer>,
    },
    /// The request could not be decoded (a page and a worker from different builds).
    Failed {
        /// What went wrong.
        message: String,
    },
}

/// Encodes a message for `postMessage`.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    bincode::serialize(message).unwrap_or_default()
}

/// Decodes a message; a message from another build is an error, not a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| format!("cannot decode a heavy-core message: {e}"))
}

#[cfg(feature = "promql")]
pub use session::Session;

#[cfg(feature = "promql")]
mod session {
    use super::*;
    use crate::alertmanager::config::{Config, ConfigOptions, GroupBy};
    use crate::alertmanager::lint::effective_repeat;
    use crate::alertmanager::matchers;
    use crate::rules::generate::{self, Format, Options};
    use crate::rules::model::RuleFile;
    use crate::rules::runbook;
    use crate::rules::spec::Spec;
    use crate::tiers::Preset;

    /// What the worker keeps between requests.
    #[derive(Debug, Default)]
    pub struct Session {
        config: Option<Config>,
        test: TestInput,
        /// The last rules request and its rule file, for the hygiene table.
        rules: Option<(RulesRequest, Result<RuleFile, Error>)>,
        /// The Replay section's compiled replay and last run.
        replay: crate::replay::session::ReplaySession,
    }

    fn finding(f: crate::rules::lint::Finding) -> RuleFinding {
        RuleFinding {
            level: f.level.to_string(),
            check: f.check.to_owned(),
            rule: f.rule,
            line: f.line,
            message: f.message,
            fix: f.fix,
        }
    }

    /// The page's cap on one text it hands over ([`crate::limits::PAGE_MAX_INPUT_BYTES`]),
    /// applied here, where the text is read, so no front can skip it.
    fn page_sized(text: &str, what: &str) -> Result<(), Error> {
        crate::limits::check_size(text.len(), crate::limits::PAGE_MAX_INPUT_BYTES, what)
    }

    /// The rules a request asks for.
    fn rules(request: &RulesRequest) -> Result<RulesView, Error> {
        match &request.source {
            RulesSource::Spec(text) => page_sized(text, "spec")?,
            RulesSource::File(text) => page_sized(text, "rule file")?,
            RulesSource::Form { .. } => {}
        }
        let options = Options::default();
        let format = if request.prometheus_rule {
            Format::PrometheusRule
        } else {
            Format::Rules
        };
        let from_spec = |spec: Spec, spec_yaml: Option<String>| {
            let file = generate::generate(&spec, options);
            RulesView {
                yaml: generate::render(&spec, options, format),
                rule_file: file.to_yaml(),
                runbooks: runbook::runbooks(&spec, options)
                    .into_iter()
                    .map(|r| (r.alert, r.markdown))
                    .collect(),
                alerts: count_alerts(&file),
                spec_yaml,
            }
        };
        match &request.source {
            RulesSource::Form { form, slo } => {
                let (objective, period, tiers) = slo.read()?;
                let preset = Preset::parse(&slo.set_name).ok();
                let spec_yaml = form.to_spec_yaml(objective, period, preset)?;
                let spec = form.to_spec(objective, period, &slo.set_name, &tiers)?;
                Ok(from_spec(spec, Some(spec_yaml)))
            }
            RulesSource::Spec(text) => Ok(from_spec(Spec::parse(text)?, None)),
            RulesSource::File(text) => {
                let file = RuleFile::parse(text)?;
                Ok(RulesView {
                    yaml: text.clone(),
                    rule_file: text.clone(),
                    runbooks: Vec::new(),
                    alerts: count_alerts(&file),
                    spec_yaml: None,
                })
            }
        }
    }

    fn count_alerts(file: &RuleFile) -> usize {
        file.groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.alert_name().is_some())
            .count()
    }

    fn group_by(g: &GroupBy) -> String {
        match g {
            GroupBy::Nothing => String::new(),
            GroupBy::All => "...".into(),
            GroupBy::Labels(l) => l.join(", "),
        }
    }

    fn view(config: &Config) -> ConfigView {
        let nodes = &config.route.nodes;
        let mut depths: Vec<usize> = Vec::with_capacity(nodes.len());
        let views = nodes
            .iter()
            .map(|n| {
                // Nodes are in pre-order, so a parent's depth is known before its children's.
                let depth = n.parent.and_then(|p| depths.get(p)).map_or(0, |d| d + 1);
                depths.push(depth);
                let (repeat, certain) =
                    effective_repeat(n.opts.group_interval, n.opts.repeat_interval);
                NodeView {
                    path: n.path.clone(),
                    line: n.line,
                    parent: n.parent,
                    depth,
                    matchers: if n.matchers.is_empty() {
                        String::new()
                    } else {
                        matchers::render(&n.matchers)
                    },
                    receiver: n.opts.receiver.clone(),
                    group_by: group_by(&n.opts.group_by),
                    group_wait: n.opts.group_wait.to_string(),
                    group_interval: n.opts.group_interval.to_string(),
                    repeat_interval: n.opts.repeat_interval.to_string(),
                    effective_repeat: if certain {
                        repeat.to_string()
                    } else {
                        format!("{repeat} (sometimes {})", n.opts.repeat_interval)
                    },
                    continue_: n.continue_,
                    mute: n.opts.mute_time_intervals.clone(),
                    active: n.opts.active_time_intervals.clone(),
                }
            })
            .collect();
        ConfigView {
            error: None,
            warnings: config.warnings.iter().map(ErrorView::from).collect(),
            findings: crate::alertmanager::lint::lint(config)
                .into_iter()
                .map(|l| ConfigFinding {
                    path: l.path,
                    line: l.line,
                    message: l.message,
                })
                .collect(),
            nodes: views,
            receivers: config
                .receivers
                .iter()
                .map(|r| ReceiverView {
                    name: r.name.clone(),
                    kinds: r
                        .integrations
                        .iter()
                        .map(|i| i.kind.as_str().to_owned())
                        .collect(),
                    paging: hygiene::is_paging(config, &r.name),
                })
                .collect(),
            inhibit_rules: config
                .inhibit_rules
                .iter()
                .map(|r| {
                    let mut text = format!(
                        "source {} → target {}",
                        matchers::render(&r.source),
                        matchers::render(&r.target)
                    );
                    if !r.equal.is_empty() {
                        text.push_str(&format!(" equal [{}]", r.equal.join(", ")));
                    }
                    (text, r.pos.line)
                })
                .collect(),
            time_intervals: config
                .time_intervals
                .iter()
                .map(|t| t.name.clone())
                .collect(),
        }
    }

    impl Session {
        /// A session with nothing read yet.
        pub fn new() -> Self {
            Self::default()
        }

        /// Answers one request.
        pub fn answer(&mut self, request: Request) -> Response {
            match request {
                Request::Rules { seq, request } => {
                    let output = rules(&request);
                    let shown = match (&output, &request.source) {
                        (Ok(view), _) => Some(view.yaml.clone()),
                        (Err(_), RulesSource::File(text))
                            if text.len() <= crate::limits::PAGE_MAX_INPUT_BYTES =>
                        {
                            Some(text.clone())
                        }
                        (Err(_), _) => None,
                    };
                    let findings = shown
                        .map(|yaml| {
                            crate::rules::lint::lint_files(&[("rules", &yaml)])
                                .into_iter()
                                .map(finding)
                                .collect()
                        })
                        .unwrap_or_default();
                    let file = output
                        .as_ref()
                        .map_err(Clone::clone)
                        .and_then(|v| RuleFile::parse(&v.rule_file));
                    self.rules = Some((request, file));
                    Response::Rules {
                        seq,
                        answer: Box::new(RulesAnswer {
                            output: output.map_err(ErrorView::from),
                            findings,
                        }),
                    }
                }
                Request::Routing { seq, request } => Response::Routing {
                    seq,
                    answer: Box::new(self.routing(*request)),
                },
                Request::Replay { seq, request } => Response::Replay {
                    seq,
                    answer: Box::new(self.replay.answer(&request)),
                },
            }
        }

        fn routing(&mut self, request: RoutingRequest) -> RoutingAnswer {
            let mut answer = RoutingAnswer::default();
            if let Some((text, _)) = &request.config
                && let Err(e) = page_sized(text, "config")
            {
                answer.redaction = Some(Redaction::Unreadable);
                answer.config = Some(ConfigView {
                    error: Some(ErrorView::from(e)),
                    ..ConfigView::default()
                });
            } else if let Some((text, mode)) = request.config {
                answer.redaction = Some(match crate::alertmanager::generate::redact(&text) {
                    Ok(r) if r.matches("<secret>").count() > text.matches("<secret>").count() => {
                        Redaction::Redacted(r)
                    }
                    Ok(_) => Redaction::NoSecrets,
                    Err(_) => Redaction::Unreadable,
                });
                let options = ConfigOptions {
                    matcher_mode: mode.parser(),
                };
                answer.config = Some(match Config::parse(&text, options) {
                    Ok(config) => {
                        let v = view(&config);
                        self.config = Some(config);
                        v
                    }
                    Err(e) => ConfigView {
                        error: Some(ErrorView::from(e)),
                        ..ConfigView::default()
                    },
                });
            }
            let mut test_too_big = None;
            if let Some(test) = request.test {
                let size = test.labels.len()
                    + test.at.len()
                    + test.firing.iter().map(String::len).sum::<usize>()
                    + test
                        .silences
                        .iter()
                        .map(|s| s.matchers.len() + s.starts.len() + s.ends.len())
                        .sum::<usize>();
                match crate::limits::check_size(size, crate::limits::PAGE_MAX_INPUT_BYTES, "labels")
                {
                    Err(e) => test_too_big = Some(ErrorView::from(e)),
                    Ok(()) => self.test = test,
                }
            }
            if let Some(rules_request) = request.rules {
                let fresh = self.rules.as_ref().is_none_or(|(r, _)| *r != rules_request);
                if fresh {
                    let file = rules(&rules_request).and_then(|v| RuleFile::parse(&v.rule_file));
                    self.rules = Some((rules_request, file));
                }
            }
            if let Some(form) = request.intent {
                answer.generated = Some(
                    form.to_intent()
                        .and_then(|i| crate::alertmanager::generate::alertmanager_yaml(&i))
                        .map_err(ErrorView::from),
                );
            }
            answer.has_config = self.config.is_some();
            if let Some(config) = &self.config {
                answer.test = Some(match test_too_big {
                    Some(e) => Err(e),
                    None => crate::tester::answer(config, &self.test).map_err(ErrorView::from),
                });
                answer.hygiene = self.rules.as_ref().map(|(_, r)| match r {
                    Ok(file) => Ok(hygiene::table(&[file], config)),
                    Err(e) => Err(ErrorView::from(e)),
                });
            }
            answer
        }
    }
}

#[cfg(test)]
#[cfg(feature = "promql")]
mod tests {
    use super::*;
    use crate::rules::spec::Spec;
    use crate::rules::{Format, Options};

    fn round_trip(request: Request, session: &mut Session) -> Response {
        let bytes = encode(&request);
        let decoded: Request = decode(&bytes).unwrap();
        let response = session.answer(decoded);
        decode(&encode(&response)).unwrap()
    }

    fn routing(session: &mut Session, request: RoutingRequest) -> RoutingAnswer {
        match round_trip(
            Request::Routing {
                seq: 7,
                request: Box::new(request),
            },
            session,
        ) {
            Response::Routing { seq: 7, answer } => *answer,
            other => panic!("{other:?}"),
        }
    }

    fn rules(session: &mut Session, request: RulesRequest) -> RulesAnswer {
        match round_trip(Request::Rules { seq: 3, request }, session) {
            Response::Rules { seq: 3, answer } => *answer,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_above_the_pages_cap_is_refused_by_name_without_being_read() {
        let big = format!("# {}\n", "x".repeat(crate::limits::PAGE_MAX_INPUT_BYTES));
        let mut session = Session::new();
        for (source, field) in [
            (RulesSource::Spec(big.clone()), "spec"),
            (RulesSource::File(big.clone()), "rule file"),
        ] {
            let answer = rules(
                &mut session,
                RulesRequest {
                    source,
                    prometheus_rule: false,
                },
            );
            let e = answer.output.err().unwrap();
            assert_eq!(e.field, field);
            assert!(
                e.message.contains("is longer than the 2 MiB"),
                "{}",
                e.message
            );
            assert!(answer.findings.is_empty());
        }
        let answer = routing(
            &mut session,
            RoutingRequest {
                config: Some((big.clone(), MatcherMode::Fallback)),
                ..RoutingRequest::default()
            },
        );
        let e = answer.config.and_then(|c| c.error).unwrap();
        assert_eq!(e.field, "config");
        assert_eq!(answer.redaction, Some(Redaction::Unreadable));
        let answer = routing(
            &mut session,
            RoutingRequest {
                config: Some((
                    "route: {receiver: a}\nreceivers: [{name: a}]\n".into(),
                    MatcherMode::Fallback,
                )),
                test: Some(TestInput {
                    labels: big,
                    ..TestInput::default()
                }),
                ..RoutingRequest::default()
            },
        );
        assert_eq!(answer.test.unwrap().err().unwrap().field, "labels");
    }

    fn form_request(set: &TierSet) -> RulesRequest {
        RulesRequest {
            source: RulesSource::Form {
                form: Box::default(),
                slo: SloView::new(Objective::from_percent(99.9).unwrap(), Period::DAYS_30, set),
            },
            prometheus_rule: false,
        }
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn the_slo_context_crosses_the_wire_exactly() {
        let set = crate::tiers::Preset::Pyrra
            .tier_set()
            .scale_to(Period::DAYS_30, crate::tiers::Scaling::KeepFactors)
            .unwrap();
        let o = Objective::from_percent(99.95).unwrap();
        let view: SloView = decode(&encode(&SloView::new(o, Period::DAYS_30, &set))).unwrap();
        assert_eq!(
            view.read().unwrap(),
            (o, Period::DAYS_30, set.tiers().to_vec())
        );
    }

    #[test]
    fn the_form_generates_the_clis_rules_and_they_lint_clean() {
        let mut s = Session::new();
        let answer = rules(
            &mut s,
            form_request(&crate::tiers::Preset::Workbook.tier_set()),
        );
        let view = answer.output.unwrap();
        assert_eq!(view.alerts, 3);
        assert_eq!(view.runbooks.len(), 3);
        let spec = Spec::parse(view.spec_yaml.as_deref().unwrap()).unwrap();
        assert_eq!(
            view.yaml,
            crate::rules::generate::render(&spec, Options::default(), Format::Rules)
        );
        assert_eq!(answer.findings, Vec::new());
    }

    #[test]
    fn a_pasted_file_that_does_not_read_is_still_linted_and_located() {
        let mut s = Session::new();
        let answer = rules(
            &mut s,
            RulesRequest {
                source: RulesSource::File(
                    "groups:\n  - name: a\n    rules:\n      - alert: X\n".into(),
                ),
                prometheus_rule: false,
            },
        );
        let error = answer.output.unwrap_err();
        assert_eq!(error.line, 4, "{error:?}");
        assert_eq!(answer.findings.len(), 1);
        assert_eq!(answer.findings[0].check, "invalid-file");
    }

    #[test]
    fn a_tester_keystroke_uses_the_config_sent_before_and_an_invalid_config_keeps_the_last_valid_one()
     {
        let mut s = Session::new();
        let config = fixture("alertmanager/generated-default.yaml");
        let first = routing(
            &mut s,
            RoutingRequest {
                config: Some((config.clone(), MatcherMode::Fallback)),
                test: Some(TestInput {
                    labels: "severity=page".into(),
                    at: "2024-03-16T12:00".into(),
                    ..TestInput::default()
                }),
                intent: Some(IntentForm::default()),
                rules: None,
            },
        );
        let view = first.config.unwrap();
        assert_eq!(view.error, None);
        assert_eq!(view.nodes.len(), 3);
        assert_eq!(view.nodes[1].matchers, "{severity=\"page\"}");
        assert_eq!(first.test.unwrap().unwrap().receivers, "pager");
        assert_eq!(first.hygiene, None);
        assert_eq!(first.generated, Some(Ok(config)));
        let Some(Redaction::Redacted(redacted)) = first.redaction else {
            panic!("{:?}", first.redaction);
        };
        assert!(
            redacted.contains("<secret>")
                && !redacted.contains("REPLACE_WITH_PAGERDUTY_ROUTING_KEY"),
            "{redacted}"
        );

        let broken = routing(
            &mut s,
            RoutingRequest {
                config: Some((
                    "route:\n  receiver: nobody\nreceivers: [{name: a}]\n".into(),
                    MatcherMode::Fallback,
                )),
                test: Some(TestInput {
                    labels: "severity=ticket".into(),
                    at: "2024-03-16T12:00".into(),
                    ..TestInput::default()
                }),
                rules: Some(form_request(&crate::tiers::Preset::Workbook.tier_set())),
                intent: None,
            },
        );
        assert_eq!(broken.redaction, Some(Redaction::NoSecrets));
        let error = broken.config.unwrap().error.unwrap();
        assert_eq!(
            (error.field.as_str(), error.line),
            ("route.receiver", 2),
            "{error:?}"
        );
        assert!(broken.has_config);
        assert_eq!(broken.test.unwrap().unwrap().receivers, "tickets");
        assert_eq!(broken.hygiene.unwrap().unwrap().len(), 3);
    }

    #[test]
    fn the_lessons_rules_lint_finds_the_unrecorded_series() {
        let mut s = Session::new();
        let answer = rules(
            &mut s,
            RulesRequest {
                source: RulesSource::File(fixture("rules/lint/lesson-task-api-slo-alerts.yaml")),
                prometheus_rule: false,
            },
        );
        assert_eq!(answer.output.map(|v| v.alerts), Ok(3));
        assert!(
            answer
                .findings
                .iter()
                .any(|f| f.check == "undefined-series" && f.message.contains("rate30m")),
            "{:?}",
            answer.findings
        );
    }

    #[test]
    fn bytes_from_another_build_are_an_error_not_a_panic() {
        assert!(decode::<Request>(&[9, 9, 9]).is_err());
    }
}
