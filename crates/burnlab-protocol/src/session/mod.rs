//! The worker's side: one [`Session`] for the worker's life answers every request, keeping
//! what later requests build on. The configs read and the rules read are shared by the
//! sections that carry them ([`configs`], [`rules`]); each section's own memory of its last
//! request is in its module ([`routing`], [`replay`]).

mod configs;
mod replay;
mod routing;
mod rules;

use crate::{Request, Response};

/// What the worker keeps between requests.
#[derive(Debug, Default)]
pub struct Session {
    configs: configs::Configs,
    files: rules::RuleFiles,
    routing: routing::RoutingSession,
    replay: replay::ReplaySession,
}

impl Session {
    /// A session with nothing read yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers one request.
    pub fn answer(&mut self, request: Request) -> Response {
        match request {
            Request::Rules { seq, request } => Response::Rules {
                seq,
                answer: Box::new(rules::answer(&request, &mut self.files)),
            },
            Request::Routing { seq, request } => Response::Routing {
                seq,
                answer: Box::new(
                    self.routing
                        .answer(*request, &mut self.configs, &mut self.files),
                ),
            },
            Request::Replay { seq, request } => Response::Replay {
                seq,
                answer: Box::new(self.replay.answer(&request, &mut self.configs)),
            },
        }
    }
}
