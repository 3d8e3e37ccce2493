//! Broken configs: a random route tree with one named fault introduced (an undefined
//! receiver, a bad regex, a YAML syntax error, a bad time interval, …), for the oracle tests
//! that compare check-config verdicts and messages with amtool's.

use crate::trees::route_tree_config;

/// The kinds of fault [`broken_config`] can introduce, by name.
pub const FAULTS: &[&str] = &[
    "none",
    "undefined receiver",
    "duplicate receiver",
    "root with matchers",
    "continue on root",
    "invalid regex in matchers",
    "invalid label name in match",
    "wildcard group_by with labels",
    "duplicated group_by label",
    "zero group_interval",
    "zero repeat_interval",
    "unknown route field",
    "YAML syntax error",
    "bad duration",
    "webhook without url",
    "webhook url without scheme",
    "email without to",
    "email without smarthost",
    "slack without api url",
    "pagerduty without key",
    "undefined time interval",
    "valid time interval",
    "bad weekday",
    "duplicate time interval",
    "invalid equal label",
    "invalid inhibit regex",
    "receiver without name",
    "root without receiver",
    "no route",
    "unescaped quote in matcher",
    "valid inhibit rule",
    "repeat shorter than group interval",
    "valid time zone",
    "unknown time zone",
    "inverted times",
    "scalar group_by",
    "continue yes",
    "quoted continue",
    "empty matchers item",
    "numeric receiver name",
    "null routes",
    "duplicate key",
    "tab indentation",
    "unknown integration field",
    "slack with global url",
    "email with global smarthost",
    "opsgenie without key",
    "victorops with global key",
    "unknown integration kind",
    "webhook with max_alerts",
    "global unknown field",
    "resolve timeout",
    "templates",
    "invalid group_by label",
    "match_re bad regex",
    "interval month 13",
    "interval month 0",
    "interval uppercase weekday",
    "interval year range backwards",
    "interval negative day range",
    "interval day 32",
    "interval end 24:00",
    "interval start 24:00",
    "interval missing end",
    "interval weekday number",
    "interval month names range",
    "interval three-part range",
    "interval unknown field",
];

