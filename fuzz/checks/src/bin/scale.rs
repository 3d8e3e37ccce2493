//! `cargo run --release --manifest-path fuzz/Cargo.toml -p burnlab-fuzz-checks --bin scale --
//! [TARGET…] [--size BYTES] [--samples N]`: grows every corpus input of each target (see
//! `burnlab_fuzz_checks::scale`) and prints the variants whose time grows faster than their
//! size. `cargo xtask fuzz --scale` runs it.

use std::path::Path;
use std::time::Duration;

use burnlab_fuzz_checks::{TARGETS, scale};

fn main() -> std::process::ExitCode {
    let mut size = 256 * 1024;
    let mut samples = 24;
    let mut wanted = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--size" => size = args.next().and_then(|s| s.parse().ok()).unwrap_or(size),
            "--samples" => samples = args.next().and_then(|s| s.parse().ok()).unwrap_or(samples),
            name => wanted.push(name.to_owned()),
        }
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let mut found = 0;
    for (name, check) in TARGETS {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(corpus.join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        let mut seeds = 0;
        for file in &files {
            let Ok(seed) = std::fs::read(file) else {
                continue;
            };
            seeds += 1;
            for g in scale::search(*check, &seed, size, samples, Duration::from_millis(20)) {
                found += 1;
                let file = file.file_name().map(|f| f.to_string_lossy().into_owned());
                println!(
                    "{name}: {} of {}: grows faster than its size: {:.1?} at {} bytes, {:.1?} at a quarter",
                    g.variant,
                    file.unwrap_or_default(),
                    g.large,
                    g.size,
                    g.small
                );
            }
        }
        eprintln!("{name}: {seeds} inputs grown to {size} bytes");
    }
    if found == 0 {
        println!("no cost grows faster than its input");
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
