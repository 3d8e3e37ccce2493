//! Receivers and their integrations, validated as Alertmanager 0.25 validates them: every
//! kind's fields with their Go types (config/notifiers.go), each kind's `UnmarshalYAML` checks
//! (required and mutually exclusive fields, allowed values), `http_config` as
//! prometheus/common 0.39 checks it, and the checks of config/config.go that need `global`
//! (in [`check_with_global`]). Messages are Alertmanager's; locations are burnlab's.
//!
//! [`KINDS`] is the one table of what burnlab knows about each [`IntegrationKind`]: its fields
//! and their types, whether it sends resolved notifications by default, whether it pages a
//! person, and which fields it may leave to `global`. Everything else is read from it:
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
//! 1. a variant of [`IntegrationKind`], with its list's name in [`IntegrationKind::as_str`];
//! 2. its row in [`KINDS`], placed in config.go's order: fields (credentials typed `Secret`
//!    or `SecretUrl`), the `send_resolved` default, whether it pages, and its [`Global`]
//!    fallbacks;
//! 3. its arm in [`check_kind`], with the kind's `UnmarshalYAML` checks (the match has no
//!    catch-all, so the compiler asks for it).
//!
//! A global setting the kind brings is also a key that `read` accepts in `global`
//! (`GLOBAL_FIELDS`, in `GlobalConfig`'s order, where its value's type is checked); a test
//! keeps the table's settings and those keys the same.

use std::fmt;

use crate::alertmanager::config::model::{Integration, Pos, Receiver};
use crate::alertmanager::config::values::{
    boolean, check_url, describe, entries, seq_nodes, unknown_field,
};
use crate::alertmanager::go_string;
use crate::error::{Error, Result};
use crate::yaml::Node;

/// An integration kind of Alertmanager 0.25 (msteams arrived in 0.26: 0.25 refuses it), named
/// in YAML by its receiver list without `_configs`. Read once, where the receiver is read.
///
/// Declared in the order of Alertmanager's `Receiver` struct, which is the order the hint for
/// an unknown list names the lists in (`Ord` follows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegrationKind {
    /// `discord_configs`.
    Discord,
    /// `email_configs`.
    Email,
    /// `pagerduty_configs`.
    PagerDuty,
    /// `slack_configs`.
    Slack,
    /// `webhook_configs`.
    Webhook,
    /// `opsgenie_configs`.
    OpsGenie,
    /// `wechat_configs`.
    WeChat,
    /// `pushover_configs`.
    Pushover,
    /// `victorops_configs`.
    VictorOps,
    /// `sns_configs`.
    Sns,
    /// `telegram_configs`.
    Telegram,
    /// `webex_configs`.
    Webex,
}

impl IntegrationKind {
    /// The kind's name in YAML: its receiver list without `_configs` (`pagerduty`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Discord => "discord",
            Self::Email => "email",
            Self::PagerDuty => "pagerduty",
            Self::Slack => "slack",
            Self::Webhook => "webhook",
            Self::OpsGenie => "opsgenie",
            Self::WeChat => "wechat",
            Self::Pushover => "pushover",
            Self::VictorOps => "victorops",
            Self::Sns => "sns",
            Self::Telegram => "telegram",
            Self::Webex => "webex",
        }
    }

    /// The receiver's key for a list of this kind: `pagerduty_configs`.
    pub fn list_key(self) -> String {
        format!("{}_configs", self.as_str())
    }

    /// The kind named `name` (see [`IntegrationKind::as_str`]), if Alertmanager 0.25 has it.
    pub fn from_name(name: &str) -> Option<Self> {
        KINDS.iter().map(|k| k.kind).find(|k| k.as_str() == name)
    }

    /// Whether integrations of this kind wake a person: incident-management services with
    /// phone, SMS and app escalation. Chat, email and webhooks are read when someone looks.
    pub fn pages(self) -> bool {
        self.schema().is_some_and(|k| k.pages)
    }

    /// Whether integrations of this kind send resolved notifications unless told otherwise.
    pub fn send_resolved_default(self) -> bool {
        self.schema().is_some_and(|k| k.send_resolved)
    }

    /// The `global` setting that fills in `field` when an integration of this kind leaves it
    /// empty (`smarthost` of `email` → `smtp_smarthost`), if there is one.
    pub fn global_setting(self, field: &str) -> Option<&'static str> {
        self.schema()?
            .globals
            .iter()
            .find(|g| g.field == field)
            .and_then(|g| g.setting)
            .map(|(name, _)| name)
    }

    /// The kind's row of [`KINDS`].
    fn schema(self) -> Option<&'static Kind> {
        KINDS.iter().find(|k| k.kind == self)
    }
}

