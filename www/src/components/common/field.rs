//! A labelled text input with its hint and its error.

use leptos::prelude::*;

fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// A labelled text input with its error underneath.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    #[prop(into)] error: Signal<Option<String>>,
    /// Shown under the label; empty for none.
    #[prop(optional)]
    hint: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Greyed out and not editable (another choice stands in for the value).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let described = error_id(&id);
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <input
                id=id.clone()
                name=id.clone()
                type=kind
                autocomplete=autocomplete.unwrap_or("off")
                prop:value=value
                disabled=move || disabled.get()
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described.clone()
                on:input=move |ev| on_input(event_target_value(&ev))
            />
            <p class="field-error" id=described aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled checkbox with its error underneath.
#[component]
pub fn CheckField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] checked: Signal<bool>,
    on_change: impl Fn(bool) + 'static,
    #[prop(into)] error: Signal<Option<String>>,
    /// Shown after the label; empty for none.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let described = error_id(&id);
    view! {
        <div class="field check" class:invalid=move || error.with(Option::is_some)>
            <input
                id=id.clone()
                name=id.clone()
                type="checkbox"
                prop:checked=checked
                aria-describedby=described.clone()
                on:change=move |ev| on_change(event_target_checked(&ev))
            />
            <label for=id>{label}</label>
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <p class="field-error" id=described aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled select of `(value, label)` options.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    options: &'static [(&'static str, &'static str)],
    #[prop(into)] value: Signal<String>,
    on_change: impl Fn(String) + 'static,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let described = error_id(&id);
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=id aria-describedby=described.clone() on:change=move |ev| on_change(event_target_value(&ev))>
                {options
                    .iter()
                    .map(|&(v, l)| view! { <option value=v prop:selected=move || value.with(|x| x == v)>{l}</option> })
                    .collect_view()}
            </select>
            <p class="field-error" id=described aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
