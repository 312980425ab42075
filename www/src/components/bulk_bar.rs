//! The bulk bar: one admin change for every selected organization — review the plan, type the
//! count to apply, watch the progress (with Stop), then the results, failures first.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use tfe_orgs::client::bulk::{BulkItem, BulkProgress, Outcome};
use tfe_orgs::client::Error;
use tfe_orgs::model::AdminOrganizationUpdate;

use crate::components::common::{advice, download, ErrorBanner, ImpactSummary};
use crate::context::{app_state, Api};
use crate::logic::bulk::{
    changes_text, merge_retry, outcome_text, results_csv, results_in_order, to_retry, BulkAction,
};
use crate::logic::{thousands, BulkImpact, LossReport, Registry};

/// Who loses access through a bulk change: being read (done, total), read, or failed.
#[derive(Clone, Debug)]
enum ImpactRead {
    Reading(usize, usize),
    Read(LossReport),
    Failed(Error),
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Choose,
    Planning,
    Review { names: Vec<String>, body: AdminOrganizationUpdate, plan: Vec<BulkItem> },
    Applying,
    Results(Vec<BulkItem>),
}

fn count(items: &[BulkItem], wanted: fn(&Outcome) -> bool) -> usize {
    items.iter().filter(|i| wanted(&i.outcome)).count()
}

/// Shown while organizations are selected (site admins): the action, its review and its run.
#[component]
pub fn BulkBar(selection: RwSignal<BTreeSet<String>>, on_done: Callback<()>) -> impl IntoView {
    let app = app_state();
    let action = RwSignal::new(BulkAction::first());
    let duration = RwSignal::new(String::new());
    let stage = RwSignal::new(Stage::Choose);
    let progress = RwSignal::new(None::<BulkProgress>);
    let error = RwSignal::new(None::<Error>);
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let impact = RwSignal::new(None::<ImpactRead>);
    let body_error = Memo::new(move |_| action.with(|a| a.body(&duration.get()).err().map(|e| e.message)));

    let review = Callback::new(move |_: ()| {
        let Some(api) = app.api() else { return };
        let Ok(body) = action.get_untracked().body(&duration.get_untracked()) else { return };
        let names: Vec<String> = selection.get_untracked().into_iter().collect();
        error.set(None);
        stage.set(Stage::Planning);
        impact.set(None);
        let lost = action.get_untracked().registries_lost();
        crate::context::spawn(async move {
            match api.admin_update_many(&names, &body, true, || false, |_| {}).await {
                Ok(plan) => {
                    // A change that ends sharing: who loses access, read while the plan is shown.
                    let changing: Vec<String> =
                        plan.iter().filter(|i| matches!(i.outcome, Outcome::Planned)).map(|i| i.name.clone()).collect();
                    stage.set(Stage::Review { names, body, plan });
                    if !lost.is_empty() && !changing.is_empty() {
                        read_impact(&api, &changing, lost, impact).await;
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    stage.set(Stage::Choose);
                }
            }
        });
    });

    let apply = Callback::new(move |(names, body): (Vec<String>, AdminOrganizationUpdate)| {
        let Some(api) = app.api() else { return };
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        progress.set(None);
        error.set(None);
        // Retry failed: its results join the first run's, so the results, their CSV and the
        // undo still cover every organization the change touched.
        let previous = match stage.get_untracked() {
            Stage::Results(items) => items,
            _ => Vec::new(),
        };
        stage.set(Stage::Applying);
        crate::context::spawn(async move {
            let result = api
                .admin_update_many(
                    &names,
                    &body,
                    false,
                    move || flag.load(Ordering::Relaxed),
                    |p| {
                        let _ = progress.try_set(Some(p));
                    },
                )
                .await;
            match result {
                Ok(items) => {
                    let _ = stage.try_set(Stage::Results(merge_retry(&previous, items)));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    // A retry that could not run keeps the first run's results (and its undo).
                    let _ = stage.try_set(if previous.is_empty() { Stage::Choose } else { Stage::Results(previous) });
                }
            }
            on_done.run(());
        });
    });

    let selected = move || selection.with(BTreeSet::len);
    view! {
        <section class="bulk" aria-label="Bulk change">
            <p class="bulk-count" role="status">
                {move || format!("{} selected", thousands(selected() as u64))}
                " "
                <button type="button" class="link" on:click=move |_| {
                    selection.set(Default::default());
                    stage.set(Stage::Choose);
                }>"Clear selection"</button>
            </p>
            <ErrorBanner error=error/>
            {move || match stage.get() {
                Stage::Choose | Stage::Planning => {
                    let planning = matches!(stage.get_untracked(), Stage::Planning);
                    view! { <BulkChoose action=action duration=duration body_error=body_error planning=planning on_review=review/> }
                        .into_any()
                }
                Stage::Review { names, body, plan } => {
                    let go = Callback::new(move |_: ()| apply.run((names.clone(), body.clone())));
                    let back = Callback::new(move |_: ()| stage.set(Stage::Choose));
                    view! { <BulkReview plan=plan impact=impact on_apply=go on_back=back/> }.into_any()
                }
                Stage::Applying => view! { <BulkApplying progress=progress stop=stop/> }.into_any(),
                Stage::Results(items) => {
                    let retry_body = action.get_untracked().body(&duration.get_untracked()).ok();
                    let can_retry = retry_body.is_some();
                    let retry = Callback::new(move |names: Vec<String>| {
                        if let Some(body) = retry_body.clone() {
                            apply.run((names, body))
                        }
                    });
                    let done = Callback::new(move |_: ()| stage.set(Stage::Choose));
                    view! { <BulkResults items=items can_retry=can_retry on_retry=retry on_done=done/> }.into_any()
                }
            }}
        </section>
    }
}

/// The action to apply, the value it takes (a duration, a limit) if any, and Review.
#[component]
fn BulkChoose(
    action: RwSignal<BulkAction>,
    duration: RwSignal<String>,
    body_error: Memo<Option<String>>,
    planning: bool,
    on_review: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="bulk-choose">
            <label for="bulk-action">"Change"</label>
            <select id="bulk-action" on:change=move |ev| {
                if let Some(a) = BulkAction::parse(&event_target_value(&ev)) {
                    action.set(a);
                }
            }>
                // What an older instance lacks is not offered (a workspace limit before current
                // releases, provider sharing before 202301-1).
                {BulkAction::offered(crate::context::app_state().era())
                    .map(|a| view! { <option value=a.id() prop:selected=move || action.get() == a>{a.label()}</option> })
                    .collect_view()}
            </select>
            {move || action.get().input().map(|(label, example)| view! {
                <label for="bulk-value">{label}</label>
                <input
                    id="bulk-value"
                    type="text"
                    placeholder=example
                    prop:value=duration
                    aria-invalid=move || body_error.with(Option::is_some).to_string()
                    aria-describedby="bulk-value-error"
                    on:input=move |ev| duration.set(event_target_value(&ev))
                />
                <p class="field-error" id="bulk-value-error" aria-live="polite">{move || body_error.get()}</p>
            })}
            <button type="button" on:click=move |_| on_review.run(()) disabled=move || planning || body_error.with(Option::is_some)>
                {if planning { "Reading the organizations…" } else { "Review" }}
            </button>
        </div>
    }
}

