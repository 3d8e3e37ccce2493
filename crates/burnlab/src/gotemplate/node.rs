//! The parse tree, after Go's text/template/parse node.go: text, actions, `if`/`range`/`with`
//! with their `else` bodies, template calls, `break`/`continue`, and the pipelines, commands and
//! operands inside actions. Comments are not kept, as Go drops them outside its ParseComments
//! mode; definitions are kept beside the tree, in [`Template`](super::Template).

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
