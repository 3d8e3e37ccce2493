//! An alerting rule's instances over time, as Prometheus's `AlertingRule.Eval` and
//! `sendAlerts` (rules/alerting.go) move them: inactive → pending → firing → resolved, `for`
//! and `keep_firing_for`, resolved alerts kept (and re-sent) for 15 minutes, and what is sent to
//! Alertmanager when: every non-pending alert when it resolves or when its last send is more
//! than `resend_delay` ago (strictly), with `startsAt` = when it fired and `endsAt` = when it
//! resolved, or else 4 × max(evaluation interval, resend delay) after this send.

/// How long Prometheus keeps a resolved alert (and keeps re-sending it).
pub const RESOLVED_RETENTION_MS: i64 = 15 * 60 * 1000;

/// One alert sent to Alertmanager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Send {
    /// When it is sent (ms from the scenario start).
    pub at: i64,
    /// Which alert instance.
    pub instance: u32,
    /// `startsAt`.
    pub starts_at: i64,
    /// `endsAt`.
    pub ends_at: i64,
}

/// The timing of one alerting rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// `for`.
    pub for_ms: i64,
    /// `keep_firing_for`.
    pub keep_firing_ms: i64,
    /// Prometheus's `--rules.alert.resend-delay` (1m by default).
    pub resend_ms: i64,
    /// The group's evaluation interval.
    pub eval_ms: i64,
    /// Subtracted from `startsAt` of every send (a backdated alert, for `burnlab notify`).
    pub age_ms: i64,
}

/// Pending and firing intervals of one alert instance: `(start, end)`, end `None` while open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Track {
    /// Pending intervals.
    pub pending: Vec<(i64, Option<i64>)>,
    /// Firing intervals.
    pub firing: Vec<(i64, Option<i64>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Firing,
    Inactive,
}

/// The state Prometheus keeps for one alert instance (`rules.Alert`), when it keeps any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    state: State,
    active_at: i64,
    fired_at: i64,
    resolved_at: Option<i64>,
    last_sent: Option<i64>,
    keep_firing_since: Option<i64>,
}

/// One alert instance's state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Machine {
    entry: Option<Entry>,
}

impl Machine {
    /// Whether Prometheus holds no state for the instance: nothing happens until it is present.
    pub fn is_idle(&self) -> bool {
        self.entry.is_none()
    }

    /// One evaluation at `t`: `present` says whether the rule's expression returned the
    /// instance's series. Appends what is sent and updates the track.
    pub fn step(
        &mut self,
        t: i64,
        present: bool,
        timing: &Timing,
        instance: u32,
        sends: &mut Vec<Send>,
        track: &mut Track,
    ) {
        if present {
            match &mut self.entry {
                Some(e) if e.state != State::Inactive => e.keep_firing_since = None,
                _ => {
                    // A new alert (a resolved one kept for re-sending is replaced).
                    self.entry = Some(Entry {
                        state: State::Pending,
                        active_at: t,
                        fired_at: 0,
                        resolved_at: None,
                        last_sent: None,
                        keep_firing_since: None,
                    });
                    track.pending.push((t, None));
                }
            }
        } else if let Some(e) = &mut self.entry {
            let mut keep_firing = false;
            if e.state == State::Firing && timing.keep_firing_ms > 0 {
                let since = *e.keep_firing_since.get_or_insert(t);
                keep_firing = t - since < timing.keep_firing_ms;
            }
            let delete = e.state == State::Pending
                || e.resolved_at.is_some_and(|r| t - r > RESOLVED_RETENTION_MS);
            if e.state != State::Inactive && !keep_firing {
                match e.state {
                    State::Pending => close(&mut track.pending, t),
                    State::Firing => close(&mut track.firing, t),
                    State::Inactive => {}
                }
                e.state = State::Inactive;
                e.resolved_at = Some(t);
            }
            if delete {
                self.entry = None;
            }
        }
        let Some(e) = &mut self.entry else { return };
        if e.state == State::Pending && t - e.active_at >= timing.for_ms {
            e.state = State::Firing;
            e.fired_at = t;
            close(&mut track.pending, t);
            track.firing.push((t, None));
        }
        // sendAlerts: every kept alert that is not pending.
        if e.state == State::Pending {
            return;
        }
        let needs = match e.last_sent {
            None => true,
            Some(last) => e.resolved_at.is_some_and(|r| r > last) || last + timing.resend_ms < t,
        };
        if needs {
            e.last_sent = Some(t);
            let valid_until = t + 4 * timing.resend_ms.max(timing.eval_ms);
            sends.push(Send {
                at: t,
                instance,
                starts_at: e.fired_at - timing.age_ms,
                ends_at: e.resolved_at.unwrap_or(valid_until),
            });
        }
    }

