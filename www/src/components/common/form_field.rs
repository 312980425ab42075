//! One form row drawn from its table entry and its attribute's shape: a checkbox for a flag, a
//! select for a choice, a text input otherwise, plus "use the instance default" for an
//! attribute that may be `null`.

use std::ops::DerefMut;

use leptos::prelude::*;
use tfe_orgs::model::Shape;

use super::{CheckField, SelectField, TextField};
use crate::logic::form::{Draft, FormRow};

/// The input for `row` on `draft`, shown only while its condition holds.
/// `on_write(key)` runs before each change of the row's value (a form marks it touched).
/// `null_detail` says what `null` stands for here (the instance's default, `24h`).
pub fn form_field<T>(
    row: &'static FormRow,
    draft: RwSignal<T>,
    error: Signal<Option<String>>,
    on_write: Callback<&'static str>,
    null_detail: Option<String>,
) -> AnyView
where
    T: DerefMut<Target = Draft> + Send + Sync + 'static,
{
    let FormRow { key, label, hint, field, .. } = *row;
    let write = move |value: String| {
        on_write.run(key);
        draft.update(|d| d.set(key, value));
    };
    let value = Signal::derive(move || draft.with(|d| d.get(key).to_string()));
    let input = move || match field.shape {
        Shape::Flag => view! {
            <CheckField
                id=key
                label=label
                hint=hint
                checked=Signal::derive(move || draft.with(|d| d.flag(key)))
                on_change=move |on: bool| write(on.to_string())
                error=error
            />
        }
        .into_any(),
        Shape::Choice(options) => {
            view! { <SelectField id=key label=label options=options value=value on_change=write error=error/> }
                .into_any()
        }
        _ if field.nullable => {
            let unset = Signal::derive(move || draft.with(|d| d.is_unset(key)));
            view! {
                <TextField id=key label=label hint=hint value=value on_input=write error=error disabled=unset/>
                <CheckField
                    id=format!("{key}-default")
                    label=match &null_detail {
                        Some(detail) => format!("{} ({detail})", row.null_choice()),
                        None => row.null_choice(),
                    }
                    checked=unset
                    on_change=move |on: bool| {
                        on_write.run(key);
                        draft.update(|d| d.set_unset(key, on));
                    }
                    error=Signal::derive(|| None::<String>)
                />
            }
            .into_any()
        }
        _ => view! { <TextField id=key label=label hint=hint value=value on_input=write error=error/> }.into_any(),
    };
    if row.shown_when.is_none() && !row.when_sent {
        return input();
    }
    view! { <Show when=move || draft.with(|d| d.shows(row))>{input()}</Show> }.into_any()
}
