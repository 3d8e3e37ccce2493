//! Check-config cases: a random base tree with one receiver family (valid and invalid variants
//! of every integration kind of Alertmanager 0.25) or one other family (YAML as yaml.v2 reads
//! it, regexes, templates, the matchers only the fallback parser reads), with the template
//! files they name, and their fingerprints for the recorded verdicts.

use burnlab::alertmanager::config::IntegrationKind;

use crate::rng::fingerprint;
use crate::round2::scalar;
use crate::trees::route_tree_config;

/// A config to check, with the template files it names (path relative to the config, text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCase {
    /// alertmanager.yml.
    pub yaml: String,
    /// Template files beside it.
    pub files: Vec<(String, String)>,
}

/// A receiver family of the round-2 check: one integration list in a receiver named `extra`,
/// and the fields its integrations leave to `global`, with the values written there. Valid and
/// invalid variants of every integration kind of Alertmanager 0.25, and a list it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiverFamily {
    /// The family's name (`receiver: NAME` in [`round2_families`]).
    pub name: &'static str,
    /// The kind of the integration list.
    pub kind: FamilyKind,
    /// The list's items, in flow style: `[{api_key: k, routing_key: r}]`.
    pub configs: &'static str,
    /// Fields of the kind that `global` fills in, with the values given there; the setting's
    /// name is the kind's ([`IntegrationKind::global_setting`]).
    pub from_global: &'static [(&'static str, &'static str)],
}

/// The list a [`ReceiverFamily`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyKind {
    /// An integration kind of Alertmanager 0.25.
    Known(IntegrationKind),
    /// A kind that Alertmanager 0.25 refuses, by its YAML name (`msteams`, from 0.26).
    Refused(&'static str),
}

impl ReceiverFamily {
    /// The receiver's entry: `victorops_configs: [{api_key: k}]`.
    pub fn receiver(&self) -> String {
        let key = match self.kind {
            FamilyKind::Known(kind) => kind.list_key(),
            FamilyKind::Refused(name) => format!("{name}_configs"),
        };
        format!("{key}: {}", self.configs)
    }

    /// The lines of the `global:` block the family needs (empty for none), each setting named
    /// as the kind's table names it.
    pub fn global(&self) -> String {
        self.from_global
            .iter()
            .map(|(field, value)| {
                let setting = match self.kind {
                    FamilyKind::Known(kind) => kind.global_setting(field),
                    FamilyKind::Refused(_) => None,
                };
                // A field no setting fills in is written under its own name, which
                // Alertmanager refuses; a test keeps every family clear of it.
                format!("  {}: {value}\n", setting.unwrap_or(field))
            })
            .collect()
    }

    /// The same family, with fields left to `global`.
    const fn with_global(self, from_global: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            from_global,
            ..self
        }
    }
}

/// A family without globals.
const fn family(name: &'static str, kind: FamilyKind, configs: &'static str) -> ReceiverFamily {
    ReceiverFamily {
        name,
        kind,
        configs,
        from_global: &[],
    }
}

use FamilyKind::{Known, Refused};
use IntegrationKind::*;

