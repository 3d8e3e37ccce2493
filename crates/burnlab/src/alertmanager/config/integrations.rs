//! Receivers and their integrations, validated as Alertmanager 0.25 validates them: every
//! kind's fields with their Go types (config/notifiers.go), each kind's `UnmarshalYAML` checks
//! (required and mutually exclusive fields, allowed values), `http_config` as
//! prometheus/common 0.39 checks it, and the checks of config/config.go that need `global`
//! (in [`check_with_global`]). Messages are Alertmanager's; locations are burnlab's.
//!
//! [`KINDS`] (in `schema`, beside [`IntegrationKind`]) is the one table of what burnlab knows
//! about each kind: its fields and their types, whether it sends resolved notifications by
//! default, whether it pages a person, and which fields it may leave to `global`. Everything
//! else is read from it:
//! - the reader ([`read_receiver`]) takes each kind's fields and types, and parses the kind
//!   once, from the name of its list;
//! - [`check_with_global`] takes the fields a kind leaves to `global`, the settings that fill
//!   them in, and Alertmanager's words when neither is set;
//! - redaction ([`secret_fields`]) hides every field typed [`Ty::Secret`] or
//!   [`Ty::SecretUrl`], in the kinds, in the structs nested in them and in `global`;
//! - hygiene asks [`IntegrationKind::pages`];
//! - the oracle tests' receiver families name a kind and the fields they leave to `global`,
//!   and ask [`IntegrationKind::global_setting`] for the setting's name.
//!
//! Two orders are Alertmanager's own and kept: [`IntegrationKind`] is declared in the order of
//! the `Receiver` struct, the order an unknown list's hint names the lists in; the rows of
//! [`KINDS`] are in the order config.go fills in globals, the order [`check_with_global`]
//! reports in.
//!
//! Adding an integration kind takes:
//! 1. in `schema.rs`, a variant of [`IntegrationKind`], with its list's name in
//!    [`IntegrationKind::as_str`];
//! 2. in `schema.rs`, its row in [`KINDS`], placed in config.go's order: fields (credentials
//!    typed `Secret` or `SecretUrl`), the `send_resolved` default, whether it pages, and its
//!    [`Global`] fallbacks;
//! 3. here, its arm in [`check_kind`], with the kind's `UnmarshalYAML` checks (the match has no
//!    catch-all, so the compiler asks for it).
//!
//! A global setting the kind brings is also a key that `read` accepts in `global`
//! (`GLOBAL_FIELDS`, in `GlobalConfig`'s order, where its value's type is checked); a test
//! keeps the table's settings and those keys the same.

use crate::alertmanager::config::fixes;
use crate::alertmanager::config::model::{Integration, Pos, Receiver};
use crate::alertmanager::config::schema::Ty::{self, *};
use crate::alertmanager::config::schema::*;
use crate::alertmanager::config::values::{
    boolean, check_url, describe, entries, seq_nodes, unknown_field,
};
use crate::alertmanager::go_string;
use crate::error::{Error, Result};
use crate::yaml::Node;

/// A struct's fields as read: name → node, after checking each against its type.
struct Fields<'a> {
    node: &'a Node,
    path: String,
    values: Vec<(&'a str, &'a Node)>,
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&'a Node> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }

    /// The field as a non-empty string (Go's `!= ""`).
    fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .and_then(|v| v.scalar().map(str::to_owned))
            .filter(|s| !s.is_empty())
    }

    fn has(&self, name: &str) -> bool {
        self.text(name).is_some()
    }

    fn error(&self, message: impl Into<String>) -> Error {
        self.node.error(self.path.clone(), message)
    }
}

/// Reads a struct strictly: unknown fields are errors, every field is checked against its
/// type. `extra` names fields handled by the caller (`send_resolved`).
fn read_struct<'a>(
    node: &'a Node,
    path: &str,
    fields: &[(&str, Ty)],
    extra: &[&str],
) -> Result<Fields<'a>> {
    let mut values = Vec::new();
    for (key, value) in entries(node, path, "config.plain")? {
        let name = key.scalar().unwrap_or_default();
        let p = format!("{path}.{name}");
        if extra.contains(&name) {
            values.push((name, value));
            continue;
        }
        let Some((_, ty)) = fields.iter().find(|(f, _)| *f == name) else {
            let allowed: Vec<&str> = fields
                .iter()
                .map(|(f, _)| *f)
                .chain(extra.iter().copied())
                .collect();
            return Err(unknown_field(key, path, "config.plain", &allowed));
        };
        check_type(value, &p, *ty)?;
        values.push((name, value));
    }
    Ok(Fields {
        node,
        path: path.to_owned(),
        values,
    })
}

