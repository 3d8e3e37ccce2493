//! The rendered width of an element, kept up to date with a `ResizeObserver`, so an SVG can be
//! drawn at the size it is shown and its text stays the size the style sheet gives it.

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, ResizeObserver, ResizeObserverEntry};
use yew::prelude::*;

/// Widths are rounded to this many pixels, so a slow resize does not redraw on every pixel.
const STEP: f64 = 8.0;

/// The width in CSS pixels of the element behind `node`; `initial` until it is first measured.
#[hook]
pub fn use_width(node: NodeRef, initial: f64) -> f64 {
    let width = use_state_eq(|| initial);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let element = node.cast::<Element>();
            let on_resize = Closure::<dyn Fn(Array)>::new(move |entries: Array| {
                let measured = entries
                    .get(0)
                    .dyn_into::<ResizeObserverEntry>()
                    .ok()
                    .map(|e| e.content_rect().width());
                if let Some(w) = measured.filter(|w| *w > 0.0) {
                    width.set((w / STEP).floor() * STEP);
                }
            });
            let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(e)) = (&observer, &element) {
                o.observe(e);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(on_resize);
            }
        });
    }
    *width
}
