//! The library's client against the sandbox core through the in-process transport: every
//! method's happy path and values, the exact requests it sends, validation that sends nothing,
//! each error kind, the retry policy and list-all.

use std::time::Duration;

use futures_executor::block_on;
use tfe_orgs::client::{ReadOptions, Registry, SharingIntent};
use tfe_orgs::model::*;
use tfe_orgs::{Client, ClientOptions, ErrorKind, ListOptions};
use tfe_sandbox::in_process::{Fault, InProcess};

const ADMIN: &str = "sandbox-admin-token";

fn client_with(token: &str, transport: InProcess) -> Client<InProcess> {
    Client::new("https://tfe.example.com/", token, transport).unwrap()
}

fn admin() -> Client<InProcess> {
    client_with(ADMIN, InProcess::seeded())
}

fn names<A>(items: &[tfe_orgs::Resource<A>]) -> Vec<&str> {
    items.iter().map(|o| o.id.as_str()).collect()
}

#[test]
fn base_url_forms_are_equivalent() {
    for base in [
        "https://tfe.example.com",
        "https://tfe.example.com/",
        "https://tfe.example.com/api/v2",
        "https://tfe.example.com/api/v2/",
    ] {
        let client = Client::new(base, ADMIN, InProcess::seeded()).unwrap();
        assert_eq!(client.api_url(), "https://tfe.example.com/api/v2");
    }
    let err = Client::new("tfe.example.com", ADMIN, InProcess::seeded()).unwrap_err();
    assert_eq!(
        (err.kind, err.field.as_deref(), err.rule.map(|r| r.as_str())),
        (ErrorKind::Validation, Some("baseUrl"), Some("url"))
    );
    let err = Client::new("https://tfe.example.com", " ", InProcess::seeded()).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("token"));
}

#[test]
fn organizations_api_happy_paths() {
    let c = admin();
    block_on(async {
        let page = c.list(&ListOptions { q: Some("acme".into()), ..Default::default() }).await.unwrap();
        // `q` matches notification emails too: platform-core is platform@acme.io.
        assert_eq!(
            names(&page.items),
            ["platform-core", "acme-networking", "acme-payments", "acme-data", "acme-security", "acme-legacy"]
        );
        assert_eq!(page.pagination.unwrap().total_count, Some(6));

        let org = c.read("hashicorp").await.unwrap();
        assert_eq!(org.attributes.external_id.as_deref(), Some("org-Hysjx5eUviuKVCJY"));
        let doc = c.read_with_options("hashicorp", ReadOptions { include_entitlement_set: true }).await.unwrap();
        assert_eq!(doc.included_of::<Entitlements>().unwrap()[0].id, "org-Hysjx5eUviuKVCJY");

        let created = c.create(&OrganizationCreate::new("made-by-client", "made@example.com")).await.unwrap();
        assert!(created.attributes.external_id.unwrap().starts_with("org-"));
        let updated = c
            .update(
                "made-by-client",
                &OrganizationUpdate {
                    email: Some("new@example.com".into()),
                    session_timeout: Some(60),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (updated.attributes.email.as_deref(), updated.attributes.session_timeout),
            (Some("new@example.com"), Some(60))
        );

        let entitlements = c.read_entitlements("hashicorp").await.unwrap();
        assert!(entitlements.attributes.private_module_registry());

        let producers = c.list_module_producers("hashicorp", &ListOptions::default()).await.unwrap();
        assert_eq!(names(&producers.items), ["hc-nomad", "platform-core", "globex-infra", "hooli-cloud"]);

        assert_eq!(c.read_data_retention_policy("hashicorp").await.unwrap().kind, "data-retention-policy-dont-deletes");
        let set =
            c.set_data_retention_policy("hashicorp", &DataRetentionPolicy::DeleteOlderThan { days: 30 }).await.unwrap();
        assert_eq!(DataRetentionPolicy::from_resource(&set), Some(DataRetentionPolicy::DeleteOlderThan { days: 30 }));
        let read = c.read_data_retention_policy("hashicorp").await.unwrap();
        assert_eq!(read.attributes.delete_older_than_n_days, Some(30));
        c.delete_data_retention_policy("hashicorp").await.unwrap();
        assert_eq!(c.read_data_retention_policy("hashicorp").await.unwrap().kind, "data-retention-policy-dont-deletes");

        c.delete("made-by-client").await.unwrap();
        assert_eq!(c.read("made-by-client").await.unwrap_err().kind, ErrorKind::NotFound);
    });
}

#[test]
fn admin_and_module_sharing_happy_paths() {
    let c = admin();
    block_on(async {
        let options = ListOptions {
            q_name: Some("acme".into()),
            module_producer: Some(true),
            include: vec!["owners".into()],
            ..Default::default()
        };
        let page = c.admin_list(&options).await.unwrap();
        assert_eq!(names(&page.items), ["acme-networking", "acme-security"]);
        assert_eq!(page.status_counts.unwrap().total, 2);
        assert_eq!(page.included.iter().filter(|r| r.kind == "users").count(), 1, "alice owns both");

        let doc = c.admin_read_with_options("my-organization", true).await.unwrap();
        assert_eq!(doc.data.owner_ids(), ["user-hxTQDETqnJsi5VYP"]);
        assert_eq!(doc.included_of::<UserAttributes>().unwrap()[0].attributes.username.as_deref(), Some("site-admin"));

        let body = AdminOrganizationUpdate {
            is_disabled: Some(true),
            plan_timeout: Some(Some("1h30m".into())),
            ..Default::default()
        };
        let updated = c.admin_update("hashicorp", &body).await.unwrap();
        assert_eq!(
            (updated.attributes.is_disabled, updated.attributes.plan_timeout.as_deref()),
            (Some(true), Some("1h30m"))
        );
        assert_eq!(c.admin_read("hashicorp").await.unwrap().attributes.is_disabled, Some(true));
        // `null` puts the timeout back to the instance default; what is not sent stays.
        let clear = AdminOrganizationUpdate { plan_timeout: Some(None), ..Default::default() };
        assert_eq!(serde_json::to_value(&clear).unwrap(), serde_json::json!({ "plan-timeout": null }));
        let cleared = c.admin_update("hashicorp", &clear).await.unwrap();
        assert_eq!((cleared.attributes.plan_timeout, cleared.attributes.is_disabled), (None, Some(true)));

        c.update_module_consumers("platform-core", &["an-org".into(), "another-org".into()]).await.unwrap();
        let consumers = c.list_module_consumers("platform-core", &ListOptions::default()).await.unwrap();
        assert_eq!(names(&consumers.items), ["an-org", "another-org"]);
        assert_eq!(c.admin_read("platform-core").await.unwrap().attributes.global_module_sharing, Some(false));

        let partnerships =
            c.update_module_partnerships("my-organization", &["org-Hysjx5eUviuKVCJY".into()]).await.unwrap();
        assert_eq!(partnerships[0].attributes.consuming_organization_name.as_deref(), Some("hashicorp"));

        c.update_module_sharing("an-org", &SharingIntent { global: Some(true), consumers: None }).await.unwrap();
        assert_eq!(c.admin_read("an-org").await.unwrap().attributes.global_module_sharing, Some(true));

        c.admin_delete("an-org").await.unwrap();
        assert_eq!(c.admin_read("an-org").await.unwrap_err().kind, ErrorKind::NotFound);
        let consumers = c.list_module_consumers("platform-core", &ListOptions::default()).await.unwrap();
        assert_eq!(names(&consumers.items), ["another-org"], "a deleted organization is no consumer");
    });
}

#[test]
fn requests_conform_to_the_spec() {
    let c = admin();
    let t = c.transport();
    block_on(async {
        c.list(&ListOptions::default()).await.unwrap();
        let r = t.last_request();
        assert_eq!(
            (r.method, r.url.as_str()),
            ("GET", "https://tfe.example.com/api/v2/organizations?page%5Bnumber%5D=1&page%5Bsize%5D=20")
        );
        assert_eq!(r.header("authorization"), Some("Bearer sandbox-admin-token"));
        assert_eq!(r.header("accept"), Some("application/vnd.api+json"));
        assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
        assert_eq!(r.body, None);

        c.admin_list(&ListOptions {
            q: Some("a b".into()),
            q_email: Some("x@y.z".into()),
            module_producer: Some(false),
            page_size: Some(50),
            ..Default::default()
        })
        .await
        .unwrap();
        assert_eq!(
            t.last_request().url,
            "https://tfe.example.com/api/v2/admin/organizations?q=a%20b&q%5Bemail%5D=x%40y.z&filter%5Bmodule_producer%5D=false&page%5Bnumber%5D=1&page%5Bsize%5D=50"
        );

        c.create(&OrganizationCreate::new("hashicorp-new", "user@example.com")).await.unwrap();
        let r = t.last_request();
        assert_eq!((r.method, r.url.as_str()), ("POST", "https://tfe.example.com/api/v2/organizations"));
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"data":{"type":"organizations","attributes":{"name":"hashicorp-new","email":"user@example.com"}}}"#
            )
        );

        c.update_module_consumers("hashicorp", &["an-org".into(), "another-org".into()]).await.unwrap();
        let r = t.last_request();
        assert_eq!(
            (r.method, r.url.as_str()),
            ("PATCH", "https://tfe.example.com/api/v2/admin/organizations/hashicorp/relationships/module-consumers")
        );
        assert_eq!(
            r.body.as_deref(),
            Some(r#"{"data":[{"id":"an-org","type":"organizations"},{"id":"another-org","type":"organizations"}]}"#)
        );

        c.update_module_partnerships("hashicorp", &["org-939hp5K7kecppVmd".into()]).await.unwrap();
        let r = t.last_request();
        assert_eq!(r.url, "https://tfe.example.com/api/v2/admin/organizations/hashicorp/module-consumers");
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"data":{"type":"module-partnerships","attributes":{"module-consuming-organization-ids":["org-939hp5K7kecppVmd"]}}}"#
            )
        );

        c.read_with_options("hashicorp", ReadOptions { include_entitlement_set: true }).await.unwrap();
        assert_eq!(
            t.last_request().url,
            "https://tfe.example.com/api/v2/organizations/hashicorp?include=entitlement_set"
        );
        c.admin_read_with_options("hashicorp", true).await.unwrap();
        assert_eq!(t.last_request().url, "https://tfe.example.com/api/v2/admin/organizations/hashicorp?include=owners");
        c.list_module_consumers("hashicorp", &ListOptions::page(2, 5)).await.unwrap();
        assert_eq!(
            t.last_request().url,
            "https://tfe.example.com/api/v2/admin/organizations/hashicorp/relationships/module-consumers?page%5Bnumber%5D=2&page%5Bsize%5D=5"
        );
        c.delete_data_retention_policy("hashicorp").await.unwrap();
        let r = t.last_request();
        assert_eq!(
            (r.method, r.url.as_str(), r.header("content-type")),
            (
                "DELETE",
                "https://tfe.example.com/api/v2/organizations/hashicorp/relationships/data-retention-policy",
                None
            )
        );
    });
}

