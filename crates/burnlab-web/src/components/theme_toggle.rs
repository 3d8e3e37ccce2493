//! The light/dark switch. It starts from the system's theme and remembers the user's choice.

use yew::prelude::*;

use crate::services::theme::{self, Theme};

/// A button that switches between light and dark.
#[function_component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let current = use_state(theme::current);
    let onclick = {
        let current = current.clone();
        Callback::from(move |_| {
            let next = current.toggled();
            theme::choose(next);
            current.set(next);
        })
    };
    let dark = *current == Theme::Dark;
    html! {
        <button type="button" class="theme-toggle" {onclick} aria-pressed={dark.to_string()}
            data-testid="theme-toggle" title="Switch between light and dark">
            <span aria-hidden="true">{ "◐" }</span><span class="label">{ " Dark theme" }</span>
        </button>
    }
}
