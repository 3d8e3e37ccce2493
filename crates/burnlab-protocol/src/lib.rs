//! The page's heavy core: everything the Rules, Routing and Replay sections compute (reading and
//! writing YAML, rules and runbooks, the Alertmanager model with its regex engine and
//! time-zone database, the PromQL linter, the replay) answers through this typed
//! request/response protocol, so none of it weighs on the page's first load. The page encodes a
//! [`Request`], the Web Worker built from `crates/burnlab-worker` decodes it, asks a [`Session`]
//! and sends the [`Response`] back; both sides share these types, so they cannot disagree.
//!
//! Every request carries all of its inputs: the session compares each with the last one and
//! computes only what changed, so a tester keystroke does not read a 1 MB config again, and a
//! worker started afresh (after a crash) answers the next request in full. The messages are
//! plain data (strings, numbers, the core's own types, the views here), encoded with bincode.
//!
//! The modules, lowest first: [`views`] (the SLO context every section builds on), then one
//! module per section's messages ([`rules`], [`routing`], [`replay`]), and, with the `session`
//! feature (the worker's side; the page only encodes and decodes), the session that answers
//! them.

pub mod replay;
pub mod routing;
pub mod rules;
pub mod views;

#[cfg(feature = "session")]
mod session;

#[cfg(feature = "session")]
pub use session::Session;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::replay::{ReplayAnswer, ReplayRequest};
use crate::routing::{RoutingAnswer, RoutingRequest};
use crate::rules::{RulesAnswer, RulesRequest};

/// The largest text the page hands to its heavy core (a pasted config, spec or rule file, the
/// tester's inputs). Lower than the CLI's [`burnlab::limits::CLI_MAX_INPUT_BYTES`]: the page
/// keeps the text in local storage (about 5 MB per origin, counted in UTF-16) and redraws it in
/// an editor. The session applies it where the text is read, so no caller can skip it.
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// [`MAX_INPUT_BYTES`] applied to `len` bytes of text the session reads, refused by name
/// (`what`).
#[cfg(feature = "session")]
fn sized(len: usize, what: &str) -> burnlab::Result<()> {
    burnlab::limits::check_size(len, MAX_INPUT_BYTES, what)
}

/// A request from the page, with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Rules from the form, a spec or a pasted file, with their lint.
    Rules {
        /// Sequence number, echoed back.
        seq: u64,
        /// What to compute.
        request: RulesRequest,
    },
    /// Routing: config, tester, hygiene and the generator.
    Routing {
        /// Sequence number, echoed back.
        seq: u64,
        /// Every input of the section.
        request: Box<RoutingRequest>,
    },
    /// The Replay section: a scenario through the rules and the config.
    Replay {
        /// Sequence number, echoed back.
        seq: u64,
        /// Every input of the replay.
        request: Box<ReplayRequest>,
    },
}

/// The answer to a [`Request`], with its sequence number. `R` is the type a Replay answer is
/// decoded as: the worker sends [`ReplayAnswer`]s, and a build of the page that never asks for
/// one (the first load) decodes them as [`NotAsked`], which carries no decoder for the whole
/// replay view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response<R = Box<ReplayAnswer>> {
    /// The worker listens: requests sent from now on are answered.
    Ready,
    /// The answer to a [`Request::Rules`].
    Rules {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<RulesAnswer>,
    },
    /// The answer to a [`Request::Routing`].
    Routing {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: Box<RoutingAnswer>,
    },
    /// The answer to a [`Request::Replay`].
    Replay {
        /// The request's sequence number.
        seq: u64,
        /// The answer.
        answer: R,
    },
    /// The request could not be decoded (a page and a worker from different builds), or the
    /// worker stopped on it.
    Failed {
        /// What went wrong.
        message: String,
    },
}

/// Encodes a message for `postMessage`.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    bincode::serialize(message).unwrap_or_default()
}

/// An answer a build of the page never asks for. Decoding one fails, so a build that names it
/// in place of an answer type (see [`Response`]) carries a few bytes instead of that answer's
/// decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NotAsked;

impl<'de> Deserialize<'de> for NotAsked {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "this build of the page asks for no such answer",
        ))
    }
}

/// Decodes a message; a message from another build is an error, not a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| format!("cannot decode a heavy-core message: {e}"))
}
