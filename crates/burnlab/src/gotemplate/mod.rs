//! Go `text/template` parsing, as Go 1.19 parses it: the parser behind Alertmanager's template
//! files (`templates:` globs, loaded by `amtool check-config`) and Prometheus's annotation and
//! label templates (`promtool check rules`).
//!
//! [`parse`](fn@parse) builds the parse tree — text, comments, actions with their pipelines,
//! `if`/`range`/`with` with `else` and `else if`, `define`, `block`, `template`,
//! `break`/`continue`, trim markers `{{-`/`-}}`, variables and their scopes, field chains — and
//! refuses what Go refuses with Go's own message (`template: x:1: unclosed action`, `function
//! "humanise" not defined`), so a person sees the words Alertmanager or promtool would print,
//! plus the line and column of the offending token (Go reports only the line).
//!
//! Functions are checked against a named set, because Go refuses an unknown function at parse
//! time: [`ALERTMANAGER_FUNCS`] (Alertmanager 0.25's `DefaultFuncs`) and [`PROMETHEUS_FUNCS`]
//! (Prometheus 2.42's template expander); Go's builtins ([`BUILTIN_FUNCS`]) are always known.
//! [`parse_prometheus`] wraps the text as promtool does, with `$labels`, `$value`,
//! `$externalLabels` and `$externalURL` declared.
//!
//! Only parsing is done: nothing is executed, so errors that Go finds while executing (a missing
//! template named by `{{template}}`, a wrong argument type) are not reported here.
//!
//! One difference from Go is deliberate: nesting (parenthesized pipelines, `if`/`range`/`with`
//! bodies, `else if` chains, blocks) stops at [`MAX_DEPTH`] levels with Go's own message for
//! deep parentheses, where Go allows 10,000 parentheses and any number of actions: the parser
//! recurses once per level, and a WebAssembly build may have a 1 MB stack. Every other step is linear:
//! variables and definitions are looked up in hash maps, not by scanning what came before.
//!
//! The code is split as Go's `text/template/parse` package splits it: `lex` turns the text into
//! items with one function per lexer state (lex.go), `node` is the parse tree (node.go), and
//! `parse` is the recursive-descent parser with Go's number and string checks (parse.go). This
//! module holds the entry points with their options and results ([`Options`], [`Template`],
//! [`ParseError`]) and the function tables.

mod lex;
mod node;
mod parse;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use lex::lex;
pub use node::{Arg, Node, Pipeline};
use parse::Parser;

/// The deepest nesting of parentheses and actions parsed; Go stops parentheses at 10,000
/// (`max expression depth exceeded`). Real templates nest fewer than ten levels.
pub const MAX_DEPTH: usize = 100;

/// Go's builtin template functions (text/template's `builtins`), known in every template.
pub const BUILTIN_FUNCS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Alertmanager 0.25's template functions (template/template.go `DefaultFuncs`).
pub const ALERTMANAGER_FUNCS: &[&str] = &[
    "toUpper",
    "toLower",
    "title",
    "join",
    "match",
    "safeHtml",
    "reReplaceAll",
    "stringSlice",
];

/// Prometheus 2.42's functions for alerting-rule templates (template/template.go,
/// `NewTemplateExpander`), which `promtool check rules` parses annotations and labels with.
pub const PROMETHEUS_FUNCS: &[&str] = &[
    "query",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "safeHtml",
    "match",
    "title",
    "toUpper",
    "toLower",
    "graphLink",
    "tableLink",
    "sortByLabel",
    "stripPort",
    "stripDomain",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toTime",
    "pathPrefix",
    "externalURL",
    "parseDuration",
];

/// The declarations promtool puts before every annotation and label template it checks
/// (model/rulefmt `testTemplateParsing`); they hold no newline, so lines are unchanged.
pub const PROMETHEUS_PRELUDE: &str = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

/// A parse error as Go reports it, with the position of the token it stopped at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Go's whole message: `template: NAME:LINE: what`.
    pub message: String,
    /// What is wrong, without Go's `template: NAME:LINE: ` prefix.
    pub detail: String,
    /// The line Go names (1-based), which is where the last token read starts.
    pub line: usize,
    /// 1-based line of the offending token in the text.
    pub token_line: usize,
    /// 1-based column (in characters) of the offending token in the text.
    pub token_column: usize,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// How to parse: the template's name (in messages) and the functions it may call besides Go's
/// builtins.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The name Go gives the template: a file's base name for Alertmanager, `__alert_NAME` for
    /// promtool.
    pub name: &'a str,
    /// Functions known besides [`BUILTIN_FUNCS`].
    pub funcs: &'a [&'a str],
}

/// A parsed template: its top-level list and every `{{define}}`/`{{block}}` in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The name it was parsed under.
    pub name: String,
    /// The top-level nodes (definitions are not among them).
    pub root: Vec<Node>,
    /// Named templates defined in the text, in order: `(name, body)`.
    pub definitions: Vec<(String, Vec<Node>)>,
    /// Where each name is in `definitions`.
    index: HashMap<String, usize>,
}

impl Template {
    fn new(name: String) -> Self {
        Self {
            name,
            root: Vec::new(),
            definitions: Vec::new(),
            index: HashMap::new(),
        }
    }
}

/// Parses `text` as Go's text/template does (Go 1.19, default delimiters).
pub fn parse(text: &str, options: Options<'_>) -> Result<Template, ParseError> {
    let funcs = |name: &str| BUILTIN_FUNCS.contains(&name) || options.funcs.contains(&name);
    let items = lex(text, !funcs("break"), !funcs("continue"));
    Parser::new(text, options.name, items, &funcs).parse_top()
}

/// Parses an annotation or label template of the alerting rule `alert` as `promtool check
/// rules` does: named `__alert_ALERT`, with [`PROMETHEUS_FUNCS`] and promtool's declarations
/// in front. Positions in the error are those of `text` itself.
pub fn parse_prometheus(alert: &str, text: &str) -> Result<Template, ParseError> {
    let name = format!("__alert_{alert}");
    let full = format!("{PROMETHEUS_PRELUDE}{text}");
    parse(
        &full,
        Options {
            name: &name,
            funcs: PROMETHEUS_FUNCS,
        },
    )
    .map_err(|mut e| {
        // The prelude is on the first line: columns there move back by its length.
        if e.token_line == 1 {
            e.token_column = e
                .token_column
                .saturating_sub(PROMETHEUS_PRELUDE.chars().count())
                .max(1);
        }
        e
    })
}

/// Parses an Alertmanager template file as `amtool check-config` loads it: named after the
/// file's base name, with [`ALERTMANAGER_FUNCS`].
pub fn parse_alertmanager(file_name: &str, text: &str) -> Result<Template, ParseError> {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    parse(
        text,
        Options {
            name: base,
            funcs: ALERTMANAGER_FUNCS,
        },
    )
}
