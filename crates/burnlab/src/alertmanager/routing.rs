//! Routing an alert's labels through the tree, exactly as Alertmanager's `Route.Match`:
//! a node whose matchers fail yields nothing; otherwise its children are tried in order, each
//! child's matches collected, stopping after the first child that matched unless that child has
//! `continue: true`; a node none of whose children matched is itself the match.
//!
//! The walk uses an explicit stack, so tree depth costs no call stack. The tree also renders
//! as `amtool config routes show` prints it, optionally with an alert's routes marked.
//!
//! The tree's types ([`RouteTree`], [`RouteNode`], [`RouteOpts`], [`GroupBy`]) live here with
//! all their methods, as Alertmanager's runtime route lives in dispatch/route.go; the config
//! builds the tree (`config::tree`) and re-exports them.

use std::collections::HashSet;
use std::fmt;

use crate::alertmanager::matchers::{self, Labels, Matcher};
use crate::duration::Duration;

/// Who an alert is grouped by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// `group_by` unset everywhere: one group per route.
    #[default]
    Nothing,
    /// `...`: every label.
    All,
    /// These label names.
    Labels(Vec<String>),
}

impl fmt::Display for GroupBy {
    /// As the page and the tester show it: nothing when unset, `...`, or the names `a, b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupBy::Nothing => Ok(()),
            GroupBy::All => f.write_str("..."),
            GroupBy::Labels(names) => f.write_str(&names.join(", ")),
        }
    }
}

/// A route's effective options after inheritance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOpts {
    /// The receiver.
    pub receiver: String,
    /// The grouping.
    pub group_by: GroupBy,
    /// How long a new group waits before its first notification.
    pub group_wait: Duration,
    /// The period between a group's flushes.
    pub group_interval: Duration,
    /// The nominal repeat period (see [`crate::alertmanager::lint::effective_repeat`]).
    pub repeat_interval: Duration,
    /// Mute intervals (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Active intervals (not inherited).
    pub active_time_intervals: Vec<String>,
}

/// One node of the validated routing tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteNode {
    /// Path from the root as written: `route`, `route.routes[2]`, `route.routes[2].routes[0]`.
    pub path: String,
    /// Where the route's mapping starts.
    pub line: usize,
    /// Column of the route's mapping.
    pub column: usize,
    /// Parent node index; `None` for the root.
    pub parent: Option<usize>,
    /// Child node indices, in order.
    pub children: Vec<usize>,
    /// Matchers (match, match_re and matchers together, sorted as Alertmanager sorts them).
    pub matchers: Vec<Matcher>,
    /// `continue`.
    pub continue_: bool,
    /// Effective options.
    pub opts: RouteOpts,
    /// Whether the route uses the deprecated `match`/`match_re`.
    pub uses_deprecated_match: bool,
    /// Whether these options were set on this node (rather than inherited), for the UI and lint.
    pub sets_repeat_interval: bool,
}

/// The routing tree: nodes in depth-first order in one vector, index 0 the root. A flat
/// arena keeps every walk iterative and dropping a deep tree cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTree {
    /// Nodes in depth-first pre-order.
    pub nodes: Vec<RouteNode>,
}

/// Why a route beside the matched path was not entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassedOver<'a> {
    /// Its matchers that the alert fails.
    Fails(Vec<&'a Matcher>),
    /// An earlier sibling (this node index) matched without `continue`, so it was never
    /// compared.
    After(usize),
}

/// One matched route: where it is and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    /// Index of the node in [`RouteTree::nodes`].
    pub node: usize,
    /// Node indices from the root down to this node, for highlighting the path.
    pub trail: Vec<usize>,
    /// The node's path as written, e.g. `route.routes[1].routes[0]`.
    pub path: &'a str,
    /// Effective options after inheritance.
    pub opts: &'a RouteOpts,
}

