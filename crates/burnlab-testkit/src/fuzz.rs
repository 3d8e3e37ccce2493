//! Often malformed inputs for fuzzing and for the live oracle samples: matcher texts made of
//! the characters the classic parser and Go's regex syntax treat specially, and Go templates
//! made of actions, keywords, pipelines and trim markers in random order.

use crate::rng::Rng;

/// A random, often malformed matcher text for fuzzing the parsers: an operator prefix and a
/// run of characters the classic parser and Go's regex syntax treat specially.
pub fn fuzz_matcher_text(rng: &mut Rng) -> String {
    const PLAIN: &[&str] = &[
        "a", "b", "=", "!", "~", "\"", "\\", ",", "{", "}", " ", "é", "x", ".", "*", "_", ":", "0",
        "\t", "n",
    ];
    const REGEX: &[&str] = &[
        "a", "(", ")", "[", "]", "|", "?", "+", "*", "{", "}", "1", "2", ",", "^", "$", "\\", "d",
        "w", "s", "Q", "E", "x", "-", ":", "\\p", "\\P", "{L}", "{Greek}", "{^N}", "L", "(?i)",
        "(?i:", "k", "\u{212A}", "\u{17F}", "é", "Σ",
    ];
    let regex = rng.chance(50);
    let prefix = if regex {
        rng.pick(&["a=~\"", "a!~\"", "a=~"])
    } else {
        rng.pick(&["a=", "a=~", "a!=", "a!~", "{a=", "", "a=\"", "b = "])
    };
    let alphabet = if regex { REGEX } else { PLAIN };
    let mut text = prefix.to_owned();
    for _ in 0..1 + rng.below(10) {
        text.push_str(rng.pick(alphabet));
    }
    text
}

/// A random, often malformed Go template for fuzzing the template parser: actions, keywords,
/// pipelines, variables, strings, comments and trim markers in random order.
pub fn fuzz_template_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        "{{ ",
        " }}",
        " ",
        ".",
        ".Labels",
        ".a.b",
        "$",
        "$x",
        "$x := ",
        " = ",
        " | ",
        "(",
        ")",
        "\"s\"",
        "`r`",
        "'c'",
        "if ",
        "else ",
        "else if ",
        "end",
        "range ",
        "with ",
        "define \"t\"",
        "block \"b\" .",
        "template \"t\"",
        "toUpper",
        "humanize",
        "printf \"%s\"",
        "len",
        "/* c */",
        "/*",
        "*/",
        "\n",
        "x",
        "1",
        "-1",
        "0x",
        "1e3",
        "nil",
        "true",
        "break",
        "continue",
        ",",
        "é",
        "\"",
        "{",
        "}",
        "$y",
        "index . 0",
        "eq .a 1",
        "and",
        "not",
        ":",
        "3.",
        "0b101",
        "\\",
    ];
    let mut text = String::new();
    for _ in 0..1 + rng.below(14) {
        text.push_str(rng.pick(PIECES));
    }
    text
}
