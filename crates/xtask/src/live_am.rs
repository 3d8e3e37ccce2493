//! A real Alertmanager on loopback, fed alerts as Prometheus would send them, with a webhook
//! receiver recording what it notifies and when: the oracle for the replay's Alertmanager half.
//! Used by `cargo xtask replay-fixtures` (which records the answers) and by the CLI's live test
//! (which includes this file), so both run the same cases the same way.
//!
//! Timers are scaled to seconds (group_wait 1s, group_interval 3s, repeat_interval 5–7s,
//! evaluation every 0.5 s, re-sends every 1 s) and every alert starts off the groups' ticks, so
//! the only differences from the simulation are milliseconds of latency.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use burnlab::replay::notify::NotifyInput;

/// The Debian package's Alertmanager 0.25.
pub const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";

/// The placeholder for the webhook's URL in a case's configuration.
pub const WEBHOOK: &str = "WEBHOOK_URL";

/// One case: a configuration and alerts (the `burnlab notify` input).
pub struct LiveCase {
    /// Its name.
    pub name: &'static str,
    /// alertmanager.yml, with [`WEBHOOK`] where the webhook's URL goes.
    pub config: String,
    /// The alerts file.
    pub alerts: String,
}

/// One notification the webhook received.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// Seconds from the first alert's instant zero.
    pub at_s: f64,
    /// The payload as JSON.
    pub payload: serde_json::Value,
}

const TIMERS: &str = "  group_wait: 1s\n  group_interval: 3s\n  repeat_interval: 5s\n";

fn hook(name: &str, send_resolved: bool) -> String {
    format!(
        "  - name: {name}\n    webhook_configs: [{{url: '{WEBHOOK}/{name}', send_resolved: {send_resolved}}}]\n"
    )
}

fn alerts(until: f64, list: &[(&str, &str, &str)]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(labels, firing, extra)| {
            format!("{{\"labels\": {{{labels}}}, \"firing\": {firing}{extra}}}")
        })
        .collect();
    format!(
        "{{\"resend_interval\": \"1s\", \"evaluation_interval\": \"500ms\", \"until_s\": {until}, \"alerts\": [{}]}}",
        items.join(", ")
    )
}

