//! The PromQL the replay evaluates, parsed by a small hand-written parser so a WebAssembly build
//! need not carry a full PromQL grammar (`promql-parser` adds its own regex engine and parser
//! runtime).
//!
//! The parser reads all of PromQL's syntax that rule files use — numbers, strings, selectors with
//! matchers, ranges, `offset` and `@`, subqueries, function calls, aggregations with `by`/`without`
//! and a parameter, unary signs, every binary operator with `bool`, `on`/`ignoring` and
//! `group_left`/`group_right`, in Prometheus's precedence — so that a rule the replay cannot
//! evaluate is refused later by name ("`histogram_quantile` is not supported by the replay") at
//! its position, rather than with a confusing syntax error. Positions are byte offsets into the
//! expression text.

use crate::alertmanager::matchers::{MatchOp, Matcher};
use crate::duration::Duration;

/// A syntax error: what is wrong, at which byte of the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset into the expression.
    pub at: usize,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Binary operators, in Prometheus's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `atan2`
    Atan2,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `and`
    And,
    /// `or`
    Or,
    /// `unless`
    Unless,
}

impl BinOp {
    /// Whether this is a comparison (filters unless `bool` is given).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Gt | BinOp::Lt | BinOp::Ge | BinOp::Le
        )
    }

    /// Whether this is a set operator (`and`, `or`, `unless`).
    pub fn is_set(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or | BinOp::Unless)
    }

    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Atan2 => "atan2",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Gt => ">",
            BinOp::Lt => "<",
            BinOp::Ge => ">=",
            BinOp::Le => "<=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Unless => "unless",
        }
    }

    /// Binding strength: higher binds tighter (Prometheus's precedence table).
    fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And | BinOp::Unless => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Gt | BinOp::Lt | BinOp::Ge | BinOp::Le => 3,
            BinOp::Add | BinOp::Sub => 4,
            BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Atan2 => 5,
            BinOp::Pow => 6,
        }
    }
}

/// `on(...)`/`ignoring(...)` and `group_left`/`group_right` of a binary operation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matching {
    /// `on` (true) or `ignoring` (false); `ignoring()` with no labels when neither was written.
    pub on: bool,
    /// The labels listed.
    pub labels: Vec<String>,
    /// `group_left` / `group_right`, with the labels to include, if written.
    pub group: Option<(GroupSide, Vec<String>)>,
}

/// Which side is the "many" side of a grouped match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSide {
    /// `group_left`.
    Left,
    /// `group_right`.
    Right,
}

/// Aggregation grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// Neither `by` nor `without`: one group.
    None,
    /// `by (labels)`.
    By(Vec<String>),
    /// `without (labels)`.
    Without(Vec<String>),
}

/// A PromQL expression with the byte offset where each node starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number {
        /// Its value.
        value: f64,
        /// Byte offset.
        at: usize,
    },
    /// A string literal.
    String {
        /// Its value.
        value: String,
        /// Byte offset.
        at: usize,
    },
    /// An instant or range vector selector.
    Selector(Box<Selector>),
    /// A function call.
    Call {
        /// The function's name.
        name: String,
        /// Its arguments.
        args: Vec<Expr>,
        /// Byte offset.
        at: usize,
    },
    /// An aggregation (`sum by (job) (x)`).
    Aggregate {
        /// The operator: `sum`, `min`, `max`, `avg`, `count`, `group`, `topk`, …
        op: String,
        /// `by`/`without`.
        grouping: Grouping,
        /// The parameter of `topk`, `quantile`, `count_values`, ….
        param: Option<Box<Expr>>,
        /// The aggregated expression.
        expr: Box<Expr>,
        /// Byte offset.
        at: usize,
    },
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// `on`/`ignoring`/`group_*`, if written.
        matching: Option<Matching>,
        /// `bool` after a comparison.
        return_bool: bool,
        /// Byte offset of the operator.
        at: usize,
    },
    /// `-x` (a leading `+` is dropped while parsing).
    Negate {
        /// The operand.
        expr: Box<Expr>,
        /// Byte offset.
        at: usize,
    },
    /// `(x)`.
    Paren(Box<Expr>),
    /// A subquery `x[5m:1m]`, parsed only to be refused by name.
    Subquery {
        /// Byte offset of the `[`.
        at: usize,
    },
}

