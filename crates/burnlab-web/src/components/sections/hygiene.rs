//! The alert hygiene table: every alert the Rules section's rules raise, routed through the
//! config by the heavy core, with what is wrong about where it goes.

use std::rc::Rc;

use burnlab::Error;
use burnlab::hygiene::Row;
use yew::prelude::*;

use crate::components::stale;

/// Props of [`Hygiene`].
#[derive(Properties, PartialEq)]
pub struct HygieneProps {
    /// The table, or why the rules could not be read.
    pub table: Option<Rc<Result<Vec<Row>, Error>>>,
    /// Whether it comes from an older config than the one typed.
    #[prop_or_default]
    pub stale: bool,
}

/// The table.
#[function_component(Hygiene)]
pub fn hygiene(props: &HygieneProps) -> Html {
    let body = match props.table.as_deref() {
        None => {
            html! { <p class="note">{ "Waiting for a valid config and the Rules section's rules…" }</p> }
        }
        Some(Err(e)) => {
            html! { <p class="field-error">{ format!("The Rules section's rules do not read: {}: {}", e.field, e.message) }</p> }
        }
        Some(Ok(rows)) if rows.is_empty() => {
            html! { <p class="note">{ "The Rules section's rules raise no alert." }</p> }
        }
        Some(Ok(rows)) => {
            let bad = rows.iter().filter(|r| !r.flags.is_empty()).count();
            html! { <div class={stale::card(props.stale)}>
                { stale::badge(props.stale, "last valid config") }
                <p class={if props.stale { "stale-note" } else if bad == 0 { "ok" } else { "warning-text" }} data-testid="hygiene-summary">
                    { match (props.stale, bad) {
                        (true, 0) => format!("In the last valid config, all {} alerts reach the right kind of receiver.", rows.len()),
                        (true, _) => format!("In the last valid config, {bad} of {} alerts need attention.", rows.len()),
                        (false, 0) => format!("✓ All {} alerts reach the right kind of receiver.", rows.len()),
                        (false, _) => format!("⚠ {bad} of {} alerts need attention.", rows.len()),
                    } }
                </p>
                <div class="table-wrap">
                    <table class="hygiene" data-testid="hygiene-table">
                        <thead><tr>
                            <th scope="col">{ "alert" }</th>
                            <th scope="col">{ "severity" }</th>
                            <th scope="col">{ "receivers" }</th>
                            <th scope="col">{ "pages someone" }</th>
                            <th scope="col">{ "findings" }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr class={classes!((!r.flags.is_empty()).then_some("flagged"))}>
                                    <th scope="row" class="mono" title={r.labels.clone()}>{ r.alert.clone() }</th>
                                    <td>{ if r.severity.is_empty() { "—".to_owned() } else { r.severity.clone() } }</td>
                                    <td class="mono">{ r.receivers.clone() }</td>
                                    <td>{ if r.pages_someone { "▲ yes" } else { "no" } }</td>
                                    <td>
                                        if r.flags.is_empty() { <span class="tag ok">{ "✓ fine" }</span> }
                                        { for r.flags.iter().map(|f| html! { <span class="tag warning">{ format!("⚠ {}", f.message()) }</span> }) }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </div> }
        }
    };
    html! {
        <div class="hygiene-section">
            <h3>{ "Alert hygiene" }</h3>
            <p class="note">{ "Each alert of the Rules section, routed with its rule's labels, alertname and its recording's labels. Labels the scraped series add (job, instance) are not known here. Paging receivers are PagerDuty, Opsgenie and VictorOps." }</p>
            { body }
        </div>
    }
}
