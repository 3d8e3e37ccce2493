//! The parser, after Go's text/template/parse parse.go: items from the lexer become the parse
//! tree and the definitions beside it, with variables checked against their scopes, functions
//! against the known names, and numbers and strings as Go's `strconv` reads them. A stop carries
//! Go's message and the position of the token it belongs to; `Parser::parse_top` turns it into
//! a [`ParseError`] with Go's `template: NAME:LINE: ` prefix.

use super::lex::{Item, Kind};
use super::{Arg, MAX_DEPTH, Node, ParseError, Pipeline, Template};
use crate::alertmanager::matchers::go_quote;
use std::collections::HashMap;

/// The variables in scope, in declaration order, with a count per name so that a use is found
/// without scanning every declaration before it.
#[derive(Debug, Default)]
struct Vars {
    list: Vec<String>,
    count: HashMap<String, usize>,
}

impl Vars {
    /// A new scope that sees only `$`.
    fn dollar() -> Self {
        let mut vars = Self::default();
        vars.push("$".to_owned());
        vars
    }

    fn push(&mut self, name: String) {
        *self.count.entry(name.clone()).or_default() += 1;
        self.list.push(name);
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    /// Forgets the variables declared after the first `len`.
    fn truncate(&mut self, len: usize) {
        while self.list.len() > len {
            if let Some(name) = self.list.pop()
                && let Some(n) = self.count.get_mut(&name)
            {
                *n -= 1;
                if *n == 0 {
                    self.count.remove(&name);
                }
            }
        }
    }

    fn contains(&self, name: &str) -> bool {
        self.count.contains_key(name)
    }
}

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

/// The parser's place in the item stream and the scopes open there.
pub(super) struct Parser<'a, F: Fn(&str) -> bool> {
    text: &'a str,
    name: &'a str,
    items: Vec<Item>,
    next: usize,
    furthest: usize,
    vars: Vars,
    funcs: &'a F,
    action_line: usize,
    range_depth: usize,
    /// Levels of nesting open now (see [`MAX_DEPTH`]).
    depth: usize,
}

impl<'a, F: Fn(&str) -> bool> Parser<'a, F> {
    /// A parser of `items`, lexed from `text`, for the template `name`; `funcs` says which
    /// function names are defined.
    pub(super) fn new(text: &'a str, name: &'a str, items: Vec<Item>, funcs: &'a F) -> Self {
        Self {
            text,
            name,
            items,
            next: 0,
            furthest: 0,
            vars: Vars::dollar(),
            funcs,
            action_line: 0,
            range_depth: 0,
            depth: 0,
        }
    }

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

    /// The whole text: the tree and its definitions, or Go's error.
    pub(super) fn parse_top(&mut self) -> Result<Template, ParseError> {
        let mut template = Template::new(self.name.to_owned());
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
        let saved = std::mem::replace(&mut self.vars, Vars::dollar());
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let mut nested = Template::new(name.clone());
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
        let scope = self.vars.len();
        self.enter()?;
        let result = self.control_inner(keyword, defs);
        self.depth -= 1;
        self.vars.truncate(scope);
        result
    }

    /// One more level of nesting, or Go's message for too many.
    fn enter(&mut self) -> Parsed<()> {
        if self.depth >= MAX_DEPTH {
            return self.fail(format!(
                "max expression depth exceeded (burnlab parses templates nested up to {MAX_DEPTH} levels)"
            ));
        }
        self.depth += 1;
        Ok(())
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
        let saved = std::mem::replace(&mut self.vars, Vars::dollar());
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        // Go reports a stray `{{else}}` with the line of the last token the outer tree read,
        // the end of the block's opening action.
        let opening = self.furthest;
        self.enter()?;
        let listed = self.item_list(defs);
        self.depth -= 1;
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
            Kind::LeftParen => {
                self.enter()?;
                let pipeline = self.pipeline("parenthesized pipeline", Kind::RightParen);
                self.depth -= 1;
                Arg::Pipeline(Box::new(pipeline?))
            }
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

/// What one `text_or_action` read: a node, or the `{{end}}`/`{{else}}` ending a list.
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
    if let Some((_, old)) = template
        .index
        .get(&name)
        .and_then(|&at| template.definitions.get_mut(at))
    {
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
    template
        .index
        .insert(name.clone(), template.definitions.len());
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
