//! A labelled text input that reports every edit and shows its field's error beside it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of a text field.
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The element id, also used by the label.
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The text as the user left it.
    pub value: AttrValue,
    /// Called with the new text on every edit.
    pub on_input: Callback<String>,
    /// The field's current error message, if any.
    #[prop_or_default]
    pub error: Option<String>,
    /// A short hint after the input: a unit or an example.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The placeholder shown while empty.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Extra content placed before the input on the same row, such as a slider.
    #[prop_or_default]
    pub children: Html,
}

/// The field.
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_input.emit(input.value());
            }
        })
    };
    let error_id = format!("{}-error", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="field-row">
                { props.children.clone() }
                <input type="text" id={props.id.clone()} class={classes!("number", props.error.is_some().then_some("invalid"))}
                    inputmode="decimal" spellcheck="false" autocomplete="off"
                    placeholder={props.placeholder.clone()}
                    aria-invalid={props.error.is_some().then_some("true")}
                    aria-describedby={props.error.is_some().then(|| error_id.clone())}
                    value={props.value.clone()} {oninput} />
                if let Some(hint) = &props.hint {
                    <span class="hint">{ hint.clone() }</span>
                }
            </div>
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id} role="alert">{ error.clone() }</p>
            }
        </div>
    }
}
