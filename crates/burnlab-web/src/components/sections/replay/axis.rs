//! The time axis every lane of the replay shares: seconds from the scenario's start onto
//! pixels, ticks on round wall-clock times (UTC, as the scenario's `start_time` is), the steps
//! a drag snaps to and the arrow keys move by, and zooming about a point. Pure functions, so
//! they are tested natively.

use burnlab::replay::scenario::format_instant;

/// Width of the lane titles on the left, in pixels.
pub const LEFT: f64 = 132.0;
/// Room on the right, in pixels.
pub const RIGHT: f64 = 16.0;

/// Round steps, seconds: ticks, snapping and keyboard moves use them.
const STEPS: [f64; 19] = [
    1.0,
    5.0,
    10.0,
    30.0,
    60.0,
    300.0,
    600.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    10_800.0,
    21_600.0,
    43_200.0,
    86_400.0,
    172_800.0,
    604_800.0,
    1_209_600.0,
    2_592_000.0,
];

/// Seconds from the start onto pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    /// First second shown.
    pub from_s: f64,
    /// Last second shown.
    pub to_s: f64,
    /// The whole drawing's width, pixels.
    pub width: f64,
}

/// A tick: where, and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Seconds from the start.
    pub t_s: f64,
    /// `03:00`, or the day (`Tue 2 Jan`) at midnight.
    pub label: String,
    /// Whether it is a day boundary.
    pub major: bool,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// `Tue 2 Jan` for a Unix instant (UTC).
