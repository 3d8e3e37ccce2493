//! Time intervals (`time_intervals`, `mute_time_intervals`): parsing with Alertmanager's
//! checks and messages, and the pure question "is this instant inside?".
//!
//! Instants are Unix seconds passed in by the caller; nothing here reads the clock.
//!
//! Time zones come from `jiff` with its IANA database bundled into the binary
//! (`tzdb-bundle-always`): the core does no I/O, and every front computes the same answers as the
//! CLI. `jiff` was preferred to `chrono-tz`, which compiles every zone's rules into code and
//! weighs several times more in wasm. `Local` is read as UTC, the simulated Alertmanager's
//! zone, since a browser's local zone would make answers differ between viewers.

use crate::alertmanager::go_string;
use crate::error::{Error, Result};
use crate::yaml::Node;

/// An inclusive range of integers (weekdays 0 = Sunday, days of month ±1..31, months 1..12,
/// years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// First member.
    pub begin: i32,
    /// Last member, inclusive.
    pub end: i32,
}

/// One entry of a named interval: all present fields must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeInterval {
    /// Minute ranges of the day, `[start, end)`.
    pub times: Option<Vec<(u32, u32)>>,
    /// Weekday ranges.
    pub weekdays: Option<Vec<Range>>,
    /// Day-of-month ranges (negative counts from the month's end).
    pub days_of_month: Option<Vec<Range>>,
    /// Month ranges.
    pub months: Option<Vec<Range>>,
    /// Year ranges.
    pub years: Option<Vec<Range>>,
    /// IANA location, `UTC` when absent.
    pub location: Option<String>,
}

/// The intervals of one named set: it matches when any of them does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeIntervalSet(pub Vec<TimeInterval>);

const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn list<'a>(node: &'a Node, path: &str) -> Result<&'a [Node]> {
    if node.is_null() {
        return Ok(&[]);
    }
    node.items().ok_or_else(|| {
        node.error(
            path,
            format!("cannot unmarshal {} into a list", node.kind()),
        )
    })
}

