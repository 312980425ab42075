//! The sharing audit's usage (Explorer): every grant used / unused / unknown with counts and the
//! workspaces on demand, filters, CSV; unused grants selected and revoked through the snapshot
//! screen's review (the plan in the order that never over-shares, the undo, the typed count,
//! progress with Stop, Retry failed).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use tfe_orgs::client::{GrantUsage, ProducerSharing};

use crate::components::common::{download, ErrorBanner, ShowAll};
use crate::context::{app_state, Loader};
use crate::logic::grant_usage::{
    grant_key, revocable, usage_csv, usage_detail, usage_rows, usage_word, UsageCounts, UsageFilter,
};
use crate::logic::grant_usage::{impact_usage_line, losing_access};
use crate::logic::{thousands, Producing, Registry};

/// Grants the table draws before "Show all".
const FIRST: usize = 200;

/// The sharing audit's usage panel, made once its code is here.
#[derive(Clone)]
pub struct PanelInput {
    pub registry: RwSignal<Registry>,
    pub audit: Loader<Vec<Producing>>,
}

/// An impact warning's Explorer line: the producers whose sharing ends, the registries it ends
/// for, and whether to ask at once.
#[derive(Clone)]
pub struct ImpactInput {
    pub producers: Vec<String>,
    pub registries: Vec<Registry>,
    pub auto: bool,
    /// Only these consumers lose access (a sharing editor's removals); `None`: every grant.
    pub only: Option<Vec<String>>,
    /// Consumers that keep access (global sharing ending for all but these).
    pub keeps: Vec<String>,
}

/// The views of this part (one wasm chunk: the Explorer reading's code arrives once, with the
/// first of them shown).
pub const VIEWS: crate::screens::UsageViews = crate::screens::UsageViews {
    panel: |input| view! { <GrantUsagePanel registry=input.registry audit=input.audit/> }.into_any(),
    impact: |input| view! { <ExplorerUsage input=input/> }.into_any(),
};

/// "Which grants are in use": read on request (one Explorer read per consumer organization).
#[component]
fn GrantUsagePanel(
    registry: RwSignal<Registry>,
    /// What the audit read: its sharing, where read in full, is not read again.
    audit: Loader<Vec<Producing>>,
) -> impl IntoView {
    let app = app_state();
    let usage: Loader<Vec<GrantUsage>> = Loader::new();
    let progress = RwSignal::new(String::new());
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let picked = RwSignal::new(BTreeSet::<String>::new());
    let read = move |_| {
        let Some(api) = app.api() else { return };
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        picked.set(BTreeSet::new());
        progress.set("Reading the producers…".into());
        let which = registry.get_untracked();
        let read: Option<Vec<ProducerSharing>> = audit
            .with_ready(|all| all.iter().map(|p| p.read.clone()).collect())
            .flatten()
            .filter(|read: &Vec<ProducerSharing>| read.iter().all(|p| p.registry == which));
        usage.run(async move {
            let mut on_progress = |done: usize, total: usize| {
                let _ = progress.try_set(format!(
                    "{} of {} organizations' Explorer read",
                    thousands(done as u64),
                    thousands(total as u64)
                ));
            };
            let stop = || flag.load(Ordering::Relaxed);
            match read {
                Some(sharing) => api.grant_usage_of(which, &sharing, &stop, &mut on_progress).await,
                None => api.grant_usage(which, None, &stop, &mut on_progress).await,
            }
        });
    };
    // Another registry: what was read is for the other one.
    Effect::watch(move || registry.get(), move |_, _, _| usage.state.set(crate::context::Load::Idle), false);
    let filter = RwSignal::new(UsageFilter::All);
    let text = RwSignal::new(String::new());
    let rows =
        Memo::new(move |_| usage.with_ready(|all| usage_rows(all, filter.get(), &text.get())).unwrap_or_default());
    let counts = Memo::new(move |_| usage.with_ready(|all| UsageCounts::of(all)));
    let export = move |_| {
        if let Some(all) = usage.ready() {
            download(&format!("grant-usage-{}.csv", registry.get_untracked().noun()), "text/csv", &usage_csv(&all));
        }
    };
    view! {
        <section class="grant-usage" aria-labelledby="grant-usage-title">
            <h2 id="grant-usage-title">"Which grants are in use"</h2>
            <p class="hint">"Explorer tells which consumers' workspaces use a producer's private modules or providers. It is eventually consistent (a workspace's latest run may not be counted yet), and a token may not read every organization's Explorer: those grants are unknown, never counted as unused."</p>
            <div class="toolbar">
                <button type="button" id="read-usage" disabled=move || usage.loading() on:click=read>
                    {move || if usage.ready().is_some() { "Read usage again" } else { "Read usage (Explorer)" }}
                </button>
                <button type="button" class="secondary" id="export-usage" disabled=move || usage.ready().is_none() on:click=export>"Export usage CSV"</button>
            </div>
            <Show when=move || usage.loading()>
                <div class="progress">
                    <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}</p>
                    <button type="button" class="secondary" id="stop-usage" on:click=move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed))>"Stop"</button>
                </div>
            </Show>
            <ErrorBanner error=Signal::derive(move || usage.error())/>
            {move || counts.get().map(|c| view! {
                <p class="usage-summary" role="status" data-used=c.used data-unused=c.unused data-unknown=c.unknown data-workspaces=c.workspaces>{c.sentence()}</p>
            })}
            <Show when=move || usage.ready().is_some()>
                <UsageFilters filter=filter text=text/>
                <RevokeBar rows=rows picked=picked usage=usage/>
                <UsageTable rows=rows picked=picked/>
            </Show>
        </section>
    }
}

