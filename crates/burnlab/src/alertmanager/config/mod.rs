//! alertmanager.yml: the input structs that mirror its field names ([`RawConfig`] and friends,
//! read from the located YAML tree), and the validated [`Config`] built from them with the
//! checks Alertmanager 0.25 makes, each error located by line, column and field path
//! (`route.routes[2].receiver`).
//!
//! Like Alertmanager (which unmarshals strictly), unknown fields are errors. Only the first
//! error is reported, as Alertmanager does; warnings are collected in [`Config::warnings`].
//!
//! The files, by what they do:
//! - `model` — the input structs and the validated parts (receivers, inhibit rules, …);
//! - `values` — typed values with yaml.v2's coercions (strings, lists, maps, booleans,
//!   durations, URLs);
//! - `read` — the top-level keys, `global`, routes, inhibit rules, time intervals;
//! - `schema` — [`IntegrationKind`] and the table of every kind (fields and their types,
//!   credentials, the globals it falls back to, whether it pages);
//! - `integrations` — receivers and each kind's checks;
//! - `fixes` — the known mends of errors, as edits of the text (a misspelt field renamed, a
//!   missing setting added);
//! - `validate` — [`Config`] and all its methods: [`Config::from_raw`] runs the whole-config
//!   checks in Alertmanager's order;
//! - `tree` — builds the routing tree ([`RouteTree`], from `crate::alertmanager::routing`) with
//!   inherited options.

mod fixes;
mod integrations;
mod model;
mod read;
mod schema;
#[cfg(test)]
mod tests;
mod tree;
mod validate;
mod values;

pub use crate::alertmanager::routing::{GroupBy, RouteNode, RouteOpts, RouteTree};
pub use model::*;
pub(crate) use read::block_body;
pub(crate) use schema::secret_fields;
pub use schema::{IntegrationKind, send_resolved_default};
pub use validate::Config;