/// Receivers for the check families.
pub const RECEIVER_FAMILIES: &[ReceiverFamily] = &[
    family(
        "victorops without routing_key",
        Known(VictorOps),
        "[{api_key: k}]",
    ),
    family(
        "victorops",
        Known(VictorOps),
        "[{api_key: k, routing_key: r}]",
    ),
    family(
        "victorops reserved custom field",
        Known(VictorOps),
        "[{api_key: k, routing_key: r, custom_fields: {entity_id: x}}]",
    ),
    family(
        "victorops key and key file",
        Known(VictorOps),
        "[{api_key: k, api_key_file: /f, routing_key: r}]",
    ),
    family("pushover without user_key", Known(Pushover), "[{token: t}]"),
    family("pushover without token", Known(Pushover), "[{user_key: u}]"),
    family(
        "pushover",
        Known(Pushover),
        "[{token: t, user_key: u, retry: 1m30s, expire: 2h}]",
    ),
    family(
        "pushover bad retry",
        Known(Pushover),
        "[{token: t, user_key: u, retry: 5x}]",
    ),
    family(
        "telegram without chat_id",
        Known(Telegram),
        "[{bot_token: t}]",
    ),
    family(
        "telegram",
        Known(Telegram),
        "[{bot_token: t, chat_id: -1001234}]",
    ),
    family(
        "telegram quoted chat_id",
        Known(Telegram),
        "[{bot_token: t, chat_id: '12'}]",
    ),
    family(
        "telegram bad parse_mode",
        Known(Telegram),
        "[{bot_token: t, chat_id: 12, parse_mode: md}]",
    ),
    family(
        "telegram without bot_token",
        Known(Telegram),
        "[{chat_id: 12}]",
    ),
    family(
        "webex without room_id",
        Known(Webex),
        "[{http_config: {authorization: {credentials: x}}}]",
    ),
    family(
        "webex without authorization",
        Known(Webex),
        "[{room_id: r}]",
    ),
    family(
        "webex",
        Known(Webex),
        "[{room_id: r, http_config: {authorization: {credentials: x}}}]",
    ),
    family(
        "webex with bearer token",
        Known(Webex),
        "[{room_id: r, http_config: {bearer_token: x}}]",
    ),
    family(
        "discord without webhook_url",
        Known(Discord),
        "[{title: x}]",
    ),
    family(
        "discord",
        Known(Discord),
        "[{webhook_url: 'https://discord.example/x'}]",
    ),
    family(
        "discord bad url",
        Known(Discord),
        "[{webhook_url: 'discord.example/x'}]",
    ),
    family("sns without target", Known(Sns), "[{subject: s}]"),
    family("sns with topic", Known(Sns), "[{topic_arn: a}]"),
    family(
        "sns with two targets",
        Known(Sns),
        "[{topic_arn: a, phone_number: p}]",
    ),
    family(
        "sns with three targets",
        Known(Sns),
        "[{topic_arn: a, phone_number: p, target_arn: t}]",
    ),
    family(
        "sns sigv4 half credentials",
        Known(Sns),
        "[{topic_arn: a, sigv4: {access_key: k}}]",
    ),
    family(
        "sns sigv4",
        Known(Sns),
        "[{topic_arn: a, sigv4: {region: eu-west-1, access_key: k, secret_key: s}}]",
    ),
    family("wechat without api_secret", Known(WeChat), "[{corp_id: c}]"),
    family("wechat", Known(WeChat), "[{corp_id: c, api_secret: s}]"),
    family("wechat with global secret", Known(WeChat), "[{to_user: u}]")
        .with_global(&[("api_secret", "s"), ("corp_id", "c")]),
    family("wechat without corp_id", Known(WeChat), "[{api_secret: s}]"),
    family(
        "wechat bad message_type",
        Known(WeChat),
        "[{corp_id: c, api_secret: s, message_type: html}]",
    ),
    family(
        "opsgenie responder robot",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: robot}]}]",
    ),
    family(
        "opsgenie responder Team",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: Team}]}]",
    ),
    family(
        "opsgenie responder without name",
        Known(OpsGenie),
        "[{api_key: k, responders: [{type: team}]}]",
    ),
    family(
        "opsgenie responder template",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: '{{ .x }}'}]}]",
    ),
    family(
        "opsgenie responder bad template",
        Known(OpsGenie),
        "[{api_key: k, responders: [{name: n, type: '{{ .x '}]}]",
    ),
    family(
        "opsgenie key and key file",
        Known(OpsGenie),
        "[{api_key: k, api_key_file: /f}]",
    ),
    family(
        "slack url and url file",
        Known(Slack),
        "[{api_url: 'https://s.example/x', api_url_file: /f}]",
    ),
    family(
        "slack action without name or url",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t}]}]",
    ),
    family(
        "slack action confirm without text",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t, name: n, confirm: {title: x}}]}]",
    ),
    family(
        "slack action",
        Known(Slack),
        "[{api_url: 'https://s.example/x', actions: [{type: button, text: t, url: 'https://x/'}]}]",
    ),
    family(
        "slack field without value",
        Known(Slack),
        "[{api_url: 'https://s.example/x', fields: [{title: t}]}]",
    ),
    family(
        "slack field",
        Known(Slack),
        "[{api_url: 'https://s.example/x', fields: [{title: t, value: v, short: yes}]}]",
    ),
    family(
        "basic auth with bearer token",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {basic_auth: {username: u}, bearer_token: t}}]",
    ),
    family(
        "bearer token and file",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {bearer_token: t, bearer_token_file: /f}}]",
    ),
    family(
        "authorization basic",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {authorization: {type: Basic, credentials: x}}}]",
    ),
    family(
        "oauth2 without secret",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {oauth2: {client_id: a, token_url: 'http://t/'}}}]",
    ),
    family(
        "oauth2",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {oauth2: {client_id: a, client_secret: b, token_url: 'http://t/'}}}]",
    ),
    family(
        "basic auth password and file",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {basic_auth: {username: u, password: p, password_file: /f}}}]",
    ),
    family(
        "proxy header without proxy",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {proxy_connect_header: {a: [b]}}}]",
    ),
    family(
        "unknown tls version",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {min_version: TLS9}}}]",
    ),
    family(
        "insecure_skip_verify maybe",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {insecure_skip_verify: maybe}}}]",
    ),
    family(
        "insecure_skip_verify on",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {tls_config: {insecure_skip_verify: on}}}]",
    ),
    family(
        "http_config unknown field",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', http_config: {no_proxy: x}}]",
    ),
    family("webhook url_file", Known(Webhook), "[{url_file: /f}]"),
    family(
        "webhook negative max_alerts",
        Known(Webhook),
        "[{url: 'http://127.0.0.1:9/', max_alerts: -1}]",
    ),
    family(
        "email smarthost without port",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: mail}]",
    ),
    family(
        "email smarthost empty port",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'mail:'}]",
    ),
    family(
        "email smarthost too many colons",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'a:b:25'}]",
    ),
    family(
        "email smarthost ipv6",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: '[::1]:25'}]",
    ),
    family(
        "email duplicate header",
        Known(Email),
        "[{to: a@b.c, from: c@d.e, smarthost: 'm:25', headers: {subject: x, Subject: y}}]",
    ),
    family(
        "email global smarthost without port",
        Known(Email),
        "[{to: a@b.c}]",
    )
    .with_global(&[("smarthost", "mail"), ("from", "a@b.c")]),
    family(
        "pagerduty image unknown field",
        Known(PagerDuty),
        "[{routing_key: r, images: [{src: s, foo: 1}]}]",
    ),
    family(
        "pagerduty links",
        Known(PagerDuty),
        "[{routing_key: r, links: [{href: 'https://x/', text: t}]}]",
    ),
    family(
        "msteams",
        Refused("msteams"),
        "[{webhook_url: 'https://t.example/x'}]",
    ),
];

