//! Alertmanager's half: alerts as Prometheus sends them in, notifications per receiver out.
//!
//! It follows Alertmanager 0.25 (dispatch/dispatch.go, notify/notify.go, provider/mem,
//! types.Alert.Merge) and what a real Alertmanager did on loopback (section L of the semantics
//! reference):
//! - every received alert is stored (merged with the stored one when their intervals overlap)
//!   and routed; for each matched route it joins the aggregation group of its group labels,
//!   creating it with a `group_wait` timer — or a zero timer when the alert started more than
//!   `group_wait` ago and the group has not flushed yet;
//! - a group flushes at creation + `group_wait` + k·`group_interval`: inhibition, the route's
//!   active and mute time intervals and silences drop alerts; then, per integration of the
//!   receiver, the notification log decides (`needsUpdate`): something new firing, everything
//!   resolved, a new resolved alert with `send_resolved`, or the last send more than
//!   `repeat_interval` ago; after the flush, resolved alerts not updated since are dropped;
//! - an emptied group keeps its timer until the cleanup that runs every 30 s from
//!   Alertmanager's start (taken to be the scenario's start).
//!
//! Times are milliseconds from the scenario start. Where the real Alertmanager is a coin toss the
//! notification is marked uncertain: a repeat whose interval is an exact multiple of
//! `group_interval` (the log is stamped after the receiver answers, so the check at exactly
//! last send + `repeat_interval` usually fails and the repeat goes out one tick later — the time
//! given — but not always), and an alert arriving at the very instant its group flushes (it may
//! land in this flush or the next; the replay puts it in the next).

use std::collections::BTreeSet;

use crate::alertmanager::config::{Config, IntegrationKind};
use crate::alertmanager::inhibit::{AlertState, inhibited_by};
use crate::alertmanager::matchers::{Labels, Matcher, matches_all};
use crate::replay::prometheus::Send;

/// How often Alertmanager drops empty aggregation groups.
pub const CLEANUP_MS: i64 = 30_000;

/// The most notifications one run records; beyond it the timeline says it was cut.
pub const MAX_NOTIFICATIONS: usize = 100_000;

/// One integration of a receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// The kind: `webhook`, `slack`, `pagerduty`, …
    pub kind: IntegrationKind,
    /// Its index among the receiver's integrations of that kind.
    pub index: usize,
    /// Whether resolved alerts are sent.
    pub send_resolved: bool,
}

/// One aggregation group an alert can join: a matched route and group labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPlan {
    /// The route's node in the tree.
    pub node: usize,
    /// The receiver's name.
    pub receiver: String,
    /// Alertmanager's group key.
    pub key: String,
    /// `group_wait`, `group_interval`, `repeat_interval` in ms.
    pub wait_ms: i64,
    /// See `wait_ms`.
    pub interval_ms: i64,
    /// See `wait_ms`.
    pub repeat_ms: i64,
    /// Whether the route has active or mute time intervals.
    pub timed: bool,
    /// The receiver's integrations.
    pub integrations: Vec<Integration>,
    /// Per integration: its notification log entry's index. Alertmanager keys the log by group
    /// key, receiver and integration, so two routes whose keys and receivers coincide share it.
    pub logs: Vec<u32>,
}

/// The Alertmanager side compiled for a fixed set of alert label sets.
#[derive(Debug, Clone, PartialEq)]
pub struct AmPlan {
    /// Every group any alert can join.
    pub groups: Vec<GroupPlan>,
    /// Per alert: the groups it joins, in routing order.
    pub groups_of: Vec<Vec<u32>>,
    /// Per alert: the alerts that inhibit it while they fire.
    pub inhibited_by: Vec<Vec<u32>>,
    /// Per alert: the alerts it can inhibit.
    pub inhibits: Vec<Vec<u32>>,
    /// Alertmanager's sort order of the alerts (job, instance, then labels).
    pub rank: Vec<u32>,
    /// Receivers that alerts reach but that have no integration, so nobody is told.
    pub silent_receivers: Vec<String>,
    /// How many notification log entries.
    pub n_logs: usize,
}

