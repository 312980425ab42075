//! Every spec sample decodes into the model with the values the spec shows, and every request
//! body the model builds serializes to the spec's sample payload. Runs natively and in the browser.

use serde_json::Value;
use tfe_orgs::jsonapi::{self, decode_list, decode_new_resource, decode_single, encode_new_resource, RelationshipData};
use tfe_orgs::model::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/", $path))
    };
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn organizations_list_decodes_every_attribute() {
    let doc = decode_list::<OrganizationAttributes>(fixture!("organizations/list.json")).unwrap();
    assert_eq!(doc.data.len(), 2);
    let first = &doc.data[0];
    assert_eq!(first.id, "hashicorp");
    let a = &first.attributes;
    assert_eq!(a.name.as_deref(), Some("hashicorp"));
    assert_eq!(a.external_id.as_deref(), Some("org-Hysjx5eUviuKVCJY"));
    assert_eq!(a.created_at.as_deref(), Some("2021-08-24T23:10:04.675Z"));
    assert_eq!(a.email.as_deref(), Some("hashicorp@example.com"));
    assert_eq!(a.session_timeout, None);
    assert_eq!(a.collaborator_auth_policy, Some(CollaboratorAuthPolicy::Password));
    assert_eq!(a.plan_identifier.as_deref(), Some("developer"));
    assert_eq!(a.cost_estimation_enabled, Some(true));
    assert_eq!(a.send_passing_statuses_for_untriggered_speculative_plans, Some(true));
    assert_eq!(a.aggregated_commit_status_enabled, Some(false));
    assert_eq!(a.allow_force_delete_workspaces, Some(true));
    assert_eq!(a.fair_run_queuing_enabled, Some(true));
    assert_eq!(a.two_factor_conformant, Some(false));
    assert_eq!(a.default_execution_mode, Some(ExecutionMode::Remote));
    assert_eq!(a.permission("can-update"), Some(true));
    assert_eq!(a.permission("can-manage-custom-providers"), Some(false));
    assert_eq!(a.permission("can-fly"), None);
    assert_eq!(a.permissions.as_ref().unwrap().0.len(), 26);
    assert!(a.extra.is_empty(), "every documented attribute is typed: {:?}", a.extra.keys());
    assert_eq!(first.entitlement_set_id(), Some("org-Hysjx5eUviuKVCJY"));
    assert_eq!(first.default_agent_pool_id(), None);
    assert_eq!(first.relationships["default-agent-pool"].data, Some(RelationshipData::Null));
    assert_eq!(first.related_link("oauth-tokens"), Some("/api/v2/organizations/hashicorp/oauth-tokens"));
    assert_eq!(first.links.as_ref().unwrap().self_.as_deref(), Some("/api/v2/organizations/hashicorp"));

    let second = &doc.data[1].attributes;
    assert_eq!(second.plan_identifier.as_deref(), Some("free"));
    assert_eq!(second.aggregated_commit_status_enabled, Some(true));
    assert_eq!(second.permission("can-create-project"), Some(false));

    let page = doc.pagination().unwrap();
    assert_eq!(
        (page.current_page, page.page_size, page.prev_page, page.next_page, page.total_pages, page.total_count),
        (Some(1), Some(20), None, None, Some(1), Some(2))
    );
    let links = doc.links.as_ref().unwrap();
    assert!(links.self_.as_deref().unwrap().ends_with("organizations?page%5Bnumber%5D=1&page%5Bsize%5D=20"));
    assert_eq!(links.prev, None);
    assert_eq!(doc.status_counts(), None);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn organization_show_create_and_update_decode() {
    let show = decode_single::<OrganizationAttributes>(fixture!("organizations/show.json")).unwrap();
    assert_eq!(show.data.attributes.external_id.as_deref(), Some("org-WV6DfwfxxXvLfvfs"));
    assert_eq!(show.data.attributes.created_at.as_deref(), Some("2020-03-26T22:13:38.456Z"));
    assert_eq!(show.data.attributes.plan_identifier, None, "absent in this sample");
    assert_eq!(show.data.attributes.permission("can-manage-public-modules"), Some(true));
    assert!(show.included.is_empty());

    let created = decode_single::<OrganizationAttributes>(fixture!("organizations/create.json")).unwrap();
    assert_eq!(created.data.attributes.external_id.as_deref(), Some("org-Bzyc2JuegvVLAibn"));
    let sets = created.included_of::<Entitlements>().unwrap();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].id, "org-Bzyc2JuegvVLAibn");
    let e = &sets[0].attributes;
    assert!(e.configuration_designer() && e.operations() && e.private_module_registry() && e.state_storage());
    assert!(!e.agents() && !e.sso() && !e.teams());
    assert_eq!(e.user_limit(), Some(Limit::Max(5)));
    assert_eq!(e.policy_limit(), Some(Limit::Unlimited));
    assert_eq!(created.included_of::<UserAttributes>().unwrap().len(), 0);

    let updated = decode_single::<OrganizationAttributes>(fixture!("organizations/update.json")).unwrap();
    assert_eq!(updated.data.attributes.email.as_deref(), Some("admin@example.com"));
    assert_eq!(updated.data.attributes.allow_force_delete_workspaces, None, "absent in this sample");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn entitlement_set_has_typed_flags_and_limits() {
    let doc = decode_single::<Entitlements>(fixture!("organizations/entitlement-set.json")).unwrap();
    assert_eq!(doc.data.id, "org-Bzyc2JuegvVLAibn");
    let e = &doc.data.attributes;
    assert_eq!(e.policy_limit(), Some(Limit::Max(5)));
    assert_eq!(e.policy_set_limit(), Some(Limit::Max(1)));
    assert_eq!(e.run_task_workspace_limit(), Some(Limit::Max(10)));
    assert_eq!(e.policy_mandatory_enforcement_limit(), Some(Limit::Unlimited));
    assert_eq!(e.versioned_policy_set_limit(), Some(Limit::Unlimited));
    assert!(!e.private_vcs() && !e.private_policy_agents() && e.self_serve_billing() && e.vcs_integrations());
    for key in ENTITLEMENT_FLAGS {
        assert!(e.0[*key].is_boolean(), "{key} is a documented flag");
    }
    for key in ENTITLEMENT_LIMITS {
        assert!(e.limit(key).is_some(), "{key} is a documented limit");
    }

    let beta = decode_single::<Entitlements>(fixture!("organizations-beta/entitlement-set.json")).unwrap();
    assert_eq!(beta.data.id, "hashicorp");
    assert!(beta.data.attributes.sentinel() && beta.data.attributes.teams());
    assert_eq!(beta.data.attributes.user_limit(), None, "absent in the beta sample");
    assert_eq!(beta.data.links.unwrap().self_.as_deref(), Some("api/v2/entitlement-sets/hashicorp"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn module_producers_are_organization_references() {
    let doc = decode_list::<OrganizationRefAttributes>(fixture!("organizations/module-producers.json")).unwrap();
    assert_eq!(doc.data.len(), 1);
    assert_eq!(doc.data[0].id, "hc-nomad");
    assert_eq!(doc.data[0].attributes.external_id.as_deref(), Some("org-ArQSQMAkFQsSUZjB"));
    let page = doc.pagination().unwrap();
    assert_eq!((page.total_count, page.page_size), (Some(1), None));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn beta_documents_decode_with_enterprise_plan() {
    for text in [
        fixture!("organizations-beta/show.json"),
        fixture!("organizations-beta/create.json"),
        fixture!("organizations-beta/update.json"),
    ] {
        let doc = decode_single::<OrganizationAttributes>(text).unwrap();
        let a = &doc.data.attributes;
        assert_eq!(a.enterprise_plan.as_deref(), Some("pro"));
        assert_eq!(a.created_at.as_deref(), Some("2017-09-07T14:34:40.492Z"));
        assert_eq!(a.permission("can-create-workspace-migration"), Some(true));
        assert_eq!(a.external_id, None);
        assert!(a.extra.is_empty());
    }
    let list = decode_list::<OrganizationAttributes>(fixture!("organizations-beta/list.json")).unwrap();
    assert_eq!(list.data[0].attributes.email.as_deref(), Some("user@example.com"));
    assert_eq!(list.pagination(), None, "the beta list has no meta");
    let updated = decode_single::<OrganizationAttributes>(fixture!("organizations-beta/update.json")).unwrap();
    assert_eq!(updated.data.attributes.email.as_deref(), Some("admin@example.com"));
}

fn assert_sample_admin_org(org: &AdminOrganization, global_sharing: bool) {
    assert_eq!(org.id, "my-organization");
    let a = &org.attributes;
    assert_eq!(a.name.as_deref(), Some("my-organization"));
    assert_eq!(a.external_id.as_deref(), Some("org-XBiRp755dav5p3P2"));
    assert_eq!(a.notification_email.as_deref(), Some("my-organization@example.com"));
    assert_eq!(
        (a.access_beta_tools, a.is_disabled, a.terraform_worker_sudo_enabled),
        (Some(false), Some(false), Some(false))
    );
    // The 2021 samples carry only the deprecated names: read as the one timeout of each kind.
    assert_eq!((a.apply_timeout.as_deref(), a.plan_timeout.as_deref(), a.spelling), (None, None, Spelling::Deprecated));
    assert_eq!(a.global_module_sharing, Some(global_sharing));
    assert_eq!(a.sso_enabled, Some(false));
    assert!(a.extra.is_empty());
    assert_eq!(org.owner_ids(), vec!["user-hxTQDETqnJsi5VYP"]);
    assert_eq!(
        org.module_consumers_link(),
        Some("/api/v2/admin/organizations/my-organization/relationships/module-consumers")
    );
    assert_eq!(org.relationships["feature-set"].data, Some(RelationshipData::Null));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn admin_organizations_decode_with_status_counts() {
    let list = decode_list::<AdminOrganizationAttributes>(fixture!("admin-organizations/list.json")).unwrap();
    assert_sample_admin_org(&list.data[0], false);
    let counts = list.status_counts().unwrap();
    assert_eq!((counts.total, counts.active, counts.disabled), (1, 1, 0));
    assert_eq!(list.pagination().unwrap().total_pages, Some(1));
    assert!(list.links.unwrap().first.unwrap().contains("page%5Bnumber%5D=1&page%5Bsize%5D=20"));

    let show = decode_single::<AdminOrganizationAttributes>(fixture!("admin-organizations/show.json")).unwrap();
    assert_sample_admin_org(&show.data, false);
    let updated = decode_single::<AdminOrganizationAttributes>(fixture!("admin-organizations/update.json")).unwrap();
    assert_sample_admin_org(&updated.data, true);

    for text in
        [fixture!("admin-organizations/module-consumers.json"), fixture!("admin-module-sharing/module-consumers.json")]
    {
        let consumers = decode_list::<AdminOrganizationAttributes>(text).unwrap();
        assert_sample_admin_org(&consumers.data[0], false);
        assert_eq!(consumers.pagination().unwrap().total_count, Some(1));
        assert!(consumers.links.unwrap().self_.unwrap().contains("relationships/module-consumers?page%5Bnumber%5D=1"));
    }
}

/// current-tfe.md: the current documentation's sample answers.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn current_release_samples_decode_under_the_new_names() {
    let admin = decode_single::<AdminOrganizationAttributes>(fixture!("current-tfe/admin-show.json")).unwrap().data;
    let a = &admin.attributes;
    assert_eq!((a.apply_timeout.as_deref(), a.plan_timeout.as_deref()), (Some("3h"), Some("45m")));
    assert_eq!((a.workspace_limit, a.global_provider_sharing, a.spelling), (Some(25), Some(false), Spelling::Current));
    assert!(a.extra.is_empty(), "every attribute typed: {:?}", a.extra.keys());
    assert_eq!((admin.subscription_id(), admin.feature_set_id()), (None, None));
    assert!(admin.module_consumers_link().unwrap().ends_with("/relationships/module-consumers"));

    // Both names with different values: the new one wins, in either order.
    for text in [
        r#"{"terraform-build-worker-apply-timeout": "1h", "apply-timeout": "3h"}"#,
        r#"{"apply-timeout": "3h", "terraform-build-worker-apply-timeout": "1h"}"#,
    ] {
        let a: AdminOrganizationAttributes = serde_json::from_str(text).unwrap();
        assert_eq!((a.apply_timeout.as_deref(), a.spelling), (Some("3h"), Spelling::Current), "{text}");
        assert!(a.extra.is_empty());
    }
    // Only the old name: read, and remembered as the names to write.
    let old: AdminOrganizationAttributes =
        serde_json::from_str(r#"{"terraform-build-worker-plan-timeout": "45m"}"#).unwrap();
    assert_eq!((old.plan_timeout.as_deref(), old.spelling), (Some("45m"), Spelling::Deprecated));

    // A write: under the new names by default, under the old ones for an older release.
    let mut body = AdminOrganizationUpdate {
        apply_timeout: Some(Some("3h".into())),
        plan_timeout: Some(None),
        workspace_limit: Some(Some(25)),
        ..Default::default()
    };
    assert_eq!(json(&encode_new_resource(&body)), json(fixture!("current-tfe/admin-update-payload.json")));
    body.spelling = Spelling::Deprecated;
    assert_eq!(
        json(&encode_new_resource(&body))["data"]["attributes"],
        serde_json::json!({
            "terraform-build-worker-apply-timeout": "3h", "terraform-build-worker-plan-timeout": null, "workspace-limit": 25
        })
    );

    let settings =
        decode_single::<GeneralSettingsAttributes>(fixture!("current-tfe/general-settings.json")).unwrap().data;
    assert_eq!((settings.id.as_str(), settings.kind.as_str()), ("general", "general-settings"));
    let g = &settings.attributes;
    assert_eq!((g.plan_timeout.as_deref(), g.apply_timeout.as_deref()), (Some("2h"), Some("24h")));
    assert_eq!(
        (g.api_rate_limiting_enabled, g.api_rate_limit, g.limit_user_organization_creation),
        (Some(true), Some(30), Some(true))
    );
    assert_eq!(g.extra.len(), 3, "undocumented settings are kept: {:?}", g.extra.keys());

    let org = decode_single::<OrganizationAttributes>(fixture!("current-tfe/organization-show.json")).unwrap().data;
    let o = &org.attributes;
    assert_eq!(
        (o.speculative_plan_management_enabled, o.user_tokens_enabled, o.enforce_hyok),
        (Some(true), Some(true), None)
    );
    assert_eq!((o.module_consuming_organizations_count, o.provider_consuming_organizations_count), (Some(3), Some(0)));
    assert_eq!(o.permission("can-view-usage"), Some(true), "new permission keys are kept");
    assert!(o.extra.is_empty(), "every attribute typed: {:?}", o.extra.keys());
    assert_eq!(org.default_project_id(), Some("prj-3tdzbN2eRafWC9jv"));
    assert_eq!(org.provider_producers_link(), Some("/api/v2/organizations/hashicorp/relationships/provider-producers"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn module_partnerships_decode() {
    for text in [
        fixture!("admin-module-sharing/module-partnerships.json"),
        fixture!("admin-module-sharing-deprecated/module-partnerships.json"),
    ] {
        let doc = decode_list::<ModulePartnershipAttributes>(text).unwrap();
        assert_eq!(doc.data[0].id, "mp-tQATArr4gyYDBvkF");
        let a = &doc.data[0].attributes;
        assert_eq!(a.consuming_organization_id.as_deref(), Some("org-939hp5K7kecppVmd"));
        assert_eq!(a.consuming_organization_name.as_deref(), Some("other-organization"));
        assert_eq!(a.producing_organization_id.as_deref(), Some("org-etdex8r9VLnyHFct"));
        assert_eq!(a.producing_organization_name.as_deref(), Some("my-organization"));
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn data_retention_policies_decode_and_encode() {
    let older =
        decode_single::<DataRetentionPolicyAttributes>(fixture!("extra/data-retention-policy-delete-olders.json"))
            .unwrap();
    assert_eq!(older.data.id, "drp-1FAY2pZ2pKxFh3Ja");
    assert_eq!(
        DataRetentionPolicy::from_resource(&older.data),
        Some(DataRetentionPolicy::DeleteOlderThan { days: 30 })
    );
    let never =
        decode_single::<DataRetentionPolicyAttributes>(fixture!("extra/data-retention-policy-dont-deletes.json"))
            .unwrap();
    assert_eq!(DataRetentionPolicy::from_resource(&never.data), Some(DataRetentionPolicy::DontDelete));

    assert_eq!(
        json(&DataRetentionPolicy::DeleteOlderThan { days: 30 }.to_body()),
        json(fixture!("extra/data-retention-policy-delete-olders-payload.json"))
    );
    assert_eq!(
        json(&DataRetentionPolicy::DontDelete.to_body()),
        json(fixture!("extra/data-retention-policy-dont-deletes-payload.json"))
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn request_bodies_serialize_to_the_spec_payloads() {
    let create = OrganizationCreate::new("hashicorp", "user@example.com");
    for payload in [fixture!("organizations/create-payload.json"), fixture!("organizations-beta/create-payload.json")] {
        assert_eq!(json(&encode_new_resource(&create)), json(payload));
    }
    let update = OrganizationUpdate { email: Some("admin@example.com".into()), ..Default::default() };
    for payload in [fixture!("organizations/update-payload.json"), fixture!("organizations-beta/update-payload.json")] {
        assert_eq!(json(&encode_new_resource(&update)), json(payload));
    }
    let admin = AdminOrganizationUpdate { global_module_sharing: Some(true), ..Default::default() };
    assert_eq!(json(&encode_new_resource(&admin)), json(fixture!("admin-organizations/update-payload.json")));

    let consumers = serde_json::to_string(&module_consumers_body(["an-org", "another-org"])).unwrap();
    for payload in [
        fixture!("admin-organizations/module-consumers-payload.json"),
        fixture!("admin-module-sharing/module-consumers-payload.json"),
    ] {
        assert_eq!(json(&consumers), json(payload));
    }
    let partnerships = ModulePartnershipsUpdate::new(["org-939hp5K7kecppVmd"]);
    for payload in [
        fixture!("admin-module-sharing/module-partnerships-payload.json"),
        fixture!("admin-module-sharing-deprecated/module-partnerships-payload.json"),
    ] {
        assert_eq!(json(&encode_new_resource(&partnerships)), json(payload));
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn only_set_fields_are_sent() {
    let mut body = OrganizationUpdate::default();
    assert_eq!(encode_new_resource(&body), r#"{"data":{"type":"organizations","attributes":{}}}"#);
    body.default_execution_mode = Some(ExecutionMode::Agent);
    body.default_agent_pool_id = Some("apool-1".into());
    body.session_timeout = Some(60);
    assert_eq!(
        json(&encode_new_resource(&body)),
        serde_json::json!({"data": {"type": "organizations", "attributes": {
            "session-timeout": 60, "default-execution-mode": "agent", "default-agent-pool-id": "apool-1"}}})
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn sample_payloads_decode_as_the_sandbox_reads_them() {
    let create: OrganizationCreate = decode_new_resource(fixture!("organizations/create-payload.json")).unwrap();
    assert_eq!((create.name.as_deref(), create.email.as_deref()), (Some("hashicorp"), Some("user@example.com")));
    let admin: AdminOrganizationUpdate =
        decode_new_resource(fixture!("admin-organizations/update-payload.json")).unwrap();
    assert_eq!(admin.global_module_sharing, Some(true));
    let partnerships: ModulePartnershipsUpdate =
        decode_new_resource(fixture!("admin-module-sharing/module-partnerships-payload.json")).unwrap();
    assert_eq!(partnerships.module_consuming_organization_ids, Some(vec!["org-939hp5K7kecppVmd".to_string()]));
    let wrong =
        decode_new_resource::<ModulePartnershipsUpdate>(fixture!("organizations/create-payload.json")).unwrap_err();
    assert_eq!(wrong.path, "/data/type");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn error_documents_keep_every_object_and_pointer() {
    let errors = jsonapi::decode_errors(fixture!("extra/error-422.json"));
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].pointer(), Some("/data/attributes/name"));
    assert_eq!(errors[0].detail.as_deref(), Some("Name has already been taken"));
    assert_eq!(errors[1].pointer(), Some("/data/attributes/email"));
    assert_eq!(errors[1].status.as_deref(), Some("422"));
    let not_found = jsonapi::decode_errors(fixture!("extra/error-404.json"));
    assert_eq!((not_found[0].status.as_deref(), not_found[0].title.as_deref()), (Some("404"), Some("not found")));
    let strings = jsonapi::decode_errors(fixture!("extra/error-strings.json"));
    assert_eq!(strings[0].title.as_deref(), Some("Unauthorized"));
    assert!(jsonapi::decode_errors("<html>502 Bad Gateway</html>").is_empty());
    let numeric = jsonapi::decode_errors(r#"{"errors":[{"status":429,"title":"Too many requests"}]}"#);
    assert_eq!(numeric[0].status.as_deref(), Some("429"));
}