/// The other round-2 check families: YAML as yaml.v2 reads it, regexes, templates and the
/// matchers only the fallback parser reads. Each is a route snippet (under a child route), a
/// top-level addition, or a whole-config transformation, applied by [`round2_check_config`].
pub const CHECK_FAMILIES: &[&str] = &[
    "merge into route",
    "merge list into route",
    "merge of a scalar",
    "merge of a list of scalars",
    "merge into receiver",
    "two merge keys",
    "quoted merge key",
    "tab after receiver",
    "tab after dash",
    "tab on blank line",
    "tab before comment",
    "tab in flow mapping",
    "tab indentation",
    "second document",
    "broken second document",
    "yes boolean",
    "on boolean",
    "maybe boolean",
    "tilde group_by",
    "null receiver name",
    "root empty matcher set",
    "root empty matcher set and a matcher",
    "match_re null",
    "match_re empty",
    "inhibit match_re null",
    "unknown unicode class",
    "unclosed unicode class",
    "unicode class in match_re",
    "unicode class in inhibit rule",
    "case folding in matchers",
    "leading space before brace",
    "quoted label name",
    "template glob syntax error",
    "template glob without matches",
    "template unclosed action",
    "template unknown function",
    "template undefined variable",
    "template valid",
    "template stray end",
    "template in subfolder",
];

