//! The figures a replay is judged by: pages and tickets, detection delay of each incident,
//! incidents never detected, false pages, and the error budget over time.
//!
//! Definitions, as the timeline documents them:
//! - an alert is a *page* when its `severity` label is `page` or `critical`, a *ticket* when it
//!   is `ticket` or `warning`; each firing interval counts once;
//! - an incident (all occurrences of one `incidents` entry) is *detected* at the first instant
//!   from its start at which a page or ticket fires, if that instant is before the incident's
//!   end plus the alert's reach (the longest range it reads, plus its `for`): later firings are
//!   not caused by it;
//! - a page is *false* when no incident that is not `noise` explains it: it started outside every
//!   such incident's span extended by the alert's reach;
//! - the budget is the SLO's share of bad requests over one period at the scenario's average
//!   traffic: 0.1 % of 30 days of requests for 99.9 %, i.e. 43.2 minutes of full outage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alertmanager::matchers::Labels;
use crate::replay::notify::{Notification, secs};
use crate::replay::scenario::Scenario;
use crate::replay::traffic::Traffic;
use crate::rules::conventions::LABEL_SEVERITY;

/// How many points the budget curve has at most.
pub const BUDGET_POINTS: usize = 500;

/// Who an alert wakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// `severity` is `page` or `critical`.
    Page,
    /// `severity` is `ticket` or `warning`.
    Ticket,
    /// Anything else.
    Other,
}

/// The class of an alert from its labels.
pub fn class(labels: &Labels) -> Class {
    match labels.get(LABEL_SEVERITY).map(String::as_str) {
        Some("page" | "critical") => Class::Page,
        Some("ticket" | "warning") => Class::Ticket,
        _ => Class::Other,
    }
}

/// One alert instance's intervals, with what the summary needs to judge them.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged<'a> {
    /// Its class.
    pub class: Class,
    /// Firing intervals in ms.
    pub firing: &'a [(i64, Option<i64>)],
    /// How long after errors it may still fire (longest range + `for`), in ms.
    pub reach_ms: i64,
}

/// What became of one incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    /// Its position in `incidents`.
    pub index: usize,
    /// Its name, if given.
    pub name: Option<String>,
    /// Whether it is a blip (`noise: true`).
    pub noise: bool,
    /// Whether it adds bad requests for this SLI (an error-only incident does not affect a
    /// latency SLI); one that does not is neither detected nor missed.
    pub affects_sli: bool,
    /// Start of its first occurrence, in seconds.
    pub start_s: f64,
    /// End of its last occurrence, in seconds.
    pub end_s: f64,
    /// Share of the period's budget spent during its occurrences (baseline included, counted
    /// from the scrape before each occurrence to the one after it).
    pub budget_spent: f64,
    /// First page after its start, in seconds.
    pub first_page_s: Option<f64>,
    /// First ticket after its start, in seconds.
    pub first_ticket_s: Option<f64>,
    /// Page or ticket, whichever came first.
    pub detected_at_s: Option<f64>,
    /// Seconds from its start to detection.
    pub detection_delay_s: Option<f64>,
    /// Share of the budget spent between its start and detection.
    pub budget_spent_before_detection: Option<f64>,
}

/// The summary of one timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Firing intervals of page alerts.
    pub pages: usize,
    /// Firing intervals of ticket alerts.
    pub tickets: usize,
    /// Pages no real incident explains.
    pub false_pages: usize,
    /// Tickets no real incident explains.
    pub false_tickets: usize,
    /// Notifications sent, per receiver.
    pub notifications_per_receiver: BTreeMap<String, usize>,
    /// Notifications the real Alertmanager may send at another time.
    pub uncertain_notifications: usize,
    /// Every incident.
    pub incidents: Vec<IncidentSummary>,
    /// Incidents (not noise, adding bad requests for this SLI) that no page or ticket detected.
    pub undetected_incidents: usize,
    /// When the first page fired, in seconds.
    pub first_page_s: Option<f64>,
    /// Share of the budget spent before the first page.
    pub budget_spent_before_first_page: Option<f64>,
    /// Share of the budget spent by the end.
    pub budget_spent: f64,
    /// `[seconds, share of the budget left]`, at most [`BUDGET_POINTS`] points.
    pub budget_remaining: Vec<(f64, f64)>,
}

/// What the summary is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Basis<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its counters.
    pub traffic: &'a Traffic,
    /// The bad-request counter (failed or slow).
    pub bad: &'a [f64],
    /// 1 − objective.
    pub budget_ratio: f64,
    /// The SLO's period in seconds.
    pub period_s: f64,
    /// Whether the SLI counts slow requests (a latency SLI) rather than failed ones.
    pub slow: bool,
}

