//! The Alertmanager half alone: alerts given as firing intervals, sent as Prometheus would send
//! them, through a configuration, to notifications (`burnlab notify`).
//!
//! Input (JSON, or the same shape in YAML); times are seconds from the start:
//! ```json
//! {"resend_interval": "1m", "evaluation_interval": "30s", "until_s": 3600,
//!  "start_time": "2024-01-01T00:00:00Z",
//!  "alerts": [{"labels": {"alertname": "X", "severity": "page"},
//!              "firing": [[60, 600], [900, null]], "age_s": 0}],
//!  "silences": [{"matchers": ["severity=\"ticket\""], "start_s": 0, "end_s": 600}]}
//! ```
//! Each firing interval `[start, end]` is seen by evaluations at start, start + evaluation
//! interval, …; the alert is sent when it starts firing (`startsAt` = start − `age_s`), re-sent
//! whenever its last send is more than `resend_interval` old, resolved at `end` and re-sent
//! resolved for 15 minutes, as Prometheus does. `null` means it fires to the end. The simulation
//! runs until `until_s` (default: an hour after the last start or end).

use serde::{Deserialize, Serialize};

use crate::alertmanager::config::Config;
use crate::alertmanager::matchers::{Labels, ParserMode};
use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::replay::dispatch::{self, ActiveSilence, AmPlan, Env, Notice};
use crate::replay::prometheus::{Machine, RESOLVED_RETENTION_MS, Send, Timing, Track};
use crate::replay::scenario::DEFAULT_START;
use crate::yaml::{self, Node};

/// One alert of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertInput {
    /// Its labels.
    pub labels: Labels,
    /// Firing intervals in ms: `(start, end)`, `None` to the end.
    pub firing: Vec<(i64, Option<i64>)>,
    /// How far `startsAt` is backdated, in ms.
    pub age_ms: i64,
}

/// A silence of the input, in ms.
#[derive(Debug, Clone, PartialEq)]
pub struct SilenceInput {
    /// Matchers as amtool takes them.
    pub matchers: Vec<String>,
    /// Start, inclusive.
    pub start_ms: i64,
    /// End, inclusive.
    pub end_ms: i64,
}

/// The whole input of `burnlab notify`.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyInput {
    /// Prometheus's resend delay.
    pub resend_ms: i64,
    /// Prometheus's evaluation interval.
    pub eval_ms: i64,
    /// The start instant in Unix seconds (for time intervals).
    pub start_time: i64,
    /// When the simulation stops, in ms.
    pub until_ms: i64,
    /// The alerts.
    pub alerts: Vec<AlertInput>,
    /// The silences.
    pub silences: Vec<SilenceInput>,
}

/// A notification, as the CLI prints it and a page shows it. In JSON the keys of a certain
/// notification's other time and reason are left out; binary formats carry every field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Notification {
    /// The receiver's name.
    pub receiver: String,
    /// The integration: `webhook[0]`, `slack[1]`, …
    pub integration: String,
    /// When it goes out, in seconds from the start.
    pub at_s: f64,
    /// Alertmanager's group key.
    pub group_key: String,
    /// Firing alerts' labels, in Alertmanager's order.
    pub firing: Vec<Labels>,
    /// Resolved alerts' labels (only for integrations with `send_resolved`).
    pub resolved: Vec<Labels>,
    /// Whether the real Alertmanager may do otherwise (see `why`).
    pub uncertain: bool,
    /// When uncertain, the other instant it may go out at.
    #[serde(default)]
    pub alternative_at_s: Option<f64>,
    /// When uncertain, why.
    #[serde(default)]
    pub why: Option<String>,
}

