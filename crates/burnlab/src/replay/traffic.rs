//! From a scenario to the counters Prometheus would scrape: requests, failed requests and slow
//! requests, each a cumulative count sampled every `scrape_interval` from the scenario's start.
//!
//! The counts are exact integrals of the traffic (constant within each UTC hour, times the daily
//! shape) and of the error and slow ratios (the baseline plus every active incident, each a
//! step or a linear ramp, the sum capped at 1), rounded to whole requests as real counters are.
//! Rounding the running totals rather than each step keeps the counters within half a request of
//! the exact integrals however long the scenario runs. A counter is the prefix sum of its
//! increments, so any window's increase is one subtraction: `c[k1] − c[k0]`.

use crate::replay::scenario::Scenario;

const HOUR_MS: i64 = 3_600_000;

/// The sampled counters of one scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traffic {
    /// The sampling step in milliseconds.
    pub scrape_ms: i64,
    /// All requests so far, at `k × scrape_ms` for k = 0 ..= duration / scrape.
    pub total: Vec<f64>,
    /// Failed requests so far.
    pub errors: Vec<f64>,
    /// Requests slower than a latency SLI's threshold so far.
    pub slow: Vec<f64>,
}

/// A stretch of time in which every incident active at its start stays active to its end, so the
/// summed ratios are linear: `a + b·(t − start)` with `t` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    end: i64,
    error: (f64, f64),
    slow: (f64, f64),
}

/// One incident occurrence: start, end, original length, error ramp, slow ramp.
type Occurrence = (i64, i64, i64, (f64, f64), (f64, f64));

/// The segments covering `[0, end)`, in order.
fn segments(scenario: &Scenario) -> Vec<Segment> {
    let end = scenario.duration_ms();
    let mut occ: Vec<Occurrence> = Vec::new();
    for inc in &scenario.incidents {
        let len = inc.duration.as_millis() as i64;
        for (s, e) in inc.occurrences(end) {
            occ.push((
                s,
                e,
                len,
                (inc.error_ratio.from, inc.error_ratio.to),
                (inc.slow_ratio.from, inc.slow_ratio.to),
            ));
        }
    }
    let mut bounds: Vec<i64> = occ.iter().flat_map(|o| [o.0, o.1]).collect();
    bounds.push(0);
    bounds.push(end);
    bounds.sort_unstable();
    bounds.dedup();
    occ.sort_unstable_by_key(|o| o.0);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(bounds.len());
    for w in bounds.windows(2) {
        let &[p, q] = w else { continue };
        active.retain(|&i| occ.get(i).is_some_and(|o| o.1 > p));
        while let Some(o) = occ.get(next) {
            if o.0 > p {
                break;
            }
            if o.1 > p {
                active.push(next);
            }
            next += 1;
        }
        let mut error = (scenario.error_ratio, 0.0);
        let mut slow = (scenario.slow_ratio, 0.0);
        for o in active.iter().filter_map(|&i| occ.get(i)) {
            let len = o.2 as f64;
            let into = (p - o.0) as f64;
            for (acc, (from, to)) in [(&mut error, o.3), (&mut slow, o.4)] {
                let slope = (to - from) / len;
                acc.0 += from + slope * into;
                acc.1 += slope;
            }
        }
        out.push(Segment {
            end: q,
            error,
            slow,
        });
    }
    out
}

/// ∫ min(1, v) over a piece where v goes linearly from `v0` to `v1`, as a fraction of the piece.
fn capped_mean(v0: f64, v1: f64) -> f64 {
    if v0 <= 1.0 && v1 <= 1.0 {
        (v0 + v1) / 2.0
    } else if v0 >= 1.0 && v1 >= 1.0 {
        1.0
    } else {
        // The line crosses 1 at fraction f.
        let f = (1.0 - v0) / (v1 - v0);
        if v0 < 1.0 {
            f * (v0 + 1.0) / 2.0 + (1.0 - f)
        } else {
            f + (1.0 - f) * (1.0 + v1) / 2.0
        }
    }
}

