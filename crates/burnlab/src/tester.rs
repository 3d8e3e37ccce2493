//! The label tester: one alert's labels, the alerts already
//! firing, the silences and an instant, all as text the user typed, answered from a config with
//! [`crate::alertmanager::decide`]: the receivers as `amtool config routes test` prints them,
//! each matched route with its group key, group labels and effective timers, whether the alert
//! is inhibited (by which rule and which firing alert) or silenced (by which silence), and
//! whether its routes' time intervals hold it back at that instant, with the instant shown in
//! each interval's own time zone.
//!
//! Instants are UTC wall-clock text (`2024-03-16T12:00`, as a browser's datetime field gives
//! it); nothing here reads the clock.

use serde::{Deserialize, Serialize};

use crate::alertmanager::config::Config;
use crate::alertmanager::decide::decide;
use crate::alertmanager::inhibit::AlertState;
use crate::alertmanager::lint::effective_repeat_text;
use crate::alertmanager::matchers::{self, Labels};
use crate::alertmanager::routing::{PassedOver, RouteTree};
use crate::alertmanager::silence::Silence;
use crate::error::{Error, Result};

/// A silence as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SilenceText {
    /// Matchers, `alertname="X", severity=~"page|ticket"`.
    pub matchers: String,
    /// Start, UTC, `2024-03-16T12:00`.
    pub starts: String,
    /// End, UTC.
    pub ends: String,
}

/// Everything the tester is asked, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TestInput {
    /// The tested alert's labels, `k=v, k="v"`.
    pub labels: String,
    /// Alerts firing at the instant, one label set each: the candidates for inhibition.
    pub firing: Vec<String>,
    /// Silences.
    pub silences: Vec<SilenceText>,
    /// The instant, UTC, `2024-03-16T12:00`.
    pub at: String,
}

/// One matched route, with what Alertmanager would do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteAnswer {
    /// The node's index in the tree (depth-first order).
    pub node: usize,
    /// The route's path as written, `route.routes[1]`.
    pub path: String,
    /// The receiver.
    pub receiver: String,
    /// Alertmanager's aggregation group key.
    pub group_key: String,
    /// The labels the alert is grouped by, `{alertname="X", slo="api"}`.
    pub group_labels: String,
    /// `group_by` in effect: `alertname, slo`, `...` or empty for none.
    pub group_by: String,
    /// Effective `group_wait`.
    pub group_wait: String,
    /// Effective `group_interval`.
    pub group_interval: String,
    /// Effective `repeat_interval`.
    pub repeat_interval: String,
    /// How often repeats really go out (see [`crate::alertmanager::lint::effective_repeat`]).
    pub effective_repeat: String,
    /// Why the route's time intervals hold notifications back now, if they do.
    pub held_by_time: Option<String>,
    /// Whether a notification goes out through this route now.
    pub notifies: bool,
}

/// The inhibition that mutes the alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InhibitAnswer {
    /// Index of the rule in `inhibit_rules`.
    pub rule: usize,
    /// The rule, `source {…} → target {…} equal [slo]`, and its line.
    pub rule_text: String,
    /// 1-based line of the rule in the config.
    pub line: usize,
    /// Index of the firing alert that inhibits, in the order typed.
    pub source: usize,
}

/// One named time interval at the instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalAnswer {
    /// The interval's name.
    pub name: String,
    /// The instant in each entry's location, `Europe/Berlin: Sat 2024-03-16 13:00 CET`.
    pub local_times: Vec<String>,
    /// Whether the instant is inside.
    pub inside: bool,
    /// Whether a matched route names it (as mute or active interval).
    pub used_by_match: bool,
}

/// A route the alert was compared with and did not enter, and why: the matchers it fails, or
/// the earlier sibling that matched without `continue` (so Alertmanager never tried it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRoute {
    /// The node's index in the tree (depth-first order).
    pub node: usize,
    /// The route's path as written, `route.routes[1]`.
    pub path: String,
    /// Its receiver.
    pub receiver: String,
    /// Why it was not entered, one sentence per failed matcher:
    /// `needs slo="availability", the alert has none`.
    pub reasons: Vec<String>,
}

/// An item of the firing-alert or silence list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemError {
    /// `firing` or `silences`.
    pub list: String,
    /// The item's index.
    pub index: usize,
    /// What is wrong.
    pub message: String,
}

