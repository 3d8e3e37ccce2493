//! The Routing section's state and components in a real headless Chromium, fed by the same
//! heavy-core session the worker runs (called directly here, so each component is tested on
//! its own): the tree, the tester and the hygiene table show the core's answers; the state
//! keeps the last valid config; links carry every input with secrets redacted unless asked.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::rc::Rc;
use std::time::Duration;

use burnlab::tiers::Preset;
use burnlab::{Objective, Period};
use burnlab_protocol::{Request, Response, Session};
use burnlab_web::components::sections::hygiene::Hygiene;
use burnlab_web::components::sections::route_tree::RouteTree;
use burnlab_web::components::sections::tester::Tester;
use burnlab_web::services::persist::{Persist, ShareMode};
use burnlab_web::state::SloContext;
use burnlab_web::state::routing::{RoutingAction, RoutingState, SilenceField};
use burnlab_web::state::rules::RulesState;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The state after the heavy core answered for its config, tester input and the default rules.
fn answered(state: RoutingState, session: &mut Session) -> RoutingState {
    let rules = RulesState::default().sync_slo(&SloContext {
        objective: Objective::from_percent(99.9).unwrap(),
        period: Period::DAYS_30,
        tiers: Preset::Workbook.tier_set(),
    });
    let request = state.request(rules.input(None));
    let Response::Routing { answer, .. } = session.answer(Request::Routing {
        seq: 1,
        request: Box::new(request),
    }) else {
        panic!("not a routing answer");
    };
    let config = state.config.clone();
    let intent = Box::new(state.intent.clone());
    state.apply(RoutingAction::Answer {
        config,
        intent,
        answer,
    })
}

#[wasm_bindgen_test]
fn an_invalid_config_keeps_the_last_valid_view_and_is_marked_stale() {
    let mut session = Session::new();
    let good = answered(RoutingState::default(), &mut session);
    assert!(!good.is_stale() && !good.is_pending());
    // The generator's default is the config the editor opens with.
    assert_eq!(good.generated(), Some(good.config.clone()));
    assert_eq!(good.nodes.len(), 3);
    let typed = good.apply(RoutingAction::SetConfig(
        "route: {receiver: nobody}\n".into(),
    ));
    assert!(typed.is_pending());
    let bad = answered(typed, &mut session);
    assert!(bad.is_stale());
    assert_eq!(bad.config_error.as_ref().map(|e| e.line()), Some(1));
    assert_eq!(bad.nodes.len(), 3, "the last valid tree stays");
    assert!(Rc::ptr_eq(&bad.nodes, &good.nodes));
}

