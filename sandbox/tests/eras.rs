//! The client against each release the sandbox emulates (current-tfe.md): one timeout of each
//! kind whatever the names, written under the names the organization's answers use; the module
//! consumer call the instance has; the release, features and general settings; the limiter
//! following the instance's rate limit. And the sandbox's eras themselves, raw.

use futures_executor::block_on;
use serde_json::{json, Value};
use tfe_orgs::client::SharingApi;
use tfe_orgs::model::*;
use tfe_orgs::{Client, ListOptions};
use tfe_sandbox::in_process::InProcess;
use tfe_sandbox::{Release, Request, Sandbox};

const ADMIN: &str = "sandbox-admin-token";

fn sandbox(release: Release) -> Sandbox {
    Sandbox { release, ..Sandbox::seeded() }
}

fn client(release: Release) -> Client<InProcess> {
    Client::new("https://tfe.example.com", ADMIN, InProcess::new(sandbox(release))).unwrap()
}

fn last_body(c: &Client<InProcess>) -> Value {
    serde_json::from_str(c.transport().last_request().body.as_deref().unwrap_or("null")).unwrap()
}

fn raw(s: &mut Sandbox, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = Request::new(method, &format!("/api/v2{path}")).token(ADMIN);
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    let response = s.handle(&request);
    (response.status, serde_json::from_str(&response.body).unwrap_or(Value::Null))
}

#[test]
fn the_instance_says_its_release_features_and_settings() {
    let expected = [
        (Release::R202012, "v202012-1", false, false, SharingApi::ModulePartnerships),
        (Release::R202103, "v202103-1", false, false, SharingApi::Relationships),
        (Release::R202301, "v202301-1", false, true, SharingApi::RegistryPartnerships),
        (Release::Current, "v202507-1", true, true, SharingApi::RegistryPartnerships),
    ];
    for (release, version, current_names, providers, api) in expected {
        let c = client(release);
        let info = block_on(c.instance()).unwrap();
        assert_eq!(info.release.as_deref(), Some(version), "{release:?}");
        assert_eq!(info.api_version.as_deref(), Some("2.6"));
        assert_eq!(info.features.current_timeout_names, Some(current_names), "{release:?}");
        assert_eq!(info.features.provider_sharing, Some(providers), "{release:?}");
        assert_eq!(info.features.sharing_api, Some(api), "{release:?}");
        let settings = info.general_settings.expect("a site admin reads the general settings");
        assert_eq!((settings.plan_timeout.as_deref(), settings.apply_timeout.as_deref()), (Some("2h"), Some("24h")));
        assert_eq!(settings.api_rate_limit, (release == Release::Current).then_some(30), "{release:?}");
        // Learned once: a second write probes nothing.
        let before = c.transport().request_count();
        block_on(c.sharing_api("hashicorp")).unwrap();
        assert_eq!(c.transport().request_count(), before);
    }
    // Not a site admin: no settings, no admin features, still the release.
    let member =
        Client::new("https://tfe.example.com", "sandbox-member-token", InProcess::new(sandbox(Release::R202103)));
    let info = block_on(member.unwrap().instance()).unwrap();
    assert_eq!(
        (info.release.as_deref(), info.general_settings, info.features.sharing_api),
        (Some("v202103-1"), None, None)
    );
}

#[test]
fn a_timeout_is_one_value_read_and_written_under_the_organizations_names() {
    for release in Release::ALL {
        let c = client(release);
        let old = release < Release::Current;
        let (apply, plan) = if old {
            ("terraform-build-worker-apply-timeout", "terraform-build-worker-plan-timeout")
        } else {
            ("apply-timeout", "plan-timeout")
        };
        block_on(async {
            let org = c.admin_read("hashicorp").await.unwrap();
            assert_eq!(org.attributes.spelling, if old { Spelling::Deprecated } else { Spelling::Current });
            let body = AdminOrganizationUpdate { plan_timeout: Some(Some("90m".into())), ..Default::default() };
            let updated = c.admin_update("hashicorp", &body).await.unwrap();
            assert_eq!(last_body(&c)["data"]["attributes"], json!({ plan: "90m" }), "{release:?}");
            assert_eq!(updated.attributes.plan_timeout.as_deref(), Some("90m"), "{release:?}: read back, not null");
            // Back to the instance default, under the same name.
            let body = AdminOrganizationUpdate { apply_timeout: Some(None), ..Default::default() };
            c.admin_update("hashicorp", &body).await.unwrap();
            assert_eq!(last_body(&c)["data"]["attributes"], json!({ apply: null }), "{release:?}");
        });
        // A client that has not read the organization reads it once before writing a timeout.
        let fresh = client(release);
        let body = AdminOrganizationUpdate { plan_timeout: Some(Some("2h".into())), ..Default::default() };
        block_on(fresh.admin_update("acme-data", &body)).unwrap();
        let requests = fresh.transport().requests.borrow().iter().map(|r| r.method).collect::<Vec<_>>();
        assert_eq!(requests, ["GET", "PATCH"], "{release:?}");
        assert_eq!(last_body(&fresh)["data"]["attributes"], json!({ plan: "2h" }), "{release:?}");
        // A write without a timeout reads nothing first.
        let fresh = client(release);
        let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
        block_on(fresh.admin_update("acme-data", &body)).unwrap();
        assert_eq!(fresh.transport().request_count(), 1);
    }
}