impl RouteTree {
    /// The matched routes for a label set, depth-first, left to right. Never empty: the root
    /// has no matchers, so it matches everything.
    pub fn route(&self, labels: &Labels) -> Vec<RouteMatch<'_>> {
        self.route_indices(labels)
            .into_iter()
            .filter_map(|i| {
                let node = self.nodes.get(i)?;
                Some(RouteMatch {
                    node: i,
                    trail: self.trail(i),
                    path: &node.path,
                    opts: &node.opts,
                })
            })
            .collect()
    }

    /// The matched node indices only (the fast path used by the benchmark and the replay).
    pub fn route_indices(&self, labels: &Labels) -> Vec<usize> {
        let mut out = Vec::new();
        let matches = |i: usize| {
            self.nodes
                .get(i)
                .is_some_and(|n| matchers::matches_all(&n.matchers, labels))
        };
        if !matches(0) {
            return out;
        }
        // Frames: (node, next child position, result length when the node was entered).
        let mut stack: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
        while let Some(frame) = stack.last_mut() {
            let (node, pos, start) = *frame;
            let children = self.nodes.get(node).map_or(&[][..], |n| &n.children);
            if let Some(&child) = children.get(pos) {
                frame.1 += 1;
                if matches(child) {
                    stack.push((child, 0, out.len()));
                }
                continue;
            }
            stack.pop();
            if out.len() == start {
                out.push(node);
            }
            let continues = self.nodes.get(node).is_some_and(|n| n.continue_);
            if let Some(parent) = stack.last_mut()
                && !continues
            {
                // A matching child without `continue` ends the search among its siblings.
                parent.1 = usize::MAX;
            }
        }
        out
    }

    /// The children of the routes in `entered` that `labels` did not enter, in tree order, with
    /// why: the matchers they fail, or the sibling before them that matched without `continue`
    /// (the first one ends the search among its siblings, as in [`RouteTree::route_indices`]).
    pub fn passed_over(&self, labels: &Labels, entered: &[usize]) -> Vec<(usize, PassedOver<'_>)> {
        let mut out = Vec::new();
        let mut entered = entered.to_vec();
        entered.sort_unstable();
        entered.dedup();
        for parent in entered {
            let Some(node) = self.nodes.get(parent) else {
                continue;
            };
            let mut stopped_by = None;
            for &child in &node.children {
                let Some(c) = self.nodes.get(child) else {
                    continue;
                };
                if let Some(first) = stopped_by {
                    out.push((child, PassedOver::After(first)));
                    continue;
                }
                let failed: Vec<&Matcher> =
                    c.matchers.iter().filter(|m| !m.matches(labels)).collect();
                if !failed.is_empty() {
                    out.push((child, PassedOver::Fails(failed)));
                } else if !c.continue_ {
                    stopped_by = Some(child);
                }
            }
        }
        out.sort_by_key(|(node, _)| *node);
        out
    }

    /// Node indices from the root to `node`.
    pub fn trail(&self, node: usize) -> Vec<usize> {
        let mut trail = vec![node];
        let mut at = node;
        while let Some(parent) = self.nodes.get(at).and_then(|n| n.parent) {
            trail.push(parent);
            at = parent;
        }
        trail.reverse();
        trail
    }

    /// Alertmanager's route key: the parent's key, `/`, then this node's matchers as
    /// `{name="value",…}`; the root's key is `{}`. Notification logs and groups are keyed by it.
    pub fn key(&self, node: usize) -> String {
        self.trail(node)
            .iter()
            .filter_map(|&i| self.nodes.get(i))
            .map(|n| matchers::render(&n.matchers))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The labels an alert is grouped by on route `node`: those named in `group_by` that the
    /// alert has, or all of them with `...`.
    pub fn group_labels(&self, node: usize, labels: &Labels) -> Labels {
        let Some(n) = self.nodes.get(node) else {
            return Labels::new();
        };
        labels
            .iter()
            .filter(|(name, _)| match &n.opts.group_by {
                GroupBy::All => true,
                GroupBy::Labels(names) => names.iter().any(|g| g == *name),
                GroupBy::Nothing => false,
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Alertmanager's aggregation group key: route key, `:`, then the group labels as Go
    /// prints a label set (`{a="x", b="y"}`, names sorted, values quoted like Go's `%q`).
    pub fn group_key(&self, node: usize, labels: &Labels) -> String {
        let group = self.group_labels(node, labels);
        format!("{}:{}", self.key(node), matchers::label_set(&group))
    }

    /// Exactly `amtool config routes show`'s output (without the trailing newline of `println`).
    pub fn render(&self) -> String {
        render_tree(self, None)
    }

    /// The tree with every route an alert with `labels` took marked: `(matched)` after the
    /// routes that receive it, `(on path)` after their ancestors.
    pub fn render_matched(&self, labels: &Labels) -> String {
        render_tree(self, Some(labels))
    }

    /// The receivers of the matched routes joined by commas: what `amtool config routes test`
    /// prints.
    pub fn receivers_line(&self, labels: &Labels) -> String {
        self.route_indices(labels)
            .into_iter()
            .filter_map(|i| self.nodes.get(i).map(|n| n.opts.receiver.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// What amtool prints for one node: matchers (or `default-route`), `continue: true`, receiver.
fn slug(node: &RouteNode) -> String {
    let mut s = if node.matchers.is_empty() {
        "default-route".to_owned()
    } else {
        matchers::render(&node.matchers)
    };
    if node.continue_ {
        s.push_str("  continue: true");
    }
    s.push_str("  receiver: ");
    s.push_str(&node.opts.receiver);
    s
}

/// The text tree as `amtool config routes show` prints it (a `treeprint` tree under "Routing
/// tree:"), with the routes an alert with `labels` took marked when given.
fn render_tree(tree: &RouteTree, labels: Option<&Labels>) -> String {
    let mut matched = HashSet::new();
    let mut on_path = HashSet::new();
    if let Some(labels) = labels {
        for i in tree.route_indices(labels) {
            matched.insert(i);
            on_path.extend(tree.trail(i));
        }
    }
    let mut out = String::from("Routing tree:\n.\n");
    // (node, prefix for its line, prefix for its children, is last sibling)
    let mut stack: Vec<(usize, String, bool)> = vec![(0, String::new(), true)];
    while let Some((i, prefix, last)) = stack.pop() {
        let Some(node) = tree.nodes.get(i) else {
            continue;
        };
        out.push_str(&prefix);
        out.push_str(if last { "└── " } else { "├── " });
        out.push_str(&slug(node));
        if matched.contains(&i) {
            out.push_str("  (matched)");
        } else if on_path.contains(&i) {
            out.push_str("  (on path)");
        }
        out.push('\n');
        // treeprint pads the vertical bar with two no-break spaces, then a space.
        let child_prefix = format!("{prefix}{}", if last { "    " } else { "│\u{a0}\u{a0} " });
        let n = node.children.len();
        for (k, &c) in node.children.iter().enumerate().rev() {
            stack.push((c, child_prefix.clone(), k + 1 == n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::alertmanager::config::{Config, ConfigOptions, labels_from_pairs};

    const TREE: &str = r#"
route:
  receiver: default
  group_by: [alertname]
  routes:
    - receiver: pager
      matchers: ['severity="page"', 'team=~"a|b"']
      continue: true
    - receiver: ticket
      match: {severity: ticket}
      group_wait: 10s
      routes:
        - receiver: x
          match_re: {svc: "api.*"}
          group_by: ['...']
    - receiver: pager
      group_by: []
receivers: [{name: default}, {name: pager}, {name: ticket}, {name: x}]
"#;

    fn check(labels: &[(&str, &str)], expect: &str) {
        let config = Config::parse(TREE, ConfigOptions::default());
        let got = match &config {
            Ok(c) => c
                .route(&labels_from_pairs(labels.iter().copied()))
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {:?} wait={}",
                        m.path, m.opts.receiver, m.opts.group_by, m.opts.group_wait
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "labels {labels:?}");
    }

    #[test]
    fn continue_lets_a_later_sibling_match_too() {
        check(
            &[("severity", "page"), ("team", "a")],
            "route.routes[0] pager Labels([\"alertname\"]) wait=30s\nroute.routes[2] pager Labels([\"alertname\"]) wait=30s",
        );
    }

    #[test]
    fn a_child_inherits_timers_and_dots_group_by_everything() {
        check(
            &[("severity", "ticket"), ("svc", "api-1")],
            "route.routes[1].routes[0] x All wait=10s",
        );
    }

    #[test]
    fn a_matching_parent_without_matching_children_is_itself_the_match() {
        check(
            &[("severity", "ticket")],
            "route.routes[1] ticket Labels([\"alertname\"]) wait=10s",
        );
    }

    #[test]
    fn an_empty_group_by_inherits() {
        check(
            &[],
            "route.routes[2] pager Labels([\"alertname\"]) wait=30s",
        );
    }

    #[test]
    fn time_intervals_hold_back_a_route_only_where_set() {
        let yaml = "route:\n  receiver: a\n  routes:\n    - receiver: a\n      mute_time_intervals: [weekend]\n    - receiver: a\n      active_time_intervals: [office]\nreceivers: [{name: a}]\ntime_intervals:\n  - name: weekend\n    time_intervals: [{weekdays: [saturday, sunday]}]\n  - name: office\n    time_intervals: [{times: [{start_time: '09:00', end_time: '17:00'}], location: Europe/Berlin}]\n";
        // Saturday 2024-03-16 12:00 UTC (13:00 in Berlin).
        let saturday_noon = 1_710_590_400;
        let got = Config::parse(yaml, ConfigOptions::default()).map(|c| {
            (0..3)
                .map(|i| c.time_muted(i, saturday_noon).ok().flatten())
                .collect::<Vec<_>>()
        });
        assert_eq!(
            got,
            Ok(vec![
                None,
                Some("muted by time interval \"weekend\"".into()),
                None
            ])
        );
    }

    #[test]
    fn route_and_group_keys_read_as_alertmanagers() {
        let config = Config::parse(TREE, ConfigOptions::default());
        let labels = labels_from_pairs([
            ("severity", "ticket"),
            ("svc", "api-1"),
            ("alertname", "Err \"5xx\""),
        ]);
        let got = config.map(|c| {
            c.route
                .route_indices(&labels)
                .iter()
                .map(|&i| c.route.group_key(i, &labels))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            got,
            Ok(vec![
                "{}/{severity=\"ticket\"}/{svc=~\"^(?:api.*)$\"}:{alertname=\"Err \\\"5xx\\\"\", severity=\"ticket\", svc=\"api-1\"}".to_owned()
            ])
        );
    }

    #[test]
    fn group_by_reads_as_the_page_shows_it() {
        use super::GroupBy;
        assert_eq!(GroupBy::Nothing.to_string(), "");
        assert_eq!(GroupBy::All.to_string(), "...");
        assert_eq!(
            GroupBy::Labels(vec!["alertname".into(), "slo".into()]).to_string(),
            "alertname, slo"
        );
    }

    #[test]
    fn deep_trees_route_without_recursion() {
        let depth = 200;
        let mut yaml = String::from("route:\n  receiver: r\n");
        for i in 0..depth {
            let pad = "  ".repeat(i + 1);
            yaml.push_str(&format!(
                "{pad}routes:\n{pad}- matchers: ['a=\"1\"']\n{pad}  receiver: r\n"
            ));
        }
        yaml.push_str("receivers: [{name: r}]\n");
        let config = Config::parse(&yaml, ConfigOptions::default());
        let ok = config.map(|c| c.route(&labels_from_pairs([("a", "1")]))[0].trail.len());
        assert_eq!(ok, Ok(depth + 1));
    }

    /// The tree as rendered (the options group_by and group_wait are not printed).
    fn check_render(labels: Option<&[(&str, &str)]>, expect: &str) {
        let got = match Config::parse(TREE, ConfigOptions::default()) {
            Ok(c) => match labels {
                None => c.route.render(),
                Some(l) => c
                    .route
                    .render_matched(&labels_from_pairs(l.iter().copied())),
            },
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn the_tree_reads_as_amtool_prints_it() {
        check_render(
            None,
            "Routing tree:\n.\n└── default-route  receiver: default\n    ├── {severity=\"page\",team=~\"a|b\"}  continue: true  receiver: pager\n    ├── {severity=\"ticket\"}  receiver: ticket\n    │\u{a0}\u{a0} └── {svc=~\"^(?:api.*)$\"}  receiver: x\n    └── default-route  receiver: pager\n",
        );
    }

    #[test]
    fn the_matched_path_is_marked() {
        check_render(
            Some(&[("severity", "ticket"), ("svc", "api")]),
            "Routing tree:\n.\n└── default-route  receiver: default  (on path)\n    ├── {severity=\"page\",team=~\"a|b\"}  continue: true  receiver: pager\n    ├── {severity=\"ticket\"}  receiver: ticket  (on path)\n    │\u{a0}\u{a0} └── {svc=~\"^(?:api.*)$\"}  receiver: x  (matched)\n    └── default-route  receiver: pager\n",
        );
    }
}