#[test]
fn invalid_input_sends_nothing() {
    let c = admin();
    block_on(async {
        let cases = [
            c.read("../admin").await.unwrap_err(),
            c.read("a/b").await.unwrap_err(),
            c.read("%2F").await.unwrap_err(),
            c.read("?x=1").await.unwrap_err(),
            c.list(&ListOptions::page(0, 20)).await.unwrap_err(),
            c.admin_list(&ListOptions::page(1, 101)).await.unwrap_err(),
            c.create(&OrganizationCreate::new("ok-name", "not-an-email")).await.unwrap_err(),
            c.update(
                "hashicorp",
                &OrganizationUpdate {
                    aggregated_commit_status_enabled: Some(true),
                    send_passing_statuses_for_untriggered_speculative_plans: Some(true),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err(),
            c.admin_update(
                "hashicorp",
                &AdminOrganizationUpdate { apply_timeout: Some(Some("2d".into())), ..Default::default() },
            )
            .await
            .unwrap_err(),
            c.update_module_consumers("hashicorp", &["x y".into()]).await.unwrap_err(),
            c.update_module_partnerships("hashicorp", &["hashicorp".into()]).await.unwrap_err(),
            c.update_module_sharing(
                "hashicorp",
                &SharingIntent { global: Some(true), consumers: Some(vec!["an-org".into()]) },
            )
            .await
            .unwrap_err(),
            c.set_data_retention_policy("hashicorp", &DataRetentionPolicy::DeleteOlderThan { days: 0 })
                .await
                .unwrap_err(),
            // A bad consumer name in a sharing intent: refused before its first write.
            c.update_module_sharing(
                "hashicorp",
                &SharingIntent { global: Some(false), consumers: Some(vec!["ok".into(), "x y".into()]) },
            )
            .await
            .unwrap_err(),
        ];
        let rules: Vec<_> = cases.iter().map(|e| (e.kind, e.field.clone().unwrap(), e.rule.unwrap())).collect();
        assert!(rules.iter().all(|(kind, _, _)| *kind == ErrorKind::Validation), "{rules:?}");
        assert_eq!(rules[0].1, "name");
        assert_eq!(rules[6].1, "/data/attributes/email");
        assert_eq!(rules[11].2.as_str(), "exclusive");
        assert_eq!(rules.last().unwrap().1, "/data/1/id", "{rules:?}");
        assert_eq!(c.transport().request_count(), 0, "no request left the client");
    });
}

#[test]
fn each_error_kind() {
    block_on(async {
        let stranger = client_with("unknown-token", InProcess::seeded());
        let e = stranger.read("hashicorp").await.unwrap_err();
        assert_eq!((e.kind, e.status), (ErrorKind::Unauthorized, Some(401)));

        let member = client_with("sandbox-member-token", InProcess::seeded());
        let e = member.admin_list(&ListOptions::default()).await.unwrap_err();
        assert_eq!((e.kind, e.status), (ErrorKind::NotFound, Some(404)));
        assert!(e.message.contains("not permitted"), "{}", e.message);

        let c = admin();
        let e = c.create(&OrganizationCreate::new("HashiCorp", "x@example.com")).await.unwrap_err();
        assert_eq!(
            (e.kind, e.status, e.field.as_deref()),
            (ErrorKind::Unprocessable, Some(422), Some("/data/attributes/name"))
        );
        assert_eq!(e.errors[0].pointer(), Some("/data/attributes/name"));
        let e = c.update_module_consumers("hashicorp", &["ghost-org".into()]).await.unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Unprocessable, Some("/data/0/id")));

        c.transport().script([Fault::Respond(200, vec![], r#"{"data": {"id": "hashicorp", "type": "users"}}"#)]);
        let e = c.read("hashicorp").await.unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Decode, Some("/data/type")));
        c.transport().script([Fault::Respond(200, vec![], r#"{"data": {"id": "hashicorp", "type": "organ"#)]);
        assert_eq!(c.admin_read("hashicorp").await.unwrap_err().kind, ErrorKind::Decode);

        let quick = Client::with_options(
            "https://tfe.example.com",
            ADMIN,
            InProcess::seeded(),
            ClientOptions { max_retries: 1, ..Default::default() },
        )
        .unwrap();
        quick.transport().script([
            Fault::Respond(429, vec![("retry-after", "3")], ""),
            Fault::Respond(429, vec![("retry-after", "3")], ""),
        ]);
        let e = quick.read("hashicorp").await.unwrap_err();
        assert_eq!((e.kind, e.retry_after_ms), (ErrorKind::RateLimited, Some(3000)));
        quick
            .transport()
            .script([Fault::Respond(502, vec![], "<html>bad gateway</html>"), Fault::Respond(503, vec![], "")]);
        assert_eq!(quick.read("hashicorp").await.unwrap_err().kind, ErrorKind::Server);
        quick.transport().script([Fault::Refused, Fault::Refused]);
        assert_eq!(quick.read("hashicorp").await.unwrap_err().kind, ErrorKind::Network);
        quick.transport().script([Fault::TimeoutAfterProcessing, Fault::TimeoutAfterProcessing]);
        assert_eq!(quick.read("hashicorp").await.unwrap_err().kind, ErrorKind::Timeout);

        for e in [stranger.read("hashicorp").await.unwrap_err(), quick.read("no-such").await.unwrap_err()] {
            assert!(!e.message.contains(ADMIN) && !e.message.contains("unknown-token"), "no token in {}", e.message);
        }
    });
}

#[test]
fn retries_wait_as_told_and_never_duplicate_a_create() {
    let c = admin();
    let t = c.transport();
    block_on(async {
        t.script([
            Fault::Respond(429, vec![("retry-after", "2")], ""),
            Fault::Respond(429, vec![("x-ratelimit-reset", "0.25")], ""),
        ]);
        c.read("hashicorp").await.unwrap();
        assert_eq!(t.request_count(), 3);
        let sleeps = t.sleeps.borrow().clone();
        assert!(sleeps.contains(&Duration::from_secs(2)) && sleeps.contains(&Duration::from_millis(250)), "{sleeps:?}");

        // Both headers: the precise reset wins over the rounded-up Retry-After.
        t.sleeps.borrow_mut().clear();
        t.script([Fault::Respond(429, vec![("retry-after", "1"), ("x-ratelimit-reset", "0.05")], "")]);
        c.read("hashicorp").await.unwrap();
        assert!(t.sleeps.borrow().contains(&Duration::from_millis(50)), "{:?}", t.sleeps.borrow());
        assert!(!t.sleeps.borrow().contains(&Duration::from_secs(1)), "{:?}", t.sleeps.borrow());

        t.sleeps.borrow_mut().clear();
        t.script([
            Fault::Respond(429, vec![("retry-after", "soon")], ""),
            Fault::Respond(429, vec![("x-ratelimit-reset", "-4")], ""),
        ]);
        c.read("hashicorp").await.unwrap();
        let waits: Vec<_> = t.sleeps.borrow().iter().copied().filter(|d| *d >= Duration::from_millis(100)).collect();
        assert_eq!(waits.len(), 2, "malformed headers fall back to backoff: {waits:?}");
        assert!(waits[1] > waits[0], "backoff grows: {waits:?}");

        // 5xx bursts: idempotent calls retry, up to the bound.
        let before = t.request_count();
        t.script([Fault::Respond(503, vec![], ""), Fault::Respond(500, vec![], "")]);
        c.admin_update("hashicorp", &AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(t.request_count() - before, 3);
        let before = t.request_count();
        t.script(std::iter::repeat_n(Fault::Respond(503, vec![], ""), 4));
        assert_eq!(c.read("hashicorp").await.unwrap_err().kind, ErrorKind::Server);
        assert_eq!(t.request_count() - before, 4, "first try + max_retries (3)");

        // A create whose response was lost is not sent again: it may have been created.
        let before = t.request_count();
        t.script([Fault::LostResponse]);
        let e = c.create(&OrganizationCreate::new("only-once", "once@example.com")).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutcomeUnknown);
        assert!(e.message.contains("may have applied"), "{}", e.message);
        assert_eq!(t.request_count() - before, 1);
        t.script([Fault::Respond(503, vec![], "")]);
        assert_eq!(
            c.create(&OrganizationCreate::new("only-twice", "t@example.com")).await.unwrap_err().kind,
            ErrorKind::OutcomeUnknown
        );
        assert_eq!(t.request_count() - before, 2);
        let created = t.sandbox.borrow().state.orgs.iter().filter(|o| o.name().starts_with("only-")).count();
        assert_eq!(created, 1, "exactly one create reached the server");
        // A 429 was not processed, so even a create is retried.
        t.script([Fault::Respond(429, vec![("retry-after", "1")], "")]);
        c.create(&OrganizationCreate::new("after-429", "a@example.com")).await.unwrap();
    });
}

#[test]
fn requests_are_spaced_under_the_rate_limit() {
    let c = Client::with_options(
        "https://tfe.example.com",
        ADMIN,
        InProcess::seeded(),
        ClientOptions { requests_per_second: 10.0, follow_instance_rate: false, ..Default::default() },
    )
    .unwrap();
    block_on(async {
        for _ in 0..21 {
            c.read("hashicorp").await.unwrap();
        }
    });
    // 21 requests at 10/s: spaced 100 ms, and the 11th and 21st wait for the window (1 s plus
    // the 40 ms margin for arrival jitter) to slide past the 1st and 11th: 2.08 s.
    assert!((c.transport().now() - 2080.0).abs() < 1.0, "{}", c.transport().now());
}

#[test]
fn list_all_fetches_every_page_in_order_with_progress() {
    let mut sandbox = tfe_sandbox::Sandbox::seeded();
    sandbox.state.generate(1000);
    let c = client_with(ADMIN, InProcess::new(sandbox));
    let mut progress = Vec::new();
    let all = block_on(c.admin_list_all(&ListOptions::default(), &mut |p| progress.push(p))).unwrap();
    assert_eq!(all.len(), 1030);
    assert_eq!(all[0].id, "hashicorp");
    assert_eq!(all[1029].id, "generated-01000");
    assert_eq!(c.transport().request_count(), 11);
    assert_eq!(progress.len(), 11);
    let last = progress.last().unwrap();
    assert_eq!((last.pages, last.items, last.total_pages, last.total_count), (11, 1030, Some(11), Some(1030)));
    assert!(progress.windows(2).all(|w| w[1].items > w[0].items));

    let everyone =
        block_on(c.list_all(&ListOptions { q_name: Some("generated-009".into()), ..Default::default() }, &mut |_| {}))
            .unwrap();
    assert_eq!(everyone.len(), 100);
}

#[test]
fn list_all_without_meta_or_with_a_repeating_next_page_stops() {
    let c = admin();
    let t = c.transport();
    let one = r#"{"id": "a", "type": "organizations", "attributes": {}}"#;
    let no_meta: &'static str = Box::leak(format!(r#"{{"data": [{one}]}}"#).into_boxed_str());
    t.script([Fault::Respond(200, vec![], no_meta)]);
    assert_eq!(block_on(c.list_all(&ListOptions::default(), &mut |_| {})).unwrap().len(), 1);
    assert_eq!(t.request_count(), 1, "no meta: the response was the whole list");

    let looping: &'static str = Box::leak(
        format!(r#"{{"data": [{one}], "meta": {{"pagination": {{"current-page": 1, "next-page": 2}}}}}}"#)
            .into_boxed_str(),
    );
    let stuck: &'static str = Box::leak(
        format!(r#"{{"data": [{one}], "meta": {{"pagination": {{"current-page": 2, "next-page": 2}}}}}}"#)
            .into_boxed_str(),
    );
    t.script([Fault::Respond(200, vec![], looping), Fault::Respond(200, vec![], stuck)]);
    assert_eq!(block_on(c.list_all(&ListOptions::default(), &mut |_| {})).unwrap().len(), 2);
    assert_eq!(t.request_count(), 3, "a repeated next-page ends the walk");
}

#[test]
fn every_other_method_sends_the_documented_request() {
    let c = admin();
    let t = c.transport();
    let api = "https://tfe.example.com/api/v2";
    let check = |method: &str, url: String, body: Option<&str>| {
        let r = t.last_request();
        assert_eq!((r.method, r.url.as_str(), r.body.as_deref()), (method, url.as_str(), body));
        assert_eq!(r.header("authorization"), Some("Bearer sandbox-admin-token"));
        assert_eq!(r.header("accept"), Some("application/vnd.api+json"));
        if body.is_some() || method == "GET" {
            assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
        }
    };
    block_on(async {
        c.read("hashicorp").await.unwrap();
        check("GET", format!("{api}/organizations/hashicorp"), None);
        c.update("hashicorp", &OrganizationUpdate { email: Some("admin@example.com".into()), ..Default::default() })
            .await
            .unwrap();
        check(
            "PATCH",
            format!("{api}/organizations/hashicorp"),
            Some(r#"{"data":{"type":"organizations","attributes":{"email":"admin@example.com"}}}"#),
        );
        c.read_entitlements("hashicorp").await.unwrap();
        check("GET", format!("{api}/organizations/hashicorp/entitlement-set"), None);
        c.list_module_producers("hashicorp", &ListOptions::default()).await.unwrap();
        check(
            "GET",
            format!(
                "{api}/organizations/hashicorp/relationships/module-producers?page%5Bnumber%5D=1&page%5Bsize%5D=20"
            ),
            None,
        );
        c.read_data_retention_policy("hashicorp").await.unwrap();
        check("GET", format!("{api}/organizations/hashicorp/relationships/data-retention-policy"), None);
        c.set_data_retention_policy("hashicorp", &DataRetentionPolicy::DontDelete).await.unwrap();
        check(
            "POST",
            format!("{api}/organizations/hashicorp/relationships/data-retention-policy"),
            Some(r#"{"data":{"type":"data-retention-policy-dont-deletes","attributes":{}}}"#),
        );
        c.admin_read("hashicorp").await.unwrap();
        check("GET", format!("{api}/admin/organizations/hashicorp"), None);
        c.admin_update(
            "hashicorp",
            &AdminOrganizationUpdate { global_module_sharing: Some(true), ..Default::default() },
        )
        .await
        .unwrap();
        check(
            "PATCH",
            format!("{api}/admin/organizations/hashicorp"),
            Some(r#"{"data":{"type":"organizations","attributes":{"global-module-sharing":true}}}"#),
        );
        c.admin_delete("an-org").await.unwrap();
        check("DELETE", format!("{api}/admin/organizations/an-org"), None);
        c.delete("another-org").await.unwrap();
        check("DELETE", format!("{api}/organizations/another-org"), None);
        // Which call takes a consumer list is probed once (a read of one provider consumer:
        // this release has registry-partnerships) and remembered.
        assert_eq!(c.sharing_api("hashicorp").await.unwrap(), tfe_orgs::client::SharingApi::RegistryPartnerships);
        check(
            "GET",
            format!("{api}/admin/organizations/hashicorp/relationships/provider-consumers?page%5Bnumber%5D=1&page%5Bsize%5D=1"),
            None,
        );
        // Moving from "all" to "specific" writes the consumers first: never shared with everyone
        // and the new consumers at once, and never with nobody in between.
        let before = t.request_count();
        c.update_module_sharing(
            "hashicorp",
            &SharingIntent { global: Some(false), consumers: Some(vec!["hc-nomad".into()]) },
        )
        .await
        .unwrap();
        assert_eq!(t.request_count() - before, 1, "the consumer write alone turns global sharing off");
        check(
            "PUT",
            format!("{api}/admin/organizations/hashicorp/registry-partnerships"),
            Some(r#"{"data":{"type":"registry-partnerships","attributes":{"module_consumers":["hc-nomad"]}}}"#),
        );
        // The module-consumers relationship itself, as called.
        c.update_module_consumers("hashicorp", &["hc-nomad".into()]).await.unwrap();
        check(
            "PATCH",
            format!("{api}/admin/organizations/hashicorp/relationships/module-consumers"),
            Some(r#"{"data":[{"id":"hc-nomad","type":"organizations"}]}"#),
        );
        // An encoded name stays one path segment (names are validated, so only safe ones pass).
        c.read("Under_Score-1").await.unwrap_err();
        check("GET", format!("{api}/organizations/Under_Score-1"), None);
    });
}

/// Every write of the library against answers lost after the sandbox applied the write (and
/// against 5xx before it did): what the client reports is what happened, and nothing is written
/// twice where a repeat would differ.
#[test]
fn lost_answers_report_what_really_happened() {
    let c = admin();
    let t = c.transport();
    let patches = |t: &InProcess| t.requests.borrow().iter().filter(|r| r.method == "PATCH").count();
    block_on(async {
        // A state-setting write is retried and reported as applied.
        t.script([Fault::LostResponse]);
        let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
        assert_eq!(c.admin_update("acme-data", &body).await.unwrap().attributes.access_beta_tools, Some(true));
        t.script([Fault::LostResponse]);
        c.update_module_consumers("platform-core", &["acme-data".into()]).await.unwrap();
        assert_eq!(
            t.sandbox.borrow().state.orgs.iter().find(|o| o.name() == "platform-core").unwrap().consumers.len(),
            1
        );
        t.script([Fault::LostResponse]);
        let policy = DataRetentionPolicy::DeleteOlderThan { days: 30 };
        c.set_data_retention_policy("acme-data", &policy).await.unwrap();

        // A delete whose answer was lost, retried, meets 404: the first attempt deleted it.
        t.script([Fault::LostResponse]);
        c.delete_data_retention_policy("acme-data").await.unwrap();
        t.script([Fault::TimeoutAfterProcessing]);
        c.delete("acme-legacy").await.unwrap();
        assert!(t.sandbox.borrow().state.orgs.iter().all(|o| o.name() != "acme-legacy"));
        t.script([Fault::LostResponse]);
        c.admin_delete("acme-security").await.unwrap();
        // A plain 404 (nothing lost) is still "not found".
        assert_eq!(c.delete("acme-legacy").await.unwrap_err().kind, ErrorKind::NotFound);

        // A rename applied then lost: one PATCH, then reads find it under the new name.
        let before = patches(t);
        t.script([Fault::LostResponse]);
        let rename = OrganizationUpdate { name: Some("acme-data-2".into()), ..Default::default() };
        let renamed = c.update("acme-data", &rename).await.unwrap();
        assert_eq!(renamed.attributes.name.as_deref(), Some("acme-data-2"));
        assert_eq!(patches(t) - before, 1, "a rename is never sent blind twice");
        // A rename refused before processing (503): the reads find the old name, so it is sent
        // again, and reported once it is applied.
        let before = patches(t);
        t.script([Fault::Respond(503, vec![], "")]);
        let back = OrganizationUpdate { name: Some("acme-data".into()), ..Default::default() };
        assert_eq!(c.update("acme-data-2", &back).await.unwrap().attributes.name.as_deref(), Some("acme-data"));
        assert_eq!(patches(t) - before, 2);

        // A create is never sent twice: its lost answer is an unknown outcome, and it was created.
        let before = t.request_count();
        t.script([Fault::TimeoutAfterProcessing]);
        let e = c.create(&OrganizationCreate::new("lost-create", "l@example.com")).await.unwrap_err();
        assert_eq!((e.kind, t.request_count() - before), (ErrorKind::OutcomeUnknown, 1));
        assert!(t.sandbox.borrow().state.orgs.iter().any(|o| o.name() == "lost-create"));

        // A write whose every answer is lost is an unknown outcome, never a plain failure.
        t.script(std::iter::repeat_n(Fault::Respond(503, vec![], ""), 4));
        let e = c.admin_update("hashicorp", &body).await.unwrap_err();
        assert_eq!((e.kind, e.status), (ErrorKind::OutcomeUnknown, Some(503)));
        // Reads keep their kinds.
        t.script(std::iter::repeat_n(Fault::Respond(503, vec![], ""), 4));
        assert_eq!(c.read("hashicorp").await.unwrap_err().kind, ErrorKind::Server);
    });
}

/// Fan-outs keep rate × latency in flight (and some to spare), measured as the run goes: the limiter, not
/// the concurrency, bounds the rate at 20 ms and at 300 ms alike.
#[test]
fn fan_outs_follow_the_measured_latency() {
    for (latency, expected) in [(20.0, 5), (100.0, 8), (300.0, 16), (2000.0, 48)] {
        let c = admin();
        c.transport().latency_ms.set(latency);
        assert_eq!(c.fan_out(), 4, "before anything was measured");
        block_on(c.read("hashicorp")).unwrap();
        assert_eq!(c.fan_out(), expected, "{latency} ms at 30 rps");
    }
    // It follows the fastest recent exchange: answers that waited on a busy client (or one slow
    // answer) do not feed the fan-out.
    let c = admin();
    c.transport().latency_ms.set(100.0);
    block_on(c.read("hashicorp")).unwrap();
    c.transport().latency_ms.set(1000.0);
    block_on(c.read("hashicorp")).unwrap();
    assert_eq!(c.fan_out(), 8);
    // Once the network itself is slower (every recent exchange), the fan-out grows.
    for _ in 0..16 {
        block_on(c.read("hashicorp")).unwrap();
    }
    assert_eq!(c.fan_out(), 42, "1,000 ms at 30 rps");
    // An instance that allows 100 per second: rate × latency again, 42 at 300 ms.
    let fast = Client::new(
        "https://tfe.example.com",
        ADMIN,
        InProcess::new(tfe_sandbox::Sandbox { api_rate_limit: Some(100), ..tfe_sandbox::Sandbox::seeded() }),
    )
    .unwrap();
    fast.transport().latency_ms.set(300.0);
    block_on(fast.read("hashicorp")).unwrap();
    assert_eq!((fast.rate_limit(), fast.fan_out()), (100.0, 42));
}

#[test]
fn a_stopped_fan_out_finishes_what_is_in_flight_and_names_what_never_started() {
    use std::cell::Cell;
    use std::ops::ControlFlow;
    use tfe_orgs::client::fan_out::fan_out;
    let finished = Cell::new(0);
    let most = Cell::new(0);
    let in_flight = Cell::new(0);
    let work = |n: u32| {
        in_flight.set(in_flight.get() + 1);
        most.set(most.get().max(in_flight.get()));
        std::future::ready(n)
    };
    let unstarted = block_on(fan_out(
        0..10u32,
        || 3,
        || finished.get() >= 4,
        work,
        |_| {
            in_flight.set(in_flight.get() - 1);
            finished.set(finished.get() + 1);
            ControlFlow::Continue(())
        },
    ));
    assert_eq!(unstarted, [6, 7, 8, 9]);
    assert_eq!(finished.get(), 6, "everything started was finished");
    assert_eq!(most.get(), 3, "never more than the bound in flight");
}

mod bulk {
    use super::*;
    use std::cell::Cell;
    use tfe_orgs::client::bulk::{BulkItem, Outcome};

    fn outcomes(items: &[BulkItem]) -> Vec<(&str, String)> {
        items
            .iter()
            .map(|i| {
                let o = match &i.outcome {
                    Outcome::Failed(e) => format!("failed {:?}", e.kind),
                    other => format!("{other:?}").to_lowercase(),
                };
                (i.name.as_str(), o)
            })
            .collect()
    }

    fn patches(t: &InProcess) -> Vec<serde_json::Value> {
        t.requests
            .borrow()
            .iter()
            .filter(|r| r.method == "PATCH")
            .map(|r| {
                serde_json::from_str::<serde_json::Value>(r.body.as_deref().unwrap()).unwrap()["data"]["attributes"]
                    .clone()
            })
            .collect()
    }

    #[test]
    fn the_plan_skips_what_is_already_so_and_a_dry_run_writes_nothing() {
        let c = admin();
        let t = c.transport();
        let names: Vec<String> = ["acme-data", "platform-core", "acme-legacy"].map(String::from).into();
        let body = AdminOrganizationUpdate { global_module_sharing: Some(true), ..Default::default() };
        let plan = block_on(c.admin_update_many(&names, &body, true, || false, |_| {})).unwrap();
        assert_eq!(
            outcomes(&plan),
            [("acme-data", "planned".into()), ("platform-core", "unchanged".into()), ("acme-legacy", "planned".into())]
        );
        assert_eq!(plan[0].changes[0].field, "global-module-sharing");
        assert_eq!(
            (&plan[0].changes[0].from, &plan[0].changes[0].to),
            (&serde_json::json!(false), &serde_json::json!(true))
        );
        assert!(patches(t).is_empty(), "a dry run writes nothing");

        let done = block_on(c.admin_update_many(&names, &body, false, || false, |_| {})).unwrap();
        assert_eq!(outcomes(&done)[1], ("platform-core", "unchanged".into()));
        assert_eq!(done.iter().filter(|i| i.outcome == Outcome::Updated).count(), 2);
        assert_eq!(patches(t).len(), 2, "no request for what is already so");
        let state = t.sandbox.borrow();
        assert!(state
            .state
            .orgs
            .iter()
            .filter(|o| names.contains(&o.name().to_string()))
            .all(|o| o.shares_modules_globally()));
    }

    #[test]
    fn each_write_sends_only_what_differs_and_each_failure_is_typed() {
        let c = admin();
        let t = c.transport();
        block_on(c.admin_update(
            "acme-data",
            &AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() },
        ))
        .unwrap();
        let names: Vec<String> = ["acme-data", "acme-networking", "no-such-org", "Bad Name!"].map(String::from).into();
        let body =
            AdminOrganizationUpdate { access_beta_tools: Some(true), is_disabled: Some(true), ..Default::default() };
        let before = t.request_count();
        let items = block_on(c.admin_update_many(&names, &body, false, || false, |_| {})).unwrap();
        assert_eq!(
            outcomes(&items),
            [
                ("acme-data", "updated".into()),
                ("acme-networking", "updated".into()),
                ("no-such-org", "failed NotFound".into()),
                ("Bad Name!", "failed Validation".into()),
            ]
        );
        let mut sent = patches(t).split_off(1);
        sent.sort_by_key(|p| p.as_object().unwrap().len());
        assert_eq!(
            sent,
            [
                // acme-data had beta tools already.
                serde_json::json!({ "is-disabled": true }),
                serde_json::json!({ "access-beta-tools": true, "is-disabled": true }),
            ]
        );
        // 3 reads (the bad name sends nothing) and 2 writes.
        assert_eq!(t.request_count() - before, 5);
        // Nothing to change is refused before any request.
        let e = block_on(c.admin_update_many(&names, &AdminOrganizationUpdate::default(), false, || false, |_| {}))
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
    }

    #[test]
    fn a_stop_ends_after_the_writes_in_flight_and_says_which_were_never_sent() {
        let c = admin();
        let t = c.transport();
        // More organizations than a fan-out keeps in flight, none of them disabled yet.
        let names: Vec<String> = t
            .sandbox
            .borrow()
            .state
            .orgs
            .iter()
            .filter(|o| !o.is_disabled())
            .take(12)
            .map(|o| o.name().to_string())
            .collect();
        let body = AdminOrganizationUpdate { is_disabled: Some(true), ..Default::default() };
        let written = Cell::new(0);
        let items = block_on(c.admin_update_many(&names, &body, false, || written.get() >= 2, |p| written.set(p.done)))
            .unwrap();
        let updated = items.iter().filter(|i| i.outcome == Outcome::Updated).count();
        let not_sent: Vec<&str> =
            items.iter().filter(|i| i.outcome == Outcome::NotSent).map(|i| i.name.as_str()).collect();
        assert_eq!(updated + not_sent.len(), 12);
        assert!(updated >= 2 && !not_sent.is_empty(), "{items:?}");
        assert_eq!(patches(t).len(), updated, "what was not sent was not sent");
        let disabled = t
            .sandbox
            .borrow()
            .state
            .orgs
            .iter()
            .filter(|o| o.is_disabled() && names.contains(&o.name().to_string()))
            .count();
        assert_eq!(disabled, updated, "the result is the truth");
    }

    #[test]
    fn many_names_are_planned_from_the_list_and_lost_answers_do_not_duplicate_writes() {
        let mut state = tfe_sandbox::Sandbox::seeded().state;
        state.generate(120);
        let c = client_with(ADMIN, InProcess::new(tfe_sandbox::Sandbox::new(state)));
        let t = c.transport();
        let names: Vec<String> = (1..=100).map(|n| format!("generated-{n:05}")).collect();
        let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
        // The plan's two list pages pass; then three writes lose their answers.
        t.script([Fault::Pass, Fault::Pass, Fault::LostResponse, Fault::Respond(503, vec![], ""), Fault::LostResponse]);
        let items = block_on(c.admin_update_many(&names, &body, false, || false, |_| {})).unwrap();
        assert!(
            items.iter().all(|i| i.outcome == Outcome::Updated),
            "{:?}",
            outcomes(&items).iter().filter(|(_, o)| o != "updated").collect::<Vec<_>>()
        );
        let gets = t.requests.borrow().iter().filter(|r| r.method == "GET").count();
        assert_eq!(gets, 2, "the plan read the admin list, not 100 organizations");
        let patches = patches(t).len();
        assert!((100..=103).contains(&patches), "retries only where an answer was lost: {patches}");
        let on = t
            .sandbox
            .borrow()
            .state
            .orgs
            .iter()
            .filter(|o| o.name().starts_with("generated-") && o.admin.access_beta_tools == Some(true))
            .count();
        assert_eq!(on, 100);
    }

    #[test]
    fn names_are_case_insensitive_on_both_paths_as_in_tfe() {
        let mut state = tfe_sandbox::Sandbox::seeded().state;
        state.generate(80);
        let c = client_with(ADMIN, InProcess::new(tfe_sandbox::Sandbox::new(state)));
        let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
        // Few names are read one by one, many from the admin list: the same answer either way.
        for count in [3usize, 60] {
            let names: Vec<String> = (1..=count).map(|n| format!("GENERATED-{n:05}")).collect();
            let items = block_on(c.admin_update_many(&names, &body, true, || false, |_| {})).unwrap();
            let missing: Vec<_> = items.iter().filter(|i| matches!(i.outcome, Outcome::Failed(_))).collect();
            assert!(missing.is_empty(), "{count} names: {:?}", outcomes(&items));
        }
    }
}

/// Registry sharing (newer releases): the request matches the spec's sample by value, provider
/// consumers read back, and the provider sharing intent never over-shares.
#[test]
fn registry_partnerships_and_provider_sharing() {
    let c = admin();
    let t = c.transport();
    block_on(async {
        let modules = vec!["acme-data".to_string(), "acme-payments".to_string()];
        let providers = vec!["acme-data".to_string()];
        c.set_registry_partnerships("acme-security", Some(&modules), Some(&providers)).await.unwrap();
        let sent = t.last_request();
        assert_eq!(
            (sent.method, sent.url.ends_with("/admin/organizations/acme-security/registry-partnerships")),
            ("PUT", true)
        );
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/registry-sharing/registry-partnerships-payload.json"
        ))
        .unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(sent.body.as_deref().unwrap()).unwrap(), fixture);
        let page = c.list_provider_consumers("acme-security", &ListOptions::default()).await.unwrap();
        assert_eq!(names(&page.items), ["acme-data"]);
        // Only the provider list: modules stay as they were.
        c.set_registry_partnerships("acme-security", None, Some(&[])).await.unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(t.last_request().body.as_deref().unwrap()).unwrap()["data"]
                ["attributes"],
            serde_json::json!({ "provider_consumers": [] })
        );
        assert_eq!(
            names(&c.list_module_consumers("acme-security", &ListOptions::default()).await.unwrap().items),
            ["acme-data", "acme-payments"]
        );
        // A bad name is refused before any request, pointed at by index.
        let before = t.request_count();
        let e = c
            .set_registry_partnerships("acme-security", Some(&["ok-org".into(), "Not A Name!".into()]), None)
            .await
            .unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Validation, Some("/data/attributes/module_consumers/1")));
        assert_eq!(t.request_count(), before);

        // From global to a list: the list first (it turns global off), never global + list.
        let all = c.list_all_provider_consumers("platform-core", &mut |_| {}).await.unwrap();
        assert!(all.is_empty(), "platform-core shares its providers globally");
        let intent = SharingIntent { global: Some(false), consumers: Some(vec!["hashicorp".into()]) };
        let before = t.request_count();
        c.update_provider_sharing("platform-core", &intent).await.unwrap();
        let writes: Vec<String> = t.requests.borrow()[before..]
            .iter()
            .map(|r| format!("{} {}", r.method, r.url.rsplit("/api/v2").next().unwrap()))
            .collect();
        assert_eq!(writes, ["PUT /admin/organizations/platform-core/registry-partnerships"]);
        let org = c.admin_read("platform-core").await.unwrap();
        assert_eq!(org.attributes.global_provider_sharing, Some(false));
        assert_eq!(
            names(&c.list_provider_consumers("platform-core", &ListOptions::default()).await.unwrap().items),
            ["hashicorp"]
        );
        // Back to everyone: one admin write; its list is cleared by the instance.
        c.update_provider_sharing("platform-core", &SharingIntent { global: Some(true), consumers: None })
            .await
            .unwrap();
        assert!(c.list_provider_consumers("platform-core", &ListOptions::default()).await.unwrap().items.is_empty());
        let e = c
            .update_provider_sharing(
                "platform-core",
                &SharingIntent { global: Some(true), consumers: Some(vec!["hashicorp".into()]) },
            )
            .await
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("/data/attributes/global-provider-sharing"));
        // The provider producer filter.
        let producers = ListOptions { provider_producer: Some(true), ..Default::default() };
        assert_eq!(c.admin_list(&producers).await.unwrap().pagination.unwrap().total_count, Some(3));

        // The same through the registry-generic calls the page uses: its filter, its flag, its
        // consumer list, its write path.
        assert_eq!(Registry::Providers.producers(), producers);
        let org = c.admin_read("platform-core").await.unwrap();
        assert_eq!(
            (Registry::Providers.shares_globally(&org.attributes), Registry::Modules.global_flag()),
            (Some(true), "global-module-sharing")
        );
        let intent = SharingIntent { global: Some(false), consumers: Some(vec!["acme-data".into()]) };
        c.update_sharing(Registry::Providers, "platform-core", &intent).await.unwrap();
        assert!(t.last_request().url.ends_with("/registry-partnerships"));
        let consumers = c.list_all_consumers(Registry::Providers, "platform-core", &mut |_| {}).await.unwrap();
        assert_eq!(names(&consumers), ["acme-data"]);
        let modules = c.list_consumers(Registry::Modules, "platform-core", &ListOptions::default()).await.unwrap();
        assert!(t.last_request().url.contains("/relationships/module-consumers"));
        let direct = c.list_module_consumers("platform-core", &ListOptions::default()).await.unwrap();
        assert_eq!(names(&modules.items), names(&direct.items));
    });
}

/// Big lists ask for the next pages while the first is on its way; once the first tells the
/// total, pages past the end that were not sent yet never are.
#[test]
fn list_all_looks_ahead_only_as_far_as_the_list_goes() {
    let c = admin();
    let t = c.transport();
    let all = block_on(c.admin_list_all(&ListOptions::default(), &mut |_| {})).unwrap();
    assert_eq!(all.len(), 30);
    assert_eq!(t.request_count(), 1, "one page: the look-ahead pages were dropped unsent");
    let before = t.request_count();
    let paged = ListOptions { page_size: Some(7), ..Default::default() };
    let all = block_on(c.admin_list_all(&paged, &mut |_| {})).unwrap();
    assert_eq!(all.len(), 30);
    let names: Vec<&str> = all.iter().map(|o| o.id.as_str()).collect();
    let mut sorted_as_listed = block_on(c.admin_list(&ListOptions::page(1, 100))).unwrap().items;
    sorted_as_listed.truncate(30);
    assert_eq!(names, sorted_as_listed.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), "pages joined in order");
    assert_eq!(t.request_count() - before, 5 + 1, "5 pages of 7, nothing past the end (and the check's own read)");
}