impl Basis<'_> {
    /// Whether `inc` adds bad requests for this SLI: a latency SLI ignores error ratios and an
    /// availability SLI ignores slow ratios.
    fn affects(&self, inc: &crate::replay::scenario::Incident) -> bool {
        if self.slow {
            !inc.slow_ratio.is_zero()
        } else {
            !inc.error_ratio.is_zero()
        }
    }

    /// Bad requests per budget: the budget is `budget_ratio` of one period of average traffic.
    fn budget_requests(&self) -> f64 {
        budget_requests(self.traffic, self.budget_ratio, self.period_s)
    }

    /// The bad-request count at `t` ms, linear between the samples around it (requests arrive
    /// steadily between scrapes).
    fn bad_at(&self, t: i64) -> f64 {
        let step = self.traffic.scrape_ms.max(1);
        let t = t.max(0);
        let k = (t / step) as usize;
        let at = |k: usize| self.bad.get(k).or(self.bad.last()).copied().unwrap_or(0.0);
        let frac = (t % step) as f64 / step as f64;
        at(k) + (at(k + 1) - at(k)) * frac
    }

    /// Bad requests from the sample at or before `a` to the sample at or after `b`: the whole
    /// of a span shorter than a scrape is counted.
    fn bad_over(&self, a: i64, b: i64) -> f64 {
        let step = self.traffic.scrape_ms.max(1);
        let at = |k: i64| {
            self.bad
                .get(k.max(0) as usize)
                .or(self.bad.last())
                .copied()
                .unwrap_or(0.0)
        };
        at(b.div_euclid(step) + i64::from(b.rem_euclid(step) != 0)) - at(a.div_euclid(step))
    }

    fn share(&self, bad: f64) -> f64 {
        let b = self.budget_requests();
        if b > 0.0 { bad / b } else { 0.0 }
    }
}

/// Bad requests the budget allows: `budget_ratio` of one period (`period_s`) of the scenario's
/// average traffic. The counters cover the whole scenario, so their last value over its
/// duration is that average.
pub fn budget_requests(traffic: &Traffic, budget_ratio: f64, period_s: f64) -> f64 {
    let samples = traffic.total.len().saturating_sub(1);
    let dur_s = samples as f64 * traffic.scrape_ms as f64 / 1000.0;
    let total = traffic.total.last().copied().unwrap_or(0.0);
    let avg = if dur_s > 0.0 { total / dur_s } else { 0.0 };
    budget_ratio * avg * period_s
}

/// One point of the replay's charts: a stretch of the scenario between two scrapes, read from
/// the counters as Prometheus would scrape them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowPoint {
    /// Start of the stretch, in seconds from the scenario's start.
    pub from_s: f64,
    /// End of the stretch.
    pub to_s: f64,
    /// Requests per second over the stretch.
    pub rps: f64,
    /// The share of bad requests over the stretch.
    pub ratio: f64,
    /// The highest share of bad requests between two consecutive scrapes within the stretch,
    /// so a 30-second spike still shows on a month-long chart.
    pub peak: f64,
    /// The share of the budget left at the end of the stretch (negative once overspent).
    pub budget_left: f64,
}

/// The counters between `from_ms` and `to_ms` in at most `points` stretches of whole scrape
/// intervals (fewer when the range holds fewer scrapes): what a chart draws for the range it
/// shows. `bad` is the bad-request counter (failed or slow), `budget` the bad requests the
/// budget allows (see [`budget_requests`]).
pub fn window(
    traffic: &Traffic,
    bad: &[f64],
    budget: f64,
    from_ms: i64,
    to_ms: i64,
    points: usize,
) -> Vec<WindowPoint> {
    let n = traffic.total.len().min(bad.len());
    let step = traffic.scrape_ms.max(1);
    if n < 2 || points == 0 || to_ms <= from_ms {
        return Vec::new();
    }
    let last = n - 1;
    let k0 = (from_ms.max(0) / step).clamp(0, last as i64) as usize;
    let k1 = (to_ms.max(0) + step - 1)
        .div_euclid(step)
        .clamp(0, last as i64) as usize;
    if k1 <= k0 {
        return Vec::new();
    }
    let stride = (k1 - k0).div_ceil(points).max(1);
    let total = |k: usize| traffic.total.get(k).copied().unwrap_or(0.0);
    let bad_at = |k: usize| bad.get(k).copied().unwrap_or(0.0);
    let share = |b: f64, t: f64| if t > 0.0 { b / t } else { 0.0 };
    let mut out = Vec::with_capacity((k1 - k0).div_ceil(stride));
    let mut a = k0;
    while a < k1 {
        let b = (a + stride).min(k1);
        let mut peak: f64 = 0.0;
        for j in a..b {
            peak = peak.max(share(bad_at(j + 1) - bad_at(j), total(j + 1) - total(j)));
        }
        let secs = (b - a) as f64 * step as f64 / 1000.0;
        let requests = total(b) - total(a);
        out.push(WindowPoint {
            from_s: secs_of(a, step),
            to_s: secs_of(b, step),
            rps: if secs > 0.0 { requests / secs } else { 0.0 },
            ratio: share(bad_at(b) - bad_at(a), requests),
            peak,
            budget_left: if budget > 0.0 {
                1.0 - bad_at(b) / budget
            } else {
                1.0
            },
        });
        a = b;
    }
    out
}

