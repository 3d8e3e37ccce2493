//! Silences (silence/silence.go): matchers ANDed, active from `starts_at` to `ends_at`
//! inclusive, checked at each flush. A pure function of the labels and the instant.

use crate::alertmanager::matchers::{self, Labels, Matcher, ParserMode};
use crate::error::{Error, Result};

/// A validated silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    matchers: Vec<Matcher>,
    starts_at: i64,
    ends_at: i64,
}

impl Silence {
    /// A silence, with Alertmanager's validation: at least one matcher, not every matcher may
    /// match the empty string (that would silence everything), and it must not end before it
    /// starts. Times are Unix seconds.
    pub fn new(matchers: Vec<Matcher>, starts_at: i64, ends_at: i64) -> Result<Self> {
        if matchers.is_empty() {
            return Err(Error::field("matchers", "at least one matcher required"));
        }
        if matchers.iter().all(|m| m.matches_value("")) {
            return Err(Error::field(
                "matchers",
                "at least one matcher must not match the empty string",
            ));
        }
        if ends_at < starts_at {
            return Err(Error::field(
                "endsAt",
                "end time must not be before start time",
            ));
        }
        Ok(Self {
            matchers,
            starts_at,
            ends_at,
        })
    }

    /// A silence from matcher text as amtool takes it (`alertname="X" severity=~"page|ticket"`
    /// items, each parsed with `mode`).
    pub fn parse(items: &[&str], mode: ParserMode, starts_at: i64, ends_at: i64) -> Result<Self> {
        let mut ms = Vec::new();
        for item in items {
            ms.extend(matchers::parse(item, mode).map_err(|e| Error::field("matchers", e))?);
        }
        Self::new(ms, starts_at, ends_at)
    }

    /// The matchers.
    pub fn matchers(&self) -> &[Matcher] {
        &self.matchers
    }

    /// Whether the silence is active at `at`: `starts_at ≤ at ≤ ends_at`.
    pub fn is_active(&self, at: i64) -> bool {
        self.starts_at <= at && at <= self.ends_at
    }

    /// Whether the silence mutes an alert with `labels` at `at`.
    pub fn mutes(&self, labels: &Labels, at: i64) -> bool {
        self.is_active(at) && matchers::matches_all(&self.matchers, labels)
    }
}

/// Indices of the silences that mute `labels` at `at`; the alert is silenced if any does.
pub fn silenced_by(silences: &[Silence], labels: &Labels, at: i64) -> Vec<usize> {
    silences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.mutes(labels, at))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::labels_from_pairs;

    fn check(
        items: &[&str],
        window: (i64, i64),
        labels: &[(&str, &str)],
        at: i64,
        expect: std::result::Result<bool, &str>,
    ) {
        let got = Silence::parse(items, ParserMode::Fallback, window.0, window.1)
            .map(|s| s.mutes(&labels_from_pairs(labels.iter().copied()), at));
        match (got, expect) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "{items:?} at {at}"),
            (Err(e), Err(w)) => assert!(e.message.contains(w), "{e}"),
            (g, w) => panic!("{items:?}: got {g:?}, want {w:?}"),
        }
    }

    #[test]
    fn a_silence_mutes_matching_alerts_inside_its_window_inclusive() {
        let slo = [("slo", "api"), ("severity", "ticket")];
        check(&["slo=api"], (10, 20), &slo, 10, Ok(true));
        check(&["slo=api"], (10, 20), &slo, 20, Ok(true));
        check(&["slo=api"], (10, 20), &slo, 21, Ok(false));
        check(&["slo=api", "severity=page"], (10, 20), &slo, 15, Ok(false));
    }

    #[test]
    fn silences_that_would_match_everything_are_refused() {
        check(&[], (0, 1), &[], 0, Err("at least one matcher required"));
        check(
            &["slo=~\".*\""],
            (0, 1),
            &[],
            0,
            Err("must not match the empty string"),
        );
        check(
            &["slo=api"],
            (5, 1),
            &[],
            0,
            Err("end time must not be before start time"),
        );
    }
}
