//! Keeping the inputs in the URL's query (so a shared link opens with the same figures) and in
//! local storage (so a reload without a query comes back to the last work). The URL wins.

use web_sys::UrlSearchParams;

use crate::state::Inputs;

/// The local-storage key of the last inputs.
const STORAGE_KEY: &str = "burnlab.inputs";

/// The inputs from the page's URL query, or else from local storage, or else the defaults.
pub fn load() -> Inputs {
    let Some(window) = web_sys::window() else {
        return Inputs::default();
    };
    let from_url = window
        .location()
        .search()
        .ok()
        .filter(|q| q.len() > 1)
        .and_then(|q| UrlSearchParams::new_with_str(&q).ok());
    let from_storage = || {
        window
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|q| UrlSearchParams::new_with_str(&q).ok())
    };
    match from_url.or_else(from_storage) {
        Some(params) => Inputs::from_pairs(|key| params.get(key)),
        None => Inputs::default(),
    }
}

/// Writes `inputs` into the URL (without a new history entry) and into local storage. Failures
/// (storage disabled, a sandboxed frame) are ignored: the page works without them.
pub fn save(inputs: &Inputs) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(params) = UrlSearchParams::new() else {
        return;
    };
    for (key, value) in inputs.to_pairs() {
        params.append(key, &value);
    }
    let query: String = params.to_string().into();
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(STORAGE_KEY, &query);
    }
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?{query}{hash}")),
        );
    }
}