impl fmt::Display for IntegrationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Go type of a field, as far as reading it can fail, and whether it holds a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    /// `string`: any scalar.
    Str,
    /// Alertmanager's `Secret`: any scalar; a credential, which redaction replaces by
    /// `<secret>`.
    Secret,
    /// `*URL`: http or https with a host, or `<secret>`.
    Url,
    /// `*SecretURL`, or a `*URL` that carries a token in its path (webhooks): like `Url`, and
    /// a credential.
    SecretUrl,
    /// `bool` / `*bool`.
    Bool,
    /// `int64`.
    Int64,
    /// `uint64`.
    Uint64,
    /// Go's `time.Duration` read with `time.ParseDuration`.
    GoDuration,
    /// `map[string]string`.
    StrMap,
    /// `[]string`.
    StrList,
    /// `HostPort`: `host:port`.
    HostPort,
    /// `*commoncfg.HTTPClientConfig`.
    Http,
    /// `commoncfg.TLSConfig`.
    Tls,
    /// `*commoncfg.BasicAuth`, read by [`check_http`] with the rest of `http_config`.
    BasicAuth,
    /// `*commoncfg.Authorization`, read by [`check_http`].
    Authorization,
    /// `*commoncfg.OAuth2`, read by [`check_http`].
    OAuth2,
    /// `[]PagerdutyImage`.
    PdImages,
    /// `[]PagerdutyLink`.
    PdLinks,
    /// `[]*SlackField`.
    SlackFields,
    /// `[]*SlackAction`.
    SlackActions,
    /// `*SlackConfirmationField`, read with its Slack action.
    SlackConfirm,
    /// `[]OpsGenieConfigResponder`.
    Responders,
    /// `sigv4.SigV4Config`.
    SigV4,
}

impl Ty {
    /// Whether a field of this type holds a credential.
    fn is_secret(self) -> bool {
        matches!(self, Secret | SecretUrl)
    }

    /// The fields of a struct type (of each item, for a list of structs); none for the others.
    fn fields(self) -> &'static [(&'static str, Ty)] {
        match self {
            Http => HTTP_FIELDS,
            Tls => TLS_FIELDS,
            BasicAuth => BASIC_AUTH_FIELDS,
            Authorization => AUTHORIZATION_FIELDS,
            OAuth2 => OAUTH2_FIELDS,
            PdImages => IMAGE_FIELDS,
            PdLinks => LINK_FIELDS,
            SlackFields => SLACK_FIELD_FIELDS,
            SlackActions => SLACK_ACTION_FIELDS,
            SlackConfirm => CONFIRM_FIELDS,
            Responders => RESPONDER_FIELDS,
            SigV4 => SIGV4_FIELDS,
            Str | Secret | Url | SecretUrl | Bool | Int64 | Uint64 | GoDuration | StrMap
            | StrList | HostPort => &[],
        }
    }
}

/// A field an integration may leave to `global`: config.go's `Config.UnmarshalYAML` fills it
/// in from a global setting after every receiver is read, or refuses the config when the field
/// is needed and neither is set.
struct Global {
    /// The integration's field.
    field: &'static str,
    /// The `global` setting that fills it in, with its type; `None` for a field config.go
    /// requires at that point without a setting to fall back to.
    setting: Option<(&'static str, Ty)>,
    /// Whether `<field>_file` and `<setting>_file` count as set too.
    files: bool,
    /// Alertmanager's error when neither the field nor the setting is set; `None` for a field
    /// that may stay empty.
    missing: Option<&'static str>,
}

impl Global {
    /// `field`, filled in from the global `setting` of type `ty`.
    const fn from(field: &'static str, setting: &'static str, ty: Ty) -> Self {
        Self {
            field,
            setting: Some((setting, ty)),
            files: false,
            missing: None,
        }
    }

