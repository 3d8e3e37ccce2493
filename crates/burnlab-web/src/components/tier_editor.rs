//! The user's own tiers: add, remove and edit rows (severity, windows, a factor or a share of the
//! budget, `for`). Every edit reaches the table and the chart at once; a cell that does not
//! parse, and a tier that makes no sense, get a message on their own row.

use std::rc::Rc;

use burnlab::format;
use burnlab::tiers::Severity;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::tiers::MAX_ROWS;
use crate::state::{Action, State, TierCell, TierRow};

/// Props: the state to show and where to send the user's changes.
#[derive(Properties, PartialEq)]
pub struct TierEditorProps {
    /// The whole state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
}

/// The editable cells, their labels and hints.
const CELLS: [(TierCell, &str, &str); 4] = [
    (TierCell::Long, "long window", "e.g. 1h"),
    (TierCell::Short, "short window", "e.g. 5m"),
    (TierCell::Rate, "factor or budget share", "14.4 or 2%"),
    (TierCell::For, "for", "none"),
];

fn cell_input(
    index: usize,
    row: &TierRow,
    cell: TierCell,
    label: &str,
    placeholder: &str,
    invalid: bool,
    dispatch: &Callback<Action>,
) -> Html {
    let id = format!("tier-{index}-{}", cell.field().replace(' ', "-"));
    let oninput = dispatch.reform(move |e: InputEvent| Action::EditTier {
        row: index,
        cell,
        text: e
            .target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default(),
    });
    html! {
        <div class="tier-cell">
            <label for={id.clone()}>{ label.to_owned() }</label>
            <input type="text" id={id} class={classes!("number", invalid.then_some("invalid"))}
                spellcheck="false" autocomplete="off" placeholder={placeholder.to_owned()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={format!("tier-{index}-note")}
                value={row.cell(cell).to_owned()} {oninput} />
        </div>
    }
}

/// The editor.
#[function_component(TierEditor)]
pub fn tier_editor(props: &TierEditorProps) -> Html {
    let state = &props.state;
    let rows = &state.inputs.custom.rows;
    // The report's tiers line up with the rows only while every row parses.
    let reports = state
        .figures
        .as_ref()
        .filter(|_| state.row_errors.is_empty())
        .map(|f| f.report.clone());
    let on_add = props.dispatch.reform(|_: MouseEvent| Action::AddTier);

    let row_view = |(index, row): (usize, &TierRow)| {
        let errors: Vec<_> = state.row_errors.iter().filter(|e| e.row == index).collect();
        let invalid = |cell: TierCell| errors.iter().any(|e| e.cell == Some(cell));
        let report = reports.as_ref().and_then(|r| r.tiers.get(index).cloned());
        let on_severity = props
            .dispatch
            .reform(move |e: Event| Action::SetTierSeverity {
                row: index,
                severity: e
                    .target_dyn_into::<HtmlSelectElement>()
                    .and_then(|s| Severity::parse(&s.value()).ok())
                    .unwrap_or(Severity::Page),
            });
        let on_remove = props
            .dispatch
            .reform(move |_: MouseEvent| Action::RemoveTier { row: index });
        let severity_id = format!("tier-{index}-severity");
        // What the rate cell means in the other unit, so either can be typed.
        let derived = report.as_ref().map(|t| {
            if row.rate.trim().ends_with('%') {
                format!("= {} on {}", format::times(t.factor), state.valid.period)
            } else {
                format!(
                    "= {} of the budget in {}",
                    format::percent_sig(t.budget_share, 3),
                    t.long_window
                )
            }
        });
        html! {
            <li class="tier-row" data-testid="tier-row">
                <div class="tier-cells" role="group" aria-label={format!("Tier {}", index + 1)}>
                    <div class="tier-cell">
                        <label for={severity_id.clone()}>{ "severity" }</label>
                        <select id={severity_id} onchange={on_severity}>
                            { for [Severity::Page, Severity::Ticket].iter().map(|s| html! {
                                <option value={s.as_str()} selected={*s == row.severity}>{ s.as_str() }</option>
                            }) }
                        </select>
                    </div>
                    { for CELLS.iter().map(|(cell, label, placeholder)| cell_input(index, row, *cell, label, placeholder, invalid(*cell), &props.dispatch)) }
                    <button type="button" class="remove" onclick={on_remove} disabled={rows.len() <= 1}
                        aria-label={format!("Remove tier {}", index + 1)}>{ "Remove" }</button>
                </div>
                <div class="tier-note" id={format!("tier-{index}-note")} data-testid="tier-row-note">
                    { for errors.iter().map(|e| html! {
                        <p class="field-error" role="alert">{ e.error.sentence() }</p>
                    }) }
                    if let Some(t) = &report {
                        { for t.problems.iter().map(|p| html! {
                            <p class="row-warning"><span class="tag warning">{ "⚠ warning" }</span>{ " " }{ p.clone() }</p>
                        }) }
                        if t.problems.is_empty() {
                            <p class="hint">{ format!("{} {}", t.label, derived.clone().unwrap_or_default()) }</p>
                        }
                    }
                </div>
            </li>
        }
    };

    html! {
        <div class="tier-editor" data-testid="tier-editor">
            <h3>{ "Your own tiers" }</h3>
            <ol class="tier-rows">
                { for rows.iter().enumerate().map(row_view) }
            </ol>
            <button type="button" class="secondary" onclick={on_add} disabled={rows.len() >= MAX_ROWS}
                data-testid="add-tier">{ "Add a tier" }</button>
        </div>
    }
}