fn secs_of(k: usize, step_ms: i64) -> f64 {
    secs(k as i64 * step_ms)
}

/// The first instant at or after `from` and no later than `until` at which one of `alerts` of
/// `class` fires, each alert's `until` extended by its reach.
fn first_firing(alerts: &[Judged<'_>], class: Class, from: i64, until: i64) -> Option<i64> {
    alerts
        .iter()
        .filter(|a| a.class == class)
        .flat_map(|a| a.firing.iter().map(move |iv| (a.reach_ms, *iv)))
        .filter_map(|(reach, (s, e))| {
            let still = e.is_none_or(|e| e > from);
            let t = if s <= from && still { from } else { s };
            (t >= from && t <= until + reach).then_some(t)
        })
        .min()
}

/// An incident: its index, first start, last end and occurrences.
type Span = (usize, i64, i64, Vec<(i64, i64)>);

/// Computes the summary.
pub fn summarize(
    basis: &Basis<'_>,
    alerts: &[Judged<'_>],
    notifications: &[Notification],
) -> Summary {
    let end = basis.scenario.duration_ms();
    let count = |c: Class| -> usize {
        alerts
            .iter()
            .filter(|a| a.class == c)
            .map(|a| a.firing.len())
            .sum()
    };
    // Per incident: the span from its first start to its last end, and its occurrences.
    let spans: Vec<Span> = basis
        .scenario
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, inc)| {
            let occ: Vec<(i64, i64)> = inc.occurrences(end).collect();
            Some((i, occ.first()?.0, occ.last()?.1, occ))
        })
        .collect();
    let mut incidents = Vec::new();
    for (i, s, e, occ) in &spans {
        let (i, s, e) = (*i, *s, *e);
        let Some(inc) = basis.scenario.incidents.get(i) else {
            continue;
        };
        let page = first_firing(alerts, Class::Page, s, e);
        let ticket = first_firing(alerts, Class::Ticket, s, e);
        let detected = match (page, ticket) {
            (Some(p), Some(t)) => Some(p.min(t)),
            (p, t) => p.or(t),
        };
        incidents.push(IncidentSummary {
            index: i,
            name: inc.name.clone(),
            noise: inc.noise,
            affects_sli: basis.affects(inc),
            start_s: secs(s),
            end_s: secs(e),
            budget_spent: basis.share(occ.iter().map(|(a, b)| basis.bad_over(*a, *b)).sum()),
            first_page_s: page.map(secs),
            first_ticket_s: ticket.map(secs),
            detected_at_s: detected.map(secs),
            detection_delay_s: detected.map(|d| secs(d - s)),
            budget_spent_before_detection: detected
                .map(|d| basis.share(basis.bad_at(d) - basis.bad_at(s))),
        });
    }
    let real: Vec<(i64, i64)> = spans
        .iter()
        .filter(|(i, _, _, _)| {
            basis
                .scenario
                .incidents
                .get(*i)
                .is_some_and(|inc| !inc.noise && basis.affects(inc))
        })
        .map(|(_, s, e, _)| (*s, *e))
        .collect();
    let unexplained = |c: Class| -> usize {
        alerts
            .iter()
            .filter(|a| a.class == c)
            .flat_map(|a| a.firing.iter().map(move |(s, _)| (a.reach_ms, *s)))
            .filter(|(reach, s)| !real.iter().any(|(is, ie)| is <= s && *s <= ie + reach))
            .count()
    };
    let first_page = alerts
        .iter()
        .filter(|a| a.class == Class::Page)
        .filter_map(|a| a.firing.first().map(|(s, _)| *s))
        .min();
    let mut per_receiver = BTreeMap::new();
    for n in notifications {
        *per_receiver.entry(n.receiver.clone()).or_insert(0) += 1;
    }
    let total_bad = basis.bad.last().copied().unwrap_or(0.0);
    let n = basis.bad.len();
    let stride = n.div_ceil(BUDGET_POINTS).max(1);
    let mut remaining: Vec<(f64, f64)> = basis
        .bad
        .iter()
        .enumerate()
        .step_by(stride)
        .map(|(k, b)| {
            (
                secs(k as i64 * basis.traffic.scrape_ms),
                1.0 - basis.share(*b),
            )
        })
        .collect();
    if n > 0 && !(n - 1).is_multiple_of(stride) {
        remaining.push((secs(end), 1.0 - basis.share(total_bad)));
    }
    Summary {
        pages: count(Class::Page),
        tickets: count(Class::Ticket),
        false_pages: unexplained(Class::Page),
        false_tickets: unexplained(Class::Ticket),
        notifications_per_receiver: per_receiver,
        uncertain_notifications: notifications.iter().filter(|n| n.uncertain).count(),
        undetected_incidents: incidents
            .iter()
            .filter(|i| !i.noise && i.affects_sli && i.detected_at_s.is_none())
            .count(),
        incidents,
        first_page_s: first_page.map(secs),
        budget_spent_before_first_page: first_page.map(|t| basis.share(basis.bad_at(t))),
        budget_spent: basis.share(total_bad),
        budget_remaining: remaining,
    }
}
