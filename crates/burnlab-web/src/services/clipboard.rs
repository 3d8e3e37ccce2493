//! Copying text to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard; an error when the browser refuses (no permission, an insecure
/// origin), so the caller can show the text to copy by hand.
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "the browser refused".into())
    })
}
