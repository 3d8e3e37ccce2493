//! `cargo xtask replay-fixtures`: runs every live Alertmanager case of the replay's oracle (see
//! `live_am.rs`) against the real Alertmanager and records what its webhook received into
//! tests/fixtures/replay/alertmanager.jsonl, one `{"case", "notifications"}` per line. The CLI's
//! test checks `burnlab notify` against these on every run, and a live sample besides.

use std::path::Path;

use crate::live_am;

/// One case's index and what its webhook received.
type Recording = (usize, Result<Vec<live_am::Received>, String>);

/// Records every case, two at a time.
pub fn record(root: &Path) -> Result<(), String> {
    let cases = live_am::cases();
    let results: std::sync::Mutex<Vec<Recording>> = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { return };
                    let dir = std::env::temp_dir()
                        .join(format!("burnlab-am-record-{}-{i}", std::process::id()));
                    let got = live_am::run(case, &dir);
                    let _ = std::fs::remove_dir_all(&dir);
                    println!(
                        "  {}: {}",
                        case.name,
                        got.as_ref()
                            .map_or_else(Clone::clone, |g| format!("{} notifications", g.len()))
                    );
                    if let Ok(mut r) = results.lock() {
                        r.push((i, got));
                    }
                }
            });
        }
    });
    let mut results = results
        .into_inner()
        .map_err(|_| "a recording thread failed")?;
    results.sort_by_key(|(i, _)| *i);
    let mut lines = Vec::new();
    for (i, got) in results {
        let name = cases.get(i).map_or("", |c| c.name);
        let got = got?;
        let notifications: Vec<serde_json::Value> = got.iter().map(live_am::summarize).collect();
        lines.push(serde_json::json!({"case": name, "notifications": notifications}).to_string());
    }
    let path = root.join("tests/fixtures/replay/alertmanager.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n")
        .map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
