//! The page's heavy core: the parts of the core that too few visits need to put in the page's
//! first load (the Alertmanager model with its regex engine and time-zone database, the PromQL
//! linter) answer through a small typed request/response protocol. The page encodes a
//! [`Request`], a Web Worker built from `crates/burnlab-worker` decodes it, asks a [`Session`]
//! and sends the [`Response`] back; both sides share these types, so they cannot disagree.
//!
//! The messages are plain data (strings, numbers, the views below), encoded with bincode. The
//! session keeps what later requests build on (the last valid config, the rules for the
//! hygiene table), so a tester keystroke does not send or re-read a 1 MB config.
//!
//! [`Session`] needs the core's `promql` feature (for the rules linter); the page never calls
//! it and only uses the types and [`encode`]/[`decode`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::hygiene;
use crate::tester::{TestAnswer, TestInput};

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
    /// Whether it pages someone (see [`hygiene::PAGING_KINDS`]).
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
    /// The routing tree as `amtool config routes show` prints it.
    pub tree_text: String,
}

/// A request to the heavy core. Fields left `None` are unchanged since the previous request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingRequest {
    /// New config text, and the matcher parser to read it with.
    pub config: Option<(String, MatcherMode)>,
    /// New tester input.
    pub test: Option<TestInput>,
    /// New rule-file text for the hygiene table (generated or pasted).
    pub rules: Option<String>,
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
}

/// A request from the page, with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Lint a rule file or PrometheusRule (generated or pasted).
    Lint {
        /// Sequence number, echoed back.
        seq: u64,
        /// The file's text.
        text: String,
    },
    /// Routing: config, tester and hygiene.
    Routing {
        /// Sequence number, echoed back.
        seq: u64,
        /// What changed.
        request: RoutingRequest,
    },
}

/// The answer to a [`Request`], with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker listens: requests sent from now on are answered.
    Ready,
    /// The findings of a [`Request::Lint`].
    Lint {
        /// The request's sequence number.
        seq: u64,
        /// Findings, in line order.
        findings: Vec<RuleFinding>,
    },
    /// The answer to a [`Request::Routing`].
    Routing {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<RoutingAnswer>,
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
    use crate::rules::model::RuleFile;

    /// What the worker keeps between requests.
    #[derive(Debug, Default)]
    pub struct Session {
        config: Option<Config>,
        test: TestInput,
        rules: Option<Result<RuleFile, Error>>,
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
                    kinds: r.integrations.iter().map(|i| i.kind.clone()).collect(),
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
            tree_text: config.route.render(),
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
                Request::Lint { seq, text } => Response::Lint {
                    seq,
                    findings: crate::rules::lint::lint_files(&[("rules", &text)])
                        .into_iter()
                        .map(|f| RuleFinding {
                            level: f.level.to_string(),
                            check: f.check.to_owned(),
                            rule: f.rule,
                            line: f.line,
                            message: f.message,
                            fix: f.fix,
                        })
                        .collect(),
                },
                Request::Routing { seq, request } => Response::Routing {
                    seq,
                    answer: Box::new(self.routing(request)),
                },
            }
        }

        fn routing(&mut self, request: RoutingRequest) -> RoutingAnswer {
            let mut answer = RoutingAnswer::default();
            if let Some((text, mode)) = request.config {
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
            if let Some(test) = request.test {
                self.test = test;
            }
            if let Some(rules) = request.rules {
                self.rules = Some(RuleFile::parse(&rules));
            }
            answer.has_config = self.config.is_some();
            if let Some(config) = &self.config {
                answer.test =
                    Some(crate::tester::answer(config, &self.test).map_err(ErrorView::from));
                answer.hygiene = self.rules.as_ref().map(|r| match r {
                    Ok(file) => Ok(hygiene::table(&[file], config)),
                    Err(e) => Err(ErrorView::from(e)),
                });
            }
            answer
        }
    }
}

#[cfg(all(test, feature = "promql"))]
mod tests {
    use super::*;

    fn round_trip(request: Request, session: &mut Session) -> Response {
        let bytes = encode(&request);
        let decoded: Request = decode(&bytes).unwrap();
        let response = session.answer(decoded);
        decode(&encode(&response)).unwrap()
    }

    fn routing(session: &mut Session, request: RoutingRequest) -> RoutingAnswer {
        match round_trip(Request::Routing { seq: 7, request }, session) {
            Response::Routing { seq: 7, answer } => *answer,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_tester_keystroke_uses_the_config_sent_before_and_an_invalid_config_keeps_the_last_valid_one()
     {
        let mut s = Session::new();
        let config = crate::alertmanager::generate::alertmanager_yaml(
            &crate::alertmanager::generate::RoutingIntent::default(),
        )
        .unwrap();
        let first = routing(
            &mut s,
            RoutingRequest {
                config: Some((config, MatcherMode::Fallback)),
                test: Some(TestInput {
                    labels: "severity=page".into(),
                    at: "2024-03-16T12:00".into(),
                    ..TestInput::default()
                }),
                rules: None,
            },
        );
        let view = first.config.unwrap();
        assert_eq!(view.error, None);
        assert_eq!(view.nodes.len(), 3);
        assert_eq!(view.nodes[1].matchers, "{severity=\"page\"}");
        assert_eq!(first.test.unwrap().unwrap().receivers, "pager");
        assert_eq!(first.hygiene, None);

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
                rules: Some(
                    std::fs::read_to_string(format!(
                        "{}/../../tests/fixtures/rules/task-api.rules.yaml",
                        env!("CARGO_MANIFEST_DIR")
                    ))
                    .unwrap(),
                ),
            },
        );
        let error = broken.config.unwrap().error.unwrap();
        assert_eq!(
            (error.field.as_str(), error.line),
            ("route.receiver", 2),
            "{error:?}"
        );
        assert!(broken.has_config);
        assert_eq!(broken.test.unwrap().unwrap().receivers, "tickets");
        assert_eq!(broken.hygiene.unwrap().unwrap().len(), 6);
    }

    #[test]
    fn the_lessons_rules_lint_finds_the_unrecorded_series() {
        let lesson = std::fs::read_to_string(format!(
            "{}/../../tests/fixtures/rules/lint/lesson-task-api-slo-alerts.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut s = Session::new();
        let Response::Lint { findings, .. } = round_trip(
            Request::Lint {
                seq: 1,
                text: lesson,
            },
            &mut s,
        ) else {
            panic!("not a lint answer");
        };
        assert!(
            findings
                .iter()
                .any(|f| f.check == "undefined-series" && f.message.contains("rate30m")),
            "{findings:?}"
        );
    }

    #[test]
    fn bytes_from_another_build_are_an_error_not_a_panic() {
        assert!(decode::<Request>(&[9, 9, 9]).is_err());
    }
}