/// The nearest whole number of requests (halves up). The totals are non-negative and far below
/// 2⁵³, so a conversion through an integer is exact and cheaper than `f64::round`.
fn whole(x: f64) -> f64 {
    (x + 0.5) as i64 as f64
}

impl Traffic {
    /// The counters of `scenario` (which must be valid: see [`Scenario::validate`]).
    pub fn of(scenario: &Scenario) -> Self {
        let mut t = Self::default();
        t.fill(scenario);
        t
    }

    /// Recomputes the counters into this value's buffers, reusing their memory.
    pub fn fill(&mut self, scenario: &Scenario) {
        let end = scenario.duration_ms();
        let step = scenario.scrape_interval.as_millis().max(1) as i64;
        let n = (end / step) as usize + 1;
        self.scrape_ms = step;
        for v in [&mut self.total, &mut self.errors, &mut self.slow] {
            v.clear();
            v.resize(n, 0.0);
        }
        let segs = segments(scenario);
        let start_ms = scenario.start_time.saturating_mul(1000);
        let shape = scenario.daily_shape.as_deref();
        // The UTC hour the scenario starts in, and when the next hour begins (relative ms).
        let mut hour = (start_ms.div_euclid(HOUR_MS)).rem_euclid(24) as usize;
        let mut next_hour = HOUR_MS - start_ms.rem_euclid(HOUR_MS);
        let rps_of = |hour: usize| {
            scenario.requests_per_second * shape.and_then(|s| s.get(hour)).copied().unwrap_or(1.0)
        };
        let mut rps = rps_of(hour);
        let (mut cum_total, mut cum_err, mut cum_slow) = (0.0f64, 0.0f64, 0.0f64);
        let mut seg_i = 0;
        let mut seg_start = 0i64;
        let mut t = 0i64;
        let samples = self
            .total
            .iter_mut()
            .zip(self.errors.iter_mut())
            .zip(self.slow.iter_mut())
            .enumerate()
            .skip(1);
        for (k, ((total, errors), slow)) in samples {
            let sample_at = k as i64 * step;
            while t < sample_at {
                let Some(seg) = segs.get(seg_i) else { break };
                let mut x1 = sample_at.min(seg.end);
                if shape.is_some() {
                    x1 = x1.min(next_hour);
                }
                let secs = (x1 - t) as f64 / 1000.0;
                let requests = rps * secs;
                cum_total += requests;
                let (a, b) = seg.error;
                if a != 0.0 || b != 0.0 {
                    let v0 = a + b * (t - seg_start) as f64;
                    let v1 = a + b * (x1 - seg_start) as f64;
                    cum_err += requests * capped_mean(v0, v1);
                }
                let (a, b) = seg.slow;
                if a != 0.0 || b != 0.0 {
                    let v0 = a + b * (t - seg_start) as f64;
                    let v1 = a + b * (x1 - seg_start) as f64;
                    cum_slow += requests * capped_mean(v0, v1);
                }
                t = x1;
                if t >= seg.end {
                    seg_i += 1;
                    seg_start = t;
                }
                if shape.is_some() && t >= next_hour {
                    next_hour += HOUR_MS;
                    hour = (hour + 1) % 24;
                    rps = rps_of(hour);
                }
            }
            *total = whole(cum_total);
            *errors = whole(cum_err);
            *slow = whole(cum_slow);
        }
    }

    /// Samples per counter.
    pub fn len(&self) -> usize {
        self.total.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.total.is_empty()
    }

