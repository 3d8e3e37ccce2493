//! Generating alertmanager.yml from a short routing intent, wrapping it in the Kubernetes
//! Secret manifest the lesson uses, and redacting secrets from any config (for share links).
//!
//! Generated configs use modern `matchers` only, and an inhibit rule so a firing page silences
//! the ticket of the same SLO. Credentials are placeholders a person must replace; the output
//! passes `amtool check-config` (checked in the oracle tests).

use crate::alertmanager::config::{
    DEFAULT_GROUP_INTERVAL, DEFAULT_GROUP_WAIT, DEFAULT_REPEAT_INTERVAL, IntegrationKind,
    is_label_name, secret_fields,
};
use crate::alertmanager::matchers::quote_value;
use crate::duration::Duration;
use crate::error::{Edit, Error, Fix, Result};
use crate::rules::conventions::{LABEL_ALERT_SLO, LABEL_ALERTNAME, LABEL_SEVERITY};
use crate::tiers::Severity;
use crate::yaml::{self, Node, Value};

/// Where a receiver sends notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiverKind {
    /// PagerDuty Events API v2 (a routing key).
    PagerDuty,
    /// A Slack incoming webhook.
    Slack,
    /// Email through an SMTP smarthost.
    Email,
    /// A generic webhook.
    Webhook,
}

impl ReceiverKind {
    /// The integration kind the receiver is written with.
    pub const fn integration(self) -> IntegrationKind {
        match self {
            Self::PagerDuty => IntegrationKind::PagerDuty,
            Self::Slack => IntegrationKind::Slack,
            Self::Email => IntegrationKind::Email,
            Self::Webhook => IntegrationKind::Webhook,
        }
    }
}

/// One receiver of the intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverIntent {
    /// The receiver's name.
    pub name: String,
    /// Its kind.
    pub kind: ReceiverKind,
}

/// A short routing intent: which severity goes where, grouping, timers and a fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingIntent {
    /// Severity value to receiver, in order (`page` → PagerDuty, `ticket` → Slack, …).
    pub severities: Vec<(String, ReceiverIntent)>,
    /// Receiver of everything no severity route takes.
    pub fallback: ReceiverIntent,
    /// `group_by` of the root.
    pub group_by: Vec<String>,
    /// `group_wait`.
    pub group_wait: Duration,
    /// `group_interval`.
    pub group_interval: Duration,
    /// `repeat_interval`.
    pub repeat_interval: Duration,
    /// The label carrying the severity (`severity`).
    pub severity_label: String,
    /// The label naming the SLO (`slo`), used by the inhibit rule's `equal`.
    pub slo_label: String,
    /// The severity whose firing alerts inhibit the other severities of the same SLO (`page`);
    /// `None` for no inhibit rule.
    pub inhibiting_severity: Option<String>,
}

impl Default for RoutingIntent {
    /// The lesson's setup: pages to PagerDuty, tickets to Slack, the rest to email.
    fn default() -> Self {
        Self {
            severities: vec![
                (
                    Severity::Page.as_str().into(),
                    ReceiverIntent {
                        name: "pager".into(),
                        kind: ReceiverKind::PagerDuty,
                    },
                ),
                (
                    Severity::Ticket.as_str().into(),
                    ReceiverIntent {
                        name: "tickets".into(),
                        kind: ReceiverKind::Slack,
                    },
                ),
            ],
            fallback: ReceiverIntent {
                name: "default".into(),
                kind: ReceiverKind::Email,
            },
            group_by: vec![LABEL_ALERTNAME.into(), LABEL_ALERT_SLO.into()],
            group_wait: DEFAULT_GROUP_WAIT,
            group_interval: DEFAULT_GROUP_INTERVAL,
            repeat_interval: DEFAULT_REPEAT_INTERVAL,
            severity_label: LABEL_SEVERITY.into(),
            slo_label: LABEL_ALERT_SLO.into(),
            inhibiting_severity: Some(Severity::Page.as_str().into()),
        }
    }
}

