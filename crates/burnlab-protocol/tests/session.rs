//! The heavy core's session through the wire, as the worker answers it: the rules, the
//! routing questions and what each request changes, the page's cap on input, and bytes from
//! another build.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use burnlab::alertmanager::matchers::ParserMode;
use burnlab::intent::IntentForm;
use burnlab::rules::spec::Spec;
use burnlab::rules::{Format, Options};
use burnlab::tester::TestInput;
use burnlab::tiers::{Preset, Scaling, TierSet};
use burnlab::{Objective, Period};
use burnlab_protocol::routing::{Redaction, RoutingAnswer, RoutingRequest};
use burnlab_protocol::rules::{RulesAnswer, RulesInput, RulesRequest};
use burnlab_protocol::views::SloView;
use burnlab_protocol::{MAX_INPUT_BYTES, Request, Response, Session, decode, encode};
use burnlab_testkit::fixtures::fixture;

fn round_trip(request: Request, session: &mut Session) -> Response {
    let bytes = encode(&request);
    let decoded: Request = decode(&bytes).unwrap();
    let response = session.answer(decoded);
    decode(&encode(&response)).unwrap()
}

fn routing(session: &mut Session, request: RoutingRequest) -> RoutingAnswer {
    match round_trip(
        Request::Routing {
            seq: 7,
            request: Box::new(request),
        },
        session,
    ) {
        Response::Routing { seq: 7, answer } => *answer,
        other => panic!("{other:?}"),
    }
}