#[wasm_bindgen_test]
fn links_carry_every_input_and_redact_secrets_unless_asked() {
    let secret = "route: {receiver: pd}\nreceivers:\n  - name: pd\n    pagerduty_configs: [{routing_key: s3cr3t-key}]\n";
    let s = RoutingState::default()
        .apply(RoutingAction::SetConfig(secret.into()))
        .apply(RoutingAction::SetLabels(
            "severity=page, team=\"a,b\"".into(),
        ))
        .apply(RoutingAction::AddSilence)
        .apply(RoutingAction::SetSilence(
            0,
            SilenceField::Matchers,
            "team=a".into(),
        ))
        .apply(RoutingAction::AddRoute)
        .apply(RoutingAction::SetAt("2024-03-16T21:30".into()));
    let get = |pairs: &Vec<(String, String)>| {
        let pairs = pairs.clone();
        move |k: &str| pairs.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone())
    };
    // Before the heavy core has redacted it, a link carries no config at all.
    let mut shared = Vec::new();
    s.save(ShareMode::Link, &mut shared);
    assert_eq!(get(&shared)("am.config"), None);
    let mut session = Session::new();
    let s = answered(s, &mut session);
    let mut shared = Vec::new();
    s.save(ShareMode::Link, &mut shared);
    let config = get(&shared)("am.config").unwrap();
    assert!(
        !config.contains("s3cr3t-key") && config.contains("<secret>"),
        "{config}"
    );
    // This browser's storage leaves the credentials out too, unless the user asks to keep
    // them; the switch to the full build hands them over in memory.
    let mut local = Vec::new();
    s.save(ShareMode::Local, &mut local);
    let kept = get(&local)("am.config").unwrap();
    assert!(
        !kept.contains("s3cr3t-key") && kept.contains("<secret>"),
        "{kept}"
    );
    let mut handoff = Vec::new();
    s.save(ShareMode::Handoff, &mut handoff);
    assert_eq!(get(&handoff)("am.config").as_deref(), Some(secret));
    let s = s.apply(RoutingAction::KeepSecrets(true));
    let mut local = Vec::new();
    s.save(ShareMode::Local, &mut local);
    let back = RoutingState::restore(&get(&local));
    assert_eq!(&*back.config, secret);
    assert!(back.keep_secrets);
    assert_eq!(
        (back.test.clone(), back.intent.clone()),
        (s.test.clone(), s.intent.clone())
    );
    // Text that does not read cannot be redacted: the last valid config goes instead.
    let broken = answered(
        s.apply(RoutingAction::SetConfig("route: [".into())),
        &mut session,
    );
    let mut shared = Vec::new();
    broken.save(ShareMode::Link, &mut shared);
    let config = get(&shared)("am.config").unwrap();
    assert!(
        config.contains("<secret>") && config.contains("receiver: pd"),
        "{config}"
    );
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    routing: Rc<RoutingState>,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let r = &props.routing;
    html! { <>
        <Tester routing={r.clone()} send={Callback::noop()} />
        <RouteTree nodes={r.nodes.clone()} on_path={Rc::new(r.last_good.as_ref().map(|a| a.on_path.clone()).unwrap_or_default())}
            matched={Rc::new(r.last_good.as_ref().map(|a| a.routes.iter().map(|m| m.node).collect()).unwrap_or_default())}
            selected={Some(2)} on_select={Callback::noop()} />
        <Hygiene table={r.hygiene.clone()} />
    </> }
}

async fn mount(routing: RoutingState) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            routing: Rc::new(routing),
        },
    )
    .render();
    gloo::timers::future::sleep(Duration::from_millis(30)).await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn tester_tree_and_hygiene_show_the_core_answers() {
    let mut session = Session::new();
    let root = mount(answered(RoutingState::default(), &mut session)).await;
    // The default ticket is inhibited by the default firing page of its SLO.
    assert_eq!(text_of(&root, "[data-testid=route-receivers]"), "tickets");
    assert!(
        text_of(&root, "[data-testid=route-verdict]").starts_with("Inhibited by firing alert 1")
    );
    assert!(text_of(&root, "[data-testid=route-matches]").contains(
        "{}/{severity=\"ticket\"}:{alertname=\"TaskApiAvailabilityTicket3d\", slo=\"availability\"}"
    ));
    let nodes = root.query_selector_all("g.route-node").unwrap();
    assert_eq!(nodes.length(), 3);
    let class = |i: u32| {
        nodes
            .item(i)
            .and_then(|n| n.dyn_into::<Element>().ok())
            .and_then(|e| e.get_attribute("class"))
            .unwrap_or_default()
    };
    assert!(
        class(2).contains("matched")
            && class(0).contains("on-path")
            && !class(1).contains("on-path")
    );
    assert!(text_of(&root, "[data-testid=route-details]").contains("route.routes[1] (line"));
    assert_eq!(
        text_of(&root, "[data-testid=hygiene-summary]"),
        "✓ All 3 alerts reach the right kind of receiver."
    );
    assert_eq!(
        root.query_selector_all("[data-testid=hygiene-table] tbody tr")
            .unwrap()
            .length(),
        3
    );
}

use wasm_bindgen::JsCast;