/// Go's `model.LabelSet.Before`: fewer labels first, then by the sorted union of names.
fn before(a: &Labels, b: &Labels) -> bool {
    if a.len() != b.len() {
        return a.len() < b.len();
    }
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for n in names {
        let (Some(x), Some(y)) = (a.get(n), b.get(n)) else {
            return !a.contains_key(n);
        };
        if x != y {
            return x < y;
        }
    }
    false
}

/// Alertmanager's `AlertSlice.Less`: by `job`, then `instance` (an alert with the label first),
/// then by the label sets.
fn alert_less(a: &Labels, b: &Labels) -> bool {
    for key in ["job", "instance"] {
        match (a.get(key), b.get(key)) {
            (None, None) => continue,
            (None, Some(_)) => return false,
            (Some(_), None) => return true,
            (Some(x), Some(y)) if x != y => return x < y,
            _ => {}
        }
    }
    before(a, b)
}

impl AmPlan {
    /// Routes every alert label set through `config` and works out groups and inhibitions.
    pub fn compile(config: &Config, alerts: &[Labels]) -> Self {
        let mut groups: Vec<GroupPlan> = Vec::new();
        let mut log_keys: Vec<(String, String, usize)> = Vec::new();
        let mut groups_of = Vec::with_capacity(alerts.len());
        let mut silent = BTreeSet::new();
        for labels in alerts {
            let mut mine = Vec::new();
            for node in config.route.route_indices(labels) {
                let key = config.route.group_key(node, labels);
                // Groups belong to a route: two routes with the same key are two groups.
                let id = match groups.iter().position(|g| g.key == key && g.node == node) {
                    Some(i) => i,
                    None => {
                        let Some(n) = config.route.nodes.get(node) else {
                            continue;
                        };
                        let mut per_kind: Vec<(IntegrationKind, usize)> = Vec::new();
                        let integrations = config
                            .receiver(&n.opts.receiver)
                            .map(|r| {
                                r.integrations
                                    .iter()
                                    .map(|i| {
                                        let index =
                                            match per_kind.iter_mut().find(|(k, _)| *k == i.kind) {
                                                Some((_, c)) => {
                                                    *c += 1;
                                                    *c - 1
                                                }
                                                None => {
                                                    per_kind.push((i.kind, 1));
                                                    0
                                                }
                                            };
                                        Integration {
                                            kind: i.kind,
                                            index,
                                            send_resolved: i.send_resolved,
                                        }
                                    })
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        if integrations.is_empty() {
                            silent.insert(n.opts.receiver.clone());
                        }
                        let receiver = n.opts.receiver.clone();
                        let logs = (0..integrations.len())
                            .map(|k| {
                                let id = (key.clone(), receiver.clone(), k);
                                let at =
                                    log_keys.iter().position(|x| *x == id).unwrap_or_else(|| {
                                        log_keys.push(id);
                                        log_keys.len() - 1
                                    });
                                at as u32
                            })
                            .collect();
                        groups.push(GroupPlan {
                            node,
                            receiver,
                            key,
                            logs,
                            wait_ms: n.opts.group_wait.as_millis() as i64,
                            interval_ms: (n.opts.group_interval.as_millis() as i64).max(1),
                            repeat_ms: n.opts.repeat_interval.as_millis() as i64,
                            timed: !n.opts.active_time_intervals.is_empty()
                                || !n.opts.mute_time_intervals.is_empty(),
                            integrations,
                        });
                        groups.len() - 1
                    }
                };
                mine.push(id as u32);
            }
            groups_of.push(mine);
        }
        let mut inhibited = vec![Vec::new(); alerts.len()];
        let mut inhibits = vec![Vec::new(); alerts.len()];
        for (t, target) in alerts.iter().enumerate() {
            for (s, source) in alerts.iter().enumerate() {
                let state = [AlertState {
                    labels: source.clone(),
                    ends_at: None,
                }];
                if inhibited_by(&config.inhibit_rules, target, &state, 0).is_some() {
                    if let Some(v) = inhibited.get_mut(t) {
                        v.push(s as u32);
                    }
                    if let Some(v) = inhibits.get_mut(s) {
                        v.push(t as u32);
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..alerts.len()).collect();
        order.sort_by(|&a, &b| {
            let (Some(x), Some(y)) = (alerts.get(a), alerts.get(b)) else {
                return std::cmp::Ordering::Equal;
            };
            if alert_less(x, y) {
                std::cmp::Ordering::Less
            } else if alert_less(y, x) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        let mut rank = vec![0u32; alerts.len()];
        for (r, i) in order.into_iter().enumerate() {
            if let Some(x) = rank.get_mut(i) {
                *x = r as u32;
            }
        }
        Self {
            groups,
            groups_of,
            inhibited_by: inhibited,
            inhibits,
            rank,
            silent_receivers: silent.into_iter().collect(),
            n_logs: log_keys.len(),
        }
    }
}

/// A silence as the simulation applies it: which alerts it matches, from when to when (ms).
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveSilence {
    /// Per alert: whether the silence's matchers match it.
    pub matches: Vec<bool>,
    /// Start, inclusive.
    pub start_ms: i64,
    /// End, inclusive.
    pub end_ms: i64,
}

impl ActiveSilence {
    /// A silence over `[start_ms, end_ms]` with `matchers`, for the alerts `alerts`.
    pub fn new(matchers: &[Matcher], start_ms: i64, end_ms: i64, alerts: &[Labels]) -> Self {
        Self {
            matches: alerts.iter().map(|l| matches_all(matchers, l)).collect(),
            start_ms,
            end_ms,
        }
    }
}

/// One notification an integration sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// When (ms from the scenario start).
    pub at: i64,
    /// The group.
    pub group: u32,
    /// Which integration of the group's receiver.
    pub integration: u32,
    /// Firing alerts, in Alertmanager's order.
    pub firing: Vec<u32>,
    /// Resolved alerts (only with `send_resolved`), in Alertmanager's order.
    pub resolved: Vec<u32>,
    /// Whether the real Alertmanager may do otherwise.
    pub uncertain: bool,
    /// When uncertain: the other time it may go out.
    pub alternative_at: Option<i64>,
    /// When uncertain: why.
    pub why: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored {
    starts: i64,
    ends: i64,
    updated: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct LogEntry {
    firing: Vec<u32>,
    resolved: Vec<u32>,
    at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Group {
    alive: bool,
    has_flushed: bool,
    next_flush: i64,
    alerts: Vec<(u32, Stored)>,
    /// Per integration: a repeat that was a coin toss and did not go out, at this time.
    tied_repeat: Vec<Option<i64>>,
    /// An arrival at the instant of a flush: the next notifications may have gone out then.
    tied_arrival: Option<i64>,
}

/// What the simulation needs besides the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Env<'a> {
    /// The configuration (for time intervals).
    pub config: &'a Config,
    /// The scenario's start in Unix seconds (time intervals read wall-clock time).
    pub start_unix: i64,
    /// The end of the scenario: nothing after it is simulated.
    pub end_ms: i64,
}

/// Runs Alertmanager over `sends` (sorted by time) and returns the notifications, and whether
/// they were cut at [`MAX_NOTIFICATIONS`].
pub fn simulate(
    plan: &AmPlan,
    env: &Env<'_>,
    sends: &[Send],
    silences: &[ActiveSilence],
) -> (Vec<Notice>, bool) {
    let mut sim = Sim {
        plan,
        env,
        silences,
        store: vec![None; plan.groups_of.len()],
        groups: plan
            .groups
            .iter()
            .map(|g| Group {
                tied_repeat: vec![None; g.integrations.len()],
                ..Group::default()
            })
            .collect(),
        logs: vec![None; plan.n_logs],
        out: Vec::new(),
        seq: 0,
        flushed_now: Vec::new(),
        truncated: false,
    };
    let mut next_send = 0;
    let mut last = 0i64;
    loop {
        let arrival = sends.get(next_send).map(|s| s.at);
        let flush = sim
            .groups
            .iter()
            .filter(|g| g.alive)
            .map(|g| g.next_flush)
            .min();
        let mut now = match (arrival, flush) {
            (Some(a), Some(f)) => a.min(f),
            (Some(a), None) => a,
            (None, Some(f)) => f,
            (None, None) => break,
        };
        if sim.groups.iter().any(|g| g.alive && g.alerts.is_empty()) {
            // The first cleanup tick after the last instant handled.
            let tick = (last.div_euclid(CLEANUP_MS) + 1) * CLEANUP_MS;
            now = now.min(tick);
        }
        if now > env.end_ms {
            break;
        }
        last = now;
        sim.flushed_now.clear();
        sim.flush_due(now);
        while let Some(s) = sends.get(next_send) {
            if s.at != now {
                break;
            }
            sim.receive(s);
            next_send += 1;
        }
        // Groups whose timer an arrival just set to zero flush now, after the arrivals.
        sim.flush_due(now);
        if now % CLEANUP_MS == 0 && now > 0 {
            for g in &mut sim.groups {
                if g.alive && g.alerts.is_empty() {
                    g.alive = false;
                    g.has_flushed = false;
                    g.tied_arrival = None;
                }
            }
        }
        if sim.truncated {
            break;
        }
    }
    (sim.out, sim.truncated)
}

/// A group that flushed at the current instant: its index, its first notification, and what it
/// held (alert, startsAt, resolved).
type Flushed = (u32, usize, Vec<(u32, i64, bool)>);

struct Sim<'a> {
    plan: &'a AmPlan,
    env: &'a Env<'a>,
    silences: &'a [ActiveSilence],
    store: Vec<Option<Stored>>,
    groups: Vec<Group>,
    /// The notification log, by [`GroupPlan::logs`].
    logs: Vec<Option<LogEntry>>,
    out: Vec<Notice>,
    seq: u64,
    /// Groups that flushed at the current instant, with the first notification they emitted
    /// and what they held: (alert, startsAt, resolved).
    flushed_now: Vec<Flushed>,
    truncated: bool,
}

impl Sim<'_> {
    fn flush_due(&mut self, now: i64) {
        for g in 0..self.groups.len() {
            let due = self
                .groups
                .get(g)
                .is_some_and(|x| x.alive && x.next_flush == now);
            if due {
                self.flush(g as u32, now);
            }
        }
    }

    fn receive(&mut self, s: &Send) {
        let now = s.at;
        self.seq += 1;
        let mut new = Stored {
            starts: s.starts_at,
            ends: s.ends_at,
            updated: self.seq,
        };
        let i = s.instance as usize;
        let old = self.store.get(i).copied().flatten();
        if let Some(old) = old
            && ((new.ends > old.starts && new.ends < old.ends)
                || (new.starts > old.starts && new.starts < old.ends))
        {
            // types.Alert.Merge with the new alert as the younger one.
            let mut res = new;
            if old.starts < new.starts {
                res.starts = old.starts;
            }
            let resolved = |a: &Stored| a.ends <= now;
            if resolved(&new) {
                if resolved(&old) && old.ends > new.ends {
                    res.ends = old.ends;
                }
            } else if old.ends > new.ends {
                res.ends = old.ends;
            }
            new = res;
        }
        if let Some(slot) = self.store.get_mut(i) {
            *slot = Some(new);
        }
        let plan = self.plan;
        let mut ties = Vec::new();
        for &g in plan.groups_of.get(i).map_or(&[][..], Vec::as_slice) {
            let Some(gp) = plan.groups.get(g as usize) else {
                continue;
            };
            // An arrival that a flush at this very instant saw differently makes that flush a
            // coin toss (a re-send of what it already held changes nothing).
            if let Some((_, _, seen)) = self.flushed_now.iter().find(|(x, _, _)| *x == g)
                && !seen.contains(&(s.instance, new.starts, new.ends <= now))
            {
                ties.push(g);
            }
            let Some(group) = self.groups.get_mut(g as usize) else {
                continue;
            };
            if !group.alive {
                group.alive = true;
                group.has_flushed = false;
                group.next_flush = now + gp.wait_ms;
            }
            match group.alerts.iter_mut().find(|(x, _)| *x == s.instance) {
                Some((_, a)) => *a = new,
                None => group.alerts.push((s.instance, new)),
            }
            if !group.has_flushed && new.starts + gp.wait_ms <= now {
                group.next_flush = now;
            }
        }
        for g in ties {
            self.mark_tie(
                g,
                now,
                "an alert of this group arrived at the same instant as the flush: it may be in this notification or the next",
            );
        }
        // A source whose state changes at a flush of its targets' groups makes that flush a
        // coin toss too.
        let prev_firing = old.is_some_and(|o| o.ends > now);
        if prev_firing != (new.ends > now) {
            for &t in plan.inhibits.get(i).map_or(&[][..], Vec::as_slice) {
                for &g in plan
                    .groups_of
                    .get(t as usize)
                    .map_or(&[][..], Vec::as_slice)
                {
                    self.mark_tie(
                        g,
                        now,
                        "an inhibiting alert changed state at the same instant as the flush",
                    );
                }
            }
        }
    }

    fn mark_tie(&mut self, g: u32, now: i64, why: &'static str) {
        let Some(first) = self
            .flushed_now
            .iter()
            .find(|(x, _, _)| *x == g)
            .map(|(_, f, _)| *f)
        else {
            return;
        };
        for n in self
            .out
            .iter_mut()
            .skip(first)
            .filter(|n| n.group == g && n.at == now)
        {
            n.uncertain = true;
            n.why.get_or_insert(why);
        }
        if let Some(group) = self.groups.get_mut(g as usize) {
            group.tied_arrival.get_or_insert(now);
        }
    }

    fn silenced(&self, i: u32, now: i64) -> bool {
        self.silences.iter().any(|s| {
            // The flush runs a moment after its nominal instant: a silence ending exactly then
            // is over.
            s.start_ms <= now && now < s.end_ms && s.matches.get(i as usize).copied() == Some(true)
        })
    }

    fn inhibited(&self, i: u32, now: i64) -> bool {
        self.plan
            .inhibited_by
            .get(i as usize)
            .is_some_and(|sources| {
                sources.iter().any(|s| {
                    self.store
                        .get(*s as usize)
                        .copied()
                        .flatten()
                        .is_some_and(|a| a.ends > now)
                })
            })
    }

    fn time_held(&self, gp: &GroupPlan, now: i64) -> bool {
        if !gp.timed {
            return false;
        }
        let unix = self.env.start_unix + now.div_euclid(1000);
        matches!(self.env.config.time_muted(gp.node, unix), Ok(Some(_)))
    }

    fn flush(&mut self, g: u32, now: i64) {
        let plan = self.plan;
        let Some(gp) = plan.groups.get(g as usize) else {
            return;
        };
        let copies = {
            let Some(group) = self.groups.get_mut(g as usize) else {
                return;
            };
            group.next_flush = now + gp.interval_ms;
            group.has_flushed = true;
            if group.alerts.is_empty() {
                return;
            }
            let mut c = group.alerts.clone();
            c.sort_by_key(|(i, _)| plan.rank.get(*i as usize).copied().unwrap_or(0));
            c
        };
        let listed: Vec<(u32, bool)> = if self.time_held(gp, now) {
            Vec::new()
        } else {
            copies
                .iter()
                .filter(|(i, _)| !self.inhibited(*i, now) && !self.silenced(*i, now))
                .map(|(i, a)| (*i, a.ends <= now))
                .collect()
        };
        let first = self.out.len();
        if !listed.is_empty() {
            let firing: Vec<u32> = listed.iter().filter(|(_, r)| !r).map(|(i, _)| *i).collect();
            let resolved: Vec<u32> = listed.iter().filter(|(_, r)| *r).map(|(i, _)| *i).collect();
            for (k, integ) in gp.integrations.iter().enumerate() {
                let log = gp.logs.get(k).copied().unwrap_or(0) as usize;
                let decision = needs_update(
                    self.logs.get(log).and_then(Option::as_ref),
                    &firing,
                    &resolved,
                    integ.send_resolved,
                    now,
                    gp.repeat_ms,
                );
                let Some(group) = self.groups.get_mut(g as usize) else {
                    return;
                };
                match decision {
                    Decision::Skip => {}
                    Decision::Tie => {
                        if let Some(t) = group.tied_repeat.get_mut(k) {
                            t.get_or_insert(now);
                        }
                    }
                    Decision::Send => {
                        if let Some(l) = self.logs.get_mut(log) {
                            *l = Some(LogEntry {
                                firing: firing.clone(),
                                resolved: resolved.clone(),
                                at: now,
                            });
                        }
                        // Without send_resolved only firing alerts go out, and nothing when
                        // nothing fires (the log above still records it, as Alertmanager does).
                        if !integ.send_resolved && firing.is_empty() {
                            continue;
                        }
                        let tied = group.tied_repeat.get_mut(k).and_then(Option::take);
                        let (uncertain, alternative_at, why) = match (tied, group.tied_arrival) {
                            (Some(t), _) => (
                                true,
                                Some(t),
                                Some(
                                    "repeat_interval is a multiple of group_interval: Alertmanager may repeat one group_interval earlier",
                                ),
                            ),
                            (None, Some(t)) if t < now => (
                                true,
                                Some(t),
                                Some(
                                    "an alert arrived at the same instant as an earlier flush: this may have gone out then",
                                ),
                            ),
                            _ => (false, None, None),
                        };
                        if self.out.len() >= MAX_NOTIFICATIONS {
                            self.truncated = true;
                            return;
                        }
                        self.out.push(Notice {
                            at: now,
                            group: g,
                            integration: k as u32,
                            firing: firing.clone(),
                            resolved: if integ.send_resolved {
                                resolved.clone()
                            } else {
                                Vec::new()
                            },
                            uncertain,
                            alternative_at,
                            why,
                        });
                    }
                }
            }
        }
        let Some(group) = self.groups.get_mut(g as usize) else {
            return;
        };
        if group.tied_arrival.is_some_and(|t| t < now) {
            group.tied_arrival = None;
        }
        // Drop resolved alerts that were not updated since the copy.
        group.alerts.retain(|(i, a)| {
            let copy = copies.iter().find(|(x, _)| x == i).map(|(_, c)| *c);
            !copy.is_some_and(|c| c.ends <= now && c.updated == a.updated)
        });
        let seen = copies
            .iter()
            .map(|(i, a)| (*i, a.starts, a.ends <= now))
            .collect();
        self.flushed_now.push((g, first, seen));
    }
}

/// Alertmanager's `DedupStage.needsUpdate`, with the coin toss of an exact repeat made explicit.
fn needs_update(
    entry: Option<&LogEntry>,
    firing: &[u32],
    resolved: &[u32],
    send_resolved: bool,
    now: i64,
    repeat_ms: i64,
) -> Decision {
    let subset = |a: &[u32], b: &[u32]| a.iter().all(|x| b.contains(x));
    let Some(e) = entry else {
        return if firing.is_empty() {
            Decision::Skip
        } else {
            Decision::Send
        };
    };
    if !subset(firing, &e.firing) {
        return Decision::Send;
    }
    if firing.is_empty() {
        return if e.firing.is_empty() {
            Decision::Skip
        } else {
            Decision::Send
        };
    }
    if send_resolved && !subset(resolved, &e.resolved) {
        return Decision::Send;
    }
    let since = now - e.at;
    if since > repeat_ms {
        Decision::Send
    } else if since == repeat_ms {
        Decision::Tie
    } else {
        Decision::Skip
    }
}

enum Decision {
    Send,
    Skip,
    Tie,
}
