//! The page's address: `#tiers` opens the Tiers section, and a shared link carries the whole
//! state after the section: `#tiers?z=<deflated, base64url>`. Hand-written links may spell the
//! inputs out (`#budget?objective=99&period=28d`), and the query of earlier versions
//! (`?objective=99#tiers`) still opens.

use crate::services::compress;
use crate::services::persist::{self, from_query, to_query};
use crate::state::Section;

/// The key of the compressed state in a link's fragment.
const PACKED_KEY: &str = "z";

/// A fragment split into its section and its query: `tiers?z=…` → (`Some(Tiers)`, `z=…`).
/// An unknown or missing section is `None`.
pub fn split_fragment(hash: &str) -> (Option<Section>, &str) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let (slug, query) = hash.split_once('?').unwrap_or((hash, ""));
    (Section::from_slug(slug), query)
}

/// How the page opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// The state's pairs, from the link or from storage; empty for a first visit.
    pub pairs: Vec<(String, String)>,
    /// The section to open.
    pub section: Section,
    /// Whether the pairs came from a link (rather than storage).
    pub from_link: bool,
    /// Whether a link replaced earlier work, which [`persist::PREVIOUS_KEY`] now keeps.
    pub replaced_work: bool,
    /// Why a link could not be read, if it could not.
    pub problem: Option<String>,
    /// Whether the first-load build handed this build the state on a move to a section it
    /// does not have: the move goes on, with the section's heading focused.
    pub handed_off: bool,
}

/// The pairs a link's query carries, unpacking a compressed state.
async fn link_pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    let pairs = from_query(query);
    let Some((_, packed)) = pairs.iter().find(|(k, _)| k == PACKED_KEY) else {
        return Ok(pairs);
    };
    let bytes = compress::from_base64url(packed)?;
    let text = compress::inflate(&bytes).await?;
    let text = String::from_utf8(text).map_err(|_| "the data is not text".to_owned())?;
    Ok(from_query(&text))
}

/// The section the address opens, without reading the link's state.
pub fn opening_section() -> Section {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    split_fragment(&hash).0.unwrap_or_default()
}

/// Reads where the page should start: the link's state if it has one (then saved to storage,
/// and the address cleaned back to `#section` so that a reload uses storage), else storage.
pub async fn start() -> Start {
    let Some(window) = web_sys::window() else {
        return Start {
            pairs: Vec::new(),
            section: Section::default(),
            from_link: false,
            replaced_work: false,
            problem: None,
            handed_off: false,
        };
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let (section, fragment_query) = split_fragment(&hash);
    let section = section.unwrap_or_default();
    let query = if fragment_query.is_empty() {
        search.strip_prefix('?').unwrap_or(&search).to_owned()
    } else {
        fragment_query.to_owned()
    };
    let mut problem = None;
    let mut from_link = false;
    let mut replaced_work = false;
    let mut pairs = Vec::new();
    if !query.is_empty() {
        match link_pairs(&query).await {
            Ok(p) => {
                replaced_work = persist::keep_previous(&p);
                persist::save_local(&p);
                pairs = p;
                from_link = true;
            }
            Err(e) => {
                problem = Some(format!(
                    "This link's state could not be read ({e}); your last work is shown instead."
                ))
            }
        }
        // The state now lives in storage; the address keeps only the section.
        let path = location.pathname().unwrap_or_default();
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}#{}", section.slug())),
            );
        }
    }
    let mut handed_off = false;
    if !from_link {
        let handoff = persist::take_handoff();
        handed_off = handoff.is_some();
        pairs = handoff.or_else(persist::load_local).unwrap_or_default();
    }
    Start {
        pairs,
        section,
        from_link,
        replaced_work,
        problem,
        handed_off,
    }
}

/// A link that opens `section` with the state `pairs`, compressed when the browser can.
pub async fn share_url(pairs: &[(String, String)], section: Section) -> String {
    let query = to_query(pairs);
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default();
    let payload = match compress::deflate(query.as_bytes()).await {
        Ok(bytes) => format!("{PACKED_KEY}={}", compress::base64url(&bytes)),
        // Without CompressionStream the link is longer but still opens.
        Err(_) => query,
    };
    if payload.is_empty() {
        format!("{base}#{}", section.slug())
    } else {
        format!("{base}#{}?{payload}", section.slug())
    }
}

/// Opens `section` as its link in the section list does: the fragment becomes `#<slug>`, and
/// the page's `hashchange` listener shows it. For a control that changes the state and then
/// moves, where following its own `href` would read an `href` the change has already redrawn.
pub fn open_section(section: Section) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_hash(section.slug());
    }
}
