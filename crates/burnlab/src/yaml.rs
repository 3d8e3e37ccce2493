//! All YAML reading and writing in burnlab goes through this module, so the library behind it can
//! be swapped without touching the models.
//!
//! The library is `saphyr-parser`, used only for its event stream. It was chosen over
//! `serde_yaml` 0.9 (archived, and its errors carry a position only while deserializing) because
//! every event comes with a line and column: the tree built here keeps them on every node, so a
//! fault found long after parsing (an undefined receiver at `route.routes[2]`) is still reported at
//! its line. It is pure Rust with two small dependencies and adds little to the wasm bundle.
//!
//! The tree is plain data; the models read it by hand, which also lets them reject unknown
//! fields the way Alertmanager's strict unmarshalling does. Scalars keep their text and whether
//! they were plain (unquoted), because YAML 1.1 (what Go's yaml.v2 reads) resolves `null`, `~`,
//! `yes` and `on` only in plain scalars.
//!
//! Alertmanager reads its config with Go's yaml.v2 (YAML 1.1, a port of libyaml), and saphyr is
//! a YAML 1.2 parser; where they differ on real configs this module reads as yaml.v2 does,
//! each case checked against amtool 0.25 by the oracle tests: merge keys (`<<: *defaults`,
//! combined by the Go type of each key through [`MergeTypes`]), tabs (accepted between tokens
//! and after a key's colon, refused where a key may start), `yes`/`on`/`~` (resolved by the
//! readers from [`Value::Scalar`]'s `plain`), duplicate keys (refused), and multi-document
//! files (the first document only; later ones are not even parsed). Differences left, pinned
//! by `known_differences_from_yaml_v2_are_pinned`:
//! - a tab after the indentation of a plain scalar's continuation line in block context
//!   (`- a=very⏎    ⇥long`): yaml.v2 folds it into the scalar, burnlab refuses it;
//! - `!!binary` scalars: yaml.v2 decodes the base64 into a string field, burnlab keeps the
//!   text as written.
//!
//! Limits that keep bad input from hurting any front: nesting deeper than [`MAX_DEPTH`], a
//! document of more than [`MAX_NODES`] nodes and aliases that copy more than
//! [`MAX_ALIAS_BYTES`] are located errors. Every step is linear in the size of the document:
//! duplicate keys and merged keys are found through hash maps, not by comparing pairs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::error::{Error, Result};

/// The deepest nesting of mappings and sequences accepted. Real configs stay under 30; the
/// limit keeps every recursive walk of the tree far from the stack's end.
pub const MAX_DEPTH: usize = 512;

/// The most nodes a document may expand to through aliases (a "billion laughs" guard).
pub const MAX_NODES: usize = 2_000_000;

/// The most memory that aliases may copy, counted as each copied node's size plus its text: a
/// small file aliasing a long string many times stays under [`MAX_NODES`] but not under this.
/// Real configs copy a few kilobytes through aliases.
pub const MAX_ALIAS_BYTES: usize = 16 * 1024 * 1024;

/// A YAML node with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// 1-based line where the node starts.
    pub line: usize,
    /// 1-based column where the node starts.
    pub column: usize,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A scalar: its text, and whether it was written plain (unquoted, not a block scalar).
    Scalar {
        /// The scalar's text after YAML unescaping.
        text: String,
        /// Whether it was a plain scalar, where `null`, `~` and booleans are resolved.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A node without a position, for trees built in code (generation).
    pub fn new(value: Value) -> Self {
        Self {
            value,
            line: 0,
            column: 0,
        }
    }

    /// A quoted-or-plain string scalar built in code; it is written quoted when needed.
    pub fn str(text: impl Into<String>) -> Self {
        Self::new(Value::Scalar {
            text: text.into(),
            plain: false,
        })
    }

    /// A scalar that is written as is (numbers, booleans, durations).
    pub fn plain(text: impl Into<String>) -> Self {
        Self::new(Value::Scalar {
            text: text.into(),
            plain: true,
        })
    }

    /// A mapping built in code from `(key, value)` pairs.
    pub fn map(entries: Vec<(&str, Node)>) -> Self {
        Self::new(Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Node::plain(k), v))
                .collect(),
        ))
    }

    /// A sequence built in code.
    pub fn seq(items: Vec<Node>) -> Self {
        Self::new(Value::Seq(items))
    }

    /// Whether this is YAML null: an empty plain scalar, `~` or `null` in any of its spellings.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The scalar's text, if this is a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under a scalar key, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
    }

    /// What kind of node this is, in the words of Go's yaml.v2 (`!!map`, `!!seq`, `!!str`), for
    /// messages that read like Alertmanager's.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Map(_) => "!!map",
            Value::Seq(_) => "!!seq",
            Value::Scalar { .. } if self.is_null() => "!!null",
            Value::Scalar { .. } => "!!str",
        }
    }

    /// An error about this node: `field` is its path (`route.routes[2].receiver`).
    pub fn error(&self, field: impl Into<String>, message: impl Into<String>) -> Error {
        let err = Error::field(field, message);
        if self.line == 0 {
            err
        } else {
            err.at(self.line, self.column)
        }
    }
}

