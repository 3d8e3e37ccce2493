//! Durations as Prometheus and Alertmanager write them: `5m`, `1h30m`, `30d`, `250ms`.

use std::fmt;

use crate::error::{Error, Result};

/// A non-negative span of time with millisecond precision, parsed from and rendered in the
/// Prometheus duration syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    millis: u64,
}

/// Units in the order Prometheus requires them, with their length in milliseconds.
const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

impl Duration {
    /// A duration of whole milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        Self { millis }
    }

    /// A duration of whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Self {
            millis: secs.saturating_mul(1000),
        }
    }

    /// A duration of whole minutes.
    pub const fn from_mins(mins: u64) -> Self {
        Self::from_secs(mins.saturating_mul(60))
    }

    /// A duration of whole hours.
    pub const fn from_hours(hours: u64) -> Self {
        Self::from_mins(hours.saturating_mul(60))
    }

    /// A duration of whole days.
    pub const fn from_days(days: u64) -> Self {
        Self::from_hours(days.saturating_mul(24))
    }

    /// Length in milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.millis
    }

    /// Length in seconds, as a float for the math.
    pub fn as_secs_f64(self) -> f64 {
        self.millis as f64 / 1000.0
    }

    /// Whether this is the zero duration.
    pub const fn is_zero(self) -> bool {
        self.millis == 0
    }

    /// Parses the Prometheus syntax: one or more `<integer><unit>` pairs, units among
    /// `y w d h m s ms`, each at most once and from the largest to the smallest; or a bare `0`.
    /// `field` names the input in the error message.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let s = text.trim();
        let bad = |why: &str| {
            Error::field(
                field,
                format!("`{s}` is not a duration: {why} (e.g. 5m, 1h30m, 30d)"),
            )
        };
        if s.is_empty() {
            // An empty field has no text to quote: say what to type instead.
            return Err(Error::field(
                field,
                "is empty: give a duration as Prometheus writes it, e.g. 5m, 1h30m, 30d",
            ));
        }
        if s == "0" {
            return Ok(Self::default());
        }
        let mut millis: u64 = 0;
        let mut rest = s;
        // Index into UNITS of the next unit allowed, so units come largest first, once each.
        let mut next_unit = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad("each unit needs a whole number before it"));
            }
            let (number, tail) = rest.split_at(digits);
            let value: u64 = number.parse().map_err(|_| bad("the number is too large"))?;
            // `ms` must be tried before `m`.
            let unit_len = if tail.starts_with("ms") {
                2
            } else {
                tail.chars().next().map_or(0, char::len_utf8)
            };
            let (unit, after) = tail.split_at(unit_len);
            let Some(pos) = UNITS.iter().position(|(name, _)| *name == unit) else {
                return Err(if unit.is_empty() {
                    bad("the last number has no unit")
                } else {
                    bad(&format!(
                        "`{unit}` is not a unit (use y, w, d, h, m, s or ms)"
                    ))
                });
            };
            if pos < next_unit {
                return Err(bad(
                    "units must go from the largest to the smallest, each once",
                ));
            }
            next_unit = pos + 1;
            let unit_millis = UNITS.get(pos).map_or(1, |(_, ms)| *ms);
            millis = value
                .checked_mul(unit_millis)
                .and_then(|v| millis.checked_add(v))
                .ok_or_else(|| bad("it is too long"))?;
            rest = after;
        }
        Ok(Self { millis })
    }
}

impl fmt::Display for Duration {
    /// Renders in Prometheus syntax with days as the largest unit (`30d`, `1h30m`, `0s`), which
    /// every Prometheus and Alertmanager version reads back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.millis;
        for (name, unit) in UNITS.iter().skip(2) {
            let n = rest / unit;
            if n > 0 {
                write!(f, "{n}{name}")?;
                rest -= n * unit;
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Duration {
    /// Serializes as the Prometheus text in human-readable formats, so JSON and YAML read
    /// `30d`, not a number of ms; binary formats get the milliseconds.
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            serializer.serialize_u64(self.millis)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    /// Reads what [`Duration`]'s `Serialize` writes: Prometheus text in human-readable formats,
    /// milliseconds in binary ones.
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
            Self::parse(&text, "duration").map_err(serde::de::Error::custom)
        } else {
            u64::deserialize(deserializer).map(Self::from_millis)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: std::result::Result<&str, &str>) {
        let got = Duration::parse(input, "window").map(|d| d.to_string());
        match (got, expect) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "input {input:?}"),
            (Err(err), Err(want)) => assert!(
                err.to_string().contains(want),
                "input {input:?}: error {err} should mention {want:?}"
            ),
            (got, want) => panic!("input {input:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn common_windows_round_trip() {
        for s in [
            "5m", "30m", "1h", "6h", "1d", "3d", "30d", "1h30m", "250ms", "1m30s",
        ] {
            check(s, Ok(s));
        }
    }

    #[test]
    fn weeks_and_years_render_as_days() {
        check("4w2d", Ok("30d"));
        check("1y", Ok("365d"));
        check("90m", Ok("1h30m"));
    }

    #[test]
    fn zero_is_accepted_bare_or_with_a_unit() {
        check("0", Ok("0s"));
        check("0s", Ok("0s"));
    }

    #[test]
    fn malformed_durations_name_the_field_and_the_fault() {
        check(
            "",
            Err("window: is empty: give a duration as Prometheus writes it"),
        );
        check("5", Err("no unit"));
        check("5x", Err("`x` is not a unit"));
        check("m5", Err("whole number"));
        check("5m1h", Err("largest to the smallest"));
        check("1.5h", Err("`.` is not a unit"));
        check("-5m", Err("whole number"));
        check("99999999999999999999d", Err("too large"));
        check("9999999999999d", Err("too long"));
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = Duration::parse(&s, "window");
        }

        #[test]
        fn render_then_parse_is_identity(ms in 0u64..10_000_000_000_000) {
            let d = Duration::from_millis(ms);
            proptest::prop_assert_eq!(Duration::parse(&d.to_string(), "window"), Ok(d));
        }
    }
}
