//! The sandbox core against the spec's semantics and errors: each case is a request on the seeded
//! sandbox with the exact status and the JSON values the response must hold.

use serde_json::{json, Value};
use tfe_sandbox::{Request, Sandbox};

#[path = "support/walk.rs"]
mod walk;

const ADMIN: &str = "sandbox-admin-token";
const OWNER: &str = "sandbox-owner-token";
const MEMBER: &str = "sandbox-member-token";

struct Case {
    name: &'static str,
    token: Option<&'static str>,
    method: &'static str,
    path: &'static str,
    body: Value,
    status: u16,
    /// (JSON pointer, value) pairs the response body must contain.
    expect: Vec<(&'static str, Value)>,
}

fn case(name: &'static str, token: &'static str, method: &'static str, path: &'static str, status: u16) -> Case {
    Case { name, token: Some(token), method, path, body: Value::Null, status, expect: Vec::new() }
}

impl Case {
    fn body(mut self, body: Value) -> Self {
        self.body = body;
        self
    }
    fn expect(mut self, pointer: &'static str, value: Value) -> Self {
        self.expect.push((pointer, value));
        self
    }
    fn no_token(mut self) -> Self {
        self.token = None;
        self
    }
}

fn call(sandbox: &mut Sandbox, token: Option<&str>, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let mut request = Request::new(method, path);
    if let Some(token) = token {
        request = request.token(token);
    }
    if !body.is_null() {
        request = request.body(body.to_string());
    }
    let response = sandbox.handle(&request);
    let value = if response.body.is_empty() { Value::Null } else { serde_json::from_str(&response.body).unwrap() };
    (response.status, value)
}

fn ids(value: &Value) -> Vec<String> {
    value["data"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string()).collect()
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        let mut sandbox = Sandbox::seeded();
        let (status, body) = call(&mut sandbox, c.token, c.method, c.path, &c.body);
        if status != c.status {
            failures.push(format!("{}: status {status}, expected {} — {body}", c.name, c.status));
            continue;
        }
        for (pointer, want) in &c.expect {
            let got = body.pointer(pointer).cloned().unwrap_or(Value::String("<absent>".into()));
            if &got != want {
                failures.push(format!("{}: {pointer} is {got}, expected {want}", c.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn status_codes_and_bodies() {
    let q = "/api/v2/admin/organizations";
    run(vec![
        case("admin list defaults to 20 per page", ADMIN, "GET", q, 200)
            .expect("/meta/pagination/page-size", json!(20))
            .expect("/meta/pagination/total-count", json!(30))
            .expect("/meta/pagination/total-pages", json!(2))
            .expect("/meta/pagination/next-page", json!(2))
            .expect("/meta/pagination/prev-page", Value::Null)
            .expect("/meta/status-counts", json!({"total": 30, "active": 27, "disabled": 3}))
            .expect("/links/next", json!("/api/v2/admin/organizations?page%5Bnumber%5D=2&page%5Bsize%5D=20")),
        case("page size capped at 100", ADMIN, "GET", "/api/v2/admin/organizations?page%5Bsize%5D=500", 200)
            .expect("/meta/pagination/page-size", json!(100))
            .expect("/meta/pagination/total-pages", json!(1)),
        case("middle page has both neighbours", ADMIN, "GET", "/api/v2/admin/organizations?page%5Bnumber%5D=2&page%5Bsize%5D=5", 200)
            .expect("/meta/pagination", json!({"current-page": 2, "page-size": 5, "prev-page": 1, "next-page": 3, "total-pages": 6, "total-count": 30}))
            .expect("/data/0/id", json!("an-org"))
            .expect("/links/last", json!("/api/v2/admin/organizations?page%5Bnumber%5D=6&page%5Bsize%5D=5")),
        case("q searches name and email", ADMIN, "GET", "/api/v2/admin/organizations?q=globex.example", 200)
            .expect("/meta/status-counts", json!({"total": 3, "active": 2, "disabled": 1})),
        case("q takes precedence over q[name]", ADMIN, "GET", "/api/v2/admin/organizations?q=hooli&q%5Bname%5D=zzz", 200)
            .expect("/meta/pagination/total-count", json!(2)),
        case("q[name] AND q[email]", ADMIN, "GET", "/api/v2/admin/organizations?q%5Bname%5D=acme&q%5Bemail%5D=payments", 200)
            .expect("/meta/pagination/total-count", json!(1))
            .expect("/data/0/id", json!("acme-payments")),
        case("search is case-insensitive", ADMIN, "GET", "/api/v2/admin/organizations?q%5Bname%5D=HOOLI", 200)
            .expect("/meta/pagination/total-count", json!(2)),
        case("filter module producers", ADMIN, "GET", "/api/v2/admin/organizations?filter%5Bmodule_producer%5D=true&page%5Bsize%5D=100", 200)
            .expect("/meta/pagination/total-count", json!(11)),
        case("filter non-producers", ADMIN, "GET", "/api/v2/admin/organizations?filter%5Bmodule_producer%5D=false", 200)
            .expect("/meta/pagination/total-count", json!(19)),
        case("include owners on admin list", ADMIN, "GET", "/api/v2/admin/organizations?q%5Bname%5D=hashicorp-two&include=owners", 200)
            .expect("/included/0/type", json!("users"))
            .expect("/included/0/id", json!("user-Owner000000000001"))
            .expect("/included/0/attributes/username", json!("alice")),
        case("admin show with owners", ADMIN, "GET", "/api/v2/admin/organizations/my-organization?include=owners", 200)
            .expect("/data/attributes/external-id", json!("org-XBiRp755dav5p3P2"))
            .expect("/data/relationships/owners/data/0/id", json!("user-hxTQDETqnJsi5VYP"))
            .expect("/included/0/attributes/username", json!("site-admin")),
        case("org list without page params: everything, no meta", ADMIN, "GET", "/api/v2/organizations", 200)
            .expect("/meta", json!("<absent>"))
            .expect("/data/29/id", json!("vandelay-imports")),
        case("org list with page params has meta", ADMIN, "GET", "/api/v2/organizations?page%5Bnumber%5D=1&page%5Bsize%5D=20", 200)
            .expect("/meta/pagination/total-count", json!(30)),
        case("member sees only their organizations", MEMBER, "GET", "/api/v2/organizations?page%5Bsize%5D=100", 200)
            .expect("/meta/pagination/total-count", json!(3)),
        case("include entitlement_set", OWNER, "GET", "/api/v2/organizations/hashicorp?include=entitlement_set", 200)
            .expect("/included/0/type", json!("entitlement-sets"))
            .expect("/included/0/id", json!("org-Hysjx5eUviuKVCJY"))
            .expect("/data/relationships/entitlement-set/data/id", json!("org-Hysjx5eUviuKVCJY")),
        case("entitlement set", MEMBER, "GET", "/api/v2/organizations/hashicorp/entitlement-set", 200)
            .expect("/data/type", json!("entitlement-sets"))
            .expect("/data/attributes/private-module-registry", json!(true)),
        case("module producers: specific and global", OWNER, "GET", "/api/v2/organizations/hashicorp/relationships/module-producers", 200)
            .expect("/meta/pagination/total-count", json!(4))
            .expect("/data/0/id", json!("hc-nomad"))
            .expect("/data/0/attributes/external-id", json!("org-ArQSQMAkFQsSUZjB")),
        case("module consumers list", ADMIN, "GET", "/api/v2/admin/organizations/acme-security/relationships/module-consumers", 200)
            .expect("/meta/pagination/total-count", json!(3))
            .expect("/data/0/attributes/notification-email", json!("payments@acme.io")),
        case("consumers are empty while sharing globally", ADMIN, "GET", "/api/v2/admin/organizations/platform-core/relationships/module-consumers", 200)
            .expect("/meta/pagination/total-count", json!(0)),
        case("create is 201 with defaults", OWNER, "POST", "/api/v2/organizations", 201)
            .body(json!({"data": {"type": "organizations", "attributes": {"name": "new-org", "email": "new@example.com"}}}))
            .expect("/data/id", json!("new-org"))
            .expect("/data/attributes/collaborator-auth-policy", json!("password"))
            .expect("/data/attributes/default-execution-mode", json!("remote"))
            .expect("/data/attributes/aggregated-commit-status-enabled", json!(true))
            .expect("/data/attributes/created-at", json!("2026-01-01T00:00:00.000Z")),
        case("update is 200", OWNER, "PATCH", "/api/v2/organizations/hashicorp", 200)
            .body(json!({"data": {"type": "organizations", "attributes": {"email": "admin@example.com"}}}))
            .expect("/data/attributes/email", json!("admin@example.com")),
        case("delete is 204", OWNER, "DELETE", "/api/v2/organizations/hashicorp", 204),
        case("admin update is 200", ADMIN, "PATCH", "/api/v2/admin/organizations/my-organization", 200)
            .body(json!({"data": {"type": "organizations", "attributes": {"global-module-sharing": true, "plan-timeout": "1h30m"}}}))
            .expect("/data/attributes/global-module-sharing", json!(true))
            .expect("/data/attributes/plan-timeout", json!("1h30m")),
        case("admin delete is 204", ADMIN, "DELETE", "/api/v2/admin/organizations/an-org", 204),
        case("module consumers update is 204", ADMIN, "PATCH", "/api/v2/admin/organizations/platform-core/relationships/module-consumers", 204)
            .body(json!({"data": [{"id": "an-org", "type": "organizations"}]})),
        case("module partnerships is 200 with the list", ADMIN, "PATCH", "/api/v2/admin/organizations/my-organization/module-consumers", 200)
            .body(json!({"data": {"type": "module-partnerships", "attributes": {"module-consuming-organization-ids": ["org-939hp5K7kecppVmd"]}}}))
            .expect("/data/0/type", json!("module-partnerships"))
            .expect("/data/0/attributes", json!({
                "consuming-organization-id": "org-939hp5K7kecppVmd", "consuming-organization-name": "other-organization",
                "producing-organization-id": "org-XBiRp755dav5p3P2", "producing-organization-name": "my-organization"})),
        case("data retention policy default", OWNER, "GET", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 200)
            .expect("/data/type", json!("data-retention-policy-dont-deletes")),
        case("data retention policy set is 201", OWNER, "POST", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 201)
            .body(json!({"data": {"type": "data-retention-policy-delete-olders", "attributes": {"delete-older-than-n-days": 30}}}))
            .expect("/data/attributes/delete-older-than-n-days", json!(30)),
        case("data retention policy delete is 204", OWNER, "DELETE", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 204),
    ]);
}

#[test]
fn errors() {
    let create = "/api/v2/organizations";
    let pointer = "/errors/0/source/pointer";
    run(vec![
        case("no token", ADMIN, "GET", create, 401).no_token().expect("/errors/0/status", json!("401")),
        case("unknown token", "nope", "GET", create, 401),
        case("member on admin list", MEMBER, "GET", "/api/v2/admin/organizations", 404).expect("/errors/0/status", json!("404")),
        case("owner on admin show", OWNER, "GET", "/api/v2/admin/organizations/hashicorp", 404),
        case("owner on admin consumers", OWNER, "PATCH", "/api/v2/admin/organizations/hashicorp/relationships/module-consumers", 404)
            .body(json!({"data": []})),
        case("unknown organization", ADMIN, "GET", "/api/v2/organizations/no-such-org", 404),
        case("unknown admin organization", ADMIN, "GET", "/api/v2/admin/organizations/no-such-org", 404),
        case("not a member", MEMBER, "GET", "/api/v2/organizations/platform-core", 404),
        case("member cannot update", MEMBER, "PATCH", "/api/v2/organizations/hashicorp", 404)
            .body(json!({"data": {"type": "organizations", "attributes": {"email": "x@example.com"}}})),
        case("member cannot delete", MEMBER, "DELETE", "/api/v2/organizations/hashicorp", 404),
        case("wrong type", OWNER, "POST", create, 422)
            .body(json!({"data": {"type": "workspaces", "attributes": {"name": "x", "email": "x@example.com"}}}))
            .expect(pointer, json!("/data/type")),
        // TFE takes a body without `type` (JSON:API clients such as go-tfe may leave it empty)
        // and reads a body without `attributes` as one that sets nothing: here, no name.
        case("missing type", OWNER, "POST", create, 201)
            .body(json!({"data": {"attributes": {"name": "x", "email": "x@example.com"}}}))
            .expect("/data/attributes/name", json!("x")),
        case("missing attributes", OWNER, "POST", create, 422)
            .body(json!({"data": {"type": "organizations"}}))
            .expect(pointer, json!("/data/attributes/name")),
        case("missing data", OWNER, "POST", create, 422).body(json!({})).expect(pointer, json!("/data")),
        case("missing name", OWNER, "POST", create, 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"email": "x@example.com"}}}))
            .expect(pointer, json!("/data/attributes/name")),
        case("wrong JSON type", OWNER, "POST", create, 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"name": 5, "email": "x@example.com"}}}))
            .expect(pointer, json!("/data/attributes/name")),
        case("bool as string", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp", 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"is-disabled": "yes"}}}))
            .expect(pointer, json!("/data/attributes/is-disabled")),
        case("invalid duration", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp", 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"plan-timeout": "2d"}}}))
            .expect(pointer, json!("/data/attributes/plan-timeout")),
        case("cross-field rule", OWNER, "PATCH", "/api/v2/organizations/hashicorp", 422)
            .body(json!({"data": {"type": "organizations", "attributes": {
                "aggregated-commit-status-enabled": true, "send-passing-statuses-for-untriggered-speculative-plans": true}}}))
            .expect(pointer, json!("/data/attributes/aggregated-commit-status-enabled")),
        case("duplicate name, other case", OWNER, "POST", create, 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"name": "HashiCorp", "email": "x@example.com"}}}))
            .expect(pointer, json!("/data/attributes/name")),
        case("rename onto an existing name", OWNER, "PATCH", "/api/v2/organizations/hashicorp", 422)
            .body(json!({"data": {"type": "organizations", "attributes": {"name": "AN-ORG"}}}))
            .expect(pointer, json!("/data/attributes/name")),
        case("unknown consumer", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp/relationships/module-consumers", 422)
            .body(json!({"data": [{"id": "an-org", "type": "organizations"}, {"id": "ghost", "type": "organizations"}]}))
            .expect(pointer, json!("/data/1/id")),
        case("consumer of the wrong type", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp/relationships/module-consumers", 422)
            .body(json!({"data": [{"id": "an-org", "type": "users"}]}))
            .expect(pointer, json!("/data/0/type")),
        case("unknown partnership consumer", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp/module-consumers", 422)
            .body(json!({"data": {"type": "module-partnerships", "attributes": {"module-consuming-organization-ids": ["org-doesNotExist1234"]}}}))
            .expect(pointer, json!("/data/attributes/module-consuming-organization-ids/0")),
        case("partnership with a name, not an external id", ADMIN, "PATCH", "/api/v2/admin/organizations/hashicorp/module-consumers", 422)
            .body(json!({"data": {"type": "module-partnerships", "attributes": {"module-consuming-organization-ids": ["an-org"]}}}))
            .expect(pointer, json!("/data/attributes/module-consuming-organization-ids/0")),
        case("retention of zero days", OWNER, "POST", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 422)
            .body(json!({"data": {"type": "data-retention-policy-delete-olders", "attributes": {"delete-older-than-n-days": 0}}}))
            .expect(pointer, json!("/data/attributes/delete-older-than-n-days")),
        case("malformed JSON", OWNER, "POST", create, 422).body(Value::String("{not json".into())),
    ]);
}

