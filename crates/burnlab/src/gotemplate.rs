//! Go `text/template` parsing, as Go 1.19 parses it: the parser behind Alertmanager's template
//! files (`templates:` globs, loaded by `amtool check-config`) and Prometheus's annotation and
//! label templates (`promtool check rules`).
//!
//! [`parse`] builds the parse tree — text, comments, actions with their pipelines, `if`/`range`/
//! `with` with `else` and `else if`, `define`, `block`, `template`, `break`/`continue`, trim
//! markers `{{-`/`-}}`, variables and their scopes, field chains — and refuses what Go refuses
//! with Go's own message (`template: x:1: unclosed action`, `function "humanise" not defined`),
//! so a person sees the words Alertmanager or promtool would print, plus the line and column of
//! the offending token (Go reports only the line).
//!
//! Functions are checked against a named set, because Go refuses an unknown function at parse
//! time: [`ALERTMANAGER_FUNCS`] (Alertmanager 0.25's `DefaultFuncs`) and [`PROMETHEUS_FUNCS`]
//! (Prometheus 2.42's template expander); Go's builtins ([`BUILTIN_FUNCS`]) are always known.
//! [`parse_prometheus`] wraps the text as promtool does, with `$labels`, `$value`,
//! `$externalLabels` and `$externalURL` declared.
//!
//! Only parsing is done: nothing is executed, so errors that Go finds while executing (a missing
//! template named by `{{template}}`, a wrong argument type) are not reported here.

use std::fmt::Write as _;

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
}

/// One node of the parse tree. `offset` fields are byte offsets into the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Plain text between actions (after trim markers have trimmed it).
    Text {
        /// Where it starts.
        offset: usize,
        /// The text.
        text: String,
    },
    /// `{{pipeline}}`.
    Action(Pipeline),
    /// `{{if}}`, `{{range}}` or `{{with}}` with its body and optional `{{else}}` body.
    Control {
        /// `if`, `range` or `with`.
        keyword: &'static str,
        /// The condition or the ranged-over value.
        pipeline: Pipeline,
        /// The body.
        list: Vec<Node>,
        /// The `{{else}}` body (an `{{else if}}` is an `if` alone in it).
        else_list: Option<Vec<Node>>,
    },
    /// `{{template "name" pipeline}}`, also what a `{{block}}` leaves in place.
    Template {
        /// Where it starts.
        offset: usize,
        /// The called template's name.
        name: String,
        /// The data passed, if any.
        pipeline: Option<Pipeline>,
    },
    /// `{{break}}`.
    Break {
        /// Where it starts.
        offset: usize,
    },
    /// `{{continue}}`.
    Continue {
        /// Where it starts.
        offset: usize,
    },
}

/// `$x := cmd | cmd`: declared variables and the commands.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// Where it starts.
    pub offset: usize,
    /// Whether the declaration is an assignment (`=`) rather than a declaration (`:=`).
    pub is_assign: bool,
    /// Declared or assigned variables, `$` included.
    pub declarations: Vec<String>,
    /// The commands, in order; each has at least one argument.
    pub commands: Vec<Vec<Arg>>,
}

/// One operand of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A function name.
    Function(String),
    /// `.`.
    Dot,
    /// `nil`.
    Nil,
    /// `true` or `false`.
    Bool(bool),
    /// A number or character constant as written.
    Number(String),
    /// A string constant, unquoted.
    String(String),
    /// `$x.a.b`: the variable and its fields.
    Variable(Vec<String>),
    /// `.a.b`: the field chain from dot.
    Field(Vec<String>),
    /// `(pipeline).a.b`: fields of a parenthesized pipeline.
    Chain(Box<Arg>, Vec<String>),
    /// `(pipeline)`.
    Pipeline(Box<Pipeline>),
}

/// Parses `text` as Go's text/template does (Go 1.19, default delimiters).
pub fn parse(text: &str, options: Options<'_>) -> Result<Template, ParseError> {
    let funcs = |name: &str| BUILTIN_FUNCS.contains(&name) || options.funcs.contains(&name);
    let items = lex(text, !funcs("break"), !funcs("continue"));
    let mut parser = Parser {
        text,
        name: options.name,
        items,
        next: 0,
        furthest: 0,
        vars: vec!["$".to_owned()],
        funcs: &funcs,
        action_line: 0,
        range_depth: 0,
    };
    parser.parse_top()
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

// ---- lexer ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Break
                | Kind::Continue
                | Kind::Dot
                | Kind::Define
                | Kind::Else
                | Kind::End
                | Kind::If
                | Kind::Nil
                | Kind::Range
                | Kind::Template
                | Kind::With
        )
    }
}

#[derive(Debug, Clone)]
struct Item {
    kind: Kind,
    pos: usize,
    val: String,
    line: usize,
}

