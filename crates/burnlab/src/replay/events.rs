//! A replay as a list of events in words, for a readable timeline (the CLI's default output and
//! an event list): incidents starting and ending, alerts going pending, firing and
//! resolving, notifications going out.

use crate::alertmanager::matchers::{self, Labels};
use crate::format;
use crate::replay::notify::secs;
use crate::replay::{Outcome, Scenario, Timeline};

/// One event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// When, in seconds from the start.
    pub at_s: f64,
    /// The wall-clock time, `2024-01-02 03:00:00` (UTC).
    pub clock: String,
    /// What happened.
    pub text: String,
}

/// Wall-clock text of `at_ms` after `start_unix`: `2024-01-02 03:00:00` (UTC).
pub fn clock(start_unix: i64, at_ms: i64) -> String {
    crate::replay::scenario::format_instant(start_unix + at_ms.div_euclid(1000))
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_owned()
}

/// `{severity="page", slo="availability"}` without `alertname`.
pub fn label_text(labels: &Labels) -> String {
    matchers::label_set(labels.iter().filter(|(k, _)| k.as_str() != "alertname"))
}

fn name(labels: &Labels) -> &str {
    labels.get("alertname").map_or("?", String::as_str)
}

/// The events of one timeline, sorted by time.
pub fn of_timeline(timeline: &Timeline, scenario: &Scenario) -> Vec<Event> {
    let mut out: Vec<(i64, u8, String)> = Vec::new();
    let ms = |s: f64| (s * 1000.0).round() as i64;
    for a in &timeline.alerts {
        let who = format!("{} {}", name(&a.labels), label_text(&a.labels));
        for (s, _) in &a.pending {
            out.push((ms(*s), 1, format!("pending  {who}")));
        }
        for (s, e) in &a.firing {
            out.push((ms(*s), 2, format!("FIRING   {who}")));
            if let Some(e) = e {
                out.push((ms(*e), 3, format!("resolved {who}")));
            }
        }
    }
    for n in &timeline.notifications {
        let names = |ls: &[Labels]| {
            ls.iter()
                .map(|l| name(l).to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!("notify   {} via {}", n.receiver, n.integration);
        if !n.firing.is_empty() {
            text.push_str(&format!(": firing {}", names(&n.firing)));
        }
        if !n.resolved.is_empty() {
            text.push_str(&format!(
                "{} resolved {}",
                if n.firing.is_empty() { ":" } else { ";" },
                names(&n.resolved)
            ));
        }
        if n.uncertain {
            text.push_str(" (uncertain");
            if let Some(alt) = n.alternative_at_s {
                text.push_str(&format!(", or at {}", clock(scenario.start_time, ms(alt))));
            }
            text.push(')');
        }
        out.push((ms(n.at_s), 4, text));
    }
    let end = scenario.duration_ms();
    for (i, inc) in scenario.incidents.iter().enumerate() {
        let label = inc
            .name
            .clone()
            .unwrap_or_else(|| format!("incidents[{i}]"));
        let occ: Vec<(i64, i64)> = inc.occurrences(end).collect();
        let ratio = if inc.error_ratio.from == inc.error_ratio.to {
            format!("{} errors", format::percent(inc.error_ratio.from))
        } else {
            format!(
                "errors from {} to {}",
                format::percent(inc.error_ratio.from),
                format::percent(inc.error_ratio.to)
            )
        };
        let kind = if inc.noise { "blip" } else { "incident" };
        let (Some(first), Some(last)) = (occ.first(), occ.last()) else {
            continue;
        };
        let repeat = if occ.len() > 1 {
            format!(
                ", {} times every {}",
                occ.len(),
                inc.every.map(|d| d.to_string()).unwrap_or_default()
            )
        } else {
            String::new()
        };
        out.push((
            first.0,
            0,
            format!(
                "{kind} `{label}` starts: {ratio} for {}{repeat}",
                inc.duration
            ),
        ));
        out.push((last.1, 0, format!("{kind} `{label}` ends")));
    }
    out.sort_by_key(|(t, k, _)| (*t, *k));
    out.into_iter()
        .map(|(t, _, text)| Event {
            at_s: secs(t),
            clock: clock(scenario.start_time, t),
            text,
        })
        .collect()
}

/// The events of the rules' timeline of `outcome`.
pub fn of(outcome: &Outcome, scenario: &Scenario) -> Vec<Event> {
    of_timeline(&outcome.timeline, scenario)
}