/// A config for check-config: a random base tree with one receiver family (`"receiver: NAME"`,
/// from [`RECEIVER_FAMILIES`]) or one of [`CHECK_FAMILIES`].
pub fn round2_check_config(seed: u64, family: &str) -> CheckCase {
    let base = route_tree_config(seed, 1);
    let mut files = Vec::new();
    // A new first child of the root route: `snippet` adds its fields (six spaces in) or
    // further siblings (`    - `).
    let routed = |snippet: &str| {
        if base.contains("\n  routes:\n") {
            base.replacen(
                "\n  routes:\n",
                &format!("\n  routes:\n    - receiver: r1\n{snippet}"),
                1,
            )
        } else {
            base.replacen(
                "route:\n",
                &format!("route:\n  routes:\n    - receiver: r1\n{snippet}"),
                1,
            )
        }
    };
    if let Some(name) = family.strip_prefix("receiver: ")
        && let Some(receivers) = RECEIVER_FAMILIES.iter().find(|f| f.name == name)
    {
        let mut yaml = String::new();
        let global = receivers.global();
        if !global.is_empty() {
            yaml.push_str("global:\n");
            yaml.push_str(&global);
        }
        yaml.push_str(&base);
        yaml.push_str(&format!("  - name: extra\n    {}\n", receivers.receiver()));
        return CheckCase { yaml, files };
    }
    let template = |files: &mut Vec<(String, String)>, path: &str, text: &str| {
        files.push((path.to_owned(), text.to_owned()));
    };
    let yaml = match family {
        "merge into route" => routed(
            "      group_wait: 10s\n    - <<: {receiver: r2, matchers: ['team=\"a\"']}\n      continue: true\n",
        ),
        "merge list into route" => routed(
            "      group_wait: 10s\n    - <<: [{receiver: r2}, {receiver: r3, matchers: ['x=\"1\"']}]\n",
        ),
        "merge of a scalar" => routed("    - <<: r2\n"),
        "merge of a list of scalars" => routed("    - <<: [r2]\n"),
        "merge into receiver" => format!(
            "{base}  - &hook\n    name: hook\n    webhook_configs: [{{url: 'http://127.0.0.1:9/'}}]\n  - <<: *hook\n    name: hook2\n"
        ),
        "two merge keys" => routed("    - <<: {receiver: r2}\n      <<: {matchers: ['a=\"1\"']}\n"),
        "quoted merge key" => routed("    - '<<': {receiver: r2}\n"),
        "tab after receiver" => routed("    - receiver:\tr2\n"),
        "tab after dash" => routed("    -\treceiver: r2\n"),
        "tab on blank line" => routed("      continue: true\n\t\n"),
        "tab before comment" => routed("      continue: true\t# note\n"),
        "tab in flow mapping" => routed("    - {receiver:\tr2}\n"),
        "tab indentation" => routed("\t  group_wait: 1s\n"),
        "second document" => format!("{base}---\nroute: {{receiver: nobody}}\n"),
        "broken second document" => format!("{base}---\nroute: [\n"),
        "yes boolean" => routed("      continue: yes\n"),
        "on boolean" => routed("      continue: On\n"),
        "maybe boolean" => routed("      continue: maybe\n"),
        "tilde group_by" => routed("      group_by: ~\n"),
        "null receiver name" => format!("{base}  - name: ~\n"),
        "root empty matcher set" => base.replacen("route:\n", "route:\n  matchers: ['{}']\n", 1),
        "root empty matcher set and a matcher" => {
            base.replacen("route:\n", "route:\n  matchers: ['{}', 'a=\"b\"']\n", 1)
        }
        "match_re null" => routed("      match_re: {severity: ~}\n"),
        "match_re empty" => routed("      match_re: {severity: ''}\n"),
        "inhibit match_re null" => format!(
            "{base}inhibit_rules:\n  - source_match_re: {{severity: }}\n    target_match: {{severity: ticket}}\n"
        ),
        "unknown unicode class" => routed("      matchers: ['team=~\"\\\\p{Klingon}\"']\n"),
        "unclosed unicode class" => routed("      match_re: {team: '\\p{Greek'}\n"),
        "unicode class in match_re" => routed("      match_re: {team: '\\p{Greek}+|\\pN'}\n"),
        "unicode class in inhibit rule" => format!(
            "{base}inhibit_rules:\n  - source_matchers: ['team=~\"\\\\p{{Han}}+\"']\n    target_match_re: {{team: '(?i)k\\PL*'}}\n    equal: [slo]\n"
        ),
        "case folding in matchers" => routed("      matchers: ['team=~\"(?i)[k-s]ſ\"']\n"),
        "leading space before brace" => routed("      matchers: [' {team=\"a\"}']\n"),
        "quoted label name" => routed("      matchers: ['\"service name\"=\"x\"']\n"),
        f if f.starts_with("template ") => {
            let (glob, path, text) = match f {
                "template glob syntax error" => ("tmpl/[.tmpl", "", ""),
                "template glob without matches" => ("none/*.tmpl", "", ""),
                "template unclosed action" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}\n{{ .Status\n",
                ),
                "template unknown function" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ .Status | humanize }}{{ end }}",
                ),
                "template undefined variable" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ $x }}{{ end }}",
                ),
                "template valid" => (
                    "tmpl/*.tmpl",
                    "tmpl/a.tmpl",
                    "{{ define \"a\" }}{{ range .Alerts }}{{ .Labels.alertname | toUpper }}{{ end }}{{ end }}",
                ),
                "template stray end" => ("tmpl/*.tmpl", "tmpl/a.tmpl", "x {{ end }}"),
                _ => (
                    "tmpl/sub/*.tmpl",
                    "tmpl/sub/b.tmpl",
                    "{{ template \"a\" . }",
                ),
            };
            if !path.is_empty() {
                template(&mut files, path, text);
            }
            format!("templates: [{}]\n{base}", scalar(glob))
        }
        _ => base,
    };
    CheckCase { yaml, files }
}