#[test]
fn sharing_is_exclusive_and_follows_renames_and_deletes() {
    let mut sb = Sandbox::seeded();
    let consumers = "/api/v2/admin/organizations/acme-networking/relationships/module-consumers";
    let (_, before) = call(&mut sb, Some(ADMIN), "GET", consumers, &Value::Null);
    assert_eq!(ids(&before), ["acme-payments", "acme-data"]);

    let global = json!({"data": {"type": "organizations", "attributes": {"global-module-sharing": true}}});
    call(&mut sb, Some(ADMIN), "PATCH", "/api/v2/admin/organizations/acme-networking", &global);
    let (_, after) = call(&mut sb, Some(ADMIN), "GET", consumers, &Value::Null);
    assert!(ids(&after).is_empty(), "global sharing clears specific consumers");

    let specific = json!({"data": [{"id": "initech-ml", "type": "organizations"}]});
    assert_eq!(call(&mut sb, Some(ADMIN), "PATCH", consumers, &specific).0, 204);
    let (_, org) = call(&mut sb, Some(ADMIN), "GET", "/api/v2/admin/organizations/acme-networking", &Value::Null);
    assert_eq!(org["data"]["attributes"]["global-module-sharing"], json!(false), "consumers turn global sharing off");
    assert_eq!(ids(&call(&mut sb, Some(ADMIN), "GET", consumers, &Value::Null).1), ["initech-ml"]);

    // Renaming a consumer keeps it a consumer, under its new name.
    let rename = json!({"data": {"type": "organizations", "attributes": {"name": "initech-ai"}}});
    assert_eq!(call(&mut sb, Some(ADMIN), "PATCH", "/api/v2/organizations/initech-ml", &rename).0, 200);
    assert_eq!(ids(&call(&mut sb, Some(ADMIN), "GET", consumers, &Value::Null).1), ["initech-ai"]);
    assert_eq!(call(&mut sb, Some(ADMIN), "GET", "/api/v2/organizations/initech-ml", &Value::Null).0, 404);

    // Deleting it removes it from every sharing relation.
    assert_eq!(call(&mut sb, Some(ADMIN), "DELETE", "/api/v2/admin/organizations/initech-ai", &Value::Null).0, 204);
    assert!(ids(&call(&mut sb, Some(ADMIN), "GET", consumers, &Value::Null).1).is_empty());
    assert!(sb.state.orgs.iter().all(|o| o.consumers.iter().all(|c| c != "initech-ai")));
}