pub fn day_label(unix: i64) -> String {
    let text = format_instant(unix);
    let month: usize = text.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day: u32 = text.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
    let weekday = WEEKDAYS
        .get(unix.div_euclid(86_400).rem_euclid(7) as usize)
        .copied()
        .unwrap_or_default();
    let month = MONTHS
        .get(month.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    format!("{weekday} {day} {month}")
}

/// `03:00` (or `03:00:30` off the minute) for a Unix instant (UTC).
pub fn time_label(unix: i64) -> String {
    let text = format_instant(unix);
    let hm = text.get(11..16).unwrap_or_default();
    match text.get(17..19) {
        Some("00") | None => hm.to_owned(),
        Some(s) => format!("{hm}:{s}"),
    }
}

/// `Tue 2 Jan 03:00` for a Unix instant (UTC).
pub fn clock_label(unix: i64) -> String {
    format!("{} {}", day_label(unix), time_label(unix))
}

/// The round step nearest above `seconds`.
pub fn step_above(seconds: f64) -> f64 {
    STEPS
        .iter()
        .copied()
        .find(|s| *s >= seconds)
        .unwrap_or(2_592_000.0)
}

impl Axis {
    /// The plot's left edge, pixels.
    pub fn left(&self) -> f64 {
        LEFT
    }

    /// The plot's right edge, pixels.
    pub fn right(&self) -> f64 {
        (self.width - RIGHT).max(LEFT + 1.0)
    }

    fn span(&self) -> f64 {
        (self.to_s - self.from_s).max(1e-9)
    }

    /// The pixel of second `t_s` (outside the plot when `t_s` is outside the range).
    pub fn x(&self, t_s: f64) -> f64 {
        LEFT + (t_s - self.from_s) / self.span() * (self.right() - LEFT)
    }

    /// The pixel of `t_s`, kept within a few pixels of the plot, for shapes that run past it.
    pub fn x_clamped(&self, t_s: f64) -> f64 {
        self.x(t_s).clamp(LEFT - 2.0, self.right() + 2.0)
    }

    /// The second at pixel `x`.
    pub fn t(&self, x: f64) -> f64 {
        self.from_s + (x - LEFT) / (self.right() - LEFT) * self.span()
    }

    /// Seconds per pixel.
    pub fn per_px(&self) -> f64 {
        self.span() / (self.right() - LEFT)
    }

    /// The step a drag snaps to: a round step of at least two pixels.
    pub fn snap_s(&self) -> f64 {
        step_above(self.per_px() * 2.0)
    }

    /// The step an arrow key moves by: a round step of about a fiftieth of the range.
    pub fn key_step_s(&self) -> f64 {
        step_above(self.span() / 50.0)
    }

    /// Ticks on round wall-clock times, at least ~90 pixels apart; `start_unix` is the
    /// scenario's start.
    pub fn ticks(&self, start_unix: i64) -> Vec<Tick> {
        let step = step_above(self.per_px() * 90.0);
        // Round wall-clock times: multiples of the step in UTC (days and weeks from midnight).
        let base = if step >= 604_800.0 { 86_400.0 } else { step };
        let first_unix = start_unix as f64 + self.from_s;
        let mut t = (first_unix / base).ceil() * base;
        let mut out = Vec::new();
        let end = start_unix as f64 + self.to_s;
        while t <= end + 1e-6 && out.len() < 200 {
            let unix = t.round() as i64;
            let major = unix.rem_euclid(86_400) == 0;
            out.push(Tick {
                t_s: t - start_unix as f64,
                label: if major || step >= 86_400.0 {
                    day_label(unix)
                } else {
                    time_label(unix)
                },
                major,
            });
            t += step;
        }
        out
    }
}

/// `t` snapped to a multiple of `step` (both ms).
pub fn snap(t_ms: i64, step_ms: i64) -> i64 {
    if step_ms <= 1 {
        return t_ms;
    }
    (t_ms as f64 / step_ms as f64).round() as i64 * step_ms
}

/// The range `(from, to)` (ms) scaled by `factor` about `at_ms` (below 1 zooms in), kept inside
/// `[0, end]`.
pub fn zoom_about(range: (i64, i64), at_ms: i64, factor: f64, end: i64) -> (i64, i64) {
    let (from, to) = range;
    let at = at_ms.clamp(from, to) as f64;
    let a = at - (at - from as f64) * factor;
    let b = at + (to as f64 - at) * factor;
    let span = (b - a).clamp(1.0, end as f64);
    let a = a.clamp(0.0, end as f64 - span);
    (a.round() as i64, (a + span).round() as i64)
}

/// The range moved by `by_ms`, kept inside `[0, end]`.
pub fn pan(range: (i64, i64), by_ms: i64, end: i64) -> (i64, i64) {
    let span = range.1 - range.0;
    let from = (range.0 + by_ms).clamp(0, (end - span).max(0));
    (from, from + span)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONDAY: i64 = 1_704_067_200;

    #[test]
    fn labels_say_the_day_and_the_time_in_utc() {
        assert_eq!(day_label(MONDAY), "Mon 1 Jan");
        assert_eq!(day_label(MONDAY + 86_400 * 30), "Wed 31 Jan");
        assert_eq!(time_label(MONDAY + 3 * 3600), "03:00");
        assert_eq!(time_label(MONDAY + 3 * 3600 + 30), "03:00:30");
        assert_eq!(clock_label(MONDAY + 64_800 + 9 * 3600), "Tue 2 Jan 03:00");
    }

    #[test]
    fn pixels_and_seconds_map_both_ways() {
        let a = Axis {
            from_s: 3600.0,
            to_s: 7200.0,
            width: LEFT + RIGHT + 360.0,
        };
        assert_eq!(a.x(3600.0), LEFT);
        assert_eq!(a.x(7200.0), LEFT + 360.0);
        assert_eq!(a.t(LEFT + 180.0), 5400.0);
        assert_eq!(a.per_px(), 10.0);
        assert_eq!(a.snap_s(), 30.0);
        assert_eq!(a.key_step_s(), 300.0);
    }

    #[test]
    fn ticks_fall_on_round_wall_clock_times() {
        // A day from 18:00 on 1080 px (80 s a pixel): ticks every 2 h, 90 px apart, at 20:00,
        // 22:00, 00:00 (a new day, named), 02:00…
        let a = Axis {
            from_s: 0.0,
            to_s: 86_400.0,
            width: LEFT + RIGHT + 1080.0,
        };
        let ticks = a.ticks(MONDAY + 18 * 3600);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "18:00",
                "20:00",
                "22:00",
                "Tue 2 Jan",
                "02:00",
                "04:00",
                "06:00",
                "08:00",
                "10:00",
                "12:00",
                "14:00",
                "16:00",
                "18:00",
            ]
        );
        assert_eq!(ticks[1].t_s, 2.0 * 3600.0);
        assert!(ticks[3].major && !ticks[4].major);
        // A month: days.
        let month = Axis {
            from_s: 0.0,
            to_s: 30.0 * 86_400.0,
            width: LEFT + RIGHT + 600.0,
        };
        let ticks = month.ticks(MONDAY);
        assert_eq!(ticks[0].label, "Mon 1 Jan");
        assert_eq!(ticks[1].t_s, 7.0 * 86_400.0);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_stays_inside() {
        let day = 86_400_000;
        assert_eq!(
            zoom_about((0, day), day / 2, 0.5, day),
            (day / 4, 3 * day / 4)
        );
        assert_eq!(zoom_about((0, day), 0, 0.5, day), (0, day / 2));
        assert_eq!(
            zoom_about((day / 4, 3 * day / 4), day / 2, 4.0, day),
            (0, day)
        );
        assert_eq!(pan((0, 1000), -500, day), (0, 1000));
        assert_eq!(pan((0, 1000), 500, day), (500, 1500));
        assert_eq!(pan((day - 1000, day), 500, day), (day - 1000, day));
        assert_eq!(snap(61_000, 30_000), 60_000);
        assert_eq!(snap(76_000, 30_000), 90_000);
    }
}
