//! The page: a summary bar that stays visible, the section list, and the open section, which the
//! URL fragment names. It also keeps the state in local storage as the user works, and asks the
//! heavy-core worker what the open section shows (`hooks::use_heavy`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::components::calculator::Calculator;
use crate::components::incident::Incident;
use crate::components::learn::{Intro, LearnSection, LessonBar};
use crate::components::notices::Notices;
#[cfg(not(feature = "first-load"))]
use crate::components::sections::replay::section::ReplaySection;
use crate::components::sections::routing::RoutingSection;
use crate::components::sections::rules::RulesSection;
use crate::components::summary::Summary;
use crate::components::tier_table::TierTable;
use crate::hooks::use_heavy::use_heavy;
use crate::services::link::{self, Start};
use crate::services::persist::{self, ShareMode};
use crate::state::{Action, Section, State};

/// Props: how the page opened.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The state's source and the section to open.
    pub start: Rc<Start>,
}

/// The reducer's state: the root [`State`] behind an `Rc`, so every render hands the sections
/// the same allocation instead of a copy.
#[derive(PartialEq)]
struct Store(Rc<State>);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.clone().reduce(action)))
    }
}

/// How long after the last edit the state goes to storage: typing stays fast, and a reload or
/// a closed tab still loses nothing because the page also saves when it is hidden.
const SAVE_DELAY_MS: u32 = 300;

