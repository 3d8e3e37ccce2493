//! The raw SLO spec: the spec in the shape of Sloth's `prometheus/v1` file with burnlab's
//! additions, every value located and none of them checked yet. Both readers produce it —
//! [`crate::rules::sloth`] field for field from a Sloth spec, [`crate::rules::openslo`] by
//! mapping an OpenSLO v1 `SLO` document onto it — and [`crate::rules::spec`] validates it into
//! the types the generator uses, so the checks, defaults and messages are the same whichever
//! format was read.

use crate::rules::read::Located;

/// The spec file as written, every value located.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSpec {
    /// `version`: must be `prometheus/v1`.
    pub version: Located<String>,
    /// `service`.
    pub service: Located<String>,
    /// `labels`, added to every recording and alert.
    pub labels: Vec<(String, String)>,
    /// `slos`.
    pub slos: Vec<RawSlo>,
    /// `burnlab`: defaults for every SLO, and the manifest's metadata.
    pub burnlab: RawOptions,
}

/// One entry of `slos`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSlo {
    /// `name`.
    pub name: Located<String>,
    /// `objective`, a percentage.
    pub objective: Located<String>,
    /// `description`.
    pub description: String,
    /// `labels`.
    pub labels: Vec<(String, String)>,
    /// `sli`.
    pub sli: Located<RawSli>,
    /// `alerting`.
    pub alerting: RawAlerting,
    /// `burnlab`: overrides of the top-level defaults.
    pub burnlab: RawOptions,
}

/// `sli`: exactly one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum RawSli {
    /// `events`: `error_query` and `total_query`, both with `{{.window}}`.
    Events {
        /// `error_query`.
        error_query: Located<String>,
        /// `total_query`.
        total_query: Located<String>,
    },
    /// `raw`: `error_ratio_query` with `{{.window}}`.
    Raw {
        /// `error_ratio_query`.
        error_ratio_query: Located<String>,
    },
    /// `latency` (burnlab's): a histogram and the bucket at the threshold.
    Latency {
        /// `metric`: the histogram's name without `_bucket`.
        metric: Located<String>,
        /// `le`: the bucket bound that is the threshold, as the histogram writes it.
        le: Located<String>,
        /// `matchers`: equality matchers selecting the service's series.
        matchers: Vec<(String, String)>,
    },
}

/// `alerting`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawAlerting {
    /// `name`: the alert name.
    pub name: Option<Located<String>>,
    /// `labels` on both alerts.
    pub labels: Vec<(String, String)>,
    /// `annotations` on both alerts.
    pub annotations: Vec<(String, String)>,
    /// `page_alert`.
    pub page_alert: RawAlert,
    /// `ticket_alert`.
    pub ticket_alert: RawAlert,
}

/// `page_alert` or `ticket_alert`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawAlert {
    /// `disable`.
    pub disable: bool,
    /// `labels`.
    pub labels: Vec<(String, String)>,
    /// `annotations`.
    pub annotations: Vec<(String, String)>,
}

/// burnlab's additions; every field optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawOptions {
    /// `period`.
    pub period: Option<Located<String>>,
    /// `tiers`: a preset name.
    pub tiers: Option<Located<String>>,
    /// `scaling`.
    pub scaling: Option<Located<String>>,
    /// `for`: long window → `for`.
    pub for_by_window: Vec<(Located<String>, Located<String>)>,
    /// `runbook_url`.
    pub runbook_url: Option<Located<String>>,
    /// `dashboard_url`.
    pub dashboard_url: Option<Located<String>>,
    /// `traffic_floor`: a request rate.
    pub traffic_floor: Option<Located<String>>,
    /// `manifest` (top level only).
    pub manifest: Option<RawManifest>,
}

/// `burnlab.manifest`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawManifest {
    /// `name`.
    pub name: Option<Located<String>>,
    /// `namespace`.
    pub namespace: Option<Located<String>>,
    /// `labels`.
    pub labels: Vec<(String, String)>,
}
