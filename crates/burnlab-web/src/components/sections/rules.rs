//! The Rules section: the form (or a pasted spec, or a pasted rule file), the generated YAML
//! with a rule-file/PrometheusRule switch, copy, download and line numbers, the lint findings
//! beside it (from the heavy-core worker), and each alert's runbook.

use std::rc::Rc;

use burnlab::rules::Format;
use burnlab::{Error, format};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::dom::select_value;

use crate::components::sections::editor::{CodeEditor, CodeView, Mark};
use crate::components::sections::markdown;
use crate::shared::Shared;
use crate::state::rules::{FILE_EXAMPLES, Field, RulesAction, SPEC_EXAMPLES, SliKind, Source};
use crate::state::{Action, State, WorkerStatus};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct RulesSectionProps {
    /// The whole page's state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The section.
#[function_component(RulesSection)]
pub fn rules_section(props: &RulesSectionProps) -> Html {
    let rules = &props.state.rules;
    // Kept from render to render, so children redraw only when what they show changes.
    let send = (*use_memo(props.dispatch.clone(), |d| d.reform(Action::Rules))).clone();
    let on_spec = (*use_memo(send.clone(), |s| s.reform(RulesAction::SetSpec))).clone();
    let on_file = (*use_memo(send.clone(), |s| s.reform(RulesAction::SetFile))).clone();
    let on_source = |s: Source| send.reform(move |_: Event| RulesAction::SetSource(s));
    let field = |f: Field, label: &'static str, hint: &'static str| {
        let id = format!("rules-{}", f.key());
        let error = rules.field_error(f).map(|e| e.message.clone());
        let error_id = format!("{id}-error");
        let oninput = send.reform(move |e: InputEvent| {
            RulesAction::SetField(
                f,
                e.target_dyn_into::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default(),
            )
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input type="text" id={id} class={classes!("mono", error.is_some().then_some("invalid"))}
                    spellcheck="false" autocomplete="off" value={rules.form.get(f).to_owned()}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| error_id.clone())} {oninput} />
                // The hint, or in its place the error: one reserved line, so an error never
                // moves the fields below it.
                <p class="field-note">
                    if error.is_none() { <span class="hint">{ hint }</span> }
                    <span class="field-error" id={error_id} role={error.is_some().then_some("alert")}>{ error.unwrap_or_default() }</span>
                </p>
            </div>
        }
    };
    let context = rules.slo.as_ref().map(|c| {
        format!(
            "Objective {}, period {}, tiers: {} ({} tier{}) — from the Budget and Tiers sections.",
            format::percent(c.objective),
            c.period,
            c.set_name,
            c.tiers.len(),
            if c.tiers.len() == 1 { "" } else { "s" }
        )
    });
    let on_sli = send.reform(|e: Event| {
        RulesAction::SetSli(SliKind::parse(&select_value(&e)).unwrap_or_default())
    });
    let form = html! {
        <div class="rules-form">
            <p class="context">{ context.unwrap_or_default() }</p>
            { field(Field::Service, "Service", "e.g. task-api") }
            { field(Field::Slo, "SLO name", "e.g. availability") }
            <div class="field">
                <label for="rules-sli">{ "SLI" }</label>
                <select id="rules-sli" onchange={on_sli}>
                    <option value="metric" selected={rules.form.sli == SliKind::Metric}>{ "a request counter and a filter for failures" }</option>
                    <option value="queries" selected={rules.form.sli == SliKind::Queries}>{ "error and total queries" }</option>
                    <option value="latency" selected={rules.form.sli == SliKind::Latency}>{ "latency: requests slower than a bucket" }</option>
                </select>
            </div>
            { match rules.form.sli {
                SliKind::Metric => html! { <>
                    { field(Field::Metric, "Counter", "e.g. http_requests_total") }
                    { field(Field::Selector, "Every request matches", "optional, e.g. job=\"api\"") }
                    { field(Field::ErrorFilter, "Failed requests also match", "e.g. code=~\"5..\"") }
                </> },
                SliKind::Queries => html! { <>
                    { field(Field::ErrorQuery, "Error query", "rate of failures, with [{{.window}}]") }
                    { field(Field::TotalQuery, "Total query", "rate of all requests, with [{{.window}}]") }
                </> },
                SliKind::Latency => html! { <>
                    { field(Field::LatencyMetric, "Histogram", "without _bucket, e.g. http_request_duration_seconds") }
                    { field(Field::Le, "Threshold bucket (le)", "as the histogram writes it, e.g. 0.3") }
                    { field(Field::LatencySelector, "Selector", "equality pairs, e.g. job=api") }
                </> },
            } }
            { field(Field::Labels, "Labels", "on every rule, e.g. team=platform") }
            { field(Field::RunbookUrl, "Runbook URL", "put on every alert; pages need one") }
            <button type="button" onclick={send.reform(|_: MouseEvent| RulesAction::FormToSpec)}>{ "Edit as a spec" }</button>
        </div>
    };
    let error_marks = |e: &Error| -> Rc<Vec<Mark>> {
        Rc::new(vec![Mark {
            line: e.line(),
            level: "error",
            message: format!("{}: {}", e.field, e.message),
        }])
    };
    let editor_marks = match (&rules.error, rules.source) {
        (Some(e), Source::Spec | Source::File) => error_marks(e),
        _ => Rc::new(Vec::new()),
    };
    let on_example = |make: fn(usize) -> RulesAction| {
        send.reform(move |e: Event| make(select_value(&e).parse().unwrap_or(usize::MAX)))
    };
    let input = match rules.source {
        Source::Form => form,
        Source::Spec => html! {
            <div class="rules-paste">
                <div class="controls">
                    <label for="rules-spec-example">{ "Load an example" }</label>
                    <select id="rules-spec-example" onchange={on_example(RulesAction::LoadSpec)}>
                        <option value="" selected=true>{ "…" }</option>
                        { for SPEC_EXAMPLES.iter().enumerate().map(|(i, (name, _))| html! { <option value={i.to_string()}>{ *name }</option> }) }
                    </select>
                </div>
                <p class="context">{ "The spec's own objectives, periods and tiers are used." }</p>
                <CodeEditor id="rules-spec" label="Sloth prometheus/v1 or OpenSLO spec" value={Shared::from(rules.spec.as_str())}
                    on_input={on_spec} marks={editor_marks.clone()} />
            </div>
        },
        Source::File => html! {
            <div class="rules-paste">
                <div class="controls">
                    <label for="rules-file-example">{ "Load an example" }</label>
                    <select id="rules-file-example" onchange={on_example(RulesAction::LoadFile)}>
                        <option value="" selected=true>{ "…" }</option>
                        { for FILE_EXAMPLES.iter().enumerate().map(|(i, (name, _))| html! { <option value={i.to_string()}>{ *name }</option> }) }
                    </select>
                </div>
                <CodeEditor id="rules-file" label="Rule file or PrometheusRule" value={Shared::from(rules.file.as_str())}
                    on_input={on_file} marks={editor_marks} />
            </div>
        },
    };

    // Findings belong to the last answer; while a newer request is out they are not shown,
    // unless the input is invalid (then they are the pasted file's own findings).
    let findings = (rules.is_current() || rules.is_stale()).then_some(&rules.findings);
    let marks: Rc<Vec<Mark>> = Rc::new(
        findings
            .filter(|_| !rules.is_stale())
            .map(|f| {
                f.iter()
                    .map(|x| Mark {
                        line: x.line,
                        level: if x.level == "error" {
                            "error"
                        } else {
                            "warning"
                        },
                        message: x.message.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    );
    let on_format = send.reform(|e: Event| {
        RulesAction::SetFormat(if select_value(&e) == "prometheusrule" {
            Format::PrometheusRule
        } else {
            Format::Rules
        })
    });
    let filename = match (rules.source, rules.format) {
        (Source::File, _) => "rules.yaml",
        (_, Format::Rules) => "slo.rules.yaml",
        (_, Format::PrometheusRule) => "slo.prometheusrule.yaml",
    };
    let failed = match &props.state.worker {
        WorkerStatus::Failed(m) => Some(m),
        _ => None,
    };
    let lint = match (findings, failed) {
        (_, Some(e)) => {
            html! { <p class="field-error" role="alert">{ format!("The rules engine could not run: {e}") }</p> }
        }
        (None, None) => {
            html! { <p class="note" aria-live="polite">{ if rules.answered.is_none() { "Loading the rules engine (once per visit)…" } else { "Linting…" } }</p> }
        }
        (Some(f), None) if f.is_empty() && rules.is_stale() => html! {
            <p class="note">{ "Correct the input above to generate and lint the rules." }</p>
        },
        (Some(f), None) if f.is_empty() => html! {
            <p class="ok" aria-live="polite">{ "✓ No lint findings: every alert reads recorded series, can fire, and pages carry a runbook." }</p>
        },
        (Some(f), None) => html! {
            <ul class="findings" aria-live="polite" data-testid="rules-findings">
                { for f.iter().map(|x| html! {
                    <li class={if x.level == "error" { "error" } else { "warning" }}>
                        <span class="level">{ format!("{} ", x.level) }</span>
                        if x.line > 0 { <span class="line">{ format!("line {} ", x.line) }</span> }
                        <code>{ format!("[{}]", x.check) }</code>
                        if !x.rule.is_empty() { { format!(" {}", x.rule) } }
                        { format!(": {}", x.message) }
                        <br /><small>{ format!("fix: {}", x.fix) }</small>
                    </li>
                }) }
            </ul>
        },
    };
    // What "valid" rests on: the checks made here as the text changes, and (for generated
    // rules) the generator's tests against the real promtool.
    let clean = findings.is_some_and(|f| f.iter().all(|x| x.level != "error"))
        && !rules.is_stale()
        && failed.is_none();
    let checked = clean.then(|| {
        let generated = rules.source != Source::File;
        html! {
            <details class="checked" data-testid="rules-checked">
                <summary>{ if generated { "✓ Ready for promtool check rules — what was checked, and how" } else { "✓ No errors promtool check rules would report — what was checked, and how" } }</summary>
                <ul>
                    <li>{ "Here, on every change: the file's structure as promtool reads it (groups, rule names, record or alert, for durations, labels), every expression parsed with Prometheus's PromQL grammar, and every label and annotation template parsed as Go's text/template, which is what promtool check rules refuses when it fails." }</li>
                    <li>{ "Beyond promtool: alerts that read a series no rule records, thresholds that can never be crossed, and pages without a runbook are listed above as findings." }</li>
                    if generated {
                        <li>{ "In burnlab's own tests, with the real promtool 2.42: generated rule files and PrometheusRule specs pass promtool check rules, and promtool test rules replays them on synthetic traffic — a 2 % error ratio pages within the predicted detection time, a 30-second spike pages nothing, 0.2 % for three days opens a ticket." }</li>
                    }
                    <li>{ "promtool itself does not run in the page: to be sure of a file, run " }<code>{ format!("promtool check rules {filename}") }</code>{ "." }</li>
                </ul>
            </details>
        }
    });
    let runbook_index = use_state(|| 0usize);
    let runbooks = &rules.output.runbooks;
    let shown = runbooks
        .get(*runbook_index)
        .or_else(|| runbooks.first())
        .map(|(alert, markdown)| (alert.clone(), markdown.clone()));
    let on_runbook = {
        let runbook_index = runbook_index.clone();
        Callback::from(move |e: Event| runbook_index.set(select_value(&e).parse().unwrap_or(0)))
    };
    let general_error = rules
        .error
        .as_ref()
        .filter(|e| {
            rules.source == Source::Form && !Field::ALL.iter().any(|f| f.error_name() == e.field)
        })
        .map(|e| format!("{}: {}", e.field, e.message));

    html! {
        <section id="rules" class="panel sections-rules" aria-labelledby="rules-title">
            <h2 id="rules-title">{ "Rules" }</h2>
            <fieldset class="segmented">
                <legend>{ "Rules from" }</legend>
                { for [(Source::Form, "the form"), (Source::Spec, "a spec"), (Source::File, "a rule file (lint only)")].into_iter().map(|(s, label)| html! {
                    <label>
                        <input type="radio" name="rules-source" value={s.as_str()} checked={rules.source == s} onchange={on_source(s)} />
                        { label }
                    </label>
                }) }
            </fieldset>
            if let Some(e) = general_error {
                <p class="field-error" role="alert">{ e }</p>
            }
            <div class="sections-grid">
                <div class="sections-input">{ input }</div>
                <div class="sections-output">
                    <div class="controls">
                        <label for="rules-format">{ "Format" }</label>
                        <select id="rules-format" data-testid="rules-format" onchange={on_format} disabled={rules.source == Source::File}>
                            <option value="rules" selected={rules.format == Format::Rules}>{ "rule file (promtool, rule_files)" }</option>
                            <option value="prometheusrule" selected={rules.format == Format::PrometheusRule}>{ "PrometheusRule (Prometheus Operator)" }</option>
                        </select>
                        <span class="count">{ format!("{} alerts", rules.output.alerts) }</span>
                    </div>
                    <CodeView text={AttrValue::from(rules.output.yaml.clone())} testid="rules-yaml" filename={filename}
                        label="Generated rules" marks={marks} stale={rules.is_stale()} />
                    <h3>{ "Lint" }</h3>
                    { lint }
                    { checked.unwrap_or_default() }
                </div>
            </div>
            <h3>{ "Runbooks" }</h3>
            if let Some((alert, markdown)) = shown {
                <div class="runbooks">
                    <div class="controls">
                        <label for="runbook-alert">{ "Alert" }</label>
                        <select id="runbook-alert" onchange={on_runbook}>
                            { for runbooks.iter().enumerate().map(|(i, (a, _))| html! {
                                <option value={i.to_string()} selected={*a == alert}>{ a.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="runbook-preview" data-testid="runbook-preview" tabindex="0" role="region"
                        aria-label={format!("Runbook of {alert}, as it renders")}>{ markdown::render(&markdown) }</div>
                    <CodeView text={AttrValue::from(markdown.clone())} filename={format!("{alert}.md")}
                        mime="text/markdown" label="Runbook Markdown" />
                </div>
            } else {
                <p class="note">{ "Runbooks are written for generated rules (the form or a spec)." }</p>
            }
        </section>
    }
}
