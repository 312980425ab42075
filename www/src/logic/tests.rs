//! The page's logic checked without a browser.

use tfe_orgs::client::{Complete, Page, SharingState};
use tfe_orgs::model::OrganizationBody;
use tfe_orgs::validate::Rule;

use super::bulk::value_text;
use super::*;

#[test]
fn thousands_groups_digits() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(3400), "3,400");
    assert_eq!(thousands(10_000_000), "10,000,000");
}

#[test]
fn list_state_round_trips_through_the_url() {
    let state = ListState {
        q: "acme corp".into(),
        name: "a&b".into(),
        email: String::new(),
        producer: Producer::Sharing,
        provider_producer: Producer::NotSharing,
        status: Status::Disabled,
        size: 50,
        page: 3,
    };
    let query = state.to_query();
    assert_eq!(
        query,
        "q=acme%20corp&name=a%26b&producer=sharing&provider-producer=not-sharing&status=disabled&size=50&page=3"
    );
    let options = state.options(true);
    assert_eq!((options.module_producer, options.provider_producer), (Some(true), Some(false)));
    let pairs: Vec<(String, String)> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.replace("%20", " ").replace("%26", "&"))
        })
        .collect();
    let back = ListState::from_params(|k| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()));
    assert_eq!(back, state);
    assert_eq!(ListState::default().to_query(), "");
    let bad = ListState::from_params(|k| Some(if k == "size" { "7".into() } else { "0".into() }));
    assert_eq!((bad.size, bad.page), (20, 1));
    let options = state.options(true);
    assert_eq!(options.module_producer, Some(true));
    assert_eq!(options.include, vec!["owners".to_string()]);
    assert_eq!(state.options(false).module_producer, None);
}

#[test]
fn csv_quotes_and_defuses_formulas() {
    let rows = vec![Row {
        name: "acme".into(),
        email: "=HYPERLINK(\"x\")".into(),
        external_id: "org-1".into(),
        is_disabled: Some(true),
        global_module_sharing: None,
        owners: vec!["a@x.io".into(), "b@x.io".into()],
        consumer_counts: Some((3, 1)),
    }];
    assert_eq!(
        to_csv(&rows),
        "Name,Notification email,External id,Disabled,Share private modules with every organization,Owners\r\nacme,\"'=HYPERLINK(\"\"x\"\")\",org-1,Yes,,a@x.io b@x.io\r\n"
    );
    assert!(to_json(&rows).contains("\"external-id\": \"org-1\""));
}