/// A config built from a random tree with the named fault (one of [`FAULTS`]) introduced.
pub fn broken_config(seed: u64, fault: &str) -> String {
    let base = route_tree_config(seed, 2);
    let webhook = "  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:9/hook\n";
    let add_route = |extra: &str| {
        base.replacen(
            "route:\n",
            &format!("route:\n  routes:\n    - receiver: r1\n{extra}"),
            1,
        )
    };
    // When the base tree already has `routes`, a second key would be a duplicate: put the
    // extra route under a fresh key by renaming the base one.
    let with_route = |extra: &str| {
        let b = base.replacen("\n  routes:\n", "\n  routes_unused_marker:\n", 1);
        let b = if b.contains("routes_unused_marker") {
            b.replacen("  routes_unused_marker:\n", "  routes:\n", 1)
        } else {
            b
        };
        if b.contains("\n  routes:\n") {
            b.replacen(
                "\n  routes:\n",
                &format!("\n  routes:\n    - receiver: r1\n{extra}"),
                1,
            )
        } else {
            add_route(extra)
        }
    };
    match fault {
        "undefined receiver" => with_route("      routes:\n        - receiver: nobody\n"),
        "duplicate receiver" => format!("{base}  - name: r2\n"),
        "root with matchers" => base.replacen("route:\n", "route:\n  matchers: ['a=\"b\"']\n", 1),
        "continue on root" => base.replacen("route:\n", "route:\n  continue: true\n", 1),
        "invalid regex in matchers" => with_route("      matchers: ['a=~\"(\"']\n"),
        "invalid label name in match" => with_route("      match: {\"1bad\": x}\n"),
        "wildcard group_by with labels" => with_route("      group_by: ['...', alertname]\n"),
        "duplicated group_by label" => with_route("      group_by: [a, a]\n"),
        "zero group_interval" => with_route("      group_interval: 0s\n"),
        "zero repeat_interval" => with_route("      repeat_interval: 0\n"),
        "unknown route field" => with_route("      recevier: r1\n"),
        "YAML syntax error" => base.replacen("receivers:", "receivers: [", 1),
        "bad duration" => with_route("      group_wait: 5x\n"),
        "webhook without url" => {
            format!("{base}  - name: hook\n    webhook_configs:\n      - send_resolved: false\n")
        }
        "webhook url without scheme" => {
            format!("{base}  - name: hook\n    webhook_configs:\n      - url: example.com/hook\n")
        }
        "email without to" => format!(
            "{base}  - name: mail\n    email_configs:\n      - smarthost: 'mail:25'\n        from: a@b.c\n"
        ),
        "email without smarthost" => format!(
            "{base}  - name: mail\n    email_configs:\n      - to: x@y.z\n        from: a@b.c\n"
        ),
        "slack without api url" => {
            format!("{base}  - name: chat\n    slack_configs:\n      - channel: '#x'\n")
        }
        "pagerduty without key" => {
            format!("{base}  - name: pd\n    pagerduty_configs:\n      - severity: critical\n")
        }
        "undefined time interval" => with_route("      mute_time_intervals: [night]\n"),
        "valid time interval" => format!(
            "{}time_intervals:\n  - name: night\n    time_intervals:\n      - times: [{{start_time: '00:00', end_time: '06:00'}}]\n        weekdays: ['monday:friday']\n",
            with_route("      mute_time_intervals: [night]\n")
        ),
        "bad weekday" => format!(
            "{base}time_intervals:\n  - name: w\n    time_intervals:\n      - weekdays: [funday]\n"
        ),
        "duplicate time interval" => format!(
            "{base}time_intervals:\n  - name: w\n    time_intervals: []\nmute_time_intervals:\n  - name: w\n    time_intervals: []\n"
        ),
        "invalid equal label" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_matchers: ['severity=\"ticket\"']\n    equal: ['bad-label']\n"
        ),
        "invalid inhibit regex" => format!(
            "{base}inhibit_rules:\n  - source_match_re: {{severity: '(page'}}\n    target_match: {{severity: ticket}}\n"
        ),
        "valid inhibit rule" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_match_re: {{severity: 'ticket|info'}}\n    equal: [slo, service]\n"
        ),
        "receiver without name" => format!("{base}  - webhook_configs:\n      - url: http://x/\n"),
        "root without receiver" => {
            let b = base.replacen("route:\n  receiver: ", "route:\n  x_receiver: ", 1);
            b.replacen("  x_receiver: ", "  group_by: [", 1).replacen(
                "group_by: [r",
                "group_wait: 1s\n  # r",
                1,
            )
        }
        "no route" => format!("receivers:\n{webhook}"),
        "unescaped quote in matcher" => with_route("      matchers: ['a=\"x\"y\"']\n"),
        "valid time zone" | "unknown time zone" | "inverted times" => {
            let (location, times) = match fault {
                "valid time zone" => ("Europe/Berlin", "'09:00', end_time: '17:00'"),
                "unknown time zone" => ("Europe/Berln", "'09:00', end_time: '17:00'"),
                _ => ("UTC", "'17:00', end_time: '09:00'"),
            };
            format!(
                "{}time_intervals:\n  - name: office\n    time_intervals:\n      - times: [{{start_time: {times}}}]\n        location: {location}\n",
                with_route("      active_time_intervals: [office]\n")
            )
        }
        "scalar group_by" => with_route("      group_by: alertname\n"),
        "continue yes" => with_route("      continue: yes\n"),
        "quoted continue" => with_route("      continue: 'true'\n"),
        "empty matchers item" => with_route("      matchers: ['']\n"),
        "numeric receiver name" => {
            format!("{base}  - name: 42\n").replace("receiver: r1\n", "receiver: 42\n")
        }
        "null routes" => with_route("      routes:\n"),
        "duplicate key" => with_route("      group_wait: 1s\n      group_wait: 2s\n"),
        "tab indentation" => with_route("\t  group_wait: 1s\n"),
        "unknown integration field" => format!(
            "{base}  - name: hook\n    webhook_configs:\n      - url: http://h/\n        urll: x\n"
        ),
        "slack with global url" => format!(
            "global:\n  slack_api_url: https://hooks.slack.com/x\n{base}  - name: chat\n    slack_configs:\n      - channel: '#x'\n"
        ),
        "email with global smarthost" => format!(
            "global:\n  smtp_smarthost: 'mail:25'\n  smtp_from: a@b.c\n{base}  - name: mail\n    email_configs:\n      - to: x@y.z\n"
        ),
        "opsgenie without key" => {
            format!("{base}  - name: og\n    opsgenie_configs:\n      - message: hi\n")
        }
        "victorops with global key" => format!(
            "global:\n  victorops_api_key: k\n{base}  - name: vo\n    victorops_configs:\n      - routing_key: r\n"
        ),
        "unknown integration kind" => {
            format!("{base}  - name: x\n    teams_configs:\n      - url: http://h/\n")
        }
        "webhook with max_alerts" => format!(
            "{base}  - name: hook\n    webhook_configs:\n      - url: https://h/x\n        max_alerts: 5\n        send_resolved: false\n"
        ),
        "global unknown field" => format!("global:\n  resolve_timeot: 5m\n{base}"),
        "resolve timeout" => format!("global:\n  resolve_timeout: 1h30m\n{base}"),
        "templates" => format!("templates: []\n{base}"),
        "invalid group_by label" => with_route("      group_by: ['bad-label']\n"),
        "match_re bad regex" => with_route("      match_re: {a: 'x{2}{3}'}\n"),
        f if f.starts_with("interval ") => {
            let body = match f {
                "interval month 13" => "months: ['13']",
                "interval month 0" => "months: ['0']",
                "interval uppercase weekday" => "weekdays: ['MONDAY:Friday']",
                "interval year range backwards" => "years: ['2030:2020']",
                "interval negative day range" => "days_of_month: ['-7:-1', '1:3']",
                "interval day 32" => "days_of_month: ['32']",
                "interval end 24:00" => "times: [{start_time: '23:00', end_time: '24:00'}]",
                "interval start 24:00" => "times: [{start_time: '24:00', end_time: '24:00'}]",
                "interval missing end" => "times: [{start_time: '01:00'}]",
                "interval weekday number" => "weekdays: ['1']",
                "interval month names range" => "months: ['january:march', 'December']",
                "interval three-part range" => "months: ['1:2:3']",
                _ => "dayz: ['1']",
            };
            format!(
                "{}time_intervals:\n  - name: t\n    time_intervals:\n      - {body}\n",
                with_route("      mute_time_intervals: [t]\n")
            )
        }
        "repeat shorter than group interval" => {
            with_route("      repeat_interval: 1m\n      group_interval: 5m\n")
        }
        _ => base,
    }
}
