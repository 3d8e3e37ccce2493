//! The heavy-core worker, seen from the page: started on the first request (so a visit that
//! never opens Rules, Routing or Replay never loads it), fed encoded [`burnlab::heavy::Request`]s, and
//! answering each kind's listener with the request it answered.
//!
//! At most one request of each kind is in flight; newer ones wait in one slot (a newer rules
//! request replaces the waiting one; routing requests merge field by field), so a burst of
//! keystrokes in a 1 MB config costs one parse when the worker is free again, never a queue
//! of them, and the main thread only copies text. The worker script is the page's own file
//! (`burnlab-worker_loader.js`, written by Trunk), so it works offline and under a
//! `worker-src 'self'` policy.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burnlab::heavy::{Request, Response, RoutingRequest, RulesRequest, decode, encode};
use burnlab::intent::IntentForm;
use burnlab::replay::session::ReplayRequest;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

/// The worker's loader, next to index.html.
const WORKER_URL: &str = "./burnlab-worker_loader.js";

/// What a routing answer is about: the config text and the generator form it carried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingAbout {
    /// The config text, when the request carried one.
    pub config: Option<Rc<str>>,
    /// The generator form, when the request carried one.
    pub intent: Option<IntentForm>,
}

/// What a replay answer is about: the scenario revision the request carried, whether it carried
/// the editor's data, and when it was sent (ms, the page's clock).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReplayAbout {
    /// The scenario's revision.
    pub rev: u64,
    /// Whether the request carried the editor's data rather than the text.
    pub edited: bool,
    /// When the request was posted.
    pub sent_ms: f64,
}

/// One kind's request in flight and the one waiting.
struct Slot<T> {
    in_flight: Option<T>,
    waiting: Option<T>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self {
            in_flight: None,
            waiting: None,
        }
    }
}

#[derive(Default)]
struct Heavy {
    worker: Option<Worker>,
    ready: bool,
    failed: Option<String>,
    seq: u64,
    rules: Slot<Rc<RulesRequest>>,
    routing: Slot<(RoutingRequest, RoutingAbout)>,
    /// Every routing field posted to the running worker, the newest of each: what its session
    /// holds (the config, the tester's inputs, the rules for the hygiene table). A fresh worker
    /// after a crash gets it again with its first request, since a tester keystroke alone
    /// carries no config and the section sends the config only when it changes.
    routing_held: Option<(RoutingRequest, RoutingAbout)>,
    /// The replay's request in flight is known by what it carried; the waiting one whole.
    replay_in_flight: Option<ReplayAbout>,
    replay_waiting: Option<(Box<ReplayRequest>, ReplayAbout)>,
    on_rules: Option<Callback<(Response, Option<Rc<RulesRequest>>)>>,
    on_routing: Option<Callback<(Response, RoutingAbout)>>,
    on_replay: Option<Callback<(Response, ReplayAbout)>>,
}

thread_local! {
    static HEAVY: RefCell<Heavy> = RefCell::new(Heavy::default());
    /// Whether the worker has answered with a failure (its panic hook posts one before the
    /// worker dies), so its `error` event need not say it again.
    static REPORTED: Cell<bool> = const { Cell::new(false) };
}

/// Merges `newer` into `older`: a field the newer request leaves `None` keeps the older one.
fn merge(
    (older, older_about): (RoutingRequest, RoutingAbout),
    (newer, about): (RoutingRequest, RoutingAbout),
) -> (RoutingRequest, RoutingAbout) {
    (
        RoutingRequest {
            config: newer.config.or(older.config),
            test: newer.test.or(older.test),
            rules: newer.rules.or(older.rules),
            intent: newer.intent.or(older.intent),
        },
        RoutingAbout {
            config: about.config.or(older_about.config),
            intent: about.intent.or(older_about.intent),
        },
    )
}

fn post(worker: &Worker, request: &Request) -> Result<(), String> {
    let bytes = encode(request);
    let array = Uint8Array::from(bytes.as_slice());
    worker
        .post_message(&array)
        .map_err(|e| format!("cannot post to the heavy core: {e:?}"))
}