#[test]
fn create_assigns_an_external_id_and_makes_the_creator_owner() {
    let mut sb = Sandbox::seeded();
    let body =
        json!({"data": {"type": "organizations", "attributes": {"name": "fresh", "email": "fresh@example.com"}}});
    let (status, created) = call(&mut sb, Some(MEMBER), "POST", "/api/v2/organizations", &body);
    assert_eq!(status, 201);
    let external = created["data"]["attributes"]["external-id"].as_str().unwrap();
    assert!(
        external.starts_with("org-")
            && external.len() == 20
            && external[4..].chars().all(|c| c.is_ascii_alphanumeric())
    );
    let (status, _) = call(
        &mut sb,
        Some(MEMBER),
        "PATCH",
        "/api/v2/organizations/FRESH",
        &json!({"data": {"type": "organizations", "attributes": {"session-timeout": 60}}}),
    );
    assert_eq!(status, 200, "the creator owns it, and names are case-insensitive");
    let ids: std::collections::BTreeSet<_> = sb.state.orgs.iter().map(|o| o.external_id().to_string()).collect();
    assert_eq!(ids.len(), sb.state.orgs.len(), "external ids are unique");
}

#[test]
fn seed_names_every_organization_in_the_spec_samples() {
    let sb = Sandbox::seeded();
    for name in
        ["hashicorp", "hashicorp-two", "hc-nomad", "my-organization", "other-organization", "an-org", "another-org"]
    {
        assert!(sb.state.org(name).is_some(), "{name} is seeded");
    }
    assert_eq!(sb.state.org("hashicorp").unwrap().external_id(), "org-Hysjx5eUviuKVCJY");
    assert_eq!(sb.state.org("other-organization").unwrap().external_id(), "org-939hp5K7kecppVmd");
    assert_eq!(sb.state.orgs.len(), 30);
    let mut generated = sb.state.clone();
    generated.generate(1000);
    assert_eq!(generated.orgs.len(), 1030);
}

