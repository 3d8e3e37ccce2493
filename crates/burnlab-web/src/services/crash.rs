//! What the page does when its own code panics. A panic in wasm ends the app (release builds
//! abort; even a caught one leaves Yew's scheduler broken), so instead of a page that silently
//! stops answering, the hook saves the last state that rendered, then writes a plain-DOM notice
//! above the page saying what happened, that the inputs are kept, and how to go on.
//!
//! The notice is built with `web_sys` alone: nothing of the app can be trusted to run after a
//! panic. The state saved is the last one the page drew (the keystroke that panicked never
//! reached it), so reloading starts from work that is known to render, not from a crash loop.
//! The heavy core's own panics happen in its worker and are handled in [`super::heavy`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::services::persist::{self, ShareMode};
use crate::state::State;

/// The notice's element id (tests and styles find it by this).
pub const NOTICE_ID: &str = "crash-notice";

thread_local! {
    static LAST_DRAWN: RefCell<Option<Rc<State>>> = const { RefCell::new(None) };
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Remembers the state the page has just drawn: what the hook saves if a later change panics.
pub fn remember(state: &Rc<State>) {
    LAST_DRAWN.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = Some(state.clone());
        }
    });
}

/// Installs the hook. Called first thing in `main`.
pub fn install() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        report(&info.to_string());
    }));
}

/// The notice's text for a panic described by `what`.
pub fn notice_text(what: &str) -> String {
    format!(
        "burnlab stopped because of a bug: {what}. Your inputs up to your last change are kept in this browser; reload the page to continue from them. The input that caused this is worth reporting."
    )
}

/// What the hook does with a panic described by `what`: saves the last drawn state and shows
/// the notice, once. Public so that a test can run it without panicking.
pub fn report(what: &str) {
    if SHOWN.with(|s| s.replace(true)) {
        return;
    }
    LAST_DRAWN.with(|s| {
        if let Ok(s) = s.try_borrow()
            && let Some(state) = s.as_ref()
        {
            persist::save_local(&persist::pairs_of(state.as_ref(), ShareMode::Local));
        }
    });
    show(&notice_text(what));
}

/// Writes the notice at the top of `<body>`, with a reload button.
fn show(text: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let notice = document.create_element("div").ok()?;
    notice.set_id(NOTICE_ID);
    notice.set_attribute("role", "alert").ok()?;
    notice.set_attribute("class", "crash-notice").ok()?;
    let p = document.create_element("p").ok()?;
    p.set_text_content(Some(text));
    notice.append_child(&p).ok()?;
    // A link to the page itself reloads it without script, which may no longer run.
    let reload = document.create_element("a").ok()?;
    reload.set_attribute("href", "").ok()?;
    reload.set_text_content(Some("Reload the page"));
    notice.append_child(&reload).ok()?;
    body.prepend_with_node_1(&notice).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_says_what_happened_and_that_the_inputs_are_kept() {
        let text = notice_text("panicked at src/x.rs:1:2: boom");
        assert!(text.contains("panicked at src/x.rs:1:2: boom"), "{text}");
        assert!(
            text.contains("inputs up to your last change are kept"),
            "{text}"
        );
        assert!(text.contains("reload"), "{text}");
    }
}
