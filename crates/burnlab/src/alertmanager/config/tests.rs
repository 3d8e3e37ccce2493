//! Tests of reading and validating alertmanager.yml.

use crate::alertmanager::config::*;
use crate::alertmanager::matchers::ParserMode;

/// Parses `yaml` and renders the outcome: `ok` or the located error.
fn check(yaml: &str, expect: &str) {
    let got = match Config::parse(yaml, ConfigOptions::default()) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    assert_eq!(got, expect, "config:\n{yaml}");
}

const RECEIVERS: &str = "receivers: [{name: a}, {name: b}]\n";

#[test]
fn an_undefined_receiver_is_located_at_its_route_path_and_line() {
    check(
        &format!(
            "route:\n  receiver: a\n  routes:\n    - receiver: b\n    - receiver: b\n    - receiver: nobody\n{RECEIVERS}"
        ),
        "line 6, column 17: route.routes[2].receiver: undefined receiver \"nobody\" used in route",
    );
}

#[test]
fn an_invalid_regex_is_located_at_its_matcher() {
    let yaml =
        format!("route:\n  receiver: a\n  routes:\n    - matchers: ['x=~\"(\"']\n{RECEIVERS}");
    let got = Config::parse(&yaml, ConfigOptions::default());
    assert!(
        matches!(&got, Err(e) if e.location == Some((4, 18))
            && e.field == "route.routes[0].matchers[0]"
            && e.message.contains("error parsing regexp \"(\"")),
        "{got:?}"
    );
}

#[test]
fn yaml_errors_are_located() {
    check(
        "route:\n  receiver: a\n routes: []\n",
        // amtool (yaml.v2) names the last line it understood, "yaml: line 2".
        "line 2, column 14: config: YAML error: the line after this one is not indented as a key of this mapping, or lacks its `:` (did not find expected key)",
    );
}

#[test]
fn unknown_fields_are_errors_as_in_strict_unmarshalling() {
    check(
        &format!("route:\n  receiver: a\n  recevier: b\n{RECEIVERS}"),
        "line 3, column 3: route: field recevier not found in type config.plain (did you mean \
         `receiver`? allowed here: receiver, group_by, match, match_re, matchers, \
         mute_time_intervals, active_time_intervals, continue, routes, group_wait, group_interval, \
         repeat_interval)",
    );
}

#[test]
fn root_rules_follow_alertmanager() {
    check(
        RECEIVERS,
        "line 1, column 1: route: no routes provided (the config needs a top-level `route:` \
         naming the default `receiver`, e.g. `route: {receiver: default}`)",
    );
    check(
        &format!("route:\n  receiver: a\n  continue: true\n{RECEIVERS}"),
        "line 2, column 3: route: cannot have continue in root route",
    );
    check(
        &format!("route:\n  group_wait: 1s\n{RECEIVERS}"),
        "line 2, column 3: route: root route must specify a default receiver",
    );
}

#[test]
fn a_secret_manifest_is_read_through_its_string_data() {
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: am}\nstringData:\n  alertmanager.yaml: |\n    route:\n      receiver: a\n    receivers: [{name: a}]\n";
    check(secret, "ok");
    let broken = secret.replace("receiver: a\n", "receiver: zz\n");
    check(
        &broken,
        "line 7, column 17: route.receiver: undefined receiver \"zz\" used in route",
    );
}

#[test]
fn a_ten_thousand_deep_tree_is_a_located_error_not_a_crash() {
    let mut flow = String::from("route: ");
    for _ in 0..10_000 {
        flow.push_str("{receiver: a, routes: [");
    }
    flow.push_str(&"]}".repeat(10_000));
    let got = Config::parse(&flow, ConfigOptions::default());
    assert!(matches!(&got, Err(e) if e.location.is_some()), "{got:?}");
    let mut block = String::from("route:\n  receiver: a\n");
    for i in 0..300 {
        let pad = "  ".repeat(i + 1);
        block.push_str(&format!("{pad}routes:\n{pad}- receiver: a\n"));
    }
    let got = Config::parse(&block, ConfigOptions::default());
    assert!(
        matches!(&got, Err(e) if e.message.contains("deeper than") && e.location.is_some()),
        "{got:?}"
    );
}

#[test]
fn a_one_megabyte_config_is_answered() {
    let mut yaml = String::from("route:\n  receiver: a\n  routes:\n");
    let mut i = 0;
    while yaml.len() < 1_000_000 {
        yaml.push_str(&format!(
            "    - receiver: b\n      matchers: ['service=\"svc-{i}\"', 'severity=~\"page|ticket\"']\n      group_by: [alertname, service]\n"
        ));
        i += 1;
    }
    yaml.push_str(RECEIVERS);
    let config = Config::parse(&yaml, ConfigOptions::default());
    let labels = labels_from_pairs([("service", "svc-5000"), ("severity", "page")]);
    let got = config.map(|c| {
        c.route(&labels)
            .iter()
            .map(|m| m.path.to_owned())
            .collect::<Vec<_>>()
    });
    assert_eq!(got, Ok(vec!["route.routes[5000]".to_owned()]));
}