impl Serialize for Notification {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // A binary format reads fields by position, so it must get all of them.
        let all = !serializer.is_human_readable();
        let alternative = all || self.alternative_at_s.is_some();
        let why = all || self.why.is_some();
        let len = 7 + usize::from(alternative) + usize::from(why);
        let mut s = serializer.serialize_struct("Notification", len)?;
        s.serialize_field("receiver", &self.receiver)?;
        s.serialize_field("integration", &self.integration)?;
        s.serialize_field("at_s", &self.at_s)?;
        s.serialize_field("group_key", &self.group_key)?;
        s.serialize_field("firing", &self.firing)?;
        s.serialize_field("resolved", &self.resolved)?;
        s.serialize_field("uncertain", &self.uncertain)?;
        if alternative {
            s.serialize_field("alternative_at_s", &self.alternative_at_s)?;
        } else {
            s.skip_field("alternative_at_s")?;
        }
        if why {
            s.serialize_field("why", &self.why)?;
        } else {
            s.skip_field("why")?;
        }
        s.end()
    }
}

/// Milliseconds as seconds.
pub fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// Turns the simulation's notices into notifications with labels and names.
pub fn notifications(plan: &AmPlan, alerts: &[Labels], notices: &[Notice]) -> Vec<Notification> {
    let labels = |ids: &[u32]| -> Vec<Labels> {
        ids.iter()
            .filter_map(|i| alerts.get(*i as usize).cloned())
            .collect()
    };
    notices
        .iter()
        .filter_map(|n| {
            let g = plan.groups.get(n.group as usize)?;
            let integ = g.integrations.get(n.integration as usize)?;
            Some(Notification {
                receiver: g.receiver.clone(),
                integration: format!("{}[{}]", integ.kind, integ.index),
                at_s: secs(n.at),
                group_key: g.key.clone(),
                firing: labels(&n.firing),
                resolved: labels(&n.resolved),
                uncertain: n.uncertain,
                alternative_at_s: n.alternative_at.map(secs),
                why: n.why.map(str::to_owned),
            })
        })
        .collect()
}

fn ms_of(node: &Node, path: &str) -> Result<i64> {
    let text = node
        .scalar()
        .ok_or_else(|| node.error(path, "must be a number of seconds"))?;
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| node.error(path, format!("`{text}` is not a number of seconds")))?;
    if !v.is_finite() || !(-1e12..=1e12).contains(&v) {
        return Err(node.error(path, "is out of range"));
    }
    Ok((v * 1000.0).round() as i64)
}

fn duration_ms(node: &Node, path: &str) -> Result<i64> {
    let text = node
        .scalar()
        .ok_or_else(|| node.error(path, "must be a duration such as 1m"))?;
    let d = match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => (secs * 1000.0).round() as i64,
        _ => Duration::parse(text, path)
            .map_err(|e| node.error(path, e.message))?
            .as_millis() as i64,
    };
    if d <= 0 {
        return Err(node.error(path, "must be longer than 0"));
    }
    Ok(d)
}

impl NotifyInput {
    /// Reads the input (JSON or YAML).
    pub fn parse(text: &str) -> Result<Self> {
        let Some(root) = yaml::parse(text, "alerts file")? else {
            return Err(Error::field("alerts file", "is empty"));
        };
        let entries = root
            .entries()
            .ok_or_else(|| root.error("alerts file", "must be an object with `alerts`"))?;
        let mut input = NotifyInput {
            resend_ms: 60_000,
            eval_ms: 30_000,
            start_time: DEFAULT_START,
            until_ms: 0,
            alerts: Vec::new(),
            silences: Vec::new(),
        };
        let mut until = None;
        for (k, v) in entries {
            let key = k.scalar().unwrap_or_default();
            match key {
                "resend_interval" => input.resend_ms = duration_ms(v, key)?,
                "evaluation_interval" => input.eval_ms = duration_ms(v, key)?,
                "until_s" => until = Some(ms_of(v, key)?),
                "start_time" => {
                    let t = v.scalar().unwrap_or_default();
                    input.start_time =
                        crate::replay::scenario::parse_instant(t).ok_or_else(|| {
                            v.error(
                                key,
                                format!(
                                    "`{t}` is not an RFC 3339 instant, e.g. 2024-01-01T00:00:00Z"
                                ),
                            )
                        })?;
                }
                "alerts" => {
                    for (i, a) in v.items().unwrap_or(&[]).iter().enumerate() {
                        input.alerts.push(read_alert(a, &format!("alerts[{i}]"))?);
                    }
                }
                "silences" => {
                    for (i, s) in v.items().unwrap_or(&[]).iter().enumerate() {
                        input
                            .silences
                            .push(read_silence(s, &format!("silences[{i}]"))?);
                    }
                }
                other => {
                    return Err(k.error(
                        other,
                        format!("unknown key `{other}`: expected resend_interval, evaluation_interval, until_s, start_time, alerts, silences"),
                    ));
                }
            }
        }
        if input.alerts.is_empty() {
            return Err(root.error("alerts", "is missing or empty: give at least one alert"));
        }
        let last = input
            .alerts
            .iter()
            .flat_map(|a| a.firing.iter().flat_map(|(s, e)| [Some(*s), *e]))
            .flatten()
            .max()
            .unwrap_or(0);
        input.until_ms = until.unwrap_or(last + 3_600_000);
        let evaluations = input.until_ms / input.eval_ms;
        if evaluations > crate::replay::scenario::MAX_EVALUATIONS as i64 {
            return Err(Error::field(
                "until_s",
                format!(
                    "{evaluations} evaluations: at most {} are simulated; use a longer evaluation_interval",
                    crate::replay::scenario::MAX_EVALUATIONS
                ),
            ));
        }
        Ok(input)
    }