/// A vector selector, with its range when it is a range vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// The metric name, when written before the braces.
    pub name: Option<String>,
    /// The label matchers in the braces (the name is not among them).
    pub matchers: Vec<Matcher>,
    /// `[5m]`.
    pub range: Option<Duration>,
    /// Byte offset of `offset`, if written.
    pub offset_at: Option<usize>,
    /// Byte offset of `@`, if written.
    pub at_modifier: Option<usize>,
    /// Byte offset of the selector.
    pub at: usize,
}

impl Expr {
    /// Where the node starts.
    pub fn at(&self) -> usize {
        match self {
            Expr::Number { at, .. }
            | Expr::String { at, .. }
            | Expr::Call { at, .. }
            | Expr::Aggregate { at, .. }
            | Expr::Binary { at, .. }
            | Expr::Negate { at, .. }
            | Expr::Subquery { at } => *at,
            Expr::Selector(s) => s.at,
            Expr::Paren(e) => e.at(),
        }
    }
}

/// The aggregation operators of PromQL.
const AGGREGATORS: [&str; 12] = [
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Number(f64),
    Str(String),
    Duration(Duration),
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    At,
    Op(&'static str),
    Eof,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Inside `[...]` numbers followed by a unit are durations.
    in_brackets: bool,
}

fn err(at: usize, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        at,
        message: message.into(),
    }
}

impl<'a> Lexer<'a> {
    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                let line = trimmed.find('\n').unwrap_or(trimmed.len());
                self.pos += line;
            } else {
                return;
            }
        }
    }

    fn next(&mut self) -> Result<(Tok, usize), SyntaxError> {
        self.skip_space();
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok((Tok::Eof, start));
        };
        let rest = self.rest();
        let two = rest.get(..2).unwrap_or("");
        let single = |tok: Tok, lexer: &mut Self| {
            lexer.pos += 1;
            Ok((tok, start))
        };
        match c {
            '(' => single(Tok::LParen, self),
            ')' => single(Tok::RParen, self),
            '{' => single(Tok::LBrace, self),
            '}' => single(Tok::RBrace, self),
            '[' => {
                self.in_brackets = true;
                single(Tok::LBracket, self)
            }
            ']' => {
                self.in_brackets = false;
                single(Tok::RBracket, self)
            }
            ',' => single(Tok::Comma, self),
            ':' if self.in_brackets => single(Tok::Colon, self),
            '@' => single(Tok::At, self),
            '"' | '\'' | '`' => {
                let (s, len) = lex_string(rest).map_err(|m| err(start, m))?;
                self.pos += len;
                Ok((Tok::Str(s), start))
            }
            _ if ["==", "!=", ">=", "<=", "=~", "!~"].contains(&two) => {
                self.pos += 2;
                let op = match two {
                    "==" => "==",
                    "!=" => "!=",
                    ">=" => ">=",
                    "<=" => "<=",
                    "=~" => "=~",
                    _ => "!~",
                };
                Ok((Tok::Op(op), start))
            }
            '+' | '-' | '*' | '/' | '%' | '^' | '>' | '<' | '=' => {
                self.pos += 1;
                let op = match c {
                    '+' => "+",
                    '-' => "-",
                    '*' => "*",
                    '/' => "/",
                    '%' => "%",
                    '^' => "^",
                    '>' => ">",
                    '<' => "<",
                    _ => "=",
                };
                Ok((Tok::Op(op), start))
            }
            c if c.is_ascii_digit() || c == '.' => self.number(start),
            c if c.is_ascii_alphabetic() || c == '_' || c == ':' => {
                let len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == ':'))
                    .unwrap_or(rest.len());
                let word = rest.get(..len).unwrap_or("");
                self.pos += len;
                match word.to_ascii_lowercase().as_str() {
                    "inf" => Ok((Tok::Number(f64::INFINITY), start)),
                    "nan" => Ok((Tok::Number(f64::NAN), start)),
                    _ => Ok((Tok::Ident(word.to_owned()), start)),
                }
            }
            other => Err(err(start, format!("unexpected character `{other}`"))),
        }
    }

    fn number(&mut self, start: usize) -> Result<(Tok, usize), SyntaxError> {
        let rest = self.rest();
        if self.in_brackets {
            // A duration such as 5m or 1h30m.
            let len = rest
                .find(|ch: char| !ch.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let text = rest.get(..len).unwrap_or("");
            if text.bytes().any(|b| b.is_ascii_alphabetic()) {
                self.pos += len;
                let d = Duration::parse(text, "range").map_err(|e| err(start, e.message))?;
                return Ok((Tok::Duration(d), start));
            }
        }
        let len = if rest.starts_with("0x") || rest.starts_with("0X") {
            2 + rest
                .get(2..)
                .unwrap_or("")
                .find(|ch: char| !ch.is_ascii_hexdigit())
                .unwrap_or(rest.len().saturating_sub(2))
        } else {
            let bytes = rest.as_bytes();
            let mut i = 0;
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
            {
                i += 1;
            }
            if bytes.get(i).is_some_and(|b| *b == b'e' || *b == b'E') {
                let mut j = i + 1;
                if bytes.get(j).is_some_and(|b| *b == b'+' || *b == b'-') {
                    j += 1;
                }
                if bytes.get(j).is_some_and(u8::is_ascii_digit) {
                    while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                    i = j;
                }
            }
            i
        };
        let text = rest.get(..len).unwrap_or("");
        let value = if let Some(hex) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
            u64::from_str_radix(hex, 16).map(|v| v as f64).ok()
        } else {
            text.parse::<f64>().ok()
        };
        let Some(value) = value else {
            return Err(err(start, format!("`{text}` is not a number")));
        };
        self.pos += len;
        if self
            .peek_char()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return Err(err(
                self.pos,
                "a number cannot be followed by a letter here (durations are only allowed in [ ] and after offset)",
            ));
        }
        Ok((Tok::Number(value), start))
    }
}

