//! `/sharing-map`: the module sharing audit — who shares private modules with whom, readable at
//! thousands of organizations (a table, a picture of a selection, every edge as CSV/JSON).

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::common::{download, ErrorBanner, ShowAll};
use crate::components::org_table::org_href;
use crate::context::{app_state, link, Loader};
use crate::logic::sharing_audit::{
    audit_rows, edges, edges_csv, edges_json, load_sharing, who_can_use, AuditFilter, AuditSort, Users,
};
use crate::logic::{map_layout, thousands, ExportKind, Producing, Registry, MAP_ROW};

const WIDTH: u32 = 760;
const LEFT: u32 = 200;
const RIGHT: u32 = 560;
/// Producers the audit table draws before "Show all".
const AUDIT_FIRST: usize = 200;
/// The most producers the picture draws at once (beyond, labels would crowd).
pub const PICTURE_MAX: usize = 50;

/// The sharing audit: every producer with its mode and consumers, filtered and sorted; the
/// picture of a selection; every edge as CSV or JSON; and who can use whose modules.
#[component]
pub fn SharingMapPage() -> impl IntoView {
    let app = app_state();
    let data: Loader<Vec<Producing>> = Loader::new();
    let progress = RwSignal::new(String::new());
    let registry = RwSignal::new(Registry::Modules);
    // The names still being read behind a table drawn from the counts.
    let naming = RwSignal::new(false);
    let read = move || {
        if let Some(api) = app.api() {
            progress.set("Reading the producers…".into());
            let which = registry.get_untracked();
            data.run(async move {
                let overview = move |rows| {
                    naming.set(true);
                    data.state.set(crate::context::Load::Ready(rows));
                };
                let producing = load_sharing(
                    &api,
                    which,
                    &|p| {
                        let _ = progress.try_set(p);
                    },
                    overview,
                )
                .await;
                let _ = naming.try_set(false);
                let producing = producing?;
                app.sharing.update(|cache| {
                    cache.insert(which, producing.clone());
                });
                Ok(producing)
            });
        }
    };
    // A second visit in the session reuses what was read, until Refresh.
    let show = move || match app.sharing.with_untracked(|cache| cache.get(&registry.get_untracked()).cloned()) {
        Some(cached) => data.run(async move { Ok(cached) }),
        None => read(),
    };
    show();

    let filter = RwSignal::new(AuditFilter::default());
    let sort = RwSignal::new(AuditSort::Name);
    let picked = RwSignal::new(BTreeSet::<String>::new());
    let rows = Memo::new(move |_| {
        data.ready().map(|all| filter.with(|f| sort.with(|s| audit_rows(&all, f, *s)))).unwrap_or_default()
    });

    // The edges export only what the table knows in full: every producer's consumer names read
    // (the counts alone, while naming or after its Stop, would export a fraction of the edges).
    let unnamed = move || data.with_ready(|all| all.iter().filter(|p| p.pending.is_some()).count());
    let complete = move || !naming.get() && unnamed() == Some(0);
    let export = move |kind: ExportKind| {
        if !complete() {
            return;
        }
        let Some(all) = data.ready() else { return };
        let all = edges(&all);
        let body = match kind {
            ExportKind::Csv => edges_csv(&all),
            ExportKind::Json => edges_json(&all),
        };
        download(&format!("sharing-edges.{}", kind.extension()), kind.mime(), &body);
    };

    view! {
        <section class="map-page">
            <h1>"Module sharing audit"</h1>
            <p class="hint">"Every organization that shares its private modules, with whom, and how: read once per session, until Refresh."</p>
            <div class="toolbar">
                <label for="audit-registry">"Registry"</label>
                <select id="audit-registry" on:change=move |ev| {
                    registry.set(if event_target_value(&ev) == "providers" { Registry::Providers } else { Registry::Modules });
                    picked.set(BTreeSet::new());
                    show();
                }>
                    <option value="modules">"Private modules"</option>
                    <option value="providers">"Private providers"</option>
                </select>
                <button type="button" class="secondary" disabled=move || data.loading() on:click=move |_| read()>"Refresh"</button>
                <button type="button" class="secondary" disabled=move || !complete() on:click=move |_| export(ExportKind::Csv)>"Export edges CSV"</button>
                <button type="button" class="secondary" disabled=move || !complete() on:click=move |_| export(ExportKind::Json)>"Export edges JSON"</button>
            </div>
            <Show when=move || !naming.get() && unnamed().is_some_and(|n| n > 0)>
                <p class="hint export-hint" role="note">
                    {move || format!("Export waits for every producer's consumer names: {} not read. Refresh reads them.", unnamed().unwrap_or(0))}
                </p>
            </Show>
            <ErrorBanner error=Signal::derive(move || data.error())/>
            <AuditProgress data=data naming=naming progress=progress/>
            <Show when=move || data.ready().is_some()>
                <AuditFilters filter=filter sort=sort/>
                <p class="result-info" role="status" data-rows=move || rows.with(Vec::len)>
                    {move || format!("{} of {} producers", thousands(rows.with(Vec::len) as u64), thousands(data.ready().map_or(0, |d| d.len()) as u64))}
                </p>
                <AuditTable rows=rows picked=picked naming=naming/>
                <crate::screens::Part load=crate::screens::usage_panel input=crate::components::grant_usage::PanelInput { registry, audit: data } label="Loading the usage view…"/>
                <AuditQuestions data=data registry=registry/>
                <h2>"Picture of the selection"</h2>
                <SharingPicture data=data picked=picked/>
            </Show>
        </section>
    }
}

