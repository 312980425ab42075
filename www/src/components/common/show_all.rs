//! "Show all N …" under a table that draws its first rows only (thousands of rows: filters and
//! sorting work on all of them either way).

use leptos::prelude::*;

use crate::logic::thousands;

#[component]
pub fn ShowAll(
    show_all: RwSignal<bool>,
    /// Rows not drawn yet.
    #[prop(into)]
    hidden: Signal<usize>,
    /// Every row.
    #[prop(into)]
    total: Signal<usize>,
    /// What the rows are: "producers", "grants".
    noun: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || { hidden.get() > 0 }>
            <button type="button" class="secondary" on:click=move |_| show_all.set(true)>
                {move || format!("Show all {} {noun}", thousands(total.get() as u64))}
            </button>
        </Show>
    }
}