    /// The requests, failed requests and slow requests between samples `k0` and `k1`.
    pub fn between(&self, k0: usize, k1: usize) -> (f64, f64, f64) {
        let d = |v: &[f64]| v.get(k1).copied().unwrap_or(0.0) - v.get(k0).copied().unwrap_or(0.0);
        (d(&self.total), d(&self.errors), d(&self.slow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(yaml: &str) -> Traffic {
        Traffic::of(&Scenario::parse(yaml).unwrap())
    }

    #[test]
    fn steady_traffic_counts_every_request_and_failure() {
        let t = counters("duration: 1h\nrequests_per_second: 1000\nerror_ratio: 0.0002");
        assert_eq!(t.len(), 61);
        assert_eq!(t.total[1], 60_000.0);
        assert_eq!(t.errors[1], 12.0);
        assert_eq!(t.total[60], 3_600_000.0);
        assert_eq!(t.errors[60], 720.0);
    }

    #[test]
    fn an_incident_adds_its_ratio_for_exactly_its_span() {
        // 2 % from 10m30s to 11m30s: half of minute 11 and half of minute 12 at 2 %.
        let t = counters(
            "duration: 20m\nrequests_per_second: 100\nincidents:\n  - {start: 10m30s, duration: 1m, error_ratio: 0.02}",
        );
        assert_eq!(t.between(10, 11), (6000.0, 60.0, 0.0));
        assert_eq!(t.between(11, 12), (6000.0, 60.0, 0.0));
        assert_eq!(t.errors[20], 120.0);
    }

    #[test]
    fn overlapping_incidents_add_up_and_cap_at_one() {
        let t = counters(
            "duration: 10m\nrequests_per_second: 10\nincidents:\n  - {start: 0, duration: 10m, error_ratio: 0.7}\n  - {start: 5m, duration: 5m, error_ratio: 0.7}",
        );
        assert_eq!(t.between(0, 5).1, 0.7 * 3000.0);
        assert_eq!(t.between(5, 10).1, 3000.0);
    }

    #[test]
    fn a_ramp_spends_its_average_and_a_capped_ramp_less() {
        let t = counters(
            "duration: 1h\nrequests_per_second: 100\nincidents:\n  - {start: 0, duration: 1h, error_ratio_from: 0, error_ratio_to: 0.1}",
        );
        assert_eq!(t.errors[60], 0.05 * 360_000.0);
        // From 0 to 2 over the hour: 1 from the half-way point on, so 1/4 + 1/2 of the requests.
        let t = counters(
            "duration: 1h\nrequests_per_second: 100\nerror_ratio: 0\nincidents:\n  - {start: 0, duration: 1h, error_ratio_from: 0, error_ratio_to: 1}\n  - {start: 0, duration: 1h, error_ratio_from: 0, error_ratio_to: 1}",
        );
        assert_eq!(t.errors[60], 0.75 * 360_000.0);
    }

    #[test]
    fn the_daily_shape_follows_utc_hours_from_the_start_time() {
        let mut shape = vec!["1"; 24];
        shape[3] = "0";
        let t = counters(&format!(
            "start_time: 2024-01-01T02:30:00Z\nduration: 2h\nscrape_interval: 30m\nrequests_per_second: 1\ndaily_shape: [{}]",
            shape.join(", ")
        ));
        // 02:30–03:00 at 1/s, 03:00–04:00 at 0, 04:00–04:30 at 1/s.
        assert_eq!(t.total, vec![0.0, 1800.0, 1800.0, 1800.0, 3600.0]);
    }

    #[test]
    fn counters_are_whole_requests_within_half_a_request_of_the_exact_count() {
        let t = counters("duration: 1d\nrequests_per_second: 10/h\nerror_ratio: 0.3");
        for (k, (total, errors)) in t.total.iter().zip(&t.errors).enumerate() {
            let exact = k as f64 * 60.0 * 10.0 / 3600.0;
            assert!(
                (total - exact).abs() <= 0.5,
                "sample {k}: {total} vs {exact}"
            );
            assert!(*errors <= *total && total.fract() == 0.0 && errors.fract() == 0.0);
        }
        assert!(t.total.windows(2).all(|w| w[0] <= w[1]));
    }
}
