//! The module sharing editor: nobody, specific organizations, or all.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tfe_orgs::query::ListOptions;

use crate::components::common::{ErrorBanner, SavedNote};
use crate::context::{app_state, Loader, Saver};
use crate::logic::{Registry, RegistryIds, Sharing, SharingMode, SharingSummary};

/// Who may use this organization's private modules: nobody, specific organizations (picked by
/// searching names as you type), or every organization. Shows who gains and who loses access
/// before saving; the client orders the writes so that nothing is over-shared, even briefly.
#[component]
pub fn SharingEditor(
    name: String,
    current: Sharing,
    /// Modules (the module-consumers endpoints) or providers (registry-partnerships).
    #[prop(optional)]
    registry: Registry,
    on_saved: Callback<()>,
    /// After a save whose answer was lost, once the sharing was read again.
    on_reread: Callback<()>,
) -> impl IntoView {
    let app = app_state();
    let name = StoredValue::new(name);
    let original = RwSignal::new(current.clone());
    let draft = RwSignal::new(current);
    let query = RwSignal::new(String::new());
    let results: Loader<Vec<String>> = Loader::new();
    let save_state = Saver::new();
    let (server_error, saving, saved) = (save_state.error, save_state.saving, save_state.saved);

    let summary = Memo::new(move |_| original.with(|o| draft.with(|d| SharingSummary::between(o, d))));
    let problem = Memo::new(move |_| draft.with(Sharing::errors));

    let search = move |text: String| {
        query.set(text.clone());
        let text = text.trim().to_string();
        if text.is_empty() {
            results.cancel();
            return;
        }
        let Some(api) = app.api() else { return };
        let own = name.get_value();
        // Each keystroke aborts the search before it.
        results.run(async move {
            let options = ListOptions { q_name: Some(text), ..ListOptions::page(1, 10) };
            let page = api.admin_list(&options).await?;
            Ok(page.items.into_iter().filter_map(|o| o.attributes.name).filter(|n| *n != own).collect())
        });
    };

    let set_mode = move |mode: SharingMode| draft.update(|d| d.mode = mode);
    let add = move |consumer: String| {
        draft.update(|d| {
            d.mode = SharingMode::Specific;
            d.consumers.insert(consumer);
        })
    };
    let remove = move |consumer: String| {
        draft.update(|d| {
            d.consumers.remove(&consumer);
        })
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(api) = app.api() else { return };
        if problem.with(Option::is_some) || summary.with(SharingSummary::is_empty) {
            return;
        }
        let target = draft.get_untracked();
        let intent = target.intent();
        let reread = api.clone();
        save_state.run_or_recheck(
            async move { api.update_sharing(registry, &name.get_value(), &intent).await },
            move |()| {
                original.set(target);
                on_saved.run(());
            },
            // The answer was lost: the instance's sharing becomes the "before" of the summary;
            // the draft stays, so the summary shows what is still to change.
            move || {
                leptos::task::spawn_local(async move {
                    let name = name.get_value();
                    let admin = reread.admin_read(&name).await;
                    let consumers = reread.list_consumers(registry, &name, &ListOptions::page(1, 100)).await;
                    if let (Ok(admin), Ok(consumers)) = (admin, consumers) {
                        let global = registry.shares_globally(&admin.attributes).unwrap_or(false);
                        let names: Vec<String> =
                            consumers.items.into_iter().filter_map(|o| o.attributes.name).collect();
                        let _ = original.try_set(Sharing::from_server(global, names));
                        on_reread.run(());
                    }
                });
            },
        );
    };

    let mode_radio = move |mode: SharingMode, id: &'static str, label: &'static str| {
        let id = registry.id(id);
        view! {
            <div class="radio">
                <input
                    type="radio"
                    id=id.clone()
                    name=registry.id("sharing-mode")
                    prop:checked=move || draft.with(|d| d.mode == mode)
                    on:change=move |_| set_mode(mode)
                />
                <label for=id>{label}</label>
            </div>
        }
    };

    view! {
        <form class="editor" on:submit=save aria-labelledby=registry.id("sharing-title") novalidate>
            <h2 id=registry.id("sharing-title")>{match registry { Registry::Modules => "Module sharing", Registry::Providers => "Provider sharing" }}</h2>
            <fieldset>
                <legend>{format!("Who may use this organization's private {}", registry.noun())}</legend>
                {mode_radio(SharingMode::NotShared, "sharing-none", "Not shared")}
                {mode_radio(SharingMode::Specific, "sharing-specific", "Shared with specific organizations")}
                {mode_radio(SharingMode::All, "sharing-all", "Shared with all organizations")}
            </fieldset>
            <Show when=move || draft.with(|d| d.mode == SharingMode::Specific)>
                <div class="picker">
                    <label for=registry.id("consumer-search")>"Add an organization"</label>
                    <input
                        id=registry.id("consumer-search")
                        type="search"
                        autocomplete="off"
                        placeholder="Search organization names"
                        prop:value=query
                        on:input=move |ev| search(event_target_value(&ev))
                        aria-controls=registry.id("consumer-results")
                    />
                    <ul id=registry.id("consumer-results") class="results" aria-label="Matching organizations" aria-busy=move || results.loading().to_string()>
                        {move || {
                            let chosen: BTreeSet<String> = draft.with(|d| d.consumers.clone());
                            results
                                .ready()
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|n| !chosen.contains(n))
                                .map(|n| {
                                    let label = format!("Add {n}");
                                    let value = n.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="link" aria-label=label on:click=move |_| add(value.clone())>
                                                {n}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <ErrorBanner error=Signal::derive(move || results.error())/>
                    <ul class="chips" aria-label="Chosen organizations">
                        {move || {
                            draft
                                .with(|d| d.consumers.iter().cloned().collect::<Vec<_>>())
                                .into_iter()
                                .map(|n| {
                                    let label = format!("Remove {n}");
                                    let value = n.clone();
                                    view! {
                                        <li class="chip">
                                            {n}
                                            <button type="button" aria-label=label on:click=move |_| remove(value.clone())>"×"</button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <section class="summary" aria-live="polite" aria-label="Access changes">
                <h3>"Before saving"</h3>
                <ul>{move || summary.get().lines().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                <p class="field-error">{move || problem.get()}</p>
            </section>
            <ErrorBanner error=server_error/>
            <div class="actions">
                <button
                    type="submit"
                    disabled=move || saving.get() || problem.with(Option::is_some) || summary.with(SharingSummary::is_empty)
                >
                    {move || match (saving.get(), registry) {
                        (true, _) => "Saving…",
                        (false, Registry::Modules) => "Save module sharing",
                        (false, Registry::Providers) => "Save provider sharing",
                    }}
                </button>
                <SavedNote saved=saved/>
            </div>
        </form>
    }
}
