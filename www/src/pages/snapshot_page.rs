//! `/snapshot`: configuration as data. Take a snapshot of every organization (and download
//! it); compare the instance with a file (picked or dropped: the differences grouped by
//! organization, filterable, counted per kind); apply a file (review → the typed count →
//! progress with Stop → results with Retry failed, Undo and CSV). Before an apply the undo (what
//! it changes, as it is now) is kept and offered for download; Undo applies it with its own
//! review. A bulk change's Undo arrives here too (`AppState::undo`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use tfe_orgs::client::{Applied, Error};
use tfe_orgs::snapshot::{diff, plan, undo_of, Snapshot, SnapshotChange, SnapshotDifference, SnapshotPlan};
use wasm_bindgen::JsCast;

use crate::components::common::{advice, download, ErrorBanner};
use crate::context::{app_state, Api};
use crate::logic::export::csv_cell;
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

/// A document read from a file (or handed over by Undo): its name, and what it says or why not.
#[derive(Clone)]
struct Document {
    name: String,
    read: Result<Snapshot, Vec<String>>,
}

fn read_document(name: String, text: &str) -> Document {
    let read = Snapshot::parse(text).map_err(|e| e.iter().map(|p| format!("{}: {}", p.field, p.message)).collect());
    Document { name, read }
}

/// A fresh snapshot of the instance, with its progress in words.
async fn take(api: Api, progress: RwSignal<String>) -> Result<Snapshot, Error> {
    let taken_at = web_sys::js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    api.snapshot(&taken_at, &mut |p| {
        let _ = progress.try_set(format!("Reading {}: {} of {}", p.stage, thousands(p.done as u64), thousands(p.total as u64)));
    })
    .await
}

fn describe(d: &SnapshotDifference) -> String {
    let show = |v: &serde_json::Value| if v.is_null() { "null".to_string() } else { v.to_string() };
    match d.change {
        SnapshotChange::Changed => format!("{}: file {} · instance {}", d.field, show(&d.from), show(&d.to)),
        SnapshotChange::Added => format!("{}: {} only on the instance", d.field, show(&d.to)),
        SnapshotChange::Removed => format!("{}: {} only in the file", d.field, show(&d.from)),
        SnapshotChange::Missing => "named in the file, not on the instance (never created)".into(),
        SnapshotChange::Extra => "on the instance, not in the file (left alone)".into(),
    }
}

fn kind_of(c: &SnapshotChange) -> &'static str {
    match c {
        SnapshotChange::Changed => "changed",
        SnapshotChange::Added => "added",
        SnapshotChange::Removed => "removed",
        SnapshotChange::Missing => "missing",
        SnapshotChange::Extra => "extra",
    }
}

fn outcome_of(a: &Applied) -> &'static str {
    match a {
        Applied::Done => "done",
        Applied::Failed(_) => "failed",
        Applied::NotSent => "not-sent",
    }
}

fn file_stamp() -> String {
    let iso = web_sys::js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    iso.chars().take(19).map(|c| if c == ':' { '-' } else { c }).collect()
}

