//! A list of organization names that stays usable at hundreds: a count, a filter box, the first
//! names, and "Show all N". As links (the detail) or as removable chips (the sharing editor).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::org_table::org_href;
use crate::context::link;
use crate::logic::{filter_names, organizations};

/// How many names show before "Show all".
pub const FIRST: usize = 20;

#[component]
pub fn NameList(
    #[prop(into)] names: Signal<Vec<String>>,
    /// The list's accessible name ("Module consumers"); the filter is "Filter module consumers".
    label: &'static str,
    /// Shown when there are no names.
    empty: &'static str,
    /// Removable chips (the editor) instead of links (the detail).
    #[prop(optional)]
    on_remove: Option<Callback<String>>,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let show_all = RwSignal::new(false);
    let matching = Signal::derive(move || names.with(|n| filter.with(|f| filter_names(n, f))));
    let total = move || names.with(Vec::len);
    let shown = move || if show_all.get() { matching.with(Vec::len) } else { matching.with(Vec::len).min(FIRST) };
    let any = move || total() > 0;
    // Shown while there is a filter to clear, even once the list is short again.
    let filterable = move || total() > FIRST || filter.with(|f| !f.is_empty());
    let more = move || matching.with(Vec::len) > FIRST;
    let class = if on_remove.is_some() { "chips compact" } else { "links" };
    view! {
        <div class="name-list" role="group" aria-label=label>
            {move || (total() == 0).then(|| view! { <p class="muted">{empty}</p> })}
            <Show when=any>
                <p class="count" role="status">
                    {move || {
                        let (all, hits, visible) = (total(), matching.with(Vec::len), shown());
                        if hits == all && visible == all {
                            organizations(all)
                        } else if hits == all {
                            format!("{} (showing {visible})", organizations(all))
                        } else {
                            format!("{hits} of {} match (showing {visible})", organizations(all))
                        }
                    }}
                </p>
            </Show>
            <Show when=filterable>
                <input
                    type="search"
                    class="name-filter"
                    placeholder="Filter names"
                    aria-label=format!("Filter {}", label.to_ascii_lowercase())
                    prop:value=filter
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </Show>
            <ul class=class aria-label=label>
                {move || {
                    let visible = shown();
                    matching.with(|m| m.iter().take(visible).cloned().collect::<Vec<_>>()).into_iter().map(|n| match on_remove {
                        Some(remove) => {
                            let value = n.clone();
                            view! {
                                <li class="chip">
                                    {n.clone()}
                                    <button type="button" aria-label=format!("Remove {n}") on:click=move |_| remove.run(value.clone())>"×"</button>
                                </li>
                            }.into_any()
                        }
                        None => view! { <li><A href=link(&org_href(&n))>{n.clone()}</A></li> }.into_any(),
                    }).collect_view()
                }}
            </ul>
            <Show when=more>
                <button type="button" class="link show-all" on:click=move |_| show_all.update(|s| *s = !*s)>
                    {move || if show_all.get() { "Show fewer".to_string() } else { format!("Show all {}", matching.with(Vec::len)) }}
                </button>
            </Show>
        </div>
    }
}
