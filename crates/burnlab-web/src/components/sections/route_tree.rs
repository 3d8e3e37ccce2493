//! The routing tree as an SVG graph: one box per route in depth-first order, indented by
//! depth, with its matchers, receiver, effective group_by and timers, a `continue` badge,
//! and the tester's path lit. A box is a button: click, Enter or Space shows its details.

use std::rc::Rc;

use burnlab_protocol::routing::NodeView;
use yew::prelude::*;

use crate::components::stale;
use crate::hooks::use_width::use_width;

/// Routes drawn at most; a larger tree is still routed in full by the tester.
pub const MAX_DRAWN: usize = 400;

const ROW: f64 = 56.0;
const INDENT: f64 = 28.0;
/// The narrowest box; boxes widen to their longest text while the tree's frame has room.
const MIN_BOX_W: f64 = 480.0;
/// Advance of one character of the boxes' monospace text at 12 px and at 11 px (the style
/// sheet's sizes; a monospace face advances about 0.6 em).
const CHAR_W: f64 = 7.3;
const DETAIL_CHAR_W: f64 = 6.7;
/// Room kept at the right of a line for its `continue ↓` or `✓ matched` badge.
const BADGE_W: f64 = 84.0;
const BOX_H: f64 = 46.0;
const PAD: f64 = 6.0;

/// Props of [`RouteTree`].
#[derive(Properties, PartialEq)]
pub struct RouteTreeProps {
    /// The nodes, depth-first, index 0 the root.
    pub nodes: Rc<Vec<NodeView>>,
    /// Node indices on the tester's path.
    #[prop_or_default]
    pub on_path: Rc<Vec<usize>>,
    /// Node indices the tester's alert was delivered through.
    #[prop_or_default]
    pub matched: Rc<Vec<usize>>,
    /// The node whose details are shown.
    pub selected: Option<usize>,
    /// Called with the node picked (or `None` to close the details).
    pub on_select: Callback<Option<usize>>,
    /// Whether the tree is from an older config than the one typed.
    #[prop_or_default]
    pub stale: bool,
}

/// The short text of a node's timers: `wait 30s · every 5m · repeat 4h`.
fn timers(n: &NodeView) -> String {
    format!(
        "wait {} · every {} · repeat {}",
        n.group_wait, n.group_interval, n.repeat_interval
    )
}

fn title(i: usize, n: &NodeView) -> String {
    if i == 0 {
        "root: every alert".into()
    } else if n.matchers.is_empty() {
        "(no matchers: every alert that gets here)".into()
    } else {
        n.matchers.clone()
    }
}

/// Cuts `text` to `max` characters with an ellipsis, for the boxes (details show it whole).
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A node's grouping, as its box says it.
fn grouping(n: &NodeView) -> String {
    if n.group_by.is_empty() {
        "no grouping".to_owned()
    } else {
        format!("by {}", n.group_by)
    }
}

/// The second line of a node's box: receiver, grouping and timers.
fn detail(n: &NodeView) -> String {
    format!("→ {} · {} · {}", n.receiver, grouping(n), timers(n))
}

