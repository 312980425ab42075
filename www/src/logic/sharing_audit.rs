//! The module sharing audit: producers as rows (filtered, sorted), every sharing edge for
//! export, and "who can use whose modules" answered from what was read.

use serde::Serialize;

use tfe_orgs::client::sort_by_dyn;

use super::export::csv_cell;
use super::sharing_map::Producing;

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
    let mut out = String::from("producer,consumer,kind\r\n");
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
