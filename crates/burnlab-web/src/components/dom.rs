//! What the components read from the DOM events they handle: the value of the `<select>` or
//! `<input>` an event came from (empty when the target is not one), and whether a checkbox is
//! ticked.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The value of the `<select>` that fired `e`.
pub fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The value of the `<input>` that fired `e`.
pub fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Whether the checkbox that fired `e` is now ticked.
pub fn checkbox_checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .is_some_and(|i| i.checked())
}