#[test]
fn an_export_of_one_page_of_many_says_it_is_partial_in_its_name_and_inside() {
    let row = |name: &str| Row { name: name.into(), ..Row::default() };
    let rows = vec![row("a"), row("b")];
    let page = |current, pages, total| tfe_orgs::jsonapi::Pagination {
        current_page: Some(current),
        total_pages: Some(pages),
        total_count: Some(total),
        ..Default::default()
    };
    // All loaded, or a result on one page: complete, plain.
    assert_eq!(Extent::of(true, Some(&page(2, 152, 3030))), Extent::Every);
    assert_eq!(Extent::of(false, Some(&page(1, 1, 2))), Extent::Every);
    // An answer without the totals but with a next page is still one page of more.
    let partial_meta =
        tfe_orgs::jsonapi::Pagination { current_page: Some(1), next_page: Some(2), ..Default::default() };
    assert!(matches!(Extent::of(false, Some(&partial_meta)), Extent::Page { number: 1, .. }));
    assert_eq!(export_csv(&rows, Extent::Every), to_csv(&rows));
    assert_eq!(export_json(&rows, Extent::Every), to_json(&rows));
    assert_eq!(Extent::Every.file_name(crate::logic::ExportKind::Csv), "organizations.csv");
    // Page 2 of 152: named and marked.
    let extent = Extent::of(false, Some(&page(2, 152, 3030)));
    assert_eq!(extent.file_name(crate::logic::ExportKind::Csv), "organizations-page-2-of-152.csv");
    let csv = export_csv(&rows, extent);
    assert!(csv.starts_with("# partial: page 2 of 152, 2 of 3030 organizations"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "the note, the header, two rows");
    let json: serde_json::Value = serde_json::from_str(&export_json(&rows, extent)).unwrap();
    assert_eq!(json["partial"]["exported"], 2);
    assert_eq!(json["partial"]["organizations"], 3030);
    assert_eq!(json["organizations"].as_array().unwrap().len(), 2);
}

const PLAN: &str = "plan-timeout";
const APPLY: &str = "apply-timeout";

/// An admin draft with both timeouts at 2h.
fn two_hours() -> AdminDraft {
    let mut draft = AdminDraft::default();
    draft.set(PLAN, "2h");
    draft.set(APPLY, "2h");
    draft
}

#[test]
fn admin_changes_hold_only_changed_fields() {
    let before = two_hours();
    let mut after = before.clone();
    after.set("is-disabled", "true");
    after.set(PLAN, " 90m ");
    let body = after.changes(&before);
    assert_eq!(body.is_disabled, Some(true));
    assert_eq!(body.plan_timeout, Some(Some("90m".into())));
    assert_eq!((body.access_beta_tools, body.apply_timeout.clone()), (None, None));
    assert_eq!(
        after.diff(&before, &|_| None),
        vec![
            ("is-disabled", "Disabled".to_string(), "Off".to_string(), "On".to_string()),
            (PLAN, "Plan timeout".to_string(), "2h".to_string(), "90m".to_string())
        ]
    );
    after.set(APPLY, "soon");
    assert_eq!(after.errors()[0].field, "/data/attributes/apply-timeout");
}

#[test]
fn admin_timeouts_go_back_to_the_instance_default() {
    let mut before = two_hours();
    before.set(APPLY, "");
    before.set_unset(APPLY, true);
    let mut after = before.clone();
    after.set_unset(PLAN, true);
    let body = after.changes(&before);
    // `null` clears the plan timeout; the apply timeout was already the default and is not sent.
    assert_eq!(body.plan_timeout, Some(None));
    assert_eq!(body.apply_timeout, None);
    assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({ PLAN: null }));
    assert_eq!(
        after.diff(&before, &|_| None),
        vec![(PLAN, "Plan timeout".into(), "2h".into(), "Instance default".into())]
    );
    // Where the instance's default is known, the diff says it.
    let known = |key: &str| (key == PLAN).then(|| "3h".to_string());
    assert_eq!(after.diff(&before, &known)[0].3, "Instance default (3h)");
    // Choosing a value again needs one typed: blank names the choice it misses.
    after.set_unset(APPLY, false);
    let errors = after.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "/data/attributes/apply-timeout");
    assert!(errors[0].message.contains("instance default"), "{}", errors[0].message);
    after.set(APPLY, "3h");
    assert!(after.errors().is_empty());
    assert_eq!(after.changes(&before).apply_timeout, Some(Some("3h".into())));
}

#[test]
fn an_admin_draft_reads_every_row_from_the_organization() {
    use tfe_orgs::model::{AdminOrganization, AdminOrganizationUpdate, Attributes};
    let org: AdminOrganization = serde_json::from_value(serde_json::json!({
        "id": "acme", "type": "organizations",
        "attributes": { "name": "acme", "is-disabled": true, PLAN: "90m", APPLY: null, "global-module-sharing": false }
    }))
    .unwrap();
    let draft = AdminDraft::from_org(&org);
    assert!(draft.flag("is-disabled") && !draft.flag("access-beta-tools"));
    assert_eq!((draft.get(PLAN), draft.is_unset(PLAN), draft.is_unset(APPLY)), ("90m", false, true));
    assert_eq!(draft.changes(&draft), AdminOrganizationUpdate::default());
    for row in ADMIN_FORM {
        assert!(AdminOrganizationUpdate::field(row.key).is_some(), "{} is not in the admin body", row.key);
    }
}

#[test]
fn org_draft_enforces_cross_field_rules() {
    let mut draft = OrgDraft::with(&[("name", "acme"), ("email", "ops@acme.io")]);
    assert!(draft.errors().is_empty());
    draft.set("aggregated-commit-status-enabled", "true");
    assert!(draft.errors().is_empty(), "send-passing-statuses… is not in the form: no conflict");
    draft.set("default-execution-mode", "agent");
    assert!(draft.errors().iter().any(|e| e.field == "/data/attributes/default-agent-pool-id"));
    draft.set("default-agent-pool-id", "apool-1");
    draft.set("session-timeout", "ten");
    let errors = draft.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].rule, Rule::Type);
    assert_eq!(errors[0].field, "/data/attributes/session-timeout");
    let before = OrgDraft::with(&[("name", "acme"), ("email", "ops@acme.io")]);
    let mut after = before.clone();
    after.set("email", "new@acme.io");
    let body = after.changes(&before);
    assert_eq!(body, OrganizationBody { email: Some("new@acme.io".into()), ..Default::default() });
}

