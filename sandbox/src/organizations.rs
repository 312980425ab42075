//! The Organizations API: list, show, create, update, destroy, entitlement set, module producers,
//! data retention policy.

use tfe_orgs::jsonapi::{decode_new_resource, Document};
use tfe_orgs::model::{DataRetentionPolicyAttributes, OrganizationBody, DELETE_OLDER_TYPE, DONT_DELETE_TYPE};
use tfe_orgs::validate::{self, ValidationError};

use crate::render;
use crate::state::{new_org, Org, StoredPolicy};
use crate::{Caller, Request, Response, Sandbox};

/// What `include=` offers on the Organizations API; current releases add `default-project`.
const INCLUDES: &[&str] = &["entitlement_set"];
const INCLUDES_CURRENT: &[&str] = &["entitlement_set", "default-project"];

pub fn route(sandbox: &mut Sandbox, caller: &Caller, request: &Request, method: &str, path: &[&str]) -> Response {
    let offered = if sandbox.release == crate::Release::Current { INCLUDES_CURRENT } else { INCLUDES };
    if let Some(refused) = request.unknown_include(offered) {
        return refused;
    }
    match (method, path) {
        ("GET", []) => list(sandbox, caller, request),
        ("POST", []) => create(sandbox, caller, request),
        (_, [name, rest @ ..]) => {
            let Some(index) = sandbox.state.org_index(name).filter(|i| can_see(&sandbox.state.orgs[*i], caller)) else {
                return Response::not_found();
            };
            let owner = can_manage(&sandbox.state.orgs[index], caller);
            match (method, rest) {
                ("GET", []) => show(sandbox, index, request, owner),
                ("PATCH", []) if owner => update(sandbox, index, request),
                ("DELETE", []) if owner => {
                    delete_org(sandbox, index);
                    Response::no_content()
                }
                ("GET", ["entitlement-set"]) => {
                    Response::json(200, &Document::new(render::entitlement_set(&sandbox.state.orgs[index])))
                }
                ("GET", ["explorer", rest @ ..]) => {
                    crate::explorer::route(sandbox, caller, request, &sandbox.state.orgs[index], rest)
                }
                ("GET", ["relationships", "module-producers"]) => module_producers(sandbox, index, request),
                ("GET", ["relationships", "provider-producers"]) => provider_producers(sandbox, index, request),
                ("GET", ["relationships", "data-retention-policy"]) => {
                    let policy = sandbox.state.orgs[index].data_retention_policy.clone().unwrap_or(StoredPolicy {
                        id: "drp-installation-default".into(),
                        delete_older_than_n_days: None,
                    });
                    Response::json(200, &Document::new(render::data_retention_policy(&policy)))
                }
                ("POST", ["relationships", "data-retention-policy"]) if owner => set_policy(sandbox, index, request),
                ("DELETE", ["relationships", "data-retention-policy"]) if owner => {
                    sandbox.state.orgs[index].data_retention_policy = None;
                    Response::no_content()
                }
                _ => Response::not_found(),
            }
        }
        _ => Response::not_found(),
    }
}

/// Site admins see every organization; others the ones they own or belong to, unless it is
/// disabled (disabling removes access for everyone but site admins).
fn can_see(org: &Org, caller: &Caller) -> bool {
    caller.site_admin
        || (!org.is_disabled() && (org.owners.contains(&caller.user_id) || org.members.contains(&caller.user_id)))
}

/// Site admins and owners may change an organization; members may not (TFE answers 404).
fn can_manage(org: &Org, caller: &Caller) -> bool {
    caller.site_admin || org.owners.contains(&caller.user_id)
}

/// `q` (name or email) takes precedence over `q[name]` AND `q[email]`; all case-insensitive.
/// The search of a list request (`q`, or `q[name]` AND `q[email]`), read from the query once:
/// a list filters thousands of organizations with it.
pub struct Search {
    q: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

impl Search {
    pub fn of(request: &Request) -> Self {
        let lower = |key: &str| request.param(key).map(|v| v.to_lowercase());
        Search { q: lower("q"), name: lower("q[name]"), email: lower("q[email]") }
    }

