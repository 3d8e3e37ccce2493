//! "How is this computed": a disclosure with a figure's formula and the user's numbers in it.
//! Its content is built only once it is opened: closed, it costs one element per figure, which
//! keeps every edit fast however many figures the page shows.

use burnlab::explain::Explanation;
use yew::prelude::*;

/// Props: the explanations to show under one figure.
#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    /// The explanations, in reading order.
    pub items: Vec<Explanation>,
}

/// A closed disclosure; opening it shows each formula, substituted, and its result.
#[function_component(Explain)]
pub fn explain(props: &ExplainProps) -> Html {
    let open = use_state_eq(|| false);
    if props.items.is_empty() {
        return html! {};
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let is_open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .is_some_and(|d| d.open());
            open.set(is_open);
        })
    };
    html! {
        <details class="explain" {ontoggle}>
            <summary>{ "how is this computed" }</summary>
            if *open {
                <dl>
                    { for props.items.iter().map(|e| html! {
                        // Each pair in its own `div` (which a `dl` allows), so the pairs can
                        // lay out as columns where there is room.
                        <div>
                            <dt>{ e.figure.clone() }</dt>
                            <dd>
                                <code>{ e.formula.clone() }</code>
                                <code>{ format!("= {}", e.substituted) }</code>
                                <span class="result">{ format!("→ {}", e.result) }</span>
                            </dd>
                        </div>
                    }) }
                </dl>
            }
        </details>
    }
}
