//! The sandbox's Explorer (#33): the modules and providers views with their filters, operators,
//! sort, fields, pages and CSV as explorer.md describes them; 404 where an instance or a token has
//! none; realistic generated usage; and the library's grant usage read from it, checked grant by
//! grant against the sandbox's own state.

use futures_executor::block_on;
use serde_json::Value;
use tfe_orgs::client::{Registry, Usage};
use tfe_orgs::model::{ExplorerView, RegistrySource};
use tfe_orgs::Client;
use tfe_sandbox::in_process::InProcess;
use tfe_sandbox::{Release, Request, Sandbox, State};

const ADMIN: &str = "sandbox-admin-token";
const OWNER: &str = "sandbox-owner-token";
const MEMBER: &str = "sandbox-member-token";

fn get(sandbox: &mut Sandbox, token: &str, path: &str) -> (u16, String) {
    let r = sandbox.handle(&Request::new("GET", &format!("/api/v2/{path}")).token(token));
    (r.status, r.body)
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

/// An organization whose modules view has at least `n` rows, and those rows as the state holds.
fn busy_org(sandbox: &Sandbox, n: usize) -> String {
    sandbox
        .state
        .orgs
        .iter()
        .find(|o| !o.explorer_closed && o.usage.iter().filter(|u| u.view == "modules").count() >= n)
        .map(|o| o.name().to_string())
        .expect("a busy organization")
}

#[test]
fn the_views_answer_with_filters_operators_sort_fields_pages_and_csv() {
    let mut state = tfe_sandbox::state::seed();
    state.generate(400);
    let mut sandbox = Sandbox::new(state);
    let org = busy_org(&sandbox, 3);
    let expected: Vec<_> =
        sandbox.state.org(&org).unwrap().usage.iter().filter(|u| u.view == "modules").cloned().collect();
    let (status, body) = get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=modules"));
    assert_eq!(status, 200, "{body}");
    let doc = json(&body);
    let rows = doc["data"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    assert_eq!(doc["meta"]["pagination"]["total-count"], expected.len());
    let first = &rows[0]["attributes"];
    assert_eq!(first["source"], expected[0].source.as_str());
    assert_eq!(first["workspace-count"], expected[0].workspaces.len());
    assert_eq!(first["workspaces"], expected[0].workspaces.join(",").as_str());
    assert!(first["registry-type"] == "public" || first["registry-type"] == "private");

    // Filters (ANDed) with each operator.
    let count = |sandbox: &mut Sandbox, query: &str| -> usize {
        let (status, body) = get(sandbox, ADMIN, &format!("organizations/{org}/explorer?type=modules&{query}"));
        assert_eq!(status, 200, "{query}: {body}");
        json(&body)["data"].as_array().unwrap().len()
    };
    let private = expected.iter().filter(|u| u.registry_type == "private").count();
    assert_eq!(count(&mut sandbox, "filter%5B0%5D%5Bregistry_type%5D%5Bis%5D%5B0%5D=private"), private);
    assert_eq!(count(&mut sandbox, "filter[0][registry_type][is_not][0]=private"), expected.len() - private);
    assert_eq!(
        count(&mut sandbox, "filter[0][source][contains][0]=CONSUL"),
        expected.iter().filter(|u| u.source.contains("consul")).count()
    );
    assert_eq!(
        count(&mut sandbox, "filter[0][source][does_not_contain][0]=consul&filter[1][registry_type][is][0]=private"),
        expected.iter().filter(|u| !u.source.contains("consul") && u.registry_type == "private").count()
    );
    assert_eq!(count(&mut sandbox, "filter[0][version][is_empty][0]="), 0);
    assert_eq!(count(&mut sandbox, "filter[0][version][is_not_empty][0]="), expected.len());
    for (op, keep) in [
        ("gt", &(|n: usize| n > 2) as &dyn Fn(usize) -> bool),
        ("lt", &|n| n < 2),
        ("gteq", &|n| n >= 2),
        ("lteq", &|n| n <= 2),
    ] {
        assert_eq!(
            count(&mut sandbox, &format!("filter[0][workspace_count][{op}][0]=2")),
            expected.iter().filter(|u| keep(u.workspaces.len())).count(),
            "{op}"
        );
    }
    // Sort, descending, by a number.
    let (_, body) =
        get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=modules&sort=-workspace_count"));
    let counts: Vec<u64> = json(&body)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["attributes"]["workspace-count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // Fields: only those asked for.
    let (_, body) = get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=modules&fields=name,source"));
    let attributes = json(&body)["data"][0]["attributes"].as_object().unwrap().clone();
    assert_eq!(attributes.keys().collect::<Vec<_>>(), ["name", "source"]);
    // Pages: size 1, page 2 is the second row.
    let (_, body) =
        get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=modules&page[number]=2&page[size]=1"));
    let doc = json(&body);
    assert_eq!(doc["data"].as_array().unwrap().len(), 1);
    assert_eq!(doc["data"][0]["attributes"]["source"], expected[1].source.as_str());
    assert_eq!(doc["meta"]["pagination"]["total-pages"], expected.len());
    // CSV: the whole view, snake_case headers, quoted where it has commas.
    let response = sandbox.handle(
        &Request::new("GET", &format!("/api/v2/organizations/{org}/explorer/export/csv?type=modules")).token(ADMIN),
    );
    assert_eq!(response.content_type(), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = response.body.lines().collect();
    assert_eq!(lines[0], "name,source,version,registry_type,curated,workspace_count,workspaces");
    assert_eq!(lines.len(), expected.len() + 1);
    let many = expected.iter().position(|u| u.workspaces.len() > 1).unwrap();
    assert!(lines[many + 1].ends_with(&format!("\"{}\"", expected[many].workspaces.join(","))), "{}", lines[many + 1]);
    // Providers.
    let (status, body) = get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=providers"));
    assert_eq!(status, 200);
    assert!(json(&body)["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["attributes"]["source"] == "registry.terraform.io/hashicorp/aws"));

    // Bad queries: 422 naming the parameter.
    for (query, parameter) in [
        ("", "type"),
        ("type=nope", "type"),
        ("type=modules&filter[0][colour][is][0]=red", "filter[0]"),
        ("type=modules&filter[0][name][sounds_like][0]=x", "filter[0]"),
        ("type=modules&filter[0][workspace_count][gt][0]=many", "filter[0]"),
        ("type=modules&filter[0][name][is_before][0]=2024-01-01", "filter[0]"),
        ("type=modules&sort=-colour", "sort"),
        ("type=modules&fields=name,colour", "fields"),
        ("type=modules&page[size]=500", "page[size]"),
    ] {
        let (status, body) = get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?{query}"));
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(json(&body)["errors"][0]["source"]["parameter"], parameter, "{query}: {body}");
    }
}

#[test]
fn the_workspaces_and_terraform_versions_views_are_drawn_from_the_same_workspaces() {
    let mut state = tfe_sandbox::state::seed();
    state.generate(400);
    let mut sandbox = Sandbox::new(state);
    let org = busy_org(&sandbox, 3);
    let usage = sandbox.state.org(&org).unwrap().usage.clone();
    let mut names: Vec<&str> = usage.iter().flat_map(|u| u.workspaces.iter().map(String::as_str)).collect();
    names.sort_unstable();
    names.dedup();
    let all = |sandbox: &mut Sandbox, query: &str| -> Vec<Value> {
        let (status, body) = get(sandbox, ADMIN, &format!("organizations/{org}/explorer?{query}&page[size]=100"));
        assert_eq!(status, 200, "{query}: {body}");
        json(&body)["data"].as_array().unwrap().iter().map(|r| r["attributes"].clone()).collect()
    };
    // A row per workspace, with what it uses.
    let workspaces = all(&mut sandbox, "type=workspaces");
    let seen: Vec<&str> = workspaces.iter().map(|w| w["workspace-name"].as_str().unwrap()).collect();
    assert_eq!(seen, names);
    for w in &workspaces {
        let name = w["workspace-name"].as_str().unwrap();
        let uses =
            |view: &str| usage.iter().filter(|u| u.view == view && u.workspaces.iter().any(|n| n == name)).count();
        assert_eq!(w["module-count"], uses("modules"), "{name}");
        assert_eq!(w["provider-count"], uses("providers"), "{name}");
        assert_eq!(w["organization-name"], org.as_str());
        let modules = w["modules"].as_str().unwrap();
        assert_eq!(modules.split(',').filter(|m| !m.is_empty()).count(), uses("modules"), "{modules}");
    }
    // A row per Terraform version: every workspace counted once, under the version its row says.
    let versions = all(&mut sandbox, "type=tf_versions&sort=-workspace_count");
    let counted: u64 = versions.iter().map(|v| v["workspace-count"].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, names.len());
    let counts: Vec<u64> = versions.iter().map(|v| v["workspace-count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|c| c[0] >= c[1]), "{counts:?}");
    for v in &versions {
        for name in v["workspaces"].as_str().unwrap().split(',') {
            let row = workspaces.iter().find(|w| w["workspace-name"] == name).unwrap();
            assert_eq!(row["workspace-terraform-version"], v["version"], "{name}");
        }
    }
    // Filters on their own fields; another view's field is refused, naming the parameter.
    let one = versions[0]["version"].as_str().unwrap().to_string();
    let on_one = all(&mut sandbox, &format!("type=workspaces&filter[0][workspace_terraform_version][is][0]={one}"));
    assert_eq!(on_one.len() as u64, versions[0]["workspace-count"].as_u64().unwrap());
    let busy = all(&mut sandbox, "type=workspaces&filter[0][module_count][gt][0]=1");
    assert_eq!(busy.len(), workspaces.iter().filter(|w| w["module-count"].as_u64().unwrap() > 1).count());
    let (status, body) =
        get(&mut sandbox, ADMIN, &format!("organizations/{org}/explorer?type=tf_versions&sort=source"));
    assert_eq!(status, 422, "{body}");
    assert_eq!(json(&body)["errors"][0]["source"]["parameter"], "sort");
    // CSV with the view's own header.
    let response = sandbox.handle(
        &Request::new("GET", &format!("/api/v2/organizations/{org}/explorer/export/csv?type=tf_versions")).token(ADMIN),
    );
    let lines: Vec<&str> = response.body.lines().collect();
    assert_eq!(lines[0], "version,workspace_count,workspaces");
    assert_eq!(lines.len(), versions.len() + 1);
}

#[test]
fn explorer_answers_404_where_an_instance_or_a_token_has_none() {
    let mut sandbox = Sandbox::seeded();
    let path = "organizations/acme-payments/explorer?type=modules";
    assert_eq!(get(&mut sandbox, ADMIN, path).0, 200);
    // A member may not read it; the owners may; a site admin not where the organization is closed.
    let owned = sandbox.state.orgs.iter().find(|o| o.owners.contains(&"user-Owner000000000001".to_string()));
    let owned = owned.map(|o| o.name().to_string()).unwrap();
    assert_eq!(get(&mut sandbox, OWNER, &format!("organizations/{owned}/explorer?type=modules")).0, 200);
    let member_sees = sandbox.state.orgs.iter().find(|o| !o.members.is_empty() && !o.is_disabled());
    let member_sees = member_sees.map(|o| o.name().to_string()).unwrap();
    assert_eq!(get(&mut sandbox, MEMBER, &format!("organizations/{member_sees}/explorer?type=modules")).0, 404);
    assert_eq!(get(&mut sandbox, ADMIN, "organizations/umbrella-research/explorer?type=modules").0, 404);
    assert_eq!(get(&mut sandbox, ADMIN, "organizations/umbrella-research/explorer/export/csv?type=modules").0, 404);
    assert_eq!(
        get(&mut sandbox, "sandbox-carol-token", "organizations/umbrella-research/explorer?type=modules").0,
        200
    );
    // --explorer off, and every release before current.
    sandbox.explorer_off = true;
    assert_eq!(get(&mut sandbox, ADMIN, path).0, 404);
    sandbox.explorer_off = false;
    for release in Release::ALL.iter().filter(|r| **r != Release::Current) {
        sandbox.release = *release;
        assert_eq!(get(&mut sandbox, ADMIN, path).0, 404, "{release:?}");
    }
}

#[test]
fn generated_instances_have_realistic_usage() {
    let mut state = State::default();
    state.generate(2_000);
    let sandbox = Sandbox::new(state);
    let (mut used, mut unused, mut stale) = (0, 0, 0);
    for producer in &sandbox.state.orgs {
        for consumer in &producer.consumers {
            let c = sandbox.state.org(consumer).unwrap();
            if uses(c, producer.name(), "modules") {
                used += 1;
            } else {
                unused += 1;
            }
        }
    }
    for consumer in &sandbox.state.orgs {
        for u in consumer.usage.iter().filter(|u| u.registry_type == "private") {
            let owner = RegistrySource::parse(&u.source, &ExplorerView::Modules).map(|s| s.owner);
            if let Some(p) = owner.and_then(|o| sandbox.state.org(&o)).filter(|_| u.view == "modules") {
                stale += usize::from(!p.shares_with(consumer.name()));
            }
            assert!(!u.workspaces.is_empty() && u.workspaces.len() <= 12);
        }
    }
    let share = used as f64 / (used + unused) as f64;
    assert!((0.45..0.75).contains(&share), "most grants used, a sizeable share not: {used} used, {unused} unused");
    assert!(stale > 0, "some organizations use a producer that no longer shares with them");
}

/// Whether `consumer`'s workspaces use a private module (or provider) of `producer`.
fn uses(consumer: &tfe_sandbox::state::Org, producer: &str, view: &str) -> bool {
    let as_view = if view == "modules" { ExplorerView::Modules } else { ExplorerView::Providers };
    consumer.usage.iter().any(|u| {
        u.view == view
            && u.registry_type == "private"
            && RegistrySource::parse(&u.source, &as_view).is_some_and(|s| s.owner.eq_ignore_ascii_case(producer))
    })
}

#[test]
fn grant_usage_from_the_sandboxs_explorer_matches_its_state_grant_by_grant() {
    let mut state = tfe_sandbox::state::seed();
    state.generate(300);
    let expected_state = state.clone();
    let admin = Client::new("https://tfe.example.com", ADMIN, InProcess::new(Sandbox::new(state))).unwrap();
    for (registry, view) in [(Registry::Modules, "modules"), (Registry::Providers, "providers")] {
        let sent = admin.transport().request_count();
        let grants = block_on(admin.grant_usage(registry, None, &|| false, &mut |_, _| {})).unwrap();
        // Each organization's Explorer asked once (their views fit a page).
        let asked: Vec<String> = admin.transport().requests.borrow()[sent..]
            .iter()
            .filter_map(|r| r.url.split("/organizations/").nth(1)?.split_once("/explorer").map(|(o, _)| o.to_string()))
            .collect();
        let mut once = asked.clone();
        once.sort();
        once.dedup();
        assert_eq!(asked.len(), once.len(), "{view}: an organization's Explorer asked more than once");
        let mut specific = 0;
        for producer in expected_state.orgs.iter() {
            let list = if view == "modules" { &producer.consumers } else { &producer.provider_consumers };
            for consumer in list {
                specific += 1;
                let g = grants
                    .iter()
                    .find(|g| g.producer == producer.name() && g.consumer.eq_ignore_ascii_case(consumer) && !g.global)
                    .unwrap_or_else(|| panic!("{view}: {} → {consumer} missing", producer.name()));
                let c = expected_state.org(consumer).unwrap();
                match &g.usage {
                    Usage::Unknown { reason: why } => assert!(c.explorer_closed, "{why}"),
                    Usage::Used { items } => {
                        assert!(uses(c, producer.name(), view));
                        let workspaces: usize = items.iter().map(|i| i.workspaces.len()).sum();
                        assert_eq!(g.usage.workspace_count() as usize, workspaces);
                    }
                    Usage::Unused => assert!(!uses(c, producer.name(), view) && !c.explorer_closed),
                }
            }
        }
        assert_eq!(grants.iter().filter(|g| !g.global).count(), specific, "{view}");
        // A producer sharing with everyone: exactly the organizations that use it (and the unknown).
        for producer in expected_state.orgs.iter().filter(|p| {
            if view == "modules" {
                p.shares_modules_globally()
            } else {
                p.shares_providers_globally()
            }
        }) {
            let listed: Vec<_> = grants.iter().filter(|g| g.global && g.producer == producer.name()).collect();
            let users = expected_state
                .orgs
                .iter()
                .filter(|c| c.name() != producer.name() && !c.explorer_closed && uses(c, producer.name(), view))
                .count();
            assert_eq!(listed.iter().filter(|g| matches!(g.usage, Usage::Used { .. })).count(), users);
        }
    }
}

#[test]
fn while_explorer_backfills_no_grant_is_called_unused() {
    let mut state = tfe_sandbox::state::seed();
    state.generate(120);
    let admin = Client::new("https://tfe.example.com", ADMIN, InProcess::new(Sandbox::new(state))).unwrap();
    let read = || block_on(admin.grant_usage(Registry::Modules, None, &|| false, &mut |_, _| {})).unwrap();
    let done = read();
    assert!(done.iter().any(|g| g.usage == Usage::Unused), "some grants are unused once the backfill is done");
    admin.transport().sandbox.borrow_mut().explorer_backfilling = true;
    let running = read();
    assert_eq!(running.len(), done.len());
    for (before, now) in done.iter().zip(&running) {
        assert_eq!((&before.producer, &before.consumer), (&now.producer, &now.consumer));
        match (&before.usage, &now.usage) {
            (Usage::Unused, Usage::Unknown { reason }) => {
                assert!(reason.contains("not yet taken in every existing workspace (in_progress"), "{reason}")
            }
            (before, now) => assert_eq!(before, now, "used and unknown grants stay as they were"),
        }
    }
    // The status itself: site admins on an instance with Explorer, the current release only.
    let mut sandbox = Sandbox::seeded();
    sandbox.explorer_backfilling = true;
    let (status, body) = get(&mut sandbox, ADMIN, "admin/explorer-backfill-status");
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["data"]["attributes"]["status"], "in_progress");
    assert_eq!(get(&mut sandbox, OWNER, "admin/explorer-backfill-status").0, 404);
    sandbox.release = Release::R202301;
    assert_eq!(get(&mut sandbox, ADMIN, "admin/explorer-backfill-status").0, 404);
    sandbox.release = Release::Current;
    sandbox.explorer_off = true;
    assert_eq!(get(&mut sandbox, ADMIN, "admin/explorer-backfill-status").0, 404);
}
