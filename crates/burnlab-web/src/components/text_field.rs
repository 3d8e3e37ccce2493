//! A labelled text input that reports every edit and shows, beneath it, either its hint or its
//! error, in a slot whose room is kept whether or not there is an error, so an error never
//! pushes the page down.

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
    /// The field's current error, as a sentence, if any.
    #[prop_or_default]
    pub error: Option<String>,
    /// A unit right after the input: `%`.
    #[prop_or_default]
    pub unit: Option<AttrValue>,
    /// A short hint beneath the input, shown while there is no error.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// How the value was read (`read as 0.999 %`, with a "did you mean" where it looks
    /// implausible), shown in the hint's place while there is no error.
    #[prop_or_default]
    pub reading: Option<Html>,
    /// The placeholder shown while empty.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// A `data-testid` for the input.
    #[prop_or_default]
    pub test_id: Option<AttrValue>,
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
    let note_id = format!("{}-note", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="field-row">
                { props.children.clone() }
                <input type="text" id={props.id.clone()} class={classes!("number", props.error.is_some().then_some("invalid"))}
                    inputmode="decimal" spellcheck="false" autocomplete="off"
                    placeholder={props.placeholder.clone()}
                    data-testid={props.test_id.clone()}
                    aria-invalid={props.error.is_some().then_some("true")}
                    aria-describedby={note_id.clone()}
                    value={props.value.clone()} {oninput} />
                if let Some(unit) = &props.unit {
                    <span class="unit">{ unit.clone() }</span>
                }
            </div>
            <p class="field-note" id={note_id}>
                if let Some(error) = &props.error {
                    <span class="field-error" role="alert">{ error.clone() }</span>
                } else if let Some(reading) = &props.reading {
                    <span class="hint reading" data-testid={format!("{}-reading", props.id)}>{ reading.clone() }</span>
                } else if let Some(hint) = &props.hint {
                    <span class="hint">{ hint.clone() }</span>
                }
            </p>
        </div>
    }
}
