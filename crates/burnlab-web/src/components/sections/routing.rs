//! The Routing section: the Alertmanager config editor (preloaded with a generated config;
//! examples; errors and lint at their lines; the last valid config stays in use, marked stale,
//! while the text is invalid), the generator form, the label tester, the routing tree and the
//! alert hygiene table. Every question goes to the heavy-core worker (asked by
//! `hooks::use_heavy`); this file only shows.

use std::rc::Rc;

use burnlab::alertmanager::matchers::ParserMode;
use yew::prelude::*;

use crate::components::dom::{checkbox_checked, select_value};

use crate::components::sections::editor::{CodeEditor, MAX_LISTED, Mark};
use crate::components::sections::generator::Generator;
use crate::components::sections::hygiene::Hygiene;
use crate::components::sections::route_tree::RouteTree;
use crate::components::sections::tester::Tester;
use crate::shared::Shared;
use crate::state::routing::{EXAMPLES, RoutingAction};
use crate::state::{Action, State, WorkerStatus};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct RoutingSectionProps {
    /// The whole page's state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The section.
#[function_component(RoutingSection)]
pub fn routing_section(props: &RoutingSectionProps) -> Html {
    let routing = Rc::new(props.state.routing.clone());
    // Kept from render to render, so children redraw only when what they show changes.
    let send = (*use_memo(props.dispatch.clone(), |d| d.reform(Action::Routing))).clone();
    let on_config = (*use_memo(send.clone(), |s| s.reform(RoutingAction::SetConfig))).clone();
    let on_select = (*use_memo(send.clone(), |s| s.reform(RoutingAction::Select))).clone();
    let view = routing.view.clone();
    // The marks change only with the answer they come from, not with each render.
    let marks = use_memo(
        (
            view.clone(),
            routing.config_error.clone(),
            routing.is_stale() || routing.is_pending(),
        ),
        |(view, error, old)| {
            let mut marks: Vec<Mark> = Vec::new();
            if let Some(e) = error {
                marks.push(Mark {
                    line: e.line(),
                    level: "error",
                    message: format!("{}: {}", e.field, e.message),
                });
            }
            if let (Some(v), false) = (view, old) {
                marks.extend(v.warnings.iter().map(|w| Mark {
                    line: w.line(),
                    level: "warning",
                    message: format!("{}: {}", w.field, w.message),
                }));
                marks.extend(v.findings.iter().take(MAX_LISTED + 1).map(|f| Mark {
                    line: f.line,
                    level: "info",
                    message: format!("{}: {}", f.path, f.message),
                }));
                if v.findings.len() > MAX_LISTED + 1 {
                    // Say how many there are in all (the list shows the first ones).
                    marks.extend(v.findings.iter().skip(MAX_LISTED + 1).map(|f| Mark {
                        line: f.line,
                        level: "info",
                        message: String::new(),
                    }));
                }
            }
            Rc::new(marks)
        },
    );
    let on_example = send.reform(|e: Event| {
        RoutingAction::LoadExample(select_value(&e).parse().unwrap_or(usize::MAX))
    });
    let on_mode = send.reform(|e: Event| {
        RoutingAction::SetMode(ParserMode::parse(&select_value(&e)).unwrap_or_default())
    });
    let status = match (
        &props.state.worker,
        &routing.config_error,
        routing.is_pending(),
    ) {
        (WorkerStatus::Failed(m), _, _) => {
            html! { <p class="field-error" role="alert">{ format!("The routing engine could not run: {m}") }</p> }
        }
        (WorkerStatus::Loading, _, _) if view.is_none() => {
            html! { <p class="note" aria-live="polite">{ "Loading the routing engine (once per visit)…" }</p> }
        }
        (_, Some(e), _) => {
            let fixes = routing.fixes();
            html! {
                <div class="config-error" role="status" data-testid="am-status">
                    <p class="field-error">
                        { match e.location {
                            Some((line, column)) => format!("Line {line}, column {column}: "),
                            None => String::new(),
                        } }
                        <code>{ e.field.clone() }</code>{ format!(": {}", e.message) }
                    </p>
                    if !fixes.is_empty() {
                        <p class="fixes" data-testid="am-fixes">
                            { if fixes.len() > 1 { "Fix it, one of: " } else { "Fix it: " } }
                            { for fixes.iter().map(|(i, f)| {
                                let i = *i;
                                html! {
                                    <button type="button" class="fix" onclick={send.reform(move |_: MouseEvent| RoutingAction::ApplyFix(i))}>
                                        { f.label.clone() }
                                    </button>
                                }
                            }) }
                            <small class="hint">{ " (placeholders to replace with your own values; Undo puts the text back)" }</small>
                        </p>
                    }
                    <p class="stale-note">{ "Until it reads, the tree, the tester and the table below show the last valid config, marked as such." }</p>
                </div>
            }
        }
        (_, None, true) => html! { <p class="note" data-testid="am-status">{ "Reading…" }</p> },
        (_, None, false) => html! {
            <p class="ok" role="status" data-testid="am-status">{ format!(
                "✓ Valid: {} routes, {} receivers, {} inhibit rules, {} time intervals.",
                view.as_ref().map_or(0, |v| v.nodes.len()),
                view.as_ref().map_or(0, |v| v.receivers.len()),
                view.as_ref().map_or(0, |v| v.inhibit_rules.len()),
                view.as_ref().map_or(0, |v| v.time_intervals.len()),
            ) }</p>
        },
    };
    let answer = routing.last_good.as_deref();
    let on_path = Rc::new(answer.map(|a| a.on_path.clone()).unwrap_or_default());
    let matched = Rc::new(
        answer
            .map(|a| a.routes.iter().map(|r| r.node).collect())
            .unwrap_or_default(),
    );
    let nodes = routing.nodes.clone();
    html! {
        <section id="routing" class="panel sections-routing" aria-labelledby="routing-title">
            <h2 id="routing-title">{ "Routing" }</h2>
            <div class="sections-grid">
                <div class="sections-input">
                    <div class="controls">
                        <label for="am-example">{ "Load an example" }</label>
                        <select id="am-example" onchange={on_example}>
                            <option value="" selected=true>{ "…" }</option>
                            { for EXAMPLES.iter().enumerate().map(|(i, (name, _))| html! { <option value={i.to_string()}>{ *name }</option> }) }
                        </select>
                        <label for="am-mode">{ "Matchers" }</label>
                        <select id="am-mode" onchange={on_mode}>
                            <option value="fallback" selected={routing.mode == ParserMode::Fallback}>{ "Alertmanager 0.27+ (fallback)" }</option>
                            <option value="classic" selected={routing.mode == ParserMode::Classic}>{ "0.22–0.26 (classic)" }</option>
                            <option value="utf8" selected={routing.mode == ParserMode::Utf8}>{ "UTF-8 only" }</option>
                        </select>
                        if routing.replaced.is_some() {
                            <button type="button" onclick={send.reform(|_: MouseEvent| RoutingAction::Undo)}>{ "Undo" }</button>
                        }
                    </div>
                    <label for="am-config" class="editor-label">{ "alertmanager.yml (or its Kubernetes Secret)" }</label>
                    <CodeEditor id="am-config" testid="am-config" label="Alertmanager configuration"
                        value={Shared::from_rc(routing.config.clone())} on_input={on_config}
                        marks={(*marks).clone()} rows={24} />
                    { status }
                    <div class="keep-secrets">
                        <label class="check">
                            <input type="checkbox" id="am-keep-secrets" checked={routing.keep_secrets}
                                onchange={send.reform(|e: Event| RoutingAction::KeepSecrets(checkbox_checked(&e)))} />
                            { " Keep the credentials in this browser's storage" }
                        </label>
                        <small class="hint" data-testid="am-keep-note">{
                            match (routing.keep_secrets, routing.config.contains("<secret>")) {
                                (true, _) => "This browser keeps the config as typed, credentials included (links still leave them out unless asked).",
                                (false, true) => "Credentials were left out of this browser's storage: the config says <secret> where they were. Paste them again, or tick the box to keep them from now on.",
                                (false, false) => "Off: this browser stores the config with <secret> in place of keys, webhook URLs and passwords, as a link does; after a reload they need pasting again.",
                            }
                        }</small>
                    </div>
                    <Generator routing={routing.clone()} send={send.clone()} />
                </div>
                <div class="sections-output">
                    <Tester routing={routing.clone()} send={send.clone()} />
                </div>
            </div>
            <h3>{ "Routing tree" }</h3>
            if nodes.is_empty() {
                <p class="note">{ "The tree appears once a valid config is read." }</p>
            } else {
                <RouteTree nodes={nodes.clone()} {on_path} {matched} selected={routing.selected}
                    {on_select} stale={routing.is_stale()} />
            }
            <Hygiene table={routing.hygiene.clone()} stale={routing.is_stale()} />
        </section>
    }
}