fn check_type(value: &Node, path: &str, ty: Ty) -> Result<()> {
    if value.is_null() {
        return Ok(());
    }
    match ty {
        Str | Secret => {
            go_string(value, path)?;
        }
        Url | SecretUrl => {
            go_string(value, path)?;
            check_url(value, path)?;
        }
        Bool => {
            boolean(value, path)?;
        }
        Int64 | Uint64 => {
            let text = go_string(value, path)?;
            let plain = matches!(&value.value, crate::yaml::Value::Scalar { plain: true, .. });
            let into = if ty == Int64 { "int64" } else { "uint64" };
            match go_yaml_int(&text).filter(|_| plain) {
                Some(n) if ty == Uint64 && n < 0 => {
                    return Err(
                        value.error(path, format!("cannot unmarshal !!int `{text}` into {into}"))
                    );
                }
                Some(_) => {}
                None => {
                    return Err(value.error(
                        path,
                        format!("cannot unmarshal {} into {into}", describe(value)),
                    ));
                }
            }
        }
        GoDuration => {
            let text = go_string(value, path)?;
            if !is_go_duration(&text) {
                return Err(value.error(path, format!("time: invalid duration {text:?}")));
            }
        }
        StrMap => {
            for (k, v) in entries(value, path, "map[string]string")? {
                go_string(k, path)?;
                go_string(v, path)?;
            }
        }
        StrList => {
            let items = value.items().ok_or_else(|| {
                value.error(
                    path,
                    format!("cannot unmarshal {} into []string", describe(value)),
                )
            })?;
            for (i, item) in items.iter().enumerate() {
                go_string(item, &format!("{path}[{i}]"))?;
            }
        }
        HostPort => {
            let text = go_string(value, path)?;
            check_host_port(&text).map_err(|e| value.error(path, e))?;
        }
        Http => check_http(value, path)?,
        Tls => check_tls(value, path)?,
        // Their holders read these with the rules between them (`check_http`,
        // `check_slack_action`); read alone, a struct is read strictly.
        BasicAuth | Authorization | OAuth2 | SlackConfirm => {
            read_struct(value, path, ty.fields(), &[])?;
        }
        PdImages | PdLinks | SlackFields | SlackActions | Responders => {
            for (i, item) in seq_nodes(value, path)?.iter().enumerate() {
                let p = format!("{path}[{i}]");
                match ty {
                    PdImages => {
                        read_struct(item, &p, IMAGE_FIELDS, &[])?;
                    }
                    PdLinks => {
                        read_struct(item, &p, LINK_FIELDS, &[])?;
                    }
                    SlackFields => {
                        let f = read_struct(item, &p, SLACK_FIELD_FIELDS, &[])?;
                        if !f.has("title") {
                            return Err(f.error("missing title in Slack field configuration"));
                        }
                        if !f.has("value") {
                            return Err(f.error("missing value in Slack field configuration"));
                        }
                    }
                    SlackActions => check_slack_action(item, &p)?,
                    _ => check_responder(item, &p)?,
                }
            }
        }
        SigV4 => {
            let f = read_struct(value, path, SIGV4_FIELDS, &[])?;
            // sigv4.SigV4Config.Validate: keys come in pairs.
            if f.has("access_key") != f.has("secret_key") {
                return Err(f.error(
                    "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config",
                ));
            }
        }
    }
    Ok(())
}

fn check_slack_action(item: &Node, path: &str) -> Result<()> {
    let fields = read_struct(item, path, SLACK_ACTION_FIELDS, &["confirm"])?;
    if let Some(confirm) = fields.get("confirm") {
        let c = read_struct(confirm, &format!("{path}.confirm"), CONFIRM_FIELDS, &[])?;
        if !c.has("text") {
            return Err(c.error("missing text in Slack confirmation configuration"));
        }
    }
    if !fields.has("type") {
        return Err(fields.error("missing type in Slack action configuration"));
    }
    if !fields.has("text") {
        return Err(fields.error("missing text in Slack action configuration"));
    }
    if !fields.has("url") && !fields.has("name") {
        return Err(fields.error("missing name or url in Slack action configuration"));
    }
    Ok(())
}