    /// `field`, which nothing fills in.
    const fn none(field: &'static str) -> Self {
        Self {
            field,
            setting: None,
            files: false,
            missing: None,
        }
    }

    /// The same, with `_file` twins of the field and of the setting.
    const fn files(self) -> Self {
        Self {
            files: true,
            ..self
        }
    }

    /// The same, refused with `message` when neither is set.
    const fn required(self, message: &'static str) -> Self {
        Self {
            missing: Some(message),
            ..self
        }
    }
}

/// One integration kind: whether it sends resolved notifications by default, whether it pages
/// a person, its fields (`send_resolved` is every kind's), and the fields it may leave to
/// `global`, in the order config.go fills them in.
struct Kind {
    kind: IntegrationKind,
    send_resolved: bool,
    pages: bool,
    fields: &'static [(&'static str, Ty)],
    globals: &'static [Global],
}

use Ty::*;

/// Every integration kind of Alertmanager 0.25, in the order config.go's
/// `Config.UnmarshalYAML` fills in their globals (and so reports a missing one).
const KINDS: &[Kind] = &[
    Kind {
        kind: IntegrationKind::Webhook,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("url", SecretUrl),
            ("max_alerts", Uint64),
        ],
        globals: &[],
    },
    Kind {
        kind: IntegrationKind::Email,
        send_resolved: false,
        pages: false,
        fields: &[
            ("to", Str),
            ("from", Str),
            ("hello", Str),
            ("smarthost", HostPort),
            ("auth_username", Str),
            ("auth_password", Secret),
            ("auth_password_file", Str),
            ("auth_secret", Secret),
            ("auth_identity", Str),
            ("headers", StrMap),
            ("html", Str),
            ("text", Str),
            ("require_tls", Bool),
            ("tls_config", Tls),
        ],
        globals: &[
            Global::from("smarthost", "smtp_smarthost", HostPort)
                .required("no global SMTP smarthost set"),
            Global::from("from", "smtp_from", Str).required("no global SMTP from set"),
            Global::from("hello", "smtp_hello", Str),
            Global::from("auth_username", "smtp_auth_username", Str),
            Global::from("auth_password", "smtp_auth_password", Secret).files(),
            Global::from("auth_secret", "smtp_auth_secret", Secret),
            Global::from("auth_identity", "smtp_auth_identity", Str),
            Global::from("require_tls", "smtp_require_tls", Bool),
        ],
    },
    Kind {
        kind: IntegrationKind::Slack,
        send_resolved: false,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("api_url", SecretUrl),
            ("api_url_file", Str),
            ("channel", Str),
            ("username", Str),
            ("color", Str),
            ("title", Str),
            ("title_link", Str),
            ("pretext", Str),
            ("text", Str),
            ("fields", SlackFields),
            ("short_fields", Bool),
            ("footer", Str),
            ("fallback", Str),
            ("callback_id", Str),
            ("icon_emoji", Str),
            ("icon_url", Str),
            ("image_url", Str),
            ("thumb_url", Str),
            ("link_names", Bool),
            ("mrkdwn_in", StrList),
            ("actions", SlackActions),
        ],
        globals: &[Global::from("api_url", "slack_api_url", SecretUrl)
            .files()
            .required("no global Slack API URL set either inline or in a file")],
    },
    Kind {
        kind: IntegrationKind::Pushover,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("user_key", Secret),
            ("token", Secret),
            ("title", Str),
            ("message", Str),
            ("url", Str),
            ("url_title", Str),
            ("sound", Str),
            ("priority", Str),
            ("retry", GoDuration),
            ("expire", GoDuration),
            ("html", Bool),
        ],
        globals: &[],
    },
    Kind {
        kind: IntegrationKind::PagerDuty,
        send_resolved: true,
        pages: true,
        fields: &[
            ("http_config", Http),
            ("service_key", Secret),
            ("service_key_file", Str),
            ("routing_key", Secret),
            ("routing_key_file", Str),
            ("url", Url),
            ("client", Str),
            ("client_url", Str),
            ("description", Str),
            ("details", StrMap),
            ("images", PdImages),
            ("links", PdLinks),
            ("source", Str),
            ("severity", Str),
            ("class", Str),
            ("component", Str),
            ("group", Str),
        ],
        globals: &[Global::from("url", "pagerduty_url", Url)],
    },
    Kind {
        kind: IntegrationKind::OpsGenie,
        send_resolved: true,
        pages: true,
        fields: &[
            ("http_config", Http),
            ("api_key", Secret),
            ("api_key_file", Str),
            ("api_url", Url),
            ("message", Str),
            ("description", Str),
            ("source", Str),
            ("details", StrMap),
            ("entity", Str),
            ("responders", Responders),
            ("actions", Str),
            ("tags", Str),
            ("note", Str),
            ("priority", Str),
            ("update_alerts", Bool),
        ],
        globals: &[
            Global::from("api_url", "opsgenie_api_url", Url),
            Global::from("api_key", "opsgenie_api_key", Secret)
                .files()
                .required("no global OpsGenie API Key set either inline or in a file"),
        ],
    },
    Kind {
        kind: IntegrationKind::WeChat,
        send_resolved: false,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("api_secret", Secret),
            ("corp_id", Str),
            ("message", Str),
            ("api_url", Url),
            ("to_user", Str),
            ("to_party", Str),
            ("to_tag", Str),
            ("agent_id", Str),
            ("message_type", Str),
        ],
        globals: &[
            Global::from("api_url", "wechat_api_url", Url),
            Global::from("api_secret", "wechat_api_secret", Secret)
                .required("no global Wechat ApiSecret set"),
            Global::from("corp_id", "wechat_api_corp_id", Str)
                .required("no global Wechat CorpID set"),
        ],
    },
    Kind {
        kind: IntegrationKind::VictorOps,
        send_resolved: true,
        pages: true,
        fields: &[
            ("http_config", Http),
            ("api_key", Secret),
            ("api_key_file", Str),
            ("api_url", Url),
            ("routing_key", Str),
            ("message_type", Str),
            ("state_message", Str),
            ("entity_display_name", Str),
            ("monitoring_tool", Str),
            ("custom_fields", StrMap),
        ],
        globals: &[
            Global::from("api_url", "victorops_api_url", Url),
            Global::from("api_key", "victorops_api_key", Secret)
                .files()
                .required("no global VictorOps API Key set"),
        ],
    },
    Kind {
        kind: IntegrationKind::Sns,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("api_url", Str),
            ("sigv4", SigV4),
            ("topic_arn", Str),
            ("phone_number", Str),
            ("target_arn", Str),
            ("subject", Str),
            ("message", Str),
            ("attributes", StrMap),
        ],
        globals: &[],
    },
    Kind {
        kind: IntegrationKind::Telegram,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("api_url", Url),
            ("bot_token", Secret),
            ("chat_id", Int64),
            ("message", Str),
            ("disable_notifications", Bool),
            ("parse_mode", Str),
        ],
        globals: &[Global::from("api_url", "telegram_api_url", Url)],
    },
    Kind {
        kind: IntegrationKind::Discord,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("webhook_url", SecretUrl),
            ("title", Str),
            ("message", Str),
        ],
        // config.go checks the webhook URL with the globals, though none can fill it in.
        globals: &[Global::none("webhook_url").required("no discord webhook URL provided")],
    },
    Kind {
        kind: IntegrationKind::Webex,
        send_resolved: true,
        pages: false,
        fields: &[
            ("http_config", Http),
            ("api_url", Url),
            ("message", Str),
            ("room_id", Str),
        ],
        globals: &[Global::from("api_url", "webex_api_url", Url)],
    },
];