#[test]
fn org_form_rows_name_writable_attributes_and_type_every_value() {
    use tfe_orgs::model::{Attributes, ExecutionMode, Organization, Shape};
    // Every row is an attribute of the body; flags and choices start at a value of their kind;
    // what TFE refuses to change is not offered.
    assert!(ORG_FORM.iter().all(|r| r.key != tfe_orgs::validate::SEND_PASSING));
    for row in ORG_FORM {
        let field = OrganizationBody::field(row.key).unwrap_or_else(|| panic!("{} is not in the body", row.key));
        match field.shape {
            Shape::Flag => assert!(["true", "false"].contains(&row.default), "{}", row.key),
            Shape::Choice(options) => assert!(options.iter().any(|(v, _)| *v == row.default), "{}", row.key),
            _ => assert_eq!(row.default, "", "{}", row.key),
        }
    }
    // A new draft's body: the defaults, blank text left out, the pool only with the agent mode.
    let (body, errors) = OrgDraft::with(&[("name", " acme "), ("default-agent-pool-id", "apool-1")]).body();
    assert!(errors.is_empty());
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(sent["name"], "acme");
    assert_eq!((body.default_execution_mode, body.default_agent_pool_id), (Some(ExecutionMode::Remote), None));
    // Every row with a default is sent with it; the others (blank text, and rows offered only
    // where the instance sent the attribute) are not.
    for row in ORG_FORM.iter().filter(|r| r.key != "name" && r.key != "default-agent-pool-id" && !r.when_sent) {
        let expected = match OrganizationBody::field(row.key).unwrap().shape {
            _ if row.default.is_empty() => serde_json::Value::Null,
            Shape::Flag => serde_json::Value::Bool(row.default == "true"),
            _ => row.default.into(),
        };
        assert_eq!(sent.get(row.key).cloned().unwrap_or_default(), expected, "{}", row.key);
    }
    // An organization read back: every value, typed; unset ones at the row's default.
    let org: Organization = serde_json::from_value(serde_json::json!({
        "id": "acme", "type": "organizations",
        "attributes": {
            "name": "acme", "email": "ops@acme.io", "session-timeout": 20160, "session-remember": null,
            "collaborator-auth-policy": "two_factor_mandatory", "cost-estimation-enabled": false,
            "owners-team-saml-role-id": "owners", "default-execution-mode": "agent", "assessments-enforced": true
        }
    }))
    .unwrap();
    let draft = OrgDraft::from_org(&org, Some("apool-9"), None);
    assert_eq!(draft.get("session-timeout"), "20160");
    assert_eq!(draft.get("session-remember"), "");
    assert!(!draft.flag("cost-estimation-enabled") && draft.flag("assessments-enforced"));
    let (body, _) = draft.body();
    assert_eq!(body.session_timeout, Some(20160));
    assert_eq!(body.collaborator_auth_policy, Some("two_factor_mandatory".into()));
    assert_eq!(body.default_agent_pool_id.as_deref(), Some("apool-9"));
    assert_eq!(draft.changes(&draft), OrganizationBody::default(), "nothing changed, nothing sent");
    // A create sends what differs from the documented defaults, nothing else.
    let new = OrgDraft::with(&[("name", "acme"), ("email", "ops@acme.io"), ("assessments-enforced", "true")]);
    assert_eq!(
        serde_json::to_value(new.create_body()).unwrap(),
        serde_json::json!({ "name": "acme", "email": "ops@acme.io", "assessments-enforced": true })
    );
    let mut remote = draft.clone();
    remote.set("default-execution-mode", "remote");
    let change = remote.changes(&draft);
    assert_eq!(change.default_execution_mode, Some(ExecutionMode::Remote));
    assert_eq!(change.default_agent_pool_id, None, "the hidden pool is not sent");
}

#[test]
fn sharing_summary_names_who_gains_and_loses() {
    let specific = |names: &[&str]| Sharing {
        mode: SharingMode::Specific,
        consumers: names.iter().map(|s| s.to_string()).collect(),
    };
    let all = Sharing { mode: SharingMode::All, ..Default::default() };
    let none = Sharing::default();
    let s = SharingSummary::between(&specific(&["a", "b"]), &specific(&["b", "c"]));
    assert_eq!((s.gains, s.loses), (vec!["c".to_string()], vec!["a".to_string()]));
    assert!(SharingSummary::between(&none, &all).everyone_gains);
    let s = SharingSummary::between(&all, &specific(&["x"]));
    assert_eq!(s.lines(), vec!["Every organization loses access except 1 organization.".to_string()]);
    assert_eq!(s.keeps, vec!["x".to_string()]);
    assert!(SharingSummary::between(&all, &all).is_empty());
    assert_eq!(SharingSummary::between(&none, &none).lines(), vec!["No change.".to_string()]);
    assert_eq!(specific(&["x"]).intent().consumers, Some(vec!["x".to_string()]));
    assert_eq!(all.intent().consumers, None);
    assert!(specific(&[]).errors().is_some());
    assert_eq!(Sharing::from_state(&SharingState::new(false, full(&["q"]))).mode, SharingMode::Specific);
    assert_eq!(Sharing::from_state(&SharingState::new(true, full(&["q"]))), all);
    let s = SharingSummary::between(&specific(&["a", "b", "c"]), &specific(&[]));
    assert_eq!(s.lines(), vec!["3 organizations lose access.".to_string()]);
}