/// Reads a quoted string at the start of `s`: Go's double-quoted and single-quoted strings
/// with escapes, or a backquoted raw string. Returns the value and the bytes consumed.
fn lex_string(s: &str) -> Result<(String, usize), String> {
    let mut chars = s.char_indices();
    let Some((_, quote)) = chars.next() else {
        return Err("expected a string".into());
    };
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return Ok((out, i + c.len_utf8()));
        }
        if c == '\n' && quote != '`' {
            return Err("unterminated string".into());
        }
        if c == '\\' && quote != '`' {
            let Some((_, e)) = chars.next() else {
                return Err("unterminated string".into());
            };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                '\\' => out.push('\\'),
                '"' if quote == '"' => out.push('"'),
                '\'' if quote == '\'' => out.push('\''),
                'x' | 'u' | 'U' => {
                    let n = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = (0..n)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    let code = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("invalid escape `\\{e}{hex}`"))?;
                    out.push(code);
                }
                d if d.is_digit(8) => {
                    let mut oct = String::from(d);
                    for _ in 0..2 {
                        if let Some((_, o)) = chars.next() {
                            oct.push(o);
                        }
                    }
                    let code = u32::from_str_radix(&oct, 8)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("invalid escape `\\{oct}`"))?;
                    out.push(code);
                }
                other => return Err(format!("unknown escape sequence `\\{other}`")),
            }
            continue;
        }
        out.push(c);
    }
    Err("unterminated string".into())
}

/// Parses one PromQL expression.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser {
        lexer: Lexer {
            src,
            pos: 0,
            in_brackets: false,
        },
        tok: Tok::Eof,
        at: 0,
        depth: 0,
    };
    p.advance()?;
    if p.tok == Tok::Eof {
        return Err(err(0, "the expression is empty"));
    }
    let e = p.expr(0)?;
    if p.tok != Tok::Eof {
        return Err(err(p.at, format!("unexpected {}", describe(&p.tok))));
    }
    Ok(e)
}

