//! Code blocks of the Rules and Routing sections: an editor (a textarea with a line-number
//! gutter that marks the lines with findings, and a list of the findings whose line buttons
//! move the caret there) and a read-only view with copy and download buttons. The gutter is
//! one text node per unmarked run of lines, so a 30,000-line config costs a few nodes.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::services::{clipboard, files};
use crate::shared::Shared;

/// The editors' line height in pixels (see `www/sections.css`), for scrolling to a line.
const LINE_PX: i32 = 20;

/// Findings listed (and marked in the gutter) at most: a config of thousands of routes can have
/// a finding on every route, and thousands of list items would make every answer slow to show.
pub const MAX_LISTED: usize = 200;

/// A finding shown at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// 1-based line; 0 for a finding without a line.
    pub line: usize,
    /// `error`, `warning` or `info`: the CSS class and the word said before the message.
    pub level: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The gutter: line numbers 1..=`lines`, the marked ones wrapped in `<mark>`.
fn gutter(lines: usize, marks: &[Mark]) -> Html {
    let mut marked: Vec<(usize, &'static str)> = marks
        .iter()
        .take(MAX_LISTED)
        .filter(|m| m.line > 0 && m.line <= lines)
        .map(|m| (m.line, m.level))
        .collect();
    marked.sort_unstable();
    marked.dedup_by_key(|m| m.0);
    let mut out: Vec<Html> = Vec::new();
    let mut next = 1;
    for (line, level) in marked {
        if line > next {
            out.push(html! { { (next..line).map(|n| format!("{n}\n")).collect::<String>() } });
        }
        out.push(html! { <mark class={level}>{ format!("{line}\n") }</mark> });
        next = line + 1;
    }
    if next <= lines {
        out.push(html! { { (next..=lines).map(|n| format!("{n}\n")).collect::<String>() } });
    }
    out.into_iter().collect()
}

/// The number of lines a text shows (a trailing newline opens an empty last line).
fn line_count(text: &str) -> usize {
    text.split('\n').count().max(1)
}

/// The byte offsets (as UTF-16 units, which the textarea counts) of line `line`'s start and end.
fn line_span(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    (start, start)
}

/// Props of [`CodeEditor`].
#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    /// The element id (the label's `for`).
    pub id: AttrValue,
    /// The `data-testid`.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The text as typed.
    pub value: Shared<str>,
    /// Called with the new text on every edit.
    pub on_input: Callback<String>,
    /// Findings to mark in the gutter and list below.
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    /// The accessible label.
    pub label: AttrValue,
    /// Rows shown.
    #[prop_or(18)]
    pub rows: u32,
}

/// A textarea with line numbers and located findings.
#[function_component(CodeEditor)]
pub fn code_editor(props: &CodeEditorProps) -> Html {
    let area = use_node_ref();
    let gutter_ref = use_node_ref();
    let lines = line_count(&props.value);
    let gutter_html = {
        let marks = props.marks.clone();
        use_memo((lines, marks), |(lines, marks)| gutter(*lines, marks))
    };
    let oninput = props.on_input.reform(|e: InputEvent| {
        e.target_dyn_into::<HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default()
    });
    let onscroll = {
        let (area, gutter_ref) = (area.clone(), gutter_ref.clone());
        Callback::from(move |_: Event| {
            if let (Some(a), Some(g)) = (
                area.cast::<HtmlTextAreaElement>(),
                gutter_ref.cast::<HtmlElement>(),
            ) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    let go_to = |line: usize| {
        let area = area.clone();
        let text = props.value.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let (start, end) = line_span(&text, line);
                let _ = a.focus();
                let _ = a.set_selection_range(start, end);
                a.set_scroll_top(((line as i32) - 3).max(0) * LINE_PX);
            }
        })
    };
    let findings_id = format!("{}-findings", props.id);
    html! {
        <div class="code-editor">
            <div class="editor-frame">
                <pre class="gutter" aria-hidden="true" ref={gutter_ref}>{ (*gutter_html).clone() }</pre>
                <textarea id={props.id.clone()} ref={area.clone()} data-testid={props.testid.clone()}
                    aria-label={props.label.clone()} rows={props.rows.to_string()}
                    spellcheck="false" autocomplete="off" wrap="off"
                    aria-describedby={(!props.marks.is_empty()).then(|| findings_id.clone())}
                    value={AttrValue::from(props.value.rc().clone())} {oninput} {onscroll} />
            </div>
            if !props.marks.is_empty() {
                <ul class="findings" id={findings_id}>
                    { for props.marks.iter().take(MAX_LISTED).map(|m| html! {
                        <li class={m.level}>
                            if m.line > 0 {
                                <button type="button" class="line-link" onclick={go_to(m.line)}
                                    title="Select this line in the editor">{ format!("line {}", m.line) }</button>
                            }
                            <span class="level">{ format!("{}: ", m.level) }</span>{ m.message.clone() }
                        </li>
                    }) }
                    if props.marks.len() > MAX_LISTED {
                        <li class="info">{ format!("… and {} more findings", props.marks.len() - MAX_LISTED) }</li>
                    }
                </ul>
            }
        </div>
    }
}

/// Props of [`CodeView`].
#[derive(Properties, PartialEq)]
pub struct CodeViewProps {
    /// The text, exactly.
    pub text: AttrValue,
    /// The `data-testid` of the element whose text is exactly `text`.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The download's file name.
    pub filename: AttrValue,
    /// The download's MIME type.
    #[prop_or(AttrValue::Static("application/yaml"))]
    pub mime: AttrValue,
    /// Lines to mark.
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    /// Whether the text is older than the input (shown dimmed and said).
    #[prop_or_default]
    pub stale: bool,
    /// The accessible name of the block.
    pub label: AttrValue,
}

/// A read-only code block with line numbers, copy and download.
#[function_component(CodeView)]
pub fn code_view(props: &CodeViewProps) -> Html {
    // `None` until a copy is tried, then the text copied and whether the browser took it: once
    // the text changes, the button offers to copy again instead of saying an old copy holds.
    let copied = use_state(|| None::<(AttrValue, bool)>);
    let on_copy = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, copied) = (text.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let took = clipboard::copy(&text).await.is_ok();
                copied.set(Some((text, took)));
            });
        })
    };
    let copy_state = (*copied)
        .as_ref()
        .filter(|(text, _)| *text == props.text)
        .map(|(_, took)| *took);
    let on_download = {
        let (text, name, mime) = (
            props.text.clone(),
            props.filename.clone(),
            props.mime.clone(),
        );
        Callback::from(move |_: MouseEvent| files::download(&name, &mime, &text))
    };
    let lines = line_count(props.text.trim_end_matches('\n'));
    html! {
        <figure class={classes!("code-view", props.stale.then_some("stale"))} aria-label={props.label.clone()}>
            <div class="code-actions">
                <button type="button" onclick={on_copy}>{ match copy_state {
                    Some(true) => "Copied",
                    Some(false) => "Copy refused: select the text",
                    None => "Copy",
                } }</button>
                <button type="button" onclick={on_download}>{ format!("Download {}", props.filename) }</button>
                { crate::components::stale::badge(props.stale, "last valid input") }
            </div>
            <div class="code-scroll" tabindex="0">
                <pre class="gutter" aria-hidden="true">{ gutter(lines, &props.marks) }</pre>
                <pre class="code" data-testid={props.testid.clone()}>{ props.text.clone() }</pre>
            </div>
        </figure>
    }
}
