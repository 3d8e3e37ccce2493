//! Receivers and their integrations, validated as Alertmanager 0.25 validates them
//! (config/notifiers.go and the receiver checks of config/config.go).

use crate::alertmanager::config::model::{Integration, Pos, Receiver};
use crate::alertmanager::config::values::{boolean, check_url, entries, seq_nodes, unknown_field};
use crate::alertmanager::go_string;
use crate::error::Result;
use crate::yaml::Node;

/// Integration kinds: list key, send_resolved default, and the fields Alertmanager 0.25 knows
/// (plus msteams from 0.26). `send_resolved` and `http_config` are accepted for every kind.
const INTEGRATIONS: &[(&str, bool, &[&str])] = &[
    ("discord", true, &["webhook_url", "title", "message"]),
    (
        "email",
        false,
        &[
            "to",
            "from",
            "hello",
            "smarthost",
            "auth_username",
            "auth_password",
            "auth_password_file",
            "auth_secret",
            "auth_identity",
            "headers",
            "html",
            "text",
            "require_tls",
            "tls_config",
        ],
    ),
    (
        "pagerduty",
        true,
        &[
            "service_key",
            "service_key_file",
            "routing_key",
            "routing_key_file",
            "url",
            "client",
            "client_url",
            "description",
            "details",
            "images",
            "links",
            "source",
            "severity",
            "class",
            "component",
            "group",
        ],
    ),
    (
        "slack",
        false,
        &[
            "api_url",
            "api_url_file",
            "channel",
            "username",
            "color",
            "title",
            "title_link",
            "pretext",
            "text",
            "fields",
            "short_fields",
            "footer",
            "fallback",
            "callback_id",
            "icon_emoji",
            "icon_url",
            "image_url",
            "thumb_url",
            "link_names",
            "mrkdwn_in",
            "actions",
        ],
    ),
    ("webhook", true, &["url", "url_file", "max_alerts"]),
    (
        "opsgenie",
        true,
        &[
            "api_key",
            "api_key_file",
            "api_url",
            "message",
            "description",
            "source",
            "details",
            "entity",
            "responders",
            "actions",
            "tags",
            "note",
            "priority",
            "update_alerts",
        ],
    ),
    (
        "wechat",
        false,
        &[
            "api_secret",
            "corp_id",
            "message",
            "api_url",
            "to_user",
            "to_party",
            "to_tag",
            "agent_id",
            "message_type",
        ],
    ),
    (
        "pushover",
        true,
        &[
            "user_key",
            "token",
            "title",
            "message",
            "url",
            "url_title",
            "sound",
            "priority",
            "retry",
            "expire",
            "html",
        ],
    ),
    (
        "victorops",
        true,
        &[
            "api_key",
            "api_key_file",
            "api_url",
            "routing_key",
            "message_type",
            "state_message",
            "entity_display_name",
            "monitoring_tool",
            "custom_fields",
        ],
    ),
    (
        "sns",
        true,
        &[
            "api_url",
            "sigv4",
            "topic_arn",
            "phone_number",
            "target_arn",
            "subject",
            "message",
            "attributes",
        ],
    ),
    (
        "telegram",
        true,
        &[
            "api_url",
            "bot_token",
            "chat_id",
            "message",
            "disable_notifications",
            "parse_mode",
        ],
    ),
    ("webex", true, &["api_url", "message", "room_id"]),
    (
        "msteams",
        true,
        &["webhook_url", "title", "summary", "text"],
    ),
];

/// Whether `kind`'s integrations send resolved notifications unless told otherwise.
pub fn send_resolved_default(kind: &str) -> Option<bool> {
    INTEGRATIONS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, d, _)| *d)
}

pub(crate) fn read_receiver(node: &Node, path: &str) -> Result<Receiver> {
    let mut name = String::new();
    let mut integrations = Vec::new();
    for (key, value) in entries(node, path, "config.plain")? {
        let k = key.scalar().unwrap_or_default();
        let p = format!("{path}.{k}");
        if k == "name" {
            name = go_string(value, &p)?;
            continue;
        }
        let Some((kind, default, fields)) = k
            .strip_suffix("_configs")
            .and_then(|kind| INTEGRATIONS.iter().find(|(n, _, _)| *n == kind))
        else {
            return Err(unknown_field(key, path, "config.plain"));
        };
        for (i, item) in seq_nodes(value, &p)?.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            let mut send_resolved = *default;
            for (fk, fv) in entries(item, &ip, "config.plain")? {
                let f = fk.scalar().unwrap_or_default();
                let fp = format!("{ip}.{f}");
                match f {
                    "send_resolved" => send_resolved = boolean(fv, &fp)?,
                    "http_config" => {}
                    "url" | "api_url" | "webhook_url" if !fv.is_null() => check_url(fv, &fp)?,
                    _ if fields.contains(&f) => {}
                    _ => return Err(unknown_field(fk, &ip, "config.plain")),
                }
            }
            let has = |k: &str| {
                item.get(k)
                    .and_then(Node::scalar)
                    .is_some_and(|s| !s.is_empty() && !item.get(k).is_some_and(Node::is_null))
            };
            let pos = Pos::of(item, ip.clone());
            match *kind {
                "webhook" if !has("url") && !has("url_file") => {
                    return Err(pos.error("missing URL in webhook config"));
                }
                "email" if !has("to") => {
                    return Err(pos.error("missing to address in email config"));
                }
                "pagerduty" => {
                    if !has("routing_key")
                        && !has("service_key")
                        && !has("routing_key_file")
                        && !has("service_key_file")
                    {
                        return Err(pos.error("missing service or routing key in PagerDuty config"));
                    }
                    if has("routing_key") && has("routing_key_file") {
                        return Err(pos.error(
                            "at most one of routing_key & routing_key_file must be configured",
                        ));
                    }
                    if has("service_key") && has("service_key_file") {
                        return Err(pos.error(
                            "at most one of service_key & service_key_file must be configured",
                        ));
                    }
                }
                _ => {}
            }
            integrations.push(Integration {
                kind: (*kind).to_owned(),
                node: item.clone(),
                pos,
                send_resolved,
            });
        }
    }
    if name.is_empty() {
        return Err(node.error(path, "missing name in receiver"));
    }
    Ok(Receiver {
        name,
        pos: Pos::of(node, path),
        integrations,
    })
}