    /// The label sets, in input order.
    pub fn labels(&self) -> Vec<Labels> {
        self.alerts.iter().map(|a| a.labels.clone()).collect()
    }

    /// What Prometheus sends for these alerts, sorted by time.
    pub fn sends(&self) -> Vec<Send> {
        let mut sends = Vec::new();
        for (i, a) in self.alerts.iter().enumerate() {
            let timing = Timing {
                for_ms: 0,
                keep_firing_ms: 0,
                resend_ms: self.resend_ms,
                eval_ms: self.eval_ms,
                age_ms: a.age_ms,
            };
            let mut m = Machine::default();
            let mut track = Track::default();
            let mut intervals = a.firing.clone();
            intervals.sort_by_key(|(s, _)| *s);
            for (k, (start, end)) in intervals.iter().enumerate() {
                let stop = end.unwrap_or(self.until_ms).min(self.until_ms);
                let mut t = *start;
                while t < stop || (end.is_none() && t <= self.until_ms) {
                    m.step(t, true, &timing, i as u32, &mut sends, &mut track);
                    t += self.eval_ms;
                }
                let Some(end) = end else { continue };
                // Resolved at `end`, then re-sent until dropped or the next interval starts.
                let next = intervals.get(k + 1).map_or(i64::MAX, |(s, _)| *s);
                let mut t = *end;
                while t < next
                    && t <= self.until_ms
                    && t <= end + RESOLVED_RETENTION_MS + self.eval_ms
                {
                    m.step(t, false, &timing, i as u32, &mut sends, &mut track);
                    t += self.eval_ms;
                }
            }
        }
        sends.sort_by_key(|s| (s.at, s.instance));
        sends
    }

    /// Runs Alertmanager with `config` over the alerts.
    pub fn run(&self, config: &Config) -> Result<NotifyOutcome> {
        let labels = self.labels();
        let plan = AmPlan::compile(config, &labels);
        let mut silences = Vec::new();
        for (i, s) in self.silences.iter().enumerate() {
            let items: Vec<&str> = s.matchers.iter().map(String::as_str).collect();
            let silence = crate::alertmanager::silence::Silence::parse(
                &items,
                ParserMode::Fallback,
                self.start_time + s.start_ms / 1000,
                self.start_time + s.end_ms / 1000,
            )
            .map_err(|e| Error::field(format!("silences[{i}].{}", e.field), e.message))?;
            silences.push(ActiveSilence::new(
                silence.matchers(),
                s.start_ms,
                s.end_ms,
                &labels,
            ));
        }
        let env = Env {
            config,
            start_unix: self.start_time,
            end_ms: self.until_ms,
        };
        let sends = self.sends();
        let (notices, truncated) = dispatch::simulate(&plan, &env, &sends, &silences);
        let mut warnings = Vec::new();
        for r in &plan.silent_receivers {
            warnings.push(format!(
                "receiver `{r}` has no integrations: alerts routed to it notify nobody"
            ));
        }
        if truncated {
            warnings.push(format!(
                "stopped after {} notifications",
                dispatch::MAX_NOTIFICATIONS
            ));
        }
        Ok(NotifyOutcome {
            notifications: notifications(&plan, &labels, &notices),
            warnings,
        })
    }
}