/// A matcher line with the value quoted and escaped for both parsers.
fn equal_matcher(name: &str, value: &str) -> String {
    format!("{name}={}", quote_value(value))
}

fn receiver_node(r: &ReceiverIntent) -> Node {
    let config = match r.kind {
        ReceiverKind::PagerDuty => Node::map(vec![(
            "routing_key",
            Node::str("REPLACE_WITH_PAGERDUTY_ROUTING_KEY"),
        )]),
        ReceiverKind::Slack => Node::map(vec![
            (
                "api_url",
                Node::str("https://hooks.slack.com/services/REPLACE/WITH/WEBHOOK"),
            ),
            ("channel", Node::str("#alerts")),
            ("send_resolved", Node::plain("true")),
        ]),
        ReceiverKind::Email => Node::map(vec![
            ("to", Node::str("oncall@example.com")),
            ("from", Node::str("alertmanager@example.com")),
            ("smarthost", Node::str("smtp.example.com:587")),
        ]),
        ReceiverKind::Webhook => {
            Node::map(vec![("url", Node::str("http://127.0.0.1:5001/alerts"))])
        }
    };
    let key = r.kind.integration().list_key();
    Node::map(vec![
        ("name", Node::str(r.name.clone())),
        (&key, Node::seq(vec![config])),
    ])
}

/// alertmanager.yml for the intent.
pub fn alertmanager_yaml(intent: &RoutingIntent) -> Result<String> {
    for l in intent
        .group_by
        .iter()
        .chain([&intent.severity_label, &intent.slo_label])
    {
        if !is_label_name(l) {
            return Err(Error::field(
                "group_by",
                format!("{l:?} is not a valid label name"),
            ));
        }
    }
    if intent.group_interval.is_zero() || intent.repeat_interval.is_zero() {
        return Err(Error::field(
            "timers",
            "group_interval and repeat_interval must be longer than zero",
        ));
    }
    let mut receivers: Vec<&ReceiverIntent> = vec![&intent.fallback];
    for (_, r) in &intent.severities {
        if r.name.is_empty() {
            return Err(Error::field("receiver", "every receiver needs a name"));
        }
        match receivers.iter().find(|x| x.name == r.name) {
            Some(existing) if existing.kind != r.kind => {
                return Err(Error::field(
                    "receiver",
                    format!("receiver {:?} is given two different kinds", r.name),
                ));
            }
            Some(_) => {}
            None => receivers.push(r),
        }
    }
    let routes: Vec<Node> = intent
        .severities
        .iter()
        .map(|(severity, r)| {
            Node::map(vec![
                ("receiver", Node::str(r.name.clone())),
                (
                    "matchers",
                    Node::seq(vec![Node::str(equal_matcher(
                        &intent.severity_label,
                        severity,
                    ))]),
                ),
            ])
        })
        .collect();
    let mut route = vec![
        ("receiver", Node::str(intent.fallback.name.clone())),
        (
            "group_by",
            Node::seq(
                intent
                    .group_by
                    .iter()
                    .map(|l| Node::str(l.clone()))
                    .collect(),
            ),
        ),
        ("group_wait", Node::plain(intent.group_wait.to_string())),
        (
            "group_interval",
            Node::plain(intent.group_interval.to_string()),
        ),
        (
            "repeat_interval",
            Node::plain(intent.repeat_interval.to_string()),
        ),
    ];
    if !routes.is_empty() {
        route.push(("routes", Node::seq(routes)));
    }
    let mut top = vec![
        ("route", Node::map(route)),
        (
            "receivers",
            Node::seq(receivers.into_iter().map(receiver_node).collect()),
        ),
    ];
    if let Some(source) = &intent.inhibiting_severity {
        let targets: Vec<&String> = intent
            .severities
            .iter()
            .map(|(s, _)| s)
            .filter(|s| *s != source)
            .collect();
        if !targets.is_empty() {
            let alternation = targets
                .iter()
                .map(|s| regex_quote(s))
                .collect::<Vec<_>>()
                .join("|");
            top.push((
                "inhibit_rules",
                Node::seq(vec![Node::map(vec![
                    (
                        "source_matchers",
                        Node::seq(vec![Node::str(equal_matcher(
                            &intent.severity_label,
                            source,
                        ))]),
                    ),
                    (
                        "target_matchers",
                        Node::seq(vec![Node::str(format!(
                            "{}=~{}",
                            intent.severity_label,
                            quote_value(&alternation)
                        ))]),
                    ),
                    (
                        "equal",
                        Node::seq(vec![Node::str(intent.slo_label.clone())]),
                    ),
                ])]),
            ));
        }
    }
    Ok(yaml::to_string(&Node::map(top)))
}