/// Whether `kind`'s integrations send resolved notifications unless told otherwise.
pub fn send_resolved_default(kind: &str) -> Option<bool> {
    IntegrationKind::from_name(kind).map(IntegrationKind::send_resolved_default)
}

/// Every field name that holds a credential somewhere in alertmanager.yml: the fields typed
/// [`Ty::Secret`] or [`Ty::SecretUrl`] in every kind, in the structs nested in them, and the
/// `global` settings that fill them in. Redaction goes by these names wherever they appear,
/// so a name that is a credential in one place is hidden in all.
pub(crate) fn secret_fields() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    let mut keep = |name: &'static str, ty: Ty| {
        if ty.is_secret() && !names.contains(&name) {
            names.push(name);
        }
    };
    for (name, ty) in KINDS
        .iter()
        .flat_map(|k| k.globals)
        .filter_map(|g| g.setting)
    {
        keep(name, ty);
    }
    // The nested struct types are walked from every kind's fields; the schema has no cycles.
    let mut todo: Vec<&'static [(&'static str, Ty)]> = KINDS.iter().map(|k| k.fields).collect();
    while let Some(fields) = todo.pop() {
        for &(name, ty) in fields {
            keep(name, ty);
            todo.push(ty.fields());
        }
    }
    names
}

/// The fields of the structs nested in integrations.
const HTTP_FIELDS: &[(&str, Ty)] = &[
    ("basic_auth", BasicAuth),
    ("authorization", Authorization),
    ("oauth2", OAuth2),
    ("bearer_token", Secret),
    ("bearer_token_file", Str),
    ("tls_config", Tls),
    ("proxy_url", Str),
    ("proxy_connect_header", StrMap),
    ("follow_redirects", Bool),
    ("enable_http2", Bool),
];
const BASIC_AUTH_FIELDS: &[(&str, Ty)] = &[
    ("username", Str),
    ("password", Secret),
    ("password_file", Str),
];
const AUTHORIZATION_FIELDS: &[(&str, Ty)] = &[
    ("type", Str),
    ("credentials", Secret),
    ("credentials_file", Str),
];
const OAUTH2_FIELDS: &[(&str, Ty)] = &[
    ("client_id", Str),
    ("client_secret", Secret),
    ("client_secret_file", Str),
    ("scopes", StrList),
    ("token_url", Str),
    ("endpoint_params", StrMap),
    ("tls_config", Tls),
    ("proxy_url", Str),
    ("proxy_connect_header", StrMap),
];
const TLS_FIELDS: &[(&str, Ty)] = &[
    ("ca_file", Str),
    ("cert_file", Str),
    ("key_file", Str),
    ("server_name", Str),
    ("insecure_skip_verify", Bool),
    ("min_version", Str),
    ("max_version", Str),
];
const IMAGE_FIELDS: &[(&str, Ty)] = &[("src", Str), ("alt", Str), ("href", Str)];
const LINK_FIELDS: &[(&str, Ty)] = &[("href", Str), ("text", Str)];
const SLACK_FIELD_FIELDS: &[(&str, Ty)] = &[("title", Str), ("value", Str), ("short", Bool)];
const SLACK_ACTION_FIELDS: &[(&str, Ty)] = &[
    ("type", Str),
    ("text", Str),
    ("url", Str),
    ("style", Str),
    ("name", Str),
    ("value", Str),
    ("confirm", SlackConfirm),
];
const CONFIRM_FIELDS: &[(&str, Ty)] = &[
    ("text", Str),
    ("title", Str),
    ("ok_text", Str),
    ("dismiss_text", Str),
];
const RESPONDER_FIELDS: &[(&str, Ty)] =
    &[("id", Str), ("name", Str), ("username", Str), ("type", Str)];
const SIGV4_FIELDS: &[(&str, Ty)] = &[
    ("region", Str),
    ("access_key", Str),
    // Go types `secret_key` as `Secret`; it is `Str` here, so redaction leaves it as written.
    ("secret_key", Str),
    ("profile", Str),
    ("role_arn", Str),
];

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
pub(crate) fn check_with_global(rcv: &Receiver, g: &dyn Fn(&str) -> Option<String>) -> Result<()> {
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
                    return Err(integ.pos.error(message));
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