fn check_responder(item: &Node, path: &str) -> Result<()> {
    let f = read_struct(item, path, RESPONDER_FIELDS, &[])?;
    let text = |n: &str| f.text(n).unwrap_or_default();
    // Go prints the responder struct with %v: `{id name username type}`.
    let shown = format!(
        "{{{} {} {} {}}}",
        text("id"),
        text("name"),
        text("username"),
        text("type")
    );
    if !f.has("id") && !f.has("username") && !f.has("name") {
        return Err(f.error(format!(
            "opsGenieConfig responder {shown} has to have at least one of id, username or name specified"
        )));
    }
    let ty = text("type");
    if ty.contains("{{") {
        if let Err(e) = crate::gotemplate::parse(
            &ty,
            crate::gotemplate::Options {
                name: "",
                funcs: &[],
            },
        ) {
            return Err(f.error(format!(
                "opsGenieConfig responder {shown} type is not a valid template: {e}"
            )));
        }
    } else if !matches!(
        ty.to_lowercase().as_str(),
        "team" | "teams" | "user" | "escalation" | "schedule"
    ) {
        return Err(f.error(format!(
            "opsGenieConfig responder {shown} type does not match valid options ^(team|teams|user|escalation|schedule)$"
        )));
    }
    Ok(())
}

/// `http_config` as prometheus/common 0.39's `HTTPClientConfig.Validate` checks it.
pub(crate) fn check_http(node: &Node, path: &str) -> Result<()> {
    let f = read_struct(
        node,
        path,
        HTTP_FIELDS,
        &["basic_auth", "authorization", "oauth2"],
    )?;
    let sub = |name: &str, fields: &[(&str, Ty)]| -> Result<Option<Fields<'_>>> {
        f.get(name)
            .map(|n| read_struct(n, &format!("{path}.{name}"), fields, &["tls_config"]))
            .transpose()
    };
    let basic = sub("basic_auth", BASIC_AUTH_FIELDS)?;
    let authorization = sub("authorization", AUTHORIZATION_FIELDS)?;
    let oauth2 = sub("oauth2", OAUTH2_FIELDS)?;
    if let Some(tls) = oauth2.as_ref().and_then(|o| o.get("tls_config")) {
        check_tls(tls, &format!("{path}.oauth2.tls_config"))?;
    }
    let bearer = f.has("bearer_token");
    let bearer_file = f.has("bearer_token_file");
    if bearer && bearer_file {
        return Err(f.error("at most one of bearer_token & bearer_token_file must be configured"));
    }
    if (basic.is_some() || oauth2.is_some()) && (bearer || bearer_file) {
        return Err(f.error(
            "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
        ));
    }
    if basic
        .as_ref()
        .is_some_and(|b| b.has("password") && b.has("password_file"))
    {
        return Err(
            f.error("at most one of basic_auth password & password_file must be configured")
        );
    }
    if let Some(auth) = &authorization {
        if bearer || bearer_file {
            return Err(
                f.error("authorization is not compatible with bearer_token & bearer_token_file")
            );
        }
        if auth.has("credentials") && auth.has("credentials_file") {
            return Err(f.error(
                "at most one of authorization credentials & credentials_file must be configured",
            ));
        }
        if auth
            .text("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("basic"))
        {
            return Err(f.error(
                "authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
            ));
        }
        if basic.is_some() || oauth2.is_some() {
            return Err(
                f.error("at most one of basic_auth, oauth2 & authorization must be configured")
            );
        }
    }
    if let Some(o) = &oauth2 {
        if basic.is_some() {
            return Err(
                f.error("at most one of basic_auth, oauth2 & authorization must be configured")
            );
        }
        if !o.has("client_id") {
            return Err(f.error("oauth2 client_id must be configured"));
        }
        if !o.has("client_secret") && !o.has("client_secret_file") {
            return Err(
                f.error("either oauth2 client_secret or client_secret_file must be configured")
            );
        }
        if !o.has("token_url") {
            return Err(f.error("oauth2 token_url must be configured"));
        }
        if o.has("client_secret") && o.has("client_secret_file") {
            return Err(f.error(
                "at most one of oauth2 client_secret & client_secret_file must be configured",
            ));
        }
    }
    for holder in [Some(&f), oauth2.as_ref()].into_iter().flatten() {
        let has_header = holder
            .get("proxy_connect_header")
            .and_then(Node::entries)
            .is_some_and(|e| !e.is_empty());
        if has_header && !holder.has("proxy_url") {
            return Err(
                f.error("if proxy_connect_header is configured proxy_url must also be configured")
            );
        }
    }
    Ok(())
}

