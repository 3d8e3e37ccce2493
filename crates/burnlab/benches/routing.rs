//! Routing throughput: 100,000 label sets through a 500-node tree (1 root, 10 × 7 × 6 routes
//! mixing all four operators and `continue`).

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab_testkit::rng::Rng;
use burnlab_testkit::trees;
use criterion::{Criterion, criterion_group, criterion_main};

fn tree_yaml() -> String {
    let mut rng = Rng::new(42);
    let mut y = String::from("route:\n  receiver: r0\n  routes:\n");
    let ops = ["=", "!=", "=~", "!~"];
    let matcher = |rng: &mut Rng| {
        let op = rng.pick(&ops);
        let value = if op.contains('~') {
            rng.pick(&["a|b", "api.*", "pa.e", "[a-c]", "prod|web"])
        } else {
            rng.pick(&["page", "ticket", "a", "api", "prod"])
        };
        format!("'{}{op}\"{value}\"'", rng.pick(trees::NAMES))
    };
    for _ in 0..10 {
        y.push_str(&format!(
            "    - matchers: [{}]\n      receiver: r1\n",
            matcher(&mut rng)
        ));
        if rng.chance(30) {
            y.push_str("      continue: true\n");
        }
        y.push_str("      routes:\n");
        for _ in 0..7 {
            y.push_str(&format!(
                "        - matchers: [{}]\n          receiver: r2\n          routes:\n",
                matcher(&mut rng)
            ));
            for _ in 0..6 {
                y.push_str(&format!(
                    "            - matchers: [{}]\n              receiver: r3\n",
                    matcher(&mut rng)
                ));
            }
        }
    }
    y.push_str("receivers: [{name: r0}, {name: r1}, {name: r2}, {name: r3}]\n");
    y
}

fn routing(c: &mut Criterion) {
    let Ok(config) = Config::parse(&tree_yaml(), ConfigOptions::default()) else {
        return;
    };
    assert_eq!(config.route.nodes.len(), 501);
    let mut rng = Rng::new(7);
    let sets: Vec<_> = (0..100_000).map(|_| trees::label_set(&mut rng)).collect();
    let mut group = c.benchmark_group("routing");
    group.sample_size(10);
    group.bench_function("100k label sets through a 500-node tree", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for labels in &sets {
                total += config.route.route_indices(labels).len();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, routing);
criterion_main!(benches);