/// A sandbox of `count` generated organizations where `generated-00001` shares its modules with
/// `modules` of them and its providers with `providers` others.
fn big_producer(count: usize, modules: usize, providers: usize) -> Client<InProcess> {
    let mut state = tfe_sandbox::state::seed();
    state.generate(count);
    let producer = state.org_index("generated-00001").unwrap();
    state.orgs[producer].admin.global_module_sharing = Some(false);
    state.orgs[producer].consumers = (2..2 + modules).map(|i| format!("generated-{i:05}")).collect();
    state.orgs[producer].provider_consumers =
        (2 + modules..2 + modules + providers).map(|i| format!("generated-{i:05}")).collect();
    client_with(ADMIN, InProcess::new(tfe_sandbox::Sandbox::new(state)))
}

#[test]
fn a_sharing_of_250_consumers_is_read_in_full_edited_and_saved_without_losing_one() {
    use tfe_orgs::client::SharingSave;
    let c = big_producer(600, 250, 0);
    block_on(async {
        let name = "generated-00001";
        for (change, expected) in [(1i32, 251usize), (-2, 249)] {
            let seeded = c.read_sharing(Registry::Modules, name, &mut |_| {}).await.unwrap();
            let mut consumers: Vec<String> = seeded.consumers().iter().cloned().collect();
            if change > 0 {
                consumers.push("generated-00500".into());
            } else {
                consumers.retain(|n| n != "generated-00500" && n != "generated-00002");
            }
            let intent = SharingIntent { global: Some(false), consumers: Some(consumers) };
            let saved = c.save_sharing(Registry::Modules, name, &seeded, &intent).await.unwrap();
            let SharingSave::Saved(state) = saved else { panic!("nothing changed meanwhile") };
            let all = c.list_all_module_consumers(name, &mut |_| {}).await.unwrap();
            assert_eq!(all.len(), expected, "3 pages read, edited and written back");
            assert_eq!(state.consumers().len(), expected, "the state after the save is what the instance holds");
            assert_eq!(state, c.read_sharing(Registry::Modules, name, &mut |_| {}).await.unwrap());
        }
    });
}