/// Escapes regex metacharacters so a severity value matches literally.
fn regex_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Kubernetes Secret manifest holding `config` as `stringData."alertmanager.yaml"`.
pub fn secret_manifest(config: &str, name: &str, namespace: &str) -> String {
    let mut body = String::new();
    for line in config.lines() {
        if line.is_empty() {
            body.push('\n');
        } else {
            body.push_str("    ");
            body.push_str(line);
            body.push('\n');
        }
    }
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {namespace}\ntype: Opaque\nstringData:\n  alertmanager.yaml: |\n{body}"
    )
}

/// The config with every credential replaced by `<secret>` (which Alertmanager itself prints
/// and reads back). Accepts a Secret manifest too. The text stays as written — comments,
/// order, quoting and blank lines — but for the credentials themselves; only a credential
/// written over several lines makes the config be written anew (and its comments go).
///
/// A credential is a value under a key that the integration schema types as a secret,
/// wherever it appears in the config: webhook and Slack URLs carry tokens in their path, so
/// they count too.
pub fn redact(text: &str) -> Result<String> {
    let Some(root) = yaml::parse(text, "config")? else {
        return Ok(String::new());
    };
    let inner = root
        .get("stringData")
        .and_then(|d| d.get("alertmanager.yaml"));
    if let Some(inner) = inner {
        let body = inner.scalar().unwrap_or_default();
        let redacted = redact(body)?;
        // A block scalar's lines are the body's, indented: each changed line is put back in
        // its place.
        if let Some((first, indent)) = crate::alertmanager::config::block_body(text, inner)
            && let Some(out) = put_back(text, body, &redacted, first, indent)
        {
            return Ok(out);
        }
        let mut root = root;
        if let Value::Map(entries) = &mut root.value
            && let Some((_, data)) = entries
                .iter_mut()
                .find(|(k, _)| k.scalar() == Some("stringData"))
            && let Value::Map(data) = &mut data.value
            && let Some((_, v)) = data
                .iter_mut()
                .find(|(k, _)| k.scalar() == Some("alertmanager.yaml"))
        {
            *v = Node::str(redacted);
        }
        return Ok(yaml::to_string(&root));
    }
    let secrets = secret_fields();
    let mut edits = Vec::new();
    let mut in_place = true;
    let mut todo = vec![&root];
    while let Some(node) = todo.pop() {
        match &node.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items.iter()),
            Value::Map(entries) => {
                for (k, v) in entries {
                    let secret = k.scalar().is_some_and(|k| secrets.contains(&k));
                    if secret && v.scalar().is_some() && !v.is_null() {
                        match written(text, v) {
                            Some(source) if source != "<secret>" => edits.push(Edit {
                                line: v.line,
                                column: v.column,
                                replace: source.to_owned(),
                                with: "<secret>".into(),
                            }),
                            Some(_) => {}
                            None => in_place = false,
                        }
                    } else {
                        todo.push(v);
                    }
                }
            }
        }
    }
    let fix = Fix {
        label: String::new(),
        edits,
    };
    match fix.apply(text).filter(|_| in_place) {
        Some(out) => Ok(out),
        None => Ok(yaml::to_string(&rewritten(root, &secrets))),
    }
}