/// A list read in full, as list-all returns it (one page without more to follow).
fn full(names: &[&str]) -> Complete<String> {
    use futures_util::FutureExt;
    let page = Page {
        items: names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        pagination: None,
        status_counts: None,
        included: Vec::new(),
    };
    tfe_orgs::client::list_all(|_| std::future::ready(Ok(page.clone())), &|| 1, 0, &mut |_| {})
        .now_or_never()
        .expect("ready")
        .expect("one page")
}

#[test]
fn a_draft_rebased_on_a_concurrent_change_keeps_both_sides() {
    let specific = |names: &[&str]| Sharing {
        mode: SharingMode::Specific,
        consumers: names.iter().map(|s| s.to_string()).collect(),
    };
    let seeded = specific(&["a", "b", "c"]);
    // The user added d and removed a; someone else added x and removed c meanwhile.
    let draft = specific(&["b", "c", "d"]);
    let now = specific(&["a", "b", "x"]);
    assert_eq!(draft.rebase(&seeded, &now), specific(&["b", "d", "x"]));
    // No edits: the rebase is the new state exactly.
    assert_eq!(seeded.rebase(&seeded, &now), now);
    // Someone turned global sharing on: an untouched draft follows, the user's mode change wins.
    let all = Sharing { mode: SharingMode::All, ..Default::default() };
    assert_eq!(seeded.rebase(&seeded, &all), all);
    let none = Sharing::default();
    assert_eq!(
        Sharing { mode: SharingMode::NotShared, ..seeded.clone() }.rebase(&seeded, &all).mode,
        SharingMode::NotShared
    );
    // Removing the last consumer on top of a state that has no others shares with nobody.
    assert_eq!(specific(&[]).rebase(&specific(&["a"]), &specific(&["a"])), none);
}

#[test]
fn a_state_read_in_full_predicts_itself_after_an_intent_and_names_what_changed() {
    let before = SharingState::new(false, full(&["a", "b"]));
    let after = before.after(&specific_intent(&["b", "c"]));
    assert_eq!(after, SharingState::new(false, full(&["b", "c"])));
    let change = before.changes_to(&after);
    assert_eq!((change.gained, change.lost, change.global), (vec!["c".to_string()], vec!["a".to_string()], None));
    let global = before.after(&Sharing { mode: SharingMode::All, ..Default::default() }.intent());
    assert!(global.global() && global.consumers().is_empty());
    assert_eq!(before.changes_to(&global).global, Some(true));
}

fn specific_intent(names: &[&str]) -> tfe_orgs::client::SharingIntent {
    Sharing { mode: SharingMode::Specific, consumers: names.iter().map(|s| s.to_string()).collect() }.intent()
}

#[test]
fn names_filter_case_insensitively() {
    let names: Vec<String> = ["Acme-Data", "acme-web", "globex"].iter().map(|s| s.to_string()).collect();
    assert_eq!(filter_names(&names, " ACME "), vec!["Acme-Data".to_string(), "acme-web".to_string()]);
    assert_eq!(filter_names(&names, "").len(), 3);
    assert!(filter_names(&names, "initech").is_empty());
}

#[test]
fn impact_counts_each_registry_and_lists_every_name_once() {
    let names = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}-{i:03}")).collect::<Vec<_>>();
    let modules: Vec<String> = names("m", 150);
    let mut providers: Vec<String> = names("p", 129);
    providers.push("m-000".into());
    let refs = |v: &[String]| full(&v.iter().map(String::as_str).collect::<Vec<_>>());
    let impact = Impact::from_states(
        &SharingState::new(false, refs(&modules)),
        Some(&SharingState::new(false, refs(&providers))),
    );
    assert_eq!(
        impact.lines(),
        vec![
            "150 organizations lose access to its private modules.".to_string(),
            "130 organizations lose access to its private providers.".to_string(),
        ]
    );
    let losing = impact.losing();
    assert_eq!(losing.len(), 279, "m-000 loses both, listed once");
    assert_eq!(losing[0], ("m-000".to_string(), "modules and providers"));
    let csv = impact.csv();
    assert_eq!(csv.lines().count(), 280);
    assert_eq!(csv.lines().nth(1), Some("m-000,modules and providers"));
    let global = Impact::from_states(&SharingState::new(true, full(&[])), None);
    assert_eq!(
        global.lines(),
        vec!["Every organization on the instance loses access to its private modules (shared globally today)."
            .to_string()]
    );
    let nobody = Impact::from_states(&SharingState::new(false, full(&[])), None);
    assert!(nobody.is_empty());
    assert_eq!(nobody.lines(), vec!["No other organization loses access to its private registries.".to_string()]);
}