#[test]
fn a_save_after_a_concurrent_change_writes_nothing_and_says_what_changed() {
    use tfe_orgs::client::SharingSave;
    let c = big_producer(300, 150, 130);
    let t = c.transport();
    block_on(async {
        let name = "generated-00001";
        let seeded = c.read_sharing(Registry::Providers, name, &mut |_| {}).await.unwrap();
        assert_eq!(seeded.consumers().len(), 130);
        // Another admin adds one meanwhile.
        let mut theirs: Vec<String> = seeded.consumers().iter().cloned().collect();
        theirs.push("generated-00299".into());
        c.set_registry_partnerships(name, None, Some(&theirs)).await.unwrap();
        let before = t.request_count();
        let mine = SharingIntent { global: Some(false), consumers: Some(vec!["generated-00002".into()]) };
        let outcome = c.save_sharing(Registry::Providers, name, &seeded, &mine).await.unwrap();
        let SharingSave::Changed { now } = outcome else { panic!("the change must be detected") };
        assert_eq!(seeded.changes_to(&now).gained, vec!["generated-00299".to_string()]);
        let writes = t.requests.borrow()[before..].iter().filter(|r| r.method != "GET").count();
        assert_eq!(writes, 0, "nothing is overwritten");
        assert_eq!(c.list_all_provider_consumers(name, &mut |_| {}).await.unwrap().len(), 131);
        // An invalid intent is refused before any request.
        let before = t.request_count();
        let bad = SharingIntent { global: Some(true), consumers: Some(vec!["generated-00002".into()]) };
        let e = c.save_sharing(Registry::Modules, name, &seeded, &bad).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(t.request_count(), before);
    });
}

