//! Compressing a shared link's state with the browser's own deflate (`CompressionStream`), so a
//! typical Alertmanager config fits in a link without shipping a compressor in the page, and
//! writing the bytes in base64url, the alphabet that needs no escaping in a URL fragment.

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableWritablePair, Response, WritableStream};

// web-sys has these behind its unstable-API flag; the few members used are bound here instead.
#[wasm_bindgen]
extern "C" {
    /// The browser's `CompressionStream`.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    /// The browser's `DecompressionStream`.
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// Why bytes could not be (de)compressed, in words for a notice.
fn fail(what: &str, e: &JsValue) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_default();
    if detail.is_empty() {
        what.to_owned()
    } else {
        format!("{what}: {detail}")
    }
}

/// Runs `bytes` through a compression or decompression stream and collects the output.
async fn through(
    bytes: &[u8],
    readable: ReadableStream,
    writable: WritableStream,
) -> Result<Vec<u8>, JsValue> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts)?;
    let out = blob
        .stream()
        .pipe_through(&ReadableWritablePair::new(&readable, &writable));
    let response = Response::new_with_opt_readable_stream(Some(&out))?;
    let buffer: ArrayBuffer = JsFuture::from(response.array_buffer()?).await?.dyn_into()?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// `bytes` compressed with raw deflate; an error if the browser has no `CompressionStream`.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let stream = CompressionStream::new("deflate-raw")
        .map_err(|e| fail("this browser cannot compress", &e))?;
    through(bytes, stream.readable(), stream.writable())
        .await
        .map_err(|e| fail("compressing failed", &e))
}

/// `bytes` inflated from raw deflate; an error for data that is not deflate.
pub async fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let stream = DecompressionStream::new("deflate-raw")
        .map_err(|e| fail("this browser cannot decompress", &e))?;
    through(bytes, stream.readable(), stream.writable())
        .await
        .map_err(|e| fail("the data is damaged", &e))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            if let Some(&c) = ALPHABET.get(index as usize) {
                out.push(char::from(c));
            }
        }
    }
    out
}

/// The bytes of base64url text (padding and the standard alphabet's `+/` accepted too), or the
/// position of the first character that does not belong.
pub fn from_base64url(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.trim_end_matches('=').bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                return Err(format!(
                    "character {} (`{}`) is not base64url",
                    i + 1,
                    char::from(c)
                ));
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}
