//! One question the label tester and the replay ask at every instant: what happens to this alert now?
//! Routing, then the notification pipeline's per-alert stages in Alertmanager's order
//! (inhibition, the routes' time intervals, silences), as pure functions of the instant.

use crate::alertmanager::config::Config;
use crate::alertmanager::inhibit::{AlertState, inhibited_by};
use crate::alertmanager::matchers::Labels;
use crate::alertmanager::routing::RouteMatch;
use crate::alertmanager::silence::{Silence, silenced_by};
use crate::error::Result;

/// One matched route and whether its time intervals hold notifications back now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery<'a> {
    /// The matched route, its path and effective options.
    pub route: RouteMatch<'a>,
    /// Why the route sends nothing now because of active/mute time intervals, if it does not.
    pub held_by_time: Option<String>,
}

/// What happens to an alert at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    /// Every matched route, in Alertmanager's order.
    pub deliveries: Vec<Delivery<'a>>,
    /// The inhibit rule and source alert (indices) that mute it, if any.
    pub inhibited_by: Option<(usize, usize)>,
    /// Indices of the silences that mute it.
    pub silenced_by: Vec<usize>,
}

impl Decision<'_> {
    /// Whether a notification about the alert can go out through route `i` now.
    pub fn notifies(&self, i: usize) -> bool {
        self.inhibited_by.is_none()
            && self.silenced_by.is_empty()
            && self
                .deliveries
                .get(i)
                .is_some_and(|d| d.held_by_time.is_none())
    }
}

/// Routes `labels` and applies inhibition (against every received alert in `alerts`), time
/// intervals and silences at `at` (Unix seconds).
pub fn decide<'a>(
    config: &'a Config,
    labels: &Labels,
    alerts: &[AlertState],
    silences: &[Silence],
    at: i64,
) -> Result<Decision<'a>> {
    let mut deliveries = Vec::new();
    for route in config.route(labels) {
        let held_by_time = config.time_muted(route.node, at)?;
        deliveries.push(Delivery {
            route,
            held_by_time,
        });
    }
    Ok(Decision {
        deliveries,
        inhibited_by: inhibited_by(&config.inhibit_rules, labels, alerts, at),
        silenced_by: silenced_by(silences, labels, at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::{ConfigOptions, labels_from_pairs};
    use crate::alertmanager::generate::{RoutingIntent, alertmanager_yaml};
    use crate::alertmanager::matchers::ParserMode;

    fn check(labels: &[(&str, &str)], page_firing: bool, silenced: bool, expect: &str) {
        let text = alertmanager_yaml(&RoutingIntent::default()).unwrap_or_default();
        let Ok(config) = Config::parse(&text, ConfigOptions::default()) else {
            panic!("generated config does not parse");
        };
        let alerts = if page_firing {
            vec![AlertState {
                labels: labels_from_pairs([("severity", "page"), ("slo", "api")]),
                ends_at: None,
            }]
        } else {
            Vec::new()
        };
        let silences: Vec<Silence> = if silenced {
            Silence::parse(&["slo=api"], ParserMode::Fallback, 0, 1000)
                .into_iter()
                .collect()
        } else {
            Vec::new()
        };
        let labels = labels_from_pairs(labels.iter().copied());
        let got = decide(&config, &labels, &alerts, &silences, 500).map(|d| {
            let routes: Vec<String> = d
                .deliveries
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    format!(
                        "{}→{} notifies={}",
                        x.route.path,
                        x.route.opts.receiver,
                        d.notifies(i)
                    )
                })
                .collect();
            routes.join(", ")
        });
        assert_eq!(got.as_deref(), Ok(expect));
    }

    #[test]
    fn a_ticket_goes_to_slack_unless_its_page_fires_or_a_silence_holds() {
        let ticket = [("severity", "ticket"), ("slo", "api")];
        check(
            &ticket,
            false,
            false,
            "route.routes[1]→tickets notifies=true",
        );
        check(
            &ticket,
            true,
            false,
            "route.routes[1]→tickets notifies=false",
        );
        check(
            &ticket,
            false,
            true,
            "route.routes[1]→tickets notifies=false",
        );
    }

    #[test]
    fn an_unknown_severity_falls_back_to_the_default_receiver() {
        check(
            &[("severity", "info")],
            false,
            false,
            "route→default notifies=true",
        );
    }
}