/// A container being built: the stack of these replaces recursion, so nesting depth costs heap,
/// not stack.
enum Frame {
    Seq {
        items: Vec<Node>,
        start: (usize, usize),
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Each scalar key's line, to find a duplicate without comparing pairs.
        seen: HashMap<String, usize>,
        start: (usize, usize),
        anchor: usize,
    },
}

/// An anchored node with its size, so that each alias of it is counted without a walk.
struct Anchor {
    node: Node,
    nodes: usize,
    bytes: usize,
}

impl Anchor {
    fn new(node: &Node) -> Self {
        let (nodes, bytes) = size(node);
        Self {
            node: node.clone(),
            nodes,
            bytes,
        }
    }
}

/// A YAML syntax error as Go's yaml.v2 (and so amtool and promtool) locates it, in words a
/// person acts on, followed by the parser's own words.
///
/// yaml.v2 names the problem's line for a scanner error, but for a parser error (`did not find
/// expected …`) the 0-based line of the problem, which is the line before it: the last line
/// the parser understood. That is the line given here too, with the column just after its last
/// character, where the parser was when it expected more.
fn syntax_error(what: &str, text: &str, info: &str, line: usize, column: usize) -> Error {
    // The context (`while parsing a block mapping, …`) is the parser's, not the user's.
    let problem = match info.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => problem,
        _ => info,
    };
    // A quoted value whose continuation is less indented than YAML allows: yaml.v2 does not
    // check that, and reads on to the closing quote; with none, to the end of the text.
    if problem == "invalid indentation in quoted scalar" {
        let offset: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            + text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.char_indices().nth(column.saturating_sub(1)))
                .map_or(0, |(i, _)| i);
        let rest = text.get(offset..).unwrap_or_default();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let body = rest.get(1..).unwrap_or_default();
            let closed = match quote {
                // `''` is a quote inside a single-quoted value.
                '\'' => body.replace("''", "").contains('\''),
                _ => body.replace("\\\\", "").replace("\\\"", "").contains('"'),
            };
            if !closed {
                return Error::field(
                    what,
                    format!(
                        "YAML error: the text ends inside the quoted value opened at line {line}, column {column}: close its quote (found unexpected end of stream)"
                    ),
                )
                .at(text.matches('\n').count() + 1, 1);
            }
        }
    }
    let parser_error = (problem.starts_with("did not find expected")
        && problem != "did not find expected comment or line break")
        || problem == "illegal placement of ':' indicator";
    let (line, column) = match text.lines().nth(line.saturating_sub(2)) {
        Some(before) if parser_error && line > 1 => {
            (line - 1, before.trim_end().chars().count() + 1)
        }
        _ => (line, column),
    };
    let words = match problem {
        "did not find expected key" => {
            "the line after this one is not indented as a key of this mapping, or lacks its `:`"
        }
        "did not find expected node content" => {
            "a value is missing: a `[` or `{` left open, or nothing after a `-` or `:` that needs a value"
        }
        "did not find expected '-' indicator" => {
            "the line after this one is not indented like the list's items (each starts with `- ` at the same column)"
        }
        "did not find expected ',' or ']'" => {
            "a `[…]` list is not closed, or two of its items lack a `,` between them"
        }
        "did not find expected ',' or '}'" => {
            "a `{…}` mapping is not closed, or two of its entries lack a `,` between them"
        }
        "illegal placement of ':' indicator" => {
            "a `:` after a `[` or `{` left open: close it, or quote the text holding the `:`"
        }
        "mapping values are not allowed in this context" => {
            "a second `: ` on one line: quote a value that holds `: `, or give the key a line of its own"
        }
        "found character that cannot start any token" => {
            "a value starts with a character YAML reserves (`@`, a backquote, `%`, a tab): quote the value"
        }
        "could not find expected ':'" => "a key without its `:`",
        "found unexpected end of stream" => "the text ends inside a quoted value: close its quote",
        "found a tab character that violates indentation" => {
            "a tab in the indentation: YAML indents with spaces only"
        }
        other => other,
    };
    let message = if words == problem {
        format!("YAML error: {problem}")
    } else {
        format!("YAML error: {words} ({problem})")
    };
    Error::field(what, message).at(line, column)
}

fn position(span: &Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

/// Parses the first document of `text`. An empty document (or one holding only comments) is
/// `Ok(None)`, as Go's yaml.v2 leaves the target untouched then. `what` names the input in errors.
pub fn parse(text: &str, what: &str) -> Result<Option<Node>> {
    parse_with(text, what, &MergeTypes::default())
}

/// What Go types the keys of a document decode into, for merge keys (`<<`): yaml.v2 decodes a
/// merge into the same value the explicit keys decode into, so a key given both ways is
/// combined when its Go type is a map (a key repeated inside is yaml.v2's strict error "key …
/// already set in map") or a struct (the later field wins), and replaced otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeTypes {
    /// Keys whose values are Go maps.
    pub maps: &'static [&'static str],
    /// Keys whose values are Go structs (or pointers to them).
    pub structs: &'static [&'static str],
    /// Keys whose values are lists that a custom decoder appends to (Alertmanager's
    /// `Matchers`): a merged list and an explicit one are joined.
    pub appends: &'static [&'static str],
}

