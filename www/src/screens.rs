//! The screens whose code loads when they are first opened. In the release build (`wasm_split`)
//! each `screen!` below is a split point: its page's code goes to a wasm chunk of its own, fetched
//! the first time the route is opened (and prefetched once the first screen is interactive);
//! unsplit builds call it directly. A chunk that cannot load (a tab left open across an upgrade,
//! a 404, a cut answer) shows [`ChunkFailed`] with a Reload button, never a blank screen.

use leptos::prelude::*;

use crate::components::common::Loading;

/// How a screen's view is made once its code is here (a plain function pointer: it crosses the
/// split boundary as a value).
pub type MakeView = fn() -> AnyView;

/// A screen's loader: its view maker, or `Err` when its code could not be fetched.
pub type Load = fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<MakeView, ()>>>>;

macro_rules! screen {
    ($(#[$doc:meta])* $load:ident, $split:ident, $prefetch:ident, $module:ident, $view:expr) => {
        // `fallible`: a chunk that does not load is an `Err` here, not a panic.
        #[cfg(wasm_split)]
        #[::leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split() -> Result<MakeView, ::leptos::wasm_split::SplitLoaderError> {
            Ok($view)
        }
        #[cfg(not(wasm_split))]
        fn $split() -> MakeView {
            $view
        }

        $(#[$doc])*
        pub fn $load() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<MakeView, ()>>>> {
            Box::pin(async {
                #[cfg(wasm_split)]
                return $split().await.map_err(|_| ());
                #[cfg(not(wasm_split))]
                return Ok($split());
            })
        }

        /// Fetch the screen's code without opening it.
        #[cfg(wasm_split)]
        async fn $prefetch() {
            let _ = $load().await;
        }
    };
}

screen!(
    /// `/snapshot`.
    snapshot, snapshot_split, snapshot_prefetch, snapshot_screen,
    || view! { <crate::pages::snapshot_page::SnapshotPage/> }.into_any()
);
screen!(
    /// `/sharing-map`: the sharing audit.
    sharing_audit, sharing_audit_split, sharing_audit_prefetch, sharing_audit_screen,
    || view! { <crate::pages::sharing_map_page::SharingMapPage/> }.into_any()
);
screen!(
    /// `/orgs/:name`: the organization with its editors.
    organization, organization_split, organization_prefetch, organization_screen,
    || view! { <crate::pages::organization_page::OrganizationPage/> }.into_any()
);
screen!(
    /// `/orgs/new`.
    new_organization, new_organization_split, new_organization_prefetch, new_organization_screen,
    || view! { <crate::pages::new_organization_page::NewOrganizationPage/> }.into_any()
);
screen!(
    /// `/orgs/:name/edit`.
    edit_organization, edit_organization_split, edit_organization_prefetch, edit_organization_screen,
    || view! { <crate::pages::edit_organization_page::EditOrganizationPage/> }.into_any()
);

/// How the organization page's editors are made once their code is here.
pub type MakeEditors = fn(crate::pages::organization_page::EditorsInput) -> AnyView;

#[cfg(wasm_split)]
#[::leptos::wasm_split::wasm_split(organization_editors, wasm_split_path = ::leptos::wasm_split, fallible)]
fn editors_split() -> Result<MakeEditors, ::leptos::wasm_split::SplitLoaderError> {
    Ok(crate::pages::organization_page::editors_view)
}
#[cfg(not(wasm_split))]
fn editors_split() -> MakeEditors {
    crate::pages::organization_page::editors_view
}

/// The organization page's editors (site admins): their code comes after the page's, while the
/// organization and its sharing are read.
pub fn editors() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<MakeEditors, ()>>>> {
    Box::pin(async {
        #[cfg(wasm_split)]
        return editors_split().await.map_err(|_| ());
        #[cfg(not(wasm_split))]
        return Ok(editors_split());
    })
}

/// The grant usage views (Explorer): the sharing audit's panel and the impact warnings' line,
/// one part for both, so the Explorer reading's code comes once, when the first is shown.
#[derive(Clone, Copy)]
pub struct UsageViews {
    pub panel: fn(crate::components::grant_usage::PanelInput) -> AnyView,
    pub impact: fn(crate::components::grant_usage::ImpactInput) -> AnyView,
}

#[cfg(wasm_split)]
#[::leptos::wasm_split::wasm_split(grant_usage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn usage_split() -> Result<UsageViews, ::leptos::wasm_split::SplitLoaderError> {
    Ok(crate::components::grant_usage::VIEWS)
}
#[cfg(not(wasm_split))]
fn usage_split() -> UsageViews {
    crate::components::grant_usage::VIEWS
}