/// The tester's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TestAnswer {
    /// The labels text this answers, as typed (so a front can tell which input it shows).
    pub labels: String,
    /// The receivers, comma-separated, exactly as `amtool config routes test` prints them.
    pub receivers: String,
    /// Every matched route, in Alertmanager's order.
    pub routes: Vec<RouteAnswer>,
    /// Node indices on the path to a matched route (the matched ones included).
    pub on_path: Vec<usize>,
    /// The routes beside the path that the alert did not enter, with the reason, in tree order.
    pub skipped: Vec<SkippedRoute>,
    /// The inhibition muting the alert, if any.
    pub inhibited: Option<InhibitAnswer>,
    /// Indices of the silences muting it.
    pub silenced_by: Vec<usize>,
    /// Every named time interval at the instant.
    pub intervals: Vec<IntervalAnswer>,
    /// Firing alerts and silences that could not be read (they are left out of the answer).
    pub item_errors: Vec<ItemError>,
}

/// Splits `k=v, k="v,w"` on the commas outside double quotes (a backslash escapes a quote).
fn split_items(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(text.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(text.get(start..).unwrap_or_default());
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A label set typed as `k=v, k="v"`: each item read as `amtool config routes test` reads its
/// arguments (so `team=c=d` is `c=d`, and a quoted value may hold commas). The set may be
/// written in braces, `{k="v", j="w"}`, as Alertmanager and Prometheus print label sets.
pub fn parse_labels(text: &str, field: &str) -> Result<Labels> {
    let mut labels = Labels::new();
    let trimmed = text.trim();
    let text = match trimmed.strip_prefix('{') {
        Some(inner) => inner.strip_suffix('}').ok_or_else(|| {
            Error::field(
                field,
                "opens a `{` that is not closed: write the set as {k=\"v\", j=\"w\"} or without braces",
            )
        })?,
        None => trimmed,
    };
    for item in split_items(text) {
        let (name, value) = matchers::parse_label(item)
            .map_err(|e| Error::field(field, format!("`{item}`: {e}")))?;
        labels.insert(name, value);
    }
    Ok(labels)
}

/// A UTC instant typed as `YYYY-MM-DDTHH:MM[:SS]` (an optional trailing `Z`), in Unix seconds.
pub fn parse_instant(text: &str, field: &str) -> Result<i64> {
    let t = text.trim().trim_end_matches(['Z', 'z']);
    let dt: jiff::civil::DateTime = t.parse().map_err(|_| {
        Error::field(
            field,
            format!("`{text}` is not a UTC date and time: write it as 2024-03-16T12:00"),
        )
    })?;
    jiff::tz::TimeZone::UTC
        .to_timestamp(dt)
        .map(|t| t.as_second())
        .map_err(|e| Error::field(field, format!("`{text}`: {e}")))
}

/// Unix seconds as the tester's UTC text, `2024-03-16T12:00`.
pub fn format_instant(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// The instant in an interval's `location` (UTC when absent), as people read it.
fn local_time(unix: i64, location: Option<&str>) -> String {
    let name = location.unwrap_or("UTC");
    let tz = match name {
        "" | "UTC" | "Local" => Ok(jiff::tz::TimeZone::UTC),
        other => jiff::tz::db().get(other),
    };
    match (tz, jiff::Timestamp::from_second(unix)) {
        (Ok(tz), Ok(ts)) => format!(
            "{name}: {}",
            ts.to_zoned_datetime(tz).strftime("%a %Y-%m-%d %H:%M %Z")
        ),
        _ => format!("{name}: unknown time zone"),
    }
}

/// Answers the tester from `config`. The alert's labels and the instant must read; firing
/// alerts and silences that do not are reported in [`TestAnswer::item_errors`] and left out.
pub fn answer(config: &Config, input: &TestInput) -> Result<TestAnswer> {
    let labels = parse_labels(&input.labels, "labels")?;
    let at = parse_instant(&input.at, "instant")?;
    let mut item_errors = Vec::new();
    let mut firing = Vec::new();
    // Indices into `input.firing` of the alerts that were read, for naming the inhibitor.
    let mut firing_index = Vec::new();
    for (i, text) in input.firing.iter().enumerate() {
        match parse_labels(text, "firing alert") {
            Ok(l) if l.is_empty() => {}
            Ok(l) => {
                firing.push(AlertState {
                    labels: l,
                    ends_at: None,
                });
                firing_index.push(i);
            }
            Err(e) => item_errors.push(ItemError {
                list: "firing".into(),
                index: i,
                message: e.message,
            }),
        }
    }
    let mut silences = Vec::new();
    let mut silence_index = Vec::new();
    for (i, s) in input.silences.iter().enumerate() {
        let read = || -> Result<Silence> {
            let starts = parse_instant(&s.starts, "start")?;
            let ends = parse_instant(&s.ends, "end")?;
            // Silences come from amtool or the API, which read them with the fallback parser
            // (it accepts what either parser reads), whatever the config's own mode.
            Silence::parse(
                &[s.matchers.as_str()],
                matchers::ParserMode::Fallback,
                starts,
                ends,
            )
        };
        match read() {
            Ok(silence) => {
                silences.push(silence);
                silence_index.push(i);
            }
            Err(e) => item_errors.push(ItemError {
                list: "silences".into(),
                index: i,
                message: format!("{}: {}", e.field, e.message),
            }),
        }
    }
    let decision = decide(config, &labels, &firing, &silences, at)?;
    let tree = &config.route;
    let mut on_path: Vec<usize> = Vec::new();
    let mut used_intervals: Vec<&str> = Vec::new();
    let routes = decision
        .deliveries
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let o = d.route.opts;
            for n in &d.route.trail {
                if !on_path.contains(n) {
                    on_path.push(*n);
                }
            }
            used_intervals.extend(o.mute_time_intervals.iter().map(String::as_str));
            used_intervals.extend(o.active_time_intervals.iter().map(String::as_str));
            RouteAnswer {
                node: d.route.node,
                path: d.route.path.to_owned(),
                receiver: o.receiver.clone(),
                group_key: tree.group_key(d.route.node, &labels),
                group_labels: matchers::label_set(&tree.group_labels(d.route.node, &labels)),
                group_by: o.group_by.to_string(),
                group_wait: o.group_wait.to_string(),
                group_interval: o.group_interval.to_string(),
                repeat_interval: o.repeat_interval.to_string(),
                effective_repeat: effective_repeat_text(o.group_interval, o.repeat_interval),
                held_by_time: d.held_by_time.clone(),
                notifies: decision.notifies(i),
            }
        })
        .collect();
    let skipped = skipped_routes(tree, &labels, &on_path);
    let inhibited = decision.inhibited_by.and_then(|(rule, source)| {
        let r = config.inhibit_rules.get(rule)?;
        Some(InhibitAnswer {
            rule,
            rule_text: r.describe(),
            line: r.pos.line,
            source: firing_index.get(source).copied().unwrap_or(source),
        })
    });
    let mut intervals = Vec::new();
    for ti in &config.time_intervals {
        let mut local_times: Vec<String> = Vec::new();
        for entry in &ti.intervals.0 {
            let t = local_time(at, entry.location.as_deref());
            if !local_times.contains(&t) {
                local_times.push(t);
            }
        }
        if local_times.is_empty() {
            local_times.push(local_time(at, None));
        }
        intervals.push(IntervalAnswer {
            name: ti.name.clone(),
            local_times,
            inside: ti.intervals.contains(at)?,
            used_by_match: used_intervals.contains(&ti.name.as_str()),
        });
    }
    Ok(TestAnswer {
        labels: input.labels.clone(),
        receivers: tree.receivers_line(&labels),
        routes,
        on_path,
        skipped,
        inhibited,
        silenced_by: decision
            .silenced_by
            .iter()
            .map(|&i| silence_index.get(i).copied().unwrap_or(i))
            .collect(),
        intervals,
        item_errors,
    })
}

/// Why one matcher fails for `labels`, as a person reads it.
fn failed_matcher(m: &matchers::Matcher, labels: &Labels) -> String {
    match labels.get(m.name()) {
        Some(v) => format!(
            "needs {m}, the alert has {}={}",
            m.name(),
            matchers::go_quote(v)
        ),
        None => format!("needs {m}, the alert has no {}", m.name()),
    }
}

/// The routes beside the path, each with why the alert did not enter it, in words.
fn skipped_routes(tree: &RouteTree, labels: &Labels, on_path: &[usize]) -> Vec<SkippedRoute> {
    tree.passed_over(labels, on_path)
        .into_iter()
        .filter_map(|(node, why)| {
            let n = tree.nodes.get(node)?;
            let reasons = match why {
                PassedOver::Fails(failed) => {
                    failed.iter().map(|m| failed_matcher(m, labels)).collect()
                }
                PassedOver::After(first) => vec![format!(
                    "not tried: {} matched before it and has no `continue: true`",
                    tree.nodes.get(first).map_or("", |f| f.path.as_str())
                )],
            };
            Some(SkippedRoute {
                node,
                path: n.path.clone(),
                receiver: n.opts.receiver.clone(),
                reasons,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::ConfigOptions;

    const CONFIG: &str = r#"
route:
  receiver: default
  group_by: [alertname, slo]
  routes:
    - receiver: pager
      matchers: ['severity="page"']
      group_wait: 10s
      continue: true
    - receiver: tickets
      matchers: ['severity=~"page|ticket"']
      mute_time_intervals: [nights]
      repeat_interval: 12m
receivers: [{name: default}, {name: pager}, {name: tickets}]
inhibit_rules:
  - source_matchers: ['severity="page"']
    target_matchers: ['severity="ticket"']
    equal: [slo]
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '22:00', end_time: '24:00'}]
        location: Europe/Berlin
"#;

    /// Runs the tester and prints what a person reads: receivers, each route's key facts,
    /// inhibition, silences and interval states.
    fn check(input: TestInput, expect: &str) {
        let config = Config::parse(CONFIG, ConfigOptions::default()).unwrap();
        let got = match answer(&config, &input) {
            Err(e) => e.to_string(),
            Ok(a) => {
                let mut out = vec![format!("receivers: {}", a.receivers)];
                for r in &a.routes {
                    out.push(format!(
                        "{} → {} key {} group {} wait {} repeat {} notifies {}{}",
                        r.path,
                        r.receiver,
                        r.group_key,
                        r.group_labels,
                        r.group_wait,
                        r.effective_repeat,
                        r.notifies,
                        r.held_by_time
                            .as_ref()
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default()
                    ));
                }
                if let Some(i) = &a.inhibited {
                    out.push(format!(
                        "inhibited by firing[{}] via rule {} at line {}: {}",
                        i.source, i.rule, i.line, i.rule_text
                    ));
                }
                if !a.silenced_by.is_empty() {
                    out.push(format!("silenced by {:?}", a.silenced_by));
                }
                for t in &a.intervals {
                    out.push(format!(
                        "{} inside={} used={} {}",
                        t.name,
                        t.inside,
                        t.used_by_match,
                        t.local_times.join("; ")
                    ));
                }
                for e in &a.item_errors {
                    out.push(format!("{}[{}]: {}", e.list, e.index, e.message));
                }
                out.join("\n")
            }
        };
        assert_eq!(got, expect);
    }

    fn input(labels: &str, firing: &[&str], at: &str) -> TestInput {
        TestInput {
            labels: labels.into(),
            firing: firing.iter().map(|s| (*s).to_owned()).collect(),
            silences: Vec::new(),
            at: at.into(),
        }
    }

    #[test]
    fn a_page_goes_to_both_routes_with_their_own_keys_and_timers() {
        check(
            input(
                "alertname=ApiPage, severity=page, slo=api",
                &[],
                "2024-03-16T12:00",
            ),
            "receivers: pager,tickets\n\
             route.routes[0] → pager key {}/{severity=\"page\"}:{alertname=\"ApiPage\", slo=\"api\"} group {alertname=\"ApiPage\", slo=\"api\"} wait 10s repeat 4h5m (sometimes 4h) notifies true\n\
             route.routes[1] → tickets key {}/{severity=~\"page|ticket\"}:{alertname=\"ApiPage\", slo=\"api\"} group {alertname=\"ApiPage\", slo=\"api\"} wait 30s repeat 15m notifies true\n\
             nights inside=false used=true Europe/Berlin: Sat 2024-03-16 13:00 CET",
        );
    }

    #[test]
    fn a_ticket_is_inhibited_by_a_firing_page_of_the_same_slo_only() {
        check(
            input(
                "severity=ticket, slo=api",
                &["severity=page, slo=other", "severity=page, slo=api"],
                "2024-03-16T12:00",
            ),
            "receivers: tickets\n\
             route.routes[1] → tickets key {}/{severity=~\"page|ticket\"}:{slo=\"api\"} group {slo=\"api\"} wait 30s repeat 15m notifies false\n\
             inhibited by firing[1] via rule 0 at line 16: source {severity=\"page\"} → target {severity=\"ticket\"} equal [slo]\n\
             nights inside=false used=true Europe/Berlin: Sat 2024-03-16 13:00 CET",
        );
    }

    #[test]
    fn the_mute_interval_is_read_in_its_own_time_zone() {
        // 21:30 UTC is 22:30 in Berlin in March (CET): inside `nights`.
        check(
            input("severity=ticket", &[], "2024-03-16T21:30"),
            "receivers: tickets\n\
             route.routes[1] → tickets key {}/{severity=~\"page|ticket\"}:{} group {} wait 30s repeat 15m notifies false (muted by time interval \"nights\")\n\
             nights inside=true used=true Europe/Berlin: Sat 2024-03-16 22:30 CET",
        );
    }

    #[test]
    fn silences_mute_in_their_window_and_bad_items_are_reported_not_fatal() {
        let mut i = input(
            "severity=info, team=x",
            &["severity=\"unterminated"],
            "2024-03-16T12:00",
        );
        i.silences = vec![
            SilenceText {
                matchers: "team=x".into(),
                starts: "2024-03-16T11:00".into(),
                ends: "2024-03-16T13:00Z".into(),
            },
            SilenceText {
                matchers: "team=~\".*\"".into(),
                starts: "2024-03-16T11:00".into(),
                ends: "2024-03-16T13:00".into(),
            },
            SilenceText {
                matchers: "team=x".into(),
                starts: "yesterday".into(),
                ends: "2024-03-16T13:00".into(),
            },
        ];
        check(
            i,
            "receivers: default\n\
             route → default key {}:{} group {} wait 30s repeat 4h5m (sometimes 4h) notifies false\n\
             silenced by [0]\n\
             nights inside=false used=false Europe/Berlin: Sat 2024-03-16 13:00 CET\n\
             firing[0]: `severity=\"unterminated`: matcher value contains unescaped double quote: \"unterminated\n\
             silences[1]: matchers: at least one matcher must not match the empty string\n\
             silences[2]: start: `yesterday` is not a UTC date and time: write it as 2024-03-16T12:00",
        );
    }

    #[test]
    fn labels_and_instant_errors_name_their_field() {
        check(
            input("severity", &[], "2024-03-16T12:00"),
            "labels: `severity`: bad matcher format: severity",
        );
        check(
            input("severity=~page", &[], "2024-03-16T12:00"),
            "labels: `severity=~page`: labels must be specified as key=value pairs",
        );
        check(
            input("a=b", &[], "16/03/2024"),
            "instant: `16/03/2024` is not a UTC date and time: write it as 2024-03-16T12:00",
        );
    }

    #[test]
    fn quoted_values_may_hold_commas_and_escaped_quotes() {
        let got = parse_labels(r#"env="x,y", slo="say \"hi\"", team=c=d"#, "labels").unwrap();
        let want: Labels = [("env", "x,y"), ("slo", "say \"hi\""), ("team", "c=d")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(format_instant(1_710_590_400), "2024-03-16T12:00");
        assert_eq!(parse_instant("2024-03-16T12:00", "t"), Ok(1_710_590_400));
    }

    /// The lesson's tree: the pagerduty route needs two labels, the warning route one.
    const LESSON: &str = "route:\n  receiver: default-receiver\n  routes:\n    - match: {severity: critical, slo: availability}\n      receiver: pagerduty-critical\n    - match: {severity: warning}\n      receiver: slack-warnings\n    - match: {team: payments}\n      receiver: payments\nreceivers: [{name: default-receiver}, {name: pagerduty-critical}, {name: slack-warnings}, {name: payments}]\n";

    fn skipped(config: &str, labels: &str) -> Vec<String> {
        let config = Config::parse(config, ConfigOptions::default()).unwrap();
        let a = answer(&config, &input(labels, &[], "2024-03-16T12:00")).unwrap();
        a.skipped
            .iter()
            .map(|s| format!("{} ({}): {}", s.path, s.receiver, s.reasons.join("; ")))
            .collect()
    }

    #[test]
    fn each_route_beside_the_path_says_which_matcher_the_alert_fails() {
        assert_eq!(
            skipped(LESSON, "severity=\"critical\", team=\"billing\""),
            [
                "route.routes[0] (pagerduty-critical): needs slo=\"availability\", the alert has no slo",
                "route.routes[1] (slack-warnings): needs severity=\"warning\", the alert has severity=\"critical\"",
                "route.routes[2] (payments): needs team=\"payments\", the alert has team=\"billing\"",
            ]
        );
    }

    #[test]
    fn routes_after_a_match_without_continue_were_never_tried() {
        assert_eq!(
            skipped(LESSON, "severity=warning, team=payments"),
            [
                "route.routes[0] (pagerduty-critical): needs severity=\"critical\", the alert has severity=\"warning\"; needs slo=\"availability\", the alert has no slo",
                "route.routes[2] (payments): not tried: route.routes[1] matched before it and has no `continue: true`",
            ]
        );
    }

    #[test]
    fn label_sets_may_be_typed_in_braces_as_alertmanager_prints_them() {
        let braces = parse_labels("{severity=\"critical\", team=\"payments\"}", "labels").unwrap();
        let bare = parse_labels("severity=critical, team=payments", "labels").unwrap();
        assert_eq!(braces, bare);
        assert_eq!(parse_labels(" {} ", "labels").unwrap(), Labels::new());
        let e = parse_labels("{severity=critical", "labels").unwrap_err();
        assert_eq!(e.field, "labels");
        assert!(e.message.contains("not closed"), "{}", e.message);
    }
}
