//! The lexer, after Go's text/template/parse lex.go: the text becomes a stream of items (text,
//! delimiters, and the tokens inside actions), with trim markers applied and comments dropped.
//! As in Go, each lexer state is a function that reads some input and returns the next state;
//! `State` names them and `Lexer::step` runs the one named. Lexing stops at EOF or at the
//! first error, which is the last item.

use crate::alertmanager::matchers::go_quote;

/// What an item is: Go's `itemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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

/// One token: Go's `item`.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// What it is.
    pub(super) kind: Kind,
    /// Byte offset of its start in the text.
    pub(super) pos: usize,
    /// Its text, or the message of an error item.
    pub(super) val: String,
    /// 1-based line of its start.
    pub(super) line: usize,
}

impl Item {
    /// The token as Go's `item.String` prints it in messages.
    pub(super) fn describe(&self) -> String {
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

/// The lexer's position in the text and the items emitted so far.
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

/// The lexer's states, one per function of the lexer (Go's `stateFn` values).
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

    /// Runs one state and returns the next, or `None` when lexing has stopped (at EOF or an
    /// error): Go's `for state := lexText; state != nil; { state = state(l) }`.
    fn step(&mut self, state: State) -> Option<State> {
        match state {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field(),
            State::Variable => self.lex_variable(),
            State::Char => self.lex_char(),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quote(),
            State::RawQuote => self.lex_raw_quote(),
        }
    }

    /// Go's `lexText`: text up to the next `{{`, trimmed before a `{{-`, or up to the end.
    fn lex_text(&mut self) -> Option<State> {
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

    /// Go's `lexLeftDelim`: `{{` or `{{-`, starting an action or a comment.
    fn lex_left_delim(&mut self) -> Option<State> {
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

    /// Go's `lexComment`: `/* … */` and the closing delimiter right after it.
    fn lex_comment(&mut self) -> Option<State> {
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

    /// Go's `lexRightDelim`: `}}` or `-}}`, trimming the space after a `-}}`.
    fn lex_right_delim(&mut self) -> Option<State> {
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

    /// Go's `lexInsideAction`: one token inside an action, or the state that reads it.
    fn lex_inside_action(&mut self) -> Option<State> {
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
                return self.error(format!("unrecognized character in action: {}", go_rune(c)));
            }
        }
        Some(State::InsideAction)
    }

    /// Go's `lexSpace`: a run of space; a single space before `-}}` belongs to the delimiter.
    fn lex_space(&mut self) -> Option<State> {
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

    /// Go's `lexIdentifier`: a keyword, `true`/`false`, or a function name.
    fn lex_identifier(&mut self) -> Option<State> {
        loop {
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
        }
    }

    /// Go's `lexField`: `.name`, or `.` alone.
    fn lex_field(&mut self) -> Option<State> {
        self.lex_field_or_variable(Kind::Field)
    }

    /// Go's `lexVariable`: `$name`, or `$` alone.
    fn lex_variable(&mut self) -> Option<State> {
        self.lex_field_or_variable(Kind::Variable)
    }

    /// Go's `lexFieldOrVariable`: the name after `.` or `$`, which must end at a terminator.
    fn lex_field_or_variable(&mut self, kind: Kind) -> Option<State> {
        let is_var = kind == Kind::Variable;
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
        self.emit(kind);
        Some(State::InsideAction)
    }

    /// Go's `lexChar`: a character constant up to its closing `'` (checked by the parser).
    fn lex_char(&mut self) -> Option<State> {
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

    /// Go's `lexNumber`: a number, or a complex number `1+2i` as one token.
    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let text = self.input.get(self.start..self.pos).unwrap_or_default();
            return self.error(format!("bad number syntax: {}", go_quote(text)));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            let ok =
                self.scan_number() && self.input.get(..self.pos).is_some_and(|s| s.ends_with('i'));
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

    /// Go's `lexQuote`: a double-quoted string on one line (unquoted by the parser).
    fn lex_quote(&mut self) -> Option<State> {
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

    /// Go's `lexRawQuote`: a back-quoted string, which may span lines.
    fn lex_raw_quote(&mut self) -> Option<State> {
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
pub(super) fn lex(text: &str, break_ok: bool, continue_ok: bool) -> Vec<Item> {
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