/// How deeply expressions may nest: far beyond real rules, far from the stack's end.
const MAX_DEPTH: usize = 200;

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Tok,
    at: usize,
    depth: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Number(n) => format!("number `{n}`"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Duration(d) => format!("duration `{d}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::LBracket => "`[`".into(),
        Tok::RBracket => "`]`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Colon => "`:`".into(),
        Tok::At => "`@`".into(),
        Tok::Op(o) => format!("`{o}`"),
        Tok::Eof => "end of the expression".into(),
    }
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<(), SyntaxError> {
        let (tok, at) = self.lexer.next()?;
        self.tok = tok;
        self.at = at;
        Ok(())
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), SyntaxError> {
        if &self.tok == want {
            self.advance()
        } else {
            Err(err(
                self.at,
                format!("expected {what}, found {}", describe(&self.tok)),
            ))
        }
    }

    fn keyword(&self) -> Option<String> {
        match &self.tok {
            Tok::Ident(s) => Some(s.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn binop(&self) -> Option<BinOp> {
        match &self.tok {
            Tok::Op(o) => Some(match *o {
                "+" => BinOp::Add,
                "-" => BinOp::Sub,
                "*" => BinOp::Mul,
                "/" => BinOp::Div,
                "%" => BinOp::Mod,
                "^" => BinOp::Pow,
                "==" => BinOp::Eq,
                "!=" => BinOp::Ne,
                ">" => BinOp::Gt,
                "<" => BinOp::Lt,
                ">=" => BinOp::Ge,
                "<=" => BinOp::Le,
                _ => return None,
            }),
            Tok::Ident(_) => match self.keyword().as_deref() {
                Some("and") => Some(BinOp::And),
                Some("or") => Some(BinOp::Or),
                Some("unless") => Some(BinOp::Unless),
                Some("atan2") => Some(BinOp::Atan2),
                _ => None,
            },
            _ => None,
        }
    }

    /// Precedence climbing: parses operators binding tighter than `min`.
    fn expr(&mut self, min: u8) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(self.at, "the expression nests too deeply"));
        }
        let mut lhs = self.unary()?;
        while let Some(op) = self.binop() {
            let prec = op.precedence();
            if prec <= min {
                break;
            }
            let at = self.at;
            self.advance()?;
            let mut return_bool = false;
            if self.keyword().as_deref() == Some("bool") {
                if !op.is_comparison() {
                    return Err(err(
                        self.at,
                        "`bool` is only allowed after a comparison operator",
                    ));
                }
                return_bool = true;
                self.advance()?;
            }
            let matching = self.matching()?;
            // `^` is right-associative: its right side may hold another `^`.
            let rhs = if op == BinOp::Pow {
                self.expr(prec - 1)?
            } else {
                self.expr(prec)?
            };
            lhs = Expr::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                matching,
                return_bool,
                at,
            };
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn matching(&mut self) -> Result<Option<Matching>, SyntaxError> {
        let on = match self.keyword().as_deref() {
            Some("on") => true,
            Some("ignoring") => false,
            _ => return Ok(None),
        };
        self.advance()?;
        let labels = self.label_list()?;
        let group = match self.keyword().as_deref() {
            Some("group_left") => Some(GroupSide::Left),
            Some("group_right") => Some(GroupSide::Right),
            _ => None,
        };
        let group = match group {
            Some(side) => {
                self.advance()?;
                let include = if self.tok == Tok::LParen {
                    self.label_list()?
                } else {
                    Vec::new()
                };
                Some((side, include))
            }
            None => None,
        };
        Ok(Some(Matching { on, labels, group }))
    }

    fn label_list(&mut self) -> Result<Vec<String>, SyntaxError> {
        self.expect(&Tok::LParen, "`(` and a list of label names")?;
        let mut out = Vec::new();
        loop {
            match &self.tok {
                Tok::RParen => {
                    self.advance()?;
                    return Ok(out);
                }
                Tok::Ident(name) => {
                    out.push(name.clone());
                    self.advance()?;
                    match self.tok {
                        Tok::Comma => self.advance()?,
                        Tok::RParen => {}
                        _ => {
                            return Err(err(
                                self.at,
                                format!(
                                    "expected `,` or `)` in the label list, found {}",
                                    describe(&self.tok)
                                ),
                            ));
                        }
                    }
                }
                Tok::Str(name) => {
                    out.push(name.clone());
                    self.advance()?;
                    if self.tok == Tok::Comma {
                        self.advance()?;
                    }
                }
                other => {
                    return Err(err(
                        self.at,
                        format!("expected a label name, found {}", describe(other)),
                    ));
                }
            }
        }
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        match &self.tok {
            Tok::Op("-") => {
                let at = self.at;
                self.advance()?;
                // Unary minus binds looser than `^`: -2^2 is -4.
                let e = self.expr(5)?;
                Ok(match e {
                    Expr::Number { value, .. } => Expr::Number { value: -value, at },
                    other => Expr::Negate {
                        expr: Box::new(other),
                        at,
                    },
                })
            }
            Tok::Op("+") => {
                self.advance()?;
                self.expr(5)
            }
            _ => self.postfix(),
        }
    }

    /// A primary expression followed by `[range]`, `[range:step]`, `offset` and `@`.
    fn postfix(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.primary()?;
        loop {
            match &self.tok {
                Tok::LBracket => {
                    let at = self.at;
                    self.advance()?;
                    let range = match &self.tok {
                        Tok::Duration(d) => *d,
                        Tok::Colon => Duration::default(),
                        other => {
                            return Err(err(
                                self.at,
                                format!(
                                    "expected a duration such as 5m, found {}",
                                    describe(other)
                                ),
                            ));
                        }
                    };
                    if self.tok != Tok::Colon {
                        self.advance()?;
                    }
                    if self.tok == Tok::Colon {
                        // A subquery: skip to the closing bracket.
                        while !matches!(self.tok, Tok::RBracket | Tok::Eof) {
                            self.advance()?;
                        }
                        self.expect(&Tok::RBracket, "`]`")?;
                        e = Expr::Subquery { at };
                        continue;
                    }
                    self.expect(&Tok::RBracket, "`]`")?;
                    match &mut e {
                        Expr::Selector(s) if s.range.is_none() && s.offset_at.is_none() => {
                            s.range = Some(range);
                        }
                        _ => {
                            return Err(err(
                                at,
                                "a range in [ ] must follow a series selector such as http_requests_total{code=\"500\"}",
                            ));
                        }
                    }
                }
                Tok::Ident(w) if w.eq_ignore_ascii_case("offset") => {
                    let at = self.at;
                    self.lexer.in_brackets = true;
                    self.advance()?;
                    self.lexer.in_brackets = false;
                    if matches!(self.tok, Tok::Op("-")) {
                        self.lexer.in_brackets = true;
                        self.advance()?;
                        self.lexer.in_brackets = false;
                    }
                    if !matches!(self.tok, Tok::Duration(_)) {
                        return Err(err(self.at, "expected a duration after `offset`"));
                    }
                    self.advance()?;
                    match &mut e {
                        Expr::Selector(s) => s.offset_at = Some(at),
                        _ => e = Expr::Subquery { at },
                    }
                }
                Tok::At => {
                    let at = self.at;
                    self.advance()?;
                    match &self.tok {
                        Tok::Number(_) => self.advance()?,
                        Tok::Ident(w) if w == "start" || w == "end" => {
                            self.advance()?;
                            self.expect(&Tok::LParen, "`(`")?;
                            self.expect(&Tok::RParen, "`)`")?;
                        }
                        other => {
                            return Err(err(
                                self.at,
                                format!(
                                    "expected a timestamp after `@`, found {}",
                                    describe(other)
                                ),
                            ));
                        }
                    }
                    match &mut e {
                        Expr::Selector(s) => s.at_modifier = Some(at),
                        _ => e = Expr::Subquery { at },
                    }
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at;
        match self.tok.clone() {
            Tok::Number(value) => {
                self.advance()?;
                Ok(Expr::Number { value, at })
            }
            Tok::Str(value) => {
                self.advance()?;
                Ok(Expr::String { value, at })
            }
            Tok::LParen => {
                self.advance()?;
                let e = self.expr(0)?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(Expr::Paren(Box::new(e)))
            }
            Tok::LBrace => {
                let matchers = self.matchers()?;
                Ok(Expr::Selector(Box::new(Selector {
                    name: None,
                    matchers,
                    range: None,
                    offset_at: None,
                    at_modifier: None,
                    at,
                })))
            }
            Tok::Ident(name) => {
                self.advance()?;
                let lower = name.to_ascii_lowercase();
                if AGGREGATORS.contains(&lower.as_str()) && matches!(self.tok, Tok::LParen)
                    || AGGREGATORS.contains(&lower.as_str())
                        && matches!(self.keyword().as_deref(), Some("by" | "without"))
                {
                    return self.aggregate(lower, at);
                }
                if self.tok == Tok::LParen {
                    self.advance()?;
                    let mut args = Vec::new();
                    if self.tok != Tok::RParen {
                        loop {
                            args.push(self.expr(0)?);
                            if self.tok == Tok::Comma {
                                self.advance()?;
                                continue;
                            }
                            break;
                        }
                    }
                    self.expect(&Tok::RParen, "`,` or `)` after the function's arguments")?;
                    return Ok(Expr::Call { name, args, at });
                }
                if matches!(
                    lower.as_str(),
                    "and" | "or" | "unless" | "by" | "without" | "on" | "ignoring" | "bool"
                ) {
                    return Err(err(at, format!("unexpected `{name}`")));
                }
                let matchers = if self.tok == Tok::LBrace {
                    self.matchers()?
                } else {
                    Vec::new()
                };
                Ok(Expr::Selector(Box::new(Selector {
                    name: Some(name),
                    matchers,
                    range: None,
                    offset_at: None,
                    at_modifier: None,
                    at,
                })))
            }
            other => Err(err(
                at,
                format!("expected an expression, found {}", describe(&other)),
            )),
        }
    }

    fn aggregate(&mut self, op: String, at: usize) -> Result<Expr, SyntaxError> {
        let mut grouping = self.grouping()?;
        self.expect(&Tok::LParen, "`(` after the aggregation")?;
        let first = self.expr(0)?;
        let (param, expr) = if self.tok == Tok::Comma {
            self.advance()?;
            let e = self.expr(0)?;
            (Some(Box::new(first)), e)
        } else {
            (None, first)
        };
        self.expect(&Tok::RParen, "`)` after the aggregated expression")?;
        if grouping == Grouping::None {
            grouping = self.grouping()?;
        }
        Ok(Expr::Aggregate {
            op,
            grouping,
            param,
            expr: Box::new(expr),
            at,
        })
    }

    fn grouping(&mut self) -> Result<Grouping, SyntaxError> {
        match self.keyword().as_deref() {
            Some("by") => {
                self.advance()?;
                Ok(Grouping::By(self.label_list()?))
            }
            Some("without") => {
                self.advance()?;
                Ok(Grouping::Without(self.label_list()?))
            }
            _ => Ok(Grouping::None),
        }
    }

    fn matchers(&mut self) -> Result<Vec<Matcher>, SyntaxError> {
        self.expect(&Tok::LBrace, "`{`")?;
        let mut out = Vec::new();
        loop {
            let name_at = self.at;
            let name = match &self.tok {
                Tok::RBrace => {
                    self.advance()?;
                    return Ok(out);
                }
                Tok::Ident(n) => n.clone(),
                Tok::Str(n) => n.clone(),
                other => {
                    return Err(err(
                        name_at,
                        format!("expected a label name, found {}", describe(other)),
                    ));
                }
            };
            self.advance()?;
            let op = match &self.tok {
                Tok::Op("=") => MatchOp::Equal,
                Tok::Op("!=") => MatchOp::NotEqual,
                Tok::Op("=~") => MatchOp::Regex,
                Tok::Op("!~") => MatchOp::NotRegex,
                other => {
                    return Err(err(
                        self.at,
                        format!(
                            "expected =, !=, =~ or !~ after `{name}`, found {}",
                            describe(other)
                        ),
                    ));
                }
            };
            self.advance()?;
            let value_at = self.at;
            let Tok::Str(value) = self.tok.clone() else {
                return Err(err(
                    value_at,
                    format!(
                        "expected a quoted label value, found {}",
                        describe(&self.tok)
                    ),
                ));
            };
            self.advance()?;
            let m = Matcher::new(op, name, value)
                .map_err(|e| err(value_at, format!("invalid regex: {e}")))?;
            out.push(m);
            match self.tok {
                Tok::Comma => self.advance()?,
                Tok::RBrace => {}
                _ => {
                    return Err(err(
                        self.at,
                        format!(
                            "expected `,` or `}}` after a matcher, found {}",
                            describe(&self.tok)
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the tree compactly so cases read as one line each.
    fn show(e: &Expr) -> String {
        match e {
            Expr::Number { value, .. } => format!("{value}"),
            Expr::String { value, .. } => format!("{value:?}"),
            Expr::Selector(s) => {
                let m: Vec<String> = s.matchers.iter().map(|m| m.to_string()).collect();
                let mut out = format!("{}{{{}}}", s.name.as_deref().unwrap_or(""), m.join(","));
                if let Some(r) = s.range {
                    out.push_str(&format!("[{r}]"));
                }
                if s.offset_at.is_some() {
                    out.push_str(" offset");
                }
                out
            }
            Expr::Call { name, args, .. } => format!(
                "{name}({})",
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            Expr::Aggregate {
                op,
                grouping,
                param,
                expr,
                ..
            } => {
                let g = match grouping {
                    Grouping::None => String::new(),
                    Grouping::By(l) => format!(" by({})", l.join(",")),
                    Grouping::Without(l) => format!(" without({})", l.join(",")),
                };
                let p = param
                    .as_ref()
                    .map(|p| format!("{}, ", show(p)))
                    .unwrap_or_default();
                format!("{op}{g}({p}{})", show(expr))
            }
            Expr::Binary {
                op,
                lhs,
                rhs,
                matching,
                return_bool,
                ..
            } => {
                let b = if *return_bool { " bool" } else { "" };
                let m = matching
                    .as_ref()
                    .map(|m| {
                        format!(
                            " {}({})",
                            if m.on { "on" } else { "ignoring" },
                            m.labels.join(",")
                        )
                    })
                    .unwrap_or_default();
                format!("({} {}{b}{m} {})", show(lhs), op.as_str(), show(rhs))
            }
            Expr::Negate { expr, .. } => format!("-{}", show(expr)),
            Expr::Paren(e) => show(e),
            Expr::Subquery { .. } => "subquery".into(),
        }
    }

    fn check(src: &str, expect: &str) {
        let got = match parse(src) {
            Ok(e) => show(&e),
            Err(e) => format!("error at {}: {}", e.at, e.message),
        };
        assert_eq!(got, expect, "{src}");
    }

    #[test]
    fn the_lessons_recording_rule_parses_with_its_regex_matcher() {
        check(
            "sum(rate(task_api_requests_total{status=~\"5..\"}[5m]))\n/\nsum(rate(task_api_requests_total[5m]))",
            "(sum(rate(task_api_requests_total{status=~\"5..\"}[5m])) / sum(rate(task_api_requests_total{}[5m])))",
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_looser_than_comparisons() {
        check(
            "a > 0.0144 and b > 0.0144 or c >= 1",
            "(((a{} > 0.0144) and (b{} > 0.0144)) or (c{} >= 1))",
        );
        check("1 + 2 * 3 ^ 2 ^ 1", "(1 + (2 * (3 ^ (2 ^ 1))))");
        check("-2 ^ 2", "-(2 ^ 2)");
        check("a - b - c", "((a{} - b{}) - c{})");
    }

    #[test]
    fn grouping_and_matching_modifiers_are_kept() {
        check(
            "max(x > (14.4 * 0.001)) without (sloth_window)",
            "max without(sloth_window)((x{} > (14.4 * 0.001)))",
        );
        check(
            "sum by (code) (rate(x[1h30m]))",
            "sum by(code)(rate(x{}[1h30m]))",
        );
        check("a / on(job) group_left b", "(a{} / on(job) b{})");
        check("a > bool 1", "(a{} > bool 1)");
        check("topk(3, x)", "topk(3, x{})");
    }

    #[test]
    fn comments_numbers_and_strings_read_as_prometheus_reads_them() {
        check("# ratio\nx # trailing\n", "x{}");
        check("1e-3 + 0x10 + .5 + Inf", "(((0.001 + 16) + 0.5) + inf)");
        check("x{a='b\\'c', d=`e\\f`}", "x{a=\"b'c\",d=\"e\\\\f\"}");
    }

    #[test]
    fn offsets_and_subqueries_parse_so_they_can_be_refused_by_name() {
        check("rate(x[5m] offset 1h)", "rate(x{}[5m] offset)");
        check(
            "max_over_time(rate(x[5m])[1h:1m])",
            "max_over_time(subquery)",
        );
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        check("", "error at 0: the expression is empty");
        check(
            "sum(x",
            "error at 5: expected `)` after the aggregated expression, found end of the expression",
        );
        check(
            "x{a=b}",
            "error at 4: expected a quoted label value, found `b`",
        );
        check(
            "rate(x[5x])",
            "error at 7: `5x` is not a duration: `x` is not a unit (use y, w, d, h, m, s or ms) (e.g. 5m, 1h30m, 30d)",
        );
        check(
            "(x > 1) [5m]",
            "error at 8: a range in [ ] must follow a series selector such as http_requests_total{code=\"500\"}",
        );
        check("x )", "error at 2: unexpected `)`");
        check(
            "x{a=~\"(\"}",
            "error at 5: invalid regex: error parsing regexp \"(\": found open group without closing ')'",
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "[a-z0-9_{}()\\[\\]=~!<>+*/^%,.:\"' -]{0,40}") {
            let _ = parse(&s);
        }
    }
}