/// The tree.
#[function_component(RouteTree)]
pub fn route_tree(props: &RouteTreeProps) -> Html {
    let frame = use_node_ref();
    let frame_width = use_width(frame.clone(), MIN_BOX_W);
    let drawn = props.nodes.len().min(MAX_DRAWN);
    let max_depth = props
        .nodes
        .iter()
        .take(drawn)
        .map(|n| n.depth)
        .max()
        .unwrap_or(0);
    // Each box is as wide as the longest text needs, within the room the frame gives, so
    // settings are cut short (with "…", whole in the details) only where there is no room.
    let needed = props
        .nodes
        .iter()
        .enumerate()
        .take(drawn)
        .map(|(i, n)| {
            let top = title(i, n).chars().count() as f64 * CHAR_W;
            let bottom = detail(n).chars().count() as f64 * DETAIL_CHAR_W;
            top.max(bottom) + BADGE_W + 16.0
        })
        .fold(0.0, f64::max);
    let room = frame_width - PAD * 2.0 - max_depth as f64 * INDENT - 2.0;
    let box_w = needed.min(room).max(MIN_BOX_W);
    // How many characters of `advance` pixels fit a line, beside its badge or not.
    let fits = |advance: f64, badge: bool| {
        ((box_w - 16.0 - if badge { BADGE_W } else { 0.0 }) / advance) as usize
    };
    let top_chars = |badge: bool| fits(CHAR_W, badge);
    let detail_chars = |badge: bool| fits(DETAIL_CHAR_W, badge);
    let width = PAD * 2.0 + max_depth as f64 * INDENT + box_w;
    let height = PAD * 2.0 + drawn as f64 * ROW;
    let y = |i: usize| PAD + i as f64 * ROW;
    let x = |depth: usize| PAD + depth as f64 * INDENT;
    let edges = props
        .nodes
        .iter()
        .enumerate()
        .take(drawn)
        .filter_map(|(i, n)| {
            let p = n.parent?;
            let parent = props.nodes.get(p)?;
            let px = x(parent.depth) + 12.0;
            let cy = y(i) + BOX_H / 2.0;
            let lit = props.on_path.contains(&i) && props.on_path.contains(&p);
            Some(html! {
                <path class={classes!("edge", lit.then_some("on-path"))}
                    d={format!("M{px:.1},{:.1} V{cy:.1} H{:.1}", y(p) + BOX_H, x(n.depth))} />
            })
        });
    let boxes = props.nodes.iter().enumerate().take(drawn).map(|(i, n)| {
        let (bx, by) = (x(n.depth), y(i));
        let matched = props.matched.contains(&i);
        let on_path = props.on_path.contains(&i);
        let selected = props.selected == Some(i);
        let select = props.on_select.reform(move |_: MouseEvent| Some(i));
        let keys = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_select.emit(Some(i));
                }
            })
        };
        // The name starts with the box's own text, as it shows (a voice user says what they
        // see), then where the route is written.
        let top = clip(&title(i, n), top_chars(n.continue_));
        let bottom = clip(&detail(n), detail_chars(matched));
        let mut label = format!("{top} {bottom}");
        if n.continue_ {
            label.push_str(" continue ↓");
        }
        if matched {
            label.push_str(" ✓ matched");
        } else if on_path {
            label.push_str(", on the matched path");
        }
        label.push_str(&format!(", {}", n.path));
        html! {
            <g class={classes!("route-node", matched.then_some("matched"), on_path.then_some("on-path"), selected.then_some("selected"), n.continue_.then_some("continues"))}
                tabindex="0" role="button" aria-pressed={selected.to_string()} aria-label={label}
                data-node={i.to_string()} onclick={select} onkeydown={keys}>
                <rect x={format!("{bx:.1}")} y={format!("{by:.1}")} width={format!("{box_w:.1}")} height={BOX_H.to_string()} rx="6" />
                <text x={format!("{:.1}", bx + 8.0)} y={format!("{:.1}", by + 18.0)} class="matchers">{ top.clone() }</text>
                <text x={format!("{:.1}", bx + 8.0)} y={format!("{:.1}", by + 36.0)} class="detail">
                    { bottom.clone() }
                </text>
                if n.continue_ {
                    <text x={format!("{:.1}", bx + box_w - 8.0)} y={format!("{:.1}", by + 18.0)} text-anchor="end" class="continue">{ "continue ↓" }</text>
                }
                if matched {
                    <text x={format!("{:.1}", bx + box_w - 8.0)} y={format!("{:.1}", by + 36.0)} text-anchor="end" class="badge">{ "✓ matched" }</text>
                }
            </g>
        }
    });
    let details = props.selected.and_then(|i| props.nodes.get(i).map(|n| (i, n))).map(|(i, n)| {
        let close = props.on_select.reform(|_: MouseEvent| None);
        html! {
            <div class="node-details" data-testid="route-details" aria-live="polite">
                <h4>{ format!("{} (line {})", n.path, n.line) }</h4>
                <dl>
                    <dt>{ "matchers" }</dt><dd class="mono">{ title(i, n) }</dd>
                    <dt>{ "receiver" }</dt><dd class="mono">{ n.receiver.clone() }</dd>
                    <dt>{ "group_by" }</dt><dd class="mono">{ if n.group_by.is_empty() { "— (one group for the route)".to_owned() } else { n.group_by.clone() } }</dd>
                    <dt>{ "group_wait" }</dt><dd class="mono">{ n.group_wait.clone() }</dd>
                    <dt>{ "group_interval" }</dt><dd class="mono">{ n.group_interval.clone() }</dd>
                    <dt>{ "repeat_interval" }</dt><dd class="mono">{ format!("{} (repeats go out every {})", n.repeat_interval, n.effective_repeat) }</dd>
                    <dt>{ "continue" }</dt><dd>{ if n.continue_ { "yes: later siblings are tried too" } else { "no: the first matching sibling ends the search" } }</dd>
                    if !n.mute.is_empty() {
                        <dt>{ "muted during" }</dt><dd class="mono">{ n.mute.join(", ") }</dd>
                    }
                    if !n.active.is_empty() {
                        <dt>{ "active only during" }</dt><dd class="mono">{ n.active.join(", ") }</dd>
                    }
                </dl>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
        }
    });
    html! {
        <div class={classes!("route-tree", stale::card(props.stale))}>
            { stale::badge(props.stale, "last valid config") }
            if props.nodes.len() > drawn {
                <p class="note">{ format!("Drawing the first {drawn} of {} routes; the tester routes through all of them.", props.nodes.len()) }</p>
            }
            <div class="tree-scroll" ref={frame}>
                <svg width={format!("{width:.0}")} height={format!("{height:.0}")} viewBox={format!("0 0 {width:.0} {height:.0}")}
                    role="group" aria-label="Routing tree" data-testid="route-tree">
                    { for edges }
                    { for boxes }
                </svg>
            </div>
            { details.unwrap_or_default() }
        </div>
    }
}