async fn usage_views() -> Result<UsageViews, ()> {
    #[cfg(wasm_split)]
    return usage_split().await.map_err(|_| ());
    #[cfg(not(wasm_split))]
    return Ok(usage_split());
}

type PartLoad<T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<fn(T) -> AnyView, ()>>>>;

/// The sharing audit's usage panel.
pub fn usage_panel() -> PartLoad<crate::components::grant_usage::PanelInput> {
    Box::pin(async { usage_views().await.map(|v| v.panel) })
}

/// An impact warning's line on who uses the producer.
pub fn impact_usage() -> PartLoad<crate::components::grant_usage::ImpactInput> {
    Box::pin(async { usage_views().await.map(|v| v.impact) })
}

/// A part of a screen whose code arrives separately, made from `input` once it is here.
#[component]
pub fn Part<T: Clone + 'static>(
    load: fn() -> PartLoad<T>,
    input: T,
    /// What is said while it loads.
    #[prop(default = "Loading the editors…")]
    label: &'static str,
) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<fn(T) -> AnyView, ()>>);
    crate::context::spawn(async move {
        let _ = loaded.try_set(Some(load().await));
    });
    let input = StoredValue::new_local(input);
    move || match loaded.get() {
        None => view! { <Loading label=label/> }.into_any(),
        Some(Ok(make)) => make(input.get_value()),
        Some(Err(())) => view! { <ChunkFailed/> }.into_any(),
    }
}

/// Once the organizations list has shown its rows (the first screen is interactive), fetch
/// every other screen's code in the background, a second later and once per page load, so a
/// later click opens at once. Unsplit builds have nothing to fetch.
pub fn prefetch_once() {
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !DONE.replace(true) {
        set_timeout(prefetch_all, std::time::Duration::from_secs(1));
    }
}

fn prefetch_all() {
    #[cfg(wasm_split)]
    crate::context::spawn(async {
        snapshot_prefetch().await;
        sharing_audit_prefetch().await;
        organization_prefetch().await;
        new_organization_prefetch().await;
        edit_organization_prefetch().await;
        let _ = editors().await;
        let _ = usage_views().await;
    });
}

/// A screen whose code arrives when it is opened: "Loading…", then the screen, or why not.
#[component]
pub fn Screen(load: Load) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<MakeView, ()>>);
    crate::context::spawn(async move {
        let _ = loaded.try_set(Some(load().await));
    });
    move || match loaded.get() {
        None => view! { <Loading label="Loading the screen…"/> }.into_any(),
        Some(Ok(make)) => make(),
        Some(Err(())) => view! { <ChunkFailed/> }.into_any(),
    }
}

/// What a screen whose code could not be fetched says.
#[component]
pub fn ChunkFailed() -> impl IntoView {
    view! {
        <section class="chunk-failed" role="alert">
            <h1>"This screen could not be loaded"</h1>
            <p>"Its code did not arrive: the connection broke, or tfe-orgs-server was upgraded since this tab opened. Reload the page to get the current version; what you were doing on other screens is kept in this tab's session."</p>
            <button type="button" id="reload-page" on:click=move |_| {
                let _ = window().location().reload();
            }>"Reload"</button>
        </section>
    }
}