/// What `burnlab notify` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotifyOutcome {
    /// The notifications, in time order.
    pub notifications: Vec<Notification>,
    /// Things a person should not miss.
    pub warnings: Vec<String>,
}

fn read_alert(node: &Node, path: &str) -> Result<AlertInput> {
    let labels_node = node
        .get("labels")
        .ok_or_else(|| node.error(format!("{path}.labels"), "is missing"))?;
    let mut labels = Labels::new();
    for (k, v) in labels_node.entries().unwrap_or(&[]) {
        let name = k.scalar().unwrap_or_default().to_owned();
        let value = v.scalar().unwrap_or_default().to_owned();
        if !value.is_empty() {
            labels.insert(name, value);
        }
    }
    if labels.is_empty() {
        return Err(labels_node.error(format!("{path}.labels"), "must have at least one label"));
    }
    let mut firing = Vec::new();
    let fp = format!("{path}.firing");
    let f = node
        .get("firing")
        .ok_or_else(|| node.error(&fp, "is missing: give [[start_s, end_s or null], …]"))?;
    for (i, iv) in f.items().unwrap_or(&[]).iter().enumerate() {
        let p = format!("{fp}[{i}]");
        let items = iv.items().unwrap_or(&[]);
        let (Some(s), Some(e)) = (items.first(), items.get(1)) else {
            return Err(iv.error(&p, "must be [start_s, end_s or null]"));
        };
        let start = ms_of(s, &p)?;
        let end = if e.is_null() {
            None
        } else {
            Some(ms_of(e, &p)?)
        };
        if end.is_some_and(|e| e <= start) {
            return Err(iv.error(&p, "ends before it starts"));
        }
        firing.push((start, end));
    }
    let mut sorted = firing.clone();
    sorted.sort_by_key(|(s, _)| *s);
    for w in sorted.windows(2) {
        if let [(_, e), (s, _)] = w
            && e.is_none_or(|e| e > *s)
        {
            return Err(f.error(&fp, "has overlapping intervals"));
        }
    }
    let age_ms = match node.get("age_s") {
        Some(a) => ms_of(a, &format!("{path}.age_s"))?,
        None => 0,
    };
    Ok(AlertInput {
        labels,
        firing,
        age_ms,
    })
}

