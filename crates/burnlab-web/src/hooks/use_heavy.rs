//! `use_heavy`: the one owner of the page's conversation with the heavy-core worker. It asks
//! what the open section shows, each time one of that section's inputs changes (every request
//! carries all of them), turns every answer into the section's action, and saves the files the
//! Replay section exports. The sections only show state and dispatch the user's changes.

use std::rc::Rc;

use yew::prelude::*;

use crate::services::heavy::{self, Heard, RoutingAbout};
use crate::state::replay::ReplayAction;
use crate::state::routing::RoutingAction;
use crate::state::rules::RulesAction;
use crate::state::{Action, Section, State};

/// The action an answer makes.
fn action(heard: Heard) -> Action {
    match heard {
        Heard::Rules { request, answer } => Action::Rules(RulesAction::Answer { request, answer }),
        Heard::Routing { about, answer } => Action::Routing(RoutingAction::Answer {
            config: about.config,
            intent: about.intent,
            answer,
        }),
        Heard::Replay { about, answer } => {
            if let Some(Ok(file)) = &answer.export {
                let mime = if file.name.ends_with(".sh") {
                    "text/x-shellscript"
                } else {
                    "application/yaml"
                };
                crate::services::files::download(&file.name, mime, &file.text);
            }
            Action::Replay(ReplayAction::Answer {
                rev: about.rev,
                edited: about.edited,
                took_ms: js_sys::Date::now() - about.sent_ms,
                answer,
            })
        }
        Heard::Failed(message) => Action::WorkerFailed(message),
    }
}

/// Talks to the heavy core for the open `section` of `state`; answers go to `dispatch`.
/// Returns whether a replay is in flight or waiting, for the Replay section's "computing".
#[hook]
pub fn use_heavy(state: &Rc<State>, section: Section, dispatch: &Callback<Action>) -> bool {
    let busy = use_state_eq(|| false);
    {
        let dispatch = dispatch.clone();
        let busy = busy.clone();
        use_effect_with((), move |()| {
            heavy::listen(Callback::from(move |heard: Heard| {
                busy.set(heavy::replay_busy());
                dispatch.emit(action(heard));
            }));
        });
    }

    // The Rules section's rules; the routing and replay requests carry them too.
    let rules = (section == Section::Rules)
        .then(|| state.rules.request())
        .flatten();
    use_effect_with(rules, |request| {
        if let Some(r) = request {
            heavy::rules(Rc::new(r.clone()));
        }
    });

    // The Routing section: the config by its shared text (compared by pointer first, so a
    // tester keystroke does not compare a 1 MB config), the tester, the hygiene table's rules
    // and the generator form.
    let routing = (section == Section::Routing).then(|| {
        let r = &state.routing;
        (
            r.config.clone(),
            r.mode,
            r.test.clone(),
            state.rules.input(None),
            r.intent.clone(),
        )
    });
    {
        let state = state.clone();
        use_effect_with(routing, move |key| {
            if let Some((config, _, _, rules, intent)) = key {
                let about = RoutingAbout {
                    config: config.clone(),
                    intent: Box::new(intent.clone()),
                };
                heavy::routing(state.routing.request(rules.clone()), about);
            }
        });
    }

    use_replay(state, section, &busy);
    *busy
}

/// The first-load build has no Replay section: it hands the tab to the full build first.
#[cfg(feature = "first-load")]
#[hook]
fn use_replay(_state: &Rc<State>, _section: Section, _busy: &UseStateHandle<bool>) {}

/// The Replay section's requests: every input of every section the replay reads, and the
/// files asked for.
#[cfg(not(feature = "first-load"))]
#[hook]
fn use_replay(state: &Rc<State>, section: Section, busy: &UseStateHandle<bool>) {
    use crate::services::heavy::ReplayAbout;

    let replay = &state.replay;
    let routing = &state.routing;
    let request = (section == Section::Replay)
        .then(|| replay.request(&state.rules, Some((&routing.config, routing.mode))))
        .flatten();
    let about = ReplayAbout {
        rev: replay.rev,
        edited: replay.edited,
        sent_ms: 0.0,
    };
    {
        let busy = busy.clone();
        use_effect_with(
            (request.clone(), about.rev, about.edited),
            move |(r, _, _)| {
                if let Some(r) = r {
                    busy.set(true);
                    heavy::replay(r.clone(), about);
                }
            },
        );
    }
    let busy = busy.clone();
    use_effect_with(replay.export, move |export| {
        if let (Some((kind, _)), Some(mut r)) = (export, request) {
            r.export = Some(*kind);
            busy.set(true);
            heavy::replay(r, about);
        }
    });
}
