//! Keeping the whole state: in local storage, so a reload loses nothing, and in a link, so a
//! person can share it. Each part of the state says what it keeps through [`Persist`]; this file
//! owns the formats and the only calls to `localStorage`.
//!
//! Both carry the same key–value pairs, written as a URL query (`objective=99.9&period=28d`).
//! Keys are short and prefixed by section: none for the Budget and Tiers inputs, `r.` for
//! Rules, `am.` for Routing.

use web_sys::{Storage, UrlSearchParams};

/// Who will read what is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareMode {
    /// This browser's own storage: everything, but secrets only when the user asked to keep
    /// them there (the Routing section's "keep credentials" choice); otherwise they are
    /// replaced by placeholders, as in a link.
    Local,
    /// The page handing its state to its own full build, in memory (see [`hand_off`]):
    /// everything, secrets included.
    Handoff,
    /// A link someone else may read: secrets (PagerDuty keys, webhook URLs, passwords, bearer
    /// tokens) are replaced by placeholders.
    Link,
    /// A link with the secrets in it, because the user asked for that explicitly.
    LinkWithSecrets,
}

impl ShareMode {
    /// Whether secrets may be written as they are.
    pub fn includes_secrets(self) -> bool {
        matches!(self, ShareMode::Handoff | ShareMode::LinkWithSecrets)
    }
}

/// A part of the state that can be saved as key–value pairs and read back.
pub trait Persist: Sized {
    /// Appends this part's pairs to `out`. Values that are at their defaults may be left out;
    /// with a `mode` that excludes secrets, secrets are replaced by placeholders.
    fn save(&self, mode: ShareMode, out: &mut Vec<(String, String)>);

    /// This part from the pairs `get` looks up. A missing key keeps its default; a bad value
    /// is kept as typed and shows its error, like a bad edit. Never fails.
    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self;
}

/// The pairs of `value`, saved for `mode`.
pub fn pairs_of<T: Persist>(value: &T, mode: ShareMode) -> Vec<(String, String)> {
    let mut out = Vec::new();
    value.save(mode, &mut out);
    out
}

/// The pairs as a URL query without the `?`: `objective=99.9&period=28d`.
pub fn to_query(pairs: &[(String, String)]) -> String {
    let Ok(params) = UrlSearchParams::new() else {
        return String::new();
    };
    for (key, value) in pairs {
        params.append(key, value);
    }
    params.to_string().into()
}

/// The pairs of a URL query (with or without its `?`), in order.
pub fn from_query(query: &str) -> Vec<(String, String)> {
    let Ok(params) = UrlSearchParams::new_with_str(query) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in params.entries() {
        let Ok(entry) = entry else { continue };
        let pair = js_sys::Array::from(&entry);
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((k, v));
        }
    }
    out
}

/// Reads `T` from `pairs`; the first pair with a key wins.
pub fn restore_from<T: Persist>(pairs: &[(String, String)]) -> T {
    T::restore(&|key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

/// The storage key of the state.
pub const STORAGE_KEY: &str = "burnlab.state";
/// Where the state was kept before a shared link replaced it, so the user can go back to it.
pub const PREVIOUS_KEY: &str = "burnlab.previous";
/// Where earlier versions of the page kept the Budget inputs.
const LEGACY_KEY: &str = "burnlab.inputs";

thread_local! {
    /// Set once the page is about to reload onto other stored work, so that saving the state
    /// it is leaving (as it does when hidden) cannot overwrite that work.
    static FROZEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The window property that carries the state from the first-load build to the full build in
/// the same page, in memory only.
const HANDOFF_KEY: &str = "__burnlabHandoff";

/// Hands `pairs` to the next build started in this page, in memory: the secrets a switch to
/// the full build must keep never touch storage.
pub fn hand_off(pairs: &[(String, String)]) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &HANDOFF_KEY.into(), &to_query(pairs).into());
    }
}

/// The pairs a build handed off in this page, taken (so a later start does not see them).
pub fn take_handoff() -> Option<Vec<(String, String)>> {
    let w = web_sys::window()?;
    let query = js_sys::Reflect::get(&w, &HANDOFF_KEY.into())
        .ok()?
        .as_string()?;
    let _ = js_sys::Reflect::delete_property(&w, &HANDOFF_KEY.into());
    Some(from_query(&query))
}

/// The state's pairs from local storage, if there are any.
pub fn load_local() -> Option<Vec<(String, String)>> {
    let s = storage()?;
    let query = s
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .or_else(|| s.get_item(LEGACY_KEY).ok().flatten())?;
    Some(from_query(&query))
}

/// Writes `pairs` to local storage. Failures (storage disabled, full, a sandboxed frame) are
/// ignored: the page works without it, it only forgets on reload.
pub fn save_local(pairs: &[(String, String)]) {
    if FROZEN.with(std::cell::Cell::get) {
        return;
    }
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &to_query(pairs));
    }
}

/// Keeps what storage holds now under [`PREVIOUS_KEY`] before a shared link replaces it, if it
/// differs from `incoming`. Returns whether there was such earlier work.
pub fn keep_previous(incoming: &[(String, String)]) -> bool {
    let Some(s) = storage() else { return false };
    let Some(current) = s.get_item(STORAGE_KEY).ok().flatten() else {
        return false;
    };
    if current.is_empty() || current == to_query(incoming) {
        return false;
    }
    s.set_item(PREVIOUS_KEY, &current).is_ok()
}

/// Swaps the current state with the one kept by [`keep_previous`]; the caller reloads the page,
/// and nothing is saved until it has.
pub fn swap_previous() {
    let Some(s) = storage() else { return };
    FROZEN.with(|f| f.set(true));
    let (Some(previous), current) = (
        s.get_item(PREVIOUS_KEY).ok().flatten(),
        s.get_item(STORAGE_KEY).ok().flatten(),
    ) else {
        return;
    };
    let _ = s.set_item(STORAGE_KEY, &previous);
    match current {
        Some(c) => {
            let _ = s.set_item(PREVIOUS_KEY, &c);
        }
        None => {
            let _ = s.remove_item(PREVIOUS_KEY);
        }
    }
}

/// A remembered preference (the theme), outside the state: never part of a link.
pub fn preference(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Remembers a preference; `None` forgets it.
pub fn set_preference(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}