fn fail(message: String) {
    let (rules, routing, replay) = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        h.failed = Some(message.clone());
        h.rules = Slot::default();
        h.routing = Slot::default();
        h.replay_in_flight = None;
        h.replay_waiting = None;
        (
            h.on_rules.clone(),
            h.on_routing.clone(),
            h.on_replay.clone(),
        )
    });
    let failed = Response::Failed { message };
    if let Some(cb) = replay {
        cb.emit((failed.clone(), ReplayAbout::default()));
    }
    if let Some(cb) = rules {
        cb.emit((failed.clone(), None));
    }
    if let Some(cb) = routing {
        cb.emit((failed, RoutingAbout::default()));
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
        if h.rules.in_flight.is_none()
            && let Some(request) = h.rules.waiting.take()
        {
            h.seq += 1;
            let seq = h.seq;
            post(
                &worker,
                &Request::Rules {
                    seq,
                    request: (*request).clone(),
                },
            )?;
            h.rules.in_flight = Some(request);
        }
        if h.routing.in_flight.is_none()
            && let Some((request, about)) = h.routing.waiting.take()
        {
            h.seq += 1;
            let seq = h.seq;
            let posted = (request.clone(), about.clone());
            post(
                &worker,
                &Request::Routing {
                    seq,
                    request: Box::new(request),
                },
            )?;
            h.routing.in_flight = Some((RoutingRequest::default(), about));
            h.routing_held = Some(match h.routing_held.take() {
                Some(held) => merge(held, posted),
                None => posted,
            });
        }
        if h.replay_in_flight.is_none()
            && let Some((request, mut about)) = h.replay_waiting.take()
        {
            h.seq += 1;
            let seq = h.seq;
            about.sent_ms = js_sys::Date::now();
            post(&worker, &Request::Replay { seq, request })?;
            h.replay_in_flight = Some(about);
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
    type Deliveries = (
        Option<(
            Callback<(Response, Option<Rc<RulesRequest>>)>,
            Option<Rc<RulesRequest>>,
        )>,
        Option<(Callback<(Response, RoutingAbout)>, RoutingAbout)>,
        Option<(Callback<(Response, ReplayAbout)>, ReplayAbout)>,
    );
    let deliver: Deliveries = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        match &response {
            Response::Ready => {
                h.ready = true;
                (None, None, None)
            }
            Response::Rules { .. } => {
                let request = h.rules.in_flight.take();
                (h.on_rules.clone().map(|cb| (cb, request)), None, None)
            }
            Response::Replay { .. } => {
                let about = h.replay_in_flight.take().unwrap_or_default();
                (None, None, h.on_replay.clone().map(|cb| (cb, about)))
            }
            Response::Routing { .. } => {
                let about = h
                    .routing
                    .in_flight
                    .take()
                    .map(|(_, a)| a)
                    .unwrap_or_default();
                (None, h.on_routing.clone().map(|cb| (cb, about)), None)
            }
            Response::Failed { .. } => {
                REPORTED.set(true);
                let request = h.rules.in_flight.take();
                h.routing.in_flight = None;
                let replay = h.replay_in_flight.take().unwrap_or_default();
                (
                    h.on_rules.clone().map(|cb| (cb, request)),
                    h.on_routing.clone().map(|cb| (cb, RoutingAbout::default())),
                    h.on_replay.clone().map(|cb| (cb, replay)),
                )
            }
        }
    });
    let (rules, routing, replay) = deliver;
    if let Some((cb, about)) = replay {
        cb.emit((response.clone(), about));
    }
    if let Some((cb, request)) = rules {
        cb.emit((response.clone(), request));
    }
    if let Some((cb, about)) = routing {
        cb.emit((response, about));
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
            let onerror =
                Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| on_worker_error(&e));
            worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            onerror.forget();
            HEAVY.with(|h| {
                let mut h = h.borrow_mut();
                h.worker = Some(worker);
                // A fresh worker after a crash: what the last one held goes first, under
                // anything newer that waits.
                if let Some(held) = h.routing_held.take() {
                    h.routing.waiting = Some(match h.routing.waiting.take() {
                        Some(waiting) => merge(held, waiting),
                        None => held,
                    });
                }
            });
        }
        Err(e) => fail(format!("cannot start the heavy core: {e:?}")),
    }
}

