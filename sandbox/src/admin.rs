//! The Admin Organizations and Admin Module Sharing APIs (site admins only; the caller checked).

use tfe_orgs::jsonapi::{decode, decode_new_resource, Body, Document, Meta, Resource, ResourceIdentifier};
use tfe_orgs::model::{
    AdminOrganizationUpdate, ModulePartnershipAttributes, ModulePartnershipsUpdate, RegistryPartnerships,
};
use tfe_orgs::validate::{self, ValidationError};

use crate::organizations::{delete_org, Search};
use crate::{render, Request, Response, Sandbox};

/// What `include=` offers on the Admin Organizations API.
const INCLUDES: &[&str] = &["owners"];

pub fn route(sandbox: &mut Sandbox, request: &Request, method: &str, path: &[&str]) -> Response {
    if let Some(refused) = request.unknown_include(INCLUDES) {
        return refused;
    }
    match (method, path) {
        ("GET", ["general-settings"]) => Response::json(200, &Document::new(render::general_settings(sandbox))),
        ("GET", ["explorer-backfill-status"]) => crate::explorer::backfill_status(sandbox),
        ("GET", ["organizations"]) => list(sandbox, request),
        (_, ["organizations", name, rest @ ..]) => {
            let Some(index) = sandbox.state.org_index(name) else {
                return Response::not_found();
            };
            match (method, rest) {
                ("GET", []) => show(sandbox, index, request),
                ("PATCH", []) => update(sandbox, index, request),
                ("DELETE", []) => {
                    delete_org(sandbox, index);
                    Response::no_content()
                }
                ("GET", ["relationships", "module-consumers"]) => list_consumers(sandbox, index, request),
                ("PATCH", ["relationships", "module-consumers"]) => set_consumers(sandbox, index, request),
                ("PATCH", ["module-consumers"]) => set_partnerships(sandbox, index, request),
                ("GET", ["relationships", "provider-consumers"]) => list_provider_consumers(sandbox, index, request),
                ("PUT", ["registry-partnerships"]) => set_registry_partnerships(sandbox, index, request),
                _ => Response::not_found(),
            }
        }
        _ => Response::not_found(),
    }
}

fn include_owners<'a, D>(sandbox: &Sandbox, doc: &mut Document<D>, owners: impl Iterator<Item = &'a String>) {
    let mut seen = std::collections::BTreeSet::new();
    for id in owners {
        if let Some(user) = sandbox.state.user(id).filter(|_| seen.insert(id.clone())) {
            doc.included.push(render::as_included(&render::user(user)));
        }
    }
}

fn list(sandbox: &Sandbox, request: &Request) -> Response {
    let flag = |key: &str| request.param(key).and_then(|v| v.parse::<bool>().ok());
    let (modules, providers) = (flag("filter[module_producer]"), flag("filter[provider_producer]"));
    let search = Search::of(request);
    // Both filters may be combined (AND).
    let matching: Vec<_> = sandbox
        .state
        .orgs
        .iter()
        .filter(|o| {
            search.matches(o)
                && modules.is_none_or(|want| o.is_module_producer() == want)
                && providers.is_none_or(|want| o.is_provider_producer() == want)
        })
        .collect();
    let mut doc = render::paginate_orgs(request, &matching, render::admin_organization);
    doc.meta = Some(Meta {
        status_counts: Some(render::status_counts(matching.iter().copied())),
        ..doc.meta.unwrap_or_default()
    });
    if request.includes("owners") {
        let owners: Vec<String> = doc
            .data
            .iter()
            .flat_map(|o| sandbox.state.org(&o.id).map(|org| org.owners.clone()).unwrap_or_default())
            .collect();
        include_owners(sandbox, &mut doc, owners.iter());
    }
    Response::json(200, &doc)
}

fn show(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let org = &sandbox.state.orgs[index];
    let mut doc = Document::new(render::admin_organization(org));
    if request.includes("owners") {
        include_owners(sandbox, &mut doc, org.owners.iter());
    }
    Response::json(200, &doc)
}