/// Like [`parse`], with merge keys applied by the given Go types.
pub fn parse_with(text: &str, what: &str, types: &MergeTypes) -> Result<Option<Node>> {
    let text = go_tabs(text).map_err(|(line, column)| {
        Error::field(
            what,
            "YAML error: found character that cannot start any token (a tab where YAML needs spaces)",
        )
        .at(line, column)
    })?;
    let mut parser = Parser::new_from_str(&text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Anchor> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut count: usize = 0;
    let mut alias_bytes: usize = 0;
    let mut started = false;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            syntax_error(
                what,
                &text,
                e.info(),
                e.marker().line(),
                e.marker().col() + 1,
            )
        })?;
        let (line, column) = position(&span);
        let node = match event {
            Event::StreamStart | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                if started {
                    break;
                }
                started = true;
                continue;
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(Error::field(what, "YAML error: unknown anchor").at(line, column));
                };
                // Both limits are checked before the copy is made.
                count = count.saturating_add(target.nodes);
                alias_bytes = alias_bytes.saturating_add(target.bytes);
                if count > MAX_NODES {
                    return Err(too_many_nodes(what).at(line, column));
                }
                if alias_bytes > MAX_ALIAS_BYTES {
                    return Err(Error::field(
                        what,
                        format!(
                            "aliases copy more than {} MiB of the document: an alias bomb, or anchors used far more than any real config does",
                            MAX_ALIAS_BYTES / (1024 * 1024)
                        ),
                    )
                    .at(line, column));
                }
                let mut node = target.node.clone();
                node.line = line;
                node.column = column;
                node
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = Node {
                    value: Value::Scalar {
                        text: Cow::into_owned(value),
                        plain: style == ScalarStyle::Plain && tag.is_none(),
                    },
                    line,
                    column,
                };
                if anchor != 0 {
                    anchors.insert(anchor, Anchor::new(&node));
                }
                count += 1;
                node
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::field(
                        what,
                        format!("YAML nesting is deeper than {MAX_DEPTH} levels"),
                    )
                    .at(line, column));
                }
                let start = (line, column);
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        start,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        seen: HashMap::new(),
                        start,
                        anchor,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, (line, column), anchor) = match stack.pop() {
                    Some(Frame::Seq {
                        items,
                        start,
                        anchor,
                    }) => (Value::Seq(items), start, anchor),
                    Some(Frame::Map {
                        entries,
                        start,
                        anchor,
                        ..
                    }) => (
                        Value::Map(apply_merges(entries, what, types)?),
                        start,
                        anchor,
                    ),
                    None => continue,
                };
                let node = Node {
                    value,
                    line,
                    column,
                };
                if anchor != 0 {
                    anchors.insert(anchor, Anchor::new(&node));
                }
                count += 1;
                node
            }
        };
        if count > MAX_NODES {
            return Err(too_many_nodes(what).at(line, column));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    if let Some(name) = node.scalar().filter(|_| !is_merge_key(&node)) {
                        if let Some(first) = seen.get(name) {
                            return Err(Error::field(
                                what,
                                format!("mapping key {name:?} already defined at line {first}"),
                            )
                            .at(node.line, node.column));
                        }
                        seen.insert(name.to_owned(), node.line);
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root)
}

/// Where the last significant character was, for [`go_tabs`].
#[derive(Clone, Copy, PartialEq)]
enum Last {
    LineStart,
    Indicator,
    Other,
}

