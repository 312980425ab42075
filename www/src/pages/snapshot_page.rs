//! `/snapshot`: configuration as data. Take a snapshot of every organization (and download
//! it); compare the instance with a file (picked or dropped); apply a file (review → the typed
//! count → progress with Stop → results with Retry failed, Undo and CSV). Before an apply the
//! undo (what it changes, as it is now) is kept; Undo applies it with its own review. A bulk
//! change's Undo and the revoking of unused grants arrive here too (`AppState::to_review`).

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

/// The screen's state (signals, so `Copy`) and what its buttons do.
#[derive(Clone, Copy)]
struct Screen {
    app: crate::context::AppState,
    live: RwSignal<Option<Snapshot>>,
    file: RwSignal<Option<FileRead>>,
    stage: RwSignal<Stage>,
    busy: RwSignal<bool>,
    progress: RwSignal<String>,
    error: RwSignal<Option<Error>>,
    confirm: RwSignal<String>,
    applied: RwSignal<(usize, usize)>,
    stop: StoredValue<Arc<AtomicBool>>,
    last_undo: RwSignal<Option<Snapshot>>,
    /// The results a Retry failed adds to.
    earlier: StoredValue<Vec<(String, Applied)>>,
}

impl Screen {
    fn new() -> Self {
        Screen {
            app: app_state(),
            live: RwSignal::new(None),
            file: RwSignal::new(None),
            stage: RwSignal::new(Stage::Compare),
            busy: RwSignal::new(false),
            progress: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            confirm: RwSignal::new(String::new()),
            applied: RwSignal::new((0, 0)),
            stop: StoredValue::new(Arc::new(AtomicBool::new(false))),
            last_undo: RwSignal::new(None),
            earlier: StoredValue::new(Vec::new()),
        }
    }

    /// Take a snapshot (the instance as it is now), then `then` with it.
    fn refresh(self, then: Box<dyn FnOnce(Snapshot)>) {
        let Some(api) = self.app.api() else { return };
        self.busy.set(true);
        self.error.set(None);
        self.progress.set("Reading…".into());
        crate::context::spawn(async move {
            let taken = take(api, self.progress).await;
            let _ = self.busy.try_set(false);
            match taken {
                Ok(now) => {
                    let _ = self.live.try_set(Some(now.clone()));
                    then(now);
                }
                Err(e) => {
                    let _ = self.error.try_set(Some(e));
                }
            }
        });
    }

    fn desired(self) -> Option<Snapshot> {
        self.file.with_untracked(|f| f.as_ref().and_then(|f| f.read.clone().ok()))
    }

    /// Review: plan the file against the instance as it is now, and keep the undo.
    fn review(self) {
        let Some(desired) = self.desired() else { return };
        self.confirm.set(String::new());
        self.earlier.set_value(Vec::new());
        self.refresh(Box::new(move |now| {
            let todo = plan(&desired, &now);
            let undo = undo_of(&todo, &now);
            let _ = self.stage.try_set(Stage::Review(todo, undo));
        }));
    }

    fn open(self, read: FileRead) {
        self.file.set(Some(read));
        self.stage.set(Stage::Compare);
        self.live.set(None);
        self.refresh(Box::new(|_| {}));
    }

    fn undo_last(self) {
        if let Some(undo) = self.last_undo.get_untracked() {
            self.file.set(Some(FileRead { name: "the undo of the last apply".into(), read: Ok(undo) }));
            self.review();
        }
    }

    /// Apply `todo`. `already`: organizations a Retry failed found holding the file already (a
    /// write whose answer was lost was applied): done, with nothing to send.
    fn run(self, todo: SnapshotPlan, undo: Snapshot, already: Vec<String>) {
        let Some(api) = self.app.api() else { return };
        let flag = Arc::new(AtomicBool::new(false));
        self.stop.set_value(flag.clone());
        self.applied.set((0, todo.len()));
        self.stage.set(Stage::Applying);
        crate::context::spawn(async move {
            let stopped = move || flag.load(Ordering::Relaxed);
            let mut on_progress = |p: tfe_orgs::client::ConfigProgress| {
                let _ = self.applied.try_set((p.done, p.total));
            };
            let mut applied_now = api.apply(&todo, &stopped, &mut on_progress).await;
            applied_now.extend(already.into_iter().map(|name| (name, Applied::Done)));
            let results = merge_results(&self.earlier.get_value(), applied_now);
            self.earlier.set_value(results.clone());
            let _ = self.last_undo.try_set(Some(undo.clone()));
            let _ = self.stage.try_set(Stage::Results(results, undo));
            let _ = self.live.try_set(None);
        });
    }

