//! State → JSON:API documents, built from the library's model types.

use tfe_orgs::jsonapi::{
    Document, Links, Meta, Pagination, Relationship, RelationshipData, Resource, ResourceIdentifier, StatusCounts,
};
use tfe_orgs::model::{
    AdminOrganization, AdminOrganizationAttributes, DataRetentionPolicy, DataRetentionPolicyResource, EntitlementSet,
    Entitlements, Organization, OrganizationRef, OrganizationRefAttributes, User, UserAttributes,
};
use tfe_orgs::query::{encode, to_query};

use crate::state::{self, Org, StoredPolicy};
use crate::{page_params, Request};

fn link(related: String) -> Relationship {
    Relationship { links: Some(Links { related: Some(related), ..Default::default() }), ..Default::default() }
}

fn to_one(id: Option<ResourceIdentifier>) -> Relationship {
    Relationship { data: Some(id.map_or(RelationshipData::Null, RelationshipData::One)), ..Default::default() }
}

fn self_link(path: String) -> Option<Links> {
    Some(Links { self_: Some(path), ..Default::default() })
}

/// An organization as the Organizations API shows it.
/// Permissions a member (not an owner) keeps: reading.
const READ_PERMISSIONS: &[&str] = &["can-access-via-teams", "can-traverse", "can-read-varsets"];

/// An organization as the Organizations API shows it to a caller who may (`manage`: owners and
/// site admins) or may not change it: `permissions` say which.
pub fn organization(org: &Org, manage: bool) -> Organization {
    let name = encode(org.name());
    let mut attributes = org.attributes.clone();
    // Current TFE counts the consumers (0 while sharing globally: the flag says it all).
    let count = |global: bool, list: &[String]| Some(if global { 0 } else { list.len() as u32 });
    attributes.module_consuming_organizations_count = count(org.shares_modules_globally(), &org.consumers);
    attributes.provider_consuming_organizations_count = count(org.shares_providers_globally(), &org.provider_consumers);
    if !manage {
        if let Some(permissions) = attributes.permissions.as_mut() {
            for (key, value) in permissions.0.iter_mut() {
                *value = READ_PERMISSIONS.contains(&key.as_str()).into();
            }
        }
    }
    let mut resource = Resource::new(org.name(), "organizations", attributes);
    let base = format!("/api/v2/organizations/{name}");
    let r = &mut resource.relationships;
    r.insert(
        "default-agent-pool".into(),
        to_one(
            org.default_agent_pool_id
                .as_ref()
                .map(|id| ResourceIdentifier { id: id.clone(), kind: "agent-pools".into() }),
        ),
    );
    r.insert("oauth-tokens".into(), link(format!("{base}/oauth-tokens")));
    r.insert("authentication-token".into(), link(format!("{base}/authentication-token")));
    let mut entitlement = link(format!("{base}/entitlement-set"));
    entitlement.data = Some(RelationshipData::One(ResourceIdentifier {
        id: org.external_id().into(),
        kind: "entitlement-sets".into(),
    }));
    r.insert("entitlement-set".into(), entitlement);
    r.insert("subscription".into(), link(format!("{base}/subscription")));
    // Listed in the spec's relationships table; TFE links both, and points at the policy set
    // (its polymorphic type says which) — what go-tfe and python-tfe read.
    r.insert("module-producers".into(), link(format!("{base}/relationships/module-producers")));
    // Newer releases: the project new workspaces go to, and the provider producers' list.
    r.insert(
        "default-project".into(),
        to_one(Some(ResourceIdentifier { id: default_project_id(org), kind: "projects".into() })),
    );
    r.insert("provider-producers".into(), link(format!("{base}/relationships/provider-producers")));
    let mut policy = link(format!("{base}/relationships/data-retention-policy"));
    policy.data = Some(org.data_retention_policy.as_ref().map_or(RelationshipData::Null, |p| {
        RelationshipData::One(ResourceIdentifier { id: p.id.clone(), kind: p.policy().kind().into() })
    }));
    r.insert("data-retention-policy".into(), policy);
    resource.links = self_link(base);
    resource
}

