//! The module sharing editor: nobody, specific organizations, or all.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tfe_orgs::client::{SharingSave, SharingState};
use tfe_orgs::query::ListOptions;

use crate::components::common::{ErrorBanner, NameList, SavedNote};
use crate::context::{app_state, Loader, Saver};
use crate::logic::{organizations, Registry, RegistryIds, Sharing, SharingMode, SharingSummary};

/// Follow the page's re-reads, keeping the edits (another editor saved global sharing).
fn follow(
    latest: Option<Signal<Option<SharingState>>>,
    base: RwSignal<SharingState>,
    original: Signal<Sharing>,
    draft: RwSignal<Sharing>,
) {
    Effect::new(move |_| {
        let Some(now) = latest.and_then(|l| l.get()) else { return };
        if base.with_untracked(|b| *b != now) {
            let seeded = original.get_untracked();
            draft.update(|d| *d = d.rebase(&seeded, &Sharing::from_state(&now)));
            base.set(now);
        }
    });
}

/// Who may use this organization's private modules: nobody, specific organizations (picked by
/// searching names as you type), or every organization. Shows who gains and who loses access
/// before saving; the client orders the writes so that nothing is over-shared, even briefly.
///
/// Seeded only from a [`SharingState`] (every consumer, all pages). Just before writing, the
/// save reads the sharing again; if someone changed it since, nothing is written and the editor
/// shows what changed, to merge the edits onto it or reload.
#[component]
pub fn SharingEditor(
    name: String,
    current: SharingState,
    /// The state as the page reads it again (after any save on the page): the editor follows it,
    /// keeping the user's edits on top.
    #[prop(optional, into)]
    latest: Option<Signal<Option<SharingState>>>,
    /// Modules (the module-consumers endpoints) or providers (registry-partnerships).
    #[prop(optional)]
    registry: Registry,
    on_saved: Callback<()>,
    /// After a save whose answer was lost, once the sharing was read again.
    on_reread: Callback<()>,
) -> impl IntoView {
    let app = app_state();
    let name = StoredValue::new(name);
    // The state read in full the draft is based on; a save sends the draft only while the
    // instance still holds it.
    let base = RwSignal::new(current.clone());
    let original = Signal::derive(move || base.with(Sharing::from_state));
    let draft = RwSignal::new(Sharing::from_state(&current));
    // What a save was based on and what the instance held instead, when they differed.
    let conflict = RwSignal::new(None::<(SharingState, SharingState)>);
    follow(latest, base, original, draft);
    let save_state = Saver::new();
    let (server_error, saving, saved) = (save_state.error, save_state.saving, save_state.saved);

    let summary = Memo::new(move |_| original.with(|o| draft.with(|d| SharingSummary::between(o, d))));
    let problem = Memo::new(move |_| draft.with(Sharing::errors));

    let set_mode = move |mode: SharingMode| draft.update(|d| d.mode = mode);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(api) = app.api() else { return };
        if problem.with(Option::is_some) || summary.with(SharingSummary::is_empty) {
            return;
        }
        let intent = draft.get_untracked().intent();
        let seeded = base.get_untracked();
        let reread = api.clone();
        conflict.set(None);
        let based_on = seeded.clone();
        save_state.run_or_recheck(
            async move { api.save_sharing(registry, &name.get_value(), &seeded, &intent).await },
            move |outcome| match outcome {
                SharingSave::Saved(now) => {
                    draft.set(Sharing::from_state(&now));
                    base.set(now);
                    on_saved.run(());
                }
                SharingSave::Changed { now } => {
                    save_state.saved.set(false);
                    conflict.set(Some((based_on, now)));
                }
            },
            // The answer was lost: the instance's sharing (read in full) becomes the "before" of
            // the summary; the draft stays, so the summary shows what is still to change.
            move || {
                crate::context::spawn(async move {
                    if let Ok(now) = reread.read_sharing(registry, &name.get_value(), &mut |_| {}).await {
                        let _ = base.try_set(now);
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
                <ConsumerPicker draft=draft registry=registry own=name.get_value()/>
            </Show>
            <ConflictPanel conflict=conflict base=base draft=draft original=original registry=registry/>
            <AccessSummary summary=summary problem=problem producer=name.get_value() registry=registry/>
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

/// The organization search (names as you type, ten at a time) and the chosen organizations.
#[component]
fn ConsumerPicker(draft: RwSignal<Sharing>, registry: Registry, own: String) -> impl IntoView {
    let app = app_state();
    let query = RwSignal::new(String::new());
    let results: Loader<Vec<String>> = Loader::new();
    let own = StoredValue::new(own);
    let search = move |text: String| {
        query.set(text.clone());
        let text = text.trim().to_string();
        if text.is_empty() {
            results.cancel();
            return;
        }
        let Some(api) = app.api() else { return };
        let own = own.get_value();
        // Each keystroke aborts the search before it.
        results.run(async move {
            let options = ListOptions { q_name: Some(text), ..ListOptions::page(1, 10) };
            let page = api.admin_list(&options).await?;
            Ok(page.items.into_iter().filter_map(|o| o.attributes.name).filter(|n| *n != own).collect())
        });
    };
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
    view! {
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
            <NameList
                names=Signal::derive(move || draft.with(|d| d.consumers.iter().cloned().collect::<Vec<_>>()))
                label="Chosen organizations"
                empty="No organization chosen yet."
                on_remove=Callback::new(remove)
            />
        </div>
    }
}

/// A save found the sharing changed since the editor was seeded: what changed, and Merge or
/// Reload.
#[component]
fn ConflictPanel(
    conflict: RwSignal<Option<(SharingState, SharingState)>>,
    base: RwSignal<SharingState>,
    draft: RwSignal<Sharing>,
    original: Signal<Sharing>,
    registry: Registry,
) -> impl IntoView {
    move || {
        conflict.get().map(|(based_on, now)| {
            // Against what the save was based on: the page may have read the instance again
            // (and the editor followed it) while the save was on its way.
            let change = based_on.changes_to(&now);
            let lines = change_lines(&change, registry);
            let merge_to = now.clone();
            view! {
                <section class="conflict" role="alert" aria-label="Changed since you opened it">
                    <h3>"Changed since you opened it: nothing was saved"</h3>
                    <p>{format!("Someone else (another admin, or this page in another tab) changed who may use these private {}.", registry.noun())}</p>
                    <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    {(!change.gained.is_empty()).then(|| view! { <NameList names=change.gained.clone() label="Gained access meanwhile" empty=""/> })}
                    {(!change.lost.is_empty()).then(|| view! { <NameList names=change.lost.clone() label="Lost access meanwhile" empty=""/> })}
                    <div class="actions">
                        <button type="button" on:click=move |_| {
                            let seeded = original.get_untracked();
                            draft.update(|d| *d = d.rebase(&seeded, &Sharing::from_state(&merge_to)));
                            base.set(merge_to.clone());
                            conflict.set(None);
                        }>"Merge my changes onto it"</button>
                        <button type="button" class="secondary" on:click=move |_| {
                            draft.set(Sharing::from_state(&now));
                            base.set(now.clone());
                            conflict.set(None);
                        }>"Reload (drop my changes)"</button>
                    </div>
                </section>
            }
        })
    }
}

/// Who gains, loses and keeps access if the draft is saved; the draft's problem, if any.
#[component]
fn AccessSummary(
    summary: Memo<SharingSummary>,
    problem: Memo<Option<String>>,
    producer: String,
    registry: Registry,
) -> impl IntoView {
    let producer = StoredValue::new(producer);
    view! {
        <section class="summary" aria-live="polite" aria-label="Access changes">
            <h3>"Before saving"</h3>
            <ul>{move || summary.get().lines().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {move || {
                let s = summary.get();
                [("Gain access", s.gains), ("Lose access", s.loses), ("Keep access", s.keeps)]
                    .into_iter()
                    .filter(|(_, names)| !names.is_empty())
                    .map(|(what, names)| view! {
                        <details class="summary-names">
                            <summary>{format!("{what}: {}", organizations(names.len()))}</summary>
                            <ul aria-label=what>{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                        </details>
                    })
                    .collect_view()
            }}
            // Who of those losing access use it (Explorer), asked on request: the draft changes as
            // it is edited.
            {move || {
                let s = summary.get();
                (!s.loses.is_empty() || s.everyone_else_loses).then(|| {
                    let input = crate::components::grant_usage::ImpactInput {
                        producers: vec![producer.get_value()],
                        registries: vec![registry],
                        auto: false,
                        only: (!s.everyone_else_loses).then_some(s.loses),
                        keeps: s.keeps,
                    };
                    view! { <crate::screens::Part load=crate::screens::impact_usage input=input label="Loading who uses them…"/> }
                })
            }}
            <p class="field-error">{move || problem.get()}</p>
        </section>
    }
}

/// What changed behind the editor's back, as sentences.
fn change_lines(change: &tfe_orgs::client::SharingChange, registry: Registry) -> Vec<String> {
    let mut lines = Vec::new();
    match change.global {
        Some(true) => {
            lines.push(format!("Global {} sharing was turned on.", &registry.noun()[..registry.noun().len() - 1]))
        }
        Some(false) => {
            lines.push(format!("Global {} sharing was turned off.", &registry.noun()[..registry.noun().len() - 1]))
        }
        None => {}
    }
    if !change.gained.is_empty() {
        lines.push(format!("{} gained access.", organizations(change.gained.len())));
    }
    if !change.lost.is_empty() {
        lines.push(format!("{} lost access.", organizations(change.lost.len())));
    }
    lines
}