fn check_tls(node: &Node, path: &str) -> Result<()> {
    let f = read_struct(node, path, TLS_FIELDS, &[])?;
    for name in ["min_version", "max_version"] {
        if let Some(v) = f.text(name)
            && !matches!(v.as_str(), "TLS10" | "TLS11" | "TLS12" | "TLS13")
        {
            let at = f.get(name).unwrap_or(node);
            return Err(at.error(
                format!("{path}.{name}"),
                format!("unknown TLS version: {v}"),
            ));
        }
    }
    Ok(())
}

/// Whether an integration's http_config sets an authorization (directly, or through a bearer
/// token, which prometheus/common turns into one).
fn has_authorization(http: Option<&Node>) -> bool {
    http.is_some_and(|h| {
        h.get("authorization").is_some_and(|a| !a.is_null())
            || ["bearer_token", "bearer_token_file"].iter().any(|k| {
                h.get(k)
                    .and_then(Node::scalar)
                    .is_some_and(|s| !s.is_empty() && !h.get(k).is_some_and(Node::is_null))
            })
    })
}

/// Each kind's `UnmarshalYAML` checks.
fn check_kind(kind: IntegrationKind, f: &Fields<'_>) -> Result<()> {
    use IntegrationKind::*;
    let exclusive = |a: &str, b: &str| -> Result<()> {
        if f.has(a) && f.has(b) {
            return Err(f.error(format!("at most one of {a} & {b} must be configured")));
        }
        Ok(())
    };
    match kind {
        Webex => {
            if !f.has("room_id") {
                return Err(f.error("missing room_id on webex_config"));
            }
            if !has_authorization(f.get("http_config")) {
                return Err(f.error("missing webex_configs.http_config.authorization"));
            }
        }
        Email => {
            if !f.has("to") {
                return Err(f.error("missing to address in email config"));
            }
            let mut seen: Vec<String> = Vec::new();
            for (k, _) in f.get("headers").and_then(Node::entries).unwrap_or_default() {
                let name = canonical_mime_header(k.scalar().unwrap_or_default());
                if seen.contains(&name) {
                    return Err(f.error(format!("duplicate header {name:?} in email config")));
                }
                seen.push(name);
            }
        }
        PagerDuty => {
            if !f.has("routing_key")
                && !f.has("service_key")
                && !f.has("routing_key_file")
                && !f.has("service_key_file")
            {
                return Err(f.error("missing service or routing key in PagerDuty config"));
            }
            exclusive("routing_key", "routing_key_file")?;
            exclusive("service_key", "service_key_file")?;
        }
        Slack => exclusive("api_url", "api_url_file")?,
        Webhook => {
            if f.get("url").is_none() {
                return Err(f.error("missing URL in webhook config"));
            }
        }
        WeChat => {
            if let Some(t) = f.text("message_type")
                && t != "text"
                && t != "markdown"
            {
                return Err(f.error(format!(
                    "weChat message type {t:?} does not match valid options ^(text|markdown)$"
                )));
            }
        }
        OpsGenie => exclusive("api_key", "api_key_file")?,
        VictorOps => {
            if !f.has("routing_key") {
                return Err(f.error("missing Routing key in VictorOps config"));
            }
            exclusive("api_key", "api_key_file")?;
            let custom = f
                .get("custom_fields")
                .and_then(Node::entries)
                .unwrap_or_default();
            for reserved in [
                "routing_key",
                "message_type",
                "state_message",
                "entity_display_name",
                "monitoring_tool",
                "entity_id",
                "entity_state",
            ] {
                if custom.iter().any(|(k, _)| k.scalar() == Some(reserved)) {
                    return Err(f.error(format!(
                        "victorOps config contains custom field {reserved} which cannot be used as it conflicts with the fixed/static fields"
                    )));
                }
            }
        }
        Pushover => {
            if !f.has("user_key") {
                return Err(f.error("missing user key in Pushover config"));
            }
            if !f.has("token") {
                return Err(f.error("missing token in Pushover config"));
            }
        }
        Sns => {
            // Go's `(target == "") != (topic == "") != (phone == "")`: an odd number of empty
            // targets is an error (none given, or two of the three).
            let empty = ["target_arn", "topic_arn", "phone_number"]
                .iter()
                .filter(|k| !f.has(k))
                .count();
            if empty % 2 == 1 {
                return Err(f.error(
                    "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
                ));
            }
        }
        Telegram => {
            if !f.has("bot_token") {
                return Err(f.error("missing bot_token on telegram_config"));
            }
            let chat = f.text("chat_id").and_then(|t| go_yaml_int(&t)).unwrap_or(0);
            if chat == 0 {
                return Err(f.error("missing chat_id on telegram_config"));
            }
            if let Some(mode) = f.text("parse_mode")
                && !matches!(mode.as_str(), "Markdown" | "MarkdownV2" | "HTML")
            {
                return Err(f.error(
                    "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string",
                ));
            }
        }
        // Discord's one check, its webhook URL, is config.go's (see `check_with_global`).
        Discord => {}
    }
    Ok(())
}