#[test]
fn generated_organizations_never_share_globally_and_with_a_list() {
    let mut state = Sandbox::seeded().state;
    state.generate(5000);
    let both: Vec<&str> = state
        .orgs
        .iter()
        .filter(|o| o.shares_modules_globally() && !o.consumers.is_empty())
        .map(|o| o.name())
        .collect();
    assert!(both.is_empty(), "global sharing and consumers at once: {both:?}");
    assert!(state.orgs.iter().any(|o| o.shares_modules_globally()), "some share globally");
    assert!(state.orgs.iter().any(|o| !o.consumers.is_empty()), "some share with a list");
}

/// What the spec says beyond a single request body: disabled organizations, read-only and
/// stored-value rules, permissions by role, includes.
#[test]
fn spec_fidelity() {
    let org = |attributes: Value| json!({"data": {"type": "organizations", "attributes": attributes}});
    let one = "/api/v2/organizations/hashicorp";
    run(vec![
        case("a disabled organization is hidden from its owner", OWNER, "GET", "/api/v2/organizations/acme-legacy", 404),
        case("… and left out of their list", OWNER, "GET", "/api/v2/organizations?q=acme-legacy&page%5Bsize%5D=20", 200)
            .expect("/meta/pagination/total-count", json!(0)),
        case("… and not writable by them", OWNER, "PATCH", "/api/v2/organizations/acme-legacy", 404)
            .body(org(json!({"email": "x@example.com"}))),
        case("site admins still read it", ADMIN, "GET", "/api/v2/admin/organizations/acme-legacy", 200)
            .expect("/data/attributes/is-disabled", json!(true)),
        case("send-passing-statuses… cannot be set true", ADMIN, "POST", "/api/v2/organizations", 422)
            .body(org(json!({"name": "ro", "email": "ro@example.com", "send-passing-statuses-for-untriggered-speculative-plans": true})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/send-passing-statuses-for-untriggered-speculative-plans")),
        case("… nor on update", OWNER, "PATCH", one, 422)
            .body(org(json!({"send-passing-statuses-for-untriggered-speculative-plans": true})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/send-passing-statuses-for-untriggered-speculative-plans")),
        case("agent execution needs a pool, given or stored", OWNER, "PATCH", one, 422)
            .body(org(json!({"default-execution-mode": "agent"})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/default-agent-pool-id")),
        case("owners may do everything", OWNER, "GET", one, 200)
            .expect("/data/attributes/permissions/can-update", json!(true))
            .expect("/data/attributes/permissions/can-destroy", json!(true)),
        case("members only read", MEMBER, "GET", one, 200)
            .expect("/data/attributes/permissions/can-update", json!(false))
            .expect("/data/attributes/permissions/can-destroy", json!(false))
            .expect("/data/attributes/permissions/can-access-via-teams", json!(true)),
        case("include=entitlement_set on the list", ADMIN, "GET", "/api/v2/organizations?q=hashicorp-two&include=entitlement_set&page%5Bsize%5D=5", 200)
            .expect("/included/0/type", json!("entitlement-sets")),
        case("include values are trimmed", ADMIN, "GET", "/api/v2/organizations/hashicorp?include=%20entitlement_set%20", 200)
            .expect("/included/0/type", json!("entitlement-sets")),
        case("include=entitlement_set on create", ADMIN, "POST", "/api/v2/organizations?include=entitlement_set", 201)
            .body(org(json!({"name": "with-set", "email": "s@example.com"})))
            .expect("/included/0/type", json!("entitlement-sets")),
        case("an unknown include is refused", ADMIN, "GET", "/api/v2/organizations/hashicorp?include=owners", 400)
            .expect("/errors/0/source/parameter", json!("include")),
        case("… on the admin API too", ADMIN, "GET", "/api/v2/admin/organizations?include=entitlement_set", 400)
            .expect("/errors/0/source/parameter", json!("include")),
    ]);
}

#[test]
fn rules_on_stored_values_and_partnership_ids() {
    // aggregated-commit-status-enabled cannot be true while the stored send-passing… is (a state
    // the API itself no longer lets anyone reach, loaded as it could exist in TFE).
    let mut sandbox = Sandbox::seeded();
    let index = sandbox.state.org_index("hashicorp").unwrap();
    sandbox.state.orgs[index].attributes.send_passing_statuses_for_untriggered_speculative_plans = Some(true);
    let body = json!({"data": {"type": "organizations", "attributes": {"aggregated-commit-status-enabled": true}}});
    let (status, answer) = call(&mut sandbox, Some(OWNER), "PATCH", "/api/v2/organizations/hashicorp", &body);
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["errors"][0]["source"]["pointer"], "/data/attributes/aggregated-commit-status-enabled");

    // Two producers sharing with one consumer get different module-partnership ids.
    let consumer = sandbox.state.org("acme-data").unwrap().external_id().to_string();
    let share = json!({"data": {"type": "module-partnerships", "attributes": {"module-consuming-organization-ids": [consumer]}}});
    let mut ids = Vec::new();
    for producer in ["globex-apps", "umbrella-ops"] {
        let path = format!("/api/v2/admin/organizations/{producer}/module-consumers");
        let (status, answer) = call(&mut sandbox, Some(ADMIN), "PATCH", &path, &share);
        assert_eq!(status, 200, "{answer}");
        ids.push(answer["data"][0]["id"].as_str().unwrap().to_string());
    }
    assert_ne!(ids[0], ids[1], "ids depend on the producer too");
    // …and are stable: the same PATCH answers the same id.
    let (_, again) =
        call(&mut sandbox, Some(ADMIN), "PATCH", "/api/v2/admin/organizations/umbrella-ops/module-consumers", &share);
    assert_eq!(again["data"][0]["id"], ids[1].as_str());
}

/// Every member of the spec sample is in the sandbox's answer, with the same kind of JSON value
/// (`null` in the sample matches anything: the value is instance-specific); arrays compare
/// their first items. Values themselves are not compared.
fn shaped_like(sample: &Value, ours: &Value, path: &str, problems: &mut Vec<String>) {
    match (sample, ours) {
        (Value::Null, _) => {}
        (Value::Object(s), Value::Object(o)) => {
            for (key, value) in s {
                match o.get(key) {
                    Some(mine) => shaped_like(value, mine, &format!("{path}/{key}"), problems),
                    None => problems.push(format!("{path}/{key} is missing")),
                }
            }
        }
        (Value::Array(s), Value::Array(o)) => match (s.first(), o.first()) {
            (Some(first), Some(mine)) => shaped_like(first, mine, &format!("{path}/0"), problems),
            (Some(_), None) => problems.push(format!("{path} is empty")),
            _ => {}
        },
        // A value the instance may leave unset.
        (_, Value::Null) => {}
        (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_)) => {}
        _ => problems.push(format!("{path}: {sample} in the sample, {ours} here")),
    }
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/../tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

/// The sandbox's answers against the spec samples, key by key: every endpoint that returns an
/// organization (show, list, create, update; admin show, list and update) and the sharing and
/// entitlement answers. Beyond the samples, the organization carries the relationships the
/// spec's table lists (`module-producers`, `data-retention-policy`, as TFE sends them).
#[test]
fn answers_are_shaped_like_the_spec_samples() {
    // The 2021 documents' samples: a release of that era (current ones renamed the timeouts).
    let mut sandbox = Sandbox { release: tfe_sandbox::Release::R202103, ..Sandbox::seeded() };
    let mut create = fixture("organizations/create-payload");
    create["data"]["attributes"]["name"] = json!("shape-check");
    let cases: Vec<(&str, &str, String, Value)> = vec![
        ("organizations/show", "GET", "/api/v2/organizations/hashicorp".into(), Value::Null),
        ("organizations/list", "GET", "/api/v2/organizations?page%5Bnumber%5D=1&page%5Bsize%5D=20".into(), Value::Null),
        ("organizations/create", "POST", "/api/v2/organizations".into(), create),
        (
            "organizations/update",
            "PATCH",
            "/api/v2/organizations/hashicorp".into(),
            fixture("organizations/update-payload"),
        ),
        ("organizations/entitlement-set", "GET", "/api/v2/organizations/hashicorp/entitlement-set".into(), Value::Null),
        (
            "organizations/module-producers",
            "GET",
            "/api/v2/organizations/hashicorp/relationships/module-producers".into(),
            Value::Null,
        ),
        ("admin-organizations/show", "GET", "/api/v2/admin/organizations/my-organization".into(), Value::Null),
        ("admin-organizations/list", "GET", "/api/v2/admin/organizations".into(), Value::Null),
        (
            "admin-organizations/update",
            "PATCH",
            "/api/v2/admin/organizations/my-organization".into(),
            fixture("admin-organizations/update-payload"),
        ),
        (
            "admin-module-sharing/module-partnerships",
            "PATCH",
            "/api/v2/admin/organizations/my-organization/module-consumers".into(),
            fixture("admin-module-sharing/module-partnerships-payload"),
        ),
        (
            "admin-organizations/module-consumers",
            "GET",
            "/api/v2/admin/organizations/my-organization/relationships/module-consumers".into(),
            Value::Null,
        ),
    ];
    let mut problems = Vec::new();
    for (name, method, path, body) in &cases {
        let (status, ours) = call(&mut sandbox, Some(ADMIN), method, path, body);
        assert!((200..300).contains(&status), "{name}: {status} {ours}");
        shaped_like(&fixture(name), &ours, name, &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // current-tfe.md's samples, against a current release.
    let mut current = Sandbox::seeded();
    let cases = [
        ("current-tfe/admin-show", "/api/v2/admin/organizations/my-organization"),
        ("current-tfe/organization-show", "/api/v2/organizations/hashicorp"),
        ("current-tfe/general-settings", "/api/v2/admin/general-settings"),
    ];
    for (name, path) in cases {
        let (status, ours) = call(&mut current, Some(ADMIN), "GET", path, &Value::Null);
        assert_eq!(status, 200, "{name}: {ours}");
        shaped_like(&fixture(name), &ours, name, &mut problems);
    }
    let old_names = ["terraform-build-worker-apply-timeout", "terraform-build-worker-plan-timeout"];
    let (_, admin) =
        call(&mut current, Some(ADMIN), "GET", "/api/v2/admin/organizations/my-organization", &Value::Null);
    assert!(old_names.iter().all(|k| admin["data"]["attributes"].get(k).is_none()), "only the new names: {admin}");
    assert!(problems.is_empty(), "{problems:#?}");

    // The relationships the spec's table lists, on every answer that holds an organization.
    for path in ["/api/v2/organizations/hashicorp", "/api/v2/organizations"] {
        let (_, ours) = call(&mut sandbox, Some(ADMIN), "GET", path, &Value::Null);
        let org = if ours["data"].is_array() { ours["data"][0].clone() } else { ours["data"].clone() };
        let name = org["id"].as_str().unwrap();
        let r = &org["relationships"];
        assert_eq!(
            r["module-producers"]["links"]["related"],
            json!(format!("/api/v2/organizations/{name}/relationships/module-producers"))
        );
        assert_eq!(
            r["data-retention-policy"]["links"]["related"],
            json!(format!("/api/v2/organizations/{name}/relationships/data-retention-policy"))
        );
        assert!(r["data-retention-policy"]["data"].is_null(), "{path}: no policy set yet");
        assert_eq!(r["entitlement-set"]["data"]["type"], json!("entitlement-sets"));
    }
    let policy = json!({"data": {"type": "data-retention-policy-delete-olders", "attributes": {"delete-older-than-n-days": 30}}});
    let (status, set) = call(
        &mut sandbox,
        Some(ADMIN),
        "POST",
        "/api/v2/organizations/hashicorp/relationships/data-retention-policy",
        &policy,
    );
    assert_eq!(status, 201);
    let (_, org) = call(&mut sandbox, Some(ADMIN), "GET", "/api/v2/organizations/hashicorp", &Value::Null);
    assert_eq!(
        org["data"]["relationships"]["data-retention-policy"]["data"],
        json!({"id": set["data"]["id"], "type": "data-retention-policy-delete-olders"})
    );
}

/// Registry sharing of newer releases (registry-sharing.md): registry-partnerships in both key
/// spellings, provider consumers, the provider producer filter, exclusivity with the global
/// flags, 404/422 with pointers, and lists that follow renames and deletes.
#[test]
fn registry_sharing_as_newer_releases_document_it() {
    let put = |names: Value| json!({"data": {"type": "registry-partnerships", "attributes": names}});
    let partnerships = "/api/v2/admin/organizations/acme-security/registry-partnerships";
    run(vec![
        case("both lists", ADMIN, "PUT", partnerships, 204)
            .body(put(json!({"module_consumers": ["acme-data"], "provider_consumers": ["acme-data"]}))),
        case("the table's spelling", ADMIN, "PUT", partnerships, 204)
            .body(put(json!({"provider-consumers": ["hashicorp"]}))),
        case("an unknown consumer, pointed at", ADMIN, "PUT", partnerships, 422)
            .body(put(json!({"module_consumers": ["acme-data", "no-such-org"]})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/module_consumers/1")),
        case("an unknown consumer in the table's spelling", ADMIN, "PUT", partnerships, 422)
            .body(put(json!({"provider-consumers": ["no-such-org"]})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/provider-consumers/0")),
        case("a name that cannot be one", ADMIN, "PUT", partnerships, 422)
            .body(put(json!({"provider_consumers": ["Not A Name!"]})))
            .expect("/errors/0/source/pointer", json!("/data/attributes/provider_consumers/0")),
        case("not a list", ADMIN, "PUT", partnerships, 422).body(put(json!({"module_consumers": "acme-data"}))),
        case("non-admins get 404", OWNER, "PUT", partnerships, 404).body(put(json!({"module_consumers": []}))),
        case("an unknown producer", ADMIN, "PUT", "/api/v2/admin/organizations/no-such-org/registry-partnerships", 404)
            .body(put(json!({"module_consumers": []}))),
        case(
            "provider consumers, paginated",
            ADMIN,
            "GET",
            "/api/v2/admin/organizations/acme-networking/relationships/provider-consumers",
            200,
        )
        .expect("/meta/pagination/total-count", json!(2))
        .expect("/data/0/attributes/name", json!("acme-data")),
        case(
            "empty while sharing globally",
            ADMIN,
            "GET",
            "/api/v2/admin/organizations/platform-core/relationships/provider-consumers",
            200,
        )
        .expect("/meta/pagination/total-count", json!(0)),
        case(
            "non-admins cannot list them",
            MEMBER,
            "GET",
            "/api/v2/admin/organizations/acme-networking/relationships/provider-consumers",
            404,
        ),
        case(
            "provider producers filter",
            ADMIN,
            "GET",
            "/api/v2/admin/organizations?filter%5Bprovider_producer%5D=true",
            200,
        )
        .expect("/meta/pagination/total-count", json!(3)),
        case(
            "both filters AND",
            ADMIN,
            "GET",
            "/api/v2/admin/organizations?filter%5Bprovider_producer%5D=true&filter%5Bmodule_producer%5D=false",
            200,
        )
        .expect("/meta/pagination/total-count", json!(0)),
        case(
            "the admin organization shows the provider flag",
            ADMIN,
            "GET",
            "/api/v2/admin/organizations/platform-core",
            200,
        )
        .expect("/data/attributes/global-provider-sharing", json!(true)),
    ]);

    let mut sb = Sandbox::seeded();
    let providers = |sb: &mut Sandbox, org: &str| {
        ids(&call(
            sb,
            Some(ADMIN),
            "GET",
            &format!("/api/v2/admin/organizations/{org}/relationships/provider-consumers"),
            &Value::Null,
        )
        .1)
    };
    let modules = |sb: &mut Sandbox, org: &str| {
        ids(&call(
            sb,
            Some(ADMIN),
            "GET",
            &format!("/api/v2/admin/organizations/{org}/relationships/module-consumers"),
            &Value::Null,
        )
        .1)
    };
    let admin = |sb: &mut Sandbox, org: &str| {
        call(sb, Some(ADMIN), "GET", &format!("/api/v2/admin/organizations/{org}"), &Value::Null).1
    };
    // A list turns global sharing off; an absent key leaves its list.
    let before = modules(&mut sb, "platform-core");
    let body = put(json!({"provider_consumers": ["acme-data", "hashicorp"]}));
    assert_eq!(
        call(&mut sb, Some(ADMIN), "PUT", "/api/v2/admin/organizations/platform-core/registry-partnerships", &body).0,
        204
    );
    assert_eq!(providers(&mut sb, "platform-core"), ["acme-data", "hashicorp"]);
    assert_eq!(admin(&mut sb, "platform-core")["data"]["attributes"]["global-provider-sharing"], json!(false));
    assert_eq!(modules(&mut sb, "platform-core"), before, "module consumers untouched");
    // Global provider sharing clears the list; the sudo flag is an admin setting too.
    let global = json!({"data": {"type": "organizations", "attributes": {"global-provider-sharing": true, "terraform-worker-sudo-enabled": true}}});
    assert_eq!(call(&mut sb, Some(ADMIN), "PATCH", "/api/v2/admin/organizations/platform-core", &global).0, 200);
    assert!(providers(&mut sb, "platform-core").is_empty());
    assert_eq!(admin(&mut sb, "platform-core")["data"]["attributes"]["terraform-worker-sudo-enabled"], json!(true));
    // An empty list shares with nobody.
    let nobody = put(json!({"provider_consumers": []}));
    assert_eq!(
        call(&mut sb, Some(ADMIN), "PUT", "/api/v2/admin/organizations/platform-core/registry-partnerships", &nobody).0,
        204
    );
    assert_eq!(admin(&mut sb, "platform-core")["data"]["attributes"]["global-provider-sharing"], json!(false));
    // Renames and deletes follow provider consumers too.
    let rename = json!({"data": {"type": "organizations", "attributes": {"name": "acme-data-2"}}});
    assert_eq!(call(&mut sb, Some(ADMIN), "PATCH", "/api/v2/organizations/acme-data", &rename).0, 200);
    assert_eq!(providers(&mut sb, "acme-networking"), ["acme-data-2", "acme-payments"]);
    assert_eq!(call(&mut sb, Some(ADMIN), "DELETE", "/api/v2/admin/organizations/acme-payments", &Value::Null).0, 204);
    assert_eq!(providers(&mut sb, "acme-networking"), ["acme-data-2"]);
}

/// Every writable attribute of the organization and admin bodies is stored, echoed and merged
/// (create, `PATCH`, `GET`), as the model declares them.
#[test]
fn every_writable_attribute_is_stored_and_read_back() {
    let mut sandbox = Sandbox::seeded();
    walk::walk(&mut |method, path, body| call(&mut sandbox, Some(ADMIN), method, path, &body.unwrap_or(Value::Null)));
}

/// Bodies exactly as HashiCorp's go-tfe (v1.110.0, under the Terraform provider) sends them,
/// which TFE accepts: the admin update with an empty `type`, the "don't delete" retention policy
/// without `attributes`, and a read with `include=default-project`.
#[test]
fn takes_what_go_tfe_sends() {
    let admin = "/api/v2/admin/organizations/hashicorp";
    run(vec![
        // go-tfe's AdminOrganizationUpdateOptions carries no primary tag: `type` is "".
        case("go-tfe Admin.Organizations.Update", ADMIN, "PATCH", admin, 200)
            .body(json!({"data": {"type": "", "attributes": {"access-beta-tools": true, "is-disabled": false, "global-module-sharing": false}}}))
            .expect("/data/attributes/access-beta-tools", json!(true))
            .expect("/data/type", json!("organizations")),
        case("go-tfe SetDataRetentionPolicyDontDelete", OWNER, "POST", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 201)
            .body(json!({"data": {"type": "data-retention-policy-dont-deletes"}}))
            .expect("/data/type", json!("data-retention-policy-dont-deletes")),
        case("go-tfe ReadWithOptions include=default-project", OWNER, "GET", "/api/v2/organizations/hashicorp?include=default-project", 200)
            .expect("/included/0/type", json!("projects"))
            .expect("/included/0/attributes/name", json!("Default Project"))
            .expect("/included/0/relationships/organization/data/id", json!("hashicorp"))
            .expect("/data/relationships/default-project/data/type", json!("projects")),
        case("both includes", OWNER, "GET", "/api/v2/organizations?page[size]=2&include=entitlement_set,default-project", 200)
            .expect("/included/1/type", json!("projects"))
            .expect("/included/3/type", json!("projects")),
        // What stays refused: a type that is not the endpoint's, a policy of no known type.
        case("a wrong type is still refused", ADMIN, "PATCH", admin, 422)
            .body(json!({"data": {"type": "workspaces", "attributes": {"access-beta-tools": true}}}))
            .expect("/errors/0/source/pointer", json!("/data/type")),
        case("a policy of no type", OWNER, "POST", "/api/v2/organizations/hashicorp/relationships/data-retention-policy", 422)
            .body(json!({"data": {}})),
    ]);
    // The id the relationship names is the included project's.
    let mut sandbox = Sandbox::seeded();
    let (_, body) =
        call(&mut sandbox, Some(OWNER), "GET", "/api/v2/organizations/hashicorp?include=default-project", &Value::Null);
    assert_eq!(body["data"]["relationships"]["default-project"]["data"]["id"], body["included"][0]["id"]);
    // Older releases have no default project: the include is refused there, as any unknown one.
    let mut older = Sandbox::seeded();
    older.release = tfe_sandbox::Release::R202103;
    let (status, _) =
        call(&mut older, Some(OWNER), "GET", "/api/v2/organizations/hashicorp?include=default-project", &Value::Null);
    assert_eq!(status, 400);
}
