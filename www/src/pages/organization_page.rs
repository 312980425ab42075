//! `/orgs/:name`: one organization, and for site admins its settings and sharing editors.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use tfe_orgs::client::SharingState;
use tfe_orgs::model::AdminOrganization;

use crate::components::admin_settings::AdminSettingsEditor;
use crate::components::common::{ErrorBanner, Loading, NameList};
use crate::components::org_table::org_href;
use crate::components::sharing_editor::SharingEditor;
use crate::context::{app_state, link, Loader};
use crate::logic::org_detail::{load_detail, raw_attributes, Detail};
use crate::logic::Registry;

/// Label and value pairs as a definition list.
fn facts_view(class: &'static str, facts: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class=class>
            {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
    }
}

fn labelled(facts: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    facts.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// What an admin looks for first: status, email, plan, owners, sharing at a glance.
#[component]
fn Glance(d: Detail) -> impl IntoView {
    view! {
        <section aria-labelledby="glance-title" class="glance">
            <h2 id="glance-title">"At a glance"</h2>
            {facts_view("facts glance-facts", labelled(d.glance()))}
            <div class="actions">
                <A href=link(&format!("{}/edit", org_href(&d.name)))>"Edit or delete"</A>
            </div>
        </section>
    }
}

/// Who shares with whom: a count, the first names as links, a filter and "Show all N".
fn org_links(names: Vec<String>, label: &'static str, empty: &'static str) -> impl IntoView {
    view! { <NameList names=names label=label empty=empty/> }
}

/// One organization: attributes, owners, entitlements, module producers and consumers, and (site
/// admins) the admin settings and module sharing editors.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let app = app_state();
    let admin = app.admin();
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let detail: Loader<Detail> = Loader::new();
    let flash = RwSignal::new(None::<&'static str>);
    let progress = RwSignal::new(None::<String>);
    // The editors start from the first read of each organization and are not re-created by the
    // re-reads after a save, so what the user types meanwhile stays.
    let seed = RwSignal::new_local(None::<Detail>);
    Effect::new(move |_| {
        if let Some(d) = detail.ready() {
            if seed.with_untracked(|s| s.as_ref().is_none_or(|s| s.name != d.name)) {
                seed.set(Some(d));
            }
        }
    });
    Effect::new(move |_| {
        let name = name.get();
        flash.set(None);
        seed.set(None);
        if let Some(api) = app.api() {
            detail.run(async move {
                load_detail(&api, name, admin, &|p| {
                    let _ = progress.try_set(p);
                })
                .await
            });
        }
    });
    // After a save, re-read in place (the page keeps showing the organization meanwhile).
    let refresh = move |message: &'static str| {
        flash.set(Some(message));
        if let Some(api) = app.api() {
            let name = name.get_untracked();
            detail.refresh(async move {
                load_detail(&api, name, admin, &|p| {
                    let _ = progress.try_set(p);
                })
                .await
            });
        }
    };
    let on_admin_saved = Callback::new(move |_: AdminOrganization| refresh("Admin settings saved."));
    let on_sharing_saved = Callback::new(move |_: ()| refresh("Module sharing saved."));
    let on_provider_saved = Callback::new(move |_: ()| refresh("Provider sharing saved."));
    // What the editors follow after any save on the page (one owner per fact: global sharing
    // is in both the admin settings and the sharing editors).
    let latest_admin = Signal::derive(move || detail.with_ready(|d| d.admin.clone()).flatten());
    let latest_modules = Signal::derive(move || detail.with_ready(|d| d.modules.clone()).flatten());
    let latest_providers = Signal::derive(move || detail.with_ready(|d| d.providers.clone()).flatten());
    let on_reread =
        Callback::new(move |_: ()| refresh("Read again after the lost answer: this is the instance's current state."));

    view! {
        <section class="org-page">
            <p class="crumbs"><A href=link("/orgs")>"Organizations"</A>" / "{move || name.get()}</p>
            <h1>{move || name.get()}</h1>
            <ErrorBanner error=Signal::derive(move || detail.error())/>
            <p class="flash ok" role="status">{move || flash.get()}</p>
            <Show when=move || detail.loading()>
                <Loading label="Loading the organization…"/>
            </Show>
            <p class="progress" role="status">{move || progress.get()}</p>
            {move || detail.ready().map(|d| view! { <Glance d=d/> })}
            {move || {
                seed.get().and_then(|d| {
                    let sharing = d.modules.clone()?;
                    let org = d.admin.clone()?;
                    let follow = Follow { admin: latest_admin, modules: latest_modules, providers: latest_providers };
                    let saved = Saved { admin: on_admin_saved, modules: on_sharing_saved, providers: on_provider_saved, reread: on_reread };
                    let input = EditorsInput { name: d.name.clone(), org, modules: sharing, providers: d.providers.clone(), follow, saved };
                    Some(view! { <crate::screens::Part load=crate::screens::editors input=input/> })
                })
            }}
            {move || detail.ready().map(|d| view! { <DetailView d=d admin=admin/> })}
        </section>
    }
}