/// Reads one receiver and its integrations (`Receiver.UnmarshalYAML` and each integration's).
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
        let Some(kind) = k
            .strip_suffix("_configs")
            .and_then(|name| KINDS.iter().find(|row| row.kind.as_str() == name))
        else {
            let mut kinds: Vec<IntegrationKind> = KINDS.iter().map(|row| row.kind).collect();
            kinds.sort();
            let kinds: Vec<String> = kinds.into_iter().map(IntegrationKind::list_key).collect();
            let allowed: Vec<&str> = std::iter::once("name")
                .chain(kinds.iter().map(String::as_str))
                .collect();
            return Err(unknown_field(key, path, "config.plain", &allowed));
        };
        for (i, item) in seq_nodes(value, &p)?.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            let fields = read_struct(item, &ip, kind.fields, &["send_resolved"])?;
            let send_resolved = match fields.get("send_resolved") {
                Some(v) => boolean(v, &format!("{ip}.send_resolved"))?,
                None => kind.send_resolved,
            };
            check_kind(kind.kind, &fields)?;
            integrations.push(Integration {
                kind: kind.kind,
                node: item.clone(),
                pos: Pos::of(item, ip.clone()),
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

/// The checks of config/config.go that read `global`, per receiver, in Alertmanager's order:
/// each kind in the order of [`KINDS`], each of its integrations, each field it needs that
/// neither it nor `global` sets. `g` reads a non-empty global setting.
/// `root` is the document as read, for the fixes that add a setting to `global`.
pub(crate) fn check_with_global(
    rcv: &Receiver,
    g: &dyn Fn(&str) -> Option<String>,
    root: Option<&Node>,
) -> Result<()> {
    for row in KINDS {
        for integ in rcv.integrations.iter().filter(|i| i.kind == row.kind) {
            let has = |k: &str| {
                integ
                    .node
                    .get(k)
                    .filter(|n| !n.is_null())
                    .and_then(Node::scalar)
                    .is_some_and(|s| !s.is_empty())
            };
            for global in row.globals {
                let Some(message) = global.missing else {
                    continue;
                };
                let set_here =
                    has(global.field) || (global.files && has(&format!("{}_file", global.field)));
                let set_globally = global.setting.is_some_and(|(setting, _)| {
                    g(setting).is_some()
                        || (global.files && g(&format!("{setting}_file")).is_some())
                });
                if !set_here && !set_globally {
                    let fixes = fixes::missing_setting(
                        root,
                        &integ.node,
                        row.kind.as_str(),
                        global.field,
                        global.setting.map(|(setting, _)| setting),
                    );
                    return Err(fixes
                        .into_iter()
                        .fold(integ.pos.error(message), Error::with_fix));
                }
            }
        }
    }
    Ok(())
}

/// Go's `net.SplitHostPort` and Alertmanager's empty-port check, for `smarthost`.
pub(crate) fn check_host_port(s: &str) -> std::result::Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let fail = |why: &str| Err(format!("address {s}: {why}"));
    let Some(i) = s.rfind(':') else {
        return fail("missing port in address");
    };
    let (mut j, mut k) = (0, 0);
    if s.starts_with('[') {
        let Some(end) = s.find(']') else {
            return fail("missing ']' in address");
        };
        if end + 1 == s.len() {
            return fail("missing port in address");
        }
        if end + 1 != i {
            if s.as_bytes().get(end + 1) == Some(&b':') {
                return fail("too many colons in address");
            }
            return fail("missing port in address");
        }
        j = 1;
        k = end + 1;
    } else if s.get(..i).is_some_and(|h| h.contains(':')) {
        return fail("too many colons in address");
    }
    if s.get(j..).is_some_and(|r| r.contains('[')) {
        return fail("unexpected '[' in address");
    }
    if s.get(k..).is_some_and(|r| r.contains(']')) {
        return fail("unexpected ']' in address");
    }
    if s.get(i + 1..).is_none_or(str::is_empty) {
        return Err(format!("address {s:?}: port cannot be empty"));
    }
    Ok(())
}

/// Go's `textproto.CanonicalMIMEHeaderKey` for the header names people write.
fn canonical_mime_header(name: &str) -> String {
    if name.contains(|c: char| c == ' ' || !c.is_ascii()) {
        return name.to_owned();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = c == '-';
            out
        })
        .collect()
}

