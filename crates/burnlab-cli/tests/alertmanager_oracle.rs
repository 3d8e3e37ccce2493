//! Inhibition and silences against a real Alertmanager 0.25 (/usr/bin/prometheus-alertmanager):
//! random inhibit rules, alerts (some resolved) and silences are given to it over its v2 API,
//! and the alerts' `inhibitedBy`/`silencedBy` it reports must be what the core answers.
//! Needs the Debian package and fails (never skips) without it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::inhibit::{AlertState, inhibited_by};
use burnlab::alertmanager::matchers::{Labels, ParserMode};
use burnlab::alertmanager::silence::{Silence, silenced_by};
use burnlab::yaml::{self, Node};
use burnlab_testkit::{rng::Rng, trees};

const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";

/// The Alertmanager process, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(port: u16, method: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("cannot reach Alertmanager on port {port}: {e}"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if let Err(e) = stream.write_all(request.as_bytes()) {
        panic!("{method} {path}: {e}");
    }
    let mut response = String::new();
    if let Err(e) = stream.read_to_string(&mut response) {
        panic!("{method} {path}: {e}");
    }
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    // Chunked bodies: keep only the JSON between the first `[`/`{` and the last `]`/`}`.
    let start = body.find(['[', '{']).unwrap_or(0);
    let end = body.rfind([']', '}']).map_or(body.len(), |e| e + 1);
    body.get(start..end).unwrap_or_default().to_owned()
}

fn start(config: &str, port: u16, dir: &Path) -> Server {
    assert!(
        Path::new(ALERTMANAGER).exists(),
        "{ALERTMANAGER} is missing: the oracle tests need Alertmanager 0.25; run `cargo xtask setup`"
    );
    let file = dir.join("alertmanager.yml");
    if let Err(e) = std::fs::write(&file, config) {
        panic!("{}: {e}", file.display());
    }
    let child = Command::new(ALERTMANAGER)
        .arg(format!("--config.file={}", file.display()))
        .arg(format!("--storage.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {ALERTMANAGER}: {e}"));
    let server = Server(child);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok()
            && http(port, "GET", "/-/ready", "").contains("OK")
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("Alertmanager did not become ready on port {port}");
}

