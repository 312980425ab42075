//! The Organizations API: list, show, create, update, destroy, entitlement set, module producers,
//! data retention policy.

use tfe_orgs::jsonapi::{decode_new_resource, Document};
use tfe_orgs::model::{DataRetentionPolicyAttributes, OrganizationBody, DELETE_OLDER_TYPE, DONT_DELETE_TYPE};
use tfe_orgs::validate::{self, ValidationError};

use crate::render;
use crate::state::{new_org, Org, StoredPolicy};
use crate::{Caller, Request, Response, Sandbox};

pub fn route(sandbox: &mut Sandbox, caller: &Caller, request: &Request, method: &str, path: &[&str]) -> Response {
    match (method, path) {
        ("GET", []) => list(sandbox, caller, request),
        ("POST", []) => create(sandbox, caller, request),
        (_, [name, rest @ ..]) => {
            let Some(index) = sandbox.state.org_index(name).filter(|i| can_see(&sandbox.state.orgs[*i], caller)) else {
                return Response::not_found();
            };
            let owner = can_manage(&sandbox.state.orgs[index], caller);
            match (method, rest) {
                ("GET", []) => show(sandbox, index, request),
                ("PATCH", []) if owner => update(sandbox, index, request),
                ("DELETE", []) if owner => {
                    delete_org(sandbox, index);
                    Response::no_content()
                }
                ("GET", ["entitlement-set"]) => {
                    Response::json(200, &Document::new(render::entitlement_set(&sandbox.state.orgs[index])))
                }
                ("GET", ["relationships", "module-producers"]) => module_producers(sandbox, index, request),
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

/// Site admins see every organization; others the ones they own or belong to.
fn can_see(org: &Org, caller: &Caller) -> bool {
    caller.site_admin || org.owners.contains(&caller.user_id) || org.members.contains(&caller.user_id)
}

/// Site admins and owners may change an organization; members may not (TFE answers 404).
fn can_manage(org: &Org, caller: &Caller) -> bool {
    caller.site_admin || org.owners.contains(&caller.user_id)
}

/// `q` (name or email) takes precedence over `q[name]` AND `q[email]`; all case-insensitive.
pub fn matches_search(org: &Org, request: &Request) -> bool {
    let contains = |haystack: &str, needle: &str| haystack.to_lowercase().contains(&needle.to_lowercase());
    if let Some(q) = request.param("q") {
        return contains(org.name(), &q) || contains(org.email(), &q);
    }
    request.param("q[name]").is_none_or(|q| contains(org.name(), &q))
        && request.param("q[email]").is_none_or(|q| contains(org.email(), &q))
}

fn list(sandbox: &Sandbox, caller: &Caller, request: &Request) -> Response {
    let visible: Vec<&Org> =
        sandbox.state.orgs.iter().filter(|o| can_see(o, caller) && matches_search(o, request)).collect();
    // TFE returns every organization, without meta, when neither page parameter is given.
    if request.param("page[number]").is_none() && request.param("page[size]").is_none() {
        return Response::json(
            200,
            &Document::new(visible.iter().map(|o| render::organization(o)).collect::<Vec<_>>()),
        );
    }
    Response::json(200, &render::paginate_orgs(request, &visible, render::organization))
}

fn show(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let org = &sandbox.state.orgs[index];
    let mut doc = Document::new(render::organization(org));
    if request.includes("entitlement_set") {
        doc.included.push(render::as_included(&render::entitlement_set(org)));
    }
    Response::json(200, &doc)
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

fn name_taken(sandbox: &Sandbox, name: &str, except: Option<usize>) -> Option<Response> {
    let existing = sandbox.state.org_index(name)?;
    (Some(existing) != except).then(|| {
        Response::invalid(&[ValidationError::new(
            validate::attribute_pointer("name"),
            "unique",
            format!("name {name:?} has already been taken"),
        )])
    })
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
    let mut org = new_org(&mut sandbox.state, &name, body.email.as_deref().unwrap_or_default(), &now);
    org.owners.push(caller.user_id.clone());
    apply(&mut org, body);
    sandbox.state.orgs.push(org);
    Response::json(201, &Document::new(render::organization(sandbox.state.orgs.last().expect("just pushed"))))
}

fn update(sandbox: &mut Sandbox, index: usize, request: &Request) -> Response {
    let body = match read_body(request, false) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if let Some(name) = &body.name {
        if let Some(response) = name_taken(sandbox, name, Some(index)) {
            return response;
        }
        let old = sandbox.state.orgs[index].name().to_string();
        for other in &mut sandbox.state.orgs {
            for consumer in &mut other.consumers {
                if validate::same_organization_name(consumer, &old) {
                    *consumer = name.clone();
                }
            }
        }
    }
    let org = &mut sandbox.state.orgs[index];
    apply(org, body);
    Response::json(200, &Document::new(render::organization(org)))
}

/// Write the attributes a body sets onto an organization.
fn apply(org: &mut Org, body: OrganizationBody) {
    let a = &mut org.attributes;
    macro_rules! set {
        ($($field:ident),*) => { $( if let Some(v) = body.$field { a.$field = Some(v); } )* };
    }
    set!(
        name,
        email,
        session_timeout,
        session_remember,
        collaborator_auth_policy,
        cost_estimation_enabled,
        send_passing_statuses_for_untriggered_speculative_plans,
        aggregated_commit_status_enabled,
        owners_team_saml_role_id,
        assessments_enforced,
        allow_force_delete_workspaces,
        default_execution_mode
    );
    if let Some(pool) = body.default_agent_pool_id {
        org.default_agent_pool_id = Some(pool);
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
    }
}

fn module_producers(sandbox: &Sandbox, index: usize, request: &Request) -> Response {
    let consumer = sandbox.state.orgs[index].name();
    let producers: Vec<_> =
        sandbox.state.orgs.iter().filter(|p| p.shares_with(consumer)).map(render::organization_ref).collect();
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
                validate::rule::REQUIRED,
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
