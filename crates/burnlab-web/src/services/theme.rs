//! Light and dark: the system's `prefers-color-scheme` unless the user picked one, which is
//! remembered. The choice is an attribute on `<html>` that the style sheet reads.

use crate::services::persist;

/// A colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light backgrounds.
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The preference's storage key.
const KEY: &str = "burnlab.theme";

/// The theme the user picked, if they did.
pub fn chosen() -> Option<Theme> {
    match persist::preference(KEY).as_deref() {
        Some("light") => Some(Theme::Light),
        Some("dark") => Some(Theme::Dark),
        _ => None,
    }
}

/// The system's theme.
pub fn system() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark { Theme::Dark } else { Theme::Light }
}

/// The theme in effect.
pub fn current() -> Theme {
    chosen().unwrap_or_else(system)
}

/// Shows `theme`, or the system's with `None`.
pub fn apply(theme: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(t) => root.set_attribute("data-theme", t.as_str()),
        None => root.remove_attribute("data-theme"),
    };
}

/// Shows and remembers `theme`.
pub fn choose(theme: Theme) {
    apply(Some(theme));
    persist::set_preference(KEY, Some(theme.as_str()));
}