fn json_labels(labels: &Labels) -> serde_json::Value {
    serde_json::Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

#[test]
fn inhibition_and_silences_agree_with_a_real_alertmanager() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(5, |d| d.as_secs());
    let now = seed as i64;
    let rfc3339 = |t: i64| {
        let out = Command::new("date")
            .args(["-u", "-d", &format!("@{t}"), "+%Y-%m-%dT%H:%M:%SZ"])
            .output()
            .unwrap_or_else(|e| panic!("date: {e}"));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let mut mismatches = Vec::new();
    let (mut checked, mut inhibited, mut silenced) = (0, 0, 0);
    for round in 0..4u64 {
        let mut rng = Rng::new(seed.wrapping_mul(31) + round);
        // Inhibit rules: random source/target matchers, `equal` over a random subset of names.
        let rules: Vec<Node> = (0..2 + rng.below(2))
            .map(|_| {
                let equal: Vec<Node> = trees::NAMES
                    .iter()
                    .filter(|_| rng.chance(25))
                    .map(|n| Node::str(*n))
                    .collect();
                Node::map(vec![
                    (
                        "source_matchers",
                        Node::seq(vec![Node::str(trees::matcher_text(&mut rng))]),
                    ),
                    (
                        "target_matchers",
                        Node::seq(vec![Node::str(trees::matcher_text(&mut rng))]),
                    ),
                    ("equal", Node::seq(equal)),
                ])
            })
            .collect();
        let text = yaml::to_string(&Node::map(vec![
            ("route", Node::map(vec![("receiver", Node::str("d"))])),
            (
                "receivers",
                Node::seq(vec![Node::map(vec![("name", Node::str("d"))])]),
            ),
            ("inhibit_rules", Node::seq(rules)),
        ]));
        let Ok(config) = Config::parse(
            &text,
            ConfigOptions {
                matcher_mode: ParserMode::Classic,
            },
        ) else {
            continue;
        };
        let dir = std::env::temp_dir().join(format!("burnlab-am-{}-{round}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let port = 19_500 + (std::process::id() % 400) as u16 + round as u16;
        let _server = start(&text, port, &dir);
        // Alerts: distinct alertnames, no empty values (Alertmanager keeps them, but they
        // read as missing anyway), a quarter already resolved.
        let mut alerts = Vec::new();
        let mut posted = Vec::new();
        for i in 0..24 {
            let mut labels: Labels = trees::label_set(&mut rng)
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect();
            labels.insert("alertname".into(), format!("A{i}"));
            let resolved = rng.chance(25);
            let ends_at = if resolved { now - 60 } else { now + 3600 };
            posted.push(serde_json::json!({
                "labels": json_labels(&labels),
                "startsAt": rfc3339(now - 600),
                "endsAt": rfc3339(ends_at),
            }));
            alerts.push(AlertState {
                labels,
                ends_at: Some(ends_at),
            });
        }
        http(
            port,
            "POST",
            "/api/v2/alerts",
            &serde_json::Value::Array(posted).to_string(),
        );
        // Silences: one or two random matchers each.
        let mut silences = Vec::new();
        let mut silence_ids = Vec::new();
        for _ in 0..3 {
            let items: Vec<String> = (0..1 + rng.below(2))
                .map(|_| trees::matcher_text(&mut rng))
                .collect();
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let Ok(silence) = Silence::parse(&refs, ParserMode::Classic, now - 60, now + 3600)
            else {
                continue;
            };
            let matchers: Vec<serde_json::Value> = silence
                .matchers()
                .iter()
                .map(|m| {
                    let op = m.op().as_str();
                    serde_json::json!({
                        "name": m.name(), "value": m.value(),
                        "isRegex": op.contains('~'), "isEqual": !op.starts_with('!'),
                    })
                })
                .collect();
            let answer = http(port, "POST", "/api/v2/silences", &serde_json::json!({
                "matchers": matchers, "startsAt": rfc3339(now - 60), "endsAt": rfc3339(now + 3600),
                "createdBy": "burnlab", "comment": "oracle",
            }).to_string());
            let id: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
            if let Some(id) = id["silenceID"].as_str() {
                silence_ids.push(id.to_owned());
                silences.push(silence);
            }
        }
        std::thread::sleep(Duration::from_millis(600));
        let listed: serde_json::Value =
            serde_json::from_str(&http(port, "GET", "/api/v2/alerts", "")).unwrap_or_default();
        for a in listed.as_array().into_iter().flatten() {
            let labels: Labels = a["labels"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let am_inhibited = a["status"]["inhibitedBy"]
                .as_array()
                .is_some_and(|v| !v.is_empty());
            let mut am_silenced: Vec<String> = a["status"]["silencedBy"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            am_silenced.sort();
            let ours_inhibited =
                inhibited_by(&config.inhibit_rules, &labels, &alerts, now).is_some();
            let mut ours_silenced: Vec<String> = silenced_by(&silences, &labels, now)
                .into_iter()
                .filter_map(|i| silence_ids.get(i).cloned())
                .collect();
            ours_silenced.sort();
            checked += 1;
            inhibited += usize::from(am_inhibited);
            silenced += usize::from(!am_silenced.is_empty());
            if am_inhibited != ours_inhibited || am_silenced != ours_silenced {
                mismatches.push(format!(
                    "seed {seed} round {round} alert {labels:?}: Alertmanager inhibited={am_inhibited} silenced={am_silenced:?}, burnlab inhibited={ours_inhibited} silenced={ours_silenced:?}\n{text}"
                ));
            }
        }
    }
    eprintln!(
        "{checked} alerts compared, {inhibited} inhibited, {silenced} silenced (seed {seed})"
    );
    assert!(checked >= 40, "only {checked} alerts were compared");
    assert!(
        mismatches.is_empty(),
        "{} of {checked} alerts judged differently:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
