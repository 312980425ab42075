//! The module sharing audit: producers as rows (filtered, sorted), every sharing edge for
//! export, and "who can use whose modules" answered from what was read.

use serde::Serialize;

use tfe_orgs::client::{sort_by_dyn, Client, Error};
use tfe_orgs::transport::Transport;

use super::export::csv_cell;
use super::sharing_map::Producing;
use super::Registry;

/// Every producer of `registry` (`filter[module_producer]` / `filter[provider_producer]`) and,
/// for those not sharing globally, whom they share with. Where the instance counts each
/// producer's consumers (current releases), `overview` gets the table from the one admin
/// list-all first, and the names are read behind it.
pub async fn load_sharing<T: Transport>(
    api: &Client<T>,
    registry: Registry,
    progress: &dyn Fn(String),
    overview: impl FnOnce(Vec<Producing>),
) -> Result<Vec<Producing>, Error> {
    let producers = api.producers(registry).await?;
    if producers.iter().all(|p| p.global || p.count.is_some()) {
        overview(
            producers
                .iter()
                .map(|p| Producing {
                    name: p.name.clone(),
                    consumers: (!p.global).then(Vec::new),
                    pending: p.count.filter(|_| !p.global).map(|c| c as usize),
                    read: None,
                })
                .collect(),
        );
    }
    let mut on_progress = |done: usize, total: usize| progress(format!("{done} of {total} producers read"));
    // As many in flight as the measured latency needs to fill the rate limit (the library's
    // reading, which the bulk review uses too).
    let found = api.consumers_of(producers, &mut on_progress).await?;
    Ok(found
        .into_iter()
        .map(|p| Producing {
            consumers: (!p.state.global()).then(|| p.state.consumers().iter().cloned().collect()),
            name: p.name.clone(),
            pending: None,
            read: Some(p),
        })
        .collect())
}

/// How the audit table is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditSort {
    Name,
    /// Most consumers first (global producers count as every organization).
    Consumers,
}

/// What the table shows.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// Part of a producer's name or of one of its consumers' names (case-insensitive).
    pub text: String,
    pub global_only: bool,
    /// Producers sharing with more than this many organizations (global ones always do).
    pub more_than: Option<usize>,
}

impl AuditFilter {
    pub fn keeps(&self, p: &Producing) -> bool {
        let text = self.text.trim().to_ascii_lowercase();
        let named = text.is_empty()
            || p.name.to_ascii_lowercase().contains(&text)
            || p.consumers.iter().flatten().any(|c| c.to_ascii_lowercase().contains(&text));
        let global = !self.global_only || p.consumers.is_none();
        let many = self.more_than.is_none_or(|n| p.consumer_count().is_none_or(|c| c > n));
        named && global && many
    }
}

/// The producers the filter keeps, in the order asked.
pub fn audit_rows(producing: &[Producing], filter: &AuditFilter, sort: AuditSort) -> Vec<Producing> {
    let mut rows: Vec<Producing> = producing.iter().filter(|p| filter.keeps(p)).cloned().collect();
    let n = |p: &Producing| p.consumer_count().unwrap_or(usize::MAX);
    match sort {
        AuditSort::Name => sort_by_dyn(&mut rows, &|a, b| a.name.cmp(&b.name)),
        AuditSort::Consumers => sort_by_dyn(&mut rows, &|a, b| n(b).cmp(&n(a)).then_with(|| a.name.cmp(&b.name))),
    }
    rows
}

/// One sharing edge: `producer` shares its modules with `consumer` (`*` = every organization).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub producer: String,
    pub consumer: String,
    /// `specific` or `global`.
    pub kind: &'static str,
}

/// Every edge: one per specific consumer, one `*` edge per global producer.
pub fn edges(producing: &[Producing]) -> Vec<Edge> {
    let mut out = Vec::new();
    for p in producing {
        match &p.consumers {
            None => out.push(Edge { producer: p.name.clone(), consumer: "*".into(), kind: "global" }),
            Some(list) => out.extend(list.iter().map(|c| Edge {
                producer: p.name.clone(),
                consumer: c.clone(),
                kind: "specific",
            })),
        }
    }
    out
}

pub fn edges_csv(edges: &[Edge]) -> String {
    let mut out = String::from("Producer,Consumer,Kind\r\n");
    for e in edges {
        out.push_str(&format!("{},{},{}\r\n", csv_cell(&e.producer), csv_cell(&e.consumer), e.kind));
    }
    out
}

pub fn edges_json(edges: &[Edge]) -> String {
    serde_json::to_string_pretty(edges).unwrap_or_else(|_| "[]".into())
}

/// Who can use the modules of `name`, from what was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Users {
    Everyone,
    These(Vec<String>),
    /// `name` shares its modules with nobody.
    Nobody,
}

pub fn who_can_use(producing: &[Producing], name: &str) -> Users {
    match producing.iter().find(|p| p.name == name) {
        None => Users::Nobody,
        Some(Producing { consumers: None, .. }) => Users::Everyone,
        Some(Producing { consumers: Some(list), .. }) if list.is_empty() => Users::Nobody,
        Some(Producing { consumers: Some(list), .. }) => Users::These(list.clone()),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod load_tests {
    use super::*;
    use crate::logic::sandbox_client::{admin_client, block_on, Release};

    /// The audit's load: the counts first where the instance has them, then every producer's
    /// consumer names, matching the instance.
    #[test]
    fn the_audit_loads_counts_then_every_name() {
        let api = admin_client(Release::Current, 300);
        let overview = std::cell::RefCell::new(None);
        let progress = std::cell::RefCell::new(Vec::new());
        let found = block_on(load_sharing(&api, Registry::Modules, &|p| progress.borrow_mut().push(p), |rows| {
            *overview.borrow_mut() = Some(rows)
        }))
        .unwrap();
        let overview = overview.into_inner().expect("a current release counts consumers: the table comes first");
        assert_eq!(overview.len(), found.len());
        assert!(overview.iter().all(|p| p.consumers.as_ref().is_none_or(Vec::is_empty)), "names come later");
        for p in &found {
            let counted = overview.iter().find(|o| o.name == p.name).unwrap();
            match &p.consumers {
                None => assert!(counted.consumers.is_none(), "{} global", p.name),
                Some(names) => assert_eq!(counted.pending, Some(names.len()), "{}: count and names agree", p.name),
            }
            assert!(p.pending.is_none());
        }
        assert!(progress.borrow().last().is_some_and(|p| p.ends_with("producers read")));
        // The names are the instance's.
        let some = found.iter().find(|p| p.consumers.as_ref().is_some_and(|c| !c.is_empty())).unwrap();
        let listed = block_on(api.list_all_consumers(Registry::Modules, &some.name, &mut |_| {})).unwrap().names();
        let mut listed: Vec<String> = listed.to_vec();
        listed.sort();
        let mut names = some.consumers.clone().unwrap();
        names.sort();
        assert_eq!(names, listed);
    }
}
