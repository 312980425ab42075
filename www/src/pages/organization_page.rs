//! `/orgs/:name`: one organization, and for site admins its settings and sharing editors.

use futures_util::future::join4;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use tfe_orgs::client::{Complete, Error, ErrorKind, Progress, ReadOptions, SharingState};
use tfe_orgs::model::{AdminOrganization, Entitlements, Organization};

use crate::components::admin_settings::AdminSettingsEditor;
use crate::components::common::{ErrorBanner, Loading, NameList};
use crate::components::org_table::org_href;
use crate::components::sharing_editor::SharingEditor;
use crate::context::{app_state, link, Api, Loader};
use crate::logic::{admin_row, owner_emails, thousands, Registry};

/// Everything the detail page shows about one organization. Every list is read in full
/// ([`Complete`], [`SharingState`]): the page shows them as complete and the editors write them back.
#[derive(Clone, Debug)]
pub struct Detail {
    pub name: String,
    pub org: Option<Organization>,
    pub admin: Option<AdminOrganization>,
    pub owners: Vec<String>,
    pub entitlements: Option<Entitlements>,
    pub producers: Complete<String>,
    /// Module sharing (site admins).
    pub modules: Option<SharingState>,
    /// Provider sharing (site admins): `None` also when the instance does not support it (its
    /// provider-consumers read answers 404 for an organization the admin API just returned).
    pub providers: Option<SharingState>,
    /// Who shares private providers with this organization, where the organization resource
    /// carries the `provider-producers` relationship with data (newer releases).
    pub provider_producers: Option<Vec<String>>,
}

/// Read an organization through both APIs (the admin one when the token may), every list in
/// full; `progress` says how far the consumer lists have got.
pub async fn load_detail(
    api: Api,
    name: String,
    admin: bool,
    progress: RwSignal<Option<String>>,
) -> Result<Detail, Error> {
    let report = move |what: &'static str| {
        move |p: Progress| {
            let of = p.total_count.map(|t| format!(" of {}", thousands(t))).unwrap_or_default();
            let _ = progress.try_set(Some(format!("Reading {what}: {}{of}…", thousands(p.items))));
        }
    };
    let org = api.read_with_options(&name, ReadOptions { include_entitlement_set: true });
    let producers = async {
        let mut on_progress = report("module producers");
        api.list_all_module_producers(&name, &mut on_progress).await
    };
    let admin_org = async {
        if admin {
            Some(api.admin_read_with_options(&name, true).await).transpose()
        } else {
            Ok(None)
        }
    };
    let consumers = async {
        if admin {
            let mut on_progress = report("module consumers");
            Some(api.list_all_consumers(Registry::Modules, &name, &mut on_progress).await).transpose()
        } else {
            Ok(None)
        }
    };
    let (org, producers, admin_doc, consumers) = join4(org, producers, admin_org, consumers).await;
    let provider_consumers = if admin && matches!(admin_doc, Ok(Some(_))) {
        let mut on_progress = report("provider consumers");
        match api.list_all_consumers(Registry::Providers, &name, &mut on_progress).await {
            Ok(list) => Some(list.names()),
            // An older instance: no provider sharing.
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let _ = progress.try_set(None);
    // A site admin may not be a member: the Organizations API may hide what the admin API shows.
    let org = match org {
        Ok(doc) => Some(doc),
        Err(e) if admin && e.kind == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let admin_doc = admin_doc?;
    let entitlements = org
        .as_ref()
        .and_then(|doc| doc.included_of::<Entitlements>().ok())
        .and_then(|sets| sets.into_iter().next())
        .map(|set| set.attributes);
    // The same owner names the list shows.
    let owners =
        admin_doc.as_ref().map(|doc| admin_row(&doc.data, &owner_emails(&doc.included)).owners).unwrap_or_default();
    let consumers = consumers?;
    let modules = admin_doc
        .as_ref()
        .zip(consumers)
        .map(|(doc, list)| SharingState::of(Registry::Modules, &doc.data.attributes, list.names()));
    let providers = admin_doc
        .as_ref()
        .zip(provider_consumers)
        .map(|(doc, list)| SharingState::of(Registry::Providers, &doc.data.attributes, list));
    let provider_producers = org.as_ref().and_then(|doc| {
        let related = doc.data.related_ids("provider-producers");
        (!related.is_empty()).then(|| related.into_iter().map(|r| r.id.clone()).collect())
    });
    Ok(Detail {
        name,
        org: org.map(|d| d.data),
        admin: admin_doc.map(|d| d.data),
        owners,
        entitlements,
        producers: producers.map(|list| list.names()).unwrap_or_else(|_| Complete::empty()),
        modules,
        providers,
        provider_producers,
    })
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", value_text(v))).collect::<Vec<_>>().join("\n"),
        other => other.to_string(),
    }
}

/// Every attribute as sent (unknown ones too), as a definition list.
fn attributes_view(attributes: Value) -> impl IntoView {
    let entries: Vec<(String, Value)> = match attributes {
        Value::Object(map) => map.into_iter().collect(),
        _ => Vec::new(),
    };
    view! {
        <dl class="attributes">
            {entries
                .into_iter()
                .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{value_text(&v)}</dd></div> })
                .collect_view()}
        </dl>
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
            detail.run(load_detail(api, name, admin, progress));
        }
    });
    // After a save, re-read in place (the page keeps showing the organization meanwhile).
    let refresh = move |message: &'static str| {
        flash.set(Some(message));
        if let Some(api) = app.api() {
            detail.refresh(load_detail(api, name.get_untracked(), admin, progress));
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
            {move || detail.ready().map(|d| view! { <DetailView d=d admin=admin/> })}
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
        </section>
    }
}

