//! The heavy-core worker, seen from the page: started on the first request (so a visit that
//! never opens Rules or Routing never loads it), fed encoded [`burnlab::heavy::Request`]s and
//! answering [`Response`]s to the listener of each kind.
//!
//! At most one request of each kind is in flight; newer ones wait in one slot, merged, so a
//! burst of keystrokes in a 1 MB config costs one parse when the worker is free again, never a
//! queue of them, and the main thread only copies text. The worker script is the page's own
//! file (`burnlab-worker_loader.js`, written by Trunk), so it works offline and under a
//! `worker-src 'self'` policy.

use std::cell::RefCell;
use std::rc::Rc;

use burnlab::heavy::{Request, Response, RoutingRequest, decode, encode};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

/// The worker's loader, next to index.html.
const WORKER_URL: &str = "./burnlab-worker_loader.js";

/// One kind's in-flight flag and waiting request.
#[derive(Default)]
struct Slot<T> {
    in_flight: bool,
    waiting: Option<T>,
}

#[derive(Default)]
struct Heavy {
    worker: Option<Worker>,
    ready: bool,
    failed: Option<String>,
    seq: u64,
    lint: Slot<String>,
    routing: Slot<(RoutingRequest, Option<Rc<str>>)>,
    on_lint: Option<Callback<(Response, Option<String>)>>,
    on_routing: Option<Callback<(Response, Option<Rc<str>>)>>,
    /// The text of the lint request in flight, handed back with its answer.
    lint_text: Option<String>,
    /// The config text of the routing request in flight, handed back with its answer.
    routing_config: Option<Rc<str>>,
}

thread_local! {
    static HEAVY: RefCell<Heavy> = RefCell::new(Heavy::default());
}

/// Merges `newer` into `older`: a field the newer request leaves `None` keeps the older one.
fn merge(older: RoutingRequest, newer: RoutingRequest) -> RoutingRequest {
    RoutingRequest {
        config: newer.config.or(older.config),
        test: newer.test.or(older.test),
        rules: newer.rules.or(older.rules),
    }
}

fn post(worker: &Worker, request: &Request) -> Result<(), String> {
    let bytes = encode(request);
    let array = Uint8Array::from(bytes.as_slice());
    worker
        .post_message(&array)
        .map_err(|e| format!("cannot post to the heavy core: {e:?}"))
}

fn fail(message: String) {
    let (lint, routing) = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        h.failed = Some(message.clone());
        (h.on_lint.clone(), h.on_routing.clone())
    });
    let failed = Response::Failed { message };
    if let Some(cb) = lint {
        cb.emit((failed.clone(), None));
    }
    if let Some(cb) = routing {
        cb.emit((failed, None));
    }
}

/// Sends what waits in each slot whose kind is free, once the worker is ready.
fn pump() {
    let result = HEAVY.with(|h| -> Result<(), String> {
        let mut h = h.borrow_mut();
        let Some(worker) = h.worker.clone() else {
            return Ok(());
        };
        if !h.ready {
            return Ok(());
        }
        if !h.lint.in_flight
            && let Some(text) = h.lint.waiting.take()
        {
            h.seq += 1;
            let seq = h.seq;
            h.lint.in_flight = true;
            h.lint_text = Some(text.clone());
            post(&worker, &Request::Lint { seq, text })?;
        }
        if !h.routing.in_flight
            && let Some((request, config)) = h.routing.waiting.take()
        {
            h.seq += 1;
            let seq = h.seq;
            h.routing.in_flight = true;
            h.routing_config = config;
            post(&worker, &Request::Routing { seq, request })?;
        }
        Ok(())
    });
    if let Err(e) = result {
        fail(e);
    }
}

fn on_message(event: MessageEvent) {
    let bytes = Uint8Array::new(&event.data()).to_vec();
    let response = match decode::<Response>(&bytes) {
        Ok(r) => r,
        Err(message) => Response::Failed { message },
    };
    let deliver = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        match &response {
            Response::Ready => {
                h.ready = true;
                None
            }
            Response::Lint { .. } => {
                h.lint.in_flight = false;
                let text = h.lint_text.take();
                h.on_lint.clone().map(|cb| (Some((cb, text)), None))
            }
            Response::Routing { .. } => {
                h.routing.in_flight = false;
                let config = h.routing_config.take();
                h.on_routing.clone().map(|cb| (None, Some((cb, config))))
            }
            Response::Failed { .. } => {
                h.lint.in_flight = false;
                h.routing.in_flight = false;
                Some((
                    h.on_lint.clone().map(|cb| (cb, None)),
                    h.on_routing.clone().map(|cb| (cb, None)),
                ))
            }
        }
    });
    if let Some((lint, routing)) = deliver {
        if let Some((cb, text)) = lint {
            cb.emit((response.clone(), text));
        }
        if let Some((cb, config)) = routing {
            cb.emit((response, config));
        }
    }
    pump();
}

/// Starts the worker if it is not running.
fn start() {
    let started = HEAVY.with(|h| h.borrow().worker.is_some() || h.borrow().failed.is_some());
    if started {
        return;
    }
    match Worker::new(WORKER_URL) {
        Ok(worker) => {
            let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
            worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
            onmessage.forget();
            let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| {
                fail("the heavy core (burnlab-worker) could not load".into());
            });
            worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            onerror.forget();
            HEAVY.with(|h| h.borrow_mut().worker = Some(worker));
        }
        Err(e) => fail(format!("cannot start the heavy core: {e:?}")),
    }
}

/// Where lint answers go, each with the text it linted.
pub fn on_lint(listener: Callback<(Response, Option<String>)>) {
    HEAVY.with(|h| h.borrow_mut().on_lint = Some(listener));
}

/// Where routing answers go, each with the config text it read (if it read one).
pub fn on_routing(listener: Callback<(Response, Option<Rc<str>>)>) {
    HEAVY.with(|h| h.borrow_mut().on_routing = Some(listener));
}

/// Asks for the lint of `text`; a newer request replaces one still waiting.
pub fn lint(text: String) {
    start();
    HEAVY.with(|h| h.borrow_mut().lint.waiting = Some(text));
    pump();
}

/// Asks the routing questions of `request`, merged with any still waiting. `config` is the
/// config text the request carries, handed back with the answer.
pub fn routing(request: RoutingRequest, config: Option<Rc<str>>) {
    start();
    HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        let (merged, text) = match h.routing.waiting.take() {
            Some((older, older_text)) => (merge(older, request), config.or(older_text)),
            None => (request, config),
        };
        h.routing.waiting = Some((merged, text));
    });
    pump();
}