impl Item {
    /// The token as Go's `item.String` prints it in messages.
    fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".to_owned(),
            Kind::Error => self.val.clone(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                format!("{}...", go_quote(&head))
            }
            _ => go_quote(&self.val),
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: `_`, letters and decimal digits. Rust's `is_alphabetic` and
/// `is_numeric` are slightly wider than Go's `IsLetter` (category L) and `IsDigit` (Nd): they
/// also take letter-numbers such as `Ⅻ` and some combining vowel signs, which only matters for
/// identifiers written in those characters.
fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b, [b'-', c, ..] if is_space(char::from(*c)))
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b, [c, b'-', ..] if is_space(char::from(*c)))
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: i64,
    line: usize,
    start_line: usize,
    break_ok: bool,
    continue_ok: bool,
    items: Vec<Item>,
}

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.input.get(self.pos..).unwrap_or_default()
    }

    fn next(&mut self) -> Option<char> {
        let Some(c) = self.rest().chars().next() else {
            self.at_eof = true;
            return None;
        };
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn backup(&mut self) {
        if !self.at_eof && self.pos > 0 {
            let before = self.input.get(..self.pos).unwrap_or_default();
            if let Some(c) = before.chars().next_back() {
                self.pos -= c.len_utf8();
                if c == '\n' {
                    self.line -= 1;
                }
            }
        }
    }

    fn emit(&mut self, kind: Kind) {
        let val = self
            .input
            .get(self.start..self.pos)
            .unwrap_or_default()
            .to_owned();
        self.items.push(Item {
            kind,
            pos: self.start,
            val,
            line: self.start_line,
        });
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn ignore(&mut self) {
        let skipped = self.input.get(self.start..self.pos).unwrap_or_default();
        self.line += skipped.matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        if self.next().is_some_and(|c| valid.contains(c)) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.next().is_some_and(|c| valid.contains(c)) {}
        self.backup();
    }

    fn error(&mut self, message: String) -> Option<State> {
        self.items.push(Item {
            kind: Kind::Error,
            pos: self.start,
            val: message,
            line: self.start_line,
        });
        None
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim(rest) && rest.get(2..).is_some_and(|r| r.starts_with(RIGHT)) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    fn at_terminator(&mut self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(_) => self.rest().starts_with(RIGHT),
        }
    }

    fn step(&mut self, state: State) -> Option<State> {
        match state {
            State::Text => {
                if let Some(x) = self.rest().find(LEFT) {
                    self.pos += x;
                    let after = self.input.get(self.pos + LEFT.len()..).unwrap_or_default();
                    let trim = if has_left_trim(after) {
                        let before = self.input.get(self.start..self.pos).unwrap_or_default();
                        before.len() - before.trim_end_matches(is_space).len()
                    } else {
                        0
                    };
                    self.pos -= trim;
                    if self.pos > self.start {
                        let text = self.input.get(self.start..self.pos).unwrap_or_default();
                        self.line += text.matches('\n').count();
                        self.emit(Kind::Text);
                    }
                    self.pos += trim;
                    self.ignore();
                    return Some(State::LeftDelim);
                }
                self.pos = self.input.len();
                if self.pos > self.start {
                    let text = self.input.get(self.start..self.pos).unwrap_or_default();
                    self.line += text.matches('\n').count();
                    self.emit(Kind::Text);
                }
                self.emit(Kind::Eof);
                None
            }
            State::LeftDelim => {
                self.pos += LEFT.len();
                let trim = has_left_trim(self.rest());
                let after_marker = if trim { 2 } else { 0 };
                if self
                    .rest()
                    .get(after_marker..)
                    .is_some_and(|r| r.starts_with("/*"))
                {
                    self.pos += after_marker;
                    self.ignore();
                    return Some(State::Comment);
                }
                self.emit(Kind::LeftDelim);
                self.pos += after_marker;
                self.ignore();
                self.paren_depth = 0;
                Some(State::InsideAction)
            }
            State::Comment => {
                self.pos += 2;
                let Some(i) = self.rest().find("*/") else {
                    return self.error("unclosed comment".into());
                };
                self.pos += i + 2;
                let (delim, trim) = self.at_right_delim();
                if !delim {
                    return self.error("comment ends before closing delimiter".into());
                }
                // Comments are dropped, as Go does outside its ParseComments mode.
                if trim {
                    self.pos += 2;
                }
                self.pos += RIGHT.len();
                if trim {
                    let rest = self.rest();
                    self.pos += rest.len() - rest.trim_start_matches(is_space).len();
                }
                self.ignore();
                Some(State::Text)
            }
            State::RightDelim => {
                let trim = has_right_trim(self.rest());
                if trim {
                    self.pos += 2;
                    self.ignore();
                }
                self.pos += RIGHT.len();
                self.emit(Kind::RightDelim);
                if trim {
                    let rest = self.rest();
                    self.pos += rest.len() - rest.trim_start_matches(is_space).len();
                    self.ignore();
                }
                Some(State::Text)
            }
            State::InsideAction => {
                let (delim, _) = self.at_right_delim();
                if delim {
                    if self.paren_depth == 0 {
                        return Some(State::RightDelim);
                    }
                    return self.error("unclosed left paren".into());
                }
                let Some(c) = self.next() else {
                    return self.error("unclosed action".into());
                };
                match c {
                    c if is_space(c) => {
                        self.backup();
                        return Some(State::Space);
                    }
                    '=' => self.emit(Kind::Assign),
                    ':' => {
                        if self.next() != Some('=') {
                            return self.error("expected :=".into());
                        }
                        self.emit(Kind::Declare);
                    }
                    '|' => self.emit(Kind::Pipe),
                    '"' => return Some(State::Quote),
                    '`' => return Some(State::RawQuote),
                    '$' => return Some(State::Variable),
                    '\'' => return Some(State::Char),
                    '.' if !self.rest().is_empty()
                        && !self.rest().starts_with(|d: char| d.is_ascii_digit()) =>
                    {
                        return Some(State::Field);
                    }
                    '.' | '+' | '-' | '0'..='9' => {
                        self.backup();
                        return Some(State::Number);
                    }
                    c if is_alphanumeric(c) => {
                        self.backup();
                        return Some(State::Identifier);
                    }
                    '(' => {
                        self.emit(Kind::LeftParen);
                        self.paren_depth += 1;
                    }
                    ')' => {
                        self.emit(Kind::RightParen);
                        self.paren_depth -= 1;
                        if self.paren_depth < 0 {
                            return self.error(format!("unexpected right paren {}", go_rune(c)));
                        }
                    }
                    c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
                    c => {
                        return self
                            .error(format!("unrecognized character in action: {}", go_rune(c)));
                    }
                }
                Some(State::InsideAction)
            }
            State::Space => {
                let mut spaces = 0;
                while self.peek().is_some_and(is_space) {
                    self.next();
                    spaces += 1;
                }
                let from = self
                    .input
                    .get(self.pos.saturating_sub(1)..)
                    .unwrap_or_default();
                if has_right_trim(from) && from.get(2..).is_some_and(|r| r.starts_with(RIGHT)) {
                    self.backup();
                    if spaces == 1 {
                        return Some(State::RightDelim);
                    }
                }
                self.emit(Kind::Space);
                Some(State::InsideAction)
            }
            State::Identifier => loop {
                let c = self.next();
                if c.is_some_and(is_alphanumeric) {
                    continue;
                }
                self.backup();
                let word = self
                    .input
                    .get(self.start..self.pos)
                    .unwrap_or_default()
                    .to_owned();
                if !self.at_terminator() {
                    return self.error(format!("bad character {}", go_rune_opt(c)));
                }
                let kind = match word.as_str() {
                    "block" => Kind::Block,
                    "break" if self.break_ok => Kind::Break,
                    "continue" if self.continue_ok => Kind::Continue,
                    "define" => Kind::Define,
                    "else" => Kind::Else,
                    "end" => Kind::End,
                    "if" => Kind::If,
                    "range" => Kind::Range,
                    "nil" => Kind::Nil,
                    "template" => Kind::Template,
                    "with" => Kind::With,
                    "true" | "false" => Kind::Bool,
                    _ => Kind::Identifier,
                };
                self.emit(kind);
                return Some(State::InsideAction);
            },
            State::Field | State::Variable => {
                let is_var = matches!(state, State::Variable);
                if self.at_terminator() {
                    self.emit(if is_var { Kind::Variable } else { Kind::Dot });
                    return Some(State::InsideAction);
                }
                let mut c;
                loop {
                    c = self.next();
                    if !c.is_some_and(is_alphanumeric) {
                        self.backup();
                        break;
                    }
                }
                if !self.at_terminator() {
                    return self.error(format!("bad character {}", go_rune_opt(c)));
                }
                self.emit(if is_var { Kind::Variable } else { Kind::Field });
                Some(State::InsideAction)
            }
            State::Char => {
                loop {
                    match self.next() {
                        Some('\\') => {
                            if matches!(self.next(), Some(c) if c != '\n') {
                                continue;
                            }
                            return self.error("unterminated character constant".into());
                        }
                        None | Some('\n') => {
                            return self.error("unterminated character constant".into());
                        }
                        Some('\'') => break,
                        Some(_) => {}
                    }
                }
                self.emit(Kind::CharConstant);
                Some(State::InsideAction)
            }
            State::Number => {
                if !self.scan_number() {
                    let text = self.input.get(self.start..self.pos).unwrap_or_default();
                    return self.error(format!("bad number syntax: {}", go_quote(text)));
                }
                if matches!(self.peek(), Some('+' | '-')) {
                    let ok = self.scan_number()
                        && self.input.get(..self.pos).is_some_and(|s| s.ends_with('i'));
                    if !ok {
                        let text = self.input.get(self.start..self.pos).unwrap_or_default();
                        return self.error(format!("bad number syntax: {}", go_quote(text)));
                    }
                    self.emit(Kind::Complex);
                } else {
                    self.emit(Kind::Number);
                }
                Some(State::InsideAction)
            }
            State::Quote => {
                loop {
                    match self.next() {
                        Some('\\') => {
                            if matches!(self.next(), Some(c) if c != '\n') {
                                continue;
                            }
                            return self.error("unterminated quoted string".into());
                        }
                        None | Some('\n') => {
                            return self.error("unterminated quoted string".into());
                        }
                        Some('"') => break,
                        Some(_) => {}
                    }
                }
                self.emit(Kind::String);
                Some(State::InsideAction)
            }
            State::RawQuote => {
                loop {
                    match self.next() {
                        None => return self.error("unterminated raw quoted string".into()),
                        Some('`') => break,
                        Some(_) => {}
                    }
                }
                self.emit(Kind::RawString);
                Some(State::InsideAction)
            }
        }
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }
}

/// The whole item stream, ending with EOF or the first error (where Go's lexer stops).
fn lex(text: &str, break_ok: bool, continue_ok: bool) -> Vec<Item> {
    let mut lexer = Lexer {
        input: text,
        pos: 0,
        start: 0,
        at_eof: false,
        paren_depth: 0,
        line: 1,
        start_line: 1,
        break_ok,
        continue_ok,
        items: Vec::new(),
    };
    let mut state = Some(State::Text);
    while let Some(s) = state {
        state = lexer.step(s);
    }
    lexer.items
}

/// Go's `%q` of a string: double-quoted with Go's escapes.
fn go_quote(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#U` of a rune: `U+0041 'A'`.
fn go_rune(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

fn go_rune_opt(c: Option<char>) -> String {
    // Go's eof rune is -1, printed as U+FFFFFFFFFFFFFFFF.
    c.map_or_else(|| "U+FFFFFFFFFFFFFFFF".to_owned(), go_rune)
}

// ---- parser ----

/// Something the parser stops at: the error, with the token position it belongs to.
struct Stop {
    detail: String,
    line: usize,
    pos: usize,
}

type Parsed<T> = Result<T, Stop>;

/// `{{end}}` and `{{else}}` end a list; they are not nodes of the tree.
enum ListEnd {
    End,
    Else { offset: usize },
}

struct Parser<'a, F: Fn(&str) -> bool> {
    text: &'a str,
    name: &'a str,
    items: Vec<Item>,
    next: usize,
    furthest: usize,
    vars: Vec<String>,
    funcs: &'a F,
    action_line: usize,
    range_depth: usize,
}

impl<F: Fn(&str) -> bool> Parser<'_, F> {
    fn item(&self, i: usize) -> Item {
        self.items.get(i).cloned().unwrap_or_else(|| Item {
            kind: Kind::Eof,
            pos: self.text.len(),
            val: String::new(),
            line: self.items.last().map_or(1, |i| i.line),
        })
    }

    fn next_item(&mut self) -> Item {
        let item = self.item(self.next);
        self.furthest = self.furthest.max(self.next);
        self.next += 1;
        item
    }

    fn backup(&mut self) {
        self.next = self.next.saturating_sub(1);
    }

    fn peek(&mut self) -> Item {
        let item = self.next_item();
        self.backup();
        item
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.next_item();
            // A comment's marker item is skipped like space inside the parser's look-ahead.
            if item.kind != Kind::Space {
                return item;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let start = self.next;
        let item = self.next_non_space();
        self.next = start;
        // Go pushes back only the non-space token; the spaces before it are consumed.
        while self.item(self.next).kind == Kind::Space {
            self.next += 1;
        }
        item
    }

    /// Go's `errorf`: the line is that of the furthest token read.
    fn fail<T>(&self, detail: impl Into<String>) -> Parsed<T> {
        let item = self.item(self.furthest);
        Err(Stop {
            detail: detail.into(),
            line: item.line,
            pos: item.pos,
        })
    }

    fn fail_at<T>(&self, detail: impl Into<String>, pos: usize) -> Parsed<T> {
        let item = self.item(self.furthest);
        Err(Stop {
            detail: detail.into(),
            line: item.line,
            pos,
        })
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> Parsed<T> {
        if token.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if token.val.ends_with(" action") {
                    extra = extra.replacen(" in action", "", 1);
                }
            }
            return self.fail_at(format!("{}{extra}", token.val), token.pos);
        }
        self.fail_at(
            format!("unexpected {} in {context}", token.describe()),
            token.pos,
        )
    }

    fn expect(&mut self, kind: Kind, context: &str) -> Parsed<Item> {
        let token = self.next_non_space();
        if token.kind != kind {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn parse_top(&mut self) -> Result<Template, ParseError> {
        let mut template = Template {
            name: self.name.to_owned(),
            root: Vec::new(),
            definitions: Vec::new(),
        };
        match self.top(&mut template) {
            Ok(()) => Ok(template),
            Err(stop) => {
                let (token_line, token_column) = line_column(self.text, stop.pos);
                Err(ParseError {
                    message: format!("template: {}:{}: {}", self.name, stop.line, stop.detail),
                    detail: stop.detail,
                    line: stop.line,
                    token_line,
                    token_column,
                })
            }
        }
    }

    fn top(&mut self, template: &mut Template) -> Parsed<()> {
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let delim = self.next;
                self.next_item();
                if self.next_non_space().kind == Kind::Define {
                    let (name, body) = self.definition()?;
                    add_definition(self, template, name, body)?;
                    continue;
                }
                self.next = delim;
            }
            match self.text_or_action(template)? {
                Step::Node(n) => template.root.push(n),
                Step::End(ListEnd::End) => return self.fail("unexpected {{end}}"),
                Step::End(ListEnd::Else { .. }) => return self.fail("unexpected {{else}}"),
            }
        }
        if !is_empty(&template.root)
            && template
                .definitions
                .iter()
                .any(|(n, body)| *n == template.name && !is_empty(body))
        {
            return self.fail(format!(
                "template: multiple definition of template {}",
                go_quote(&template.name)
            ));
        }
        Ok(())
    }

    fn definition(&mut self) -> Parsed<(String, Vec<Node>)> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        if !matches!(token.kind, Kind::String | Kind::RawString) {
            return self.unexpected(&token, CONTEXT);
        }
        let name = match unquote(&token.val) {
            Some(n) => n,
            None => return self.fail("invalid syntax"),
        };
        self.expect(Kind::RightDelim, CONTEXT)?;
        // A definition is a tree of its own: it sees only `$`.
        let saved = std::mem::replace(&mut self.vars, vec!["$".to_owned()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let mut nested = Template {
            name: name.clone(),
            root: Vec::new(),
            definitions: Vec::new(),
        };
        let (body, end) = self.item_list(&mut nested)?;
        self.vars = saved;
        self.range_depth = saved_range;
        if let ListEnd::Else { .. } = end {
            return self.fail(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        Ok((name, body))
    }

    /// Nodes up to `{{end}}` or `{{else}}`; definitions met inside (blocks) go to `defs`.
    fn item_list(&mut self, defs: &mut Template) -> Parsed<(Vec<Node>, ListEnd)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action(defs)? {
                Step::Node(n) => list.push(n),
                Step::End(end) => return Ok((list, end)),
            }
        }
        self.fail("unexpected EOF")
    }

    fn text_or_action(&mut self, defs: &mut Template) -> Parsed<Step> {
        let token = self.next_non_space();
        match token.kind {
            Kind::Text => Ok(Step::Node(Node::Text {
                offset: token.pos,
                text: token.val,
            })),
            Kind::LeftDelim => {
                self.action_line = token.line;
                let result = self.action(defs);
                self.action_line = 0;
                result
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self, defs: &mut Template) -> Parsed<Step> {
        let token = self.next_non_space();
        match token.kind {
            Kind::Block => return self.block(defs).map(Step::Node),
            Kind::Break | Kind::Continue => {
                let context = if token.kind == Kind::Break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let next = self.next_non_space();
                if next.kind != Kind::RightDelim {
                    return self.unexpected(&next, context);
                }
                if self.range_depth == 0 {
                    return self.fail(format!("{context} outside {{{{range}}}}"));
                }
                return Ok(Step::Node(if token.kind == Kind::Break {
                    Node::Break { offset: token.pos }
                } else {
                    Node::Continue { offset: token.pos }
                }));
            }
            Kind::Else => {
                let peek = self.peek_non_space();
                if peek.kind == Kind::If {
                    return Ok(Step::End(ListEnd::Else { offset: peek.pos }));
                }
                let token = self.expect(Kind::RightDelim, "else")?;
                return Ok(Step::End(ListEnd::Else { offset: token.pos }));
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Step::End(ListEnd::End));
            }
            Kind::If => return self.control("if", defs).map(Step::Node),
            Kind::Range => return self.control("range", defs).map(Step::Node),
            Kind::With => return self.control("with", defs).map(Step::Node),
            Kind::Template => return self.template_call().map(Step::Node),
            _ => {}
        }
        self.backup();
        let pipeline = self.pipeline("command", Kind::RightDelim)?;
        Ok(Step::Node(Node::Action(pipeline)))
    }

    fn control(&mut self, keyword: &'static str, defs: &mut Template) -> Parsed<Node> {
        let depth = self.vars.len();
        let result = self.control_inner(keyword, defs);
        self.vars.truncate(depth);
        result
    }

    fn control_inner(&mut self, keyword: &'static str, defs: &mut Template) -> Parsed<Node> {
        let pipeline = self.pipeline(keyword, Kind::RightDelim)?;
        if keyword == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list(defs);
        if keyword == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let else_list = match end {
            ListEnd::End => None,
            ListEnd::Else { .. } => {
                if keyword == "if" && self.peek().kind == Kind::If {
                    // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` with one `{{end}}`.
                    self.next_item();
                    Some(vec![self.control("if", defs)?])
                } else {
                    let (else_list, end) = self.item_list(defs)?;
                    if let ListEnd::Else { .. } = end {
                        return self.fail("expected end; found {{else}}");
                    }
                    Some(else_list)
                }
            }
        };
        Ok(Node::Control {
            keyword,
            pipeline,
            list,
            else_list,
        })
    }

    fn block(&mut self, defs: &mut Template) -> Parsed<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let pipeline = self.pipeline(CONTEXT, Kind::RightDelim)?;
        let saved = std::mem::replace(&mut self.vars, vec!["$".to_owned()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        // Go reports a stray `{{else}}` with the line of the last token the outer tree read,
        // the end of the block's opening action.
        let opening = self.furthest;
        let listed = self.item_list(defs);
        self.vars = saved;
        self.range_depth = saved_range;
        let (body, end) = listed?;
        if let ListEnd::Else { offset, .. } = end {
            let line = self.item(opening).line;
            return Err(Stop {
                detail: format!("unexpected {{{{else}}}} in {CONTEXT}"),
                line,
                pos: offset,
            });
        }
        add_definition(self, defs, name.clone(), body)?;
        Ok(Node::Template {
            offset: token.pos,
            name,
            pipeline: Some(pipeline),
        })
    }

    fn template_call(&mut self) -> Parsed<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let pipeline = if self.next_non_space().kind == Kind::RightDelim {
            None
        } else {
            self.backup();
            Some(self.pipeline(CONTEXT, Kind::RightDelim)?)
        };
        Ok(Node::Template {
            offset: token.pos,
            name,
            pipeline,
        })
    }

    fn template_name(&self, token: &Item, context: &str) -> Parsed<String> {
        match token.kind {
            Kind::String | Kind::RawString => match unquote(&token.val) {
                Some(name) => Ok(name),
                None => self.fail("invalid syntax"),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> Parsed<Pipeline> {
        let first = self.peek_non_space();
        let mut pipe = Pipeline {
            offset: first.pos,
            is_assign: false,
            declarations: Vec::new(),
            commands: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, or `$k, $v :=` in a range.
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let at_variable = self.next;
            self.next_item();
            let after = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.declarations.push(v.val.clone());
                    self.vars.push(v.val);
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.declarations.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.declarations.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => return self.fail("range can only initialize variables"),
                        }
                    }
                    return self.fail(format!("too many declarations in {context}"));
                }
                _ if after.kind == Kind::Space => self.next = at_variable,
                _ => self.next = at_variable,
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.kind {
                k if k == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let command = self.command()?;
                    pipe.commands.push(command);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipeline, context: &str) -> Parsed<()> {
        if pipe.commands.is_empty() {
            return self.fail(format!("missing value for {context}"));
        }
        for (i, command) in pipe.commands.iter().enumerate().skip(1) {
            if matches!(
                command.first(),
                Some(Arg::Bool(_) | Arg::Dot | Arg::Nil | Arg::Number(_) | Arg::String(_))
            ) {
                return self.fail(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> Parsed<Vec<Arg>> {
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                args.push(operand);
            }
            let token = self.next_item();
            match token.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.fail("empty command");
        }
        Ok(args)
    }

    fn operand(&mut self) -> Parsed<Option<Arg>> {
        let Some(term) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(term));
        }
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            let field = self.next_item();
            fields.push(field.val.trim_start_matches('.').to_owned());
        }
        Ok(Some(match term {
            Arg::Field(mut base) => {
                base.extend(fields);
                Arg::Field(base)
            }
            Arg::Variable(mut base) => {
                base.extend(fields);
                Arg::Variable(base)
            }
            Arg::Bool(_) | Arg::String(_) | Arg::Number(_) | Arg::Nil | Arg::Dot => {
                let shown = self.term_text(&term);
                return self.fail(format!("unexpected . after term {}", go_quote(&shown)));
            }
            other => Arg::Chain(Box::new(other), fields),
        }))
    }

    /// How Go prints a literal term (its `String()`), for "unexpected . after term".
    fn term_text(&self, term: &Arg) -> String {
        match term {
            Arg::Bool(b) => b.to_string(),
            Arg::Nil => "nil".into(),
            Arg::Dot => ".".into(),
            Arg::Number(text) => text.clone(),
            Arg::String(s) => go_quote(s),
            _ => String::new(),
        }
    }

    fn term(&mut self) -> Parsed<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.kind {
            Kind::Identifier => {
                if !(self.funcs)(&token.val) {
                    return self.fail(format!("function {} not defined", go_quote(&token.val)));
                }
                Arg::Function(token.val)
            }
            Kind::Dot => Arg::Dot,
            Kind::Nil => Arg::Nil,
            Kind::Variable => {
                let parts: Vec<String> = token.val.split('.').map(str::to_owned).collect();
                let first = parts.first().cloned().unwrap_or_default();
                if !self.vars.contains(&first) {
                    return self.fail(format!("undefined variable {}", go_quote(&first)));
                }
                Arg::Variable(parts)
            }
            Kind::Field => Arg::Field(
                token
                    .val
                    .trim_start_matches('.')
                    .split('.')
                    .map(str::to_owned)
                    .collect(),
            ),
            Kind::Bool => Arg::Bool(token.val == "true"),
            Kind::CharConstant | Kind::Complex | Kind::Number => {
                if let Err(e) = check_number(&token.val, token.kind) {
                    return self.fail(e);
                }
                Arg::Number(token.val)
            }
            Kind::LeftParen => Arg::Pipeline(Box::new(
                self.pipeline("parenthesized pipeline", Kind::RightParen)?,
            )),
            Kind::String | Kind::RawString => match unquote(&token.val) {
                Some(s) => Arg::String(s),
                None => return self.fail("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Step {
    Node(Node),
    End(ListEnd),
}

/// Records a definition; two non-empty ones of the same name in one text are Go's
/// "multiple definition" error.
fn add_definition<F: Fn(&str) -> bool>(
    parser: &Parser<'_, F>,
    template: &mut Template,
    name: String,
    body: Vec<Node>,
) -> Parsed<()> {
    if let Some((_, old)) = template.definitions.iter_mut().find(|(n, _)| *n == name) {
        if is_empty(old) {
            *old = body;
            return Ok(());
        }
        if !is_empty(&body) {
            return parser.fail(format!(
                "template: multiple definition of template {}",
                go_quote(&name)
            ));
        }
        return Ok(());
    }
    template.definitions.push((name, body));
    Ok(())
}

/// Go's `IsEmptyTree`: nothing but space and comments.
fn is_empty(nodes: &[Node]) -> bool {
    nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let before = text.get(..pos.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Go's `strconv.Unquote` for the string tokens the lexer produces.
fn unquote(token: &str) -> Option<String> {
    if let Some(raw) = token.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        return Some(raw.replace('\r', ""));
    }
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(unescape(&mut chars, '"')?);
    }
    Some(out)
}

/// One escape after a backslash, as `strconv.UnquoteChar` reads it inside `quote`.
fn unescape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, quote: char) -> Option<char> {
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize| {
        let mut v = 0u32;
        for _ in 0..n {
            v = v * 16 + chars.next()?.to_digit(16)?;
        }
        Some(v)
    };
    Some(match chars.next()? {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        '\\' => '\\',
        c if c == quote => c,
        // Go's strings hold bytes; a `\x` or octal escape above 0x7F is a byte, read here as
        // the character of that value (the parse succeeds either way).
        'x' => char::from_u32(hex(chars, 2)?)?,
        d @ '0'..='7' => {
            let mut v = d.to_digit(8)?;
            for _ in 0..2 {
                v = v * 8 + chars.next()?.to_digit(8)?;
            }
            if v > 255 {
                return None;
            }
            char::from_u32(v)?
        }
        'u' => char::from_u32(hex(chars, 4)?)?,
        'U' => char::from_u32(hex(chars, 8)?)?,
        _ => return None,
    })
}

/// Go's `newNumber` checks: a number the lexer let through must still parse as Go reads it.
fn check_number(text: &str, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::CharConstant => {
            let inner = text.strip_prefix('\'').unwrap_or(text);
            let mut chars = inner.chars().peekable();
            match chars.next() {
                None | Some('\'') => return Err("invalid syntax".into()),
                Some('\\') => {
                    if unescape(&mut chars, '\'').is_none() {
                        return Err("invalid syntax".into());
                    }
                }
                Some(_) => {}
            }
            let tail: String = chars.collect();
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            Ok(())
        }
        Kind::Complex => {
            // `1+2i`: both parts must be numbers.
            let body = text.strip_suffix('i').unwrap_or(text);
            let split = body
                .char_indices()
                .skip(1)
                .filter(|&(i, c)| {
                    matches!(c, '+' | '-')
                        && !matches!(
                            body.get(..i).and_then(|s| s.chars().last()),
                            Some('e' | 'E' | 'p' | 'P')
                        )
                })
                .map(|(i, _)| i)
                .last();
            match split {
                Some(i)
                    if go_float(body.get(..i).unwrap_or_default())
                        && go_float(body.get(i..).unwrap_or_default()) =>
                {
                    Ok(())
                }
                _ => Err("expected integer".to_owned()),
            }
        }
        _ => {
            if let Some(body) = text.strip_suffix('i')
                && go_float(body)
            {
                return Ok(());
            }
            if go_int(text) {
                return Ok(());
            }
            if go_float(text) {
                if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                    return Err(format!("integer overflow: {}", go_quote(text)));
                }
                return Ok(());
            }
            Err(format!("illegal number syntax: {}", go_quote(text)))
        }
    }
}

/// Go's rule for `_` in number literals: only between digits, or after a base prefix.
fn underscores_ok(s: &str) -> bool {
    if !s.contains('_') {
        return true;
    }
    let s = s.trim_start_matches(['+', '-']);
    let bytes = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if let [b'0', prefix, ..] = bytes
        && matches!(prefix | 0x20, b'x' | b'b' | b'o')
    {
        hex = prefix | 0x20 == b'x';
        i = 2;
        saw = b'0';
    }
    while let Some(&c) = bytes.get(i) {
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseInt(text, 0, 64)` or `ParseUint` succeeds.
fn go_int(text: &str) -> bool {
    if !underscores_ok(text) {
        return false;
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = body.replace('_', "");
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..).unwrap_or_default().to_owned())
    } else {
        (10, lower)
    };
    if digits.is_empty() {
        return false;
    }
    match u64::from_str_radix(&digits, radix) {
        Ok(v) if negative => v <= 1 << 63,
        Ok(_) => true,
        Err(_) => false,
    }
}

/// `strconv.ParseFloat(text, 64)` succeeds (decimal or hex floats; overflow is an error).
fn go_float(text: &str) -> bool {
    if !underscores_ok(text) {
        return false;
    }
    let body = text.trim_start_matches(['+', '-']);
    if text.len() - body.len() > 1 {
        return false;
    }
    let body = body.replace('_', "");
    let lower = body.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        // Hex floats need a `p` exponent.
        let Some((mantissa, exp)) = hex.split_once('p') else {
            return false;
        };
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let digits = mantissa.replace('.', "");
        return !digits.is_empty()
            && mantissa.matches('.').count() <= 1
            && digits.chars().all(|c| c.is_ascii_hexdigit())
            && !exp.is_empty()
            && exp.chars().all(|c| c.is_ascii_digit());
    }
    if lower.starts_with("0b") || lower.starts_with("0o") {
        return false;
    }
    let valid_shape = {
        let (mantissa, exp) = match lower.split_once('e') {
            Some((m, e)) => (m, Some(e)),
            None => (lower.as_str(), None),
        };
        let digits = mantissa.replace('.', "");
        !digits.is_empty()
            && mantissa.matches('.').count() <= 1
            && digits.chars().all(|c| c.is_ascii_digit())
            && exp.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
            })
    };
    valid_shape && lower.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses with Alertmanager's functions and renders `ok` or Go's message.
    fn check(text: &str, expect: &str) {
        let got = match parse_alertmanager("x", text) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.message,
        };
        assert_eq!(got, expect, "template {text:?}");
    }

    #[test]
    fn alertmanagers_default_style_templates_parse() {
        check(
            r#"{{ define "slack.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ end }}
{{ define "slack.text" -}}
{{ range $i, $a := .Alerts }}{{ $i }}: {{ $a.Annotations.summary }} {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}{{ end -}}
{{ end }}
{{/* a comment */}}{{- block "b" . }}{{ template "slack.title" . }}{{ else }}{{ end }}"#
                .replace("{{ else }}{{ end }}", "{{ end }}")
                .as_str(),
            "ok",
        );
        check(
            r#"{{ if .CommonAnnotations.runbook }}{{ . }}{{ else if .x }}y{{ else }}none{{ end }}"#,
            "ok",
        );
        // Go 1.19 allows `else if` only after `if`.
        check(
            r#"{{ with .A }}{{ . }}{{ else if .x }}y{{ end }}"#,
            "template: x:1: unexpected <if> in input",
        );
        check(
            r#"{{ $x := 1 }}{{ $x = 2 }}{{ printf "%d" $x }}{{ (index .Alerts 0).Labels.a }}"#,
            "ok",
        );
        check(
            r#"{{ join ", " (stringSlice "a" "b") | reReplaceAll "a" "b" | safeHtml }}"#,
            "ok",
        );
    }

    #[test]
    fn go_messages_name_the_template_and_line() {
        check("{{ .Labels", "template: x:1: unclosed action");
        check(
            "a\n{{ .Labels\n",
            "template: x:3: unclosed action started at x:2",
        );
        check("{{ if .A }}\nb\n", "template: x:3: unexpected EOF");
        check("{{ end }}", "template: x:1: unexpected {{end}}");
        check("{{ else }}", "template: x:1: unexpected {{else}}");
        check(
            r#"{{ humanize .Value }}"#,
            r#"template: x:1: function "humanize" not defined"#,
        );
        check(r#"{{ $y }}"#, r#"template: x:1: undefined variable "$y""#);
        check(
            "{{ /* x */ }}",
            "template: x:1: unexpected \"/\" in command",
        );
        check("{{/* x", "template: x:1: unclosed comment");
        check(
            "{{/* x */ y}}",
            "template: x:1: comment ends before closing delimiter",
        );
        check("{{ \"abc }}", "template: x:1: unterminated quoted string");
        check(
            "{{ 'ab' }}",
            "template: x:1: malformed character constant: 'ab'",
        );
        check("{{ 3x }}", "template: x:1: bad number syntax: \"3x\"");
        check("{{ 0x }}", "template: x:1: illegal number syntax: \"0x\"");
        check("{{ 089 }}", "template: x:1: integer overflow: \"089\"");
        check(
            "{{ .a | 1 }}",
            "template: x:1: non executable command in pipeline stage 2",
        );
        check("{{ }}", "template: x:1: missing value for command");
        check("{{ if }}{{ end }}", "template: x:1: missing value for if");
        check("{{ (.a }}", "template: x:1: unclosed left paren");
        check("{{ .a) }}", "template: x:1: unexpected \")\" in command");
        check("{{ break }}", "template: x:1: {{break}} outside {{range}}");
        check(
            "{{ \"s\".x }}",
            "template: x:1: unexpected . after term \"\\\"s\\\"\"",
        );
        check(
            "{{ range $a, $b, $c := . }}{{ end }}",
            "template: x:1: too many declarations in range",
        );
        check(
            "{{ template x }}",
            "template: x:1: unexpected \"x\" in template clause",
        );
        check(
            "{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}",
            "template: x:1: template: multiple definition of template \"a\"",
        );
        check("{{ .a }", "template: x:1: unexpected \"}\" in operand");
        check(
            "{{ .a\u{00e9}b$ }}",
            "template: x:1: bad character U+0024 '$'",
        );
        check("{{ ; }}", "template: x:1: unexpected \";\" in command");
        check(
            "{{ \u{2603} }}",
            "template: x:1: unrecognized character in action: U+2603 '\u{2603}'",
        );
        check("{{ \"\\q\" }}", "template: x:1: invalid syntax");
    }

    #[test]
    fn numbers_are_read_as_go_reads_them() {
        for ok in [
            "{{ 1+2i }}",
            "{{ 1_000 }}",
            "{{ 0x_1 }}",
            "{{ -3.5e2 }}",
            "{{ 'a' }}",
            "{{ 0x1p-2 }}",
        ] {
            check(ok, "ok");
        }
        check(
            "{{ 1__0 }}",
            "template: x:1: illegal number syntax: \"1__0\"",
        );
        check(
            "{{ 99999999999999999999 }}",
            "template: x:1: integer overflow: \"99999999999999999999\"",
        );
        check(
            "{{ 1e999 }}",
            "template: x:1: illegal number syntax: \"1e999\"",
        );
        check("{{ '' }}", "template: x:1: invalid syntax");
        check("{{ .x.1 }}", "template: x:1: unexpected \".1\" in operand");
    }

    #[test]
    fn a_stray_else_in_a_block_is_reported_at_the_blocks_line() {
        check(
            "{{block \"a\" .}}x\n{{else}}\n{{end}}",
            "template: x:1: unexpected {{else}} in block clause",
        );
    }

    #[test]
    fn an_action_left_open_across_lines_says_where_it_started() {
        check(
            "{{ if .A\n\n}}{{ \"x\n}}{{end}}",
            "template: x:3: unterminated quoted string",
        );
        check(
            "line\n{{ .a\n .b\n",
            "template: x:4: unclosed action started at x:2",
        );
    }

    #[test]
    fn variables_live_until_the_end_of_their_block() {
        check(
            "{{ if 1 }}{{ $a := 1 }}{{ end }}{{ $a }}",
            r#"template: x:1: undefined variable "$a""#,
        );
        check("{{ $a := 1 }}{{ if 1 }}{{ $a }}{{ end }}{{ $a }}", "ok");
        check(
            "{{ $a := 1 }}{{ define \"t\" }}{{ $a }}{{ end }}",
            r#"template: x:1: undefined variable "$a""#,
        );
        check("{{ range $i, $e := . }}{{ $i }}{{ break }}{{ end }}", "ok");
    }

    #[test]
    fn trim_markers_trim_the_text_beside_them() {
        let t = parse_alertmanager("x", "a  \n {{- .b -}} \n c").ok();
        let texts: Vec<String> = t
            .map(|t| {
                t.root
                    .iter()
                    .filter_map(|n| match n {
                        Node::Text { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(texts, vec!["a".to_owned(), "c".to_owned()]);
        // `{{-3}}` is the number -3, not a trim marker.
        check("{{-3}}", "ok");
    }

    #[test]
    fn the_parse_tree_names_fields_variables_and_functions() {
        let t = parse_prometheus(
            "HighErrorRate",
            "{{ $labels.service }} at {{ $value | humanizePercentage }}",
        );
        let args: Vec<Arg> = t
            .map(|t| {
                t.root
                    .into_iter()
                    .filter_map(|n| match n {
                        Node::Action(p) if p.declarations.is_empty() => Some(p.commands),
                        _ => None,
                    })
                    .flatten()
                    .flatten()
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            args,
            vec![
                Arg::Variable(vec!["$labels".into(), "service".into()]),
                Arg::Variable(vec!["$value".into()]),
                Arg::Function("humanizePercentage".into()),
            ]
        );
    }

    #[test]
    fn promtool_style_parsing_knows_prometheus_functions_and_locates_the_error() {
        assert!(parse_prometheus("A", "{{ $value | humanize }} {{ $externalURL }}").is_ok());
        let err = parse_prometheus("A", "ok {{ $labels.x | humanise }}").err();
        assert_eq!(
            err.as_ref()
                .map(|e| (e.message.as_str(), e.token_line, e.token_column)),
            Some((
                r#"template: __alert_A:1: function "humanise" not defined"#,
                1,
                19
            ))
        );
        let err = parse_prometheus("A", "x\n  {{ .Labels").err();
        assert_eq!(
            err.map(|e| (e.message, e.token_line, e.token_column)),
            Some(("template: __alert_A:2: unclosed action".to_owned(), 2, 13))
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "[{}a-z .$|()\"'`\\-/*:=0-9\n\u{e9}]{0,60}") {
            let _ = parse_alertmanager("x", &s);
            let _ = parse_prometheus("x", &s);
        }
    }
}
