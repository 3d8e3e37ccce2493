//! Things to tell the user once about how the page opened: a link that could not be read, a
//! value a link had that burnlab does not know, earlier work a shared link replaced.

use yew::prelude::*;

use crate::services::persist;
use crate::state::Action;

/// Props: the notices and whether a link replaced earlier work.
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// Sentences to show.
    pub notices: Vec<String>,
    /// Whether a shared link replaced work kept in this browser (which is kept aside).
    pub replaced_work: bool,
    /// Receives the dismissal.
    pub dispatch: Callback<Action>,
}

/// The notices, above the section.
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let hidden_replaced = use_state(|| false);
    let show_replaced = props.replaced_work && !*hidden_replaced;
    if props.notices.is_empty() && !show_replaced {
        return html! {};
    }
    let dismiss = {
        let dispatch = props.dispatch.clone();
        let hidden_replaced = hidden_replaced.clone();
        Callback::from(move |_| {
            hidden_replaced.set(true);
            dispatch.emit(Action::DismissNotices);
        })
    };
    let restore = Callback::from(|_| {
        persist::swap_previous();
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    html! {
        <div class="notices" role="status" data-testid="notices">
            <ul>
                { for props.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                if show_replaced {
                    <li>
                        { "This shared link replaced the work kept in this browser; that work is saved aside. " }
                        <button type="button" class="link-button" onclick={restore}>{ "Go back to my work" }</button>
                    </li>
                }
            </ul>
            <button type="button" class="dismiss" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}
