//! The Replay section: the user's SLO, tiers, rules and Alertmanager config replayed against a
//! scenario (a built-in, typed YAML, or what the editor made of either), with the charts on one
//! time axis, the comparison with naive threshold alerting, every notification and why it was
//! sent, the scenario's YAML, and the exports. Every input of the other sections is part of
//! the request (which `hooks::use_heavy` sends), so the timeline follows any of them; the
//! heavy-core worker answers, off the main thread, and the section says when it is computing.

use std::rc::Rc;

use burnlab::replay::builtin::BUILTINS;
use burnlab_protocol::replay::{ExportKind, ReplayView};
use yew::prelude::*;

use crate::components::dom::{input_value, select_value};

use super::axis::{LEFT, RIGHT, clock_label};
use super::compare::Compare;
use super::fields::ScenarioFields;
use super::notifications::Notifications;
use super::timeline::Timeline;
use crate::components::sections::editor::{CodeEditor, Mark};
use crate::hooks::use_width::use_width;
use crate::shared::Shared;
use crate::state::replay::ReplayAction;
use crate::state::rules::Source;
use crate::state::{Action, State, WorkerStatus};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct ReplaySectionProps {
    /// The whole page's state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
    /// Whether a replay is in flight or waiting.
    pub busy: bool,
}

/// At most this many events of the timeline in words are drawn.
const EVENTS_SHOWN: usize = 300;

fn located(e: &burnlab::Error) -> String {
    match (e.line(), e.column()) {
        (0, _) => format!("{}: {}", e.field, e.message),
        (l, 0) => format!("line {l}: {}: {}", e.field, e.message),
        (l, c) => format!("line {l}, column {c}: {}: {}", e.field, e.message),
    }
}

/// The export buttons: file kind, label, test id.
const EXPORTS: [(ExportKind, &str, &str); 6] = [
    (
        ExportKind::PromtoolTest,
        "promtool test (test.yaml)",
        "replay-export-promtool",
    ),
    (
        ExportKind::PromtoolRules,
        "its rules (rules.yaml)",
        "replay-export-rules",
    ),
    (
        ExportKind::Amtool,
        "amtool checks (amtool.sh)",
        "replay-export-amtool",
    ),
    (
        ExportKind::Alertmanager,
        "alertmanager.yml",
        "replay-export-alertmanager",
    ),
    (
        ExportKind::Scenario,
        "scenario (scenario.yaml)",
        "replay-export-scenario",
    ),
    (
        ExportKind::Spec,
        "SLO spec (spec.yaml)",
        "replay-export-spec",
    ),
];

/// The undo or redo a key press asks for, if it asks for one outside a text field (whose own
/// undo is the browser's); the press is then the section's alone.
fn undo_key(e: &KeyboardEvent) -> Option<ReplayAction> {
    if !(e.ctrl_key() || e.meta_key()) {
        return None;
    }
    let in_text = e
        .target_dyn_into::<web_sys::HtmlElement>()
        .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA"));
    let action = match (e.key().to_lowercase().as_str(), e.shift_key()) {
        ("z", false) => ReplayAction::Undo,
        ("z", true) | ("y", false) => ReplayAction::Redo,
        _ => return None,
    };
    if in_text {
        return None;
    }
    e.prevent_default();
    Some(action)
}

