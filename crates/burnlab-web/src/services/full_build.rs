//! The page in two builds. The first load (index.html's main build, with the `first-load`
//! feature) holds every section but the Replay section's components, which would take the
//! first load past its size budget. Opening the Replay section hands the tab to the full build
//! (`burnlab-web-full.js` and its wasm, built by Trunk from the same crate without that feature
//! and loaded only then, from the page's own files): the state goes to storage as before a
//! reload, the first-load app is taken down (its listeners and timers with it), and the full
//! build starts in its place, reading the state back. A load on `#replay` starts the full build
//! directly. The full build then serves every section in that tab.

use std::cell::RefCell;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::AppHandle;

use crate::App;
use crate::services::persist::{self, Persist, ShareMode};

thread_local! {
    /// The running app, so a hand-over can take it down.
    static APP: RefCell<Option<AppHandle<App>>> = const { RefCell::new(None) };
}

/// Keeps the running app's handle.
pub fn keep(app: AppHandle<App>) {
    APP.with(|a| *a.borrow_mut() = Some(app));
}

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

/// Saves `state`, takes the first-load app down and starts the full build on the current
/// address. Called from the app's own render, so the rest waits for the next task.
pub fn switch<T: Persist>(state: &T) {
    persist::save_local(&persist::pairs_of(state, ShareMode::Local));
    persist::hand_off(&persist::pairs_of(state, ShareMode::Handoff));
    Timeout::new(0, || {
        if let Some(app) = APP.with(|a| a.borrow_mut().take()) {
            app.destroy();
        }
        crate::services::heavy::stop();
        load();
    })
    .forget();
}