fn update(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let body: AdminOrganizationUpdate = match decode_new_resource(&request.body) {
        Ok(body) => body,
        Err(e) => return Response::malformed(&e),
    };
    let errors = validate::admin_organization_update(&body);
    if !errors.is_empty() {
        return Response::invalid(&errors);
    }
    let org = &mut sandbox.state.orgs[index];
    // Every attribute the body sets, as the model declares them (`null` clears a timeout: the
    // instance's default again).
    tfe_orgs::model::merge(&mut org.admin, &body);
    // Sharing with everyone replaces any specific consumers.
    if body.global_module_sharing == Some(true) {
        org.consumers.clear();
    }
    if body.global_provider_sharing == Some(true) {
        org.provider_consumers.clear();
    }
    Response::json(200, &Document::new(render::admin_organization(org)))
}

fn list_consumers(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let org = &sandbox.state.orgs[index];
    let consumers: Vec<_> = if org.shares_modules_globally() {
        Vec::new()
    } else {
        org.consumers.iter().filter_map(|name| sandbox.state.org(name)).map(render::admin_organization).collect()
    };
    Response::json(200, &render::paginate(request, &consumers))
}

fn list_provider_consumers(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let org = &sandbox.state.orgs[index];
    let consumers: Vec<_> = if org.shares_providers_globally() {
        Vec::new()
    } else {
        org.provider_consumers
            .iter()
            .filter_map(|name| sandbox.state.org(name))
            .map(render::admin_organization)
            .collect()
    };
    Response::json(200, &render::paginate(request, &consumers))
}

/// `PUT registry-partnerships`: module and/or provider consumers by name, both key spellings
/// (the spec's sample `module_consumers`, its table `module-consumers`). An absent key leaves
/// its list; an empty list shares with nobody; a non-empty one turns the global flag off.
fn set_registry_partnerships(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let mut body: RegistryPartnerships = match decode_new_resource(&request.body) {
        Ok(body) => body,
        Err(e) => return Response::malformed(&e),
    };
    // The table's spelling, read like the sample's (the pointer names the key as sent).
    let mut keys = [("module_consumers", "module_consumers"), ("provider_consumers", "provider_consumers")];
    for (i, (table, list)) in
        [("module-consumers", &mut body.module_consumers), ("provider-consumers", &mut body.provider_consumers)]
            .into_iter()
            .enumerate()
    {
        if let Some(value) = body.extra.remove(table) {
            match serde_json::from_value::<Vec<String>>(value) {
                Ok(names) if list.is_none() => {
                    *list = Some(names);
                    keys[i].1 = table;
                }
                Ok(_) => {
                    return Response::invalid(&validate::given_once(table, 2).err().into_iter().collect::<Vec<_>>())
                }
                Err(e) => {
                    let pointer = validate::attribute_pointer(table);
                    return Response::invalid(&[ValidationError::new(
                        pointer,
                        tfe_orgs::validate::Rule::Type,
                        format!("{table}: {e}"),
                    )]);
                }
            }
        }
    }
    let mut errors = validate::registry_partnerships(&body);
    for error in &mut errors {
        for (sample, sent) in keys {
            error.field = error.field.replace(sample, sent);
        }
    }
    let by_name = |sb: &Sandbox, key: &str| sb.state.org(key).map(|o| o.name().to_string());
    let mut resolved = Vec::new();
    for ((_, sent), list) in keys.into_iter().zip([&body.module_consumers, &body.provider_consumers]) {
        let Some(list) = list else {
            resolved.push(None);
            continue;
        };
        let names: Vec<&str> = list.iter().map(String::as_str).collect();
        let pointer = |i| format!("{}/{i}", validate::attribute_pointer(sent));
        match resolve(sandbox, std::mem::take(&mut errors), &names, by_name, pointer) {
            Ok(found) => resolved.push(Some(found)),
            Err(response) => return response,
        }
    }
    let org = &mut sandbox.state.orgs[index];
    // A list given (even empty: "shares with nobody") replaces global sharing.
    if let Some(Some(modules)) = resolved.first() {
        org.consumers = modules.clone();
        org.admin.global_module_sharing = Some(false);
    }
    if let Some(Some(providers)) = resolved.get(1) {
        org.provider_consumers = providers.clone();
        org.admin.global_provider_sharing = Some(false);
    }
    Response::no_content()
}

