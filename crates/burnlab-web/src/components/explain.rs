//! "How is this computed": a disclosure with a figure's formula and the user's numbers in it.

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
    if props.items.is_empty() {
        return html! {};
    }
    html! {
        <details class="explain">
            <summary>{ "how is this computed" }</summary>
            <dl>
                { for props.items.iter().map(|e| html! {
                    <>
                        <dt>{ e.figure.clone() }</dt>
                        <dd>
                            <code>{ e.formula.clone() }</code>
                            <code>{ format!("= {}", e.substituted) }</code>
                            <span class="result">{ format!("→ {}", e.result) }</span>
                        </dd>
                    </>
                }) }
            </dl>
        </details>
    }
}
