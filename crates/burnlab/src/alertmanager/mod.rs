//! Alertmanager in the core: its configuration with Alertmanager's own validation, label
//! matchers, the routing tree, and (as pure functions of an instant) inhibition, silences and
//! time intervals.
//!
//! The semantics follow Alertmanager's source (config/config.go, dispatch/route.go,
//! pkg/labels, matcher/parse, inhibit, silence, timeinterval) and are checked against the real
//! `amtool` in the oracle tests.
//!
//! The tester and the replay need only a few entry points:
//! - [`config::Config::parse`] (text of alertmanager.yml or a Secret manifest → validated config
//!   or one located error; warnings in `Config::warnings`);
//! - [`config::Config::route`] (labels → matched routes with their path, trail from the root and
//!   effective options) and [`routing::RouteTree::render_matched`] for the text tree;
//! - [`decide::decide`] (labels, received alerts, silences, instant → routes, inhibition,
//!   time-interval holds and silences in one answer), built on [`inhibit::inhibited_by`],
//!   [`silence::Silence`] and [`config::Config::time_muted`];
//! - [`lint::lint`], and [`generate`] for configs from an intent, Secret manifests and redaction.

pub mod config;
pub mod decide;
pub mod generate;
pub mod inhibit;
pub mod lint;
pub mod matchers;
mod regex_unicode;
pub mod routing;
pub mod silence;
pub mod templates;
pub mod timeinterval;
pub mod unicode;

use crate::error::Result;
use crate::yaml::Node;

/// A YAML scalar read into a string field as Go's YAML decoder reads it: null is empty, a
/// mapping or a list is Alertmanager's "cannot unmarshal … into string" at the node's location.
pub(crate) fn go_string(node: &Node, path: &str) -> Result<String> {
    if node.is_null() {
        return Ok(String::new());
    }
    node.scalar().map(str::to_owned).ok_or_else(|| {
        node.error(
            path,
            format!("cannot unmarshal {} into string", node.kind()),
        )
    })
}
