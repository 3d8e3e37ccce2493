//! A routing intent from text: what a person types into a generator form or passes to
//! `burnlab alertmanager generate` (receiver kinds by name, `SEVERITY=KIND[:NAME]` routes,
//! timers and label lists), read into [`RoutingIntent`] with errors naming the field. The
//! config itself is written by [`crate::alertmanager::generate`].

use serde::{Deserialize, Serialize};

use crate::alertmanager::generate::{ReceiverIntent, ReceiverKind, RoutingIntent};
use crate::duration::Duration;
use crate::error::{Error, Result};

/// Every receiver kind, in the order a form lists them.
pub const KINDS: [ReceiverKind; 4] = [
    ReceiverKind::PagerDuty,
    ReceiverKind::Slack,
    ReceiverKind::Email,
    ReceiverKind::Webhook,
];

/// The kind's name on the command line and in the form: `pagerduty`, `slack`, `email`, `webhook`.
pub fn kind_name(kind: ReceiverKind) -> &'static str {
    kind.integration().as_str()
}

/// The kind named `text` (see [`kind_name`]).
pub fn parse_kind(text: &str, field: &str) -> Result<ReceiverKind> {
    let t = text.trim().to_ascii_lowercase();
    KINDS
        .into_iter()
        .find(|k| kind_name(*k) == t)
        .ok_or_else(|| {
            Error::field(
                field,
                format!("`{text}` is not a receiver kind: use pagerduty, slack, email or webhook"),
            )
        })
}

/// One route of the form: severity value, receiver kind and name, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRow {
    /// The severity label's value, `page`.
    pub severity: String,
    /// The receiver's kind, by name (see [`kind_name`]).
    pub kind: String,
    /// The receiver's name, `pager`.
    pub receiver: String,
}

/// The generator form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentForm {
    /// Severity routes, in order.
    pub routes: Vec<RouteRow>,
    /// Kind of the fallback receiver, by name.
    pub fallback_kind: String,
    /// Name of the fallback receiver.
    pub fallback: String,
    /// `group_by`, comma-separated.
    pub group_by: String,
    /// `group_wait`.
    pub group_wait: String,
    /// `group_interval`.
    pub group_interval: String,
    /// `repeat_interval`.
    pub repeat_interval: String,
    /// The label holding the severity.
    pub severity_label: String,
    /// The label naming the SLO (the inhibit rule's `equal`).
    pub slo_label: String,
    /// The severity whose alerts inhibit the others of the same SLO; empty for none.
    pub inhibit: String,
}

impl Default for IntentForm {
    /// The default intent: pages to PagerDuty, tickets to Slack, the rest to email, pages
    /// inhibit tickets of the same SLO.
    fn default() -> Self {
        Self::from_intent(&RoutingIntent::default())
    }
}

impl IntentForm {
    /// The form showing `intent`.
    pub fn from_intent(intent: &RoutingIntent) -> Self {
        Self {
            routes: intent
                .severities
                .iter()
                .map(|(s, r)| RouteRow {
                    severity: s.clone(),
                    kind: kind_name(r.kind).to_owned(),
                    receiver: r.name.clone(),
                })
                .collect(),
            fallback_kind: kind_name(intent.fallback.kind).to_owned(),
            fallback: intent.fallback.name.clone(),
            group_by: intent.group_by.join(", "),
            group_wait: intent.group_wait.to_string(),
            group_interval: intent.group_interval.to_string(),
            repeat_interval: intent.repeat_interval.to_string(),
            severity_label: intent.severity_label.clone(),
            slo_label: intent.slo_label.clone(),
            inhibit: intent.inhibiting_severity.clone().unwrap_or_default(),
        }
    }

    /// The intent, or the first field that does not read.
    pub fn to_intent(&self) -> Result<RoutingIntent> {
        let name = |text: &str, field: &str| -> Result<String> {
            let t = text.trim();
            if t.is_empty() {
                Err(Error::field(field, "is empty: name the receiver"))
            } else {
                Ok(t.to_owned())
            }
        };
        let mut severities = Vec::new();
        for (i, r) in self.routes.iter().enumerate() {
            let field = format!("route {}", i + 1);
            let severity = r.severity.trim();
            if severity.is_empty() {
                return Err(Error::field(field, "the severity is empty: e.g. page"));
            }
            if severities.iter().any(|(s, _): &(String, _)| s == severity) {
                return Err(Error::field(
                    field,
                    format!("severity `{severity}` has a route already"),
                ));
            }
            severities.push((
                severity.to_owned(),
                ReceiverIntent {
                    name: name(&r.receiver, &field)?,
                    kind: parse_kind(&r.kind, &field)?,
                },
            ));
        }
        let group_by: Vec<String> = self
            .group_by
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        // Alertmanager refuses a label listed twice; say so here, in its words, rather than
        // write a config it rejects.
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = group_by.iter().find(|l| !seen.insert(l.as_str())) {
            return Err(Error::field(
                "group_by",
                format!("duplicated label \"{twice}\" in group_by: list each label once"),
            ));
        }
        let duration = |text: &str, field: &str| Duration::parse(text.trim(), field);
        let inhibit = self.inhibit.trim();
        if !inhibit.is_empty() && !severities.iter().any(|(s, _)| s == inhibit) {
            return Err(Error::field(
                "inhibition",
                format!("no route has severity `{inhibit}`: pick one of the routes' severities"),
            ));
        }
        let intent = RoutingIntent {
            severities,
            fallback: ReceiverIntent {
                name: name(&self.fallback, "fallback")?,
                kind: parse_kind(&self.fallback_kind, "fallback")?,
            },
            group_by,
            group_wait: duration(&self.group_wait, "group_wait")?,
            group_interval: duration(&self.group_interval, "group_interval")?,
            repeat_interval: duration(&self.repeat_interval, "repeat_interval")?,
            severity_label: self.severity_label.trim().to_owned(),
            slo_label: self.slo_label.trim().to_owned(),
            inhibiting_severity: (!inhibit.is_empty()).then(|| inhibit.to_owned()),
        };
        // The writer checks label names and timers; run it once so every error shows here.
        crate::alertmanager::generate::alertmanager_yaml(&intent)?;
        Ok(intent)
    }
}