/// Who loses access when `changing` (producers) stop sharing `lost`: read while the plan is shown.
async fn read_impact(api: &Api, changing: &[String], lost: &'static [Registry], impact: RwSignal<Option<ImpactRead>>) {
    impact.set(Some(ImpactRead::Reading(0, 0)));
    let mut on_progress = |done, total| {
        let _ = impact.try_set(Some(ImpactRead::Reading(done, total)));
    };
    let read = api.sharing_of_many(Some(&changing.to_vec()), lost, &mut on_progress).await;
    let _ = impact.try_set(Some(match read {
        Ok(found) => ImpactRead::Read(BulkImpact::new(&found).report()),
        Err(e) => ImpactRead::Failed(e),
    }));
}

/// The plan: what changes where, who loses access, and the typed count that allows Apply.
#[component]
fn BulkReview(
    plan: Vec<BulkItem>,
    impact: RwSignal<Option<ImpactRead>>,
    on_apply: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let confirm = RwSignal::new(String::new());
    let changing = count(&plan, |o| matches!(o, Outcome::Planned));
    let already = count(&plan, |o| matches!(o, Outcome::Unchanged));
    let unread = count(&plan, |o| matches!(o, Outcome::Failed(_)));
    let wanted = changing.to_string();
    let ready = {
        let wanted = wanted.clone();
        let reading = move || impact.with(|i| matches!(i, Some(ImpactRead::Reading(..))));
        move || changing > 0 && confirm.with(|c| c.trim() == wanted) && !reading()
    };
    view! {
        <div class="bulk-review">
            <p class="bulk-summary" data-changing=changing data-already=already>
                {format!("{changing} will change, {already} already so")}
                {(unread > 0).then(|| format!(", {unread} could not be read"))}
                "."
            </p>
            {move || impact.get().map(|read| match read {
                ImpactRead::Reading(done, total) => view! {
                    <p class="progress" role="status">{format!("Reading who these share with: {done} of {total} producers…")}</p>
                }.into_any(),
                ImpactRead::Failed(e) => view! {
                    <p class="banner error" role="alert">{format!("Could not read who loses access: {}", advice(&e).0)}</p>
                }.into_any(),
                ImpactRead::Read(report) => view! {
                    <div class="bulk-impact">
                        <ImpactSummary report=report verb="This change" file="bulk-loses-access.csv".to_string()/>
                    </div>
                }.into_any(),
            })}
            <ul class="bulk-plan" aria-label="What will change">
                {results_in_order(&plan)
                    .into_iter()
                    .map(|item| {
                        let why = match &item.outcome {
                            Outcome::Failed(e) => advice(e).0,
                            Outcome::Unchanged => "already so".into(),
                            _ => changes_text(&item.changes),
                        };
                        view! { <li data-outcome=outcome_text(&item.outcome)><strong>{item.name.clone()}</strong>": "{why}</li> }
                    })
                    .collect_view()}
            </ul>
            <label for="bulk-confirm">{format!("Type {wanted} to change {}", crate::logic::format::count_of(changing, "organization", "organizations"))}</label>
            <input id="bulk-confirm" type="text" inputmode="numeric" autocomplete="off" prop:value=confirm on:input=move |ev| confirm.set(event_target_value(&ev))/>
            <div class="actions">
                <button type="button" disabled=move || !ready() on:click=move |_| on_apply.run(())>"Apply"</button>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>"Back"</button>
            </div>
        </div>
    }
}

