//! What burnlab knows about each Alertmanager 0.25 integration kind, in one table: [`KINDS`]
//! holds every kind's fields and their Go types (credentials typed [`Ty::Secret`] or
//! [`Ty::SecretUrl`]), whether it sends resolved notifications by default, whether it pages a
//! person, and which fields it may leave to `global`. [`IntegrationKind`] names the kinds.
//! The reader and the checks that use the table are in `integrations`; this module depends on
//! nothing else of the config, so the config's model can name a kind.

use std::fmt;

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
    pub(super) fn schema(self) -> Option<&'static Kind> {
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
pub(super) enum Ty {
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
    /// `*commoncfg.BasicAuth`, read by `integrations::check_http` with the rest of `http_config`.
    BasicAuth,
    /// `*commoncfg.Authorization`, read by `integrations::check_http`.
    Authorization,
    /// `*commoncfg.OAuth2`, read by `integrations::check_http`.
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
    pub(super) fn is_secret(self) -> bool {
        matches!(self, Secret | SecretUrl)
    }

    /// The fields of a struct type (of each item, for a list of structs); none for the others.
    pub(super) fn fields(self) -> &'static [(&'static str, Ty)] {
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
pub(super) struct Global {
    /// The integration's field.
    pub(super) field: &'static str,
    /// The `global` setting that fills it in, with its type; `None` for a field config.go
    /// requires at that point without a setting to fall back to.
    pub(super) setting: Option<(&'static str, Ty)>,
    /// Whether `<field>_file` and `<setting>_file` count as set too.
    pub(super) files: bool,
    /// Alertmanager's error when neither the field nor the setting is set; `None` for a field
    /// that may stay empty.
    pub(super) missing: Option<&'static str>,
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
pub(super) struct Kind {
    pub(super) kind: IntegrationKind,
    pub(super) send_resolved: bool,
    pub(super) pages: bool,
    pub(super) fields: &'static [(&'static str, Ty)],
    pub(super) globals: &'static [Global],
}

use Ty::*;

/// Every integration kind of Alertmanager 0.25, in the order config.go's
/// `Config.UnmarshalYAML` fills in their globals (and so reports a missing one).
pub(super) const KINDS: &[Kind] = &[
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
pub(super) const HTTP_FIELDS: &[(&str, Ty)] = &[
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
pub(super) const BASIC_AUTH_FIELDS: &[(&str, Ty)] = &[
    ("username", Str),
    ("password", Secret),
    ("password_file", Str),
];
pub(super) const AUTHORIZATION_FIELDS: &[(&str, Ty)] = &[
    ("type", Str),
    ("credentials", Secret),
    ("credentials_file", Str),
];
pub(super) const OAUTH2_FIELDS: &[(&str, Ty)] = &[
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
pub(super) const TLS_FIELDS: &[(&str, Ty)] = &[
    ("ca_file", Str),
    ("cert_file", Str),
    ("key_file", Str),
    ("server_name", Str),
    ("insecure_skip_verify", Bool),
    ("min_version", Str),
    ("max_version", Str),
];
pub(super) const IMAGE_FIELDS: &[(&str, Ty)] = &[("src", Str), ("alt", Str), ("href", Str)];
pub(super) const LINK_FIELDS: &[(&str, Ty)] = &[("href", Str), ("text", Str)];
pub(super) const SLACK_FIELD_FIELDS: &[(&str, Ty)] =
    &[("title", Str), ("value", Str), ("short", Bool)];
pub(super) const SLACK_ACTION_FIELDS: &[(&str, Ty)] = &[
    ("type", Str),
    ("text", Str),
    ("url", Str),
    ("style", Str),
    ("name", Str),
    ("value", Str),
    ("confirm", SlackConfirm),
];
pub(super) const CONFIRM_FIELDS: &[(&str, Ty)] = &[
    ("text", Str),
    ("title", Str),
    ("ok_text", Str),
    ("dismiss_text", Str),
];
pub(super) const RESPONDER_FIELDS: &[(&str, Ty)] =
    &[("id", Str), ("name", Str), ("username", Str), ("type", Str)];
pub(super) const SIGV4_FIELDS: &[(&str, Ty)] = &[
    ("region", Str),
    ("access_key", Str),
    // `sigv4.SigV4Config.SecretKey` is a `Secret`: redaction hides it.
    ("secret_key", Secret),
    ("profile", Str),
    ("role_arn", Str),
];