/// The organization's attributes and relations as read (the part of the page that follows
/// every re-read).
#[component]
fn DetailView(d: Detail, admin: bool) -> impl IntoView {
    let global = d.modules.as_ref().is_some_and(SharingState::global);
    let consumers_text: Vec<String> =
        d.modules.as_ref().map(|m| m.consumers().iter().cloned().collect()).unwrap_or_default();
    let n = d.name.clone();
    view! {
        <div class="actions">
            <A href=link(&format!("{}/edit", org_href(&n)))>"Edit or delete"</A>
        </div>
        <div class="grid">
            <section aria-labelledby="attributes-title">
                <h2 id="attributes-title">"Attributes"</h2>
                {d.org.as_ref().map(|o| attributes_view(serde_json::to_value(&o.attributes).unwrap_or(Value::Null)))}
                {d.admin.as_ref().map(|a| view! {
                    <h3>"Admin attributes"</h3>
                    {attributes_view(serde_json::to_value(&a.attributes).unwrap_or(Value::Null))}
                })}
            </section>
            <section aria-labelledby="people-title">
                <h2 id="people-title">"Owners"</h2>
                {if d.owners.is_empty() {
                    view! { <p class="muted">{if admin { "No owners." } else { "Owners are listed for site admins." }}</p> }.into_any()
                } else {
                    view! { <ul class="owners">{d.owners.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
                <h2>"Module producers"</h2>
                <p class="hint">"Organizations that share their private modules with this one."</p>
                {org_links(d.producers.to_vec(), "Module producers", "None.")}
                {admin.then(|| view! {
                    <h2>"Module consumers"</h2>
                    <p class="hint">"Organizations this one shares its private modules with."</p>
                    {if global {
                        view! { <p>"Every organization (global module sharing)."</p> }.into_any()
                    } else {
                        org_links(consumers_text.clone(), "Module consumers", "Nobody.").into_any()
                    }}
                })}
                {d.provider_producers.clone().map(|list| view! {
                    <h2>"Provider producers"</h2>
                    <p class="hint">"Organizations that share their private providers with this one."</p>
                    {org_links(list, "Provider producers", "None.")}
                })}
                {admin.then(|| view! {
                    <h2>"Provider consumers"</h2>
                    {match d.providers.clone() {
                        None => view! { <p class="muted unsupported">"This instance does not support provider sharing."</p> }.into_any(),
                        Some(p) if p.global() => view! { <p>"Every organization (global provider sharing)."</p> }.into_any(),
                        Some(p) => org_links(p.consumers().iter().cloned().collect(), "Provider consumers", "Nobody.").into_any(),
                    }}
                })}
                <h2>"Entitlements"</h2>
                {entitlements_view(d.entitlements.clone().map(|e| e.0).unwrap_or_default())}
            </section>
        </div>
    }
}

/// The entitlements as a person reads them: yes, no, unlimited, a number.
fn entitlements_view(entitlements: std::collections::BTreeMap<String, Value>) -> AnyView {
    if entitlements.is_empty() {
        return view! { <p class="muted">"Not available."</p> }.into_any();
    }
    view! {
        <dl class="attributes entitlements">
            {entitlements.into_iter().map(|(k, v)| {
                let text = match &v {
                    Value::Bool(true) => "yes".to_string(),
                    Value::Bool(false) => "no".to_string(),
                    Value::Null => "unlimited".to_string(),
                    other => value_text(other),
                };
                view! { <div><dt>{k}</dt><dd>{text}</dd></div> }
            }).collect_view()}
        </dl>
    }
    .into_any()
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
