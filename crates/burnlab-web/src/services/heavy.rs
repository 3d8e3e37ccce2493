//! The heavy-core worker, seen from the page: started on the first request (so a visit that
//! never opens Rules, Routing or Replay never loads it), fed encoded
//! [`burnlab_protocol::Request`]s, and telling its one listener ([`listen`]) each answer with
//! what its request carried.
//!
//! Every request carries all of its section's inputs. At most one request of each kind is in
//! flight; a newer one waits in one slot, replacing the one waiting, so a burst of keystrokes
//! in a 1 MB config costs one parse when the worker is free again, never a queue of them, and
//! the main thread only copies text. A worker that dies is ended and the next request starts a
//! fresh one, which answers that request in full: nothing needs to be sent again. The worker
//! script is the page's own file (`burnlab-worker_loader.js`, written by Trunk), so it works
//! offline and under a `worker-src 'self'` policy.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burnlab::intent::IntentForm;
use burnlab_protocol::replay::{ReplayAnswer, ReplayRequest};
use burnlab_protocol::routing::{RoutingAnswer, RoutingRequest};
use burnlab_protocol::rules::{RulesAnswer, RulesRequest};
use burnlab_protocol::{Request, Response, decode, encode};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

/// The worker's loader, next to index.html.
const WORKER_URL: &str = "./burnlab-worker_loader.js";

/// What a routing answer is about: the config text and the generator form its request carried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingAbout {
    /// The config text.
    pub config: Rc<str>,
    /// The generator form.
    pub intent: Box<IntentForm>,
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

/// What the worker said, with what the request it answers carried.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// The Rules section's answer.
    Rules {
        /// The request answered.
        request: Rc<RulesRequest>,
        /// The answer.
        answer: Box<RulesAnswer>,
    },
    /// The Routing section's answer.
    Routing {
        /// What the request carried.
        about: RoutingAbout,
        /// The answer.
        answer: Box<RoutingAnswer>,
    },
    /// The Replay section's answer.
    Replay {
        /// What the request carried.
        about: ReplayAbout,
        /// The answer.
        answer: Box<ReplayAnswer>,
    },
    /// The worker could not start, could not read a request, or stopped on one; the message
    /// says which. Every request in flight is answered by this.
    Failed(String),
}

/// One kind's request in flight (known by what it carried) and the one waiting.
struct Slot<R, A> {
    in_flight: Option<A>,
    waiting: Option<(R, A)>,
}

impl<R, A> Slot<R, A> {
    /// The request waiting, taken if none of its kind is in flight.
    fn next(&mut self) -> Option<(R, A)> {
        self.in_flight
            .is_none()
            .then(|| self.waiting.take())
            .flatten()
    }
}

impl<R, A> Default for Slot<R, A> {
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
    rules: Slot<(), Rc<RulesRequest>>,
    routing: Slot<RoutingRequest, RoutingAbout>,
    replay: Slot<Box<ReplayRequest>, ReplayAbout>,
    listener: Option<Callback<Heard>>,
}

impl Heavy {
    /// The sequence number of the next request posted.
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn waiting(&self) -> bool {
        self.rules.waiting.is_some()
            || self.routing.waiting.is_some()
            || self.replay.waiting.is_some()
    }

    /// Forgets what is in flight: its answers will never come.
    fn drop_in_flight(&mut self) {
        self.rules.in_flight = None;
        self.routing.in_flight = None;
        self.replay.in_flight = None;
    }
}

thread_local! {
    static HEAVY: RefCell<Heavy> = RefCell::new(Heavy::default());
    /// Whether the worker has answered with a failure (its panic hook posts one before the
    /// worker dies), so its `error` event need not say it again.
    static REPORTED: Cell<bool> = const { Cell::new(false) };
}

fn post(worker: &Worker, request: &Request) -> Result<(), String> {
    let bytes = encode(request);
    let array = Uint8Array::from(bytes.as_slice());
    worker
        .post_message(&array)
        .map_err(|e| format!("cannot post to the heavy core: {e:?}"))
}

fn tell(heard: Heard) {
    if let Some(listener) = HEAVY.with(|h| h.borrow().listener.clone()) {
        listener.emit(heard);
    }
}

/// The worker cannot be used: every request in flight or waiting is dropped, and the listener
/// hears why.
fn fail(message: String) {
    HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        h.failed = Some(message.clone());
        h.rules = Slot::default();
        h.routing = Slot::default();
        h.replay = Slot::default();
    });
    tell(Heard::Failed(message));
}

/// Sends what waits in each slot whose kind is free, once the worker is ready.
fn pump() {
    let result = HEAVY.with(|h| -> Result<(), String> {
        let mut h = h.borrow_mut();
        let Some(worker) = h.worker.clone().filter(|_| h.ready) else {
            return Ok(());
        };
        if let Some(((), request)) = h.rules.next() {
            let seq = h.next_seq();
            post(
                &worker,
                &Request::Rules {
                    seq,
                    request: (*request).clone(),
                },
            )?;
            h.rules.in_flight = Some(request);
        }
        if let Some((request, about)) = h.routing.next() {
            let seq = h.next_seq();
            let request = Box::new(request);
            post(&worker, &Request::Routing { seq, request })?;
            h.routing.in_flight = Some(about);
        }
        if let Some((request, mut about)) = h.replay.next() {
            let seq = h.next_seq();
            about.sent_ms = js_sys::Date::now();
            post(&worker, &Request::Replay { seq, request })?;
            h.replay.in_flight = Some(about);
        }
        Ok(())
    });
    if let Err(e) = result {
        fail(e);
    }
}

