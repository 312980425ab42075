//! Which grants are in use (#33, the library's part): the sandbox's organizations and sharing,
//! with each consumer's Explorer `modules` view answered from a table by a wrapper transport, as
//! explorer.md describes it (rows of another shape than the sandbox's own: snake/kebab spellings,
//! a host-less public namesake), so the library is checked against more than one server.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use futures_executor::block_on;
use serde_json::{json, Value};
use tfe_orgs::client::{Registry, Usage};
use tfe_orgs::model::AdminOrganizationUpdate;
use tfe_orgs::transport::{HttpRequest, HttpResponse, LocalFuture, Transport, TransportError};
use tfe_orgs::Client;
use tfe_sandbox::in_process::InProcess;

/// The sandbox, with `/organizations/:name/explorer` answered from `rows` (404 for `closed`).
struct WithExplorer {
    inner: InProcess,
    rows: RefCell<HashMap<String, Vec<Value>>>,
    closed: RefCell<Vec<String>>,
    reads: RefCell<Vec<String>>,
}

impl Transport for WithExplorer {
    fn send(&self, request: HttpRequest, timeout: Duration) -> LocalFuture<'_, Result<HttpResponse, TransportError>> {
        let Some(org) = request.url.split("/organizations/").nth(1).and_then(|r| r.strip_suffix_explorer()) else {
            return self.inner.send(request, timeout);
        };
        self.reads.borrow_mut().push(org.clone());
        let answer = if self.closed.borrow().contains(&org) {
            HttpResponse { status: 404, headers: vec![], body: r#"{"errors":[{"status":"404"}]}"#.into() }
        } else {
            let rows = self.rows.borrow().get(&org).cloned().unwrap_or_default();
            let meta = json!({ "pagination": { "current-page": 1, "total-pages": 1, "total-count": rows.len() } });
            HttpResponse { status: 200, headers: vec![], body: json!({ "data": rows, "meta": meta }).to_string() }
        };
        Box::pin(async move { Ok(answer) })
    }
    fn sleep(&self, duration: Duration) -> LocalFuture<'_, ()> {
        self.inner.sleep(duration)
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
}

trait ExplorerPath {
    fn strip_suffix_explorer(&self) -> Option<String>;
}
impl ExplorerPath for str {
    /// `acme/explorer?type=modules` → `acme`.
    fn strip_suffix_explorer(&self) -> Option<String> {
        let (org, rest) = self.split_once('/')?;
        rest.starts_with("explorer").then(|| org.to_string())
    }
}

fn row(source: &str, registry_type: &str, workspaces: &[&str]) -> Value {
    json!({ "id": "r", "type": "explorer-rows", "attributes": {
        "name": "vpc", "source": source, "version": "1.2.0", "registry-type": registry_type,
        "workspace-count": workspaces.len(), "workspaces": workspaces.join(",") } })
}