#[test]
fn an_admin_draft_rebased_keeps_typed_fields_and_takes_the_others_from_the_instance() {
    let old = AdminDraft::default();
    let mut typed = old.clone();
    typed.set(PLAN, "2h");
    // Another editor turned global module sharing on meanwhile.
    let mut new = old.clone();
    new.set("global-module-sharing", "true");
    let rebased = typed.rebase(&old, &new);
    assert!(rebased.flag("global-module-sharing"), "the other editor's save shows");
    assert_eq!(rebased.get(PLAN), "2h", "what the user typed stays");
    assert_eq!(old.rebase(&old, &new), new);
}

#[test]
fn map_layout_places_nodes_and_edges() {
    let layout = map_layout(&[
        Producing { name: "p1".into(), consumers: None, pending: None, read: None },
        Producing { name: "p2".into(), consumers: Some(vec!["c1".into(), "c2".into()]), pending: None, read: None },
    ]);
    assert_eq!(layout.producers.len(), 2);
    assert_eq!(layout.consumers.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), vec!["c1", "c2"]);
    assert_eq!(layout.edges.len(), 3);
    assert_eq!(layout.edges.iter().filter(|e| e.2).count(), 1);
    assert_eq!(layout.everyone_y, Some(24));
}

#[test]
fn bulk_actions_send_one_attribute_and_check_durations() {
    use crate::logic::bulk::{results_csv, results_in_order, to_retry, BulkAction};
    use tfe_orgs::client::bulk::{BulkItem, Change, Outcome};
    use tfe_orgs::client::{Error, ErrorKind};

    let action = |id: &str| BulkAction::parse(id).unwrap_or_else(|| panic!("no action {id}"));
    let body = |a: &str, d: &str| serde_json::to_value(action(a).body(d).unwrap()).unwrap();
    assert_eq!(body("is-disabled:on", ""), serde_json::json!({ "is-disabled": true }));
    assert_eq!(body("plan-timeout:reset", ""), serde_json::json!({ "plan-timeout": null }));
    assert_eq!(body("apply-timeout:set", " 90m "), serde_json::json!({ "apply-timeout": "90m" }));
    let e = action("plan-timeout:set").body("soon").unwrap_err();
    assert_eq!(e.field, "/data/attributes/plan-timeout");
    assert!(BulkAction::all().all(|a| BulkAction::parse(&a.id()) == Some(a)));
    // Derived from the declarations: the labels, and only what the instance's era has.
    let labels: Vec<String> = BulkAction::all().map(BulkAction::label).collect();
    assert_eq!(
        labels,
        [
            "Disable",
            "Enable",
            "Access beta tools: on",
            "Access beta tools: off",
            "Set the plan timeout…",
            "Plan timeout: back to the instance default",
            "Set the apply timeout…",
            "Apply timeout: back to the instance default",
            "Share modules with every organization: on",
            "Share modules with every organization: off",
            "Share providers with every organization: on",
            "Share providers with every organization: off",
            "Set the workspace limit…",
            "Remove the workspace limit",
        ]
    );
    use tfe_orgs::model::Era;
    let offered = |era| BulkAction::offered(Some(era)).map(|a| a.id()).collect::<Vec<_>>();
    assert!(!offered(Era::R202103)
        .iter()
        .any(|id| id.starts_with("workspace-limit") || id.starts_with("global-provider")));
    assert!(offered(Era::R202301).iter().any(|id| id.starts_with("global-provider")));
    assert!(!offered(Era::R202301).iter().any(|id| id.starts_with("workspace-limit")));
    assert_eq!(offered(Era::Current).len(), 14);
    assert_eq!(BulkAction::offered(None).count(), 14, "an era not known offers every action");
    assert_eq!(action("is-disabled:on").registries_lost().len(), 2);
    assert!(action("global-module-sharing:on").registries_lost().is_empty());

    let item = |name: &str, outcome: Outcome| BulkItem {
        name: name.into(),
        changes: vec![Change { field: "is-disabled".into(), from: false.into(), to: true.into() }],
        outcome,
    };
    let items = vec![
        item("a", Outcome::Updated),
        item("b", Outcome::Failed(Error::new(ErrorKind::Server, "HTTP 503: server error"))),
        item("c", Outcome::Unchanged),
        item("d", Outcome::NotSent),
    ];
    let ordered: Vec<String> = results_in_order(&items).into_iter().map(|i| i.name).collect();
    assert_eq!(ordered, ["b", "d", "a", "c"]);
    assert_eq!(to_retry(&items), ["b", "d"]);
    let csv = results_csv(&results_in_order(&items));
    assert_eq!(csv.lines().next(), Some("Organization,Outcome,Changes,Error"));
    assert!(csv.contains("b,failed,Disabled: Off → On,HTTP 503: server error\r\n"), "{csv}");

    // Retry failed: the results (and so the CSV and the undo) still hold every organization;
    // a retried one keeps the value the first run read before the change.
    let retried = vec![
        BulkItem {
            name: "b".into(),
            changes: vec![Change { field: "is-disabled".into(), from: true.into(), to: true.into() }],
            outcome: Outcome::Unchanged,
        },
        item("d", Outcome::Updated),
    ];
    let merged = crate::logic::bulk::merge_retry(&items, retried);
    assert_eq!(merged.len(), 4);
    let by_name = |n: &str| merged.iter().find(|i| i.name == n).unwrap().clone();
    assert!(matches!(by_name("a").outcome, Outcome::Updated));
    assert!(matches!(by_name("b").outcome, Outcome::Unchanged));
    assert_eq!(by_name("b").changes[0].from, serde_json::json!(false), "the before of the first run");
    assert!(matches!(by_name("d").outcome, Outcome::Updated));
    let undo = tfe_orgs::snapshot::undo_of_bulk(&merged);
    assert_eq!(undo["organizations"].as_object().unwrap().len(), 4);
    assert_eq!(undo["organizations"]["a"]["admin"]["is-disabled"], false);
}

