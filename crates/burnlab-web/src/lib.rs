//! The burnlab playground: Yew function components over the burnlab core. The page holds no SLO
//! math of its own; every figure it shows comes from `burnlab`.

pub mod components;
pub mod hooks;
pub mod services;
pub mod shared;
pub mod state;

pub use components::app::{App, AppProps};

use std::rc::Rc;

use services::{crash, link, theme};

/// Starts the page: installs the panic notice, applies the remembered theme, reads the state
/// from the link or from storage, and mounts the app on `<body>`. The first-load build hands an
/// opening of the Replay section to the full build (`services::full_build`).
pub fn run() {
    // First: a panic anywhere after this shows what happened instead of a dead page.
    crash::install();
    theme::apply(theme::chosen());
    // A shared link's state is inflated by the browser, which answers asynchronously; the page
    // renders once it has its state, so it never shows other figures first.
    wasm_bindgen_futures::spawn_local(async {
        // A load on the Replay section goes to the full build before the link is read: the
        // full build reads it itself, so what it says about the link (unreadable, your work
        // replaced) is said there.
        if cfg!(feature = "first-load") && link::opening_section() == state::Section::Replay {
            services::full_build::load();
            return;
        }
        let start = link::start().await;
        let app = yew::Renderer::<App>::with_props(AppProps {
            start: Rc::new(start),
        })
        .render();
        services::full_build::keep(app);
    });
}