/// The cases: group_wait, batching at group_interval ticks, repeats (and the coin toss of a
/// repeat that is a multiple of group_interval), resolution with and without send_resolved,
/// partial resolution, inhibition, group_by splitting, `continue`, an emptied group that keeps
/// ticking, a backdated alert flushing at once, and a silence.
pub fn cases() -> Vec<LiveCase> {
    let route = |extra: &str, group_by: &str| {
        format!("route:\n  receiver: hook\n  group_by: [{group_by}]\n{TIMERS}{extra}receivers:\n")
    };
    let a = "\"alertname\": \"A\", \"team\": \"x\"";
    let b = "\"alertname\": \"B\", \"team\": \"x\"";
    vec![
        LiveCase {
            name: "group-wait-then-join-at-the-next-tick",
            config: route("", "team") + &hook("hook", true),
            alerts: alerts(16.0, &[(a, "[[0.5, null]]", ""), (b, "[[5.0, null]]", "")]),
        },
        LiveCase {
            name: "repeat-at-the-first-tick-after-repeat-interval",
            config: route("", "team").replace("repeat_interval: 5s", "repeat_interval: 7s")
                + &hook("hook", true),
            alerts: alerts(21.0, &[(a, "[[0.5, null]]", "")]),
        },
        LiveCase {
            name: "repeat-interval-a-multiple-of-group-interval-is-a-coin-toss",
            config: route("", "team").replace("repeat_interval: 5s", "repeat_interval: 6s")
                + &hook("hook", true),
            alerts: alerts(21.0, &[(a, "[[0.5, null]]", "")]),
        },
        LiveCase {
            name: "partial-resolve-with-send-resolved",
            config: route("", "team") + &hook("hook", true),
            alerts: alerts(17.0, &[(a, "[[0.5, 3.5]]", ""), (b, "[[0.5, null]]", "")]),
        },
        LiveCase {
            name: "partial-resolve-without-send-resolved",
            config: route("", "team") + &hook("hook", false),
            alerts: alerts(17.0, &[(a, "[[0.5, 3.5]]", ""), (b, "[[0.5, null]]", "")]),
        },
        LiveCase {
            name: "inhibition-holds-the-warning-until-the-critical-resolves",
            config: route("", "alertname")
                + &hook("hook", true)
                + "inhibit_rules:\n  - source_matchers: ['severity=\"critical\"']\n    target_matchers: ['severity=\"warning\"']\n    equal: [service]\n",
            alerts: alerts(
                14.0,
                &[
                    ("\"alertname\": \"Slow\", \"severity\": \"warning\", \"service\": \"api\"", "[[0.5, null]]", ""),
                    ("\"alertname\": \"Down\", \"severity\": \"critical\", \"service\": \"api\"", "[[2.0, 8.0]]", ""),
                ],
            ),
        },
        LiveCase {
            name: "group-by-splits-groups-each-with-its-own-wait",
            config: route("", "region") + &hook("hook", true),
            alerts: alerts(
                9.0,
                &[
                    ("\"alertname\": \"A\", \"region\": \"eu\"", "[[0.5, null]]", ""),
                    ("\"alertname\": \"A\", \"region\": \"us\"", "[[1.5, 6.5]]", ""),
                ],
            ),
        },
        LiveCase {
            name: "continue-notifies-both-receivers",
            config: route(
                "  routes:\n    - receiver: first\n      matchers: ['team=\"x\"']\n      continue: true\n    - receiver: second\n      matchers: ['team=\"x\"']\n",
                "team",
            ) + &hook("hook", true)
                + &hook("first", true)
                + &hook("second", true),
            alerts: alerts(9.0, &[(a, "[[0.5, 5.5]]", "")]),
        },
        LiveCase {
            name: "an-emptied-group-keeps-ticking-until-cleanup",
            config: route("", "team") + &hook("hook", true),
            alerts: alerts(12.0, &[(a, "[[0.5, 3.5], [5.0, null]]", "")]),
        },
        LiveCase {
            name: "a-backdated-alert-flushes-a-new-group-at-once",
            config: route("", "team") + &hook("hook", true),
            alerts: alerts(8.0, &[(a, "[[0.5, null]]", ", \"age_s\": 60")]),
        },
        LiveCase {
            name: "a-silence-holds-notifications-until-it-ends",
            config: route("", "team") + &hook("hook", true),
            alerts: alerts(10.0, &[(a, "[[0.5, null]]", "")]).replace(
                "\"alerts\":",
                "\"silences\": [{\"matchers\": [\"alertname=A\"], \"start_s\": 0, \"end_s\": 6}], \"alerts\":",
            ),
        },
    ]
}