#[test]
fn the_sharing_audit_filters_sorts_exports_and_answers() {
    use crate::logic::sharing_audit::*;
    let p = |name: &str, consumers: Option<&[&str]>| Producing {
        name: name.into(),
        consumers: consumers.map(|c| c.iter().map(|s| s.to_string()).collect()),
        pending: None,
        read: None,
    };
    let all =
        vec![p("b-prod", Some(&["x", "y", "z"])), p("a-prod", Some(&["x"])), p("global", None), p("lonely", Some(&[]))];
    let names = |rows: Vec<Producing>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
    assert_eq!(
        names(audit_rows(&all, &AuditFilter::default(), AuditSort::Name)),
        ["a-prod", "b-prod", "global", "lonely"]
    );
    assert_eq!(
        names(audit_rows(&all, &AuditFilter::default(), AuditSort::Consumers)),
        ["global", "b-prod", "a-prod", "lonely"]
    );
    let global = AuditFilter { global_only: true, ..Default::default() };
    assert_eq!(names(audit_rows(&all, &global, AuditSort::Name)), ["global"]);
    let many = AuditFilter { more_than: Some(1), ..Default::default() };
    assert_eq!(names(audit_rows(&all, &many, AuditSort::Name)), ["b-prod", "global"]);
    let text = AuditFilter { text: " Z ".into(), ..Default::default() };
    assert_eq!(names(audit_rows(&all, &text, AuditSort::Name)), ["b-prod"], "a consumer's name matches too");
    let e = edges(&all);
    assert_eq!(e.len(), 3 + 1 + 1);
    assert!(e.contains(&Edge { producer: "global".into(), consumer: "*".into(), kind: "global" }));
    assert_eq!(edges_csv(&e).lines().next(), Some("Producer,Consumer,Kind"));
    assert!(edges_json(&e).contains("\"kind\": \"specific\""));
    assert_eq!(who_can_use(&all, "global"), Users::Everyone);
    assert_eq!(who_can_use(&all, "a-prod"), Users::These(vec!["x".into()]));
    assert_eq!(who_can_use(&all, "lonely"), Users::Nobody);
    assert_eq!(who_can_use(&all, "x"), Users::Nobody);
}

#[test]
fn a_bulk_impact_counts_producers_consumers_and_global_sharing() {
    use tfe_orgs::client::{ProducerSharing, Registry};
    let p = |name: &str, registry, global, consumers: &[&str]| ProducerSharing {
        name: name.into(),
        registry,
        state: SharingState::new(global, full(consumers)),
    };
    let impact = BulkImpact::new(&[
        p("a", Registry::Modules, false, &["x", "y"]),
        p("a", Registry::Providers, false, &["y", "z"]),
        p("b", Registry::Modules, true, &[]),
    ]);
    assert_eq!((impact.producers, impact.global, impact.consumers.len()), (2, 1, 3));
    assert_eq!(
        impact.lines(),
        vec![
            "2 of these share with 3 organizations, who lose access.".to_string(),
            "1 shares with every organization on the instance (global sharing), which loses access.".to_string(),
        ]
    );
    assert_eq!(impact.csv().lines().count(), 6, "a header and five edges");
    assert!(impact.csv().contains("b,modules,*"));
    assert_eq!(BulkImpact::new(&[]).lines().len(), 1);
}

