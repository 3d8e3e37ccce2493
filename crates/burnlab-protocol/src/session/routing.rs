//! The Routing section's answers: the config's view (tree, receivers, lint, inhibit rules),
//! its redaction for share links, the label tester, the hygiene table and the generator's
//! config, each computed only when what it depends on changed since the last request.

use burnlab::alertmanager::config::Config;
use burnlab::alertmanager::lint::effective_repeat_text;
use burnlab::alertmanager::matchers;
use burnlab::hygiene;
use burnlab::intent::IntentForm;
use burnlab::tester::TestInput;

use super::configs::{ConfigText, Configs};
use super::rules::RuleFiles;
use crate::routing::{
    ConfigFinding, ConfigView, NodeView, ReceiverView, Redaction, RoutingAnswer, RoutingRequest,
};
use crate::rules::RulesInput;

/// What the last Routing request carried, to tell what the next one changed.
#[derive(Debug, Default)]
pub struct RoutingSession {
    config: Option<ConfigText>,
    test: Option<TestInput>,
    rules: Option<RulesInput>,
    intent: Option<IntentForm>,
}

impl RoutingSession {
    /// Answers `request`: what it changed, computed from the shared configs and rule files.
    pub fn answer(
        &mut self,
        request: RoutingRequest,
        configs: &mut Configs,
        files: &mut RuleFiles,
    ) -> RoutingAnswer {
        let RoutingRequest {
            config,
            mode,
            test,
            rules,
            intent,
        } = request;
        let mut answer = RoutingAnswer::default();
        let config_changed = self
            .config
            .as_ref()
            .is_none_or(|(t, m)| *m != mode || *t != config);
        if config_changed {
            let error = configs.read(&config, mode).cloned();
            answer.redaction = Some(redaction(&config));
            answer.config = Some(match (error, configs.valid()) {
                (None, Some((_, valid))) => view(valid),
                (error, _) => ConfigView {
                    error,
                    ..ConfigView::default()
                },
            });
            self.config = Some((config, mode));
        }
        let test_changed = self.test.as_ref() != Some(&test);
        let too_big = crate::sized(test_size(&test), "labels").err();
        if test_changed {
            self.test = Some(test);
        }
        let rules_changed = self.rules != rules;
        if rules_changed {
            self.rules = rules;
        }
        if self.intent.as_ref() != Some(&intent) {
            answer.generated = Some(
                intent
                    .to_intent()
                    .and_then(|i| burnlab::alertmanager::generate::alertmanager_yaml(&i)),
            );
            self.intent = Some(intent);
        }
        let Some((_, config)) = configs.valid() else {
            return answer;
        };
        answer.has_config = true;
        if config_changed || test_changed {
            answer.test = Some(match (too_big, &self.test) {
                (Some(e), _) => Err(e),
                (None, Some(test)) => burnlab::tester::answer(config, test),
                (None, None) => burnlab::tester::answer(config, &TestInput::default()),
            });
        }
        if let Some(input) = self
            .rules
            .as_ref()
            .filter(|_| config_changed || rules_changed)
        {
            answer.hygiene = Some(match files.read(input) {
                Ok(file) => Ok(hygiene::table(&[file], config)),
                Err(e) => Err(e.clone()),
            });
        }
        answer
    }
}

/// How many bytes of text the tester's input holds, for the page's cap.
fn test_size(test: &TestInput) -> usize {
    test.labels.len()
        + test.at.len()
        + test.firing.iter().map(String::len).sum::<usize>()
        + test
            .silences
            .iter()
            .map(|s| s.matchers.len() + s.starts.len() + s.ends.len())
            .sum::<usize>()
}

/// What a share link may carry of `text`; a text refused for its size is not read.
fn redaction(text: &str) -> Redaction {
    if crate::sized(text.len(), "config").is_err() {
        return Redaction::Unreadable;
    }
    match burnlab::alertmanager::generate::redact(text) {
        Ok(r) if r.matches("<secret>").count() > text.matches("<secret>").count() => {
            Redaction::Redacted(r)
        }
        Ok(_) => Redaction::NoSecrets,
        Err(_) => Redaction::Unreadable,
    }
}

/// What the page shows of a valid config.
fn view(config: &Config) -> ConfigView {
    let nodes = &config.route.nodes;
    let mut depths: Vec<usize> = Vec::with_capacity(nodes.len());
    let views = nodes
        .iter()
        .map(|n| {
            // Nodes are in pre-order, so a parent's depth is known before its children's.
            let depth = n.parent.and_then(|p| depths.get(p)).map_or(0, |d| d + 1);
            depths.push(depth);
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
                group_by: n.opts.group_by.to_string(),
                group_wait: n.opts.group_wait.to_string(),
                group_interval: n.opts.group_interval.to_string(),
                repeat_interval: n.opts.repeat_interval.to_string(),
                effective_repeat: effective_repeat_text(
                    n.opts.group_interval,
                    n.opts.repeat_interval,
                ),
                continue_: n.continue_,
                mute: n.opts.mute_time_intervals.clone(),
                active: n.opts.active_time_intervals.clone(),
            }
        })
        .collect();
    ConfigView {
        error: None,
        warnings: config.warnings.clone(),
        findings: burnlab::alertmanager::lint::lint(config)
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
            .map(|r| (r.describe(), r.pos.line))
            .collect(),
        time_intervals: config
            .time_intervals
            .iter()
            .map(|t| t.name.clone())
            .collect(),
    }
}
