//! `/orgs`: search, filter, page through, load all and export organizations.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use tfe_orgs::client::{Page, Progress};
use tfe_orgs::jsonapi::StatusCounts;

use crate::components::bulk_bar::BulkBar;
use crate::components::common::{download, ErrorBanner, Loading};
use crate::components::list_status::{LoadProgress, ResultInfo};
use crate::components::org_table::OrgTable;

use crate::context::marks::{after_next_paint, all_loaded, measure_render_all};
use crate::context::{app_state, link, Load, Loader};
use crate::logic::rows::{fetch_all_rows, fetch_rows};
use crate::logic::{export, thousands, ExportKind, Extent, ListState, Producer, Row, Status, PAGE_SIZES};

/// The list's state lives in the URL: reading it, and changing it by navigating.
#[derive(Clone, Copy)]
struct ListNav {
    state: Memo<ListState>,
    go: Callback<ListState>,
}

impl ListNav {
    /// Navigate to the state `f` makes of the current one.
    fn update(self, f: &dyn Fn(&mut ListState)) {
        let mut s = self.state.get_untracked();
        f(&mut s);
        self.go.run(s);
    }
}

/// Search, filter, page through and export organizations; load all of them with progress.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let app = app_state();
    let admin = app.admin();
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| query.with(|q| ListState::from_params(|k| q.get(k))));
    let page: Loader<Page<Row>> = Loader::new();
    let all: Loader<Vec<Row>> = Loader::new();
    let progress = RwSignal::new(None::<Progress>);

    // Fetch the page the URL describes; a newer state aborts the older request.
    Effect::new(move |previous: Option<ListState>| {
        let s = state.get();
        let Some(api) = app.api() else { return s };
        let same_search = previous.as_ref().is_some_and(|p| ListState { status: s.status, ..p.clone() } == s);
        if same_search {
            return s; // only the status filter changed: nothing to fetch
        }
        all.cancel();
        progress.set(None);
        let options = s.options(admin);
        page.run(async move { fetch_rows(&api, options, admin).await });
        s
    });

    let go = Callback::new(move |s: ListState| {
        let query = s.to_query();
        navigate(&if query.is_empty() { "/orgs".to_string() } else { format!("/orgs?{query}") }, Default::default());
    });
    let nav = ListNav { state, go };

    let load_all = move || {
        let Some(api) = app.api() else { return };
        let options = state.get_untracked().options(admin);
        progress.set(Some(Progress::default()));
        all.run(async move {
            let result = fetch_all_rows(&api, options, admin, &mut |p| {
                let _ = progress.try_set(Some(p));
            })
            .await;
            all_loaded();
            result
        });
    };
    // The first rows are on screen: the other screens' code may come now.
    Effect::new(move |_| {
        if page.with_ready(|p| !p.items.is_empty()) == Some(true) {
            after_next_paint(crate::screens::prefetch_once);
        }
    });
    // User Timing: how long the rows take to show once every page has arrived.
    Effect::new(move |_| {
        if all.state.with(|s| matches!(s, Load::Ready(_))) {
            measure_render_all();
        }
    });

    // What the table shows: everything loaded, or the page; then the status filter.
    // A memo: the table reads the rows several times per render, and they can be thousands.
    let rows = Memo::new(move |_| {
        let status = state.with(|s| s.status);
        let keep = |rows: &Vec<Row>| rows.iter().filter(|r| status.keeps(r.is_disabled)).cloned().collect::<Vec<_>>();
        all.with_ready(keep).or_else(|| page.with_ready(|p| keep(&p.items))).unwrap_or_default()
    });

    // After a bulk change: read again what is shown (all of it, if all was loaded).
    let reload = Callback::new(move |_: ()| {
        let Some(api) = app.api() else { return };
        if all.with_ready(|_| ()).is_some() {
            load_all();
        } else {
            let options = state.get_untracked().options(admin);
            page.refresh(async move { fetch_rows(&api, options, admin).await });
        }
    });
    let selection = app.selection;
    let pagination = Signal::derive(move || page.with_ready(|p| p.pagination).flatten());
    let counts = Signal::derive(move || page.with_ready(|p| p.status_counts).flatten());
    // The optional consumer counts column (where the instance counts consumers).
    let show_counts = RwSignal::new(false);

    view! {
        <section class="orgs-page">
            <h1>"Organizations"</h1>
            <SearchForm nav=nav/>
            <Filters nav=nav admin=admin counts=show_counts/>
            {admin.then(|| view! { <StatusFilter nav=nav counts=counts/> })}
            <Toolbar rows=rows all=all pagination=pagination loading=Signal::derive(move || page.loading()) ready=Signal::derive(move || page.with_ready(|_| ()).is_some()) admin=admin on_load_all=Callback::new(move |_| load_all())/>
            {admin.then(|| view! {
                <Show when=move || selection.with(|s| !s.is_empty())>
                    <BulkBar selection=selection on_done=reload/>
                </Show>
            })}
            <LoadProgress progress=progress all=all/>
            <ErrorBanner error=Signal::derive(move || page.error().or_else(|| all.error()))/>
            <Show when=move || page.loading()>
                <Loading label="Loading organizations…"/>
            </Show>
            <ResultInfo rows=rows all=all pagination=pagination/>
            {if admin {
                view! { <OrgTable rows=rows admin=admin selection=selection counts=show_counts/> }.into_any()
            } else {
                view! { <OrgTable rows=rows admin=admin counts=show_counts/> }.into_any()
            }}
            <Show when=move || all.with_ready(|_| ()).is_none()>
                <Pager nav=nav pagination=pagination/>
            </Show>
        </section>
    }
}

