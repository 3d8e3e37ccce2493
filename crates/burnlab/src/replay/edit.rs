//! The scenario editor's fields: what a field of an incident or of the traffic reads as (the
//! same readings as the scenario format: `2%` or `0.02`, `90m`, `10/h`, an RFC 3339 instant),
//! applied to a scenario with a message when it does not read, and the text each field shows
//! for a scenario. An interactive front keeps the typed text beside these.

use crate::duration::Duration;
use crate::replay::scenario::{Incident, Ramp, Scenario, format_instant, parse_instant};
use crate::slo::{ErrorRatio, RequestRate};

/// A field of the selected incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentField {
    /// `name`.
    Name,
    /// `start`, a duration from the scenario's start.
    Start,
    /// `duration`.
    Duration,
    /// `error_ratio` (or `error_ratio_from` of a ramp).
    Error,
    /// `error_ratio_to`; empty for a step.
    ErrorTo,
    /// `slow_ratio` (or `slow_ratio_from`).
    Slow,
    /// `slow_ratio_to`; empty for a step.
    SlowTo,
    /// `every`; empty for none.
    Every,
    /// `count`.
    Count,
}

/// A traffic field of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficField {
    /// `requests_per_second`.
    Requests,
    /// `error_ratio`, the baseline.
    Error,
    /// `slow_ratio`, the baseline.
    Slow,
    /// `duration`.
    Duration,
    /// `scrape_interval`.
    Scrape,
    /// `evaluation_interval`.
    Evaluation,
    /// `start_time`.
    Start,
}

/// A ratio typed as `0.05` or `5%`, in [0, 1].
pub fn ratio(text: &str) -> Result<f64, String> {
    ErrorRatio::parse(text)
        .map(ErrorRatio::ratio)
        .map_err(|e| e.message)
}

/// A duration typed as Prometheus writes it (`90m`); `field` names it in the message.
pub fn duration(text: &str, field: &str) -> Result<Duration, String> {
    Duration::parse(text, field).map_err(|e| e.message)
}

/// A duration longer than 0.
fn positive(text: &str, field: &str) -> Result<Duration, String> {
    let d = duration(text, field)?;
    if d.is_zero() {
        return Err("must be longer than 0".into());
    }
    Ok(d)
}

/// Applies the text of an incident field to `inc`.
pub fn set_incident(inc: &mut Incident, field: IncidentField, text: &str) -> Result<(), String> {
    let t = text.trim();
    let ramp_to = |r: &mut Ramp, t: &str| -> Result<(), String> {
        r.to = if t.is_empty() { r.from } else { ratio(t)? };
        Ok(())
    };
    match field {
        IncidentField::Name => inc.name = Some(t.to_owned()).filter(|n| !n.is_empty()),
        IncidentField::Start => inc.start = duration(t, "start")?,
        IncidentField::Duration => inc.duration = positive(t, "duration")?,
        IncidentField::Error => {
            let step = inc.error_ratio.from == inc.error_ratio.to;
            inc.error_ratio.from = ratio(t)?;
            if step {
                inc.error_ratio.to = inc.error_ratio.from;
            }
        }
        IncidentField::ErrorTo => ramp_to(&mut inc.error_ratio, t)?,
        IncidentField::Slow => {
            let step = inc.slow_ratio.from == inc.slow_ratio.to;
            inc.slow_ratio.from = ratio(t)?;
            if step {
                inc.slow_ratio.to = inc.slow_ratio.from;
            }
        }
        IncidentField::SlowTo => ramp_to(&mut inc.slow_ratio, t)?,
        IncidentField::Every => {
            inc.every = if t.is_empty() {
                None
            } else {
                Some(positive(t, "every")?)
            };
            if inc.every.is_none() {
                inc.count = 1;
            }
        }
        IncidentField::Count => {
            let n: u32 = t
                .parse()
                .map_err(|_| format!("`{t}` is not a whole number of occurrences"))?;
            if n == 0 {
                return Err("must be 1 or more".into());
            }
            if n > 1 && inc.every.is_none() {
                return Err("repeats need `every` first, e.g. 10m".into());
            }
            inc.count = n;
        }
    }
    Ok(())
}

/// Applies the text of a traffic field to `s`.
pub fn set_traffic(s: &mut Scenario, field: TrafficField, text: &str) -> Result<(), String> {
    let t = text.trim();
    match field {
        TrafficField::Requests => {
            s.requests_per_second = RequestRate::parse(t).map_err(|e| e.message)?.value();
        }
        TrafficField::Error => s.error_ratio = ratio(t)?,
        TrafficField::Slow => s.slow_ratio = ratio(t)?,
        TrafficField::Duration => s.duration = positive(t, "duration")?,
        TrafficField::Scrape => s.scrape_interval = positive(t, "scrape interval")?,
        TrafficField::Evaluation => s.evaluation_interval = positive(t, "evaluation interval")?,
        TrafficField::Start => {
            s.start_time = parse_instant(t).ok_or_else(|| {
                format!("`{t}` is not an instant: write it as 2024-01-01T00:00:00Z")
            })?;
        }
    }
    Ok(())
}

/// The text an incident field shows for `inc`.
pub fn incident_text(inc: &Incident, field: IncidentField) -> String {
    match field {
        IncidentField::Name => inc.name.clone().unwrap_or_default(),
        IncidentField::Start => inc.start.to_string(),
        IncidentField::Duration => inc.duration.to_string(),
        IncidentField::Error => percent(inc.error_ratio.from),
        IncidentField::ErrorTo if inc.error_ratio.from == inc.error_ratio.to => String::new(),
        IncidentField::ErrorTo => percent(inc.error_ratio.to),
        IncidentField::Slow => percent(inc.slow_ratio.from),
        IncidentField::SlowTo if inc.slow_ratio.from == inc.slow_ratio.to => String::new(),
        IncidentField::SlowTo => percent(inc.slow_ratio.to),
        IncidentField::Every => inc.every.map(|d| d.to_string()).unwrap_or_default(),
        IncidentField::Count => inc.count.to_string(),
    }
}

/// The text a traffic field shows for `s`.
pub fn traffic_text(s: &Scenario, field: TrafficField) -> String {
    match field {
        TrafficField::Requests => crate::format::sig(s.requests_per_second, 6),
        TrafficField::Error => percent(s.error_ratio),
        TrafficField::Slow => percent(s.slow_ratio),
        TrafficField::Duration => s.duration.to_string(),
        TrafficField::Scrape => s.scrape_interval.to_string(),
        TrafficField::Evaluation => s.evaluation_interval.to_string(),
        TrafficField::Start => format_instant(s.start_time),
    }
}

/// A ratio as a field shows it: `2%`.
fn percent(r: f64) -> String {
    crate::format::percent(r).replace(' ', "")
}
