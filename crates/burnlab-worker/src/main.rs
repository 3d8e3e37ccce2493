//! The heavy-core worker: decodes each message from the page as a [`burnlab_protocol::Request`],
//! answers it with one [`Session`] kept for the worker's life, and posts the encoded
//! [`Response`] back. Everything it knows is in the protocol crate and the core; this file
//! only moves bytes.
//!
//! Trunk builds it as a `data-type="worker"` module with a loader shim (`burnlab-worker_loader.js`
//! imports the wasm-bindgen glue and starts the module), so it loads from the page's own files
//! only when a section needs it. It posts [`Response::Ready`] once it listens: messages sent to
//! a worker before its handler is set would be lost.
//!
//! Two messages stop the worker on purpose, for the page's end-to-end test of a heavy core that
//! dies (`tests/e2e/crash.spec.ts`): nothing the core answers is known to panic, yet the page must
//! survive it when something does. They are strings ([`TEST_PANIC`], [`TEST_TRAP`]), while the page
//! only ever posts bytes (an encoded request), so no input, link or stored state reaches them;
//! only script running in the page itself can post them. They live here rather than in the
//! protocol so the session and its fuzz target never see them.

use std::cell::RefCell;
use std::rc::Rc;

use burnlab_protocol::{Request, Response, Session, decode, encode};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Makes the worker panic as a bug in the heavy core would: the panic hook reports it, then the
/// release build aborts (a trap), and the page starts a fresh worker on the next request.
const TEST_PANIC: &str = "burnlab-worker test: panic";

/// Makes the worker trap without a panic (as a wasm stack overflow or an out-of-memory would):
/// nothing is reported first, and the page says only that the engine stopped.
const TEST_TRAP: &str = "burnlab-worker test: trap";

/// Stops the worker when `data` is one of the test messages; returns otherwise.
fn stop_if_asked(data: &wasm_bindgen::JsValue) {
    match data.as_string().as_deref() {
        Some(TEST_PANIC) => panic!("the crash test asked the heavy core to panic"),
        Some(TEST_TRAP) => std::process::abort(),
        _ => {}
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let bytes = encode(response);
    let array = Uint8Array::from(bytes.as_slice());
    // A failed post means the page is gone; there is nobody left to tell.
    let _ = scope.post_message(&array);
}

/// What the page shows when the heavy core panics: the panic's own words, so a report can say
/// where. Release builds abort after the hook, which the page sees as the worker's `error`
/// event; it then starts a fresh worker, and the user's text, kept by the page, is untouched.
fn report_panic(scope: &DedicatedWorkerGlobalScope, info: &std::panic::PanicHookInfo<'_>) {
    let message = format!(
        "it stopped on this input ({info}), a bug in burnlab worth reporting with the input; your text is kept, and the engine starts again with your next edit"
    );
    post(scope, &Response::Failed { message });
}

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let panic_scope = scope.clone();
    std::panic::set_hook(Box::new(move |info| report_panic(&panic_scope, info)));
    let session = Rc::new(RefCell::new(Session::new()));
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        stop_if_asked(&data);
        let bytes = Uint8Array::new(&data).to_vec();
        let response = match decode::<Request>(&bytes) {
            Ok(request) => session.borrow_mut().answer(request),
            Err(message) => Response::Failed { message },
        };
        post(&reply_to, &response);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Response::Ready);
}