#[component]
pub fn SnapshotPage() -> impl IntoView {
    let app = app_state();
    let live = RwSignal::new(None::<Snapshot>);
    let document = RwSignal::new(None::<Document>);
    let stage = RwSignal::new(Stage::Compare);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Error>);
    let filter = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let applied = RwSignal::new((0usize, 0usize));
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));

    // Take a snapshot, then `then` with it (kept as the instance's current state).
    let refresh = move |then: Box<dyn FnOnce(Snapshot)>| {
        let Some(api) = app.api() else { return };
        busy.set(true);
        error.set(None);
        progress.set("Reading…".into());
        leptos::task::spawn_local(async move {
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
    // Review: plan the file against the instance as it is now, and keep the undo.
    let review = move || {
        let Some(Ok(desired)) = document.with_untracked(|d| d.as_ref().map(|d| d.read.clone())) else { return };
        confirm.set(String::new());
        refresh(Box::new(move |now| {
            let todo = plan(&desired, &now);
            let undo = undo_of(&todo, &now);
            let _ = stage.try_set(Stage::Review(todo, undo));
        }));
    };
    // A file is compared with the instance as it is now: a fresh snapshot each time.
    let load = move |doc: Document| {
        document.set(Some(doc));
        stage.set(Stage::Compare);
        live.set(None);
        refresh(Box::new(|_| {}));
    };
    // The last apply's undo, offered until another apply replaces it.
    let last_undo = RwSignal::new(None::<Snapshot>);
    let undo_last = move || {
        if let Some(undo) = last_undo.get_untracked() {
            document.set(Some(Document { name: "the undo of the last apply".into(), read: Ok(undo) }));
            review();
        }
    };
    // A bulk change's or an apply's Undo: straight to its review.
    if let Some((name, undo)) = app.undo.try_update(Option::take).flatten() {
        document.set(Some(Document { name, read: Ok(undo) }));
        review();
    }

    let run = move |todo: SnapshotPlan, undo: Snapshot| {
        let Some(api) = app.api() else { return };
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        applied.set((0, todo.len()));
        stage.set(Stage::Applying);
        leptos::task::spawn_local(async move {
            let stopped = move || flag.load(Ordering::Relaxed);
            let mut on_progress = |p: tfe_orgs::client::ConfigProgress| {
                let _ = applied.try_set((p.done, p.total));
            };
            let results = api.apply(&todo, &stopped, &mut on_progress).await;
            let _ = last_undo.try_set(Some(undo.clone()));
            let _ = stage.try_set(Stage::Results(results, undo));
            // What the instance holds now, for the next comparison.
            let _ = live.try_set(None);
        });
    };
    let on_file = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let text = text.ok().and_then(|t| t.as_string()).unwrap_or_default();
            load(read_document(name, &text));
        });
    };
    let differences = Memo::new(move |_| {
        let doc = document.with(|d| d.as_ref().and_then(|d| d.read.clone().ok()))?;
        live.with(|now| now.as_ref().map(|now| diff(&doc, now)))
    });

    view! {
        <section class="snapshot-page">
            <h1>"Snapshot, compare, apply"</h1>
            <p class="hint">"A snapshot is every organization's admin settings, organization settings and consumers in one JSON file (tfe-orgs/snapshot@1). Compare the instance with a file, or make the instance hold it: only what differs is written, sharing is never widened first, nothing is created or deleted."</p>
            <div class="toolbar">
                <button type="button" id="take-snapshot" disabled=move || busy.get() || stage.with(|s| *s == Stage::Applying) on:click=move |_| {
                    stage.set(Stage::Compare);
                    refresh(Box::new(|_| {}));
                }>"Take a snapshot"</button>
                <button type="button" class="secondary" id="download-snapshot" disabled=move || live.with(Option::is_none) on:click=move |_| {
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
            <div class="drop-zone" on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) { on_file(file) }
                }>
                <label for="snapshot-file">"Compare with a file (pick one or drop it here)"</label>
                <input id="snapshot-file" type="file" accept=".json,application/json" on:change=move |ev| {
                    let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
                    if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) { on_file(file) }
                }/>
            </div>
            {move || document.get().map(|doc| match doc.read {
                Err(problems) => view! {
                    <div class="error-banner" role="alert" id="file-problems">
                        <p><strong>{format!("{} is not a tfe-orgs snapshot ({} problems):", doc.name, problems.len())}</strong></p>
                        <ul>{problems.into_iter().take(50).map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                Ok(_) => view! { <p class="file-name">{format!("File: {}", doc.name)}</p> }.into_any(),
            })}
            {move || match stage.get() {
                Stage::Compare => view! { <Compare differences=differences filter=filter on_review=Callback::new(move |_| review())/> }.into_any(),
                Stage::Review(todo, undo) => view! {
                    <Review todo=todo undo=undo confirm=confirm busy=busy
                        on_apply=Callback::new(move |(t, u)| run(t, u))
                        on_back=Callback::new(move |_| stage.set(Stage::Compare))/>
                }.into_any(),
                Stage::Applying => view! {
                    <div class="progress snapshot-progress">
                        {move || {
                            let (done, total) = applied.get();
                            view! {
                                <progress max=total.max(1).to_string() value=done.to_string() aria-label="Applying the file"></progress>
                                <span role="status">{format!("{} of {} organizations", thousands(done as u64), thousands(total as u64))}</span>
                            }
                        }}
                        <button type="button" class="secondary" on:click=move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed))>"Stop"</button>
                    </div>
                }.into_any(),
                Stage::Results(results, undo) => {
                    let failed: Vec<String> = results.iter().filter(|(_, a)| matches!(a, Applied::Failed(_) | Applied::NotSent)).map(|(n, _)| n.clone()).collect();
                    let retry = {
                        let undo = undo.clone();
                        move || {
                        // Plan again for the failed ones only, against the instance as it is now.
                        let Some(Ok(desired)) = document.with_untracked(|d| d.as_ref().map(|d| d.read.clone())) else { return };
                        let mut only = Snapshot::new(desired.instance.clone());
                        only.organizations = desired.organizations.into_iter().filter(|(n, _)| failed.contains(n)).collect();
                        let kept = undo.clone();
                        refresh(Box::new(move |now| run(plan(&only, &now), kept)));
                    }};
                    view! { <Results results=results undo=undo on_retry=Callback::new(move |_| retry()) on_undo=Callback::new(move |_| undo_last())/> }.into_any()
                }
            }}
        </section>
    }
}

