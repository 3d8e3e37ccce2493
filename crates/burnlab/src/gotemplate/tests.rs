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

const OPTIONS: Options<'static> = Options {
    name: "t",
    funcs: &[],
};

#[test]
fn nesting_stops_at_the_limit_with_gos_message_and_never_overflows_the_stack() {
    let at = |text: &str| parse(text, OPTIONS).err().map(|e| e.detail);
    let depth = MAX_DEPTH;
    let too_deep = Some(format!(
        "max expression depth exceeded (burnlab parses templates nested up to {MAX_DEPTH} levels)"
    ));
    let parens = |n: usize| format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
    let ifs = |n: usize| format!("{}{}", "{{if 1}}".repeat(n), "{{end}}".repeat(n));
    let else_ifs = |n: usize| format!("{{{{if 1}}}}{}{{{{end}}}}", "{{else if 1}}".repeat(n));
    let blocks = |n: usize| {
        (0..n)
            .map(|i| format!("{{{{block \"b{i}\" .}}}}"))
            .collect::<String>()
            + &"{{end}}".repeat(n)
    };
    for build in [
        &parens as &dyn Fn(usize) -> String,
        &ifs,
        &else_ifs,
        &blocks,
    ] {
        assert_eq!(at(&build(depth - 1)), None, "{}", build(2));
        assert_eq!(at(&build(depth + 1)), too_deep, "{}", build(2));
    }
    // What overflowed the stack before the limit: 200,000 parentheses, 100,000 ifs.
    assert_eq!(at(&parens(200_000)), too_deep);
    assert_eq!(at(&ifs(100_000)), too_deep);
}

#[test]
fn many_variables_and_definitions_cost_their_number_not_its_square() {
    // Checked for the answer; the cost is measured by `cargo xtask bounds`.
    let n = 50_000;
    let vars: String = (0..n)
        .map(|i| format!("{{{{$v{i} := 1}}}}{{{{$v{i}}}}}"))
        .collect();
    assert!(parse(&vars, OPTIONS).is_ok());
    let defs: String = (0..n)
        .map(|i| format!("{{{{define \"d{i}\"}}}}x{{{{end}}}}"))
        .collect();
    let parsed = parse(&defs, OPTIONS);
    assert_eq!(parsed.map(|t| t.definitions.len()).ok(), Some(n));
    let twice = format!("{defs}{{{{define \"d7\"}}}}y{{{{end}}}}");
    assert_eq!(
        parse(&twice, OPTIONS).err().map(|e| e.detail),
        Some("template: multiple definition of template \"d7\"".to_owned())
    );
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