/// The process, killed when dropped however the run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Alertmanager on a free port and waits until it is ready. Alertmanager must bind the
/// port itself, so another process can take it between the choice and the bind: then
/// Alertmanager exits, and it is started again on another port.
fn start_alertmanager(file: &Path, scratch: &Path, name: &str) -> Result<(Server, u16), String> {
    for _attempt in 0..5 {
        let am_port = free_port()?;
        let child = Command::new(ALERTMANAGER)
            .arg(format!("--config.file={}", file.display()))
            .arg(format!("--storage.path={}", scratch.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{am_port}"))
            .arg("--cluster.listen-address=")
            .arg("--log.level=error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {ALERTMANAGER}: {e} (run `cargo xtask setup`)"))?;
        let mut server = Server(child);
        let ready = Instant::now();
        loop {
            // A process that exited lost the port (or failed): whoever answers there is not ours.
            if server.0.try_wait().map_err(|e| e.to_string())?.is_some() {
                break;
            }
            if http(am_port, "GET", "/-/ready", "").is_ok_and(|r| r.contains("OK"))
                && server.0.try_wait().map_err(|e| e.to_string())?.is_none()
            {
                return Ok((server, am_port));
            }
            if ready.elapsed() > Duration::from_secs(20) {
                return Err(format!("{name}: Alertmanager not ready on port {am_port}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    Err(format!("{name}: Alertmanager exited at start five times"))
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn http(port: u16, method: &str, path: &str, body: &str) -> Result<String, String> {
    let mut s =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("{method} {path}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = String::new();
    s.read_to_string(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// RFC 3339 with milliseconds for Unix milliseconds (UTC), as Alertmanager's API reads it.
fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// Runs `case` against a real Alertmanager; `scratch` is a fresh directory for its files.
pub fn run(case: &LiveCase, scratch: &Path) -> Result<Vec<Received>, String> {
    let input = NotifyInput::parse(&case.alerts).map_err(|e| format!("{}: {e}", case.name))?;
    // The webhook's listener keeps the port the system gave it, so no other test can take it.
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    let hook_port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let config = case
        .config
        .replace(WEBHOOK, &format!("http://127.0.0.1:{hook_port}"));
    std::fs::create_dir_all(scratch).map_err(|e| e.to_string())?;
    let file = scratch.join("alertmanager.yml");
    std::fs::write(&file, &config).map_err(|e| e.to_string())?;

    // The webhook: answers at once, records when each notification arrived.
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let start: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let got: Arc<Mutex<Vec<Received>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let hook = {
        let (start, got, stop) = (Arc::clone(&start), Arc::clone(&got), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let now = Instant::now();
                        if let Some(payload) = read_request(stream) {
                            let t0 = start.lock().ok().and_then(|s| *s);
                            if let (Some(t0), Ok(mut g)) = (t0, got.lock()) {
                                g.push(Received {
                                    at_s: now.saturating_duration_since(t0).as_secs_f64(),
                                    payload,
                                });
                            }
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        })
    };

    let (_server, am_port) = start_alertmanager(&file, scratch, case.name)?;

    let wall0 = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let t0 = Instant::now();
    for s in &input.silences {
        let matchers: Vec<serde_json::Value> = s
            .matchers
            .iter()
            .filter_map(|m| m.split_once('='))
            .map(|(n, v)| serde_json::json!({"name": n, "value": v.trim_matches('"'), "isRegex": false, "isEqual": true}))
            .collect();
        let body = serde_json::json!({
            "matchers": matchers, "startsAt": rfc3339(wall0 + s.start_ms),
            "endsAt": rfc3339(wall0 + s.end_ms), "createdBy": "burnlab", "comment": "replay oracle",
        });
        http(am_port, "POST", "/api/v2/silences", &body.to_string())?;
    }
    if let Ok(mut s) = start.lock() {
        *s = Some(t0);
    }
    let labels = input.labels();
    let sends = input.sends();
    let mut i = 0;
    while let Some(first) = sends.get(i) {
        let due = t0 + Duration::from_millis(first.at.max(0) as u64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        // Everything sent at one instant goes in one request, as Prometheus batches.
        let mut batch = Vec::new();
        while let Some(s) = sends.get(i).filter(|s| s.at == first.at) {
            let l = labels.get(s.instance as usize).cloned().unwrap_or_default();
            batch.push(serde_json::json!({
                "labels": l,
                "startsAt": rfc3339(wall0 + s.starts_at),
                "endsAt": rfc3339(wall0 + s.ends_at),
            }));
            i += 1;
        }
        http(
            am_port,
            "POST",
            "/api/v2/alerts",
            &serde_json::Value::Array(batch).to_string(),
        )?;
    }
    let end = t0 + Duration::from_millis(input.until_ms.max(0) as u64 + 300);
    if let Some(wait) = end.checked_duration_since(Instant::now()) {
        std::thread::sleep(wait);
    }
    stop.store(true, Ordering::Relaxed);
    let _ = hook.join();
    let mut got = got.lock().map(|g| g.clone()).unwrap_or_default();
    got.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    Ok(got)
}

/// Reads one HTTP request, answers 200 and returns its JSON body.
fn read_request(stream: TcpStream) -> Option<serde_json::Value> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).ok()?;
    let mut stream = reader.into_inner();
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    serde_json::from_slice(&body).ok()
}

/// A received notification in the shape the fixtures keep and the comparison reads:
/// `{"at_s", "receiver", "group_key", "firing": [labels…], "resolved": [labels…]}`.
pub fn summarize(r: &Received) -> serde_json::Value {
    let p = &r.payload;
    let pick = |status: &str| -> Vec<serde_json::Value> {
        p["alerts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["status"] == status)
            .map(|a| a["labels"].clone())
            .collect()
    };
    serde_json::json!({
        "at_s": (r.at_s * 1000.0).round() / 1000.0,
        "receiver": p["receiver"],
        "group_key": p["groupKey"],
        "firing": pick("firing"),
        "resolved": pick("resolved"),
    })
}
