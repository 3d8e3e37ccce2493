//! The page's Content-Security-Policy allows scripts from its own origin only, plus the one
//! inline module script Trunk writes to start the wasm. Its content (file names, Trunk's
//! version) is known only after a build, so Trunk runs `cargo xtask csp` after each build (a
//! `post_build` hook in Trunk.toml): it replaces the placeholder in the policy with the SHA-256
//! of every inline script in the staged index.html.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The word in index.html's policy that the hashes replace.
pub const PLACEHOLDER: &str = "INLINE_SCRIPT_HASHES";

/// The contents of every `<script>` without a `src`, exactly as the browser hashes them.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    out
}

/// `'sha256-…'` for `script`, as a CSP source expression.
pub fn hash_source(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// index.html with the placeholder replaced by the hashes of its inline scripts.
pub fn fill(html: &str) -> Result<String, String> {
    if !html.contains(PLACEHOLDER) {
        return Err(format!(
            "index.html has no {PLACEHOLDER} in its Content-Security-Policy to replace"
        ));
    }
    let hashes: Vec<String> = inline_scripts(html).into_iter().map(hash_source).collect();
    if hashes.is_empty() {
        return Err("index.html has no inline script: Trunk's start-up script is missing".into());
    }
    Ok(html.replace(PLACEHOLDER, &hashes.join(" ")))
}

/// Checks that every inline script of a built index.html is allowed by its policy.
pub fn check(html: &str) -> Result<(), String> {
    let missing: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(hash_source)
        .filter(|h| !html.contains(h.as_str()))
        .collect();
    if html.contains(PLACEHOLDER) || !missing.is_empty() {
        return Err(format!(
            "the Content-Security-Policy does not allow the page's inline scripts ({}): is the \
             post_build hook in Trunk.toml running `cargo xtask csp`?",
            missing.join(" ")
        ));
    }
    Ok(())
}

/// `cargo xtask csp`: fills in the staged index.html that Trunk names in `TRUNK_STAGING_DIR`.
pub fn run() -> Result<(), String> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("`cargo xtask csp` runs as Trunk's post_build hook (TRUNK_STAGING_DIR is unset)")?;
    let name = std::env::var("TRUNK_HTML_FILE")
        .ok()
        .and_then(|f| {
            Path::new(&f)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "index.html".into());
    let path = staging.join(name);
    let html =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let filled = fill(&html)?;
    fs::write(&path, filled).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_what_browsers_compute() {
        // Known SHA-256 of the empty string and of "abc".
        assert_eq!(
            hash_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert_eq!(
            hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }

    #[test]
    fn only_inline_scripts_are_hashed_and_the_placeholder_is_filled() {
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' \
                    INLINE_SCRIPT_HASHES\"><script src=\"a.js\"></script>\
                    <script type=\"module\">\nimport x;\n</script>";
        assert_eq!(inline_scripts(html), vec!["\nimport x;\n"]);
        let filled = fill(html).unwrap_or_default();
        assert!(filled.contains(&hash_source("\nimport x;\n")));
        assert!(check(&filled).is_ok());
        assert!(check(html).is_err());
        assert!(fill("<script>x</script>").is_err());
    }
}