    pub fn matches(&self, org: &Org) -> bool {
        let contains = |haystack: &str, needle: &str| haystack.to_lowercase().contains(needle);
        if let Some(q) = &self.q {
            return contains(org.name(), q) || contains(org.email(), q);
        }
        self.name.as_deref().is_none_or(|q| contains(org.name(), q))
            && self.email.as_deref().is_none_or(|q| contains(org.email(), q))
    }
}

fn list(sandbox: &Sandbox, caller: &Caller, request: &Request) -> Response {
    let search = Search::of(request);
    let visible: Vec<&Org> = sandbox.state.orgs.iter().filter(|o| can_see(o, caller) && search.matches(o)).collect();
    let render = |o: &Org| render::organization(o, can_manage(o, caller));
    // TFE returns every organization, without meta, when neither page parameter is given.
    let mut doc = if request.param("page[number]").is_none() && request.param("page[size]").is_none() {
        Document::new(visible.iter().map(|o| render(o)).collect::<Vec<_>>())
    } else {
        render::paginate_orgs(request, &visible, render)
    };
    let orgs: Vec<&Org> = doc.data.iter().filter_map(|o| sandbox.state.org(&o.id)).collect();
    for org in orgs {
        doc = with_included(request, org, doc);
    }
    Response::json(200, &doc)
}

fn show(sandbox: &Sandbox, index: usize, request: &Request, manage: bool) -> Response {
    let org = &sandbox.state.orgs[index];
    Response::json(200, &with_included(request, org, Document::new(render::organization(org, manage))))
}

/// `include=entitlement_set`: the organization's entitlement set in `included`;
/// `include=default-project` (current releases, what go-tfe asks for): its default project.
fn with_included<T>(request: &Request, org: &Org, mut doc: Document<T>) -> Document<T> {
    if request.includes("entitlement_set") {
        doc.included.push(render::as_included(&render::entitlement_set(org)));
    }
    if request.includes("default-project") {
        doc.included.push(render::as_included(&render::default_project(org)));
    }
    doc
}

/// Decode and validate an organization body; the 422 to answer when it is bad.
fn read_body(request: &Request, creating: bool) -> Result<OrganizationBody, Response> {
    let body: OrganizationBody = decode_new_resource(&request.body).map_err(|e| Response::malformed(&e))?;
    let errors = if creating { validate::organization_create(&body) } else { validate::organization_update(&body) };
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(Response::invalid(&errors))
    }
}

/// The 422 for a name another organization has (`except`: the one being renamed).
fn name_taken(sandbox: &Sandbox, name: &str, except: Option<usize>) -> Option<Response> {
    let others = sandbox.state.orgs.iter().enumerate().filter(|(i, _)| Some(*i) != except).map(|(_, o)| o.name());
    validate::organization_name_free(name, others).err().map(|e| Response::invalid(&[e]))
}

fn create(sandbox: &mut Sandbox, caller: &Caller, request: &Request) -> Response {
    let body = match read_body(request, true) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = body.name.clone().unwrap_or_default();
    if let Some(response) = name_taken(sandbox, &name, None) {
        return response;
    }
    let now = sandbox.now.clone();
    if let Some(response) = stored_rules(None, &body) {
        return response;
    }
    let mut org = new_org(&mut sandbox.state, &name, body.email.as_deref().unwrap_or_default(), &now);
    org.owners.push(caller.user_id.clone());
    apply(&mut org, body);
    sandbox.state.orgs.push(org);
    let org = sandbox.state.orgs.last().expect("just pushed");
    // As the spec's sample shows: a create answers with the new entitlement set included.
    let mut doc = Document::new(render::organization(org, true));
    doc.included.push(render::as_included(&render::entitlement_set(org)));
    Response::json(201, &doc)
}

