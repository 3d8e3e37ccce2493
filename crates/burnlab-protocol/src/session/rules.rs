//! Rules from a [`RulesInput`]: generated from the form or a spec, or a pasted file as it is,
//! with their lint; the spec a replay runs; and the last rule file read, which the hygiene
//! table routes.

use burnlab::Result;
use burnlab::rules::form::SpecForm;
use burnlab::rules::generate::{self, Format, Options};
use burnlab::rules::model::RuleFile;
use burnlab::rules::runbook;
use burnlab::rules::spec::Spec;
use burnlab::tiers::Preset;

use crate::MAX_INPUT_BYTES;
use crate::rules::{RuleFinding, RulesAnswer, RulesInput, RulesRequest, RulesView};
use crate::sized;
use crate::views::SloView;

/// The last rules input read into a rule file, for the hygiene table: the Rules section's
/// request and the Routing section's carry the same input, which is read once.
#[derive(Debug, Default)]
pub struct RuleFiles {
    last: Option<(RulesInput, Result<RuleFile>)>,
}

impl RuleFiles {
    /// The rule file of `input`, read unless it is the input read last.
    pub fn read(&mut self, input: &RulesInput) -> &Result<RuleFile> {
        if self.last.as_ref().is_some_and(|(i, _)| i != input) {
            self.last = None;
        }
        let (_, file) = self.last.get_or_insert_with(|| {
            let file = view(input, Format::Rules).and_then(|v| RuleFile::parse(&v.rule_file));
            (input.clone(), file)
        });
        file
    }

    /// Keeps `file` as what `input` reads as.
    fn keep(&mut self, input: &RulesInput, file: Result<RuleFile>) {
        self.last = Some((input.clone(), file));
    }
}

/// Answers the Rules section: the rules, their lint, and the rule file kept for the hygiene
/// table.
pub fn answer(request: &RulesRequest, files: &mut RuleFiles) -> RulesAnswer {
    let format = if request.prometheus_rule {
        Format::PrometheusRule
    } else {
        Format::Rules
    };
    let output = view(&request.input, format);
    let shown = match (&output, &request.input) {
        (Ok(view), _) => Some(view.yaml.as_str()),
        (Err(_), RulesInput::File { text, .. }) if text.len() <= MAX_INPUT_BYTES => {
            Some(text.as_str())
        }
        (Err(_), _) => None,
    };
    let findings = shown
        .map(|yaml| {
            burnlab::rules::lint::lint_files(&[("rules", yaml)])
                .into_iter()
                .map(finding)
                .collect()
        })
        .unwrap_or_default();
    let file = output
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|v| RuleFile::parse(&v.rule_file));
    files.keep(&request.input, file);
    RulesAnswer { output, findings }
}

fn finding(f: burnlab::rules::lint::Finding) -> RuleFinding {
    RuleFinding {
        level: f.level.to_string(),
        check: f.check.to_owned(),
        rule: f.rule,
        line: f.line,
        message: f.message,
        fix: f.fix,
    }
}

/// The spec, its YAML and the rules text (for a pasted file) of a rules input: what a replay
/// runs.
pub fn spec_of(rules: &RulesInput) -> Result<(Spec, String, Option<&str>)> {
    let from_form = |form: &SpecForm, slo: &SloView| -> Result<(Spec, String)> {
        let (objective, period, tiers) = slo.read()?;
        form.to_spec_and_yaml(objective, period, &slo.set_name, &tiers)
    };
    match rules {
        RulesInput::Form { form, slo } => {
            let (spec, yaml) = from_form(form, slo)?;
            Ok((spec, yaml, None))
        }
        RulesInput::Spec { text, .. } => {
            sized(text.len(), "spec")?;
            Ok((Spec::parse(text)?, text.clone(), None))
        }
        RulesInput::File { text, form, slo } => {
            sized(text.len(), "rule file")?;
            let (spec, yaml) = from_form(form, slo)?;
            Ok((spec, yaml, Some(text.as_str())))
        }
    }
}

/// The rules an input stands for, in `format`.
fn view(input: &RulesInput, format: Format) -> Result<RulesView> {
    match input {
        RulesInput::Spec { text, .. } => sized(text.len(), "spec")?,
        RulesInput::File { text, .. } => sized(text.len(), "rule file")?,
        RulesInput::Form { .. } => {}
    }
    let options = Options::default();
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
    match input {
        RulesInput::Form { form, slo } => {
            let (objective, period, tiers) = slo.read()?;
            let preset = Preset::parse(&slo.set_name).ok();
            let spec_yaml = form.to_spec_yaml(objective, period, preset)?;
            let spec = form.to_spec(objective, period, &slo.set_name, &tiers)?;
            Ok(from_spec(spec, Some(spec_yaml)))
        }
        RulesInput::Spec { text, .. } => Ok(from_spec(Spec::parse(text)?, None)),
        RulesInput::File { text, .. } => {
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
