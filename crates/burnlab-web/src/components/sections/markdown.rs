//! Just enough Markdown for the runbook preview: headings, paragraphs, `-` lists, fenced code
//! blocks, inline code and bold. Text is never parsed as HTML, so nothing in a runbook can
//! inject markup.

use yew::prelude::*;

/// Inline code and bold within one line.
fn inline(text: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let code = rest.find('`');
        let bold = rest.find("**");
        match (code, bold) {
            (Some(c), b) if b.is_none_or(|b| c < b) => {
                let after = rest.get(c + 1..).unwrap_or_default();
                if let Some(end) = after.find('`') {
                    out.push(html! { { rest.get(..c).unwrap_or_default().to_owned() } });
                    out.push(
                        html! { <code>{ after.get(..end).unwrap_or_default().to_owned() }</code> },
                    );
                    rest = after.get(end + 1..).unwrap_or_default();
                    continue;
                }
                out.push(html! { { rest.to_owned() } });
                break;
            }
            (_, Some(b)) => {
                let after = rest.get(b + 2..).unwrap_or_default();
                if let Some(end) = after.find("**") {
                    out.push(html! { { rest.get(..b).unwrap_or_default().to_owned() } });
                    out.push(html! { <strong>{ after.get(..end).unwrap_or_default().to_owned() }</strong> });
                    rest = after.get(end + 2..).unwrap_or_default();
                    continue;
                }
                out.push(html! { { rest.to_owned() } });
                break;
            }
            _ => {
                out.push(html! { { rest.to_owned() } });
                break;
            }
        }
    }
    out.into_iter().collect()
}

/// Renders `markdown` as HTML elements.
pub fn render(markdown: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut lines = markdown.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Html>| {
        if !paragraph.is_empty() {
            let text = paragraph.join(" ");
            out.push(html! { <p>{ inline(&text) }</p> });
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        if let Some(lang) = line.strip_prefix("```") {
            flush(&mut paragraph, &mut out);
            let mut code = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                code.push_str(l);
                code.push('\n');
            }
            out.push(html! { <pre class={classes!("md-code", (!lang.is_empty()).then(|| lang.to_owned()))}><code>{ code }</code></pre> });
        } else if let Some(h) = line.strip_prefix("### ") {
            flush(&mut paragraph, &mut out);
            out.push(html! { <h5>{ inline(h) }</h5> });
        } else if let Some(h) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut out);
            out.push(html! { <h4>{ inline(h) }</h4> });
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut paragraph, &mut out);
            out.push(html! { <h3>{ inline(h) }</h3> });
        } else if line.starts_with("- ") {
            flush(&mut paragraph, &mut out);
            let mut items = vec![line.get(2..).unwrap_or_default()];
            while let Some(next) = lines.peek().and_then(|l| l.strip_prefix("- ")) {
                items.push(next);
                lines.next();
            }
            out.push(
                html! { <ul>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ul> },
            );
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out.into_iter().collect()
}