/// Replace the consumer list (names, as stored) and turn global sharing off.
fn share_with(sandbox: &mut Sandbox, index: usize, consumers: Vec<String>) {
    let org = &mut sandbox.state.orgs[index];
    org.consumers = consumers;
    org.admin.global_module_sharing = Some(false);
}

/// The stored names of the organizations `keys` denote; a 422 error for the first unknown one
/// (after any rule the validators already broke).
fn resolve(
    sandbox: &Sandbox,
    mut errors: Vec<ValidationError>,
    keys: &[&str],
    lookup: impl Fn(&Sandbox, &str) -> Option<String>,
    pointer: impl Fn(usize) -> String,
) -> Result<Vec<String>, Response> {
    if errors.is_empty() {
        errors.extend(
            validate::consumers_known(keys.iter().copied(), |key| lookup(sandbox, key).is_some(), pointer).err(),
        );
    }
    if !errors.is_empty() {
        return Err(Response::invalid(&errors));
    }
    let mut names = Vec::new();
    for name in keys.iter().filter_map(|key| lookup(sandbox, key)) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

fn set_consumers(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let body: Body<Vec<ResourceIdentifier>> = match decode(&request.body) {
        Ok(body) => body,
        Err(e) => return Response::malformed(&e),
    };
    let keys: Vec<&str> = body.data.iter().map(|id| id.id.as_str()).collect();
    let by_name = |sb: &Sandbox, key: &str| sb.state.org(key).map(|o| o.name().to_string());
    match resolve(sandbox, validate::module_consumers(&body.data), &keys, by_name, |i| format!("/data/{i}/id")) {
        Ok(names) => {
            share_with(sandbox, index, names);
            Response::no_content()
        }
        Err(response) => response,
    }
}

fn set_partnerships(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let body: ModulePartnershipsUpdate = match decode_new_resource(&request.body) {
        Ok(body) => body,
        Err(e) => return Response::malformed(&e),
    };
    let errors = validate::module_partnerships(&body);
    let ids = body.module_consuming_organization_ids.unwrap_or_default();
    let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
    let by_external_id =
        |sb: &Sandbox, key: &str| sb.state.orgs.iter().find(|o| o.external_id() == key).map(|o| o.name().to_string());
    let pointer = |i| format!("{}/{i}", validate::attribute_pointer("module-consuming-organization-ids"));
    let names = match resolve(sandbox, errors, &keys, by_external_id, pointer) {
        Ok(names) => names,
        Err(response) => return response,
    };
    share_with(sandbox, index, names.clone());
    let producer = &sandbox.state.orgs[index];
    let partnerships: Vec<_> = names
        .iter()
        .filter_map(|name| sandbox.state.org(name))
        .map(|consumer| {
            let attributes = ModulePartnershipAttributes {
                consuming_organization_id: Some(consumer.external_id().into()),
                consuming_organization_name: Some(consumer.name().into()),
                producing_organization_id: Some(producer.external_id().into()),
                producing_organization_name: Some(producer.name().into()),
                ..Default::default()
            };
            // Stable per pair (producer and consumer), so a repeated PATCH answers the same ids and
            // two producers sharing with one consumer get different ones.
            let half =
                |o: &crate::state::Org| o.external_id().trim_start_matches("org-").chars().take(8).collect::<String>();
            let id = format!("mp-{}{}", half(producer), half(consumer));
            Resource::new(id, "module-partnerships", attributes)
        })
        .collect();
    Response::json(200, &Document::new(partnerships))
}