#[test]
fn send_resolved_follows_each_kinds_default() {
    let yaml = "route: {receiver: a}\nreceivers:\n  - name: a\n    email_configs: [{to: x@y.z, from: a@b.c, smarthost: 'm:25'}]\n    webhook_configs: [{url: 'http://h/'}, {url: 'http://h/', send_resolved: false}]\n    slack_configs: [{api_url: 'https://s/', send_resolved: true}]\n";
    let got = Config::parse(yaml, ConfigOptions::default()).map(|c| {
        c.receivers
            .iter()
            .flat_map(|r| r.integrations.iter())
            .map(|i| format!("{}={}", i.kind, i.send_resolved))
            .collect::<Vec<_>>()
            .join(" ")
    });
    assert_eq!(
        got,
        Ok("email=false webhook=true webhook=false slack=true".to_owned())
    );
}

#[test]
fn warnings_do_not_stop_the_config() {
    let yaml = format!(
        "route:\n  receiver: a\n  repeat_interval: 1m\n  routes:\n    - repeat_interval: 6d\n{RECEIVERS}"
    );
    let got = Config::parse(&yaml, ConfigOptions::default()).map(|c| {
        c.warnings
            .iter()
            .map(|w| format!("{} {:?}", w.field, w.location))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        got,
        Ok(vec![
            "route Some((2, 3))".to_owned(),
            "route.routes[0] Some((5, 7))".to_owned()
        ])
    );
}

#[test]
fn a_config_written_back_reads_the_same() {
    let yaml = "global:\n  resolve_timeout: 1m\nroute:\n  receiver: a\n  routes:\n    - match_re: {x: 'a|b'}\n      receiver: b\n      continue: yes\nreceivers:\n  - name: a\n    opsgenie_configs: [{api_key: k, responders: [{name: ops, type: team}]}]\n  - name: b\n    webhook_configs: [{url: 'http://h/', max_alerts: 3}]\ninhibit_rules:\n  - source_match: {severity: page}\n    target_matchers: ['severity=ticket']\n    equal: [slo]\n";
    let first = Config::parse(yaml, ConfigOptions::default());
    let again = first
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|c| Config::parse(&c.to_yaml(), ConfigOptions::default()));
    let summary = |c: &Config| {
        format!(
            "{}{:?}{:?}",
            c.route.render(),
            c.receivers
                .iter()
                .map(|r| r.integrations.first().map(|i| (&i.kind, i.send_resolved)))
                .collect::<Vec<_>>(),
            c.inhibit_rules
                .iter()
                .map(|r| (&r.source, &r.target, &r.equal))
                .collect::<Vec<_>>()
        )
    };
    assert_eq!(first.as_ref().map(summary), again.as_ref().map(summary));
    assert!(first.is_ok());
}

proptest::proptest! {
    #[test]
    fn parsing_never_panics(s in "\\PC{0,200}") {
        let _ = Config::parse(&s, ConfigOptions::default());
    }
}