/// The library's rules that depend on what the instance holds (see
/// [`validate::organization_against_stored`]).
fn stored_rules(stored: Option<&Org>, body: &OrganizationBody) -> Option<Response> {
    let stored = stored.map(|o| (&o.attributes, o.default_agent_pool_id.as_deref()));
    let errors = validate::organization_against_stored(stored, body);
    (!errors.is_empty()).then(|| Response::invalid(&errors))
}

fn update(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let body = match read_body(request, false) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if let Some(response) = stored_rules(Some(&sandbox.state.orgs[index]), &body) {
        return response;
    }
    if let Some(name) = &body.name {
        if let Some(response) = name_taken(sandbox, name, Some(index)) {
            return response;
        }
        let old = sandbox.state.orgs[index].name().to_string();
        // Module and provider consumer lists follow the rename.
        for other in &mut sandbox.state.orgs {
            for consumer in other.consumers.iter_mut().chain(other.provider_consumers.iter_mut()) {
                if validate::same_organization_name(consumer, &old) {
                    *consumer = name.clone();
                }
            }
        }
    }
    let org = &mut sandbox.state.orgs[index];
    apply(org, body);
    Response::json(200, &Document::new(render::organization(org, true)))
}

/// Write the attributes a body sets onto an organization: every attribute both models declare
/// (no list here to forget one), then the pool, a relationship the body writes as an attribute.
fn apply(org: &mut Org, body: OrganizationBody) {
    let rest = tfe_orgs::model::merge(&mut org.attributes, &body);
    if let Some(pool) = rest.get("default-agent-pool-id").and_then(|v| v.as_str()) {
        org.default_agent_pool_id = Some(pool.to_string());
    }
    if org.attributes.default_execution_mode != Some(tfe_orgs::model::ExecutionMode::Agent) {
        org.default_agent_pool_id = None;
    }
}

/// Remove an organization and every sharing relation that names it.
pub fn delete_org(sandbox: &mut Sandbox, index: usize) {
    let removed = sandbox.state.orgs.remove(index);
    for other in &mut sandbox.state.orgs {
        other.consumers.retain(|c| !validate::same_organization_name(c, removed.name()));
        other.provider_consumers.retain(|c| !validate::same_organization_name(c, removed.name()));
    }
}

fn module_producers(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let consumer = sandbox.state.orgs[index].name();
    let producers: Vec<_> =
        sandbox.state.orgs.iter().filter(|p| p.shares_with(consumer)).map(render::organization_ref).collect();
    Response::json(200, &render::paginate(request, &producers))
}

/// Newer releases: the organizations whose private providers this one may use.
fn provider_producers(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let consumer = sandbox.state.orgs[index].name();
    let producers: Vec<_> =
        sandbox.state.orgs.iter().filter(|p| p.shares_providers_with(consumer)).map(render::organization_ref).collect();
    Response::json(200, &render::paginate(request, &producers))
}

fn set_policy(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let attributes: DataRetentionPolicyAttributes = match decode_new_resource(&request.body) {
        Ok(a) => a,
        Err(e) => return Response::malformed(&e),
    };
    let kind = serde_json::from_str::<serde_json::Value>(&request.body)
        .ok()
        .and_then(|v| v["data"]["type"].as_str().map(str::to_string))
        .unwrap_or_default();
    let days = match (kind.as_str(), attributes.delete_older_than_n_days) {
        (DELETE_OLDER_TYPE, Some(days)) => Some(days),
        (DELETE_OLDER_TYPE, None) => {
            return Response::invalid(&[ValidationError::new(
                validate::attribute_pointer("delete-older-than-n-days"),
                tfe_orgs::validate::Rule::Required,
                "delete-older-than-n-days is required",
            )])
        }
        (DONT_DELETE_TYPE, _) => None,
        _ => return Response::error(422, "unknown data retention policy type"),
    };
    let policy = StoredPolicy { id: sandbox.state.next_id("drp-"), delete_older_than_n_days: days };
    if let Err(e) = validate::data_retention_policy(&policy.policy()) {
        return Response::invalid(&[e]);
    }
    sandbox.state.orgs[index].data_retention_policy = Some(policy.clone());
    Response::json(201, &Document::new(render::data_retention_policy(&policy)))
}