#[test]
fn module_consumers_go_through_the_call_the_release_has() {
    let expected = [
        (Release::R202012, "PATCH", "/admin/organizations/platform-core/module-consumers"),
        (Release::R202103, "PATCH", "/admin/organizations/platform-core/relationships/module-consumers"),
        (Release::R202301, "PUT", "/admin/organizations/platform-core/registry-partnerships"),
        (Release::Current, "PUT", "/admin/organizations/platform-core/registry-partnerships"),
    ];
    for (release, method, path) in expected {
        let c = client(release);
        block_on(c.write_module_consumers("platform-core", &["acme-data".into(), "hashicorp".into()])).unwrap();
        let last = c.transport().last_request();
        assert_eq!((last.method, last.url.split("/api/v2").nth(1).unwrap()), (method, path), "{release:?}");
        let consumers = c.transport().sandbox.borrow().state.org("platform-core").unwrap().consumers.clone();
        assert_eq!(consumers, ["acme-data", "hashicorp"], "{release:?}");
        if release == Release::R202012 {
            // By external id, each read once.
            let ids = &last_body(&c)["data"]["attributes"]["module-consuming-organization-ids"];
            assert_eq!(ids.as_array().unwrap().len(), 2);
            assert!(ids.as_array().unwrap().iter().all(|id| id.as_str().unwrap().starts_with("org-")));
        }
    }
    // A name that is not an organization name is refused before the probe or any write.
    let c = client(Release::R202103);
    let e = block_on(c.write_module_consumers("platform-core", &["Not A Name!".into()])).unwrap_err();
    assert_eq!((e.kind, c.transport().request_count()), (tfe_orgs::ErrorKind::Validation, 0));
}

#[test]
fn the_limiter_spends_what_the_instance_allows() {
    let c = Client::new(
        "https://tfe.example.com",
        ADMIN,
        InProcess::new(Sandbox { api_rate_limit: Some(100), ..Sandbox::seeded() }),
    )
    .unwrap();
    assert_eq!(c.rate_limit(), 30.0, "30 until the instance says");
    block_on(c.list(&ListOptions::default())).unwrap();
    assert_eq!(c.rate_limit(), 100.0, "X-RateLimit-Limit");
    let info = block_on(c.instance()).unwrap();
    assert_eq!((info.rate_limit, info.general_settings.unwrap().api_rate_limit), (100.0, Some(100)));
    // A fixed budget stays fixed.
    let options =
        tfe_orgs::ClientOptions { requests_per_second: 10.0, follow_instance_rate: false, ..Default::default() };
    let fixed = Client::with_options(
        "https://tfe.example.com",
        ADMIN,
        InProcess::new(Sandbox { api_rate_limit: Some(100), ..Sandbox::seeded() }),
        options,
    )
    .unwrap();
    block_on(fixed.instance()).unwrap();
    assert_eq!(fixed.rate_limit(), 10.0);
}

#[test]
fn older_releases_answer_and_refuse_as_they_did() {
    let mut s = sandbox(Release::R202103);
    let (_, org) = raw(&mut s, "GET", "/admin/organizations/hashicorp", None);
    let attributes = org["data"]["attributes"].as_object().unwrap();
    for absent in ["apply-timeout", "plan-timeout", "workspace-limit", "global-provider-sharing"] {
        assert!(!attributes.contains_key(absent), "202103 has no {absent}");
    }
    assert!(attributes.contains_key("terraform-build-worker-plan-timeout"));
    let (_, org) = raw(&mut s, "GET", "/organizations/hashicorp", None);
    for absent in ["speculative-plan-management-enabled", "module-consuming-organizations-count"] {
        assert!(!org["data"]["attributes"].as_object().unwrap().contains_key(absent), "202103 has no {absent}");
    }
    // Endpoints it lacks are 404.
    assert_eq!(raw(&mut s, "GET", "/admin/organizations/hashicorp/relationships/provider-consumers", None).0, 404);
    let body = json!({"data": {"type": "registry-partnerships", "attributes": {"module_consumers": []}}});
    assert_eq!(raw(&mut s, "PUT", "/admin/organizations/hashicorp/registry-partnerships", Some(body)).0, 404);
    // A write naming what it does not know: 422, naming the attribute.
    for key in ["workspace-limit", "apply-timeout"] {
        let body = json!({"data": {"type": "organizations", "attributes": {key: null}}});
        let (status, doc) = raw(&mut s, "PATCH", "/admin/organizations/hashicorp", Some(body));
        assert_eq!(status, 422, "{key}");
        assert_eq!(doc["errors"][0]["source"]["pointer"], format!("/data/attributes/{key}"));
    }
    // The module-consumers PATCH answers 200 here, 204 on current releases.
    let consumers = json!({"data": [{"id": "acme-data", "type": "organizations"}]});
    let path = "/admin/organizations/platform-core/relationships/module-consumers";
    assert_eq!(raw(&mut s, "PATCH", path, Some(consumers.clone())).0, 200);
    assert_eq!(raw(&mut sandbox(Release::Current), "PATCH", path, Some(consumers.clone())).0, 204);
    // 202012: no module-consumers relationship, and searches are ignored (every organization).
    let mut oldest = sandbox(Release::R202012);
    assert_eq!(raw(&mut oldest, "PATCH", path, Some(consumers)).0, 404);
    let (_, all) = raw(&mut oldest, "GET", "/admin/organizations?page%5Bsize%5D=100", None);
    let (_, searched) = raw(&mut oldest, "GET", "/admin/organizations?q%5Bname%5D=acme&page%5Bsize%5D=100", None);
    assert_eq!(all["meta"]["pagination"]["total-count"], searched["meta"]["pagination"]["total-count"]);
    // Current answers carry the counts the consumer lists give.
    let mut current = sandbox(Release::Current);
    let (_, org) = raw(&mut current, "GET", "/organizations/platform-core", None);
    let listed = current.state.org("platform-core").unwrap().consumers.len();
    assert_eq!(org["data"]["attributes"]["module-consuming-organizations-count"], json!(listed));
}