/// The section.
#[function_component(ReplaySection)]
pub fn replay_section(props: &ReplaySectionProps) -> Html {
    let replay = Rc::new(props.state.replay.clone());
    // Kept from render to render, so the charts and tables redraw only when what they show
    // changes, not on every keystroke elsewhere.
    let send = (*use_memo(props.dispatch.clone(), |d| d.reform(Action::Replay))).clone();
    let busy = props.busy;
    let container = use_node_ref();
    let width = use_width(container.clone(), 960.0).max(300.0);
    // About one point per two pixels of the plot.
    let points = ((width - LEFT - RIGHT) / 2.0).max(50.0) as u32;
    {
        let send = send.clone();
        use_effect_with(points, move |p| send.emit(ReplayAction::SetPoints(*p)));
    }
    let export = |kind: ExportKind| send.reform(move |_: MouseEvent| ReplayAction::Export(kind));

    let on_text = (*use_memo(send.clone(), |s| s.reform(ReplayAction::SetText))).clone();
    let on_builtin = send.reform(|e: Event| ReplayAction::Builtin(select_value(&e)));
    let on_slo = send.reform(|e: Event| ReplayAction::SetSlo(select_value(&e)));
    let on_naive = send.reform(|e: Event| {
        ReplayAction::ShowNaive(
            e.target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|c| c.checked()),
        )
    });
    let on_objective = props.dispatch.reform(|e: InputEvent| Action::SetObjective {
        text: input_value(&e),
    });
    let zero_budget = props
        .state
        .figures
        .as_ref()
        .is_some_and(|f| f.report.zero_budget);
    // The Budget section's own errors for the two fields it shares with this one.
    let objective_error = props
        .state
        .error_for(crate::state::Field::Objective)
        .map(|e| format!("{} The replay uses the last valid one.", e.sentence()));
    let period_error = props
        .state
        .error_for(crate::state::Field::Period)
        .map(|e| format!("{} The replay uses the last valid one.", e.sentence()));
    let on_period = props.dispatch.reform(|e: InputEvent| Action::SetPeriod {
        text: input_value(&e),
    });
    let view = replay.view.clone();
    let description = replay
        .builtin
        .and_then(|b| BUILTINS.iter().find(|(n, _, _)| *n == b))
        .map(|(_, d, _)| *d)
        .or_else(|| {
            replay
                .scenario
                .as_deref()
                .and_then(|s| s.description.as_deref())
        })
        .unwrap_or("Your own scenario.");
    let status = match &props.state.worker {
        WorkerStatus::Failed(m) => html! {
            <p class="status error" role="alert" data-testid="replay-status">
                { format!("The replay engine stopped: {m}.") }
            </p>
        },
        WorkerStatus::Loading => html! {
            <p class="status computing" data-testid="replay-status" aria-live="polite">
                { "Loading the replay engine…" }
            </p>
        },
        WorkerStatus::Ready if busy || replay.answered_rev != Some(replay.rev) => html! {
            <p class="status computing" data-testid="replay-status" aria-live="polite">
                { "Computing…" }
            </p>
        },
        WorkerStatus::Ready => html! {
            <p class="status" data-testid="replay-status" aria-live="polite">
                { match (view.as_deref(), replay.took_ms) {
                    _ if zero_budget => "Nothing to replay: a 100 % objective has no error budget, so there is no burn rate to alert on. Set the objective below 100 %.".into(),
                    (Some(v), Some(t)) => format!(
                        "Replayed {} evaluations; answered in {:.0} ms.",
                        v.evaluations, t
                    ),
                    (None, _) => "Nothing replayed yet: the rules or the scenario do not read (see above).".into(),
                    (Some(_), None) => "Replayed.".into(),
                } }
            </p>
        },
    };
    let source = match props.state.rules.source {
        Source::Form => "generated by the Rules section from your SLO and tiers",
        Source::Spec => "generated from the spec pasted in the Rules section",
        Source::File => "pasted in the Rules section",
    };
    let slo_line = view.as_deref().map(|v| {
        html! {
            <p class="slo-line" data-testid="replay-slo">
                { format!(
                    "SLO {}: {} over {}, {} requests; rules {source}; routing by the ",
                    v.slo,
                    burnlab::format::percent(v.objective),
                    v.period,
                    match v.bad {
                        burnlab::replay::inputs::BadKind::Errors => "failed",
                        burnlab::replay::inputs::BadKind::Slow => "slow",
                    }
                ) }
                <a href="#routing">{ "Routing section" }</a>{ "'s config. Change any of them and the replay follows." }
            </p>
        }
    });
    let marks = Rc::new(
        replay
            .scenario_error
            .iter()
            .map(|e| Mark {
                line: e.line(),
                level: "error",
                message: format!("{}: {}", e.field, e.message),
            })
            .collect::<Vec<_>>(),
    );
    let end = replay.duration_ms();
    let add = {
        let range = replay.range();
        send.reform(move |_: MouseEvent| {
            let span = range.1 - range.0;
            ReplayAction::Add {
                start_ms: range.0 + span / 2,
                duration_ms: (span / 20).clamp(60_000, end.max(60_000)),
            }
        })
    };
    let slow = view
        .as_deref()
        .is_some_and(|v| v.bad == burnlab::replay::inputs::BadKind::Slow);
    let warnings: Vec<String> = view
        .as_deref()
        .map(|v| {
            v.scenario_warnings
                .iter()
                .chain(&v.timeline.warnings)
                .cloned()
                .collect()
        })
        .unwrap_or_default();

    // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo the scenario's edits anywhere in the
    // section but in a text field, whose own undo is the browser's.
    let on_key = {
        let send = send.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(action) = undo_key(&e) {
                send.emit(action);
            }
        })
    };

    let on_undo = send.reform(|_: MouseEvent| ReplayAction::Undo);
    let on_redo = send.reform(|_: MouseEvent| ReplayAction::Redo);
    html! {
        <section class="replay-section" aria-labelledby="replay-title" onkeydown={on_key}>
            <h2 id="replay-title">{ "Replay" }</h2>
            <p class="intro">
                { "Replay a scenario through your rules and your Alertmanager routing: who gets paged, when, and why — beside what a naive threshold would have done. Drag the incidents on the timeline, or edit the YAML below." }
            </p>
            <div class="replay-controls">
                <div class="undo-redo" role="group" aria-label="Scenario edits">
                    <button type="button" onclick={on_undo} disabled={!replay.can_undo()}
                        aria-keyshortcuts="Control+Z" title="Undo the last edit of the scenario (Ctrl+Z)"
                        data-testid="replay-undo">{ "↶ Undo" }</button>
                    <button type="button" onclick={on_redo} disabled={!replay.can_redo()}
                        aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)"
                        data-testid="replay-redo">{ "↷ Redo" }</button>
                </div>
                <div class="field">
                    <label for="replay-scenario">{ "Scenario" }</label>
                    // Keyed by the scenario shown, so an undo back to a built-in shows it even
                    // after the user picked from the list (a picked select keeps its choice).
                    <select id="replay-scenario" data-testid="replay-scenario" onchange={on_builtin}
                        key={replay.builtin.unwrap_or("your own")}>
                        { for BUILTINS.iter().map(|(n, _, _)| html! {
                            <option value={*n} selected={replay.builtin == Some(*n)}>{ *n }</option>
                        }) }
                        if replay.builtin.is_none() {
                            <option value="" selected=true disabled=true>{ "your own" }</option>
                        }
                    </select>
                </div>
                <p class="scenario-description">{ description }</p>
                <div class="field slo-field">
                    <label for="replay-objective">{ "Objective (%)" }</label>
                    <input type="text" id="replay-objective" class={classes!("mono", objective_error.is_some().then_some("invalid"))} inputmode="decimal"
                        spellcheck="false" autocomplete="off" data-testid="replay-objective"
                        aria-invalid={objective_error.is_some().then_some("true")} aria-describedby="replay-objective-error"
                        value={props.state.inputs.objective.clone()} oninput={on_objective} />
                    <small class="field-note" id="replay-objective-error" role={objective_error.is_some().then_some("alert")}>
                        if let Some(e) = objective_error.clone() { <span class="field-error">{ e }</span> }
                    </small>
                </div>
                <div class="field slo-field">
                    <label for="replay-period">{ "Period" }</label>
                    <input type="text" id="replay-period" class={classes!("mono", period_error.is_some().then_some("invalid"))} spellcheck="false"
                        aria-invalid={period_error.is_some().then_some("true")} aria-describedby="replay-period-error"
                        autocomplete="off" value={props.state.inputs.period.clone()} oninput={on_period} />
                    <small class="field-note" id="replay-period-error" role={period_error.is_some().then_some("alert")}>
                        if let Some(e) = period_error.clone() { <span class="field-error">{ e }</span> }
                    </small>
                </div>
                if let Some(v) = view.as_deref().filter(|v| v.slos.len() > 1) {
                    <div class="field">
                        <label for="replay-slo">{ "SLO of the spec" }</label>
                        <select id="replay-slo" onchange={on_slo}>
                            { for v.slos.iter().map(|s| html! {
                                <option value={s.clone()} selected={*s == v.slo}>{ s.clone() }</option>
                            }) }
                        </select>
                    </div>
                }
            </div>
            { slo_line.unwrap_or_default() }
            { status }
            if let Some(e) = &replay.scenario_error {
                <p class="error" role="alert" data-testid="replay-scenario-error">
                    { format!("The scenario does not read — {}. The last one that did is shown.", located(e)) }
                </p>
            }
            if let Some(e) = &replay.run_error {
                <p class="error" role="alert" data-testid="replay-run-error">
                    { format!("It does not replay — {}. The last run that did is shown.", located(e)) }
                </p>
            }
            if let Some(e) = &replay.config_error {
                <p class="warning" data-testid="replay-config-error">
                    { format!("The Alertmanager config in the Routing section does not read ({}); its last valid version is replayed.", located(e)) }
                </p>
            }
            if props.state.rules.request().is_none() && props.state.rules.source != Source::Spec {
                <p class="warning">{ "The SLO has an invalid field (see the Budget and Tiers sections): the last valid one is replayed." }</p>
            }
            <div class="replay-chart-area" ref={container} aria-busy={busy.then_some("true")}>
                if let Some(scenario) = replay.scenario.clone() {
                    <Timeline {scenario} view={view.clone()} window={replay.window.clone()}
                        range={replay.range()} {width} selected={replay.selected} opened={replay.opened}
                        show_naive={replay.show_naive} stale={replay.is_stale()} send={send.clone()} />
                } else {
                    <p class="note">{ "Reading the scenario…" }</p>
                }
            </div>
            <div class="replay-editor-bar">
                <button type="button" onclick={add} data-testid="replay-add"
                    disabled={replay.scenario.is_none()}>{ "Add an incident" }</button>
                <label class="check">
                    <input type="checkbox" checked={replay.show_naive} onchange={on_naive} />
                    { " Show the naive threshold's notifications on the chart (small squares)" }
                </label>
            </div>
            <ScenarioFields replay={replay.clone()} {slow} send={send.clone()} />
            if !warnings.is_empty() {
                <ul class="warnings" data-testid="replay-warnings">
                    { for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
            if let Some(v) = view.clone() {
                <Compare view={v.clone()} replay={replay.clone()} send={send.clone()} />
                <Notifications view={v.clone()} opened={replay.opened} send={send.clone()} />
                <Events view={v.clone()} />
            }
            <h3>{ "The scenario's YAML" }</h3>
            <p class="note">{ "The format of " }<code>{ "burnlab simulate --scenario" }</code>{ ". Edit it here, or drag on the timeline and it is written anew." }</p>
            <CodeEditor id="replay-yaml-editor" testid="replay-yaml" label="Scenario YAML"
                value={Shared::from_rc(replay.text.clone())} on_input={on_text}
                {marks} rows={16} />
            <h3>{ "Export" }</h3>
            <p class="note">
                { "The prediction as tests you can run: " }<code>{ "promtool test rules test.yaml" }</code>
                { " (beside rules.yaml) and " }<code>{ "sh amtool.sh" }</code>{ " (beside alertmanager.yml)." }
            </p>
            <div class="actions replay-exports">
                { for EXPORTS.iter().map(|(kind, label, id)| html! {
                    <button type="button" data-testid={*id} onclick={export(*kind)}
                        disabled={view.is_none()}>{ format!("Download {label}") }</button>
                }) }
            </div>
            if let Some(e) = &replay.export_error {
                <p class="error" role="alert" data-testid="replay-export-error">{ located(e) }</p>
            }
        </section>
    }
}

/// Props of [`Events`].
#[derive(Properties, PartialEq)]
struct EventsProps {
    view: Shared<ReplayView>,
}

/// The timeline in words: drawn again only for a new run.
#[function_component(Events)]
fn events(props: &EventsProps) -> Html {
    let v = &props.view;
    html! {
        <details class="replay-events">
            <summary>{ format!("The timeline in words ({} events)", v.events_total) }</summary>
            <ol data-testid="replay-events">
                { for v.events.iter().take(EVENTS_SHOWN).map(|e| html! {
                    <li><span class="when">{ clock_label(v.start_time + e.at_s as i64) }</span>{ " " }{ e.text.clone() }</li>
                }) }
            </ol>
            if v.events_total > EVENTS_SHOWN {
                <p class="note">{ format!("…and {} more.", v.events_total - EVENTS_SHOWN) }</p>
            }
        </details>
    }
}
