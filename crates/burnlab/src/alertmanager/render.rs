//! Text rendering of the routing tree as `amtool config routes show` prints it (a `treeprint`
//! tree under "Routing tree:"), optionally with the routes an alert took marked.

use std::collections::HashSet;

use crate::alertmanager::config::{RouteNode, RouteTree};
use crate::alertmanager::matchers::{self, Labels};

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

impl RouteTree {
    /// Exactly `amtool config routes show`'s output (without the trailing newline of `println`).
    pub fn render(&self) -> String {
        self.render_marked(None)
    }

    /// The tree with every route an alert with `labels` took marked: `(matched)` after the
    /// routes that receive it, `(on path)` after their ancestors.
    pub fn render_matched(&self, labels: &Labels) -> String {
        self.render_marked(Some(labels))
    }

    fn render_marked(&self, labels: Option<&Labels>) -> String {
        let mut matched = HashSet::new();
        let mut on_path = HashSet::new();
        if let Some(labels) = labels {
            for i in self.route_indices(labels) {
                matched.insert(i);
                on_path.extend(self.trail(i));
            }
        }
        let mut out = String::from("Routing tree:\n.\n");
        // (node, prefix for its line, prefix for its children, is last sibling)
        let mut stack: Vec<(usize, String, bool)> = vec![(0, String::new(), true)];
        while let Some((i, prefix, last)) = stack.pop() {
            let Some(node) = self.nodes.get(i) else {
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
}

#[cfg(test)]
mod tests {
    use crate::alertmanager::config::{Config, ConfigOptions, labels_from_pairs};

    const TREE: &str = r#"
route:
  receiver: default
  routes:
    - receiver: pager
      matchers: ['severity="page"', 'team=~"a|b"']
      continue: true
    - receiver: ticket
      match: {severity: ticket}
      routes:
        - receiver: x
          match_re: {svc: "api.*"}
    - receiver: pager
receivers: [{name: default}, {name: pager}, {name: ticket}, {name: x}]
"#;

    fn check(labels: Option<&[(&str, &str)]>, expect: &str) {
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
        check(
            None,
            "Routing tree:\n.\n└── default-route  receiver: default\n    ├── {severity=\"page\",team=~\"a|b\"}  continue: true  receiver: pager\n    ├── {severity=\"ticket\"}  receiver: ticket\n    │\u{a0}\u{a0} └── {svc=~\"^(?:api.*)$\"}  receiver: x\n    └── default-route  receiver: pager\n",
        );
    }

    #[test]
    fn the_matched_path_is_marked() {
        check(
            Some(&[("severity", "ticket"), ("svc", "api")]),
            "Routing tree:\n.\n└── default-route  receiver: default  (on path)\n    ├── {severity=\"page\",team=~\"a|b\"}  continue: true  receiver: pager\n    ├── {severity=\"ticket\"}  receiver: ticket  (on path)\n    │\u{a0}\u{a0} └── {svc=~\"^(?:api.*)$\"}  receiver: x  (matched)\n    └── default-route  receiver: pager\n",
        );
    }
}
