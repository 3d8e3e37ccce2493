//! OpenSLO v1 `SLO` documents, where they map cleanly onto burnlab's spec.
//!
//! Mapped: `metadata.name` (the SLO name without a leading `<service>-`, and in CamelCase the
//! alert name), `spec.service`,
//! `spec.description`, an inline `spec.indicator` with a `ratioMetric` whose `good` or `bad` and
//! `total` are Prometheus sources, one rolling `timeWindow` (the period) and one objective's
//! `target` (a ratio, 0.999).
//!
//! Not mapped, each refused with a located error rather than guessed at: `indicatorRef` (the SLI
//! lives in another document), `thresholdMetric` and `rawMetric` indicators, non-Prometheus
//! sources, `counter: false` (gauges have no rate to window), calendar windows, `Timeslices`
//! budgeting, several objectives, and `alertPolicies` (burnlab writes its own multiwindow
//! alerts; the tier set is chosen in burnlab, not in the document). A counter query must be a
//! plain selector, because burnlab wraps it in `sum(rate(…[window]))`.

use crate::error::{Error, Result};
use crate::rules::raw::{RawAlerting, RawOptions, RawSli, RawSlo, RawSpec};
use crate::rules::read::{self, Located};
use crate::yaml::Node;

/// Whether a parsed document is an OpenSLO one.
pub fn is_openslo(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::scalar)
        .is_some_and(|v| v.starts_with("openslo/"))
}

fn field<'a>(node: &'a Node, path: &str, name: &str) -> Result<&'a Node> {
    node.get(name).ok_or_else(|| {
        node.error(
            read::join(path, name),
            format!("is missing: burnlab needs `{name}` here"),
        )
    })
}

fn unmapped(node: &Node, path: &str, why: &str) -> Error {
    node.error(path, format!("does not map onto burnlab: {why}"))
}

/// `task-api-availability` → `TaskApiAvailability`.
fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A counter source's query wrapped into a windowed rate.
fn source(node: &Node, path: &str) -> Result<Located<String>> {
    let ms_path = read::join(path, "metricSource");
    let ms = field(node, path, "metricSource")?;
    read::mapping(ms, &ms_path, &["metricSourceRef", "type", "spec"])?;
    if ms.get("metricSourceRef").is_some() {
        return Err(unmapped(
            ms,
            &ms_path,
            "a `metricSourceRef` points at another document; write the query inline",
        ));
    }
    let ty = read::string(field(ms, &ms_path, "type")?, &read::join(&ms_path, "type"))?;
    if !ty.value.eq_ignore_ascii_case("prometheus") {
        return Err(ty.error(format!("`{}` is not a Prometheus source", ty.value)));
    }
    let spec_path = read::join(&ms_path, "spec");
    let spec = field(ms, &ms_path, "spec")?;
    let q_path = read::join(&spec_path, "query");
    let q = read::string(field(spec, &spec_path, "query")?, &q_path)?;
    let query = q.value.trim();
    if query.is_empty() || query.contains(['(', '[', ' ']) {
        return Err(q.error(
            "does not map onto burnlab: a counter query must be a plain selector such as \
             http_requests_total{code=~\"5..\"}, which burnlab wraps in sum(rate(…[window]))",
        ));
    }
    Ok(Located {
        value: format!("sum(rate({query}[{{{{.window}}}}]))"),
        path: q.path,
        at: q.at,
    })
}