fn read_silence(node: &Node, path: &str) -> Result<SilenceInput> {
    let matchers = node
        .get("matchers")
        .and_then(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|m| m.scalar().map(str::to_owned))
        .collect();
    let get = |k: &str| -> Result<i64> {
        let n = node
            .get(k)
            .ok_or_else(|| node.error(format!("{path}.{k}"), "is missing"))?;
        ms_of(n, &format!("{path}.{k}"))
    };
    Ok(SilenceInput {
        matchers,
        start_ms: get("start_s")?,
        end_ms: get("end_s")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::ConfigOptions;

    /// Runs `alerts` (JSON) through `config` and lists notifications as
    /// `at receiver [firing alertnames] [resolved alertnames]`, `?` when uncertain.
    fn check(config: &str, alerts: &str, expect: &[&str]) {
        let config = Config::parse(config, ConfigOptions::default()).unwrap();
        let input = NotifyInput::parse(alerts).unwrap();
        let out = input.run(&config).unwrap();
        let names = |ls: &[Labels]| {
            ls.iter()
                .map(|l| l.get("alertname").cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        };
        let got: Vec<String> = out
            .notifications
            .iter()
            .map(|n| {
                format!(
                    "{}{} {} [{}] [{}]",
                    n.at_s,
                    if n.uncertain { "?" } else { "" },
                    n.receiver,
                    names(&n.firing),
                    names(&n.resolved)
                )
            })
            .collect();
        assert_eq!(got, expect);
    }

    const TIMERS: &str = "route:\n  receiver: hook\n  group_wait: 1s\n  group_interval: 3s\n  repeat_interval: 5s\n  group_by: [team]\nreceivers:\n  - name: hook\n    webhook_configs: [{url: 'http://127.0.0.1:1/'}]\n";

    fn alerts(list: &[(&str, &str)]) -> String {
        let items: Vec<String> = list
            .iter()
            .map(|(name, firing)| {
                format!("{{\"labels\": {{\"alertname\": \"{name}\", \"team\": \"a\"}}, \"firing\": {firing}}}")
            })
            .collect();
        format!(
            "{{\"resend_interval\": \"1s\", \"evaluation_interval\": \"500ms\", \"until_s\": 20, \"alerts\": [{}]}}",
            items.join(", ")
        )
    }

    #[test]
    fn a_new_group_waits_group_wait_and_a_joining_alert_goes_at_the_next_tick() {
        // Section L: alerts at 0.5 s and 5.0 s, sent at 1.5 s, then both at 7.5 s; then repeats
        // every 6 s (5 s rounded up to the next 3 s tick).
        check(
            TIMERS,
            &alerts(&[("A", "[[0.5, null]]"), ("B", "[[5.0, null]]")]),
            &[
                "1.5 hook [A] []",
                "7.5 hook [A,B] []",
                "13.5 hook [A,B] []",
                "19.5 hook [A,B] []",
            ],
        );
    }

    #[test]
    fn a_repeat_interval_that_is_a_multiple_of_group_interval_is_uncertain() {
        check(
            &TIMERS.replace("repeat_interval: 5s", "repeat_interval: 6s"),
            &alerts(&[("A", "[[0.5, null]]")]),
            &["1.5 hook [A] []", "10.5? hook [A] []", "19.5? hook [A] []"],
        );
    }

    #[test]
    fn a_resolved_alert_is_sent_resolved_at_the_next_tick_when_send_resolved_is_on() {
        check(
            TIMERS,
            &alerts(&[("A", "[[0.5, 3.5]]"), ("B", "[[0.5, null]]")]),
            &[
                "1.5 hook [A,B] []",
                "4.5 hook [B] [A]",
                "10.5 hook [B] [A]",
                "16.5 hook [B] [A]",
            ],
        );
    }

    #[test]
    fn without_send_resolved_a_resolution_sends_nothing_and_repeats_carry_what_still_fires() {
        let config = TIMERS.replace(
            "{url: 'http://127.0.0.1:1/'}",
            "{url: 'http://127.0.0.1:1/', send_resolved: false}",
        );
        check(
            &config,
            &alerts(&[("A", "[[0.5, 3.5]]"), ("B", "[[0.5, null]]")]),
            &[
                "1.5 hook [A,B] []",
                "7.5 hook [B] []",
                "13.5 hook [B] []",
                "19.5 hook [B] []",
            ],
        );
        check(
            &config,
            &alerts(&[("A", "[[0.5, 3.5]]")]),
            &["1.5 hook [A] []"],
        );
    }

    #[test]
    fn an_alert_older_than_group_wait_flushes_a_new_group_at_once() {
        let json = "{\"resend_interval\": \"1s\", \"evaluation_interval\": \"500ms\", \"until_s\": 7, \"alerts\": [{\"labels\": {\"alertname\": \"A\", \"team\": \"a\"}, \"firing\": [[0.5, null]], \"age_s\": 60}]}";
        check(TIMERS, json, &["0.5 hook [A] []", "6.5 hook [A] []"]);
    }

    #[test]
    fn an_emptied_group_keeps_ticking_until_the_cleanup() {
        // A resolves at 3.5 s (sent resolved at 4.5 s) and fires again at 5 s, before the
        // cleanup at 30 s: it goes out at the old group's next tick (7.5 s), without group_wait.
        check(
            TIMERS,
            &alerts(&[("A", "[[0.5, 3.5], [5.0, null]]")]),
            &[
                "1.5 hook [A] []",
                "4.5 hook [] [A]",
                "7.5 hook [A] []",
                "13.5 hook [A] []",
                "19.5 hook [A] []",
            ],
        );
    }
}
