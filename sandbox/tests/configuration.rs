//! Configuration as data against the sandbox: a snapshot of every organization, a change made
//! behind its back, the diff that finds it, the plan and apply that put it back, and a second
//! apply that plans nothing.

use futures_executor::block_on;
use serde_json::json;
use tfe_orgs::client::Applied;
use tfe_orgs::snapshot::{diff, plan, Snapshot, SnapshotChange};
use tfe_orgs::Client;
use tfe_sandbox::in_process::InProcess;
use tfe_sandbox::{Release, Sandbox};

fn client(release: Release) -> Client<InProcess> {
    let sandbox = Sandbox { release, ..Sandbox::seeded() };
    Client::new("https://tfe.example.com", "sandbox-admin-token", InProcess::new(sandbox)).unwrap()
}

fn take(c: &Client<InProcess>) -> Snapshot {
    block_on(c.snapshot("2026-12-01T00:00:00Z", &mut |_| {})).unwrap()
}

#[test]
fn snapshot_drift_apply_and_nothing_left_to_do() {
    let c = client(Release::Current);
    let before = take(&c);
    let count = c.transport().sandbox.borrow().state.orgs.len();
    assert_eq!(before.organizations.len(), count, "every organization");
    assert_eq!(before.instance.as_ref().unwrap().release.as_deref(), Some("v202507-1"));
    assert!(before.problems().is_empty(), "{:#?}", before.problems());
    // Every document the tests produce reads back as the same document.
    assert_eq!(Snapshot::parse(&before.to_pretty_json()).unwrap(), before);
    let platform = &before.organizations["platform-core"];
    assert_eq!(platform.admin.global_module_sharing, Some(true));
    assert_eq!(platform.module_consumers.as_deref(), Some(&[][..]), "global: the flag says it all");
    let security = &before.organizations["acme-security"];
    assert!(security.provider_consumers.is_some(), "providers on a release that has them");
    assert!(before.organizations["hashicorp"].settings.email.is_some());

    // Behind its back: disabled, a timeout set, a consumer added, the email changed.
    {
        let mut s = c.transport().sandbox.borrow_mut();
        let org = s.state.orgs.iter_mut().find(|o| o.name() == "acme-data").unwrap();
        org.admin.is_disabled = Some(true);
        org.admin.plan_timeout = Some("5h".into());
        org.attributes.email = Some("changed@example.com".into());
        let producer = s.state.orgs.iter_mut().find(|o| o.name() == "acme-security").unwrap();
        producer.consumers.push("hashicorp".into());
    }
    let live = take(&c);
    let drift = diff(&before, &live);
    let brief: Vec<(String, String, SnapshotChange)> =
        drift.iter().map(|d| (d.organization.clone(), d.field.clone(), d.change.clone())).collect();
    assert_eq!(
        brief,
        [
            ("acme-data".into(), "admin/is-disabled".into(), SnapshotChange::Changed),
            ("acme-data".into(), "admin/plan-timeout".into(), SnapshotChange::Changed),
            ("acme-data".into(), "settings/email".into(), SnapshotChange::Changed),
            ("acme-security".into(), "module-consumers".into(), SnapshotChange::Added),
        ]
    );

    // Put it back: two organizations to write, nothing created, nothing else touched.
    let p = plan(&before, &live);
    assert_eq!(p.writes.iter().map(|w| w.organization.as_str()).collect::<Vec<_>>(), ["acme-data", "acme-security"]);
    assert!(p.missing.is_empty());
    let requests = c.transport().request_count();
    let outcomes = block_on(c.apply(&p, &|| false, &mut |_| {}));
    assert!(outcomes.iter().all(|(_, o)| *o == Applied::Done), "{outcomes:?}");
    assert!(c.transport().request_count() - requests <= 6, "only the writes and the reads they need");
    let after = take(&c);
    assert_eq!(diff(&before, &after), [], "the instance holds the snapshot again");
    assert!(plan(&before, &after).writes.is_empty(), "applying it twice plans nothing");

    // A partial document: one field of one organization, and one the instance lacks.
    let partial = Snapshot::parse(
        &json!({
            "format": "tfe-orgs/snapshot@1",
            "organizations": { "hashicorp": { "admin": { "access-beta-tools": true } }, "no-such-org": {} }
        })
        .to_string(),
    )
    .unwrap();
    let p = plan(&partial, &after);
    assert_eq!(p.missing, ["no-such-org"]);
    assert_eq!(p.writes.len(), 1);
    assert_eq!(p.writes[0].admin.access_beta_tools, Some(true));
    assert_eq!(p.writes[0].settings, Default::default(), "fields it does not name are left alone");
}

#[test]
fn an_older_release_is_snapshotted_under_its_names() {
    let c = client(Release::R202103);
    let snap = take(&c);
    assert_eq!(snap.instance.as_ref().unwrap().release.as_deref(), Some("v202103-1"));
    let data = &snap.organizations["acme-data"];
    assert!(data.admin.plan_timeout.is_some(), "the one timeout name, read from the old one");
    assert!(data.admin.workspace_limit.is_none(), "a release without it");
    assert!(data.provider_consumers.is_none(), "no provider sharing there");
    // Its timeouts written back go under the old names.
    let mut desired = snap.clone();
    desired.organizations.get_mut("acme-data").unwrap().admin.plan_timeout = Some(Some("2h".into()));
    let outcomes = block_on(c.apply(&plan(&desired, &snap), &|| false, &mut |_| {}));
    assert_eq!(outcomes, [("acme-data".to_string(), Applied::Done)]);
    let body = c.transport().last_request().body.unwrap();
    assert!(body.contains("terraform-build-worker-plan-timeout"), "{body}");
    assert_eq!(diff(&desired, &take(&c)), []);
}
