//! `/snapshot`: configuration as data. Take a snapshot of every organization (and download
//! it); compare the instance with a file (picked or dropped); apply a file (review → the typed
//! count → progress with Stop → results with Retry failed, Undo and CSV). Before an apply the
//! undo (what it changes, as it is now) is kept; Undo applies it with its own review. A bulk
//! change's Undo arrives here too (`AppState::undo`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use tfe_orgs::client::{Applied, Error};
use tfe_orgs::snapshot::{diff, plan, undo_of, Snapshot, SnapshotPlan};

use crate::components::common::{download, ErrorBanner};
use crate::components::snapshot::{file_stamp, Compare, FilePicker, FileRead, FileStatus, Results, Review};
use crate::context::{app_state, Api};
use crate::logic::snapshot_view::{merge_results, only};
use crate::logic::thousands;

#[derive(Clone, PartialEq)]
enum Stage {
    /// Compare: the file's differences with the instance.
    Compare,
    /// The plan, the undo kept, the typed count.
    Review(SnapshotPlan, Snapshot),
    Applying,
    Results(Vec<(String, Applied)>, Snapshot),
}

/// A fresh snapshot of the instance, with its progress in words.
async fn take(api: Api, progress: RwSignal<String>) -> Result<Snapshot, Error> {
    let taken_at = web_sys::js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    api.snapshot(&taken_at, &mut |p| {
        let _ = progress.try_set(format!(
            "Reading {}: {} of {}",
            p.stage,
            thousands(p.done as u64),
            thousands(p.total as u64)
        ));
    })
    .await
}

