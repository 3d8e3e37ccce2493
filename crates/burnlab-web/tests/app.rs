//! The whole page mounted in headless Chromium: it opens on the section a link names, the
//! summary bar marks what is stale, notices say what a link got wrong, the section list moves
//! between routes, and Share makes a link that carries the state.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::rc::Rc;

use burnlab_web::services::link::Start;
use burnlab_web::services::persist::from_query;
use burnlab_web::state::Section;
use burnlab_web::{App, AppProps};
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn page(query: &str, section: Section) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let start = Start {
        pairs: from_query(query),
        section,
        from_link: true,
        replaced_work: false,
        problem: None,
        handed_off: false,
    };
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            start: Rc::new(start),
        },
    )
    .render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn a_link_opens_its_section_with_its_errors_and_the_last_valid_figures() {
    let root = page("objective=0&ok.objective=99&tiers=nope", Section::Tiers).await;
    assert!(exists(&root, "#tiers-title"));
    assert!(!exists(&root, "#budget-title"), "one section at a time");
    assert_eq!(
        attr(&root, "nav a[aria-current=page]", "href").as_deref(),
        Some("#tiers")
    );
    // The summary shows the last valid objective, marked stale.
    assert_eq!(text_of(&root, "summary-objective"), "99 %");
    assert!(exists(
        &root,
        ".summary-figures li.stale [data-testid=summary-objective]"
    ));
    assert!(text_of(&root, "notices").contains("`nope` is not a tier set"));
    assert_eq!(all_text(&root, "h1"), ["burnlab"]);
}

#[wasm_bindgen_test]
async fn share_makes_a_compressed_link_to_the_open_section() {
    let root = page("objective=99.5", Section::Budget).await;
    click(&root, "[data-testid=share-button]").await;
    // The link is made asynchronously by the browser's compressor.
    for _ in 0..50 {
        if attr(&root, "[data-testid=share-link]", "value")
            .is_some_and(|v| v.contains("#budget?z="))
        {
            break;
        }
        settle().await;
    }
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::dyn_into(find(&root, "[data-testid=share-link]")).unwrap();
    let link = input.value();
    assert!(link.contains("#budget?z="), "{link}");
    assert!(text_of(&root, "share-secrets-note").contains("Nothing in this state is a secret"));
}

#[wasm_bindgen_test]
async fn the_theme_toggle_sets_and_remembers_the_theme() {
    let root = page("", Section::Budget).await;
    let html = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    let before = attr(&root, "[data-testid=theme-toggle]", "aria-pressed");
    click(&root, "[data-testid=theme-toggle]").await;
    let after = attr(&root, "[data-testid=theme-toggle]", "aria-pressed");
    assert_ne!(before, after);
    let theme = html.get_attribute("data-theme").unwrap();
    assert_eq!(theme == "dark", after.as_deref() == Some("true"));
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("burnlab.theme")
        .unwrap();
    assert_eq!(stored.as_deref(), Some(theme.as_str()));
}
