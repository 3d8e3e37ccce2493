//! The tier designer's table: every tier of the chosen set on this objective and period, with
//! its threshold and its alert quality at the observed error ratio.

use std::rc::Rc;

use burnlab::format;
use burnlab::report::TierReport;
use burnlab::tiers::{Preset, Scaling, Severity};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::explain::Explain;
use crate::components::sweep_chart::SweepChart;
use crate::state::{Action, State};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct TierTableProps {
    /// The inputs, the last good figures and the errors.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

fn preset_label(p: Preset) -> &'static str {
    match p {
        Preset::Workbook => "SRE Workbook (30d)",
        Preset::WorkbookDaily => "SRE Workbook + 1d/2h ticket (30d)",
        Preset::Sloth => "Sloth (30d)",
        Preset::Pyrra => "Pyrra (28d)",
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

/// A severity as a coloured tag that also says its name.
pub fn severity_tag(s: Severity) -> Html {
    let (class, icon) = match s {
        Severity::Page => ("critical", "▲"),
        Severity::Ticket => ("warning", "●"),
    };
    html! { <span class={classes!("tag", class)}>{ format!("{icon} {s}") }</span> }
}

fn row(t: &TierReport) -> Html {
    let dash = || "—".to_owned();
    html! {
        <tr class={classes!((!t.possible).then_some("impossible"))}>
            <td>{ severity_tag(t.severity) }</td>
            <td class="mono">{ format!("{} / {}", t.long_window, t.short_window) }</td>
            <td class="mono">{ t.for_duration.map_or_else(dash, |d| d.to_string()) }</td>
            <td class="num">{ format::times(t.factor) }</td>
            <td class="num mono">{ format::decimal(format::round_sig(t.threshold, 4)) }
                <small>{ format!(" ({})", format::percent_sig(t.threshold, 3)) }</small></td>
            <td class="num">{ format::percent_sig(t.budget_share, 3) }</td>
            <td class="num" data-testid="detection">{ if t.possible { t.detection_text() } else { "never: impossible".into() } }</td>
            <td class="num">{ t.budget_consumed_at_detection.map_or_else(dash, |b| format::percent_sig(b, 3)) }</td>
            <td class="num">{ t.reset_text() }</td>
            <td class="num">{ match t.fires_on_single_failure {
                Some(true) => html! { <span class="tag critical">{ "yes" }</span> },
                Some(false) => html! { "no" },
                None => html! { "—" },
            } }</td>
            <td><Explain items={t.explanations.clone()} /></td>
        </tr>
    }
}

/// The tier designer section.
#[function_component(TierTable)]
pub fn tier_table(props: &TierTableProps) -> Html {
    let state = &props.state;
    let on_preset = props.dispatch.reform(|e: Event| {
        let preset = select_value(&e)
            .and_then(|v| Preset::parse(&v).ok())
            .unwrap_or(Preset::Workbook);
        Action::SetPreset { preset }
    });
    let on_scaling = props.dispatch.reform(|e: Event| Action::SetScaling {
        scaling: select_value(&e).and_then(|v| Scaling::parse(&v).ok()),
    });
    let Some(figures) = &state.figures else {
        return html! {};
    };
    let r = &figures.report;
    let scaling_value = state.inputs.scaling.map_or("", Scaling::as_str);
    html! {
        <section id="tiers" class="panel" aria-labelledby="tiers-title">
            <h2 id="tiers-title">{ "Alert tiers" }</h2>
            <div class="controls">
                <label for="preset">{ "Tier set" }</label>
                <select id="preset" onchange={on_preset}>
                    { for Preset::ALL.iter().map(|p| html! {
                        <option value={p.as_str()} selected={*p == state.inputs.preset}>{ preset_label(*p) }</option>
                    }) }
                </select>
                <label for="scaling">{ "On another period" }</label>
                <select id="scaling" onchange={on_scaling}>
                    <option value="" selected={scaling_value.is_empty()}>{ "as the tool does" }</option>
                    <option value="budget-share" selected={scaling_value == "budget-share"}>{ "keep budget shares (Sloth)" }</option>
                    <option value="factors" selected={scaling_value == "factors"}>{ "keep factors (Pyrra)" }</option>
                </select>
            </div>
            <p class="source">{ format!("{} — written for {}; scaling: {}.", r.tier_source, r.tier_period, r.scaling.as_str()) }</p>
            <div class="table-wrap">
                <table class={classes!("tiers", state.is_stale().then_some("stale"))} data-testid="tier-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "severity" }</th>
                            <th scope="col">{ "long / short window" }</th>
                            <th scope="col">{ "for" }</th>
                            <th scope="col">{ "factor" }</th>
                            <th scope="col">{ "threshold (error ratio)" }</th>
                            <th scope="col">{ "budget spent before it can fire" }</th>
                            <th scope="col">{ format!("detection at {}", format::percent(r.error_ratio)) }</th>
                            <th scope="col">{ "budget spent by then" }</th>
                            <th scope="col">{ "reset after errors stop" }</th>
                            <th scope="col">{ "fires on one failure" }</th>
                            <th scope="col"><span class="visually-hidden">{ "explanations" }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for r.tiers.iter().map(row) }</tbody>
                </table>
            </div>
            <SweepChart sweep={Rc::new(figures.sweep.clone())} error_ratio={r.error_ratio} />
        </section>
    }
}
