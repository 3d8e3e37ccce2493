//! The Routing section's state: the Alertmanager config as typed, the generator form, the
//! label tester's inputs (labels, firing alerts, silences, instant), and the last answers of
//! the heavy-core worker, which reads the config, draws nothing and decides everything. While
//! the typed config is invalid, the worker keeps answering from the last valid one and the
//! section marks it stale. Nothing here routes an alert: `reduce` only stores text and answers.

use std::rc::Rc;

use burnlab::Error;
use burnlab::alertmanager::matchers::ParserMode;
use burnlab::hygiene::Row;
use burnlab::intent::{IntentForm, RouteRow};
use burnlab::tester::{SilenceText, TestAnswer, TestInput};
use burnlab_protocol::routing::{ConfigView, NodeView, Redaction, RoutingAnswer, RoutingRequest};

use crate::services::persist::{Persist, ShareMode};

/// Pairs with `&str` keys pushed as the persistence's owned ones.
struct Pairs<'a>(&'a mut Vec<(String, String)>);

impl Pairs<'_> {
    fn push(&mut self, (key, value): (&str, String)) {
        self.0.push((key.to_owned(), value));
    }
}

/// The config the editor opens with: what the generator writes for its default intent (pages
/// to PagerDuty, tickets to Slack, the rest to email, pages inhibit tickets of their SLO).
/// A CLI test keeps it equal to `burnlab alertmanager generate`.
pub const DEFAULT_CONFIG: &str =
    include_str!("../../../../tests/fixtures/alertmanager/generated-default.yaml");

/// The config examples, by name.
pub const EXAMPLES: [(&str, &str); 2] = [
    (
        "The lesson's Secret (routes critical/warning; invalid: email without a smarthost)",
        include_str!("../../../../tests/fixtures/alertmanager/lesson.secret.yaml"),
    ),
    (
        "Follow the sun: office hours, continue, inhibition, maintenance window",
        include_str!("../../../../tests/fixtures/alertmanager/follow-the-sun.yaml"),
    ),
];

/// A text field of the generator form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentField {
    /// A route's severity value.
    Severity(usize),
    /// A route's receiver name.
    Receiver(usize),
    /// The fallback receiver's name.
    Fallback,
    /// `group_by`, comma-separated.
    GroupBy,
    /// `group_wait`.
    GroupWait,
    /// `group_interval`.
    GroupInterval,
    /// `repeat_interval`.
    RepeatInterval,
    /// The inhibiting severity; empty for none.
    Inhibit,
}

/// A field of one silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SilenceField {
    /// Matchers.
    Matchers,
    /// Start, UTC.
    Starts,
    /// End, UTC.
    Ends,
}

/// The Routing section's state.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingState {
    /// The config as typed.
    pub config: Rc<str>,
    /// The matcher parser.
    pub mode: ParserMode,
    /// The text the generator replaced, for undo.
    pub replaced: Option<Rc<str>>,
    /// Whether the config's credentials may be kept in this browser's storage (the user's
    /// choice; off, they are stored as placeholders).
    pub keep_secrets: bool,
    /// The generator form.
    pub intent: IntentForm,
    /// The generator form's error, if its fields do not read (from the heavy core).
    pub intent_error: Option<Error>,
    /// The config the generator writes for `generated_for`.
    pub generated: Option<Rc<str>>,
    /// The generator form the heavy core last answered for.
    pub generated_for: Option<IntentForm>,
    /// What a link without secrets may carry of a config text: the text it was worked out
    /// for, and the text itself (as typed when nothing in it is secret, else redacted).
    pub shareable: Option<(Rc<str>, Rc<str>)>,
    /// What a link without secrets may carry of the last valid config.
    pub shareable_valid: Option<Rc<str>>,
    /// The tester's input.
    pub test: TestInput,
    /// The last valid config's view.
    pub view: Option<Rc<ConfigView>>,
    /// The last valid config's routing tree (shared with the tree drawing without a copy).
    pub nodes: Rc<Vec<NodeView>>,
    /// The text of the last valid config (secrets included), for share links.
    pub valid_text: Option<Rc<str>>,
    /// The typed config's error; when set, `view` is stale.
    pub config_error: Option<Error>,
    /// The text the worker last answered for.
    pub answered: Option<Rc<str>>,
    /// The tester's last answer, or the error in its labels or instant.
    pub answer: Option<Rc<Result<TestAnswer, Error>>>,
    /// The last good tester answer, kept visible (stale) while the labels do not read.
    pub last_good: Option<Rc<TestAnswer>>,
    /// The hygiene table.
    pub hygiene: Option<Rc<Result<Vec<Row>, Error>>>,
    /// The node whose details are shown.
    pub selected: Option<usize>,
}