/// A `SEVERITY=KIND[:NAME]` route argument (`page=pagerduty:pager`); the name defaults to the
/// kind's.
pub fn parse_route_arg(text: &str) -> Result<RouteRow> {
    let Some((severity, rest)) = text.split_once('=') else {
        return Err(Error::field(
            "--route",
            format!("`{text}` is not SEVERITY=KIND[:NAME], e.g. page=pagerduty:pager"),
        ));
    };
    let (kind, receiver) = parse_receiver_arg(rest, "--route")?;
    Ok(RouteRow {
        severity: severity.trim().to_owned(),
        kind: kind_name(kind).to_owned(),
        receiver,
    })
}

/// A `KIND[:NAME]` receiver argument (`email:default`); the name defaults to the kind's.
pub fn parse_receiver_arg(text: &str, field: &str) -> Result<(ReceiverKind, String)> {
    let (kind, name) = text.split_once(':').unwrap_or((text, ""));
    let kind = parse_kind(kind, field)?;
    let name = if name.trim().is_empty() {
        kind_name(kind).to_owned()
    } else {
        name.trim().to_owned()
    };
    Ok((kind, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::generate::alertmanager_yaml;

    /// The form reads, or its error starts with `expect` (the duration reader's own wording
    /// follows the field name and is pinned in its module).
    fn check(form: &IntentForm, expect: std::result::Result<(), &str>) {
        let got = form.to_intent().map(|_| ()).map_err(|e| e.to_string());
        match (&got, expect) {
            (Err(g), Err(w)) => assert!(g.starts_with(w), "{g} should start with {w}"),
            _ => assert_eq!(got, expect.map_err(str::to_owned)),
        }
    }

    #[test]
    fn the_default_form_is_the_default_intent() {
        assert_eq!(
            IntentForm::default().to_intent(),
            Ok(RoutingIntent::default())
        );
    }

    #[test]
    fn form_errors_name_the_field() {
        let with = |f: fn(&mut IntentForm)| {
            let mut form = IntentForm::default();
            f(&mut form);
            form
        };
        check(
            &with(|f| f.group_wait = "soon".into()),
            Err("group_wait: `soon` is not a duration"),
        );
        check(
            &with(|f| f.inhibit = "critical".into()),
            Err("inhibition: no route has severity `critical`: pick one of the routes' severities"),
        );
        check(
            &with(|f| f.routes[1].receiver = " ".into()),
            Err("route 2: is empty: name the receiver"),
        );
        check(
            &with(|f| f.group_by = "alertname, bad-label".into()),
            Err("group_by: \"bad-label\" is not a valid label name"),
        );
        // Found by the `intent` fuzz target: the config generated from this was refused by
        // Alertmanager.
        check(
            &with(|f| f.group_by = "slo, alertname,slo".into()),
            Err("group_by: duplicated label \"slo\" in group_by: list each label once"),
        );
        check(&with(|f| f.inhibit = String::new()), Ok(()));
    }

    #[test]
    fn route_arguments_read_severity_kind_and_name() {
        assert_eq!(
            parse_route_arg("critical=pagerduty:oncall"),
            Ok(RouteRow {
                severity: "critical".into(),
                kind: "pagerduty".into(),
                receiver: "oncall".into()
            })
        );
        assert_eq!(
            parse_receiver_arg("email", "--fallback"),
            Ok((ReceiverKind::Email, "email".into()))
        );
        assert_eq!(
            parse_route_arg("page").map_err(|e| e.to_string()),
            Err("--route: `page` is not SEVERITY=KIND[:NAME], e.g. page=pagerduty:pager".into())
        );
        assert_eq!(
            parse_route_arg("page=sms").map_err(|e| e.to_string()),
            Err(
                "--route: `sms` is not a receiver kind: use pagerduty, slack, email or webhook"
                    .into()
            )
        );
    }

    #[test]
    fn the_form_writes_the_config_of_its_intent() {
        let mut form = IntentForm::default();
        form.routes.push(RouteRow {
            severity: "info".into(),
            kind: "webhook".into(),
            receiver: "hooks".into(),
        });
        let yaml = alertmanager_yaml(&form.to_intent().unwrap()).unwrap();
        assert!(
            yaml.contains(
                "    - receiver: hooks\n      matchers:\n        - \"severity=\\\"info\\\"\"\n"
            ),
            "{yaml}"
        );
        assert!(yaml.contains("severity=~\\\"ticket|info\\\""), "{yaml}");
    }
}