    /// Evaluations at `t0 + i·eval_ms` for each `present[i]` (non-zero means present), skipping
    /// quickly over stretches where the instance is absent and Prometheus holds nothing.
    pub fn feed(
        &mut self,
        t0: i64,
        present: &[u8],
        timing: &Timing,
        instance: u32,
        sends: &mut Vec<Send>,
        track: &mut Track,
    ) {
        let mut i = 0;
        while i < present.len() {
            if self.is_idle() {
                match next_present(present.get(i..).unwrap_or(&[])) {
                    Some(k) => i += k,
                    None => return,
                }
            }
            let p = present.get(i).is_some_and(|p| *p != 0);
            self.step(
                t0 + i as i64 * timing.eval_ms,
                p,
                timing,
                instance,
                sends,
                track,
            );
            i += 1;
        }
    }
}

/// The index of the first non-zero byte, looking at 16 bytes at a time.
fn next_present(m: &[u8]) -> Option<usize> {
    let mut base = 0;
    let mut chunks = m.chunks_exact(16);
    for c in chunks.by_ref() {
        if c.iter().fold(0u8, |a, b| a | b) != 0 {
            return c.iter().position(|b| *b != 0).map(|k| base + k);
        }
        base += 16;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b != 0)
        .map(|k| base + k)
}

fn close(intervals: &mut [(i64, Option<i64>)], t: i64) {
    if let Some(last) = intervals.last_mut()
        && last.1.is_none()
    {
        last.1 = Some(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one instance over evaluations every 30 s where `pattern` has `#` (present) or `.`,
    /// and describes the track and the sends in minutes:seconds.
    fn check(pattern: &str, for_s: i64, keep_s: i64, expect: &str) {
        let timing = Timing {
            for_ms: for_s * 1000,
            keep_firing_ms: keep_s * 1000,
            resend_ms: 60_000,
            eval_ms: 30_000,
            age_ms: 0,
        };
        let present: Vec<u8> = pattern.bytes().map(|b| u8::from(b == b'#')).collect();
        let mut m = Machine::default();
        let (mut sends, mut track) = (Vec::new(), Track::default());
        m.feed(0, &present, &timing, 0, &mut sends, &mut track);
        let t = |ms: i64| format!("{}:{:02}", ms / 60_000, ms % 60_000 / 1000);
        let iv = |v: &[(i64, Option<i64>)]| {
            v.iter()
                .map(|(s, e)| format!("{}-{}", t(*s), e.map_or("".into(), t)))
                .collect::<Vec<_>>()
                .join(",")
        };
        let s: Vec<String> = sends
            .iter()
            .map(|s| format!("{}({}..{})", t(s.at), t(s.starts_at), t(s.ends_at)))
            .collect();
        let got = format!(
            "pending {} firing {} sends {}",
            iv(&track.pending),
            iv(&track.firing),
            s.join(" ")
        );
        assert_eq!(got, expect, "{pattern}");
    }

    #[test]
    fn for_holds_an_alert_pending_and_a_gap_restarts_it() {
        check(
            "..###.####......",
            60,
            0,
            "pending 1:00-2:00,3:00-4:00 firing 2:00-2:30,4:00-5:00 sends 2:00(2:00..6:00) 2:30(2:00..2:30) 4:00(4:00..8:00) 5:00(4:00..5:00) 6:30(4:00..5:00)",
        );
    }

    #[test]
    fn a_firing_alert_is_resent_when_its_last_send_is_more_than_a_minute_old() {
        // Sends at 0:00, then 1:30 (1:00 is not strictly after 0:00 + 1m), 3:00.
        check(
            "#######.",
            0,
            0,
            "pending 0:00-0:00 firing 0:00-3:30 sends 0:00(0:00..4:00) 1:30(0:00..5:30) 3:00(0:00..7:00) 3:30(0:00..3:30)",
        );
    }

    #[test]
    fn a_resolved_alert_is_resent_for_fifteen_minutes() {
        let mut p = String::from("#");
        p.push_str(&".".repeat(40));
        check(
            &p,
            0,
            0,
            "pending 0:00-0:00 firing 0:00-0:30 sends 0:00(0:00..4:00) 0:30(0:00..0:30) 2:00(0:00..0:30) 3:30(0:00..0:30) 5:00(0:00..0:30) 6:30(0:00..0:30) 8:00(0:00..0:30) 9:30(0:00..0:30) 11:00(0:00..0:30) 12:30(0:00..0:30) 14:00(0:00..0:30) 15:30(0:00..0:30)",
        );
    }

    #[test]
    fn keep_firing_for_bridges_a_gap_shorter_than_it() {
        check(
            "###..###.....",
            0,
            90,
            "pending 0:00-0:00 firing 0:00-5:30 sends 0:00(0:00..4:00) 1:30(0:00..5:30) 3:00(0:00..7:00) 4:30(0:00..8:30) 5:30(0:00..5:30)",
        );
    }

    #[test]
    fn a_pending_alert_that_vanishes_is_dropped_without_a_send() {
        check("##..", 120, 0, "pending 0:00-1:00 firing  sends ");
    }
}