/// The section's content.
fn section_view(
    section: Section,
    state: &Rc<State>,
    dispatch: &Callback<Action>,
    busy: bool,
) -> Html {
    match section {
        Section::Learn => html! {
            <LearnSection state={state.clone()} dispatch={dispatch.clone()} {section} />
        },
        Section::Budget => html! {
            <>
                <Calculator state={state.clone()} dispatch={dispatch.clone()} />
                <Incident state={state.clone()} dispatch={dispatch.clone()} />
            </>
        },
        Section::Tiers => html! {
            <TierTable state={state.clone()} dispatch={dispatch.clone()} />
        },
        Section::Rules => {
            html! { <RulesSection state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        Section::Routing => {
            html! { <RoutingSection state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        #[cfg(not(feature = "first-load"))]
        Section::Replay => {
            html! { <ReplaySection state={state.clone()} dispatch={dispatch.clone()} {busy} /> }
        }
        // The first-load build hands the tab to the full build, which has this section.
        #[cfg(feature = "first-load")]
        Section::Replay => {
            let _ = busy;
            html! { <ToFullBuild state={state.clone()} /> }
        }
    }
}

/// Props of [`ToFullBuild`].
#[cfg(feature = "first-load")]
#[derive(Properties, PartialEq)]
struct ToFullBuildProps {
    state: Rc<State>,
}

/// Saves the state and reloads into the full build (`services::full_build`).
#[cfg(feature = "first-load")]
#[function_component(ToFullBuild)]
fn to_full_build(props: &ToFullBuildProps) -> Html {
    let state = props.state.clone();
    use_effect_with((), move |()| crate::services::full_build::switch(&*state));
    html! {
        <section aria-labelledby="replay-title">
            <h2 id="replay-title">{ "Replay" }</h2>
            <p class="status computing" aria-live="polite">{ "Loading the replay…" }</p>
        </section>
    }
}

/// The whole playground.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let start = props.start.clone();
    let store = {
        let start = start.clone();
        use_reducer(move || {
            let mut state: State = persist::restore_from(&start.pairs);
            if let Some(p) = &start.problem {
                state.notices.push(p.clone());
            }
            Store(Rc::new(state))
        })
    };
    let state = store.0.clone();
    // One callback for the page's life: a new one each render would make every section's
    // props differ and redraw all of it (the replay's charts too) on every keystroke.
    let dispatch = {
        let dispatcher = store.dispatcher();
        let dispatch = use_memo((), move |()| {
            Callback::from(move |action| dispatcher.dispatch(action))
        });
        (*dispatch).clone()
    };

    // The open section follows the fragment, so links, the back button and bookmarks work.
    let section = use_state_eq(|| start.section);
    let busy = use_heavy(&state, *section, &dispatch);
    // A build handed the state on a move to its section goes on with that move.
    let moved = use_mut_ref(|| start.handed_off);
    {
        let section = section.clone();
        let moved = moved.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let Some(location) = web_sys::window().map(|w| w.location()) else {
                        return;
                    };
                    let hash = location.hash().unwrap_or_default();
                    let (next, query) = link::split_fragment(&hash);
                    if !query.is_empty() {
                        // A shared link pasted into this tab: open it as a fresh load would.
                        let _ = location.reload();
                        return;
                    }
                    *moved.borrow_mut() = true;
                    section.set(next.unwrap_or_default());
                })
            });
            move || drop(listener)
        });
    }
    {
        // After a move to another section, start at its top with its heading focused, as after
        // following a link to a new page.
        let moved = moved.clone();
        use_effect_with(*section, move |s| {
            if std::mem::take(&mut *moved.borrow_mut())
                && let Some(w) = web_sys::window()
            {
                w.scroll_to_with_x_and_y(0.0, 0.0);
                // The open lesson step's bar comes first, when there is one: it says what to do
                // in the section below it.
                let heading = w.document().and_then(|d| {
                    d.get_element_by_id("lesson-bar-title")
                        .filter(|_| *s != Section::Learn)
                        .or_else(|| d.get_element_by_id(&format!("{}-title", s.slug())))
                });
                if let Some(h) = heading
                    .and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok())
                {
                    // Focusable by script only, whichever section rendered it.
                    let _ = h.set_attribute("tabindex", "-1");
                    let _ = h.focus();
                }
            }
        });
    }

    // Storage: a moment after the last change, and at once when the page is hidden or closed.
    let latest = use_mut_ref(|| None::<Rc<State>>);
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let latest = latest.clone();
        let pending = pending.clone();
        use_effect_with(state.clone(), move |s| {
            *latest.borrow_mut() = Some(s.clone());
            crate::services::crash::remember(s);
            let latest = latest.clone();
            let timeout = Timeout::new(SAVE_DELAY_MS, move || save_now(&latest));
            // Replacing the handle cancels the previous, not yet run, save.
            *pending.borrow_mut() = Some(timeout);
        });
    }
    {
        let latest = latest.clone();
        use_effect_with((), move |()| {
            let latest2 = latest.clone();
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "pagehide", move |_| save_now(&latest)));
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .map(|d| EventListener::new(&d, "visibilitychange", move |_| save_now(&latest2)));
            move || drop((listener, hidden))
        });
    }

    let skip = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("content"))
            .and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok());
        if let Some(m) = main {
            let _ = m.focus();
        }
    });

    let current = *section;
    html! {
        <>
            <a class="skip-link" href="#content" onclick={skip}>{ "Skip to the section" }</a>
            <Summary state={state.clone()} section={current} />
            <div class="layout">
                <nav class="sections" aria-label="Sections">
                    <ul>
                        { for Section::ALL.iter().map(|s| html! {
                            <li>
                                <a href={format!("#{}", s.slug())}
                                    aria-current={(*s == current).then_some("page")}>{ s.title() }</a>
                            </li>
                        }) }
                    </ul>
                </nav>
                <main id="content" tabindex="-1">
                    <Notices notices={state.notices.clone()} replaced_work={start.replaced_work}
                        dispatch={dispatch.clone()} />
                    if current != Section::Learn {
                        <Intro state={state.clone()} dispatch={dispatch.clone()} section={current} />
                        <LessonBar state={state.clone()} dispatch={dispatch.clone()} section={current} />
                    }
                    { section_view(current, &state, &dispatch, busy) }
                </main>
            </div>
        </>
    }
}

/// Saves the latest state to local storage now.
fn save_now(latest: &Rc<RefCell<Option<Rc<State>>>>) {
    if let Some(s) = latest.borrow().as_ref() {
        persist::save_local(&persist::pairs_of(s.as_ref(), ShareMode::Local));
    }
}