#[component]
fn UsageFilters(filter: RwSignal<UsageFilter>, text: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="filters usage-filters">
            <label for="usage-filter">"Show"</label>
            <select id="usage-filter" on:change=move |ev| filter.set(UsageFilter::parse(&event_target_value(&ev)))>
                {UsageFilter::ALL.into_iter().map(|f| view! {
                    <option value=f.value() prop:selected=move || filter.get() == f>{f.label()}</option>
                }).collect_view()}
            </select>
            <label for="usage-search">"Producer or consumer"</label>
            <input id="usage-search" type="search" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
        </div>
    }
}

/// Select the unused grants shown, and revoke the selection through the snapshot screen.
#[component]
fn RevokeBar(
    rows: Memo<Vec<GrantUsage>>,
    picked: RwSignal<BTreeSet<String>>,
    usage: Loader<Vec<GrantUsage>>,
) -> impl IntoView {
    let app = app_state();
    let navigate = StoredValue::new(use_navigate());
    let preparing = RwSignal::new(false);
    let error = RwSignal::new(None);
    let select_shown = move |_| {
        picked.update(|p| p.extend(rows.with(|r| r.iter().filter(|g| revocable(g)).map(grant_key).collect::<Vec<_>>())))
    };
    let revoke = move |_| {
        let Some(api) = app.api() else { return };
        let chosen: Vec<GrantUsage> = usage
            .with_ready(|all| {
                picked.with(|p| all.iter().filter(|g| revocable(g) && p.contains(&grant_key(g))).cloned().collect())
            })
            .unwrap_or_default();
        if chosen.is_empty() {
            return;
        }
        preparing.set(true);
        error.set(None);
        crate::context::spawn(async move {
            // Each affected producer's list as the instance holds it now, minus the selection.
            let doc = api.revoke_now(&chosen).await;
            let _ = preparing.try_set(false);
            match doc {
                Ok(doc) => {
                    let what = format!(
                        "revoking {}",
                        crate::logic::format::count_of(chosen.len(), "unused grant", "unused grants")
                    );
                    app.to_review.set(Some((what, doc)));
                    // The panel may be gone (another registry, Refresh, another screen): then stay.
                    let _ = navigate.try_with_value(|n| n("/snapshot", Default::default()));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="toolbar revoke-bar">
            <button type="button" class="secondary" id="select-unused" on:click=select_shown
                disabled=move || rows.with(|r| !r.iter().any(revocable))>"Select the unused grants shown"</button>
            <button type="button" class="secondary" disabled=move || picked.with(BTreeSet::is_empty) on:click=move |_| picked.set(BTreeSet::new())>"Clear"</button>
            <button type="button" id="revoke-selected" disabled=move || picked.with(BTreeSet::is_empty) || preparing.get() on:click=revoke>
                {move || format!("Review revoking {}…", crate::logic::format::count_of(picked.with(BTreeSet::len), "grant", "grants"))}
            </button>
        </div>
        <ErrorBanner error=Signal::derive(move || error.get())/>
    }
}

#[component]
fn UsageTable(rows: Memo<Vec<GrantUsage>>, picked: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let show_all = RwSignal::new(false);
    let hidden = move || if show_all.get() { 0 } else { rows.with(|r| r.len().saturating_sub(FIRST)) };
    view! {
        <p class="result-info" role="status" data-rows=move || rows.with(Vec::len)>{move || format!("{} grants shown", thousands(rows.with(Vec::len) as u64))}</p>
        <div class="table-scroller">
            <table class="usage">
                <thead><tr>
                    <th scope="col" class="pick">"Revoke"</th>
                    <th scope="col">"Producer"</th>
                    <th scope="col">"Consumer"</th>
                    <th scope="col">"Usage"</th>
                    <th scope="col">"Workspaces"</th>
                    <th scope="col">"What, or why unknown"</th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().take(if show_all.get() { usize::MAX } else { FIRST }).map(|g| {
                        let key = grant_key(&g);
                        let (row_key, checked, label) = (key.clone(), key.clone(), format!("Revoke {} → {}", g.producer, g.consumer));
                        let detail = usage_detail(&g.usage);
                        view! {
                            <tr class="grant-row" data-grant=row_key data-usage=usage_word(&g.usage).to_ascii_lowercase()>
                                <td class="pick">{revocable(&g).then(|| view! {
                                    <input type="checkbox" aria-label=label prop:checked=move || picked.with(|p| p.contains(&checked))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            picked.update(|p| { if on { p.insert(key.clone()); } else { p.remove(&key); } });
                                        }/>
                                })}</td>
                                <td>{g.producer.clone()}</td>
                                <td>{g.consumer.clone()}{g.global.then(|| view! { <span class="muted">" (shares with every organization)"</span> })}</td>
                                <td class="usage-word">{usage_word(&g.usage)}</td>
                                <td class="count">{g.workspace_count}</td>
                                <td>{(!detail.is_empty()).then(|| view! {
                                    <details><summary>{detail[0].split(" (").next().unwrap_or_default().to_string()}</summary>
                                        <ul>{detail.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                                    </details>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ShowAll show_all=show_all hidden=Signal::derive(hidden) total=Signal::derive(move || rows.with(Vec::len)) noun="grants"/>
    }
}

/// Which of those losing access use the producers' registries, in how many workspaces, where
/// Explorer answers: read at once when few lose access, otherwise on request (with Stop).
#[component]
fn ExplorerUsage(input: ImpactInput) -> impl IntoView {
    let ImpactInput { producers, registries, auto, only, keeps } = input;
    let app = app_state();
    let lines: Loader<Vec<String>> = Loader::new();
    let progress = RwSignal::new(String::new());
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let read = move || {
        let Some(api) = app.api() else { return };
        let (producers, registries, only, keeps) = (producers.clone(), registries.clone(), only.clone(), keeps.clone());
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        lines.run(async move {
            let mut out = Vec::new();
            for registry in registries {
                let mut on_progress = |done: usize, total: usize| {
                    let _ = progress.try_set(format!("Asking Explorer who uses them: {done} of {total} organizations"));
                };
                let grants = api
                    .grant_usage(registry, Some(&producers), &|| flag.load(Ordering::Relaxed), &mut on_progress)
                    .await?;
                let grants = losing_access(grants, only.as_deref(), &keeps);
                if !grants.is_empty() {
                    out.push(impact_usage_line(&grants, registry.noun()));
                }
            }
            Ok(out)
        });
    };
    let read = StoredValue::new(read);
    if auto {
        read.with_value(|r| r());
    }
    view! {
        <div class="impact-usage">
            {move || match (lines.loading(), lines.ready(), lines.error()) {
                (true, _, _) => view! {
                    <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}
                        " "<button type="button" class="secondary" on:click=move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed))>"Stop"</button></p>
                }.into_any(),
                (_, Some(found), _) => view! {
                    <ul class="impact-lines usage-lines" data-usage="read">{found.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                }.into_any(),
                (_, _, Some(e)) => view! { <p class="muted">{format!("Explorer could not be asked who uses them: {}", e.message)}</p> }.into_any(),
                _ => view! {
                    <button type="button" class="secondary" id="impact-usage" on:click=move |_| read.with_value(|r| r())>"Ask Explorer who uses them"</button>
                }.into_any(),
            }}
        </div>
    }
}