#[test]
fn every_grant_is_used_unused_or_unknown_and_each_consumer_is_read_once() {
    let transport = WithExplorer {
        inner: InProcess::seeded(),
        rows: RefCell::default(),
        closed: RefCell::default(),
        reads: RefCell::default(),
    };
    let admin = Client::new("https://tfe.example.com", "sandbox-admin-token", transport).unwrap();
    // Two producers sharing specifically with overlapping consumers, one sharing with everyone.
    let names: Vec<String> = block_on(admin.admin_list_all(&Default::default(), &mut |_| {}))
        .unwrap()
        .iter()
        .filter_map(|o| o.attributes.name.clone())
        .collect();
    let (p1, p2, global) = (&names[0], &names[1], &names[2]);
    let consumers: Vec<String> = names[3..7].to_vec();
    for (producer, list) in [(p1, &consumers[..3]), (p2, &consumers[1..])] {
        let intent = tfe_orgs::client::SharingIntent { global: Some(false), consumers: Some(list.to_vec()) };
        block_on(admin.update_module_sharing(producer, &intent)).unwrap();
    }
    let on = AdminOrganizationUpdate { global_module_sharing: Some(true), ..Default::default() };
    block_on(admin.admin_update(global, &on)).unwrap();
    for other in names.iter().filter(|n| ![p1, p2, global].contains(n)) {
        let off = tfe_orgs::client::SharingIntent { global: Some(false), consumers: Some(vec![]) };
        if !consumers.contains(other) {
            let _ = block_on(admin.update_module_sharing(other, &off));
        }
    }
    // consumers[0] uses p1's module in 2 workspaces; consumers[1] uses only a public module whose
    // namespace is p2's name (not p2's grant); consumers[2]'s Explorer cannot be read;
    // consumers[3] uses p2's and the global producer's.
    let host = "tfe.example.com";
    let rows = HashMap::from([
        (consumers[0].clone(), vec![row(&format!("{host}/{p1}/vpc/aws"), "private", &["web", "api"])]),
        (consumers[1].clone(), vec![row(&format!("{p2}/vpc/aws"), "public", &["x"])]),
        (
            consumers[3].clone(),
            vec![
                row(&format!("{host}/{p2}/vpc/aws"), "private", &["a"]),
                row(&format!("localterraform.com/{global}/dns/aws"), "private", &["b", "c", "d"]),
            ],
        ),
    ]);
    let c = admin;
    *c.transport().rows.borrow_mut() = rows;
    c.transport().closed.borrow_mut().push(consumers[2].clone());
    let wanted = [p1.clone(), p2.clone(), global.clone()];
    let mut progress = Vec::new();
    let grants = block_on(
        c.grant_usage(Registry::Modules, Some(&wanted), &|| false, &mut |done, total| progress.push((done, total))),
    )
    .unwrap();
    let of =
        |p: &str, consumer: &str| grants.iter().find(|g| g.producer == p && g.consumer == consumer).map(|g| &g.usage);
    // p1 → consumers[0]: used, with its module, version and workspaces.
    match of(p1, &consumers[0]) {
        Some(Usage::Used { items }) => {
            assert_eq!(
                (items[0].name.as_str(), items[0].version.as_deref(), items[0].workspace_count),
                ("vpc", Some("1.2.0"), 2)
            );
            assert_eq!(items[0].workspaces, ["web", "api"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(of(p1, &consumers[1]), Some(&Usage::Unused));
    assert_eq!(of(p2, &consumers[1]), Some(&Usage::Unused), "a public module of the same namespace is not the grant");
    assert!(matches!(of(p1, &consumers[2]), Some(Usage::Unknown { reason: why }) if why.contains("404")));
    assert!(matches!(of(p2, &consumers[2]), Some(Usage::Unknown { .. })));
    assert!(matches!(of(p2, &consumers[3]), Some(Usage::Used { items }) if items.len() == 1));
    // The global producer: only the organizations that use it are listed.
    let global_grants: Vec<_> = grants.iter().filter(|g| g.producer == *global).collect();
    assert_eq!(global_grants.len(), 2, "the user, and the one that cannot be read: {global_grants:?}");
    assert!(global_grants.iter().all(|g| g.global));
    assert_eq!(of(global, &consumers[3]).map(Usage::workspace_count), Some(3));
    // Each consumer read once, whatever the number of producers granting it.
    let reads = c.transport().reads.borrow().clone();
    let mut unique = reads.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(reads.len(), unique.len(), "{reads:?}");
    assert_eq!(progress.last().map(|p| p.0), Some(reads.len()));
    // Stopped before any read: every grant unknown, none guessed.
    let stopped =
        block_on(c.grant_usage(Registry::Modules, Some(std::slice::from_ref(p1)), &|| true, &mut |_, _| {})).unwrap();
    assert_eq!(stopped.len(), 3);
    assert!(
        stopped.iter().all(|g| matches!(&g.usage, Usage::Unknown { reason: why } if why.contains("stopped"))),
        "{stopped:?}"
    );
}
