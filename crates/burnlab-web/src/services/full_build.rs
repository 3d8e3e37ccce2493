//! The page in two builds. The first load (index.html's main build, with the `first-load`
//! feature) holds every section but the Replay section's components, which would take the
//! first load past its size budget. Opening the Replay section hands the tab to the full build
//! (`burnlab-web-full.js` and its wasm, built by Trunk from the same crate without that feature
//! and loaded only then, from the page's own files): the state goes to storage as on any reload,
//! the page reloads, and the first-load build, seeing the Replay section, starts the full build
//! instead of itself. The full build then serves every section in that tab.

use gloo::events::EventListener;

use crate::services::persist::{self, Persist, ShareMode};

/// The full build's script (wasm-bindgen's no-modules output) and the file that starts it.
const FULL_SCRIPT: &str = "./burnlab-web-full.js";
const START_SCRIPT: &str = "./start-full.js";

fn append_script(src: &str, then: Option<Box<dyn FnOnce()>>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(script), Some(body)) = (document.create_element("script"), document.body()) else {
        return;
    };
    let _ = script.set_attribute("src", src);
    if let Some(then) = then {
        let mut then = Some(then);
        EventListener::once(&script, "load", move |_| {
            if let Some(f) = then.take() {
                f();
            }
        })
        .forget();
    }
    let _ = body.append_child(&script);
}

/// Starts the full build in this page (nothing of the first-load build has rendered).
pub fn load() {
    append_script(
        FULL_SCRIPT,
        Some(Box::new(|| append_script(START_SCRIPT, None))),
    );
}

/// Saves `state` and reloads, so the full build opens on the current address.
pub fn switch<T: Persist>(state: &T) {
    persist::save_local(&persist::pairs_of(state, ShareMode::Local));
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