/// Go's `strconv.Atoi`: optional sign, ASCII digits.
fn atoi(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn range(
    text: &str,
    member: impl Fn(&str) -> std::result::Result<i32, String>,
) -> std::result::Result<Range, String> {
    let lower = text.to_lowercase();
    if lower.contains(':') {
        let parts: Vec<&str> = lower.split(':').collect();
        let [a, b] = parts.as_slice() else {
            return Err(format!("couldn't parse range {lower}, invalid format"));
        };
        Ok(Range {
            begin: member(a)?,
            end: member(b)?,
        })
    } else {
        let v = member(&lower)?;
        Ok(Range { begin: v, end: v })
    }
}

fn parse_minutes(s: &str) -> std::result::Result<u32, String> {
    let bad = || format!("couldn't parse timestamp {s}, invalid format");
    if s == "24:00" {
        return Ok(24 * 60);
    }
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !h.to_string().is_empty() && (h > 23 || m > 59)
        || !s.bytes().filter(|b| *b != b':').all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

impl TimeIntervalSet {
    /// Reads a `time_intervals:` list of one named set.
    pub fn from_node(node: &Node, path: &str) -> Result<Self> {
        let mut out = Vec::new();
        for (i, item) in list(node, path)?.iter().enumerate() {
            out.push(TimeInterval::from_node(item, &format!("{path}[{i}]"))?);
        }
        Ok(Self(out))
    }

    /// Whether the instant (Unix seconds) is inside any of the intervals.
    pub fn contains(&self, unix_secs: i64) -> Result<bool> {
        for ti in &self.0 {
            if ti.contains(unix_secs)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl TimeInterval {
    /// Reads one interval with Alertmanager's checks.
    pub fn from_node(node: &Node, path: &str) -> Result<Self> {
        let mut ti = TimeInterval::default();
        if node.is_null() {
            return Ok(ti);
        }
        let entries = node.entries().ok_or_else(|| {
            node.error(
                path,
                format!(
                    "cannot unmarshal {} into timeinterval.TimeInterval",
                    node.kind()
                ),
            )
        })?;
        for (key, value) in entries {
            let k = key.scalar().unwrap_or_default();
            let p = format!("{path}.{k}");
            let err = |item: &Node, msg: String| item.error(p.clone(), msg);
            match k {
                "times" => {
                    let mut v = Vec::new();
                    for (i, item) in list(value, &p)?.iter().enumerate() {
                        let ip = format!("{p}[{i}]");
                        for (f, _) in item.entries().unwrap_or_default() {
                            let name = f.scalar().unwrap_or_default();
                            if name != "start_time" && name != "end_time" {
                                return Err(f.error(
                                    ip,
                                    format!(
                                        "field {name} not found in type timeinterval.yamlTimeRange (allowed here: start_time, end_time)"
                                    ),
                                ));
                            }
                        }
                        // Each time is read, and its error located, where it is written; as
                        // in Alertmanager, both must be given before either is parsed.
                        let text = |f: &str| -> Result<(String, String, Option<&Node>)> {
                            let fp = format!("{ip}.{f}");
                            match item.get(f) {
                                Some(n) => Ok((go_string(n, &fp)?, fp, Some(n))),
                                None => Ok((String::new(), fp, None)),
                            }
                        };
                        let (start, end) = (text("start_time")?, text("end_time")?);
                        if start.0.is_empty() || end.0.is_empty() {
                            return Err(item.error(
                                ip,
                                "both start and end times must be provided (e.g. {start_time: '09:00', end_time: '17:00'})",
                            ));
                        }
                        let minutes = |(t, fp, n): (String, String, Option<&Node>)| {
                            parse_minutes(&t).map_err(|e| {
                                let message = format!(
                                    "{e} (write HH:MM from 00:00 to 24:00, e.g. 09:00 or 17:30)"
                                );
                                n.unwrap_or(item).error(fp, message)
                            })
                        };
                        let (s, e) = (minutes(start)?, minutes(end)?);
                        if s >= e {
                            return Err(item.error(
                                ip,
                                "start time cannot be equal or greater than end time (a range past midnight is two ranges: 22:00–24:00 and 00:00–06:00)",
                            ));
                        }
                        v.push((s, e));
                    }
                    ti.times = Some(v);
                }
                "weekdays" => {
                    let mut v = Vec::new();
                    for item in list(value, &p)? {
                        let text = go_string(item, &p)?;
                        let r = range(&text, |s| {
                            WEEKDAYS
                                .iter()
                                .position(|d| *d == s)
                                .map(|i| i as i32)
                                .ok_or_else(|| {
                                    format!(
                                        "{s} is not a valid weekday (use sunday … saturday, or a range like monday:friday)"
                                    )
                                })
                        })
                        .map_err(|e| err(item, e))?;
                        if r.begin > r.end {
                            return Err(err(item, "start day cannot be before end day".into()));
                        }
                        v.push(r);
                    }
                    ti.weekdays = Some(v);
                }
                "days_of_month" => {
                    let mut v = Vec::new();
                    for item in list(value, &p)? {
                        let text = go_string(item, &p)?;
                        let r = range(&text, |s| {
                            atoi(s).ok_or_else(|| {
                                format!("strconv.Atoi: parsing {s:?}: invalid syntax")
                            })
                        })
                        .map_err(|e| err(item, e))?;
                        for d in [r.begin, r.end] {
                            if d == 0 || !(-31..=31).contains(&d) {
                                return Err(err(
                                    item,
                                    format!("{d} is not a valid day of the month: out of range"),
                                ));
                            }
                        }
                        if r.begin < 0 && r.end > 0 {
                            return Err(err(
                                item,
                                "end day must be negative if start day is negative".into(),
                            ));
                        }
                        let norm = |d: i32| if d < 0 { 28 + d } else { d };
                        if norm(r.begin) > norm(r.end) {
                            return Err(err(
                                item,
                                format!("end day {} is always before start day {}", r.end, r.begin),
                            ));
                        }
                        v.push(r);
                    }
                    ti.days_of_month = Some(v);
                }
                "months" => {
                    let mut v = Vec::new();
                    for item in list(value, &p)? {
                        let text = go_string(item, &p)?;
                        let r = range(&text, |s| {
                            MONTHS
                                .iter()
                                .position(|m| *m == s)
                                .map(|i| i as i32 + 1)
                                .or_else(|| atoi(s))
                                .ok_or_else(|| {
                                    format!(
                                        "{s} is not a valid month (use january … december or 1 … 12, or a range like january:march)"
                                    )
                                })
                        })
                        .map_err(|e| err(item, e))?;
                        if r.begin > r.end {
                            return Err(err(
                                item,
                                format!("end month {} is before start month {}", r.end, r.begin),
                            ));
                        }
                        v.push(r);
                    }
                    ti.months = Some(v);
                }
                "years" => {
                    let mut v = Vec::new();
                    for item in list(value, &p)? {
                        let text = go_string(item, &p)?;
                        let r = range(&text, |s| {
                            atoi(s).ok_or_else(|| {
                                format!("strconv.Atoi: parsing {s:?}: invalid syntax")
                            })
                        })
                        .map_err(|e| err(item, e))?;
                        if r.begin > r.end {
                            return Err(err(
                                item,
                                format!("end year {} is before start year {}", r.end, r.begin),
                            ));
                        }
                        v.push(r);
                    }
                    ti.years = Some(v);
                }
                "location" => {
                    let name = go_string(value, &p)?;
                    zone(&name).map_err(|e| err(value, e))?;
                    ti.location = Some(name);
                }
                _ => {
                    return Err(key.error(
                        path,
                        format!("field {k} not found in type timeinterval.TimeInterval"),
                    ));
                }
            }
        }
        Ok(ti)
    }

    /// Whether the instant (Unix seconds) is inside this interval, in its location.
    pub fn contains(&self, unix_secs: i64) -> Result<bool> {
        let tz = zone(self.location.as_deref().unwrap_or("UTC"))
            .map_err(|e| Error::field("location", e))?;
        let ts = jiff::Timestamp::from_second(unix_secs)
            .map_err(|e| Error::field("time", format!("instant out of range: {e}")))?;
        let local = tz.to_datetime(ts);
        let (year, month, day) = (
            i64::from(local.year()),
            i32::from(local.month()),
            i32::from(local.day()),
        );
        let minute =
            u32::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(0);
        let weekday = i32::from(local.weekday().to_sunday_zero_offset());
        let in_ranges = |ranges: &Option<Vec<Range>>, v: i32| {
            ranges
                .as_ref()
                .is_none_or(|rs| rs.iter().any(|r| r.begin <= v && v <= r.end))
        };
        if let Some(times) = &self.times
            && !times.iter().any(|(s, e)| *s <= minute && minute < *e)
        {
            return Ok(false);
        }
        if let Some(doms) = &self.days_of_month {
            let dim = days_in_month(year, month);
            let hit = doms.iter().any(|r| {
                let begin = if r.begin < 0 {
                    dim + r.begin + 1
                } else {
                    r.begin
                };
                let end = if r.end < 0 { dim + r.end + 1 } else { r.end };
                if begin > dim {
                    return false;
                }
                let begin = begin.clamp(-dim, dim);
                let end = end.clamp(-dim, dim);
                begin <= day && day <= end
            });
            if !hit {
                return Ok(false);
            }
        }
        Ok(in_ranges(&self.months, month)
            && in_ranges(&self.weekdays, weekday)
            && in_ranges(&self.years, year as i32))
    }
}

/// The time zone for a `location`: empty, `UTC` and `Local` are UTC (see the module note),
/// anything else an IANA name from the bundled database. The error reads like Go's.
fn zone(name: &str) -> std::result::Result<jiff::tz::TimeZone, String> {
    if matches!(name, "" | "UTC" | "Local") {
        return Ok(jiff::tz::TimeZone::UTC);
    }
    // A poisoned lock only costs the cache: the zone is read again.
    let mut cache = ZONES.lock().ok();
    if let Some((_, tz)) = cache
        .as_ref()
        .and_then(|c| c.iter().find(|(n, _)| n == name))
    {
        return Ok(tz.clone());
    }
    let tz = jiff::tz::db()
        .get(name)
        .map_err(|_| format!("unknown time zone {name}"))?;
    if let Some(cache) = cache.as_mut() {
        if cache.len() >= MAX_CACHED_ZONES {
            cache.clear();
        }
        cache.push((name.to_owned(), tz.clone()));
    }
    Ok(tz)
}

/// Zones already read, by the name they were asked for. Reading one from the bundled database
/// parses its TZif data every time (jiff caches only with its `std` feature, which this crate
/// leaves off), and [`TimeInterval::contains`] reads its zone for every instant it is asked
/// about: a replay or a routing test asks thousands of times. Cloning a zone is cheap (shared).
static ZONES: std::sync::Mutex<Vec<(String, jiff::tz::TimeZone)>> =
    std::sync::Mutex::new(Vec::new());

/// At most this many names are kept (real configs name a handful of zones; a hostile one may
/// try many spellings), so the cache stays small and a lookup a short scan.
const MAX_CACHED_ZONES: usize = 32;

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i32) -> i32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(yaml: &str, instant: i64, expect: std::result::Result<bool, &str>) {
        let got = crate::yaml::parse(yaml, "t")
            .and_then(|n| {
                TimeIntervalSet::from_node(
                    &n.unwrap_or_else(|| Node::seq(vec![])),
                    "time_intervals",
                )
            })
            .and_then(|set| set.contains(instant));
        match (got, expect) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "{yaml} at {instant}"),
            (Err(e), Err(w)) => assert!(e.to_string().contains(w), "{e} should contain {w}"),
            (g, w) => panic!("{yaml}: got {g:?}, want {w:?}"),
        }
    }

    // 2024-03-15 (a Friday) 10:30 UTC.
    const FRI_1030: i64 = 1_710_498_600;

    #[test]
    fn business_hours_on_weekdays_hold_friday_morning() {
        let y =
            "- times: [{start_time: '09:00', end_time: '17:00'}]\n  weekdays: ['monday:friday']\n";
        check(y, FRI_1030, Ok(true));
        check(y, FRI_1030 + 86_400, Ok(false));
        check(y, FRI_1030 - 2 * 3600, Ok(false));
    }

    #[test]
    fn the_end_time_is_exclusive_and_24_00_is_allowed() {
        check(
            "- times: [{start_time: '00:00', end_time: '10:30'}]\n",
            FRI_1030,
            Ok(false),
        );
        check(
            "- times: [{start_time: '10:30', end_time: '24:00'}]\n",
            FRI_1030,
            Ok(true),
        );
    }

    #[test]
    fn negative_days_count_from_the_end_of_the_month() {
        check("- days_of_month: ['-17:-1']\n", FRI_1030, Ok(true));
        check("- days_of_month: ['-16:-1']\n", FRI_1030, Ok(false));
        check(
            "- days_of_month: ['1:14']\n  months: [march]\n  years: ['2024']\n",
            FRI_1030,
            Ok(false),
        );
    }

    #[test]
    fn locations_shift_the_clock_with_daylight_saving() {
        let at = |loc: &str| {
            format!("- times: [{{start_time: '06:00', end_time: '07:00'}}]\n  location: {loc}\n")
        };
        // 10:30 UTC is 05:30 five hours west of Greenwich.
        check(&at("Etc/GMT+5"), FRI_1030, Ok(false));
        check(&at("Etc/GMT+4"), FRI_1030, Ok(true));
        // On 15 March 2024 New York was on EDT (since 10 March): 10:30 UTC was 06:30.
        check(&at("America/New_York"), FRI_1030, Ok(true));
        // Two weeks earlier it was on EST: 10:30 UTC was 05:30.
        check(&at("America/New_York"), FRI_1030 - 14 * 86_400, Ok(false));
        check(
            &at("Europe/Berln"),
            FRI_1030,
            Err("unknown time zone Europe/Berln"),
        );
    }

    #[test]
    fn zones_read_again_from_the_cache_answer_as_the_database_does_and_the_cache_stays_bounded() {
        let names: Vec<String> = (1..=12)
            .flat_map(|h| [format!("Etc/GMT+{h}"), format!("Etc/GMT-{h}")])
            .chain(["America/New_York", "Europe/Paris", "Asia/Kolkata"].map(String::from))
            .collect();
        assert!(names.len() > MAX_CACHED_ZONES / 2);
        let at = jiff::Timestamp::from_second(FRI_1030).unwrap();
        // Twice round every name: the second round is answered from the cache, which is
        // cleared on the way because there are more lookups than it keeps.
        for round in 0..2 {
            for name in &names {
                let fresh = jiff::tz::db().get(name).unwrap();
                let got = zone(name).unwrap();
                assert_eq!(
                    got.to_offset(at),
                    fresh.to_offset(at),
                    "{name} (round {round})"
                );
                assert!(ZONES.lock().unwrap().len() <= MAX_CACHED_ZONES);
            }
        }
        assert_eq!(
            zone("Europe/Berln").err().as_deref(),
            Some("unknown time zone Europe/Berln")
        );
    }

    #[test]
    fn invalid_intervals_are_rejected_with_alertmanagers_messages() {
        check(
            "- times: [{start_time: '10:00', end_time: '09:00'}]\n",
            0,
            Err("start time cannot be equal or greater than end time"),
        );
        check(
            "- weekdays: ['friday:monday']\n",
            0,
            Err("start day cannot be before end day"),
        );
        check("- weekdays: ['1']\n", 0, Err("1 is not a valid weekday"));
        check(
            "- days_of_month: ['0']\n",
            0,
            Err("0 is not a valid day of the month"),
        );
        check(
            "- days_of_month: ['-3:5']\n",
            0,
            Err("end day must be negative"),
        );
        check(
            "- times: [{start_time: '9:00', end_time: '10:00'}]\n",
            0,
            Err("couldn't parse timestamp 9:00"),
        );
    }
}