/// A change in the Routing section.
#[derive(Debug, Clone, PartialEq)]
pub enum RoutingAction {
    /// The config text changed.
    SetConfig(String),
    /// The matcher parser changed.
    SetMode(ParserMode),
    /// Load an example config.
    LoadExample(usize),
    /// Write the generator's config into the editor.
    Generate,
    /// Put back the text the generator replaced.
    Undo,
    /// Make the config error's fix with this index (one click; undone by `Undo`).
    ApplyFix(usize),
    /// Whether to keep the config's credentials in this browser's storage.
    KeepSecrets(bool),
    /// A generator field changed.
    SetIntent(IntentField, String),
    /// A route's or the fallback's receiver kind changed (`None` is the fallback).
    SetKind(Option<usize>, String),
    /// Add a severity route to the generator.
    AddRoute,
    /// Remove a severity route.
    RemoveRoute(usize),
    /// The tested labels changed.
    SetLabels(String),
    /// A firing alert's labels changed.
    SetFiring(usize, String),
    /// Add a firing alert.
    AddFiring,
    /// Remove a firing alert.
    RemoveFiring(usize),
    /// A silence field changed.
    SetSilence(usize, SilenceField, String),
    /// Add a silence.
    AddSilence,
    /// Remove a silence.
    RemoveSilence(usize),
    /// The instant changed.
    SetAt(String),
    /// Show a node's details (or none).
    Select(Option<usize>),
    /// The worker answered.
    Answer {
        /// The config text the request carried.
        config: Rc<str>,
        /// The generator form the request carried.
        intent: Box<IntentForm>,
        /// The answer.
        answer: Box<RoutingAnswer>,
    },
}

/// The default instant of the tester: a weekday at noon UTC, so a link opens on the same
/// answer wherever and whenever it is opened.
pub const DEFAULT_AT: &str = "2024-03-15T12:00";

impl Default for RoutingState {
    fn default() -> Self {
        Self {
            config: DEFAULT_CONFIG.into(),
            mode: ParserMode::Fallback,
            replaced: None,
            keep_secrets: false,
            intent: IntentForm::default(),
            intent_error: None,
            generated: None,
            generated_for: None,
            shareable: None,
            shareable_valid: None,
            test: TestInput {
                labels: "alertname=TaskApiAvailabilityTicket3d, severity=ticket, slo=availability"
                    .into(),
                firing: vec![
                    "alertname=TaskApiAvailabilityPage1h, severity=page, slo=availability".into(),
                ],
                silences: Vec::new(),
                at: DEFAULT_AT.into(),
            },
            view: None,
            nodes: Rc::new(Vec::new()),
            valid_text: None,
            config_error: None,
            answered: None,
            answer: None,
            last_good: None,
            hygiene: None,
            selected: None,
        }
    }
}

