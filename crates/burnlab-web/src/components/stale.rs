//! The one mark of an answer that comes from an older input than the one typed: the card's
//! dashed warning border (`card stale`) and a badge in the flow at the card's top, which says
//! which input the answer comes from and never covers the answer's text. Every section marks
//! its stale answers this way, so a figure or verdict from an older input never reads as a
//! current one.

use yew::prelude::*;

/// The badge, or nothing when the answer is current. `from` names the older input, `last
/// valid input` or `last valid config`.
pub fn badge(stale: bool, from: &'static str) -> Html {
    if stale {
        html! { <span class="stale-badge" data-testid="stale-badge">{ from }</span> }
    } else {
        Html::default()
    }
}

/// The classes of a card that may be stale.
pub fn card(stale: bool) -> Classes {
    classes!("card", stale.then_some("stale"))
}