    /// Retry failed: plan again for those only, against the instance as it is now.
    fn retry(self, names: Vec<String>, undo: Snapshot) {
        let Some(desired) = self.desired() else { return };
        if self.busy.get_untracked() {
            return; // already on its way
        }
        let part = only(&desired, &names);
        self.refresh(Box::new(move |now| {
            let todo = plan(&part, &now);
            let already = names
                .into_iter()
                .filter(|n| !todo.writes.iter().any(|w| &w.organization == n) && !todo.missing.contains(n))
                .collect();
            self.run(todo, undo, already)
        }));
    }
}

#[component]
pub fn SnapshotPage() -> impl IntoView {
    let screen = Screen::new();
    let Screen { app, live, file, stage, busy, progress, error, confirm, applied, stop, last_undo, .. } = screen;
    let filter = RwSignal::new(String::new());
    // A document handed over (a bulk change's Undo, revoking unused grants): straight to its review.
    if let Some((name, undo)) = app.to_review.try_update(Option::take).flatten() {
        file.set(Some(FileRead { name, read: Ok(undo) }));
        screen.review();
    }
    let differences = Memo::new(move |_| {
        let wanted = file.with(|f| f.as_ref().and_then(|f| f.read.clone().ok()))?;
        live.with(|now| now.as_ref().map(|now| diff(&wanted, now)))
    });
    let applying = move || stage.with(|s| *s == Stage::Applying);

    view! {
        <section class="snapshot-page">
            <h1>"Snapshot, compare, apply"</h1>
            <p class="hint">"A snapshot is every organization's admin settings, organization settings and consumers in one JSON file (tfe-orgs/snapshot@1). Compare the instance with a file, or make the instance hold it: only what differs is written, sharing is never widened first, nothing is created or deleted."</p>
            <SnapshotToolbar busy=busy live=live last_undo=last_undo
                comparing=Signal::derive(move || stage.with(|s| matches!(s, Stage::Compare)))
                applying=Signal::derive(applying)
                on_take=Callback::new(move |_| {
                    stage.set(Stage::Compare);
                    screen.refresh(Box::new(|_| {}));
                })
                on_undo=Callback::new(move |_| screen.undo_last())/>
            <Show when=move || busy.get()>
                <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}</p>
            </Show>
            <ErrorBanner error=Signal::derive(move || error.get())/>
            <FilePicker on_read=Callback::new(move |read| screen.open(read))/>
            {move || file.get().map(|f| view! { <FileStatus file=f/> })}
            {move || match stage.get() {
                Stage::Compare => view! { <Compare differences=differences filter=filter on_review=Callback::new(move |_| screen.review())/> }.into_any(),
                Stage::Review(todo, undo) => view! {
                    <Review todo=todo undo=undo confirm=confirm busy=busy
                        on_apply=Callback::new(move |(t, u)| screen.run(t, u, Vec::new()))
                        on_back=Callback::new(move |_| stage.set(Stage::Compare))/>
                }.into_any(),
                Stage::Applying => view! { <Applying applied=applied stop=Callback::new(move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed)))/> }.into_any(),
                Stage::Results(results, undo) => {
                    let kept = undo.clone();
                    view! { <Results results=results undo=undo on_retry=Callback::new(move |names| screen.retry(names, kept.clone())) on_undo=Callback::new(move |_| screen.undo_last())/> }.into_any()
                }
            }}
        </section>
    }
}

/// Take and download a snapshot, undo the last apply, and what was taken when.
#[component]
fn SnapshotToolbar(
    busy: RwSignal<bool>,
    live: RwSignal<Option<Snapshot>>,
    last_undo: RwSignal<Option<Snapshot>>,
    comparing: Signal<bool>,
    applying: Signal<bool>,
    on_take: Callback<()>,
    on_undo: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="toolbar">
            <button type="button" id="take-snapshot" disabled=move || busy.get() || applying.get() on:click=move |_| on_take.run(())>"Take a snapshot"</button>
            // A snapshot is read whole or not at all: downloadable only once it is complete.
            <button type="button" class="secondary" id="download-snapshot" disabled=move || busy.get() || live.with(Option::is_none) on:click=move |_| {
                if let Some(now) = live.get_untracked() {
                    download(&format!("tfe-orgs-snapshot-{}.json", file_stamp()), "application/json", &now.to_pretty_json());
                }
            }>"Download snapshot"</button>
            <Show when=move || last_undo.with(Option::is_some) && comparing.get()>
                <button type="button" class="secondary" id="undo-last" on:click=move |_| on_undo.run(())>"Undo the last apply…"</button>
            </Show>
            <span class="snapshot-taken" role="status">{move || live.with(|s| s.as_ref().map(|s| format!(
                "{} organizations, taken {}", thousands(s.organizations.len() as u64),
                s.instance.as_ref().map(|i| i.taken_at.clone()).unwrap_or_default()
            )))}</span>
        </div>
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