impl RoutingState {
    /// The state after `action`.
    pub fn apply(&self, action: RoutingAction) -> Self {
        let mut next = self.clone();
        match action {
            RoutingAction::SetConfig(t) => next.config = t.into(),
            RoutingAction::SetMode(m) => next.mode = m,
            RoutingAction::LoadExample(i) => {
                if let Some((_, t)) = EXAMPLES.get(i) {
                    next.replaced = Some(self.config.clone());
                    next.config = (*t).into();
                }
            }
            RoutingAction::Generate => {
                if let Some(text) = self.generated() {
                    next.replaced = Some(self.config.clone());
                    next.config = text;
                }
            }
            RoutingAction::KeepSecrets(keep) => next.keep_secrets = keep,
            RoutingAction::ApplyFix(i) => {
                let fixed = self
                    .config_error
                    .as_ref()
                    .filter(|_| !self.is_pending())
                    .and_then(|e| e.fixes.get(i))
                    .and_then(|f| f.apply(&self.config));
                if let Some(text) = fixed {
                    next.replaced = Some(self.config.clone());
                    next.config = text.into();
                }
            }
            RoutingAction::Undo => {
                if let Some(old) = self.replaced.clone() {
                    next.replaced = Some(self.config.clone());
                    next.config = old;
                }
            }
            RoutingAction::SetIntent(field, text) => {
                let f = &mut next.intent;
                match field {
                    IntentField::Severity(i) => {
                        if let Some(r) = f.routes.get_mut(i) {
                            r.severity = text;
                        }
                    }
                    IntentField::Receiver(i) => {
                        if let Some(r) = f.routes.get_mut(i) {
                            r.receiver = text;
                        }
                    }
                    IntentField::Fallback => f.fallback = text,
                    IntentField::GroupBy => f.group_by = text,
                    IntentField::GroupWait => f.group_wait = text,
                    IntentField::GroupInterval => f.group_interval = text,
                    IntentField::RepeatInterval => f.repeat_interval = text,
                    IntentField::Inhibit => f.inhibit = text,
                }
            }
            RoutingAction::SetKind(route, kind) => {
                match route.and_then(|i| next.intent.routes.get_mut(i)) {
                    Some(r) => r.kind = kind,
                    None if route.is_none() => next.intent.fallback_kind = kind,
                    None => {}
                }
            }
            RoutingAction::AddRoute => {
                next.intent.routes.push(RouteRow {
                    severity: String::new(),
                    kind: "webhook".into(),
                    receiver: String::new(),
                });
            }
            RoutingAction::RemoveRoute(i) => {
                if i < next.intent.routes.len() {
                    next.intent.routes.remove(i);
                }
            }
            RoutingAction::SetLabels(t) => next.test.labels = t,
            RoutingAction::SetFiring(i, t) => {
                if let Some(slot) = next.test.firing.get_mut(i) {
                    *slot = t;
                }
            }
            RoutingAction::AddFiring => next.test.firing.push(String::new()),
            RoutingAction::RemoveFiring(i) => {
                if i < next.test.firing.len() {
                    next.test.firing.remove(i);
                }
            }
            RoutingAction::SetSilence(i, field, t) => {
                if let Some(s) = next.test.silences.get_mut(i) {
                    match field {
                        SilenceField::Matchers => s.matchers = t,
                        SilenceField::Starts => s.starts = t,
                        SilenceField::Ends => s.ends = t,
                    }
                }
            }
            RoutingAction::AddSilence => next.test.silences.push(SilenceText {
                matchers: String::new(),
                starts: self.test.at.clone(),
                ends: self.test.at.clone(),
            }),
            RoutingAction::RemoveSilence(i) => {
                if i < next.test.silences.len() {
                    next.test.silences.remove(i);
                }
            }
            RoutingAction::SetAt(t) => next.test.at = t,
            RoutingAction::Select(n) => next.selected = n,
            RoutingAction::Answer {
                config,
                intent,
                answer,
            } => {
                let RoutingAnswer {
                    config: view,
                    test,
                    hygiene,
                    redaction,
                    generated,
                    ..
                } = *answer;
                if let Some(generated) = generated {
                    match generated {
                        Ok(text) => {
                            next.generated = Some(text.into());
                            next.intent_error = None;
                        }
                        Err(e) => {
                            next.generated = None;
                            next.intent_error = Some(e);
                        }
                    }
                    next.generated_for = Some(*intent);
                }
                next.answered = Some(config.clone());
                if let Some(view) = view {
                    let share: Option<Rc<str>> = match redaction {
                        Some(Redaction::NoSecrets) => Some(config.clone()),
                        Some(Redaction::Redacted(r)) => Some(r.into()),
                        _ => None,
                    };
                    next.shareable = share.as_ref().map(|share| (config.clone(), share.clone()));
                    match view.error.clone() {
                        Some(e) => next.config_error = Some(e),
                        None => {
                            next.config_error = None;
                            next.shareable_valid = share;
                            next.valid_text = Some(config);
                            if next.selected.is_some_and(|s| s >= view.nodes.len()) {
                                next.selected = None;
                            }
                            next.nodes = Rc::new(view.nodes.clone());
                            next.view = Some(Rc::new(view));
                        }
                    }
                }
                if let Some(test) = test {
                    if let Ok(good) = &test {
                        next.last_good = Some(Rc::new(good.clone()));
                    }
                    next.answer = Some(Rc::new(test));
                }
                if let Some(h) = hygiene {
                    next.hygiene = Some(Rc::new(h));
                }
            }
        }
        next
    }

    /// Whether the shown tree and answers come from an older config than the one typed,
    /// because the typed one is invalid.
    pub fn is_stale(&self) -> bool {
        self.config_error.is_some()
    }