/// An integer as yaml.v2 resolves a plain scalar: decimal, `0x`/`0o`/`0b`, `_` separators, or a
/// float with an integral value.
pub(crate) fn go_yaml_int(text: &str) -> Option<i64> {
    let plain = text.replace('_', "");
    let (negative, body) = match plain.strip_prefix('-') {
        Some(b) => (true, b.to_owned()),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain).to_owned()),
    };
    let parsed = if let Some(h) = body.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = body.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = body.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if body.len() > 1 && body.starts_with('0') && body.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body, 8).ok()
    } else if body.chars().all(|c| c.is_ascii_digit()) && !body.is_empty() {
        body.parse().ok()
    } else {
        body.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
            .map(|f| f as i64)
    };
    parsed.map(|v| if negative { -v } else { v })
}

/// Go's `time.ParseDuration`: `300ms`, `-1.5h`, `2h45m`; `0` alone needs no unit.
pub(crate) fn is_go_duration(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body == "0" {
        return true;
    }
    if body.is_empty() {
        return false;
    }
    let mut rest = body;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = rest.get(..digits).unwrap_or_default();
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = rest.get(digits..).unwrap_or_default();
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(*u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = rest.get(u.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alertmanager::config::read::GLOBAL_FIELDS;

    #[test]
    fn every_kind_has_one_row_and_reads_back_from_its_name() {
        for row in KINDS {
            assert_eq!(KINDS.iter().filter(|r| r.kind == row.kind).count(), 1);
            assert_eq!(
                IntegrationKind::from_name(row.kind.as_str()),
                Some(row.kind)
            );
            assert_eq!(row.kind.to_string(), row.kind.as_str());
        }
        assert_eq!(IntegrationKind::from_name("msteams"), None);
    }

    #[test]
    fn redaction_hides_exactly_these_field_names() {
        let mut got = secret_fields();
        got.sort_unstable();
        let mut want = vec![
            "routing_key",
            "service_key",
            "api_url",
            "url",
            "webhook_url",
            "auth_password",
            "auth_secret",
            "api_key",
            "api_secret",
            "bot_token",
            "token",
            "user_key",
            "smtp_auth_password",
            "smtp_auth_secret",
            "slack_api_url",
            "opsgenie_api_key",
            "wechat_api_secret",
            "victorops_api_key",
            "password",
            "bearer_token",
            "credentials",
            "client_secret",
            "secret_key",
        ];
        want.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn incident_management_services_page_and_the_rest_do_not() {
        let paging: Vec<&str> = KINDS
            .iter()
            .filter(|k| k.kind.pages())
            .map(|k| k.kind.as_str())
            .collect();
        assert_eq!(paging, ["pagerduty", "opsgenie", "victorops"]);
    }

    #[test]
    fn every_global_fallback_names_a_field_of_its_kind_and_a_key_of_global() {
        let is_field = |row: &Kind, name: &str| row.fields.iter().any(|(f, _)| *f == name);
        let mut settings = Vec::new();
        for row in KINDS {
            for g in row.globals {
                let kind = row.kind;
                assert!(is_field(row, g.field), "{kind} has no {}", g.field);
                if g.files {
                    assert!(is_field(row, &format!("{}_file", g.field)), "{kind}");
                }
                if let Some((setting, _)) = g.setting {
                    assert_eq!(kind.global_setting(g.field), Some(setting));
                    settings.push(setting.to_owned());
                    if g.files {
                        settings.push(format!("{setting}_file"));
                    }
                }
            }
        }
        let mut keys: Vec<String> = GLOBAL_FIELDS
            .iter()
            .filter(|k| !matches!(**k, "resolve_timeout" | "http_config"))
            .map(|k| (*k).to_owned())
            .collect();
        settings.sort_unstable();
        keys.sort_unstable();
        assert_eq!(settings, keys);
    }
}