/// Every round-2 check family: the receiver families (as `receiver: NAME`) and
/// [`CHECK_FAMILIES`].
pub fn round2_families() -> Vec<String> {
    RECEIVER_FAMILIES
        .iter()
        .map(|f| format!("receiver: {}", f.name))
        .chain(CHECK_FAMILIES.iter().map(|f| (*f).to_owned()))
        .collect()
}

/// The fingerprint of a check case: its config and its template files.
pub fn check_fingerprint(case: &CheckCase) -> u64 {
    let mut text = case.yaml.clone();
    for (path, body) in &case.files {
        text.push_str(&format!("\n--- {path}\n{body}"));
    }
    fingerprint(&text)
}

/// The combined fingerprint of a family's check cases, in order.
pub fn family_fingerprint(cases: &[CheckCase]) -> u64 {
    let all: String = cases
        .iter()
        .map(|c| format!("{:016x}", check_fingerprint(c)))
        .collect();
    fingerprint(&all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_a_family_leaves_to_global_has_a_setting_of_its_kind() {
        for f in RECEIVER_FAMILIES {
            for (field, _) in f.from_global {
                let setting = match f.kind {
                    FamilyKind::Known(kind) => kind.global_setting(field),
                    FamilyKind::Refused(_) => None,
                };
                assert!(setting.is_some(), "{}: {field}", f.name);
            }
        }
    }
}