/// The tree with every credential replaced, for a config whose credentials cannot be found in
/// its text one line each.
fn rewritten(mut root: Node, secrets: &[&str]) -> Node {
    let mut todo = vec![&mut root];
    while let Some(node) = todo.pop() {
        match &mut node.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    let secret = k.scalar().is_some_and(|k| secrets.contains(&k));
                    if secret && v.scalar().is_some() && !v.is_null() {
                        *v = Node::str("<secret>");
                    } else {
                        todo.push(v);
                    }
                }
            }
        }
    }
    root
}

/// The text of scalar `node` as written at its place in `text`, when it is on one line: the
/// quoted form with its quotes, or the plain value itself.
fn written<'a>(text: &'a str, node: &Node) -> Option<&'a str> {
    let line = text.lines().nth(node.line.checked_sub(1)?)?;
    let start = line.char_indices().nth(node.column.checked_sub(1)?)?.0;
    let rest = line.get(start..)?;
    match rest.chars().next()? {
        '\'' => {
            // `''` is a quote inside a single-quoted value.
            let mut end = None;
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() {
                if bytes.get(i) == Some(&b'\'') {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    end = Some(i);
                    break;
                }
                i += 1;
            }
            rest.get(..=end?)
        }
        '"' => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            let mut end = None;
            while i < bytes.len() {
                match bytes.get(i) {
                    Some(b'\\') => i += 2,
                    Some(b'"') => {
                        end = Some(i);
                        break;
                    }
                    _ => i += 1,
                }
            }
            rest.get(..=end?)
        }
        _ => {
            let value = node.scalar()?;
            rest.starts_with(value)
                .then(|| rest.get(..value.len()))
                .flatten()
        }
    }
}