/// Reads an OpenSLO v1 `SLO` into burnlab's raw spec; validation then runs as for a Sloth spec.
pub fn raw_spec(root: &Node) -> Result<RawSpec> {
    read::mapping(root, "", &["apiVersion", "kind", "metadata", "spec"])?;
    let version = read::string(field(root, "", "apiVersion")?, "apiVersion")?;
    if version.value != "openslo/v1" {
        return Err(version.error(format!(
            "`{}` is not supported: burnlab reads openslo/v1",
            version.value
        )));
    }
    let kind = read::string(field(root, "", "kind")?, "kind")?;
    if kind.value != "SLO" {
        return Err(kind.error(format!(
            "`{}` does not map onto burnlab: give an SLO document",
            kind.value
        )));
    }
    let meta = field(root, "", "metadata")?;
    let name = read::string(field(meta, "metadata", "name")?, "metadata.name")?;
    let spec = field(root, "", "spec")?;
    read::mapping(
        spec,
        "spec",
        &[
            "description",
            "service",
            "indicator",
            "indicatorRef",
            "timeWindow",
            "budgetingMethod",
            "objectives",
            "alertPolicies",
        ],
    )?;
    if let Some(n) = spec.get("indicatorRef") {
        return Err(unmapped(
            n,
            "spec.indicatorRef",
            "the indicator lives in another document; write it inline under `indicator`",
        ));
    }
    if let Some(n) = spec.get("alertPolicies") {
        return Err(unmapped(
            n,
            "spec.alertPolicies",
            "burnlab writes its own multiwindow alerts; remove the policies and pick a tier set with burnlab",
        ));
    }
    if let Some(n) = spec.get("budgetingMethod") {
        let m = read::string(n, "spec.budgetingMethod")?;
        if m.value != "Occurrences" {
            return Err(m.error(
                "does not map onto burnlab: only `Occurrences` budgeting is a ratio of events",
            ));
        }
    }
    let service = read::string(field(spec, "spec", "service")?, "spec.service")?;
    let description = match spec.get("description") {
        Some(d) => read::string(d, "spec.description")?.value,
        None => String::new(),
    };
    let windows = read::items(field(spec, "spec", "timeWindow")?, "spec.timeWindow")?;
    let [window] = windows else {
        return Err(unmapped(
            field(spec, "spec", "timeWindow")?,
            "spec.timeWindow",
            "give exactly one window",
        ));
    };
    let wp = "spec.timeWindow[0]";
    read::mapping(window, wp, &["duration", "isRolling", "calendar"])?;
    if window.get("calendar").is_some()
        || window
            .get("isRolling")
            .is_some_and(|r| r.scalar() == Some("false"))
    {
        return Err(unmapped(
            window,
            wp,
            "calendar windows reset the budget on a date; burnlab's periods roll",
        ));
    }
    let period = read::string(field(window, wp, "duration")?, &read::join(wp, "duration"))?;
    let objectives = read::items(field(spec, "spec", "objectives")?, "spec.objectives")?;
    let [objective] = objectives else {
        return Err(unmapped(
            field(spec, "spec", "objectives")?,
            "spec.objectives",
            "give exactly one objective",
        ));
    };
    let target = read::string(
        field(objective, "spec.objectives[0]", "target")?,
        "spec.objectives[0].target",
    )?;
    let ratio: f64 = target.value.trim().parse().map_err(|_| {
        target.error(format!(
            "`{}` is not a number: OpenSLO targets are ratios like 0.999",
            target.value
        ))
    })?;
    // OpenSLO writes the target as a ratio of good events, where a Sloth spec writes a
    // percentage: a number above 1 is most likely a percentage written in the wrong format.
    if !(ratio > 0.0 && ratio <= 1.0) {
        let hint = if ratio > 1.0 && ratio <= 100.0 {
            format!(
                "; for {} % write {}",
                crate::format::decimal(ratio),
                crate::format::decimal(crate::numeric::settle(ratio / 100.0))
            )
        } else {
            String::new()
        };
        return Err(target.error(format!(
            "`{}` is outside (0, 1]: OpenSLO targets are ratios of good events, like 0.999 for 99.9 %{hint}",
            target.value.trim()
        )));
    }
    let ind = field(spec, "spec", "indicator")?;
    let ind_spec = field(ind, "spec.indicator", "spec")?;
    let isp = "spec.indicator.spec";
    read::mapping(ind_spec, isp, &["ratioMetric", "thresholdMetric"])?;
    if let Some(n) = ind_spec.get("thresholdMetric") {
        return Err(unmapped(
            n,
            "spec.indicator.spec.thresholdMetric",
            "a threshold metric is not a ratio of events; use a ratioMetric (or burnlab's latency SLI)",
        ));
    }
    let rp = "spec.indicator.spec.ratioMetric";
    let ratio_metric = field(ind_spec, isp, "ratioMetric")?;
    read::mapping(
        ratio_metric,
        rp,
        &["counter", "good", "bad", "total", "rawType", "raw"],
    )?;
    if let Some(n) = ratio_metric.get("raw") {
        return Err(unmapped(
            n,
            &read::join(rp, "raw"),
            "a precomputed ratio has no windows to record",
        ));
    }
    if ratio_metric.get("counter").and_then(Node::scalar) != Some("true") {
        return Err(unmapped(
            ratio_metric,
            rp,
            "burnlab needs `counter: true`: a gauge has no rate over a window",
        ));
    }
    let total = source(field(ratio_metric, rp, "total")?, &read::join(rp, "total"))?;
    let error_query = match (ratio_metric.get("bad"), ratio_metric.get("good")) {
        (Some(bad), _) => source(bad, &read::join(rp, "bad"))?,
        (None, Some(good)) => {
            let good = source(good, &read::join(rp, "good"))?;
            Located {
                value: format!("{} - {}", total.value, good.value),
                ..good
            }
        }
        (None, None) => return Err(ratio_metric.error(rp, "needs `good` or `bad` beside `total`")),
    };
    let objective_percent = Located {
        value: crate::format::decimal(ratio * 100.0),
        ..target
    };
    let alert_name = Located {
        value: camel(&name.value),
        ..name.clone()
    };
    // `task-api-availability` of service `task-api` is the SLO `availability`, so the id reads
    // `task-api-availability` rather than repeating the service.
    let slo_name = Located {
        value: name
            .value
            .strip_prefix(&format!("{}-", service.value))
            .filter(|rest| !rest.is_empty())
            .unwrap_or(&name.value)
            .to_owned(),
        ..name.clone()
    };
    Ok(RawSpec {
        version: Located {
            value: "prometheus/v1".into(),
            ..version
        },
        service,
        labels: Vec::new(),
        slos: vec![RawSlo {
            name: slo_name,
            objective: objective_percent,
            description,
            labels: Vec::new(),
            sli: Located {
                value: RawSli::Events {
                    error_query,
                    total_query: total,
                },
                path: "spec.indicator".into(),
                at: (ind.line, ind.column),
            },
            alerting: RawAlerting {
                name: Some(alert_name),
                ..RawAlerting::default()
            },
            burnlab: RawOptions {
                period: Some(period),
                ..RawOptions::default()
            },
        }],
        burnlab: RawOptions::default(),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::spec::Spec;

    const GOOD: &str = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicator:
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{code=\"500\"}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total
  timeWindow:
    - duration: 30d
      isRolling: true
  objectives:
    - target: 0.999
";

    /// Parses `GOOD` with `from` replaced by `to`; compares the error (or `ok`) with `expect`.
    fn check(from: &str, to: &str, expect: &str) {
        assert!(GOOD.contains(from), "{from}");
        let got = match Spec::parse(&GOOD.replacen(from, to, 1)) {
            Ok(spec) => format!(
                "ok {} {}",
                spec.slos[0].alert_name,
                spec.slos[0].objective.percent()
            ),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn a_ratio_slo_maps_with_its_target_as_a_percentage() {
        check("", "", "ok ApiAvailability 99.9");
    }

    #[test]
    fn what_does_not_map_is_refused_where_it_is_written() {
        check(
            "  objectives:",
            "  alertPolicies: [fast-burn]\n  objectives:",
            "line 24, column 18: spec.alertPolicies: does not map onto burnlab: burnlab writes its own \
             multiwindow alerts; remove the policies and pick a tier set with burnlab",
        );
        check(
            "      isRolling: true",
            "      isRolling: false",
            "line 22, column 7: spec.timeWindow[0]: does not map onto burnlab: calendar windows \
             reset the budget on a date; burnlab's periods roll",
        );
        check(
            "type: Prometheus",
            "type: Datadog",
            "line 13, column 19: spec.indicator.spec.ratioMetric.bad.metricSource.type: `Datadog` \
             is not a Prometheus source",
        );
        check(
            "query: http_requests_total\n",
            "query: sum(rate(http_requests_total[5m]))\n",
            "line 20, column 22: spec.indicator.spec.ratioMetric.total.metricSource.spec.query: does \
             not map onto burnlab: a counter query must be a plain selector such as \
             http_requests_total{code=~\"5..\"}, which burnlab wraps in sum(rate(…[window]))",
        );
        check(
            "target: 0.999",
            "target: 1.2",
            "line 25, column 15: spec.objectives[0].target: `1.2` is outside (0, 1]: OpenSLO \
             targets are ratios of good events, like 0.999 for 99.9 %; for 1.2 % write 0.012",
        );
    }
}
