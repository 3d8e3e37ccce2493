//! Entry point of the page Trunk builds: installs the panic notice, applies the remembered
//! theme, reads the state from the link or from storage, and mounts the app on `<body>`.

use std::rc::Rc;

use burnlab_web::services::{crash, link, theme};
use burnlab_web::{App, AppProps};

fn main() {
    // First: a panic anywhere after this shows what happened instead of a dead page.
    crash::install();
    theme::apply(theme::chosen());
    // A shared link's state is inflated by the browser, which answers asynchronously; the page
    // renders once it has its state, so it never shows other figures first.
    wasm_bindgen_futures::spawn_local(async {
        let start = link::start().await;
        yew::Renderer::<App>::with_props(AppProps {
            start: Rc::new(start),
        })
        .render();
    });
}