/// Current TFE counts the consumers of each registry (0 while sharing globally: the flag says
/// it all). The Organizations API documents them; the sandbox sends them on admin resources too,
/// where an audit reads its producers (an assumption about current releases, current-tfe.md's
/// *undocumented* territory: the client uses them wherever they come and reads the lists where not).
fn consumer_counts(org: &Org) -> (Option<u32>, Option<u32>) {
    let count = |global: bool, list: &[String]| Some(if global { 0 } else { list.len() as u32 });
    (
        count(org.shares_modules_globally(), &org.consumers),
        count(org.shares_providers_globally(), &org.provider_consumers),
    )
}

/// An organization as the Admin Organizations API shows it.
pub fn admin_organization(org: &Org) -> AdminOrganization {
    let (modules, providers) = consumer_counts(org);
    let attributes = AdminOrganizationAttributes {
        name: Some(org.name().into()),
        external_id: Some(org.external_id().into()),
        notification_email: Some(org.email().into()),
        module_consuming_organizations_count: modules,
        provider_consuming_organizations_count: providers,
        ..org.admin.clone()
    };
    let base = format!("/api/v2/admin/organizations/{}", encode(org.name()));
    let mut resource = Resource::new(org.name(), "organizations", attributes);
    let owners = org.owners.iter().map(|id| ResourceIdentifier { id: id.clone(), kind: "users".into() }).collect();
    let r = &mut resource.relationships;
    r.insert("owners".into(), Relationship { data: Some(RelationshipData::Many(owners)), ..Default::default() });
    r.insert("subscription".into(), to_one(None));
    r.insert("feature-set".into(), to_one(None));
    r.insert("module-consumers".into(), link(format!("{base}/relationships/module-consumers")));
    resource.links = self_link(base);
    resource
}