/// The settings in words, sharing, access, and the raw attributes collapsed (the part of the
/// page that follows every re-read).
#[component]
fn DetailView(d: Detail, admin: bool) -> impl IntoView {
    let app = app_state();
    let settings = labelled(d.settings());
    let admin_settings = labelled(d.admin_settings(&|key| app.instance_default(key)));
    view! {
        <div class="grid">
            <section aria-labelledby="settings-title">
                <h2 id="settings-title">"Settings"</h2>
                {(!settings.is_empty()).then(|| view! { <h3>"Organization settings"</h3>{facts_view("facts settings", settings)} })}
                {(!admin_settings.is_empty()).then(|| view! { <h3>"Admin settings"</h3>{facts_view("facts admin-settings", admin_settings)} })}
            </section>
            <SharingView d=d.clone() admin=admin/>
            <AccessView d=d.clone() admin=admin/>
        </div>
        <RawAttributes d=d/>
    }
}

/// Who shares with this organization, and whom it shares with.
#[component]
fn SharingView(d: Detail, admin: bool) -> impl IntoView {
    let global = d.modules.as_ref().is_some_and(SharingState::global);
    let consumers_text: Vec<String> =
        d.modules.as_ref().map(|m| m.consumers().iter().cloned().collect()).unwrap_or_default();
    view! {
        <section aria-labelledby="sharing-title">
            <h2 id="sharing-title">"Sharing"</h2>
            <h3>"Module producers"</h3>
            <p class="hint">"Organizations that share their private modules with this one."</p>
            {org_links(d.producers.to_vec(), "Module producers", "None.")}
            {admin.then(|| view! {
                <h3>"Module consumers"</h3>
                <p class="hint">"Organizations this one shares its private modules with."</p>
                {if global {
                    view! { <p>"Every organization (global module sharing)."</p> }.into_any()
                } else {
                    org_links(consumers_text.clone(), "Module consumers", "Nobody.").into_any()
                }}
            })}
            {d.provider_producers.clone().map(|list| view! {
                <h3>"Provider producers"</h3>
                <p class="hint">"Organizations that share their private providers with this one."</p>
                {org_links(list, "Provider producers", "None.")}
            })}
            {admin.then(|| view! {
                <h3>"Provider consumers"</h3>
                {match d.providers.clone() {
                    None => view! { <p class="muted unsupported">"This instance does not support provider sharing."</p> }.into_any(),
                    Some(p) if p.global() => view! { <p>"Every organization (global provider sharing)."</p> }.into_any(),
                    Some(p) => org_links(p.consumers().iter().cloned().collect(), "Provider consumers", "Nobody.").into_any(),
                }}
            })}
        </section>
    }
}

