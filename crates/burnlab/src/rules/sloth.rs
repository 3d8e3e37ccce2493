//! Sloth's `prometheus/v1` spec file, read unchanged so existing users can paste theirs, plus
//! burnlab's additions under a `burnlab:` key (at the top for defaults, in an SLO to override
//! them) and a latency SLI under `sli.latency`.
//!
//! [`raw_spec`] reads the located YAML tree into the [`RawSpec`] field for field: the
//! structure is checked here (unknown fields, missing ones, one kind of SLI), the values later,
//! by [`crate::rules::spec`]. Every error names the field path and the line and column.
//!
//! ```yaml
//! version: prometheus/v1
//! service: task-api
//! burnlab:                       # burnlab's additions; all optional
//!   period: 30d                  # default 30d
//!   tiers: workbook              # workbook, workbook-daily, sloth or pyrra
//!   scaling: budget-share        # or factors; default: the tier set's own tool's
//!   for: {1h: 2m, 6h: 15m}       # `for` per tier, keyed by the tier's long window
//!   runbook_url: https://runbooks.example.com/task-api
//!   dashboard_url: https://grafana.example.com/d/task-api
//!   traffic_floor: 1/s           # pages need at least this request rate
//!   manifest: {name: task-api-slo, namespace: monitoring, labels: {release: prometheus}}
//! slos:
//!   - name: latency
//!     objective: 99
//!     sli:
//!       latency:                 # errors = all requests − requests under the threshold
//!         metric: http_request_duration_seconds
//!         le: "0.3"
//!         matchers: {job: task-api}
//! ```

use crate::error::{Error, Result};
use crate::rules::raw::{RawAlert, RawAlerting, RawManifest, RawOptions, RawSli, RawSlo, RawSpec};
use crate::rules::read::{self, Located};
use crate::yaml::Node;

/// Reads a Sloth spec's parsed tree; the structure is checked, the values are not yet.
pub fn raw_spec(root: &Node) -> Result<RawSpec> {
    let entries = read::mapping(
        root,
        "",
        &["version", "service", "labels", "slos", "burnlab"],
    )
    .map_err(|e| {
        if e.field.is_empty() {
            Error {
                field: "spec".into(),
                ..e
            }
        } else {
            e
        }
    })?;
    let mut version = None;
    let mut service = None;
    let mut labels = Vec::new();
    let mut slos = Vec::new();
    let mut burnlab = RawOptions::default();
    for (k, v) in entries {
        match k.scalar().unwrap_or_default() {
            "version" => version = Some(read::string(v, "version")?),
            "service" => service = Some(read::string(v, "service")?),
            "labels" => labels = read::template_map(v, "labels")?,
            "slos" => {
                for (i, item) in read::items(v, "slos")?.iter().enumerate() {
                    slos.push(read_slo(item, &format!("slos[{i}]"))?);
                }
            }
            _ => burnlab = read_options(v, "burnlab", true)?,
        }
    }
    let missing =
        |field: &str| root.error(field, format!("is missing: the spec needs a `{field}`"));
    Ok(RawSpec {
        version: version.ok_or_else(|| missing("version"))?,
        service: service.ok_or_else(|| missing("service"))?,
        labels,
        slos,
        burnlab,
    })
}

fn read_slo(node: &Node, path: &str) -> Result<RawSlo> {
    let entries = read::mapping(
        node,
        path,
        &[
            "name",
            "objective",
            "description",
            "labels",
            "sli",
            "alerting",
            "burnlab",
        ],
    )?;
    let (mut name, mut objective, mut sli) = (None, None, None);
    let mut slo_labels = Vec::new();
    let mut description = String::new();
    let mut alerting = RawAlerting::default();
    let mut burnlab = RawOptions::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "name" => name = Some(read::string(v, &p)?),
            "objective" => objective = Some(read::string(v, &p)?),
            "description" => description = read::string(v, &p)?.value,
            "labels" => slo_labels = read::template_map(v, &p)?,
            "sli" => sli = Some(read_sli(v, &p)?),
            "alerting" => alerting = read_alerting(v, &p)?,
            _ => burnlab = read_options(v, &p, false)?,
        }
    }
    let missing = |field: &str| {
        node.error(
            read::join(path, field),
            format!("is missing: every SLO needs a `{field}`"),
        )
    };
    Ok(RawSlo {
        name: name.ok_or_else(|| missing("name"))?,
        objective: objective.ok_or_else(|| missing("objective"))?,
        description,
        labels: slo_labels,
        sli: sli.ok_or_else(|| missing("sli"))?,
        alerting,
        burnlab,
    })
}

