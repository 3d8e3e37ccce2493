//! The routing tree built from the validated routes: options inherited from the parent,
//! matchers from `match`, `match_re` and `matchers` parsed and sorted, nodes in one flat
//! pre-order arena.

use crate::alertmanager::config::model::*;
use crate::alertmanager::matchers::{self, MatchOp, Matcher, ParserMode};
use crate::alertmanager::routing::{GroupBy, RouteNode, RouteOpts, RouteTree};
use crate::error::Result;

pub(crate) fn build_tree(root: &RawRoute, mode: ParserMode) -> Result<RouteTree> {
    let defaults = RouteOpts {
        receiver: String::new(),
        group_by: GroupBy::Nothing,
        group_wait: DEFAULT_GROUP_WAIT,
        group_interval: DEFAULT_GROUP_INTERVAL,
        repeat_interval: DEFAULT_REPEAT_INTERVAL,
        mute_time_intervals: Vec::new(),
        active_time_intervals: Vec::new(),
    };
    let mut nodes: Vec<RouteNode> = Vec::new();
    // (raw route, parent index)
    let mut stack: Vec<(&RawRoute, Option<usize>)> = vec![(root, None)];
    while let Some((raw, parent)) = stack.pop() {
        let mut opts = parent
            .and_then(|p| nodes.get(p))
            .map_or_else(|| defaults.clone(), |p| p.opts.clone());
        if let Some(r) = raw.receiver.as_ref().filter(|r| !r.value.is_empty()) {
            opts.receiver = r.value.clone();
        }
        if let Some(gb) = &raw.group_by {
            let labels: Vec<String> = gb.value.iter().filter(|l| *l != "...").cloned().collect();
            if !labels.is_empty() {
                opts.group_by = GroupBy::Labels(labels);
            } else if gb.value.iter().any(|l| l == "...") {
                opts.group_by = GroupBy::All;
            }
        }
        if let Some(d) = &raw.group_wait {
            opts.group_wait = d.value;
        }
        if let Some(d) = &raw.group_interval {
            opts.group_interval = d.value;
        }
        if let Some(d) = &raw.repeat_interval {
            opts.repeat_interval = d.value;
        }
        opts.mute_time_intervals = raw
            .mute_time_intervals
            .iter()
            .map(|l| l.value.clone())
            .collect();
        opts.active_time_intervals = raw
            .active_time_intervals
            .iter()
            .map(|l| l.value.clone())
            .collect();
        let mut ms = Vec::new();
        for (k, v) in &raw.match_ {
            ms.push(
                Matcher::new(MatchOp::Equal, k.value.clone(), v.clone())
                    .map_err(|e| k.pos.error(e))?,
            );
        }
        for (k, v) in &raw.match_re {
            // Alertmanager keeps the compiled regex's text, `^(?:re)$`, as the matcher value.
            ms.push(
                Matcher::new(MatchOp::Regex, k.value.clone(), format!("^(?:{v})$"))
                    .map_err(|e| k.pos.error(e))?,
            );
        }
        for line in &raw.matchers {
            ms.extend(matchers::parse(&line.value, mode).map_err(|e| line.pos.error(e))?);
        }
        matchers::sort(&mut ms);
        let index = nodes.len();
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.children.push(index);
        }
        nodes.push(RouteNode {
            path: raw.pos.path.clone(),
            line: raw.pos.line,
            column: raw.pos.column,
            parent,
            children: Vec::new(),
            matchers: ms,
            continue_: raw.continue_.as_ref().is_some_and(|c| c.value),
            opts,
            uses_deprecated_match: !raw.match_.is_empty() || !raw.match_re.is_empty(),
            sets_repeat_interval: raw.repeat_interval.is_some(),
        });
        // Children pushed in reverse so they come off the stack in order (pre-order indices).
        for child in raw.routes.iter().rev() {
            stack.push((child, Some(index)));
        }
    }
    Ok(RouteTree { nodes })
}