/// The differences of the file with the instance: counts per kind, a filter, grouped by
/// organization; and Review apply.
#[component]
fn Compare(differences: Memo<Option<Vec<SnapshotDifference>>>, filter: RwSignal<String>, on_review: Callback<()>) -> impl IntoView {
    let shown = move || {
        let needle = filter.get().to_lowercase();
        differences.get().map(|all| {
            all.into_iter()
                .filter(|d| needle.is_empty() || format!("{} {} {}", d.organization, d.field, kind_of(&d.change)).to_lowercase().contains(&needle))
                .collect::<Vec<_>>()
        })
    };
    move || {
        differences.get().map(|all| {
            let count = |k: &str| all.iter().filter(|d| kind_of(&d.change) == k).count();
            let drift = all.iter().any(|d| d.change != SnapshotChange::Extra);
            let counts = ["changed", "added", "removed", "missing", "extra"]
                .map(|k| format!("{} {k}", thousands(count(k) as u64)))
                .join(" · ");
            view! {
                <div class="compare">
                    <p class="drift-summary" role="status" data-drift=drift.to_string()>
                        {if drift { "The instance differs from the file: " } else { "No drift: the instance holds the file. " }}{counts}
                    </p>
                    <label for="diff-filter">"Filter"</label>
                    <input id="diff-filter" type="search" placeholder="organization, field or kind" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
                    <div class="table-scroller">
                        <table class="diff-table">
                            <thead><tr><th scope="col">"Organization"</th><th scope="col">"Kind"</th><th scope="col">"Field and values"</th></tr></thead>
                            <tbody>
                                {move || shown().unwrap_or_default().into_iter().take(500).map(|d| view! {
                                    <tr data-change=kind_of(&d.change)>
                                        <td>{d.organization.clone()}</td>
                                        <td>{kind_of(&d.change)}</td>
                                        <td>{describe(&d)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="actions">
                        <button type="button" id="review-apply" disabled=!drift on:click=move |_| on_review.run(())>"Review apply…"</button>
                    </div>
                </div>
            }
        })
    }
}

/// What the apply writes, per organization; the undo to download; the typed count.
#[component]
fn Review(
    todo: SnapshotPlan,
    undo: Snapshot,
    confirm: RwSignal<String>,
    busy: RwSignal<bool>,
    on_apply: Callback<(SnapshotPlan, Snapshot)>,
    on_back: Callback<()>,
) -> impl IntoView {
    let wanted = todo.len();
    let lines: Vec<(String, String)> = todo
        .writes
        .iter()
        .map(|w| {
            let mut parts = Vec::new();
            for body in [serde_json::to_value(&w.admin), serde_json::to_value(&w.settings)] {
                if let Ok(serde_json::Value::Object(map)) = body {
                    parts.extend(map.iter().map(|(k, v)| format!("{k} → {v}")));
                }
            }
            for (registry, intent) in [("modules", &w.modules), ("providers", &w.providers)] {
                if let Some(i) = intent {
                    if let Some(c) = &i.consumers {
                        parts.push(format!("{registry}: share with {}", if c.is_empty() { "nobody".into() } else { c.join(", ") }));
                    }
                    if let Some(g) = i.global_module_sharing {
                        parts.push(format!("{registry}: global sharing {}", if g { "on" } else { "off" }));
                    }
                }
            }
            (w.organization.clone(), parts.join("; "))
        })
        .collect();
    let missing = todo.missing.clone();
    let undo_text = undo.to_pretty_json();
    let ready = move || confirm.get().trim() == wanted.to_string() && wanted > 0 && !busy.get();
    let (t, u) = (StoredValue::new(todo), StoredValue::new(undo));
    view! {
        <div class="review">
            <h2>{format!("Apply: {wanted} organizations change")}</h2>
            <ul class="plan-list">
                {lines.into_iter().map(|(name, what)| view! { <li><strong>{name}</strong>": "{what}</li> }).collect_view()}
            </ul>
            {(!missing.is_empty()).then(|| view! { <p class="warning">{format!("Not on the instance (never created): {}", missing.join(", "))}</p> })}
            <p>"The undo (what this changes, as it is now) is kept: download it before applying, or use Undo on the results."</p>
            <button type="button" class="secondary" id="download-undo" on:click=move |_| download(&format!("tfe-orgs-undo-{}.json", file_stamp()), "application/json", &undo_text)>"Download undo"</button>
            <label for="apply-confirm">{format!("Type {wanted} to change {wanted} organizations")}</label>
            <input id="apply-confirm" type="text" inputmode="numeric" autocomplete="off" prop:value=confirm on:input=move |ev| confirm.set(event_target_value(&ev))/>
            <div class="actions">
                <button type="button" id="apply-file" disabled=move || !ready() on:click=move |_| on_apply.run((t.get_value(), u.get_value()))>"Apply"</button>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>"Back"</button>
            </div>
        </div>
    }
}

/// One line per organization, failures first; Retry failed, Undo, the undo file and the CSV.
#[component]
fn Results(results: Vec<(String, Applied)>, undo: Snapshot, on_retry: Callback<()>, on_undo: Callback<()>) -> impl IntoView {
    let count = |k: &str| results.iter().filter(|(_, a)| outcome_of(a) == k).count();
    let (done, failed, not_sent) = (count("done"), count("failed"), count("not-sent"));
    let mut csv = String::from("organization,outcome,error\r\n");
    for (name, a) in &results {
        let error = if let Applied::Failed(e) = a { e.message.clone() } else { String::new() };
        csv.push_str(&format!("{},{},{}\r\n", csv_cell(name), outcome_of(a), csv_cell(&error)));
    }
    let mut ordered = results.clone();
    ordered.sort_by_key(|(_, a)| outcome_of(a) == "done");
    let undo_text = undo.to_pretty_json();
    view! {
        <div class="apply-results">
            <p class="apply-summary" role="status" data-done=done data-failed=failed data-not-sent=not_sent>
                {format!("{done} applied, {failed} failed, {not_sent} not sent.")}
            </p>
            <div class="table-scroller">
                <table class="apply-results-table">
                    <thead><tr><th scope="col">"Organization"</th><th scope="col">"Outcome"</th><th scope="col">"Error"</th></tr></thead>
                    <tbody>
                        {ordered.into_iter().map(|(name, a)| {
                            let why = if let Applied::Failed(e) = &a { format!("{} {}", advice(e).0, e.message) } else { String::new() };
                            view! { <tr data-outcome=outcome_of(&a)><td>{name}</td><td>{outcome_of(&a)}</td><td>{why}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="actions">
                <button type="button" disabled=failed + not_sent == 0 on:click=move |_| on_retry.run(())>"Retry failed"</button>
                <button type="button" id="undo-apply" on:click=move |_| on_undo.run(())>"Undo"</button>
                <button type="button" class="secondary" on:click=move |_| download(&format!("tfe-orgs-undo-{}.json", file_stamp()), "application/json", &undo_text)>"Download undo"</button>
                <button type="button" class="secondary" on:click=move |_| download("apply-results.csv", "text/csv", &csv)>"Export results CSV"</button>
            </div>
        </div>
    }
}