/// The instance's general settings: TFE's default timeouts and the rate limit it enforces.
pub fn general_settings(sandbox: &crate::Sandbox) -> tfe_orgs::model::GeneralSettings {
    let attributes = tfe_orgs::model::GeneralSettingsAttributes {
        plan_timeout: Some("2h".into()),
        apply_timeout: Some("24h".into()),
        api_rate_limiting_enabled: Some(true),
        api_rate_limit: Some(sandbox.api_rate_limit.unwrap_or(crate::faults::TFE_RATE_LIMIT)),
        limit_user_organization_creation: Some(false),
        // Settings the client does not type, kept as sent.
        extra: [
            ("send-passing-statuses-enabled", false),
            ("allow-speculative-plans-on-pull-requests-from-forks", false),
            ("default-remote-state-access", true),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect(),
        ..Default::default()
    };
    let mut resource = Resource::new("general", "general-settings", attributes);
    resource.links = self_link("/api/v2/admin/general-settings".into());
    resource
}

/// The reference module-producers lists.
pub fn organization_ref(org: &Org) -> OrganizationRef {
    let attributes = OrganizationRefAttributes {
        name: Some(org.name().into()),
        external_id: Some(org.external_id().into()),
        ..Default::default()
    };
    let mut resource = Resource::new(org.name(), "organizations", attributes);
    resource.links = self_link(format!("/api/v2/organizations/{}", encode(org.name())));
    resource
}

/// The entitlement set of an organization: the seeded one, or an Enterprise default.
pub fn entitlement_set(org: &Org) -> EntitlementSet {
    let entitlements = org.entitlements.clone().unwrap_or_else(|| {
        let mut map = tfe_orgs::jsonapi::Extra::new();
        for key in tfe_orgs::model::ENTITLEMENT_FLAGS {
            map.insert(key.to_string(), (!matches!(*key, "self-serve-billing" | "usage-reporting")).into());
        }
        for key in tfe_orgs::model::ENTITLEMENT_LIMITS {
            map.insert(key.to_string(), serde_json::Value::Null);
        }
        Entitlements(map)
    });
    let mut resource = Resource::new(org.external_id(), "entitlement-sets", entitlements);
    resource.links = self_link(format!("/api/v2/entitlement-sets/{}", org.external_id()));
    resource
}

pub fn user(user: &state::User) -> User {
    let attributes = UserAttributes {
        username: Some(user.username.clone()),
        email: Some(user.email.clone()),
        is_service_account: Some(false),
        is_site_admin: Some(user.site_admin),
        ..Default::default()
    };
    let mut resource = Resource::new(user.id.clone(), "users", attributes);
    resource.links = self_link(format!("/api/v2/users/{}", user.id));
    resource
}

pub fn data_retention_policy(policy: &StoredPolicy) -> DataRetentionPolicyResource {
    let p: DataRetentionPolicy = policy.policy();
    Resource::new(policy.id.clone(), p.kind(), p.attributes())
}

fn default_project_id(org: &Org) -> String {
    format!("prj-{}", org.external_id().trim_start_matches("org-"))
}

/// The organization's default project, as `include=default-project` adds it (go-tfe reads its
/// name and the organization it belongs to).
pub fn default_project(org: &Org) -> Resource<tfe_orgs::jsonapi::Extra> {
    let mut attributes = tfe_orgs::jsonapi::Extra::new();
    attributes.insert("name".into(), "Default Project".into());
    attributes.insert("description".into(), "".into());
    let mut resource = Resource::new(default_project_id(org), "projects", attributes);
    resource.relationships.insert("organization".into(), to_one(Some(ResourceIdentifier::organization(org.name()))));
    resource.links = self_link(format!("/api/v2/projects/{}", default_project_id(org)));
    resource
}

/// Serialize a resource (any attribute type) for `included`.
pub fn as_included<A: serde::Serialize>(resource: &Resource<A>) -> Resource<tfe_orgs::jsonapi::Extra> {
    serde_json::from_value(serde_json::to_value(resource).expect("plain JSON")).expect("a resource is a resource")
}

/// Page `items` as the request asks, with TFE's links and `meta.pagination`.
pub fn paginate<T: Clone>(request: &Request, items: &[T]) -> Document<Vec<T>> {
    let (number, size) = page_params(request);
    let total = items.len();
    let pages = total.div_ceil(size).max(1);
    let start = (number - 1).saturating_mul(size).min(total);
    let data = items[start..(start + size).min(total)].to_vec();
    let page_url = |n: usize| {
        let mut pairs: Vec<(String, String)> =
            request.params().into_iter().filter(|(k, _)| k != "page[number]" && k != "page[size]").collect();
        pairs.push(("page[number]".into(), n.to_string()));
        pairs.push(("page[size]".into(), size.to_string()));
        format!("{}{}?{}", request.base_url, request.path, to_query(&pairs))
    };
    let prev = (number > 1).then(|| number - 1);
    let next = (number < pages).then(|| number + 1);
    let mut doc = Document::new(data);
    doc.links =
        Some(Links::page(page_url(number), page_url(1), prev.map(page_url), next.map(page_url), page_url(pages)));
    doc.meta = Some(Meta {
        pagination: Some(Pagination {
            current_page: Some(number as u32),
            page_size: Some(size as u32),
            prev_page: prev.map(|n| n as u32),
            next_page: next.map(|n| n as u32),
            total_pages: Some(pages as u32),
            total_count: Some(total as u64),
        }),
        status_counts: None,
    });
    doc
}

/// Page `orgs` first, then render only that page (rendering all of 10,000 per request is what
/// made large instances slow).
pub fn paginate_orgs<R: Clone>(request: &Request, orgs: &[&Org], render: impl Fn(&Org) -> R) -> Document<Vec<R>> {
    let page = paginate(request, orgs);
    Document {
        data: page.data.iter().map(|o| render(o)).collect(),
        included: Vec::new(),
        links: page.links,
        meta: page.meta,
    }
}

/// `meta.status-counts` over a set of organizations.
pub fn status_counts<'a>(orgs: impl Iterator<Item = &'a Org>) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for org in orgs {
        counts.total += 1;
        if org.is_disabled() {
            counts.disabled += 1;
        } else {
            counts.active += 1;
        }
    }
    counts
}