/// current-tfe.md: an older release's answer (the `terraform-build-worker-*` names) and a
/// current one (`apply-timeout`) are the same draft: never "instance default" because the
/// timeout came under the other name.
#[test]
fn an_admin_draft_reads_the_timeouts_under_either_name() {
    use tfe_orgs::model::AdminOrganization;
    let answer = |attributes: serde_json::Value| -> AdminOrganization {
        serde_json::from_value(serde_json::json!({ "id": "acme", "type": "organizations", "attributes": attributes }))
            .unwrap()
    };
    let old = AdminDraft::from_org(&answer(serde_json::json!({
        "terraform-build-worker-apply-timeout": "3h", "terraform-build-worker-plan-timeout": null
    })));
    let new = AdminDraft::from_org(&answer(serde_json::json!({ "apply-timeout": "3h", "plan-timeout": null })));
    assert_eq!((old.get(APPLY), old.is_unset(PLAN)), (new.get(APPLY), new.is_unset(PLAN)));
    // The older answer is an older release's: it is not offered a workspace limit (it would
    // refuse it with 422); the current one is.
    let limit = ADMIN_FORM.iter().find(|r| r.key == "workspace-limit").unwrap();
    assert!(!old.shows(limit) && new.shows(limit));
    assert!(!old.errors().iter().any(|e| e.field.ends_with("workspace-limit")));
    assert_eq!((old.get(APPLY), old.is_unset(APPLY), old.is_unset(PLAN)), ("3h", false, true));
    // The body names the timeouts once; the client picks the names the organization uses.
    let mut after = old.clone();
    after.set_unset(APPLY, true);
    assert_eq!(serde_json::to_value(after.changes(&old)).unwrap(), serde_json::json!({ APPLY: null }));
}

#[test]
fn the_workspace_limit_is_a_whole_number_or_no_limit() {
    let before = AdminDraft::default();
    assert!(before.is_unset("workspace-limit"), "a new draft has no limit");
    let mut after = before.clone();
    after.set("workspace-limit", "25");
    assert_eq!(after.changes(&before).workspace_limit, Some(Some(25)));
    assert_eq!(
        after.diff(&before, &|_| None),
        vec![("workspace-limit", "Workspace limit".into(), "No limit".into(), "25".into())]
    );
    for bad in ["-1", "2.5", "many"] {
        after.set("workspace-limit", bad);
        let errors = after.errors();
        assert_eq!(errors[0].field, "/data/attributes/workspace-limit", "{bad}");
        assert!(errors[0].message.contains("whole number of 0 or more"), "{}", errors[0].message);
    }
    // In bulk: set one, or remove it (null), each a rule of the library.
    let set = BulkAction::parse("workspace-limit:set").unwrap();
    assert_eq!(set.body(" 50 ").unwrap().workspace_limit, Some(Some(50)));
    assert_eq!(set.body("fifty").unwrap_err().field, "/data/attributes/workspace-limit");
    assert_eq!(BulkAction::parse("workspace-limit:reset").unwrap().body("").unwrap().workspace_limit, Some(None));
    assert_eq!(set.input().map(|i| i.0), Some("Workspace limit"));
    assert_eq!(value_text("workspace-limit", &serde_json::Value::Null), "No limit");
    assert_eq!(value_text(PLAN, &serde_json::Value::Null), "Instance default");
    assert_eq!(value_text("is-disabled", &serde_json::Value::Bool(true)), "On");
}

/// Rows for attributes only some instances have are offered where the answer carried them.
#[test]
fn user_tokens_and_hyok_are_offered_only_where_the_instance_sends_them() {
    let org = |extra: serde_json::Value| -> tfe_orgs::model::Organization {
        let mut attributes = serde_json::json!({ "name": "acme", "email": "a@acme.io" });
        attributes.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value(serde_json::json!({ "id": "acme", "type": "organizations", "attributes": attributes }))
            .unwrap()
    };
    let row = |key: &str| ORG_FORM.iter().find(|r| r.key == key).unwrap();
    let tfe = OrgDraft::from_org(&org(serde_json::json!({})), None, None);
    let hcp =
        OrgDraft::from_org(&org(serde_json::json!({ "user-tokens-enabled": false, "enforce-hyok": true })), None, None);
    for key in ["user-tokens-enabled", "enforce-hyok"] {
        assert!(!tfe.shows(row(key)), "{key}: not sent, not offered");
        assert!(hcp.shows(row(key)), "{key}: sent, offered");
        assert!(!OrgDraft::default().shows(row(key)), "{key}: not offered on create");
    }
    assert_eq!((hcp.get("user-tokens-enabled"), hcp.get("enforce-hyok")), ("false", "true"));
    // Not offered, not sent: an update from the TFE draft never names them.
    let mut changed = tfe.clone();
    changed.set("user-tokens-enabled", "false");
    assert_eq!(changed.changes(&tfe).user_tokens_enabled, None);
    let mut changed = hcp.clone();
    changed.set("user-tokens-enabled", "true");
    assert_eq!(changed.changes(&hcp).user_tokens_enabled, Some(true));
    assert!(
        row("speculative-plan-management-enabled").default == "true"
            && tfe.shows(row("speculative-plan-management-enabled"))
    );
}