/// The run's progress, with Stop.
#[component]
fn BulkApplying(progress: RwSignal<Option<BulkProgress>>, stop: StoredValue<Arc<AtomicBool>>) -> impl IntoView {
    view! {
        <div class="progress bulk-progress">
            {move || {
                let p = progress.get().unwrap_or_default();
                view! {
                    <progress max=p.total.max(1).to_string() value=p.done.to_string() aria-label="Applying the change"></progress>
                    <span role="status">{format!("{} of {}", thousands(p.done as u64), thousands(p.total as u64))}</span>
                }
            }}
            <button type="button" class="secondary" on:click=move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed))>"Stop"</button>
        </div>
    }
}

/// The results, failures first, with Retry failed and the CSV.
#[component]
fn BulkResults(
    items: Vec<BulkItem>,
    /// The action's body is still valid (what Retry failed sends again).
    can_retry: bool,
    on_retry: Callback<Vec<String>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let updated = count(&items, |o| matches!(o, Outcome::Updated));
    let failed = count(&items, |o| matches!(o, Outcome::Failed(_)));
    let not_sent = count(&items, |o| matches!(o, Outcome::NotSent));
    let already = count(&items, |o| matches!(o, Outcome::Unchanged));
    let retry = to_retry(&items);
    let csv = results_csv(&results_in_order(&items));
    // The undo: every organization's values before the change, as a snapshot document
    // (`tfe-orgs apply bulk-undo.json` puts them back, with its own review).
    let undo = tfe_orgs::snapshot::undo_of_bulk(&items);
    let has_undo = undo["organizations"].as_object().is_some_and(|o| !o.is_empty());
    let undo_text = undo.to_string();
    // Undo: the same document, reviewed and applied on /snapshot.
    let app = crate::context::app_state();
    let undo_doc = tfe_orgs::snapshot::Snapshot::parse(&undo_text).ok();
    let navigate = leptos_router::hooks::use_navigate();
    let on_undo = move |_| {
        if let Some(doc) = undo_doc.clone() {
            app.to_review.set(Some(("the undo of the bulk change".into(), doc)));
            navigate("/snapshot", Default::default());
        }
    };
    view! {
        <div class="bulk-results">
            <p class="bulk-summary" role="status" data-updated=updated data-failed=failed data-not-sent=not_sent>
                {format!("{updated} updated, {failed} failed, {not_sent} not sent, {already} already so.")}
            </p>
            <div class="table-scroller bulk-table">
                <table class="bulk-results-table">
                    <thead><tr><th scope="col">"Organization"</th><th scope="col">"Outcome"</th><th scope="col">"Change or error"</th></tr></thead>
                    <tbody>
                        {results_in_order(&items)
                            .into_iter()
                            .map(|item| {
                                let detail = match &item.outcome {
                                    Outcome::Failed(e) => format!("{} {}", advice(e).0, e.message),
                                    _ => changes_text(&item.changes),
                                };
                                view! {
                                    <tr data-outcome=outcome_text(&item.outcome)>
                                        <td>{item.name.clone()}</td>
                                        <td>{outcome_text(&item.outcome)}</td>
                                        <td>{detail}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="actions">
                <button type="button" disabled=retry.is_empty() || !can_retry on:click=move |_| on_retry.run(retry.clone())>
                    "Retry failed"
                </button>
                <button type="button" id="bulk-undo-open" disabled=!has_undo on:click=on_undo>"Undo"</button>
                <button type="button" class="secondary" id="bulk-undo" disabled=!has_undo on:click=move |_| download("bulk-undo.json", "application/json", &undo_text)>
                    "Download undo"
                </button>
                <button type="button" class="secondary" on:click=move |_| download("bulk-results.csv", "text/csv", &csv)>
                    "Export results CSV"
                </button>
                <button type="button" class="secondary" on:click=move |_| on_done.run(())>"Done"</button>
            </div>
        </div>
    }
}
