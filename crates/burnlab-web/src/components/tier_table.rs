//! The Tiers section: which tier set, the user's own rows when they edit them, every tier's
//! threshold and alert quality on this objective and period, and the detection-time chart.

use std::rc::Rc;

use burnlab::report::TierReport;
use burnlab::tiers::{Preset, Scaling, Severity};
use burnlab::{ErrorBudget, format, numeric};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::explain::Explain;
use crate::components::stale;
use crate::components::sweep_chart::SweepChart;
use crate::components::text_field::TextField;
use crate::components::tier_editor::TierEditor;
use crate::state::{Action, Field, State, TierChoice};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct TierTableProps {
    /// The whole state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

fn choice_label(c: TierChoice) -> &'static str {
    match c {
        TierChoice::Preset(Preset::Workbook) => "SRE Workbook (30d)",
        TierChoice::Preset(Preset::WorkbookDaily) => "SRE Workbook + 1d/2h ticket (30d)",
        TierChoice::Preset(Preset::Sloth) => "Sloth (30d)",
        TierChoice::Preset(Preset::Pyrra) => "Pyrra (28d)",
        TierChoice::Custom => "Your own tiers",
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

/// A severity as a coloured tag that also says its name and has its own shape.
pub fn severity_tag(s: Severity) -> Html {
    let (class, icon) = match s {
        Severity::Page => ("critical", "▲"),
        Severity::Ticket => ("warning", "●"),
    };
    html! { <span class={classes!("tag", class)}>{ format!("{icon} {s}") }</span> }
}

/// The table's columns: their headings, also shown beside each value on narrow screens.
const COLUMNS: [&str; 10] = [
    "severity",
    "long / short window",
    "for",
    "factor",
    "threshold (error ratio)",
    "budget spent before it can fire",
    "detection",
    "budget spent by then",
    "reset after errors stop",
    "fires on one failure",
];

fn cell(column: usize, class: &'static str, content: Html) -> Html {
    html! {
        <td class={class} data-label={COLUMNS.get(column).copied().unwrap_or_default()}><span>{ content }</span></td>
    }
}

/// One tier's row; on a zero budget (a 100 % objective) the budget shares, which would be
/// shares of nothing, read "no budget".
fn row(index: usize, t: &TierReport, zero_budget: bool) -> Html {
    let dash = || "—".to_owned();
    let problems_id = format!("tier-{index}-problems");
    html! {
        <>
            <tr class={classes!("tier", (!t.possible).then_some("impossible"))}
                aria-describedby={(!t.problems.is_empty()).then(|| problems_id.clone())}>
                { cell(0, "", severity_tag(t.severity)) }
                { cell(1, "mono", html! { format!("{} / {}", t.long_window, t.short_window) }) }
                { cell(2, "mono", html! { t.for_duration.map_or_else(dash, |d| d.to_string()) }) }
                { cell(3, "num", html! { format::times(t.factor) }) }
                { cell(4, "num mono", html! { <>{ format::decimal(numeric::round_sig(t.threshold, 4)) }
                    <small>{ format!(" ({})", format::percent_sig(t.threshold, 3)) }</small></> }) }
                { cell(5, "num", html! { { if zero_budget { "— (no budget)".to_owned() } else { format::percent_sig(t.budget_share, 3) } } }) }
                <td class="num" data-label="detection" data-testid="detection">
                    { if t.possible { t.detection_text() } else { "never: impossible".into() } }
                </td>
                { cell(7, "num", html! { t.budget_consumed_at_detection.map_or_else(dash, |b| format::percent_sig(b, 3)) }) }
                { cell(8, "num", html! { t.reset_text() }) }
                { cell(9, "num", match t.fires_on_single_failure {
                    Some(true) => html! { <span class="tag critical">{ "▲ yes" }</span> },
                    Some(false) => html! { "no" },
                    None => html! { "—" },
                }) }
            </tr>
            if !t.problems.is_empty() {
                <tr class="row-problems">
                    <td colspan="10" id={problems_id} data-testid="tier-problems">
                        { for t.problems.iter().map(|p| html! {
                            <p><span class="tag warning">{ "⚠ " }{ t.label.clone() }</span>{ " " }{ p.clone() }</p>
                        }) }
                    </td>
                </tr>
            }
            // The formulas take the table's whole width: in a last column they made each row
            // as tall as a page.
            <tr class="row-explain">
                <td colspan="10"><Explain items={t.explanations.clone()} /></td>
            </tr>
        </>
    }
}

/// The Tiers section.
#[function_component(TierTable)]
pub fn tier_table(props: &TierTableProps) -> Html {
    let state = &props.state;
    let on_choice = props.dispatch.reform(|e: Event| {
        let choice = select_value(&e)
            .and_then(|v| TierChoice::parse(&v).ok())
            .unwrap_or(TierChoice::Preset(Preset::Workbook));
        Action::SetTiers { choice }
    });
    let on_scaling = props.dispatch.reform(|e: Event| Action::SetScaling {
        scaling: select_value(&e).and_then(|v| Scaling::parse(&v).ok()),
    });
    let on_copy = props.dispatch.reform(|_: MouseEvent| Action::CopyTiers);
    let choice = state.inputs.tiers;
    let custom = choice == TierChoice::Custom;
    let scaling_value = state.inputs.scaling.map_or("", Scaling::as_str);
    let choices = Preset::ALL
        .iter()
        .map(|p| TierChoice::Preset(*p))
        .chain([TierChoice::Custom]);
    let tiers_error = state.error_for(Field::Tiers).map(|e| e.sentence());
    let table_stale = state.is_stale(&[
        Field::Objective,
        Field::Period,
        Field::ErrorRatio,
        Field::Tiers,
        Field::Scaling,
    ]);
    let chart_stale = state.is_stale(&[
        Field::Objective,
        Field::Period,
        Field::Tiers,
        Field::Scaling,
    ]);

    let figures = state.figures.as_ref().map(|figures| {
        let r = &figures.report;
        html! {
            <>
                <p class="source">{ format!("{} — written for {}; scaling: {}.", r.tier_source, r.tier_period, r.scaling.as_str()) }</p>
                <div class={classes!("table-wrap", stale::card(table_stale))}>
                    { stale::badge(table_stale, "last valid input") }
                    <table class="tiers" data-testid="tier-table">
                        <caption class="visually-hidden">{ format!("Tiers on {} over {}, detection at {} errors",
                            format::percent(r.objective_percent / 100.0), r.period, format::percent(r.error_ratio)) }</caption>
                        <thead>
                            <tr>
                                { for COLUMNS.iter().enumerate().map(|(i, c)| html! {
                                    <th scope="col">{ if i == 6 { format!("detection at {}", format::percent(r.error_ratio)) } else { (*c).to_owned() } }</th>
                                }) }
                            </tr>
                        </thead>
                        <tbody>{ for r.tiers.iter().enumerate().map(|(i, t)| row(i, t, r.zero_budget)) }</tbody>
                    </table>
                </div>
                <SweepChart sweep={figures.sweep.clone()} error_ratio={r.error_ratio}
                    budget={ErrorBudget::new(state.valid.objective, state.valid.period)}
                    zero_budget={r.zero_budget} stale={chart_stale} />
            </>
        }
    });

    html! {
        <section id="tiers" class="panel" aria-labelledby="tiers-title">
            <h2 id="tiers-title" tabindex="-1">{ "Alert tiers" }</h2>
            <div class="controls">
                <div class="control">
                    <label for="preset">{ "Tier set" }</label>
                    <select id="preset" onchange={on_choice} aria-invalid={tiers_error.is_some().then_some("true")}
                        aria-describedby="preset-note">
                        { for choices.map(|c| html! {
                            <option value={c.as_str()} selected={c == choice}>{ choice_label(c) }</option>
                        }) }
                    </select>
                </div>
                <div class="control">
                    <label for="scaling">{ "On another period" }</label>
                    <select id="scaling" onchange={on_scaling} disabled={custom}
                        aria-describedby="preset-note">
                        <option value="" selected={scaling_value.is_empty()}>{ "as the tool does" }</option>
                        <option value="budget-share" selected={scaling_value == "budget-share"}>{ "keep budget shares (Sloth)" }</option>
                        <option value="factors" selected={scaling_value == "factors"}>{ "keep factors (Pyrra)" }</option>
                    </select>
                </div>
                <TextField id="tiers-error-ratio" label="Detection at an error ratio of" value={state.inputs.error_ratio.clone()}
                    hint="the Budget section's observed error ratio: 2%, 0.2%"
                    on_input={props.dispatch.reform(|text| Action::SetErrorRatio { text })}
                    error={state.error_for(Field::ErrorRatio).map(|e| e.sentence())} />
                if !custom {
                    <button type="button" class="secondary" onclick={on_copy} data-testid="copy-tiers">
                        { "Edit a copy of these tiers" }
                    </button>
                }
            </div>
            <p class="field-note" id="preset-note">
                if let Some(e) = &tiers_error {
                    <span class="field-error" role="alert">{ e.clone() }</span>
                } else if custom {
                    <span class="hint">{ format!("Your own tiers are written for the period ({}), so they need no scaling.", state.valid.period) }</span>
                } else {
                    <span class="hint">{ "Presets are written for their own period and scaled to yours." }</span>
                }
            </p>
            if custom {
                <TierEditor state={state.clone()} dispatch={props.dispatch.clone()} />
            }
            { figures.unwrap_or_default() }
        </section>
    }
}
