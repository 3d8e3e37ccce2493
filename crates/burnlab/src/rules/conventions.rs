//! Every recording-rule name, label name and group name burnlab generates, in one place, so the
//! generator, the linter, the runbooks and the tests can never disagree about a series name.
//! The shapes follow Sloth's (`slo:sli_error:ratio_rate5m`), so dashboards built for Sloth's
//! series read burnlab's too; the identifying labels are burnlab's own.

use crate::duration::Duration;

/// The label holding the SLO's id, `<service>-<slo>`: the one label every burnlab series and
/// alert carries, so an `and` between two of them always matches.
pub const LABEL_ID: &str = "burnlab_id";
/// The label holding the service name on every recording.
pub const LABEL_SERVICE: &str = "burnlab_service";
/// The label holding the SLO name on every recording.
pub const LABEL_SLO: &str = "burnlab_slo";

/// Prometheus's label naming an alert: the first thing a routing tree groups by.
pub const LABEL_ALERTNAME: &str = "alertname";
/// The alert label saying who is told: `page` or `ticket`.
pub const LABEL_SEVERITY: &str = "severity";
/// The alert label naming the SLO.
pub const LABEL_ALERT_SLO: &str = "slo";
/// The alert label naming the tier's long window (`1h`); `, `-joined when alerts are grouped.
pub const LABEL_LONG_WINDOW: &str = "long_window";
/// The alert label naming the tier's short window (`5m`).
pub const LABEL_SHORT_WINDOW: &str = "short_window";

/// The annotation holding the runbook link; pages without it are a lint finding.
pub const ANNOTATION_RUNBOOK: &str = "runbook_url";
/// The annotation holding the dashboard link.
pub const ANNOTATION_DASHBOARD: &str = "dashboard_url";
/// The one-line annotation.
pub const ANNOTATION_SUMMARY: &str = "summary";
/// The annotation with the figures.
pub const ANNOTATION_DESCRIPTION: &str = "description";

/// The placeholder Sloth's queries use for the window: `rate(x[{{.window}}])`.
pub const WINDOW_PLACEHOLDER: &str = "{{.window}}";

/// The prefix of every recording-rule name burnlab writes; the linter treats a name with a colon
/// as a recording rule's, as the Prometheus naming guide does.
pub const RECORD_PREFIX: &str = "slo:";

/// The SLO's objective as a ratio (0.999).
pub const RECORD_OBJECTIVE: &str = "slo:objective:ratio";
/// The error budget as a ratio (0.001).
pub const RECORD_BUDGET: &str = "slo:error_budget:ratio";
/// The period in days (30).
pub const RECORD_PERIOD_DAYS: &str = "slo:time_period:days";
/// The burn rate over the shortest recorded window.
pub const RECORD_CURRENT_BURN_RATE: &str = "slo:current_burn_rate:ratio";

/// The recording of the error ratio over `window`: `slo:sli_error:ratio_rate5m`.
pub fn error_ratio_record(window: Duration) -> String {
    format!("slo:sli_error:ratio_rate{window}")
}

/// The recording of the request rate over `window`, used by the traffic floor:
/// `slo:sli_total:rate1h`.
pub fn total_rate_record(window: Duration) -> String {
    format!("slo:sli_total:rate{window}")
}

/// The SLO's id: `<service>-<slo>`, as Sloth forms it.
pub fn slo_id(service: &str, slo: &str) -> String {
    format!("{service}-{slo}")
}

/// The group holding an SLO's SLI recordings followed by its alerts. They share a group on
/// purpose: rules in a group run in order at the same instant, so an alert always reads the
/// recordings of the same evaluation rather than those of the previous one.
pub fn sli_and_alerts_group(id: &str) -> String {
    format!("burnlab-slo-{id}")
}

/// The group holding an SLO's metadata recordings (objective, budget, period).
pub fn meta_group(id: &str) -> String {
    format!("burnlab-slo-meta-{id}")
}

/// The PrometheusRule manifest's API version.
pub const MANIFEST_API_VERSION: &str = "monitoring.coreos.com/v1";
/// The PrometheusRule manifest's kind.
pub const MANIFEST_KIND: &str = "PrometheusRule";
/// The label the Prometheus Operator's `ruleSelector` usually selects on; a manifest without the
/// right value is silently ignored, which the lesson warns about.
pub const MANIFEST_RELEASE_LABEL: &str = "release";
/// The default value of the `release` label: kube-prometheus-stack installed as `prometheus`.
pub const DEFAULT_RELEASE: &str = "prometheus";
/// The default namespace of the manifest.
pub const DEFAULT_NAMESPACE: &str = "monitoring";