/// The worker's `error` event. Before the worker said it is ready, it could not load, and a new
/// one would fail the same way. Once ready, it stopped while answering: a panic in the heavy
/// core (release builds abort after the panic hook, which has posted what happened) or a trap.
/// A wasm instance is not to be trusted after either, so the worker is ended, what was in
/// flight is answered with a failure (the replay's too), and the next request (one already
/// waiting included) starts a fresh worker, which is first given what the routing session held.
/// The user's text lives in the page's state and storage, untouched. Nothing is retried by
/// itself: an input that crashes the worker costs one worker per edit, never a loop.
fn on_worker_error(event: &web_sys::Event) {
    let dead = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        if !h.ready {
            return None;
        }
        h.ready = false;
        h.rules.in_flight = None;
        h.routing.in_flight = None;
        // A replay in flight would otherwise hold its slot for ever and the section would say
        // it is computing until a reload.
        let replay = h.replay_in_flight.take();
        Some((
            h.worker.take(),
            h.on_rules.clone(),
            h.on_routing.clone(),
            h.on_replay
                .clone()
                .map(|cb| (cb, replay.unwrap_or_default())),
        ))
    });
    let Some((worker, rules, routing, replay)) = dead else {
        fail("the heavy core (burnlab-worker) could not load; reload the page to try again".into());
        return;
    };
    // Handled here: the browser need not report the worker's error again as the page's own.
    event.prevent_default();
    if let Some(worker) = worker {
        worker.terminate();
    }
    if !REPORTED.replace(false) {
        let failed = Response::Failed {
            message: "it stopped unexpectedly on this input; your text is kept, and the engine starts again with your next edit".into(),
        };
        if let Some((cb, about)) = replay {
            cb.emit((failed.clone(), about));
        }
        if let Some(cb) = rules {
            cb.emit((failed.clone(), None));
        }
        if let Some(cb) = routing {
            cb.emit((failed, RoutingAbout::default()));
        }
    }
    let waiting = HEAVY.with(|h| {
        let h = h.borrow();
        h.rules.waiting.is_some() || h.routing.waiting.is_some() || h.replay_waiting.is_some()
    });
    if waiting {
        start();
    }
}

/// Ends the worker and forgets everything about it, for good: the first-load build calls this
/// when it hands the tab to the full build, which starts a worker of its own; the first-load
/// build's would otherwise stay alive, idle, holding its memory.
pub fn stop() {
    let worker = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        let worker = h.worker.take();
        *h = Heavy::default();
        worker
    });
    if let Some(worker) = worker {
        worker.set_onmessage(None);
        worker.set_onerror(None);
        worker.terminate();
    }
}

/// Where rules answers go, each with the request it answers.
pub fn on_rules(listener: Callback<(Response, Option<Rc<RulesRequest>>)>) {
    HEAVY.with(|h| h.borrow_mut().on_rules = Some(listener));
}

/// Where routing answers go, each with what it is about.
pub fn on_routing(listener: Callback<(Response, RoutingAbout)>) {
    HEAVY.with(|h| h.borrow_mut().on_routing = Some(listener));
}

/// Asks for rules; a newer request replaces one still waiting.
pub fn rules(request: Rc<RulesRequest>) {
    start();
    HEAVY.with(|h| h.borrow_mut().rules.waiting = Some(request));
    pump();
}

/// Asks the routing questions of `request`, merged with any still waiting.
pub fn routing(request: RoutingRequest, about: RoutingAbout) {
    start();
    HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        let next = match h.routing.waiting.take() {
            Some(older) => merge(older, (request, about)),
            None => (request, about),
        };
        h.routing.waiting = Some(next);
    });
    pump();
}

/// Where replay answers go, each with what its request carried.
pub fn on_replay(listener: Callback<(Response, ReplayAbout)>) {
    HEAVY.with(|h| h.borrow_mut().on_replay = Some(listener));
}

/// Asks for a replay. A newer request replaces one still waiting, keeping its export: a
/// download asked for during a drag is not lost.
pub fn replay(mut request: ReplayRequest, about: ReplayAbout) {
    start();
    HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        if let Some((older, _)) = h.replay_waiting.take() {
            request.export = request.export.or(older.export);
        }
        h.replay_waiting = Some((Box::new(request), about));
    });
    pump();
}

/// Whether a replay is in flight or waiting: the Replay section shows that it is computing.
pub fn replay_busy() -> bool {
    HEAVY.with(|h| {
        let h = h.borrow();
        h.replay_in_flight.is_some() || h.replay_waiting.is_some()
    })
}