fn rules(session: &mut Session, request: RulesRequest) -> RulesAnswer {
    match round_trip(Request::Rules { seq: 3, request }, session) {
        Response::Rules { seq: 3, answer } => *answer,
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_above_the_pages_cap_is_refused_by_name_without_being_read() {
    let big = format!("# {}\n", "x".repeat(MAX_INPUT_BYTES));
    let mut session = Session::new();
    for (input, field) in [
        (
            RulesInput::Spec {
                text: big.clone(),
                slo: None,
            },
            "spec",
        ),
        (file(big.clone()), "rule file"),
    ] {
        let answer = rules(
            &mut session,
            RulesRequest {
                input,
                prometheus_rule: false,
            },
        );
        let e = answer.output.err().unwrap();
        assert_eq!(e.field, field);
        assert!(
            e.message.contains("is longer than the 2 MiB"),
            "{}",
            e.message
        );
        assert!(answer.findings.is_empty());
    }
    let answer = routing(
        &mut session,
        RoutingRequest {
            config: big.clone(),
            ..RoutingRequest::default()
        },
    );
    let e = answer.config.and_then(|c| c.error).unwrap();
    assert_eq!(e.field, "config");
    assert_eq!(answer.redaction, Some(Redaction::Unreadable));
    let answer = routing(
        &mut session,
        RoutingRequest {
            config: "route: {receiver: a}\nreceivers: [{name: a}]\n".into(),
            test: TestInput {
                labels: big,
                ..TestInput::default()
            },
            ..RoutingRequest::default()
        },
    );
    assert_eq!(answer.test.unwrap().err().unwrap().field, "labels");
}

fn slo(set: &TierSet) -> SloView {
    SloView::new(Objective::from_percent(99.9).unwrap(), Period::DAYS_30, set)
}

fn form_input(set: &TierSet) -> RulesInput {
    RulesInput::Form {
        form: Box::default(),
        slo: slo(set),
    }
}

fn form_request(set: &TierSet) -> RulesRequest {
    RulesRequest {
        input: form_input(set),
        prometheus_rule: false,
    }
}

/// A pasted rule file, replayed against the default form on 99.9 %.
fn file(text: String) -> RulesInput {
    RulesInput::File {
        text,
        form: Box::default(),
        slo: slo(&Preset::Workbook.tier_set()),
    }
}

#[test]
fn the_slo_context_crosses_the_wire_exactly() {
    let set = Preset::Pyrra
        .tier_set()
        .scale_to(Period::DAYS_30, Scaling::KeepFactors)
        .unwrap();
    let o = Objective::from_percent(99.95).unwrap();
    let view: SloView = decode(&encode(&SloView::new(o, Period::DAYS_30, &set))).unwrap();
    assert_eq!(
        view.read().unwrap(),
        (o, Period::DAYS_30, set.tiers().to_vec())
    );
}

#[test]
fn the_form_generates_the_clis_rules_and_they_lint_clean() {
    let mut s = Session::new();
    let answer = rules(&mut s, form_request(&Preset::Workbook.tier_set()));
    let view = answer.output.unwrap();
    assert_eq!(view.alerts, 3);
    assert_eq!(view.runbooks.len(), 3);
    let spec = Spec::parse(view.spec_yaml.as_deref().unwrap()).unwrap();
    assert_eq!(
        view.yaml,
        burnlab::rules::generate::render(&spec, Options::default(), Format::Rules)
    );
    assert_eq!(answer.findings, Vec::new());
}

#[test]
fn a_pasted_file_that_does_not_read_is_still_linted_and_located() {
    let mut s = Session::new();
    let answer = rules(
        &mut s,
        RulesRequest {
            input: file("groups:\n  - name: a\n    rules:\n      - alert: X\n".into()),
            prometheus_rule: false,
        },
    );
    let error = answer.output.unwrap_err();
    assert_eq!(error.location.map(|l| l.0), Some(4), "{error:?}");
    assert_eq!(answer.findings.len(), 1);
    assert_eq!(answer.findings[0].check, "invalid-file");
}

#[test]
fn an_invalid_config_keeps_the_last_valid_one_for_the_tester_and_the_table() {
    let mut s = Session::new();
    let config = fixture("alertmanager/generated-default.yaml");
    let first = routing(
        &mut s,
        RoutingRequest {
            config: config.clone(),
            mode: ParserMode::Fallback,
            test: TestInput {
                labels: "severity=page".into(),
                at: "2024-03-16T12:00".into(),
                ..TestInput::default()
            },
            intent: IntentForm::default(),
            rules: None,
        },
    );
    let view = first.config.unwrap();
    assert_eq!(view.error, None);
    assert_eq!(view.nodes.len(), 3);
    assert_eq!(view.nodes[1].matchers, "{severity=\"page\"}");
    assert_eq!(first.test.unwrap().unwrap().receivers, "pager");
    assert_eq!(first.hygiene, None);
    assert_eq!(first.generated, Some(Ok(config)));
    let Some(Redaction::Redacted(redacted)) = first.redaction else {
        panic!("{:?}", first.redaction);
    };
    assert!(
        redacted.contains("<secret>") && !redacted.contains("REPLACE_WITH_PAGERDUTY_ROUTING_KEY"),
        "{redacted}"
    );

    let broken = routing(
        &mut s,
        RoutingRequest {
            config: "route:\n  receiver: nobody\nreceivers: [{name: a}]\n".into(),
            mode: ParserMode::Fallback,
            test: TestInput {
                labels: "severity=ticket".into(),
                at: "2024-03-16T12:00".into(),
                ..TestInput::default()
            },
            rules: Some(form_input(&Preset::Workbook.tier_set())),
            intent: IntentForm::default(),
        },
    );
    assert_eq!(broken.redaction, Some(Redaction::NoSecrets));
    let error = broken.config.unwrap().error.unwrap();
    assert_eq!(
        (error.field.as_str(), error.location.map(|l| l.0)),
        ("route.receiver", Some(2)),
        "{error:?}"
    );
    assert!(broken.has_config);
    assert_eq!(broken.test.unwrap().unwrap().receivers, "tickets");
    assert_eq!(broken.hygiene.unwrap().unwrap().len(), 3);
}

#[test]
fn the_lessons_rules_lint_finds_the_unrecorded_series() {
    let mut s = Session::new();
    let answer = rules(
        &mut s,
        RulesRequest {
            input: file(fixture("rules/lint/lesson-task-api-slo-alerts.yaml")),
            prometheus_rule: false,
        },
    );
    assert_eq!(answer.output.map(|v| v.alerts), Ok(3));
    assert!(
        answer
            .findings
            .iter()
            .any(|f| f.check == "undefined-series" && f.message.contains("rate30m")),
        "{:?}",
        answer.findings
    );
}

#[test]
fn bytes_from_another_build_are_an_error_not_a_panic() {
    assert!(decode::<Request>(&[9, 9, 9]).is_err());
}

/// The tester's input on the default config, at noon on a Saturday.
fn tester(labels: &str) -> RoutingRequest {
    RoutingRequest {
        config: fixture("alertmanager/generated-default.yaml"),
        mode: ParserMode::Fallback,
        test: TestInput {
            labels: labels.into(),
            at: "2024-03-16T12:00".into(),
            ..TestInput::default()
        },
        rules: Some(form_input(&Preset::Workbook.tier_set())),
        intent: IntentForm::default(),
    }
}

#[test]
fn every_request_carries_its_inputs_and_only_what_changed_is_answered() {
    let mut s = Session::new();
    let first = routing(&mut s, tester("severity=page"));
    assert!(first.config.is_some() && first.redaction.is_some() && first.generated.is_some());
    assert_eq!(first.test.unwrap().unwrap().receivers, "pager");
    assert_eq!(first.hygiene.unwrap().unwrap().len(), 3);

    // A tester keystroke: the config, the table and the generator are as they were.
    let keystroke = routing(&mut s, tester("severity=ticket"));
    assert_eq!(
        (
            &keystroke.config,
            &keystroke.redaction,
            &keystroke.generated,
            &keystroke.hygiene
        ),
        (&None, &None, &None, &None)
    );
    assert!(keystroke.has_config);
    assert_eq!(keystroke.test.unwrap().unwrap().receivers, "tickets");

    // The same request again: nothing to say.
    let again = routing(&mut s, tester("severity=ticket"));
    assert_eq!(
        again,
        RoutingAnswer {
            has_config: true,
            ..RoutingAnswer::default()
        }
    );

    // A worker started afresh (after a crash) answers the same request in full.
    let fresh = routing(&mut Session::new(), tester("severity=ticket"));
    assert!(fresh.config.is_some() && fresh.generated.is_some() && fresh.hygiene.is_some());
    assert_eq!(fresh.test.unwrap().unwrap().receivers, "tickets");
}

#[test]
fn routing_and_replay_go_on_from_the_same_last_valid_config() {
    use burnlab::replay::builtin;
    use burnlab_protocol::replay::{NaiveInput, ReplayRequest, ScenarioInput};
    let mut s = Session::new();
    routing(&mut s, tester("severity=page"));
    let mut broken = tester("severity=page");
    broken.config = "route:\n  receiver: nobody\n".into();
    assert!(
        routing(&mut s, broken.clone())
            .config
            .unwrap()
            .error
            .is_some()
    );
    let request = ReplayRequest {
        rules: form_input(&Preset::Workbook.tier_set()),
        config: Some((broken.config, ParserMode::Fallback)),
        scenario: ScenarioInput::Text(builtin::text("fast-burn").unwrap().into()),
        naive: NaiveInput {
            threshold: None,
            for_ms: None,
        },
        window: None,
        export: None,
    };
    let answer = match s.answer(Request::Replay {
        seq: 9,
        request: Box::new(request),
    }) {
        Response::Replay { answer, .. } => answer,
        other => panic!("{other:?}"),
    };
    // The replay says the typed config is invalid and notifies through the last valid one,
    // which only the Routing section's request carried.
    assert_eq!(answer.config_error.unwrap().field, "route.receiver");
    let view = answer.run.unwrap().unwrap();
    assert_eq!(view.receivers, ["pager", "tickets"]);
}
