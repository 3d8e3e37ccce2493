//! Bad input, one table across every format burnlab reads: each row is an input and the exact
//! message it gets, which names the field, the line and column where the input is a file (a
//! byte offset for text that is not UTF-8), and what would be right.

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::matchers::ParserMode;
use burnlab::replay::scenario::Scenario;
use burnlab::rules::{RuleFile, Spec};
use burnlab::{Duration, ErrorRatio, Objective, Period, RequestRate};

/// A format burnlab reads, and how it reads one input.
#[derive(Debug, Clone, Copy)]
enum Format {
    /// An alertmanager.yml, matchers read by the fallback parser (Alertmanager 0.27+).
    Am,
    /// An alertmanager.yml, matchers read by the classic parser (Alertmanager 0.25).
    AmClassic,
    /// A Prometheus rule file or PrometheusRule manifest.
    Rules,
    /// A Sloth or OpenSLO spec.
    Spec,
    /// A replay scenario.
    Scenario,
    /// Raw bytes of a file, checked as UTF-8.
    Bytes,
    /// The budget's objective, period, error ratio and request rate, and a duration.
    Objective,
    Period,
    Errors,
    Rate,
    Duration,
}

fn read(format: Format, input: &str) -> String {
    let result = match format {
        Format::Am => Config::parse(input, ConfigOptions::default()).map(|_| ()),
        Format::AmClassic => Config::parse(
            input,
            ConfigOptions {
                matcher_mode: ParserMode::Classic,
            },
        )
        .map(|_| ()),
        Format::Rules => RuleFile::parse(input).map(|_| ()),
        Format::Spec => Spec::parse(input).map(|_| ()),
        Format::Scenario => Scenario::parse(input).map(|_| ()),
        Format::Bytes => {
            let bytes: Vec<u8> = input
                .split("\\x")
                .enumerate()
                .flat_map(|(i, part)| {
                    if i == 0 {
                        part.as_bytes().to_vec()
                    } else {
                        let mut v = vec![u8::from_str_radix(&part[..2], 16).unwrap()];
                        v.extend_from_slice(&part.as_bytes()[2..]);
                        v
                    }
                })
                .collect();
            burnlab::limits::utf8(&bytes, "alertmanager.yml").map(|_| ())
        }
        Format::Objective => Objective::parse(input).map(|_| ()),
        Format::Period => Period::parse(input).map(|_| ()),
        Format::Errors => ErrorRatio::parse(input).map(|_| ()),
        Format::Rate => RequestRate::parse(input).map(|_| ()),
        Format::Duration => Duration::parse(input, "group_wait").map(|_| ()),
    };
    match result {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

use Format::*;

const AM: &str = "route:\n  receiver: team\nreceivers:\n  - name: team\n";

/// A config with `route` extended by `route_extra` (indented under `route:`).
fn am(route_extra: &str) -> String {
    format!("route:\n  receiver: team\n{route_extra}receivers:\n  - name: team\n")
}

const SPEC: &str = "version: prometheus/v1\nservice: api\nslos:\n  - name: availability\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total[{{.window}}]))\n    alerting:\n      name: ApiAvailability\n";

fn spec(from: &str, to: &str) -> String {
    assert!(SPEC.contains(from), "{from}");
    SPEC.replacen(from, to, 1)
}

const OPENSLO: &str = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n  service: api\n  indicator:\n    metadata:\n      name: good\n    spec:\n      ratioMetric:\n        counter: true\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: http_requests_total{code!~\"5..\"}\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: http_requests_total\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.995\n";

fn openslo(from: &str, to: &str) -> String {
    assert!(OPENSLO.contains(from), "{from}");
    OPENSLO.replacen(from, to, 1)
}

const RULES: &str = "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        expr: job:errors:ratio5m > 0.01\n        for: 5m\n        labels:\n          severity: page\n";

fn rules(from: &str, to: &str) -> String {
    assert!(RULES.contains(from), "{from}");
    RULES.replacen(from, to, 1)
}

const SCENARIO: &str = "duration: 1d\nrequests_per_second: 100\nincidents:\n  - {start: 1h, duration: 30m, error_ratio: 0.02}\n";

fn scenario(from: &str, to: &str) -> String {
    assert!(SCENARIO.contains(from), "{from}");
    SCENARIO.replacen(from, to, 1)
}

fn table() -> Vec<(Format, String, &'static str)> {
    vec![
        (Am, String::new(),
            "line 1, column 1: route: no routes provided (the config needs a top-level `route:` naming the default `receiver`, e.g. `route: {receiver: default}`)",
        ),
        (Am, "route:\n  receiver: team\n".into(),
            "line 2, column 13: route.receiver: undefined receiver \"team\" used in route",
        ),
        (Am, "route:\n  recevier: team\nreceivers:\n  - name: team\n".into(),
            "line 2, column 3: route: field recevier not found in type config.plain (did you mean `receiver`? allowed here: receiver, group_by, match, match_re, matchers, mute_time_intervals, active_time_intervals, continue, routes, group_wait, group_interval, repeat_interval)",
        ),
        (Am, "route:\n  receiver: team\nreceivers:\n  - name: team\nrecievers: []\n".into(),
            "line 5, column 1: config: field recievers not found in type config.plain (did you mean `receivers`? allowed here: global, route, receivers, inhibit_rules, time_intervals, mute_time_intervals, templates)",
        ),
        (Am, "route:\n  receiver: nobody\nreceivers:\n  - name: team\n".into(),
            "line 2, column 13: route.receiver: undefined receiver \"nobody\" used in route",
        ),
        (Am, "receivers:\n  - name: team\n".into(),
            "line 1, column 1: route: no routes provided (the config needs a top-level `route:` naming the default `receiver`, e.g. `route: {receiver: default}`)",
        ),
        (Am, "route:\nreceivers:\n  - name: team\n".into(),
            "line 1, column 1: route: no routes provided (the config needs a top-level `route:` naming the default `receiver`, e.g. `route: {receiver: default}`)",
        ),
        (Am, am("  matchers: ['severity==\"critical\"']\n"),
            "line 3, column 14: route.matchers[0]: expected label value (found `=` at column 10; a matcher is a label name, one of = != =~ !~, and a value, e.g. severity=\"critical\")",
        ),
        (Am, am("  matchers: ['severity=\"critical']\n"),
            "line 3, column 14: route.matchers[0]: 9: \"critical: missing end \" (the value opened with \" at column 10 is never closed: add the closing quote)",
        ),
        (Am, am("  matchers: ['severity=~\"(\"']\n"),
            "line 3, column 14: route.matchers[0]: failed to create matcher: error parsing regexp \"(\": found open group without closing ')'",
        ),
        (Am, am("  matchers: ['=\"x\"']\n"),
            "line 3, column 14: route.matchers[0]: expected label name (found `=` at column 1; a matcher is a label name, one of = != =~ !~, and a value, e.g. severity=\"critical\")",
        ),
        (Am, am("  match_re:\n    severity: '(page'\n"),
            "line 4, column 5: route.match_re.severity: error parsing regexp \"(page\": found open group without closing ')'",
        ),
        (Am, am("  group_wait: soon\n"),
            "line 3, column 15: route.group_wait: not a valid duration string: \"soon\" (whole numbers with units from y to ms, no spaces or signs, e.g. 30s, 5m, 1h30m)",
        ),
        (Am, am("  group_interval: -5m\n"),
            "line 3, column 19: route.group_interval: not a valid duration string: \"-5m\" (whole numbers with units from y to ms, no spaces or signs, e.g. 30s, 5m, 1h30m)",
        ),
        (Am, am("  repeat_interval: 0s\n"),
            "line 3, column 20: route.repeat_interval: repeat_interval cannot be zero",
        ),
        (Am, am("  group_by: [alertname, alertname]\n"),
            "line 3, column 13: route.group_by: duplicated label \"alertname\" in group_by",
        ),
        (Am, am("  group_by: [bad-label]\n"),
            "line 3, column 13: route.group_by: invalid label name \"bad-label\" in group_by list",
        ),
        (Am, am("  continue: maybe\n"),
            "line 3, column 13: route.continue: cannot unmarshal !!str `maybe` into bool",
        ),
        (Am, am("  routes:\n    - receiver: missing\n"),
            "line 4, column 17: route.routes[0].receiver: undefined receiver \"missing\" used in route",
        ),
        (Am, am("  routes:\n    - matchers: severity=page\n      receiver: team\n"),
            "line 4, column 17: route.routes[0].matchers: cannot unmarshal !!str `severity=page` into []string",
        ),
        (Am, am("  mute_time_intervals: [night]\n"),
            "line 2, column 3: route: root route must not have any mute time intervals",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: night\n    time_intervals:\n      - times: [{{start_time: '25:00', end_time: '26:00'}}]\n"),
            "line 8, column 30: time_intervals[0].time_intervals[0].times[0].start_time: couldn't parse timestamp 25:00, invalid format (write HH:MM from 00:00 to 24:00, e.g. 09:00 or 17:30)",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: night\n    time_intervals:\n      - times: [{{start_time: '18:00', end_time: '09:00'}}]\n"),
            "line 8, column 17: time_intervals[0].time_intervals[0].times[0]: start time cannot be equal or greater than end time (a range past midnight is two ranges: 22:00–24:00 and 00:00–06:00)",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: days\n    time_intervals:\n      - weekdays: ['monday:funday']\n"),
            "line 8, column 20: time_intervals[0].time_intervals[0].weekdays: funday is not a valid weekday (use sunday … saturday, or a range like monday:friday)",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: days\n    time_intervals:\n      - days_of_month: ['0']\n"),
            "line 8, column 25: time_intervals[0].time_intervals[0].days_of_month: 0 is not a valid day of the month: out of range",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: days\n    time_intervals:\n      - months: ['smarch']\n"),
            "line 8, column 18: time_intervals[0].time_intervals[0].months: smarch is not a valid month (use january … december or 1 … 12, or a range like january:march)",
        ),
        (Am, format!("{AM}time_intervals:\n  - name: tz\n    time_intervals:\n      - location: Mars/Olympus\n"),
            "line 8, column 19: time_intervals[0].time_intervals[0].location: unknown time zone Mars/Olympus",
        ),
        (Am, format!("{AM}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_matchers: ['severity=~\"[\"']\n"),
            "line 7, column 23: inhibit_rules[0].target_matchers[0]: failed to create matcher: error parsing regexp \"[\": non-empty character class has no closing bracket",
        ),
        (Am, format!("{AM}inhibit_rules:\n  - source_matchers: ['severity=\"page\"']\n    target_match_re:\n      severity: '[a-'\n"),
            "line 8, column 7: inhibit_rules[0].target_match_re.severity: error parsing regexp \"[a-\": invalid range in character class",
        ),
        (Am, "route:\n  receiver: team\nreceivers:\n  - name: team\n  - name: team\n".into(),
            "line 5, column 5: receivers[1]: notification config name \"team\" is not unique",
        ),
        (Am, "route:\n  receiver: team\nreceivers:\n  - name: team\n    webhook_configs:\n      - url: not a url\n".into(),
            "line 6, column 14: receivers[0].webhook_configs[0].url: unsupported scheme \"\" for URL",
        ),
        (Am, "route:\n  receiver: team\nreceivers:\n  - name: team\n    slack_configs:\n      - channel: '#x'\n".into(),
            "line 6, column 9: receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file",
        ),
        (Am, "route:\n  receiver: team\nglobal:\n  resolve_timeout: forever\nreceivers:\n  - name: team\n".into(),
            "line 4, column 20: global.resolve_timeout: not a valid duration string: \"forever\" (whole numbers with units from y to ms, no spaces or signs, e.g. 30s, 5m, 1h30m)",
        ),
        (Am, "route:\n  receiver: team\nreceivers:\n  - name: team\n    email_configs:\n      - to: a@example.com\n".into(),
            "line 6, column 9: receivers[0].email_configs[0]: no global SMTP smarthost set",
        ),
        (Am, "route: [receiver]\nreceivers: []\n".into(),
            "line 1, column 8: route: cannot unmarshal !!seq into config.plain",
        ),
        (Am, "route:\n  receiver: team\n  receiver: other\nreceivers:\n  - name: team\n".into(),
            "line 3, column 3: config: mapping key \"receiver\" already defined at line 2",
        ),
        (Am, "route:\n  receiver: team\n\treceivers:\n".into(),
            "line 3, column 1: config: YAML error: found character that cannot start any token (a tab where YAML needs spaces)",
        ),
        (Am, "route:\n  receiver: 'team\nreceivers: []\n".into(),
            "line 4, column 1: config: YAML error: the text ends inside the quoted value opened at line 2, column 13: close its quote (found unexpected end of stream)",
        ),
        (Am, "route:\n  receiver: *missing\nreceivers: []\n".into(),
            "line 2, column 13: config: YAML error: found unknown anchor",
        ),
        (AmClassic, am("  matchers: ['severity=\"page\", team=~\"a|b\"', 'x=\"1\"', 'a b=\"c\"']\n"),
            "line 3, column 55: route.matchers[2]: bad matcher format: a b=\"c\"",
        ),
        (AmClassic, am("  matchers: ['\"team name\"=\"x\"']\n"),
            "line 3, column 14: route.matchers[0]: bad matcher format: \"team name\"=\"x\"",
        ),
        (Rules, "groups: {}\n".into(),
            "line 1, column 9: groups: must be a list, not a mapping",
        ),
        (Rules, "groups:\n  - name: g\n    rules:\n      - alert: A\n".into(),
            "line 4, column 9: groups[0].rules[0].expr: is missing or empty",
        ),
        (Rules, "groups:\n  - rules: []\n".into(),
            "line 2, column 5: groups[0].name: is missing: every group needs a name",
        ),
        (Rules, "groups:\n  - name: g\n    rules:\n      - record: job errors\n        expr: x\n".into(),
            "line 4, column 17: groups[0].rules[0].record: invalid recording rule name: `job errors` is not a metric name (letters, digits, _ and :, not starting with a digit, e.g. job:errors:ratio_rate5m)",
        ),
        (Rules, rules("for: 5m", "for: five minutes"),
            "line 6, column 14: groups[0].rules[0].for: `five minutes` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Rules, rules("      - alert: HighErrors\n", "      - alert: HighErrors\n        record: also\n"),
            "line 5, column 9: groups[0].rules[0].record: a rule is either `record` or `alert`, not both",
        ),
        (Rules, rules("severity: page", "severity: page\n        annotations:\n          run-book: x"),
            "line 10, column 11: groups[0].rules[0].annotations.run-book: `run-book` is not a label name: use letters, digits and _, not starting with a digit",
        ),
        (Rules, rules("severity: page", "bad-name: page"),
            "line 8, column 11: groups[0].rules[0].labels.bad-name: `bad-name` is not a label name: use letters, digits and _, not starting with a digit",
        ),
        (Rules, rules("        for: 5m\n", "        fro: 5m\n"),
            "line 6, column 9: groups[0].rules[0].fro: unknown field `fro`: expected one of record, alert, expr, for, keep_firing_for, labels, annotations",
        ),
        (Rules, rules("  - name: g\n", "  - name: g\n    interval: often\n"),
            "line 3, column 15: groups[0].interval: `often` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Rules, rules("for: 5m", "keep_firing_for: soon"),
            "line 6, column 26: groups[0].rules[0].keep_firing_for: `soon` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Rules, "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec:\n  grups: []\n".into(),
            "line 6, column 3: spec.grups: unknown field `grups`: expected one of groups",
        ),
        (Spec, String::new(),
            "spec: is empty: start with `version: prometheus/v1`",
        ),
        (Spec, spec("version: prometheus/v1", "version: prometheus/v2"),
            "line 1, column 10: version: `prometheus/v2` is not supported: burnlab reads Sloth's `prometheus/v1` specs",
        ),
        (Spec, spec("objective: 99.9", "objective: 100"),
            "line 5, column 16: slos[0].objective: 100 % leaves no error budget: every failed event breaks the objective, so every burn rate is infinite and no burn-rate alert can be written for it (burnlab rules refuses it; pick 99.9 or similar to alert on burn)",
        ),
        (Spec, spec("objective: 99.9", "objective: 101"),
            "line 5, column 16: slos[0].objective: 101 % is outside (0 %, 100 %]: give the share of good events, e.g. 99.9",
        ),
        (Spec, spec("objective: 99.9", "objective: high"),
            "line 5, column 16: slos[0].objective: `high` is not a number: write a percentage like 99.9",
        ),
        (Spec, spec("{{.window}}]))\n        total", "{{.window}}])\n        total"),
            "line 8, column 22: slos[0].sli.events.error_query: is not PromQL: the `(` opened here is never closed (line 1, column 4 of the query)",
        ),
        (Spec, spec("code=~\"5..\"", "code=~\"5(..\""),
            "line 8, column 22: slos[0].sli.events.error_query: is not PromQL that Prometheus accepts: illegal regex for 5(.. (with the window as 5m)",
        ),
        (Spec, spec("sum(rate(http_requests_total[{{.window}}]))", "sum(rate(http_requests_total[5m]))"),
            "line 9, column 22: slos[0].sli.events.total_query: has no `{{.window}}` placeholder: write the range as [{{.window}}] so each window gets its own rule",
        ),
        (Spec, spec("    objective: 99.9\n", "    objective: 99.9\n    labels:\n      bad-name: x\n"),
            "line 7, column 7: slos[0].labels.bad-name: `bad-name` is not a label name: use letters, digits and _, not starting with a digit",
        ),
        (Spec, spec("service: api\n", "service: api\nlabels:\n  0team: x\n"),
            "line 4, column 3: labels.0team: `0team` is not a label name: use letters, digits and _, not starting with a digit",
        ),
        (Spec, spec("    objective: 99.9\n", "    objectiv: 99.9\n"),
            "line 5, column 5: slos[0].objectiv: unknown field `objectiv`: expected one of name, objective, description, labels, sli, alerting, burnlab",
        ),
        (Spec, spec("name: availability", "name: avail ability"),
            "line 4, column 11: slos[0].name: `avail ability` is not a name: use letters, digits, _, - and .",
        ),
        (Spec, spec("    alerting:\n      name: ApiAvailability\n", ""),
            "line 4, column 11: slos[0].alerting.name: is missing: name the alert (e.g. TaskApiAvailability), or disable page_alert and ticket_alert",
        ),
        (Spec, spec("service: api\n", "service: api\nburnlab:\n  period: 45x\n"),
            "line 4, column 11: burnlab.period: `45x` is not a duration: `x` is not a unit (use y, w, d, h, m, s or ms) (e.g. 5m, 1h30m, 30d)",
        ),
        (Spec, spec("service: api\n", "service: api\nburnlab:\n  tiers: fastest\n"),
            "line 4, column 10: burnlab.tiers: `fastest` is not a tier set: use workbook, workbook-daily, sloth or pyrra",
        ),
        // Found by the `sloth_spec` fuzz target: passed through to rules Prometheus refuses.
        (
            Spec,
            spec(
                "      name: ApiAvailability\n",
                "      name: ApiAvailability\n      page_alert:\n        annotations:\n          run book: x\n",
            ),
            "line 14, column 11: slos[0].alerting.page_alert.annotations.run book: `run book` is not a label name: use letters, digits and _, not starting with a digit",
        ),
        // Found by the `sloth_spec` fuzz target: a URL or annotation becomes an alert's template,
        // which promtool refused in the generated rules.
        (Spec, spec("service: api\n", "service: api\nburnlab:\n  dashboard_url: https://grafana{{ .window m/d/x\n"),
            "line 4, column 18: burnlab.dashboard_url: is not a template Prometheus can read: bad character U+002F '/', at character 27 of the value; write `{{` as `{{ \"{{\" }}` to mean the characters",
        ),
        (
            Spec,
            spec(
                "      name: ApiAvailability\n",
                "      name: ApiAvailability\n      annotations:\n        summary: \"{{ $value \"\n",
            ),
            "line 13, column 18: slos[0].alerting.annotations.summary: is not a template Prometheus can read: unclosed action, at character 11 of the value; write `{{` as `{{ \"{{\" }}` to mean the characters",
        ),
        (Spec, openslo("target: 0.995", "target: 99.5"),
            "line 28, column 15: spec.objectives[0].target: `99.5` is outside (0, 1]: OpenSLO targets are ratios of good events, like 0.999 for 99.9 %; for 99.5 % write 0.995",
        ),
        (Spec, openslo("target: 0.995", "target: 0"),
            "line 28, column 15: spec.objectives[0].target: `0` is outside (0, 1]: OpenSLO targets are ratios of good events, like 0.999 for 99.9 %",
        ),
        (Spec, openslo("duration: 28d", "duration: 28 days"),
            "line 24, column 17: spec.timeWindow[0].duration: `28 days` is not a duration: ` ` is not a unit (use y, w, d, h, m, s or ms) (e.g. 5m, 1h30m, 30d)",
        ),
        (Spec, openslo("budgetingMethod: Occurrences", "budgetingMethod: Timeslices"),
            "line 26, column 20: spec.budgetingMethod: does not map onto burnlab: only `Occurrences` budgeting is a ratio of events",
        ),
        (Spec, openslo("kind: SLO", "kind: SLI"),
            "line 2, column 7: kind: `SLI` does not map onto burnlab: give an SLO document",
        ),
        (Scenario, String::new(),
            "scenario: is empty: give at least `duration` and `requests_per_second`",
        ),
        (Scenario, scenario("duration: 1d", "duration: forever"),
            "line 1, column 11: duration: `forever` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Scenario, scenario("requests_per_second: 100", "requests_per_second: lots"),
            "line 2, column 22: requests_per_second: `lots` is not a request rate: write 1000 (per second) or 10/h",
        ),
        (Scenario, scenario("error_ratio: 0.02", "error_ratio: 2"),
            "line 4, column 45: incidents[0].error_ratio: 2 is outside [0, 1]: it is a share of requests, so 0.02 means 2 %",
        ),
        (Scenario, scenario("duration: 1d\n", "duration: 1d\nstart_time: 2024-13-01T00:00:00Z\n"),
            "line 2, column 13: start_time: `2024-13-01T00:00:00Z` is not an instant: write it as RFC 3339, e.g. 2024-01-01T00:00:00Z",
        ),
        (Scenario, scenario("duration: 1d\n", "duration: 1d\nevaluation_interval: 1ms\nduration_extra: 1\n"),
            "line 3, column 1: duration_extra: unknown key `duration_extra`: expected one of name, description, start_time, duration, scrape_interval, evaluation_interval, requests_per_second, daily_shape, error_ratio, slow_ratio, incidents, silences",
        ),
        (Scenario, scenario("{start: 1h,", "{start: 2d,"),
            "line 4, column 1: incidents[0].start: 2d is not before the end of the scenario (1d)",
        ),
        (Scenario, format!("{SCENARIO}silences:\n  - {{matchers: ['severity==\"x\"'], start: 1h, end: 2h}}\n"),
            "line 6, column 16: silences[0].matchers: expected label value (found `=` at column 10; a matcher is a label name, one of = != =~ !~, and a value, e.g. severity=\"critical\")",
        ),
        (Bytes, "route:\n  receiver: caf\\xe9\n".into(),
            "line 2, column 16: alertmanager.yml: is not UTF-8 text: byte 0xe9 at byte offset 22 does not start a character; save the file as UTF-8",
        ),
        (Bytes, "\\xff\\xfeo\\x00".into(),
            "line 1, column 1: alertmanager.yml: is not UTF-8 text: byte 0xff at byte offset 0 does not start a character; save the file as UTF-8",
        ),
        (Bytes, "groups: []\n# \\xc3\\x28\n".into(),
            "line 2, column 3: alertmanager.yml: is not UTF-8 text: byte 0xc3 at byte offset 13 does not start a character; save the file as UTF-8",
        ),
        (Objective, "high".into(),
            "objective: `high` is not a percentage: write it like 99.9 or 99.9%",
        ),
        (Objective, "0".into(),
            "objective: 0 % is outside (0 %, 100 %]: give the share of good events, e.g. 99.9",
        ),
        (Objective, "".into(),
            "objective: is empty: give a percentage, e.g. 99.9",
        ),
        (Objective, "1e-20".into(),
            "objective: 1e-20 % is too close to 0 %: give the share of good events, e.g. 99.9",
        ),
        (Period, "forever".into(),
            "period: `forever` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Period, "0d".into(),
            "period: must be longer than zero, e.g. 30d",
        ),
        (Errors, "-1%".into(),
            "error ratio: -0.01 is outside [0, 1]: it is a ratio, so 0.005 means 0.5 %",
        ),
        (Errors, "150%".into(),
            "error ratio: 1.5 is outside [0, 1]: it is a ratio, so 0.005 means 0.5 %",
        ),
        (Rate, "fast".into(),
            "requests per second: `fast` is not a request rate: write 1000 (per second) or 10/h",
        ),
        (Rate, "10/fortnight".into(),
            "requests per second: `10/fortnight` is not a request rate: write 1000 (per second) or 10/h",
        ),
        (Duration, "5 minutes".into(),
            "group_wait: `5 minutes` is not a duration: ` ` is not a unit (use y, w, d, h, m, s or ms) (e.g. 5m, 1h30m, 30d)",
        ),
        (Duration, "1h-5m".into(),
            "group_wait: `1h-5m` is not a duration: each unit needs a whole number before it (e.g. 5m, 1h30m, 30d)",
        ),
        (Duration, "99999999999999999999y".into(),
            "group_wait: `99999999999999999999y` is not a duration: the number is too large (e.g. 5m, 1h30m, 30d)",
        ),
    ]
}

#[test]
fn every_bad_input_gets_a_message_naming_the_field_the_place_and_what_would_be_right() {
    let rows = table();
    assert!(rows.len() >= 60, "{} rows", rows.len());
    let mut wrong = Vec::new();
    for (i, (format, input, want)) in rows.iter().enumerate() {
        let got = read(*format, input);
        if got != *want {
            wrong.push(format!(
                "row {i} ({format:?}) {input:?}\n  want {want:?}\n  got  {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows differ:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}