fn read_sli(node: &Node, path: &str) -> Result<Located<RawSli>> {
    let entries = read::mapping(node, path, &["events", "raw", "latency"])?;
    let [(k, v)] = entries else {
        return Err(node.error(path, "needs exactly one of `events`, `raw` or `latency`"));
    };
    let kind = k.scalar().unwrap_or_default();
    let p = read::join(path, kind);
    let field = |entries: &[(Node, Node)], name: &str| -> Result<Located<String>> {
        entries
            .iter()
            .find(|(k, _)| k.scalar() == Some(name))
            .map(|(_, v)| read::string(v, &read::join(&p, name)))
            .unwrap_or_else(|| {
                Err(v.error(
                    read::join(&p, name),
                    format!("is missing: `{kind}` needs `{name}`"),
                ))
            })
    };
    let value = match kind {
        "events" => {
            let e = read::mapping(v, &p, &["error_query", "total_query"])?;
            RawSli::Events {
                error_query: field(e, "error_query")?,
                total_query: field(e, "total_query")?,
            }
        }
        "raw" => {
            let e = read::mapping(v, &p, &["error_ratio_query"])?;
            RawSli::Raw {
                error_ratio_query: field(e, "error_ratio_query")?,
            }
        }
        _ => {
            let e = read::mapping(v, &p, &["metric", "le", "matchers"])?;
            let matchers = match e.iter().find(|(k, _)| k.scalar() == Some("matchers")) {
                Some((_, m)) => read::label_map(m, &read::join(&p, "matchers"))?,
                None => Vec::new(),
            };
            RawSli::Latency {
                metric: field(e, "metric")?,
                le: field(e, "le")?,
                matchers,
            }
        }
    };
    Ok(Located {
        value,
        path: p,
        at: (v.line, v.column),
    })
}

fn read_alerting(node: &Node, path: &str) -> Result<RawAlerting> {
    let entries = read::mapping(
        node,
        path,
        &[
            "name",
            "labels",
            "annotations",
            "page_alert",
            "ticket_alert",
        ],
    )?;
    let mut out = RawAlerting::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "name" => out.name = Some(read::string(v, &p)?),
            "labels" => out.labels = read::template_map(v, &p)?,
            "annotations" => out.annotations = read::template_map(v, &p)?,
            "page_alert" => out.page_alert = read_alert(v, &p)?,
            _ => out.ticket_alert = read_alert(v, &p)?,
        }
    }
    Ok(out)
}

fn read_alert(node: &Node, path: &str) -> Result<RawAlert> {
    let entries = read::mapping(node, path, &["disable", "labels", "annotations"])?;
    let mut out = RawAlert::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "disable" => out.disable = read::boolean(v, &p)?,
            "labels" => out.labels = read::template_map(v, &p)?,
            _ => out.annotations = read::template_map(v, &p)?,
        }
    }
    Ok(out)
}

fn read_options(node: &Node, path: &str, top: bool) -> Result<RawOptions> {
    let mut allowed = vec![
        "period",
        "tiers",
        "scaling",
        "for",
        "runbook_url",
        "dashboard_url",
        "traffic_floor",
    ];
    if top {
        allowed.push("manifest");
    }
    let entries = read::mapping(node, path, &allowed)?;
    let mut out = RawOptions::default();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let p = read::join(path, key);
        match key {
            "period" => out.period = Some(read::string(v, &p)?),
            "tiers" => out.tiers = Some(read::string(v, &p)?),
            "scaling" => out.scaling = Some(read::string(v, &p)?),
            "runbook_url" | "dashboard_url" => {
                let url = read::string(v, &p)?;
                // Both become annotations of the generated alerts.
                read::template(v, &p, &url.value)?;
                if key == "runbook_url" {
                    out.runbook_url = Some(url);
                } else {
                    out.dashboard_url = Some(url);
                }
            }
            "traffic_floor" => out.traffic_floor = Some(read::string(v, &p)?),
            "for" => {
                if let Some(entries) = v.entries() {
                    for (wk, wv) in entries {
                        let window = read::string(wk, &p)?;
                        let wp = read::join(&p, &window.value);
                        out.for_by_window.push((window, read::string(wv, &wp)?));
                    }
                } else if !v.is_null() {
                    return Err(v.error(
                        &p,
                        "must map a tier's long window to its `for`, e.g. {1h: 2m}",
                    ));
                }
            }
            _ => {
                let e = read::mapping(v, &p, &["name", "namespace", "labels"])?;
                let mut m = RawManifest::default();
                for (mk, mv) in e {
                    let mkey = mk.scalar().unwrap_or_default();
                    let mp = read::join(&p, mkey);
                    match mkey {
                        "name" => m.name = Some(read::string(mv, &mp)?),
                        "namespace" => m.namespace = Some(read::string(mv, &mp)?),
                        _ => m.labels = read::string_map(mv, &mp)?,
                    }
                }
                out.manifest = Some(m);
            }
        }
    }
    Ok(out)
}