#[test]
fn the_impact_of_deleting_a_producer_names_every_consumer_and_the_producers_it_uses() {
    let c = big_producer(400, 150, 130);
    block_on(async {
        let mut updates = 0;
        let impact = c.access_impact("generated-00001", &mut |_| updates += 1).await.unwrap();
        assert_eq!(impact.modules.consumers().len(), 150);
        assert_eq!(impact.providers.as_ref().map(|p| p.consumers().len()), Some(130));
        assert!(updates >= 4, "progress of each page of each list ({updates})");
        // generated-00010 uses generated-00001's modules, its neighbour's (every 11th generated
        // organization shares with the one before it) and those shared globally.
        let consumer = c.access_impact("generated-00010", &mut |_| {}).await.unwrap();
        for producer in ["generated-00001", "generated-00011", "generated-00097", "platform-core"] {
            assert!(consumer.producers.contains(&producer.to_string()), "{producer} in {:?}", consumer.producers);
        }
        assert!(!consumer.producers.contains(&"generated-00012".to_string()));
    });
}

#[test]
fn a_bulk_selection_is_told_which_of_its_producers_share_with_whom() {
    let c = big_producer(300, 150, 130);
    block_on(async {
        // generated-00001 (150 + 130), generated-00011 (one consumer), generated-00097 (global),
        // generated-00005 (shares nothing); names as typed, in any case.
        let names: Vec<String> =
            ["GENERATED-00001", "generated-00011", "generated-00097", "generated-00005"].map(String::from).to_vec();
        let mut updates = Vec::new();
        let found = c
            .sharing_of_many(Some(&names), &[Registry::Modules, Registry::Providers], &mut |d, t| updates.push((d, t)))
            .await
            .unwrap();
        let mut summary: Vec<(&str, &str, bool, usize)> = found
            .iter()
            .map(|p| (p.name.as_str(), p.registry.noun(), p.state.global(), p.state.consumers().len()))
            .collect();
        summary.sort();
        assert_eq!(
            summary,
            [
                ("generated-00001", "modules", false, 150),
                ("generated-00001", "providers", false, 130),
                ("generated-00011", "modules", false, 1),
                ("generated-00097", "modules", true, 0),
            ]
        );
        assert_eq!(updates.last(), Some(&(4, 4)), "one update per producer read");
    });
}