/// The Replay answers this build decodes: the first load has no Replay section (it hands the
/// tab to the full build) and asks none, so it carries no decoder for them.
#[cfg(not(feature = "first-load"))]
type ReplayAnswers = Box<burnlab_protocol::replay::ReplayAnswer>;
#[cfg(feature = "first-load")]
type ReplayAnswers = burnlab_protocol::NotAsked;

#[cfg(not(feature = "first-load"))]
fn replay_heard(about: ReplayAbout, answer: ReplayAnswers) -> Option<Heard> {
    Some(Heard::Replay { about, answer })
}

#[cfg(feature = "first-load")]
fn replay_heard(_: ReplayAbout, _: ReplayAnswers) -> Option<Heard> {
    None
}

fn on_message(event: MessageEvent) {
    let bytes = Uint8Array::new(&event.data()).to_vec();
    let response = decode::<Response<ReplayAnswers>>(&bytes)
        .unwrap_or_else(|message| Response::Failed { message });
    let heard = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        match response {
            Response::Ready => {
                h.ready = true;
                None
            }
            Response::Rules { answer, .. } => h
                .rules
                .in_flight
                .take()
                .map(|request| Heard::Rules { request, answer }),
            Response::Routing { answer, .. } => h
                .routing
                .in_flight
                .take()
                .map(|about| Heard::Routing { about, answer }),
            Response::Replay { answer, .. } => {
                let about = h.replay.in_flight.take().unwrap_or_default();
                replay_heard(about, answer)
            }
            Response::Failed { message } => {
                REPORTED.set(true);
                h.drop_in_flight();
                Some(Heard::Failed(message))
            }
        }
    });
    if let Some(heard) = heard {
        tell(heard);
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
            HEAVY.with(|h| h.borrow_mut().worker = Some(worker));
        }
        Err(e) => fail(format!("cannot start the heavy core: {e:?}")),
    }
}

/// The worker's `error` event. Before the worker said it is ready, it could not load, and a new
/// one would fail the same way. Once ready, it stopped while answering: a panic in the heavy
/// core (release builds abort after the panic hook, which has posted what happened) or a trap.
/// A wasm instance is not to be trusted after either, so the worker is ended, what was in
/// flight is answered with a failure, and the next request (one already waiting included)
/// starts a fresh worker, which answers it in full. The user's text lives in the page's state
/// and storage, untouched. Nothing is retried by itself: an input that crashes the worker costs
/// one worker per edit, never a loop.
fn on_worker_error(event: &web_sys::Event) {
    let dead = HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        if !h.ready {
            return None;
        }
        h.ready = false;
        h.drop_in_flight();
        Some(h.worker.take())
    });
    let Some(worker) = dead else {
        fail("the heavy core (burnlab-worker) could not load; reload the page to try again".into());
        return;
    };
    // Handled here: the browser need not report the worker's error again as the page's own.
    event.prevent_default();
    if let Some(worker) = worker {
        worker.terminate();
    }
    if !REPORTED.replace(false) {
        tell(Heard::Failed(
            "it stopped unexpectedly on this input; your text is kept, and the engine starts again with your next edit".into(),
        ));
    }
    if HEAVY.with(|h| h.borrow().waiting()) {
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

/// Where every answer goes.
pub fn listen(listener: Callback<Heard>) {
    HEAVY.with(|h| h.borrow_mut().listener = Some(listener));
}

/// Asks for rules; a newer request replaces one still waiting.
pub fn rules(request: Rc<RulesRequest>) {
    start();
    HEAVY.with(|h| h.borrow_mut().rules.waiting = Some(((), request)));
    pump();
}

/// Asks the Routing section's questions; a newer request replaces one still waiting.
pub fn routing(request: RoutingRequest, about: RoutingAbout) {
    start();
    HEAVY.with(|h| h.borrow_mut().routing.waiting = Some((request, about)));
    pump();
}

/// Asks for a replay. A newer request replaces one still waiting, keeping its export: a
/// download asked for during a drag is not lost.
pub fn replay(mut request: ReplayRequest, about: ReplayAbout) {
    start();
    HEAVY.with(|h| {
        let mut h = h.borrow_mut();
        if let Some((older, _)) = h.replay.waiting.take() {
            request.export = request.export.or(older.export);
        }
        h.replay.waiting = Some((Box::new(request), about));
    });
    pump();
}

/// Whether a replay is in flight or waiting: the Replay section shows that it is computing.
pub fn replay_busy() -> bool {
    HEAVY.with(|h| {
        let h = h.borrow();
        h.replay.in_flight.is_some() || h.replay.waiting.is_some()
    })
}