/// `outer` with the block scalar whose body was `before` (its first line `first`, indented by
/// `indent`) holding `after` instead, changed line by line; `None` when the two bodies do not
/// have the same lines or a line is not where it should be.
fn put_back(outer: &str, before: &str, after: &str, first: usize, indent: usize) -> Option<String> {
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    if old.len() != new.len() {
        return None;
    }
    let mut lines: Vec<String> = outer.lines().map(str::to_owned).collect();
    for (k, (a, b)) in old.iter().zip(&new).enumerate() {
        if a == b {
            continue;
        }
        let line = lines.get_mut(first - 1 + k)?;
        let body = line.get(indent..)?;
        if body != *a {
            return None;
        }
        *line = format!("{}{b}", " ".repeat(indent));
    }
    let mut out = lines.join("\n");
    if outer.ends_with('\n') {
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::{Config, ConfigOptions, labels_from_pairs};
    use crate::alertmanager::inhibit::{AlertState, inhibited_by};

    #[test]
    fn the_default_intent_gives_the_lessons_config() {
        let got = alertmanager_yaml(&RoutingIntent::default());
        let want = r##"route:
  receiver: default
  group_by:
    - alertname
    - slo
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: pager
      matchers:
        - "severity=\"page\""
    - receiver: tickets
      matchers:
        - "severity=\"ticket\""
receivers:
  - name: default
    email_configs:
      - to: oncall@example.com
        from: alertmanager@example.com
        smarthost: "smtp.example.com:587"
  - name: pager
    pagerduty_configs:
      - routing_key: REPLACE_WITH_PAGERDUTY_ROUTING_KEY
  - name: tickets
    slack_configs:
      - api_url: "https://hooks.slack.com/services/REPLACE/WITH/WEBHOOK"
        channel: "#alerts"
        send_resolved: true
inhibit_rules:
  - source_matchers:
      - "severity=\"page\""
    target_matchers:
      - "severity=~\"ticket\""
    equal:
      - slo
"##;
        assert_eq!(got.as_deref(), Ok(want));
    }

    #[test]
    fn the_generated_config_routes_and_inhibits_as_intended() {
        let text = alertmanager_yaml(&RoutingIntent::default()).unwrap_or_default();
        let config = Config::parse(&text, ConfigOptions::default());
        assert!(config.is_ok(), "{config:?}");
        let Ok(config) = config else { return };
        let page = labels_from_pairs([("severity", "page"), ("slo", "api")]);
        let ticket = labels_from_pairs([("severity", "ticket"), ("slo", "api")]);
        assert_eq!(config.route.receivers_line(&page), "pager");
        assert_eq!(config.route.receivers_line(&ticket), "tickets");
        let firing = [AlertState {
            labels: page,
            ends_at: None,
        }];
        assert_eq!(
            inhibited_by(&config.inhibit_rules, &ticket, &firing, 0),
            Some((0, 0))
        );
        let secret = secret_manifest(&text, "alertmanager-main", "monitoring");
        let from_secret = Config::parse(&secret, ConfigOptions::default());
        assert_eq!(from_secret.map(|c| c.receivers.len()), Ok(3));
    }

    #[test]
    fn a_sigv4_secret_key_is_a_credential() {
        let text = "route: {receiver: a}\nreceivers:\n  - name: a\n    sns_configs:\n      - topic_arn: arn:aws:sns:eu-west-1:1:t\n        sigv4: {region: eu-west-1, access_key: AKIA1, secret_key: s3cr3t}\n";
        let got = redact(text).unwrap_or_default();
        assert!(
            !got.contains("s3cr3t") && got.contains("secret_key: <secret>"),
            "{got}"
        );
    }

    #[test]
    fn redaction_keeps_the_text_as_written_comments_included() {
        let text = "# our routing\nroute: {receiver: a}  # the default\nreceivers:\n  - name: a\n    # from the vault\n    pagerduty_configs: [{routing_key: abc123}]\n    slack_configs:\n      - api_url: 'https://hooks.slack.com/services/T/B/X'  # team channel\n        channel: '#a'\n";
        let got = redact(text).unwrap_or_default();
        assert_eq!(
            got,
            "# our routing\nroute: {receiver: a}  # the default\nreceivers:\n  - name: a\n    # from the vault\n    pagerduty_configs: [{routing_key: <secret>}]\n    slack_configs:\n      - api_url: <secret>  # team channel\n        channel: '#a'\n"
        );
        // Inside a Secret's block scalar too.
        let secret = format!(
            "apiVersion: v1\nkind: Secret\n# the lesson's\nstringData:\n  alertmanager.yaml: |\n{}",
            text.lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        );
        let got = redact(&secret).unwrap_or_default();
        assert!(
            got.contains("# the lesson's") && got.contains("    # from the vault\n"),
            "{got}"
        );
        assert!(
            got.contains("[{routing_key: <secret>}]") && !got.contains("abc123"),
            "{got}"
        );
        // A credential over several lines: the config is written anew, still redacted.
        let folded = "route: {receiver: a}\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: abc\n          123\n";
        let got = redact(folded).unwrap_or_default();
        assert!(!got.contains("abc") && got.contains("<secret>"), "{got}");
    }

    #[test]
    fn redaction_hides_every_credential_and_keeps_the_rest() {
        let text = "global:\n  slack_api_url: https://hooks.slack.com/services/T/B/X\nroute: {receiver: a}\nreceivers:\n  - name: a\n    pagerduty_configs: [{routing_key: abc123}]\n    webhook_configs: [{url: 'http://u:p@h/'}]\n";
        let got = redact(text).unwrap_or_default();
        assert!(
            !got.contains("abc123") && !got.contains("u:p@") && !got.contains("T/B/X"),
            "{got}"
        );
        assert!(
            got.contains("<secret>") && got.contains("receiver: a"),
            "{got}"
        );
        assert!(
            Config::parse(&got, ConfigOptions::default()).is_ok(),
            "{got}"
        );
        let secret = secret_manifest(text, "am", "monitoring");
        let got = redact(&secret).unwrap_or_default();
        assert!(
            !got.contains("abc123") && got.contains("kind: Secret"),
            "{got}"
        );
    }
}
