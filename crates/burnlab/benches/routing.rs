//! Routing throughput (filled in with the routing module).
fn main() {}