#[component]
pub fn SnapshotPage() -> impl IntoView {
    let app = app_state();
    let live = RwSignal::new(None::<Snapshot>);
    let file = RwSignal::new(None::<FileRead>);
    let stage = RwSignal::new(Stage::Compare);
    let (busy, progress, error) = (RwSignal::new(false), RwSignal::new(String::new()), RwSignal::new(None::<Error>));
    let (filter, confirm) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let applied = RwSignal::new((0usize, 0usize));
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let last_undo = RwSignal::new(None::<Snapshot>);
    // The results a Retry failed adds to.
    let earlier = StoredValue::new(Vec::<(String, Applied)>::new());

    // Take a snapshot (the instance as it is now), then `then` with it.
    let refresh = move |then: Box<dyn FnOnce(Snapshot)>| {
        let Some(api) = app.api() else { return };
        busy.set(true);
        error.set(None);
        progress.set("Reading…".into());
        crate::context::spawn(async move {
            let taken = take(api, progress).await;
            let _ = busy.try_set(false);
            match taken {
                Ok(now) => {
                    let _ = live.try_set(Some(now.clone()));
                    then(now);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let desired = move || file.with_untracked(|f| f.as_ref().and_then(|f| f.read.clone().ok()));
    // Review: plan the file against the instance as it is now, and keep the undo.
    let review = move || {
        let Some(desired) = desired() else { return };
        confirm.set(String::new());
        earlier.set_value(Vec::new());
        refresh(Box::new(move |now| {
            let todo = plan(&desired, &now);
            let undo = undo_of(&todo, &now);
            let _ = stage.try_set(Stage::Review(todo, undo));
        }));
    };
    let open = move |read: FileRead| {
        file.set(Some(read));
        stage.set(Stage::Compare);
        live.set(None);
        refresh(Box::new(|_| {}));
    };
    let undo_last = move || {
        if let Some(undo) = last_undo.get_untracked() {
            file.set(Some(FileRead { name: "the undo of the last apply".into(), read: Ok(undo) }));
            review();
        }
    };
    // A bulk change's Undo: straight to its review.
    if let Some((name, undo)) = app.undo.try_update(Option::take).flatten() {
        file.set(Some(FileRead { name, read: Ok(undo) }));
        review();
    }
    // `already`: organizations a Retry failed found holding the file already (a write whose
    // answer was lost was applied): done, with nothing to send.
    let run = move |todo: SnapshotPlan, undo: Snapshot, already: Vec<String>| {
        let Some(api) = app.api() else { return };
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        applied.set((0, todo.len()));
        stage.set(Stage::Applying);
        crate::context::spawn(async move {
            let stopped = move || flag.load(Ordering::Relaxed);
            let mut on_progress = |p: tfe_orgs::client::ConfigProgress| {
                let _ = applied.try_set((p.done, p.total));
            };
            let mut applied_now = api.apply(&todo, &stopped, &mut on_progress).await;
            applied_now.extend(already.into_iter().map(|name| (name, Applied::Done)));
            let results = merge_results(&earlier.get_value(), applied_now);
            earlier.set_value(results.clone());
            let _ = last_undo.try_set(Some(undo.clone()));
            let _ = stage.try_set(Stage::Results(results, undo));
            let _ = live.try_set(None);
        });
    };
    // Retry failed: plan again for those only, against the instance as it is now.
    let retry = move |names: Vec<String>, undo: Snapshot| {
        let Some(desired) = desired() else { return };
        if busy.get_untracked() {
            return; // already on its way
        }
        let part = only(&desired, &names);
        refresh(Box::new(move |now| {
            let todo = plan(&part, &now);
            let already = names
                .into_iter()
                .filter(|n| !todo.writes.iter().any(|w| &w.organization == n) && !todo.missing.contains(n))
                .collect();
            run(todo, undo, already)
        }));
    };
    let differences = Memo::new(move |_| {
        let wanted = file.with(|f| f.as_ref().and_then(|f| f.read.clone().ok()))?;
        live.with(|now| now.as_ref().map(|now| diff(&wanted, now)))
    });
    let applying = move || stage.with(|s| *s == Stage::Applying);

    view! {
        <section class="snapshot-page">
            <h1>"Snapshot, compare, apply"</h1>
            <p class="hint">"A snapshot is every organization's admin settings, organization settings and consumers in one JSON file (tfe-orgs/snapshot@1). Compare the instance with a file, or make the instance hold it: only what differs is written, sharing is never widened first, nothing is created or deleted."</p>
            <div class="toolbar">
                <button type="button" id="take-snapshot" disabled=move || busy.get() || applying() on:click=move |_| {
                    stage.set(Stage::Compare);
                    refresh(Box::new(|_| {}));
                }>"Take a snapshot"</button>
                // A snapshot is read whole or not at all: downloadable only once it is complete.
                <button type="button" class="secondary" id="download-snapshot" disabled=move || busy.get() || live.with(Option::is_none) on:click=move |_| {
                    if let Some(now) = live.get_untracked() {
                        download(&format!("tfe-orgs-snapshot-{}.json", file_stamp()), "application/json", &now.to_pretty_json());
                    }
                }>"Download snapshot"</button>
                <Show when=move || last_undo.with(Option::is_some) && stage.with(|s| matches!(s, Stage::Compare))>
                    <button type="button" class="secondary" id="undo-last" on:click=move |_| undo_last()>"Undo the last apply…"</button>
                </Show>
                <span class="snapshot-taken" role="status">{move || live.with(|s| s.as_ref().map(|s| format!(
                    "{} organizations, taken {}", thousands(s.organizations.len() as u64),
                    s.instance.as_ref().map(|i| i.taken_at.clone()).unwrap_or_default()
                )))}</span>
            </div>
            <Show when=move || busy.get()>
                <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}</p>
            </Show>
            <ErrorBanner error=Signal::derive(move || error.get())/>
            <FilePicker on_read=Callback::new(open)/>
            {move || file.get().map(|f| view! { <FileStatus file=f/> })}
            {move || match stage.get() {
                Stage::Compare => view! { <Compare differences=differences filter=filter on_review=Callback::new(move |_| review())/> }.into_any(),
                Stage::Review(todo, undo) => view! {
                    <Review todo=todo undo=undo confirm=confirm busy=busy
                        on_apply=Callback::new(move |(t, u)| run(t, u, Vec::new()))
                        on_back=Callback::new(move |_| stage.set(Stage::Compare))/>
                }.into_any(),
                Stage::Applying => view! { <Applying applied=applied stop=Callback::new(move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed)))/> }.into_any(),
                Stage::Results(results, undo) => {
                    let kept = undo.clone();
                    view! { <Results results=results undo=undo on_retry=Callback::new(move |names| retry(names, kept.clone())) on_undo=Callback::new(move |_| undo_last())/> }.into_any()
                }
            }}
        </section>
    }
}

/// The apply's progress, with Stop (the organizations in flight finish).
#[component]
fn Applying(applied: RwSignal<(usize, usize)>, stop: Callback<()>) -> impl IntoView {
    view! {
        <div class="progress snapshot-progress">
            {move || {
                let (done, total) = applied.get();
                view! {
                    <progress max=total.max(1).to_string() value=done.to_string() aria-label="Applying the file"></progress>
                    <span role="status">{format!("{} of {} organizations", thousands(done as u64), thousands(total as u64))}</span>
                }
            }}
            <button type="button" class="secondary" on:click=move |_| stop.run(())>"Stop"</button>
        </div>
    }
}
