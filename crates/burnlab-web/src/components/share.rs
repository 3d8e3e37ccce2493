//! The Share button: a link that opens this page in the same state, on the same section, copied
//! to the clipboard. Secrets stay out of it unless the user ticks the box that says so.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::services::persist::{self, ShareMode};
use crate::services::{clipboard, link};
use crate::state::{Section, State};

/// Props: what to share.
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The whole state.
    pub state: Rc<State>,
    /// The section the link opens.
    pub section: Section,
}

/// Builds the link for `mode`, shows it and copies it.
fn make_link(
    state: &Rc<State>,
    section: Section,
    mode: ShareMode,
    url: UseStateHandle<Option<String>>,
    status: UseStateHandle<String>,
) {
    let pairs = persist::pairs_of(state.as_ref(), mode);
    wasm_bindgen_futures::spawn_local(async move {
        let made = link::share_url(&pairs, section).await;
        let copied = clipboard::copy(&made).await;
        status.set(match copied {
            Ok(()) => format!(
                "Copied to the clipboard ({} characters).",
                made.chars().count()
            ),
            Err(_) => "Select the link and copy it: this browser did not allow copying.".into(),
        });
        url.set(Some(made));
    });
}

/// The button and its panel.
#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let open = use_state(|| false);
    let with_secrets = use_state(|| false);
    let url = use_state(|| None::<String>);
    let status = use_state(String::new);
    let button = use_node_ref();

    let has_secrets = props.open_has_secrets(*open);
    let mode = if *with_secrets {
        ShareMode::LinkWithSecrets
    } else {
        ShareMode::Link
    };

    let on_share = {
        let (open, url, status) = (open.clone(), url.clone(), status.clone());
        let state = props.state.clone();
        let section = props.section;
        Callback::from(move |_| {
            if *open {
                open.set(false);
                return;
            }
            open.set(true);
            status.set("Making the link…".into());
            make_link(&state, section, mode, url.clone(), status.clone());
        })
    };
    let on_secrets = {
        let (with_secrets, url, status) = (with_secrets.clone(), url.clone(), status.clone());
        let state = props.state.clone();
        let section = props.section;
        Callback::from(move |e: Event| {
            let on = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            with_secrets.set(on);
            let mode = if on {
                ShareMode::LinkWithSecrets
            } else {
                ShareMode::Link
            };
            make_link(&state, section, mode, url.clone(), status.clone());
        })
    };
    let on_copy = {
        let (url, status) = (url.clone(), status.clone());
        Callback::from(move |_| {
            let Some(text) = (*url).clone() else { return };
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                status.set(match clipboard::copy(&text).await {
                    Ok(()) => "Copied to the clipboard.".into(),
                    Err(_) => {
                        "Select the link and copy it: this browser did not allow copying.".into()
                    }
                });
            });
        })
    };
    let close = {
        let open = open.clone();
        let button = button.clone();
        Callback::from(move |()| {
            open.set(false);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let on_key = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(i) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            i.select();
        }
    });

    html! {
        <div class="share">
            <button type="button" ref={button} class="share-button" data-testid="share-button"
                aria-expanded={open.to_string()} aria-controls="share-panel" onclick={on_share}>
                { "Share" }
            </button>
            if *open {
                <div class="share-panel" id="share-panel" role="dialog" aria-label="Share this state"
                    onkeydown={on_key}>
                    <label for="share-link">{ "A link to this page as it is now" }</label>
                    <div class="share-row">
                        <input id="share-link" type="text" readonly=true data-testid="share-link"
                            value={(*url).clone().unwrap_or_default()} onfocus={select_all} />
                        <button type="button" onclick={on_copy} disabled={url.is_none()}>{ "Copy" }</button>
                    </div>
                    <p class="share-status" aria-live="polite" data-testid="share-status">{ (*status).clone() }</p>
                    <label class="check">
                        <input type="checkbox" checked={*with_secrets} onchange={on_secrets}
                            data-testid="share-secrets" />
                        { " Include secrets in the link" }
                    </label>
                    <p class="note" data-testid="share-secrets-note">
                        { if has_secrets {
                            "Secrets in the Alertmanager config (PagerDuty keys, Slack and webhook URLs, passwords, bearer tokens) are replaced by placeholders in the link unless you tick this. Anyone with the link can read what it holds."
                        } else {
                            "Nothing in this state is a secret; a link holds everything you entered."
                        } }
                    </p>
                    <button type="button" class="close" onclick={close.reform(|_| ())}>{ "Close" }</button>
                </div>
            }
        </div>
    }
}

impl ShareProps {
    /// Whether a link without secrets would differ from one with them; only worked out while
    /// the panel is open.
    fn open_has_secrets(&self, open: bool) -> bool {
        open && persist::pairs_of(self.state.as_ref(), ShareMode::Link)
            != persist::pairs_of(self.state.as_ref(), ShareMode::LinkWithSecrets)
    }
}