/// The search box and the advanced search; the inputs follow the URL (reload, back button)
/// and a search changes it.
#[component]
fn SearchForm(nav: ListNav) -> impl IntoView {
    let state = nav.state;
    let q = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    Effect::new(move |_| {
        let s = state.get();
        q.set(s.q);
        name.set(s.name);
        email.set(s.email);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        nav.update(&|s| {
            s.q = q.get_untracked().trim().to_string();
            s.name = name.get_untracked().trim().to_string();
            s.email = email.get_untracked().trim().to_string();
            s.page = 1;
        });
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="q">"Search"</label>
            <input id="q" type="search" placeholder="Name or notification email" prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
            <button type="submit">"Search"</button>
            <details open=move || state.with(|s| !s.name.is_empty() || !s.email.is_empty())>
                <summary>"Advanced search"</summary>
                <p class="hint">"Both must match; the plain search box takes precedence over these."</p>
                <label for="q-name">"Name contains"</label>
                <input id="q-name" type="search" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="q-email">"Email contains"</label>
                <input id="q-email" type="search" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
            </details>
        </form>
    }
}

/// The producer filters (site admins) and the page size.
#[component]
fn Filters(nav: ListNav, admin: bool, counts: RwSignal<bool>) -> impl IntoView {
    let state = nav.state;
    let producer_select = move |id: &'static str, label: &'static str, providers: bool| {
        let current = move || state.with(|s| if providers { s.provider_producer } else { s.producer });
        view! {
            <label for=id>{label}</label>
            <select
                id=id
                on:change=move |ev| {
                    let v = Producer::parse(&event_target_value(&ev));
                    nav.update(&|s| {
                        if providers {
                            s.provider_producer = v;
                        } else {
                            s.producer = v;
                        }
                        s.page = 1;
                    })
                }
            >
                {[(Producer::Any, "Any"), (Producer::Sharing, "Sharing"), (Producer::NotSharing, "Not sharing")]
                    .into_iter()
                    .map(|(p, l)| view! { <option value=p.as_str() prop:selected=move || current() == p>{l}</option> })
                    .collect_view()}
            </select>
        }
    };
    view! {
        <div class="filters">
            {admin.then(|| view! {
                {producer_select("producer", "Module producers", false)}
                // An instance older than provider sharing ignores the filter: not offered there.
                {app_state().provider_sharing().then(|| producer_select("provider-producer", "Provider producers", true))}
            })}
            <label class="check"><input id="show-counts" type="checkbox" prop:checked=counts
                on:change=move |ev| counts.set(event_target_checked(&ev))/>" Consumer counts"</label>
            <label for="page-size">"Page size"</label>
            <select
                id="page-size"
                on:change=move |ev| {
                    let size = event_target_value(&ev).parse().unwrap_or(20);
                    nav.update(&|s| {
                        s.size = size;
                        s.page = 1;
                    })
                }
            >
                {PAGE_SIZES
                    .into_iter()
                    .map(|n| view! { <option value=n.to_string() prop:selected=move || state.with(|s| s.size == n)>{n.to_string()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The status counts, each a filter of the rows shown.
#[component]
fn StatusFilter(nav: ListNav, counts: Signal<Option<StatusCounts>>) -> impl IntoView {
    let button = move |status: Status, label: &'static str, count: fn(&StatusCounts) -> u64| {
        view! {
            <button
                type="button"
                class="count"
                aria-pressed=move || (nav.state.with(|s| s.status) == status).to_string()
                on:click=move |_| nav.update(&|s| s.status = status)
            >
                <span class="n">{move || counts.get().map(|c| thousands(count(&c))).unwrap_or_default()}</span>
                " "
                {label}
            </button>
        }
    };
    view! {
        <div class="counts" role="group" aria-label="Status counts (filter the rows shown)">
            {button(Status::All, "total", |c| c.total)}
            {button(Status::Active, "active", |c| c.active)}
            {button(Status::Disabled, "disabled", |c| c.disabled)}
        </div>
    }
}

/// Load all, the exports, a new organization, and (all loaded, site admins) select them all.
#[component]
fn Toolbar(
    rows: Memo<Vec<Row>>,
    all: Loader<Vec<Row>>,
    pagination: Signal<Option<tfe_orgs::jsonapi::Pagination>>,
    /// The page being read: its export waits for it.
    loading: Signal<bool>,
    /// The page was read.
    ready: Signal<bool>,
    admin: bool,
    on_load_all: Callback<()>,
) -> impl IntoView {
    let selection = app_state().selection;
    // Every match, or one page of a longer result (then said in the name and in the file).
    let extent = move || Extent::of(all.with_ready(|_| ()).is_some(), pagination.get().as_ref());
    // Nothing to export until the page (or everything) has been read.
    let busy = move || loading.get() || all.loading() || (!ready.get() && all.with_ready(|_| ()).is_none());
    let export = move |kind: ExportKind| {
        if busy() {
            return;
        }
        let (name, body) = export(&rows.get_untracked(), extent(), kind);
        download(&name, kind.mime(), &body);
    };
    let label = move |kind: ExportKind| match extent() {
        Extent::Every => format!("Export {}", kind.label()),
        Extent::Page { .. } => format!("Export page {}", kind.label()),
    };
    let select_matching = move |_| {
        rows.with_untracked(|r| selection.update(|s| s.extend(r.iter().map(|row| row.name.clone()))));
    };
    view! {
        <div class="toolbar">
            <button type="button" class="secondary" on:click=move |_| on_load_all.run(()) disabled=move || all.loading()>
                {move || match pagination.get().and_then(|p| p.total_count) {
                    Some(n) => format!("Load all {}", thousands(n)),
                    None => "Load all".to_string(),
                }}
            </button>
            <button type="button" class="secondary" disabled=busy on:click=move |_| export(ExportKind::Csv)>{move || label(ExportKind::Csv)}</button>
            <button type="button" class="secondary" disabled=busy on:click=move |_| export(ExportKind::Json)>{move || label(ExportKind::Json)}</button>
            <A href=link("/orgs/new")>"New organization"</A>
            {admin.then(|| view! {
                <Show when=move || all.with_ready(|_| ()).is_some()>
                    <button type="button" class="secondary" on:click=select_matching>
                        {move || format!("Select all {} matching", thousands(rows.with(Vec::len) as u64))}
                    </button>
                </Show>
            })}
        </div>
    }
}

/// Previous and next page.
#[component]
fn Pager(nav: ListNav, pagination: Signal<Option<tfe_orgs::jsonapi::Pagination>>) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            <button
                type="button"
                class="secondary"
                disabled=move || pagination.get().and_then(|p| p.prev_page).is_none()
                on:click=move |_| nav.update(&|s| s.page = s.page.saturating_sub(1).max(1))
            >
                "Previous page"
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || pagination.get().and_then(|p| p.next_page).is_none()
                on:click=move |_| nav.update(&|s| s.page += 1)
            >
                "Next page"
            </button>
        </nav>
    }
}