/// Owners and entitlements.
#[component]
fn AccessView(d: Detail, admin: bool) -> impl IntoView {
    let entitlements = d.entitlements_text();
    view! {
        <section aria-labelledby="access-title">
            <h2 id="access-title">"Access"</h2>
            <h3>"Owners"</h3>
            {if d.owners.is_empty() {
                view! { <p class="muted">{if admin { "No owners." } else { "Owners are listed for site admins." }}</p> }.into_any()
            } else {
                view! { <ul class="owners">{d.owners.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul> }.into_any()
            }}
            <h3>"Entitlements"</h3>
            {if entitlements.is_empty() {
                view! { <p class="muted">"Not available."</p> }.into_any()
            } else {
                facts_view("facts entitlements", entitlements).into_any()
            }}
        </section>
    }
}

/// Every attribute as the instance sent it, keys and all (unknown ones, `permissions`),
/// collapsed: for the reader who wants the API's own words.
#[component]
fn RawAttributes(d: Detail) -> impl IntoView {
    view! {
        <details class="raw-attributes">
            <summary id="raw-title">"Raw attributes (as the API sends them)"</summary>
            {d.org.as_ref().map(|o| view! {
                <h3>"Organizations API"</h3>
                {facts_view("attributes", raw_attributes(serde_json::to_value(&o.attributes).unwrap_or(Value::Null)))}
            })}
            {d.admin.as_ref().map(|a| view! {
                <h3>"Admin API"</h3>
                {facts_view("attributes", raw_attributes(serde_json::to_value(&a.attributes).unwrap_or(Value::Null)))}
            })}
        </details>
    }
}

/// What the editors follow after any save on the page.
#[derive(Clone, Copy)]
pub struct Follow {
    admin: Signal<Option<AdminOrganization>>,
    modules: Signal<Option<SharingState>>,
    providers: Signal<Option<SharingState>>,
}

/// What runs after each editor's save (and after a lost answer was read again).
#[derive(Clone, Copy)]
pub struct Saved {
    admin: Callback<AdminOrganization>,
    modules: Callback<()>,
    providers: Callback<()>,
    reread: Callback<()>,
}

/// What the editors start from (they load as a part of their own: site admins only, once the
/// organization and its sharing are read).
#[derive(Clone)]
pub struct EditorsInput {
    name: String,
    org: AdminOrganization,
    modules: SharingState,
    providers: Option<SharingState>,
    follow: Follow,
    saved: Saved,
}

/// The editors' view, as their part's code makes it.
pub fn editors_view(i: EditorsInput) -> AnyView {
    view! { <Editors name=i.name org=i.org modules=i.modules providers=i.providers follow=i.follow saved=i.saved/> }
        .into_any()
}

/// The admin settings editor and the module / provider sharing editors (site admins).
#[component]
fn Editors(
    name: String,
    org: AdminOrganization,
    modules: SharingState,
    providers: Option<SharingState>,
    follow: Follow,
    saved: Saved,
) -> impl IntoView {
    let tab = RwSignal::new(Registry::Modules);
    view! {
        <div class="grid">
            <AdminSettingsEditor name=name.clone() org=org latest=follow.admin on_saved=saved.admin on_reread=saved.reread
                modules=follow.modules providers=follow.providers/>
            <div class="sharing-tabs">
                <div role="tablist" aria-label="Private registry">
                    <button type="button" role="tab" id="tab-modules" aria-selected=move || (tab.get() == Registry::Modules).to_string()
                        on:click=move |_| tab.set(Registry::Modules)>"Modules"</button>
                    <button type="button" role="tab" id="tab-providers" aria-selected=move || (tab.get() == Registry::Providers).to_string()
                        on:click=move |_| tab.set(Registry::Providers)>"Providers"</button>
                </div>
                // Both stay mounted (hidden), so a draft survives switching tabs.
                <div role="tabpanel" aria-labelledby="tab-modules" hidden=move || tab.get() != Registry::Modules>
                    <SharingEditor name=name.clone() current=modules latest=follow.modules on_saved=saved.modules on_reread=saved.reread/>
                </div>
                <div role="tabpanel" aria-labelledby="tab-providers" hidden=move || tab.get() != Registry::Providers>
                    {match providers {
                        Some(current) => view! {
                            <SharingEditor name=name.clone() current=current latest=follow.providers registry=Registry::Providers on_saved=saved.providers on_reread=saved.reread/>
                        }.into_any(),
                        None => view! {
                            <p class="muted unsupported" role="status">"This instance does not support provider sharing (it is new in recent Terraform Enterprise releases)."</p>
                        }.into_any(),
                    }}
                </div>
            </div>
        </div>
    }
}