/// A receiver with one integration, checked: `ok` or the located error.
fn check_receiver(integration: &str, global: &str) -> String {
    let yaml =
        format!("{global}route: {{receiver: a}}\nreceivers:\n  - name: a\n    {integration}\n");
    match Config::parse(&yaml, ConfigOptions::default()) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_integration_is_checked_as_alertmanager_0_25_checks_it() {
    let at = |column: usize, path: &str, message: &str| {
        format!("line 4, column {column}: receivers[0].{path}: {message}")
    };
    for (integration, global, expect) in [
        (
            "victorops_configs: [{api_key: k}]",
            "",
            at(
                25,
                "victorops_configs[0]",
                "missing Routing key in VictorOps config",
            ),
        ),
        (
            "pushover_configs: [{token: t}]",
            "",
            at(
                24,
                "pushover_configs[0]",
                "missing user key in Pushover config",
            ),
        ),
        (
            "telegram_configs: [{bot_token: t}]",
            "",
            at(
                24,
                "telegram_configs[0]",
                "missing chat_id on telegram_config",
            ),
        ),
        (
            "telegram_configs: [{bot_token: t, chat_id: '12'}]",
            "",
            at(
                48,
                "telegram_configs[0].chat_id",
                "cannot unmarshal !!str `12` into int64",
            ),
        ),
        (
            "webex_configs: [{room_id: r}]",
            "",
            at(
                21,
                "webex_configs[0]",
                "missing webex_configs.http_config.authorization",
            ),
        ),
        (
            "webex_configs: [{room_id: r, http_config: {bearer_token: x}}]",
            "",
            "ok".to_owned(),
        ),
        (
            "discord_configs: [{title: x}]",
            "",
            at(23, "discord_configs[0]", "no discord webhook URL provided"),
        ),
        (
            "sns_configs: [{topic_arn: a, phone_number: p}]",
            "",
            at(
                19,
                "sns_configs[0]",
                "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
            ),
        ),
        (
            "wechat_configs: [{corp_id: c}]",
            "",
            at(22, "wechat_configs[0]", "no global Wechat ApiSecret set"),
        ),
        (
            "wechat_configs: [{to_user: u}]",
            "global: {wechat_api_secret: s, wechat_api_corp_id: c}\n",
            "ok".to_owned(),
        ),
        (
            "opsgenie_configs: [{api_key: k, responders: [{name: n, type: robot}]}]",
            "",
            at(
                50,
                "opsgenie_configs[0].responders[0]",
                "opsGenieConfig responder { n  robot} type does not match valid options ^(team|teams|user|escalation|schedule)$",
            ),
        ),
        (
            "slack_configs: [{api_url: 'https://s/', api_url_file: /f}]",
            "",
            at(
                21,
                "slack_configs[0]",
                "at most one of api_url & api_url_file must be configured",
            ),
        ),
        (
            "opsgenie_configs: [{api_key: k, api_key_file: /f}]",
            "",
            at(
                24,
                "opsgenie_configs[0]",
                "at most one of api_key & api_key_file must be configured",
            ),
        ),
        (
            "webhook_configs: [{url: 'http://h/', http_config: {basic_auth: {username: u}, bearer_token: t}}]",
            "",
            at(
                55,
                "webhook_configs[0].http_config",
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
            ),
        ),
        (
            "email_configs: [{to: a@b, from: c@d, smarthost: mail}]",
            "",
            at(
                53,
                "email_configs[0].smarthost",
                "address mail: missing port in address",
            ),
        ),
        (
            "webhook_configs: [{url_file: /f}]",
            "",
            at(
                24,
                "webhook_configs[0]",
                "field url_file not found in type config.plain (allowed here: http_config, url, \
                 max_alerts, send_resolved)",
            ),
        ),
        (
            "webhook_configs: [{url: 'http://h/', http_config: {tls_config: {insecure_skip_verify: maybe}}}]",
            "",
            at(
                91,
                "webhook_configs[0].http_config.tls_config.insecure_skip_verify",
                "cannot unmarshal !!str `maybe` into bool",
            ),
        ),
        (
            "msteams_configs: [{webhook_url: 'https://t/'}]",
            "",
            at(
                5,
                "",
                "field msteams_configs not found in type config.plain (allowed here: name, \
                 discord_configs, email_configs, pagerduty_configs, slack_configs, \
                 webhook_configs, opsgenie_configs, wechat_configs, pushover_configs, \
                 victorops_configs, sns_configs, telegram_configs, webex_configs)",
            )
            .replace("receivers[0].: ", "receivers[0]: "),
        ),
    ] {
        assert_eq!(check_receiver(integration, global), expect, "{integration}");
    }
}

#[test]
fn an_empty_matcher_set_on_the_root_is_no_matcher() {
    check(
        &format!("route:\n  receiver: a\n  matchers: ['{{}}']\n{RECEIVERS}"),
        "ok",
    );
    check(
        &format!("route:\n  receiver: a\n  matchers: ['{{}}', 'x=\"1\"']\n{RECEIVERS}"),
        "line 2, column 3: route: root route must not have any matchers",
    );
}

#[test]
fn the_fallback_mode_warns_where_alertmanager_0_25_refuses() {
    let yaml = format!(
        "route:\n  receiver: a\n  routes:\n    - matchers: [' {{team=\"a\"}}']\n      receiver: b\n{RECEIVERS}"
    );
    let fallback = Config::parse(&yaml, ConfigOptions::default()).map(|c| {
        c.warnings
            .iter()
            .map(|w| (w.field.clone(), w.location))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        fallback,
        Ok(vec![(
            "route.routes[0].matchers[0]".to_owned(),
            Some((4, 18))
        )])
    );
    let classic = Config::parse(
        &yaml,
        ConfigOptions {
            matcher_mode: ParserMode::Classic,
        },
    );
    assert!(
        matches!(&classic, Err(e) if e.message.starts_with("bad matcher format")),
        "{classic:?}"
    );
}

#[test]
fn merged_route_fields_combine_by_their_go_types() {
    // `matchers` lists are appended and `match` maps combined, as yaml.v2 decodes a merge into
    // the same value; the receiver is replaced.
    let yaml = format!(
        "route:\n  receiver: a\n  routes:\n    - &base\n      receiver: a\n      match: {{team: x}}\n      matchers: ['env=\"p\"']\n      continue: true\n    - <<: *base\n      receiver: b\n      match: {{svc: y}}\n      matchers: ['tier=\"1\"']\n{RECEIVERS}"
    );
    let got = Config::parse(&yaml, ConfigOptions::default()).map(|c| {
        c.route.nodes.get(2).map(|n| {
            (
                n.opts.receiver.clone(),
                crate::alertmanager::matchers::render(&n.matchers),
            )
        })
    });
    assert_eq!(
        got,
        Ok(Some((
            "b".to_owned(),
            r#"{env="p",svc="y",team="x",tier="1"}"#.to_owned()
        )))
    );
}