/// Brings tabs to what Go's yaml.v2 (a port of libyaml) accepts, before saphyr reads the text.
/// yaml.v2 skips a tab between tokens except where a simple key may start in block context —
/// at the start of a line and after a `- ` entry — where it is "found character that cannot
/// start any token" (returned here as its line and column). saphyr, on the other hand, refuses
/// a tab right after a key's `:`, which yaml.v2 reads as a separator: that tab becomes a space.
/// Quoted scalars, block scalars and comments are left as they are.
fn go_tabs(text: &str) -> std::result::Result<Cow<'_, str>, (usize, usize)> {
    if !text.contains('\t') {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut block: Option<usize> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(parent) = block {
            if body.trim().is_empty() || indent > parent {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut last = Last::LineStart;
        // Whether a simple key may start here: at the line start and after `- ` in block context.
        let mut key_allowed = quote.is_none();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i += 1;
            if let Some(q) = quote {
                out.push(c);
                if q == '"' && c == '\\' {
                    if let Some(&next) = chars.get(i) {
                        out.push(next);
                        i += 1;
                    }
                } else if c == q {
                    if q == '\'' && chars.get(i) == Some(&'\'') {
                        out.push('\'');
                        i += 1;
                    } else {
                        quote = None;
                        last = Last::Other;
                        key_allowed = false;
                    }
                }
                continue;
            }
            let blank_after = chars
                .get(i)
                .is_none_or(|n| matches!(n, ' ' | '\t' | '\n' | '\r'));
            match c {
                ' ' | '\n' | '\r' => out.push(c),
                '\t' => {
                    if flow == 0 && key_allowed {
                        return Err((n + 1, chars.iter().take(i - 1).count() + 1));
                    }
                    // Between tokens of a flow collection a tab is plain whitespace to yaml.v2,
                    // even at the start of a line, where saphyr refuses it.
                    out.push(if flow > 0 && last != Last::Other {
                        ' '
                    } else {
                        c
                    });
                }
                '#' if i == 1 || chars.get(i - 2).is_some_and(|p| matches!(p, ' ' | '\t')) => {
                    out.extend(chars.get(i - 1..).unwrap_or_default());
                    break;
                }
                '-' | '?' if key_allowed && blank_after => {
                    out.push(c);
                    last = Last::Indicator;
                }
                '[' | '{' => {
                    flow += 1;
                    out.push(c);
                    last = Last::Indicator;
                }
                ',' if flow > 0 => {
                    out.push(c);
                    last = Last::Indicator;
                }
                ']' | '}' => {
                    flow = flow.saturating_sub(1);
                    out.push(c);
                    last = Last::Other;
                    key_allowed = false;
                }
                '"' | '\''
                    if last != Last::Other
                        || flow > 0
                            && chars
                                .get(i - 2)
                                .is_some_and(|p| matches!(p, ' ' | ',' | '[' | '{')) =>
                {
                    quote = Some(c);
                    out.push(c);
                }
                '|' | '>' if flow == 0 && last != Last::Other => {
                    block = Some(indent);
                    out.extend(chars.get(i - 1..).unwrap_or_default());
                    break;
                }
                ':' if blank_after || flow > 0 && chars.get(i) == Some(&'\t') => {
                    out.push(':');
                    if chars.get(i) == Some(&'\t') {
                        out.push(' ');
                        i += 1;
                    }
                    last = Last::Indicator;
                    key_allowed = false;
                }
                _ => {
                    out.push(c);
                    last = Last::Other;
                    key_allowed = false;
                }
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// Whether a key is YAML 1.1's merge key: a plain `<<`.
fn is_merge_key(key: &Node) -> bool {
    matches!(&key.value, Value::Scalar { text, plain: true } if text == "<<")
}

/// Applies `<<` merge keys as Go's yaml.v2 does: each merge, in place, brings in the entries of
/// a mapping (or of each mapping of a sequence, the first taking precedence); a key written
/// after a merge overrides it, a merge after a key overrides that. A merge of anything but
/// mappings is yaml.v2's error, located at the merged value.
fn apply_merges(
    entries: Vec<(Node, Node)>,
    what: &str,
    types: &MergeTypes,
) -> Result<Vec<(Node, Node)>> {
    if !entries.iter().any(|(k, _)| is_merge_key(k)) {
        return Ok(entries);
    }
    let want_map = |n: &Node| {
        Error::field(
            what,
            "map merge requires map or sequence of maps as the value",
        )
        .at(n.line, n.column)
    };
    let mut spliced: Vec<(Node, Node)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if !is_merge_key(&key) {
            spliced.push((key, value));
            continue;
        }
        match &value.value {
            Value::Map(merged) => spliced.extend(merged.iter().cloned()),
            Value::Seq(items) => {
                for item in items.iter().rev() {
                    match &item.value {
                        Value::Map(merged) => spliced.extend(merged.iter().cloned()),
                        _ => return Err(want_map(item)),
                    }
                }
            }
            Value::Scalar { .. } => return Err(want_map(&value)),
        }
    }
    combine(spliced, what, types, false)
}

/// Folds entries that may repeat a key into a mapping as yaml.v2 decodes them in order: maps
/// and structs combine (see [`MergeTypes`]), anything else is replaced by its last writer, at
/// the place it was last written. `strict_keys` makes a repeated key an error (a Go map).
fn combine(
    entries: Vec<(Node, Node)>,
    what: &str,
    types: &MergeTypes,
    strict_keys: bool,
) -> Result<Vec<(Node, Node)>> {
    // Slots in the order written; a key written again empties its old slot and takes a new one
    // at the end, so nothing is searched or shifted.
    let mut slots: Vec<Option<(Node, Node)>> = Vec::with_capacity(entries.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        let name = key.scalar().unwrap_or_default().to_owned();
        let Some(old) = index
            .get(&name)
            .and_then(|&at| slots.get_mut(at))
            .and_then(Option::take)
        else {
            index.insert(name, slots.len());
            slots.push(Some((key, value)));
            continue;
        };
        if strict_keys {
            return Err(
                Error::field(what, format!("key {name:?} already set in map"))
                    .at(key.line, key.column),
            );
        }
        let is_map = types.maps.contains(&name.as_str());
        let is_struct = types.structs.contains(&name.as_str());
        let (_, old) = old;
        let value = match (&old.value, &value.value) {
            (Value::Map(a), Value::Map(b)) if is_map || is_struct => {
                let both: Vec<(Node, Node)> = a.iter().chain(b.iter()).cloned().collect();
                Node {
                    value: Value::Map(combine(both, what, types, is_map)?),
                    line: old.line,
                    column: old.column,
                }
            }
            (Value::Seq(a), Value::Seq(b)) if types.appends.contains(&name.as_str()) => Node {
                value: Value::Seq(a.iter().chain(b.iter()).cloned().collect()),
                line: old.line,
                column: old.column,
            },
            _ => value,
        };
        index.insert(name, slots.len());
        slots.push(Some((key, value)));
    }
    Ok(slots.into_iter().flatten().collect())
}

fn too_many_nodes(what: &str) -> Error {
    Error::field(
        what,
        format!("the document expands to more than {MAX_NODES} nodes"),
    )
}

/// How many nodes a tree has, and about how much memory a copy of it takes (each node's size
/// and its text).
fn size(node: &Node) -> (usize, usize) {
    let mut nodes = 0usize;
    let mut bytes = 0usize;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        nodes += 1;
        bytes = bytes.saturating_add(std::mem::size_of::<Node>());
        match &n.value {
            Value::Scalar { text, .. } => bytes = bytes.saturating_add(text.len()),
            Value::Seq(items) => todo.extend(items.iter()),
            Value::Map(entries) => todo.extend(entries.iter().flat_map(|(k, v)| [k, v])),
        }
    }
    (nodes, bytes)
}

/// Writes `node` as block YAML with two-space indentation. Strings that YAML would read as
/// something else (`null`, `yes`, `10`, text with `: ` or a leading `*`) are double-quoted, so the
/// output reads back to the same tree.
pub fn to_string(node: &Node) -> String {
    to_string_with(node, Style::default())
}

/// How [`to_string_with`] writes strings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Write multi-line strings as literal block scalars (`|`), as people write PromQL in rule
    /// files, rather than as one double-quoted line full of `\n`.
    pub literal_blocks: bool,
}

/// Writes `node` as [`to_string`] does, in the given [`Style`].
pub fn to_string_with(node: &Node, style: Style) -> String {
    let mut out = String::new();
    write_node(&mut out, node, 0, Context::Top, style);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Top,
    MapValue,
    SeqItem,
}

fn write_node(out: &mut String, node: &Node, indent: usize, ctx: Context, style: Style) {
    let pad = " ".repeat(indent);
    match &node.value {
        Value::Scalar { text, plain } => {
            if ctx != Context::Top {
                out.push(' ');
            }
            if style.literal_blocks && !*plain && ctx != Context::Top && is_block_safe(text) {
                write_literal(out, text, indent);
                return;
            }
            out.push_str(&scalar_text(text, *plain));
            out.push('\n');
        }
        Value::Seq(items) if items.is_empty() => {
            out.push_str(if ctx == Context::Top { "[]\n" } else { " []\n" });
        }
        Value::Map(entries) if entries.is_empty() => {
            out.push_str(if ctx == Context::Top { "{}\n" } else { " {}\n" });
        }
        Value::Seq(items) => {
            if ctx != Context::Top {
                out.push('\n');
            }
            for item in items {
                out.push_str(&pad);
                out.push('-');
                match &item.value {
                    Value::Map(entries) if !entries.is_empty() => {
                        // The first entry sits on the dash's line.
                        out.push(' ');
                        write_entries(out, entries, indent + 2, true, style);
                    }
                    _ => write_node(out, item, indent + 2, Context::SeqItem, style),
                }
            }
        }
        Value::Map(entries) => {
            if ctx != Context::Top {
                out.push('\n');
            }
            write_entries(out, entries, indent, false, style);
        }
    }
}

/// The longest key written as `key: value`; YAML's limit is 1024 characters, the separator
/// included.
const MAX_IMPLICIT_KEY_CHARS: usize = 1000;

fn write_entries(
    out: &mut String,
    entries: &[(Node, Node)],
    indent: usize,
    first_inline: bool,
    style: Style,
) {
    let pad = " ".repeat(indent);
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 || !first_inline {
            out.push_str(&pad);
        }
        let key_text = match &key.value {
            // An empty plain key (`- : v`) is a null key, written as it was read; `""` would
            // be the empty string.
            Value::Scalar { text, plain: true } if text.is_empty() => String::new(),
            // A plain key keeps its meaning only written plain: `null:` is a null key, and
            // `"null":` would be the string.
            Value::Scalar { text, plain } => scalar_text(text, *plain),
            _ => scalar_text(key.scalar().unwrap_or_default(), false),
        };
        // YAML readers (this one and yaml.v2 alike) refuse an implicit key longer than 1024
        // characters: a longer one is written explicitly, `? key` then `: value`.
        if key_text.chars().count() > MAX_IMPLICIT_KEY_CHARS {
            out.push_str("? ");
            out.push_str(&key_text);
            out.push('\n');
            out.push_str(&pad);
        } else {
            out.push_str(&key_text);
        }
        out.push(':');
        // Block sequences under a key are indented one step, as most hand-written configs do.
        let child_indent = indent + 2;
        write_node(out, value, child_indent, Context::MapValue, style);
    }
}