/// A table drawn from the instance's counts, before the names are read: counted, sorted and
/// filtered by the counts.
#[test]
fn the_audit_counts_before_the_names_arrive() {
    use crate::logic::sharing_audit::*;
    let counted = |name: &str, n: usize| Producing {
        name: name.into(),
        consumers: Some(Vec::new()),
        pending: Some(n),
        read: None,
    };
    let all = vec![counted("small", 2), counted("big", 40), Producing { name: "global".into(), ..Default::default() }];
    assert_eq!(all[1].consumer_count(), Some(40));
    assert_eq!(all[2].consumer_count(), None, "every organization");
    let sorted: Vec<String> =
        audit_rows(&all, &AuditFilter::default(), AuditSort::Consumers).into_iter().map(|p| p.name).collect();
    assert_eq!(sorted, ["global", "big", "small"]);
    let many = AuditFilter { more_than: Some(10), ..Default::default() };
    let kept: Vec<String> = audit_rows(&all, &many, AuditSort::Name).into_iter().map(|p| p.name).collect();
    assert_eq!(kept, ["big", "global"]);
    // Once read, the names are the count.
    let read =
        Producing { name: "small".into(), consumers: Some(vec!["a".into(), "b".into()]), pending: None, read: None };
    assert_eq!(read.consumer_count(), Some(2));
}

#[test]
fn the_snapshot_screen_words_counts_filters_and_merges_a_retry() {
    use crate::logic::snapshot_view::{counts, describe, filtered, merge_results, only, results_csv, to_retry};
    use tfe_orgs::client::{Applied, Error, ErrorKind};
    use tfe_orgs::snapshot::{Snapshot, SnapshotChange, SnapshotDifference};

    let d = |org: &str, field: &str, change, from: serde_json::Value, to: serde_json::Value| SnapshotDifference {
        organization: org.into(),
        field: field.into(),
        change,
        from,
        to,
    };
    let all = vec![
        d("acme", "settings/email", SnapshotChange::Changed, "a@x.io".into(), "b@x.io".into()),
        d("acme", "admin/plan-timeout", SnapshotChange::Changed, serde_json::Value::Null, "2h".into()),
        d("ghost", "", SnapshotChange::Missing, serde_json::Value::Null, serde_json::Value::Null),
        d("other", "", SnapshotChange::Extra, serde_json::Value::Null, serde_json::Value::Null),
    ];
    assert_eq!(describe(&all[0]), "Notification email: file a@x.io · instance b@x.io");
    assert_eq!(describe(&all[1]), "Plan timeout: file Instance default · instance 2h");
    assert_eq!(crate::logic::snapshot_view::field_label("module-consumers"), "Module consumers");
    let (text, drift) = counts(&all);
    assert_eq!(text, "2 changed · 0 added · 0 removed · 1 missing · 1 extra");
    assert!(drift);
    assert!(!counts(&all[3..]).1, "an organization the file leaves alone is no drift");
    assert_eq!(filtered(&all, " EMAIL ").len(), 1);
    assert_eq!(filtered(&all, "missing").len(), 1);
    assert_eq!(filtered(&all, "").len(), 4);

    let failed = Applied::Failed(Error::new(ErrorKind::Server, "HTTP 503, a \"quote\""));
    let first = vec![("a".to_string(), Applied::Done), ("b".to_string(), failed), ("c".to_string(), Applied::NotSent)];
    assert_eq!(to_retry(&first), ["b", "c"]);
    let merged = merge_results(&first, vec![("b".into(), Applied::Done), ("c".into(), Applied::Done)]);
    assert_eq!(merged.len(), 3);
    assert!(to_retry(&merged).is_empty());
    assert_eq!(results_csv(&first).lines().nth(2), Some("b,failed,\"HTTP 503, a \"\"quote\"\"\""));
    let doc = Snapshot::parse(r#"{"format":"tfe-orgs/snapshot@1","organizations":{"a":{},"b":{},"c":{}}}"#).unwrap();
    assert_eq!(only(&doc, &["b".into()]).organizations.keys().collect::<Vec<_>>(), ["b"]);
}
