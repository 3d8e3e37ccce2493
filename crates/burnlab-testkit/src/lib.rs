//! burnlab's test kit: what the tests, the benchmarks, `cargo xtask` and the fuzz seeds share,
//! kept out of the shipped core. The core never depends on it (it depends on the core, so
//! Cargo could not build the other way round); only dev-dependencies, xtask and the fuzz
//! workspace's checks do.
//!
//! - Seeded generators, one module per family, all drawing from [`rng::Rng`]: [`trees`]
//!   (round-1 route trees, label sets, amtool arguments), [`faults`] (configs with one named
//!   fault), [`round2`] (Unicode and yaml.v2 trees and label sets), [`checks`] (check-config
//!   cases per receiver and feature family) and [`fuzz`] (often malformed matchers and
//!   templates).
//! - [`hostile`]: the worst inputs found against burnlab, as text builders.
//! - [`mend`]: a config mended by taking its errors' one-click fixes in turn.
//! - Native only, since they read files or run programs: `fixtures` (the repository's test
//!   files and golden files under `UPDATE_EXPECT`) and `cli` (the built `burnlab` command).
//!   The page's wasm tests use the builders above and nothing of these.

pub mod checks;
pub mod faults;
pub mod fuzz;
pub mod hostile;
pub mod mend;
pub mod rng;
pub mod round2;
pub mod trees;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod fixtures;
