//! Named scenarios, each written in the documented format so a user can load one, read it and
//! change it. Figures are for a 99.9 % SLO with the Workbook's tiers; the summaries in the
//! tests pin what each one shows.

use crate::error::{Error, Result};
use crate::replay::scenario::Scenario;

/// The built-in scenarios: name, one line on what it shows, YAML.
pub const BUILTINS: [(&str, &str, &str); 5] = [
    (
        "3am",
        "The lesson's 3 a.m. story: six 30-second spikes that clear by themselves. The naive threshold pages for each; burn-rate alerts stay quiet.",
        THREE_AM,
    ),
    (
        "fast-burn",
        "A real fast burn: 5 % of requests fail for an hour (50× the budget). Pages within minutes, with 2 % of the budget spent.",
        FAST_BURN,
    ),
    (
        "slow-burn",
        "A slow burn: 0.3 % of requests fail for three days (3×). Tickets, not pages; the naive threshold pages for three days.",
        SLOW_BURN,
    ),
    (
        "flapping",
        "Flapping: a dependency drops every request for 5 minutes in every 10, for an hour.",
        FLAPPING,
    ),
    (
        "healthy-month",
        "A healthy month: 0.02 % errors with a daily traffic shape and four short blips nobody should be woken for.",
        HEALTHY_MONTH,
    ),
];

const THREE_AM: &str = "\
name: 3am
description: >-
  The lesson's 3 a.m. story. From 03:00 a 30-second spike fails 15 % of requests every 47
  minutes, six times, each clearing by itself. A threshold on the 5-minute error ratio pages for
  every one; the burn-rate tiers see that they spend almost nothing.
start_time: 2024-01-01T18:00:00Z
duration: 1d
scrape_interval: 1m
evaluation_interval: 30s
requests_per_second: 1000
error_ratio: 0.0002
incidents:
  - {name: spikes, start: 9h, duration: 30s, error_ratio: 0.15, every: 47m, count: 6, noise: true}
";

const FAST_BURN: &str = "\
name: fast-burn
description: >-
  A bad deploy at 10:00 fails 5 % of requests for an hour, 50 times the rate the budget allows.
  The 1h/5m page fires once 2 % of the budget is gone, the 6h/30m page later. The 3d/6h ticket
  opens first: with ten hours of history its three-day window reads like a ten-hour one.
start_time: 2024-01-01T00:00:00Z
duration: 1d
scrape_interval: 1m
evaluation_interval: 30s
requests_per_second: 1000
error_ratio: 0.0002
incidents:
  - {name: bad deploy, start: 10h, duration: 1h, error_ratio: 0.05}
";

const SLOW_BURN: &str = "\
name: slow-burn
description: >-
  A leak fails 0.3 % of requests for three days, three times the budget's rate: the budget would
  last 10 days. No page tier fires; the 3d/6h ticket does. The naive threshold pages all along.
start_time: 2024-01-01T00:00:00Z
duration: 5d
scrape_interval: 1m
evaluation_interval: 30s
requests_per_second: 1000
error_ratio: 0.0002
incidents:
  - {name: leak, start: 1d, duration: 3d, error_ratio: 0.003}
";

const FLAPPING: &str = "\
name: flapping
description: >-
  From noon a dependency drops every request for 5 minutes in every 10, for an hour: the 5-minute
  window swings from nothing to everything, so alerts that read it resolve and fire again.
start_time: 2024-01-01T00:00:00Z
duration: 1d
scrape_interval: 1m
evaluation_interval: 30s
requests_per_second: 1000
error_ratio: 0.0002
incidents:
  - {name: dependency outage, start: 12h, duration: 5m, error_ratio: 1, every: 10m, count: 6}
";

const HEALTHY_MONTH: &str = "\
name: healthy-month
description: >-
  A month without an incident: 0.02 % of requests fail, traffic follows the day (a third at
  night), and four 20-second blips fail half the requests. Nothing should wake anyone.
start_time: 2024-01-01T00:00:00Z
duration: 30d
scrape_interval: 1m
evaluation_interval: 30s
requests_per_second: 1000
daily_shape: [0.35, 0.3, 0.3, 0.3, 0.35, 0.45, 0.6, 0.8, 1.0, 1.2, 1.3, 1.35, 1.35, 1.3, 1.3, 1.3, 1.25, 1.2, 1.1, 1.0, 0.85, 0.7, 0.55, 0.45]
error_ratio: 0.0002
incidents:
  - {name: blip, start: 3d2h, duration: 20s, error_ratio: 0.5, noise: true}
  - {name: blip, start: 9d14h, duration: 20s, error_ratio: 0.5, noise: true}
  - {name: blip, start: 17d4h, duration: 20s, error_ratio: 0.5, noise: true}
  - {name: blip, start: 26d22h, duration: 20s, error_ratio: 0.5, noise: true}
";

/// The YAML of a built-in scenario.
pub fn text(name: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, t)| *t)
}

/// The names of the built-in scenarios.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(n, _, _)| *n)
}

impl Scenario {
    /// A built-in scenario by name.
    pub fn builtin(name: &str) -> Result<Self> {
        let text = text(name).ok_or_else(|| {
            Error::field(
                "scenario",
                format!(
                    "`{name}` is not a built-in scenario: the built-ins are {}",
                    names().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        Scenario::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_reads_and_round_trips() {
        for name in names() {
            let s = Scenario::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.name.as_deref(), Some(name));
            let mut back = Scenario::parse(&s.to_yaml()).unwrap();
            let mut s = s;
            for i in s.incidents.iter_mut().chain(back.incidents.iter_mut()) {
                i.line = 0;
            }
            assert_eq!(back, s, "{name}");
        }
    }

    #[test]
    fn an_unknown_name_lists_the_builtins() {
        let e = Scenario::builtin("4am").unwrap_err();
        assert_eq!(
            e.message,
            "`4am` is not a built-in scenario: the built-ins are 3am, fast-burn, slow-burn, flapping, healthy-month"
        );
    }
}