    /// The config error's fixes that apply to the text as typed, with their indices.
    pub fn fixes(&self) -> Vec<(usize, &burnlab::error::Fix)> {
        self.config_error
            .as_ref()
            .filter(|_| !self.is_pending())
            .map(|e| {
                e.fixes
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.apply(&self.config).is_some())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the worker has yet to answer for the typed config.
    pub fn is_pending(&self) -> bool {
        self.answered.as_deref() != Some(&*self.config)
    }

    /// The generator's config for the form as it is now, once the heavy core has written it.
    pub fn generated(&self) -> Option<Rc<str>> {
        self.generated
            .clone()
            .filter(|_| self.generated_for.as_ref() == Some(&self.intent))
    }

    /// Every input of the section for the heavy core, with the rules whose alerts the
    /// hygiene table routes.
    pub fn request(&self, rules: Option<burnlab_protocol::rules::RulesInput>) -> RoutingRequest {
        RoutingRequest {
            config: self.config.to_string(),
            mode: self.mode,
            test: self.test.clone(),
            rules,
            intent: self.intent.clone(),
        }
    }

    /// The tester's labels or instant error, if the last answer was one.
    pub fn test_error(&self) -> Option<&Error> {
        self.answer.as_deref().and_then(|a| a.as_ref().err())
    }
}

/// The section's inputs travel as `am.`-prefixed pairs, each only when it differs from its
/// default. Unless the mode allows secrets, the config's credentials are replaced by
/// `<secret>` (the heavy core redacts every config it reads); a config whose text does not
/// read cannot be redacted, so its last valid version is written, redacted, instead.
impl Persist for RoutingState {
    fn save(&self, mode: ShareMode, out: &mut Vec<(String, String)>) {
        let secrets = mode.includes_secrets() || (mode == ShareMode::Local && self.keep_secrets);
        let mut out = Pairs(out);
        let d = Self::default();
        if self.keep_secrets {
            out.push(("am.keep", "1".to_owned()));
        }
        if self.config != d.config {
            let text = if secrets {
                Some(self.config.to_string())
            } else {
                self.shareable
                    .as_ref()
                    .filter(|(text, _)| *text == self.config)
                    .map(|(_, share)| share.to_string())
                    .or_else(|| self.shareable_valid.as_deref().map(str::to_owned))
            };
            if let Some(text) = text {
                out.push(("am.config", text));
            }
        }
        if self.mode != ParserMode::Fallback {
            out.push(("am.mode", self.mode.as_str().to_owned()));
        }
        if self.intent != d.intent {
            let f = &self.intent;
            let routes: Vec<String> = f
                .routes
                .iter()
                .map(|r| format!("{}\t{}\t{}", r.severity, r.kind, r.receiver))
                .collect();
            out.push(("am.routes", routes.join("\n")));
            out.push((
                "am.fallback",
                format!("{}\t{}", f.fallback_kind, f.fallback),
            ));
            out.push((
                "am.timers",
                [
                    f.group_by.as_str(),
                    &f.group_wait,
                    &f.group_interval,
                    &f.repeat_interval,
                    &f.inhibit,
                ]
                .join("\t"),
            ));
        }
        if self.test.labels != d.test.labels {
            out.push(("am.labels", self.test.labels.clone()));
        }
        if self.test.firing != d.test.firing {
            out.push(("am.firing", self.test.firing.join("\n")));
        }
        if !self.test.silences.is_empty() {
            let lines: Vec<String> = self
                .test
                .silences
                .iter()
                .map(|s| format!("{}\t{}\t{}", s.matchers, s.starts, s.ends))
                .collect();
            out.push(("am.silences", lines.join("\n")));
        }
        if self.test.at != d.test.at {
            out.push(("am.at", self.test.at.clone()));
        }
    }

    /// The section from pairs `save` wrote; missing keys keep their defaults.
    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let mut s = Self::default();
        if let Some(t) = get("am.config") {
            s.config = t.into();
        }
        s.keep_secrets = get("am.keep").as_deref() == Some("1");
        if let Some(m) = get("am.mode").and_then(|m| ParserMode::parse(&m)) {
            s.mode = m;
        }
        if let Some(routes) = get("am.routes") {
            s.intent.routes = routes
                .lines()
                .filter_map(|l| {
                    let mut p = l.split('\t');
                    let severity = p.next()?.to_owned();
                    let kind = p.next()?.to_owned();
                    let receiver = p.next().unwrap_or_default().to_owned();
                    Some(RouteRow {
                        severity,
                        kind,
                        receiver,
                    })
                })
                .collect();
        }
        if let Some(fb) = get("am.fallback")
            && let Some((kind, name)) = fb.split_once('\t')
        {
            s.intent.fallback_kind = kind.to_owned();
            s.intent.fallback = name.to_owned();
        }
        if let Some(t) = get("am.timers") {
            let parts: Vec<&str> = t.split('\t').collect();
            if let [group_by, wait, interval, repeat, inhibit] = parts.as_slice() {
                s.intent.group_by = (*group_by).to_owned();
                s.intent.group_wait = (*wait).to_owned();
                s.intent.group_interval = (*interval).to_owned();
                s.intent.repeat_interval = (*repeat).to_owned();
                s.intent.inhibit = (*inhibit).to_owned();
            }
        }
        if let Some(t) = get("am.labels") {
            s.test.labels = t;
        }
        if let Some(t) = get("am.firing") {
            s.test.firing = t.lines().map(str::to_owned).collect();
        }
        if let Some(t) = get("am.silences") {
            s.test.silences = t
                .lines()
                .map(|l| {
                    let mut p = l.splitn(3, '\t');
                    SilenceText {
                        matchers: p.next().unwrap_or_default().to_owned(),
                        starts: p.next().unwrap_or_default().to_owned(),
                        ends: p.next().unwrap_or_default().to_owned(),
                    }
                })
                .collect();
        }
        if let Some(t) = get("am.at") {
            s.test.at = t;
        }
        s
    }
}
