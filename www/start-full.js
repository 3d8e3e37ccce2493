// Starts the page's full build (every section, the Replay section included) once its
// wasm-bindgen script has loaded; the first-load build appends both when the Replay section
// opens. A file, not an inline script, so the Content-Security-Policy stays 'self'.
wasm_bindgen({ module_or_path: "./burnlab-web-full_bg.wasm" });