/// The reading's progress with Stop: the producers, then (behind a table drawn from the
/// counts) their consumers' names.
#[component]
fn AuditProgress(data: Loader<Vec<Producing>>, naming: RwSignal<bool>, progress: RwSignal<String>) -> impl IntoView {
    view! {
        <Show when=move || data.loading()>
            <div class="progress">
                <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}</p>
                <button type="button" class="secondary" on:click=move |_| data.cancel()>"Stop"</button>
            </div>
        </Show>
        <Show when=move || naming.get()>
            <div class="progress">
                <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>
                    "Consumer counts from the instance; reading the names: "{move || progress.get()}</p>
                <button type="button" class="secondary" on:click=move |_| {
                    // The table stays, with the instance's counts; the names are not read.
                    let shown = data.ready();
                    data.cancel();
                    naming.set(false);
                    if let Some(rows) = shown {
                        data.state.set(crate::context::Load::Ready(rows));
                    }
                }>"Stop"</button>
            </div>
        </Show>
    }
}

/// Search, "shares globally", "shares with more than" and the sort.
#[component]
fn AuditFilters(filter: RwSignal<AuditFilter>, sort: RwSignal<AuditSort>) -> impl IntoView {
    // The text as typed; drawn again after a Refresh, it starts from the filter that stays.
    let more_than = RwSignal::new(filter.with_untracked(|f| f.more_than.map(|n| n.to_string()).unwrap_or_default()));
    view! {
        <div class="filters audit-filters">
            <label for="audit-search">"Producer or consumer"</label>
            <input id="audit-search" type="search" prop:value=move || filter.with(|f| f.text.clone())
                on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev))/>
            <label class="check"><input id="audit-global" type="checkbox" prop:checked=move || filter.with(|f| f.global_only)
                on:change=move |ev| filter.update(|f| f.global_only = event_target_checked(&ev))/>" Shares globally"</label>
            <label for="audit-more">"Shares with more than"</label>
            <input id="audit-more" type="number" min="0" inputmode="numeric" prop:value=more_than
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    more_than.set(text.clone());
                    filter.update(|f| f.more_than = text.trim().parse().ok());
                }/>
            <label for="audit-sort">"Sort by"</label>
            <select id="audit-sort" on:change=move |ev| sort.set(if event_target_value(&ev) == "consumers" { AuditSort::Consumers } else { AuditSort::Name })>
                <option value="name" prop:selected=move || sort.get() == AuditSort::Name>"Name"</option>
                <option value="consumers" prop:selected=move || sort.get() == AuditSort::Consumers>"Most consumers"</option>
            </select>
        </div>
    }
}