/// Whether `text` reads back unchanged from a literal block scalar: several lines, no control
/// characters but newline (a tab is written escaped, in quotes, because the reader turns some
/// tabs into spaces as yaml.v2 does, depending on the lines around them), no leading space on
/// the first line (that would need an indentation indicator) and at most one trailing newline.
fn is_block_safe(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\n'])
        && !text.chars().any(|c| c.is_control() && c != '\n')
        && !body.lines().any(|l| l.trim().is_empty() && !l.is_empty())
}

/// Writes a literal block scalar (the leading space is already out), its lines at `indent`.
fn write_literal(out: &mut String, text: &str, indent: usize) {
    let pad = " ".repeat(indent);
    let body = text.strip_suffix('\n');
    out.push_str(if body.is_some() { "|\n" } else { "|-\n" });
    for line in body.unwrap_or(text).split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The scalar as YAML text: plain when that reads back as the same string, else double-quoted.
fn scalar_text(text: &str, plain: bool) -> String {
    // A plain scalar that spanned lines was folded when read: written on one line as it is now,
    // its newlines would end it early. One that starts with `---` or `...` was read plain where
    // it was indented; written where a line starts (a top-level scalar or key), it would be a
    // document marker instead. Tabs are written escaped: the reader turns some tabs into spaces
    // as Go's yaml.v2 reads them (`go_tabs`), which depends on what the line holds around them.
    let marker = text.starts_with("---") || text.starts_with("...");
    let keeps_plain = plain && !text.contains(['\n', '\t']) && !marker && starts_plain(text);
    if keeps_plain || is_safe_plain(text) {
        return text.to_owned();
    }
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Whether a plain scalar written with this first character reads as one in block context.
/// A flow collection's reader lets some through that block context reads as indicators (`[>]`
/// holds the plain scalar `>`, which `- >` would start a folded block scalar with).
fn starts_plain(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(
            '[' | ']' | '{' | '}' | ',' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
            | '@' | '`',
        ) => false,
        // These start a plain scalar only when a non-space follows.
        Some('-' | '?' | ':') => chars.next().is_some_and(|c| !c.is_whitespace()),
        _ => true,
    }
}

fn is_safe_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reserved_word = matches!(
        text.to_ascii_lowercase().as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let looks_numeric = text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_' | ':'))
        || text.starts_with("0x")
        || text.starts_with(".")
        || first.is_ascii_digit() && text.chars().all(|c| c.is_ascii_alphanumeric());
    !reserved_word
        && !looks_numeric
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '@'))
        && !matches!(first, '-' | '.' | '@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let got = match parse(input, "config") {
            Ok(Some(node)) => to_string(&node),
            Ok(None) => "<empty>\n".to_owned(),
            Err(err) => format!("error: {err}\n"),
        };
        assert_eq!(got, expect, "input:\n{input}");
    }

    #[test]
    fn block_yaml_reads_and_writes_back() {
        check(
            "route:\n  receiver: a\n  group_by: [alertname, job]\n  routes:\n  - matchers: ['x=\"1\"']\n    continue: true\n",
            "route:\n  receiver: a\n  group_by:\n    - alertname\n    - job\n  routes:\n    - matchers:\n        - \"x=\\\"1\\\"\"\n      continue: true\n",
        );
    }

    #[test]
    fn strings_that_would_change_meaning_are_quoted() {
        check(
            "a: 'null'\nb: 'yes'\nc: '10'\nd: 'x: y'\ne: ''\n",
            "a: \"null\"\nb: \"yes\"\nc: \"10\"\nd: \"x: y\"\ne: \"\"\n",
        );
    }

    #[test]
    fn a_plain_null_key_is_written_plain() {
        // Found by the `yaml` fuzz target: `- null: default` was written as `- "null": default`.
        check("- null: default\n  ~: x\n", "- null: default\n  ~: x\n");
        check("\"null\": a\n", "\"null\": a\n");
    }

    #[test]
    fn a_plain_scalar_folded_over_lines_is_written_quoted() {
        // Found by the `yaml` fuzz target: the folded text was written plain, newline and all,
        // and did not read back.
        check("r: defaom\n\n      - slo\n", "r: \"defaom\\n- slo\"\n");
        check("r: a\n  b\n", "r: a b\n");
    }

    #[test]
    fn a_plain_scalar_that_starts_like_a_document_marker_is_written_quoted() {
        // Found by the `yaml` fuzz target: ` ---` (a plain scalar, being indented) was written
        // as `---` at the start of a line, which starts a new, empty document.
        for (source, written) in [
            (" ---", "\"---\"\n"),
            (" ...", "\"...\"\n"),
            (" --- x", "\"--- x\"\n"),
            (" ... x", "\"... x\"\n"),
            (" --- a: 1", "\"--- a\": 1\n"),
            ("- ---\n- ...\n", "- \"---\"\n- \"...\"\n"),
        ] {
            check(source, written);
            // What is written reads back as the same text, not as an empty document.
            check(written, written);
        }
    }

    #[test]
    fn a_plain_scalar_that_starts_with_an_indicator_is_written_quoted() {
        // Found by the `yaml` fuzz target: in a flow sequence `[>]` holds the plain scalar `>`,
        // which was written as `- >`, the start of a folded block scalar.
        for (source, written) in [
            ("[>]", "- \">\"\n"),
            ("[|]", "- \"|\"\n"),
            ("[>>x]", "- \">>x\"\n"),
            ("{a: >}", "a: \">\"\n"),
            ("[-x, :x]", "- -x\n- :x\n"),
        ] {
            check(source, written);
            check(written, written);
        }
    }

    #[test]
    fn a_plain_scalar_holding_a_tab_is_written_quoted() {
        // Found by the `yaml` fuzz target: after a comment ended by a lone carriage return, the
        // plain scalar `-[<tab>-` kept its tab; written plain, the tab after `[` was read back
        // as a space.
        check("#\r-[\t-", "\"-[\\t-\"\n");
        check("\"-[\\t-\"\n", "\"-[\\t-\"\n");
    }

    #[test]
    fn a_key_longer_than_yaml_allows_an_implicit_key_is_written_explicitly() {
        // Found by the `yaml` fuzz target: a 1,025-character key, read as `? key`, was written
        // as `key:`, which no YAML reader accepts (implicit keys end within 1024 characters).
        for (key, explicit) in [("k".repeat(1000), false), ("k".repeat(1001), true)] {
            let source = format!("? {key}\n: v\n");
            let written = if explicit {
                format!("? {key}\n: v\n")
            } else {
                format!("{key}: v\n")
            };
            check(&source, &written);
            check(&written, &written);
            let nested = format!("- a: 1\n  ? {key}\n  : [x]\n");
            let written = if explicit {
                format!("- a: 1\n  ? {key}\n  :\n    - x\n")
            } else {
                format!("- a: 1\n  {key}:\n    - x\n")
            };
            check(&nested, &written);
            check(&written, &written);
        }
    }

    #[test]
    fn a_multi_line_text_holding_a_tab_is_written_quoted_not_as_a_literal_block() {
        // Found by the `yaml` fuzz target: `r[: |` then a line with a tab was written as a
        // literal block, and reading it back turned the tab into a space.
        let node = parse("r[: |\n #\r -\t", "t").unwrap().unwrap();
        let written = to_string_with(
            &node,
            Style {
                literal_blocks: true,
            },
        );
        assert_eq!(written, "r[: \"#\\n-\\t\\n\"\n");
        check(&written, &written);
    }

    #[test]
    fn an_empty_key_is_written_as_a_null_key_not_as_the_empty_string() {
        // Found by the `yaml` fuzz target: `- : v` was written as `- "": v`.
        for source in ["- : a\n", "? \n: b\n"] {
            let node = parse(source, "t").unwrap().unwrap();
            let written = to_string(&node);
            let back = parse(&written, "t").unwrap().unwrap();
            let key = |n: &Node| match &n.value {
                Value::Seq(items) => match &items[0].value {
                    Value::Map(m) => m[0].0.clone(),
                    other => panic!("{other:?}"),
                },
                Value::Map(m) => m[0].0.clone(),
                other => panic!("{other:?}"),
            };
            let k = key(&back);
            let null = matches!(&k.value, Value::Scalar { text, plain: true } if text.is_empty());
            assert!(
                null,
                "{source:?} written as {written:?} reads its key as {k:?}"
            );
        }
    }

    #[test]
    fn multi_line_strings_can_be_written_as_literal_blocks_that_read_back() {
        let node = Node::map(vec![
            ("a", Node::str("x > 1\nand\ny < 2")),
            (
                "b",
                Node::seq(vec![Node::str("one\ntwo\n"), Node::str(" lead\nx")]),
            ),
        ]);
        let text = to_string_with(
            &node,
            Style {
                literal_blocks: true,
            },
        );
        assert_eq!(
            text,
            "a: |-\n  x > 1\n  and\n  y < 2\nb:\n  - |\n    one\n    two\n  - \" lead\\nx\"\n"
        );
        let back = parse(&text, "t").ok().flatten().map(|n| to_string(&n));
        assert_eq!(back, Some(to_string(&node)));
    }

    #[test]
    fn an_empty_document_is_none() {
        check("# only a comment\n", "<empty>\n");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        check(
            "a: [1, 2\nb: 3\n",
            "error: line 1, column 9: config: YAML error: a `:` after a `[` or `{` left open: close it, or quote the text holding the `:` (illegal placement of ':' indicator)\n",
        );
    }

    #[test]
    fn duplicate_keys_are_errors_located_at_the_second_key() {
        check(
            "a: 1\nb: 2\na: 3\n",
            "error: line 3, column 1: config: mapping key \"a\" already defined at line 1\n",
        );
    }

    #[test]
    fn tabs_are_read_where_yaml_v2_reads_them() {
        // A tab after a key's colon separates, as in yaml.v2; so do tabs after values.
        check(
            "a:\tb\nc:\t\td\t# x\ne: {f:\tg}\n",
            "a: b\nc: d\ne:\n  f: g\n",
        );
        check("a: 'x\ty'\n", "a: \"x\\ty\"\n");
        check("a: |\n  x:\ty\n  \tz\n", "a: \"x:\\ty\\n\\tz\\n\"\n");
        // Inside a flow collection a tab is whitespace, even at the start of a line.
        check(
            "a: [x,\n\ty, 'p\tq', r\ts]\n",
            "a:\n  - x\n  - y\n  - \"p\\tq\"\n  - \"r\\ts\"\n",
        );
        // Where a key may start, yaml.v2 refuses a tab.
        for (text, line, column) in [
            ("a:\n  -\tb\n", 2, 4),
            ("a:\n  - \tb\n", 2, 5),
            ("a:\n  b: 1\n\t\n", 3, 1),
            ("a:\n\tb: 1\n", 2, 1),
        ] {
            let got = parse(text, "config").map_err(|e| (e.location, e.message));
            assert!(
                matches!(&got, Err((Some(at), m)) if *at == (line, column)
                    && m.contains("found character that cannot start any token")),
                "{text:?}: {got:?}"
            );
        }
    }

    #[test]
    fn known_differences_from_yaml_v2_are_pinned() {
        // amtool 0.25 accepts this list item as the matcher "a=very long"; burnlab refuses
        // the tab.
        let got = parse("m:\n  - a=very\n    \tlong\n", "config");
        assert!(
            matches!(&got, Err(e) if e.location == Some((3, 5))),
            "{got:?}"
        );
        // amtool 0.25 decodes `!!binary MTBz` as "10s"; burnlab keeps "MTBz".
        check("a: !!binary MTBz\n", "a: MTBz\n");
    }

    #[test]
    fn merge_keys_bring_in_mappings_as_yaml_v2_does() {
        check(
            "d: &d {receiver: a, group_wait: 1s}\nr:\n  <<: *d\n  group_wait: 2s\n",
            "d:\n  receiver: a\n  group_wait: 1s\nr:\n  receiver: a\n  group_wait: 2s\n",
        );
        // A merge after a key overrides it; in a list of merges the first wins.
        check(
            "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nr:\n  x: 0\n  <<: [*a, *b]\n",
            "a:\n  x: 1\nb:\n  x: 2\n  z: 2\nr:\n  z: 2\n  x: 1\n",
        );
        // Two merge keys in one mapping are not duplicates.
        check("r:\n  <<: {x: 1}\n  <<: {z: 2}\n", "r:\n  x: 1\n  z: 2\n");
        // A quoted `<<` is an ordinary key.
        check("r: {'<<': {x: 1}}\n", "r:\n  \"<<\":\n    x: 1\n");
    }

    #[test]
    fn merged_maps_and_structs_combine_by_their_go_types() {
        let types = MergeTypes {
            maps: &["match"],
            structs: &["http"],
            appends: &["matchers"],
        };
        let render = |text: &str| match parse_with(text, "config", &types) {
            Ok(Some(node)) => to_string(&node),
            Ok(None) => String::new(),
            Err(e) => format!("error: {e}"),
        };
        // A Go map takes the keys of both; a struct too, the later field winning.
        assert_eq!(
            render(
                "a: &a {match: {x: '1'}, http: {p: 1, q: 1}, r: 1}\nb:\n  <<: *a\n  match: {y: '2'}\n  http: {q: 2}\n  r: 2\n"
            ),
            "a:\n  match:\n    x: \"1\"\n  http:\n    p: 1\n    q: 1\n  r: 1\nb:\n  match:\n    x: \"1\"\n    y: \"2\"\n  http:\n    p: 1\n    q: 2\n  r: 2\n"
        );
        // A list whose decoder appends takes the items of both.
        assert_eq!(
            render("a: &a {matchers: [x]}\nb:\n  <<: *a\n  matchers: [y]\n"),
            "a:\n  matchers:\n    - x\nb:\n  matchers:\n    - x\n    - y\n"
        );
        // The same key in a map from both sides is yaml.v2's strict error.
        assert_eq!(
            render("a: &a {match: {x: '1'}}\nb:\n  <<: *a\n  match: {x: '2'}\n"),
            "error: line 4, column 11: config: key \"x\" already set in map"
        );
    }

    #[test]
    fn a_merge_of_anything_but_mappings_is_a_located_error() {
        check(
            "r:\n  <<: x\n",
            "error: line 2, column 7: config: map merge requires map or sequence of maps as the value\n",
        );
        check(
            "r:\n  <<: [{a: 1}, 2]\n",
            "error: line 2, column 16: config: map merge requires map or sequence of maps as the value\n",
        );
    }

    #[test]
    fn aliases_expand_to_copies_of_their_anchor() {
        check("a: &x {k: v}\nb: *x\n", "a:\n  k: v\nb:\n  k: v\n");
    }

    #[test]
    fn nodes_know_their_line_and_column() {
        let node = parse("route:\n  routes:\n    - receiver: x\n", "config")
            .ok()
            .flatten();
        let receiver = node
            .as_ref()
            .and_then(|n| n.get("route"))
            .and_then(|n| n.get("routes"))
            .and_then(|n| n.items())
            .and_then(|items| items.first())
            .and_then(|n| n.get("receiver"));
        assert_eq!(receiver.map(|n| (n.line, n.column)), Some((3, 17)));
    }

    #[test]
    fn nesting_beyond_the_limit_is_a_located_error_not_a_stack_overflow() {
        // The scanner stops flow nesting earlier than MAX_DEPTH; block nesting reaches ours.
        let flow = "[".repeat(MAX_DEPTH + 1);
        let got = parse(&flow, "config");
        assert!(matches!(&got, Err(e) if e.location.is_some()), "{got:?}");
        let block: String = (0..MAX_DEPTH + 1)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect();
        let got = parse(&block, "config");
        assert!(
            matches!(&got, Err(e) if e.message.contains("deeper than") && e.location.is_some()),
            "{got:?}"
        );
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&text, "config").is_err());
    }
}