/// Every producer shown: its mode, consumer count and names, and a box to draw it.
#[component]
fn AuditTable(rows: Memo<Vec<Producing>>, picked: RwSignal<BTreeSet<String>>, naming: RwSignal<bool>) -> impl IntoView {
    // Thousands of producers: the first ones at once, the rest on request (filters and sorting
    // work on all of them either way).
    let show_all = RwSignal::new(false);
    let hidden = move || if show_all.get() { 0 } else { rows.with(|r| r.len().saturating_sub(AUDIT_FIRST)) };
    view! {
        <div class="table-scroller audit-scroller">
            <table class="audit">
                <thead><tr>
                    <th scope="col" class="pick">"Draw"</th>
                    <th scope="col">"Producer"</th>
                    <th scope="col">"Mode"</th>
                    <th scope="col">"Consumers"</th>
                    <th scope="col">"Names"</th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().take(if show_all.get() { usize::MAX } else { AUDIT_FIRST }).map(|p| {
                        let name = p.name.clone();
                        let key = name.clone();
                        let checked_key = name.clone();
                        let (row_key, draw_label, href) = (name.clone(), format!("Draw {name}"), link(&org_href(&name)));
                        let (mode, count, names) = match (&p.consumers, p.consumer_count()) {
                            (Some(list), Some(n)) => ("specific", n.to_string(), list.clone()),
                            _ => ("global", "every organization".to_string(), Vec::new()),
                        };
                        let reading = p.pending.is_some_and(|n| n > 0) && naming.get_untracked();
                        view! {
                            <tr class="producer-row" data-producer=row_key>
                                <td class="pick"><input type="checkbox" aria-label=draw_label
                                    prop:checked=move || picked.with(|s| s.contains(&checked_key))
                                    prop:disabled={
                                        let key = key.clone();
                                        move || picked.with(|s| s.len() >= PICTURE_MAX && !s.contains(&key))
                                    }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|s| { if on { s.insert(key.clone()); } else { s.remove(&key); } });
                                    }/></td>
                                <td class="name"><A href=href>{name}</A></td>
                                <td class="mode">{mode}</td>
                                <td class="count">{count}</td>
                                <td class="names" data-reading=reading.to_string()>{reading.then(|| view! { <span class="muted">"reading…"</span> })}{(!names.is_empty()).then(|| view! {
                                    <details><summary>{crate::logic::format::count_of(names.len(), "name", "names")}</summary>
                                        <ul class="consumers">{names.into_iter().map(|c| view! { <li><A href=link(&org_href(&c))>{c.clone()}</A></li> }).collect_view()}</ul>
                                    </details>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ShowAll show_all=show_all hidden=Signal::derive(hidden) total=Signal::derive(move || rows.with(Vec::len)) noun="producers"/>
    }
}

/// "Who can use the modules of X" (from what was read) and "whose modules can X use" (the
/// module-producers endpoint).
#[component]
fn AuditQuestions(data: Loader<Vec<Producing>>, registry: RwSignal<Registry>) -> impl IntoView {
    let app = app_state();
    let who = RwSignal::new(String::new());
    let users = RwSignal::new(None::<(String, Users)>);
    let whose = RwSignal::new(String::new());
    let producers_of: Loader<(String, Vec<String>)> = Loader::new();
    let ask_users = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = who.get_untracked().trim().to_string();
        if let Some(all) = data.ready() {
            users.set(Some((name.clone(), who_can_use(&all, &name))));
        }
    };
    let ask_producers = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = whose.get_untracked().trim().to_string();
        let Some(api) = app.api() else { return };
        producers_of.run(async move {
            let list = api.list_all_module_producers(&name, &mut |_| {}).await?;
            Ok((name, list.into_iter().filter_map(|o| o.attributes.name).collect()))
        });
    };
    view! {
        <div class="grid audit-questions">
            <form class="question" on:submit=ask_users>
                <label for="who-uses">{move || format!("Who can use the {} of", registry.get().noun())}</label>
                <input id="who-uses" type="search" prop:value=who on:input=move |ev| who.set(event_target_value(&ev))/>
                <button type="submit">"Ask"</button>
                {move || users.get().map(|(name, answer)| view! {
                    <p class="answer" data-answer="users" role="status">{match answer {
                        Users::Everyone => format!("Every organization can use the modules of {name}."),
                        Users::Nobody => format!("{name} shares its modules with nobody."),
                        Users::These(list) => format!("{}: {}", name, list.join(", ")),
                    }}</p>
                })}
            </form>
            <form class="question" on:submit=ask_producers>
                <label for="whose">"Whose modules can this organization use"</label>
                // (The module-producers endpoint; newer releases do not document a read path for provider producers.)
                <input id="whose" type="search" prop:value=whose on:input=move |ev| whose.set(event_target_value(&ev))/>
                <button type="submit">"Ask"</button>
                <ErrorBanner error=Signal::derive(move || producers_of.error())/>
                {move || producers_of.ready().map(|(name, list)| view! {
                    <p class="answer" data-answer="producers" role="status">{
                        if list.is_empty() { format!("{name} can use no other organization's modules.") }
                        else { format!("{}: {}", name, list.join(", ")) }
                    }</p>
                })}
            </form>
        </div>
    }
}

/// The picture of the selected producers: producers left, consumers right, each a link.
#[component]
fn SharingPicture(data: Loader<Vec<Producing>>, picked: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let navigate = use_navigate();
    let open = StoredValue::new(move |name: &str| navigate(&org_href(name), Default::default()));
    let node = move |name: String, x: u32, y: u32, anchor: &'static str, class: &'static str| {
        let label = format!("Open {name}");
        let target = name.clone();
        let target_key = name.clone();
        let tx = if anchor == "end" { x - 10 } else { x + 10 };
        view! {
            <g
                class=format!("node {class}")
                role="link"
                tabindex="0"
                aria-label=label
                on:click=move |_| open.with_value(|open| open(&target))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        open.with_value(|open| open(&target_key));
                    }
                }
            >
                <circle cx=x cy=y r="6"></circle>
                <text x=tx y=y + 4 text-anchor=anchor>{name}</text>
            </g>
        }
    };
    move || {
        let chosen = picked.get();
        if chosen.is_empty() {
            return view! { <p class="muted">"Select up to 50 producers in the table to draw who they share with."</p> }.into_any();
        }
        let producing: Vec<Producing> =
            data.ready().unwrap_or_default().into_iter().filter(|p| chosen.contains(&p.name)).collect();
        let layout = map_layout(&producing);
        let lines = layout
            .edges
            .iter()
            .map(|&(py, cy, global)| {
                view! { <line class=if global { "edge global" } else { "edge" } x1=LEFT y1=py x2=RIGHT y2=cy></line> }
            })
            .collect_view();
        let producers = layout
            .producers
            .iter()
            .map(|(n, y)| {
                let global = producing.iter().any(|p| &p.name == n && p.consumers.is_none());
                node(n.clone(), LEFT, *y, "end", if global { "producer global" } else { "producer" })
            })
            .collect_view();
        let consumers =
            layout.consumers.iter().map(|(n, y)| node(n.clone(), RIGHT, *y, "start", "consumer")).collect_view();
        let everyone = layout.everyone_y.map(|y| {
            view! {
                <g class="node everyone">
                    <circle cx=RIGHT cy=y r="8"></circle>
                    <text x=RIGHT + 12 y=y + 4>"every organization"</text>
                </g>
            }
        });
        let height = layout.height + MAP_ROW;
        view! {
            <div class="map-scroller">
                <svg class="sharing-map" role="group" aria-label="Module sharing of the selected producers" viewBox=format!("0 0 {WIDTH} {height}") width=WIDTH height=height>
                    <g class="edges">{lines}</g>
                    {everyone}
                    <g class="producers">{producers}</g>
                    <g class="consumers">{consumers}</g>
                </svg>
            </div>
        }.into_any()
    }
}
