//! Explorer (explorer.md): one organization's modules and providers views, a page at a time or
//! whole, and their CSV export. Where the answer cannot be had — an instance without Explorer
//! (404), a token that may not read this organization's (404 or 403), a query that timed out —
//! [`Client::explorer_read`] says so as a typed [`Unknown`] with its reason, never an error that
//! stops the rest of an audit.

use super::{check, org_segment, Client, Complete, Error, ErrorKind, Method, Page, Progress, Repeat};
use crate::jsonapi::decode_list;
use crate::model::{ExplorerQuery, ExplorerRow, ExplorerView};
use crate::query::to_query;
use crate::transport::Transport;

/// Why a view's answer is not known.
#[derive(Debug, Clone, PartialEq)]
pub enum Unknown {
    /// 404: the instance has no Explorer (before TFE 1.0, or without its database), or this token
    /// may not read this organization's (the documents do not say a site admin may).
    NotAvailable,
    /// 403: the token may not read it.
    NotAllowed,
    /// The query ran past its time (Explorer queries may take up to 60 s, then fail).
    TimedOut,
    /// Any other failure, as the client saw it.
    Failed(Error),
}

impl Unknown {
    /// The reason in words.
    pub fn reason(&self) -> String {
        match self {
            Unknown::NotAvailable => {
                "Explorer did not answer for this organization (404: no Explorer on this instance, or this token may not read it)".into()
            }
            Unknown::NotAllowed => "this token may not read this organization's Explorer (403)".into(),
            Unknown::TimedOut => "the Explorer query timed out".into(),
            Unknown::Failed(e) => format!("Explorer could not be read: {}", e.message),
        }
    }
}

/// Pages asked for, one after another, of an answer that never says how many there are.
const MAX_GUESSED_PAGES: u32 = 1000;

/// Whether Explorer has taken in every existing workspace (TFE 1.2 backfills them after an
/// upgrade; until it has, a view may leave workspaces out, so no row is no proof of no use).
#[derive(Debug, Clone, PartialEq)]
pub enum Backfill {
    Complete,
    /// Not finished — running, or failed or cancelled — with what the instance said of it
    /// (`in_progress, 120 of 400 workspaces`).
    Running(String),
    /// The status exists but could not be read (a 5xx, the network): not known to be finished.
    Unreadable(String),
    /// Not known: an instance before 1.2, a token that is not a site admin's, or an answer not
    /// understood (the endpoint is marked not stable and its answer is not documented).
    NotKnown,
}

/// What a view says, or why it is not known.
#[derive(Debug, Clone, PartialEq)]
pub enum ExplorerRead {
    Known(Complete<ExplorerRow>),
    Unknown(Unknown),
}

impl<T: Transport> Client<T> {
    /// **One page** of `GET /organizations/:name/explorer` (the whole view:
    /// [`Client::explorer_all`]); 20 rows a page unless the query says.
    pub async fn explorer_page(&self, organization: &str, query: &ExplorerQuery) -> Result<Page<ExplorerRow>, Error> {
        check(query.validate())?;
        let path = format!("/organizations/{}/explorer", org_segment(organization)?);
        let response = self.send(Method::Get, Repeat::Safe, &path, &to_query(&query.params()), None).await?;
        let doc = decode_list(&response.body).map_err(|e| Error::decode(e, response.status))?;
        let mut page = Page::from_document(doc);
        if page.pagination.is_none_or(|p| p == Default::default()) {
            page.pagination = snake_case_pagination(&response.body).or(page.pagination);
        }
        Ok(page)
    }

    /// Every row of the view `query` describes (pages of 100, several at once at the instance's
    /// rate), with progress.
    pub async fn explorer_all(
        &self,
        organization: &str,
        query: &ExplorerQuery,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<ExplorerRow>, Error> {
        self.explorer_pages(organization, query, self.lookahead(), on_progress).await
    }

    /// Every row, pages of 100; `lookahead` pages asked for before page 1 tells how many there
    /// are (0 where many organizations are read at once: their views are mostly one page).
    async fn explorer_pages(
        &self,
        organization: &str,
        query: &ExplorerQuery,
        lookahead: u32,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<ExplorerRow>, Error> {
        let base = ExplorerQuery { page_size: query.page_size.or(Some(100)), ..query.clone() };
        let size = base.page_size.unwrap_or(100) as usize;
        // Each page read without a word on pages: its number, first row and length. A page that
        // starts as another-numbered one did is the server ignoring page[number]: the reading
        // ends there when that page held more rows than asked (every row, page[size] ignored
        // too), and fails when it held exactly as many (more may exist that cannot be reached).
        let firsts: std::cell::RefCell<Vec<(u32, ExplorerRow, usize)>> = Default::default();
        let fetch = |n: u32| {
            let page = ExplorerQuery { page_number: Some(n), ..base.clone() };
            let firsts = &firsts;
            async move {
                let mut page = self.explorer_page(organization, &page).await?;
                // An answer that says nothing of the pages (the documents show no paged sample)
                // but is full may have more: the next one is asked, until a short or empty one.
                let silent = page.pagination.is_none_or(|p| p.total_pages.is_none() && p.next_page.is_none());
                if silent {
                    if let Some(first) = page.items.first() {
                        let earlier = firsts.borrow().iter().find(|(m, f, _)| *m != n && f == first).map(|e| e.2);
                        match earlier {
                            Some(len) if len > size => {
                                page.items.clear();
                                return Ok(page);
                            }
                            Some(_) => {
                                return Err(Error::new(
                                    ErrorKind::Decode,
                                    format!(
                                        "Explorer answered page {n} with the rows of an earlier page and says nothing \
                                         of its pages: the rows past the first {size} cannot be read"
                                    ),
                                ))
                            }
                            None if n > MAX_GUESSED_PAGES => {
                                return Err(Error::new(
                                    ErrorKind::Decode,
                                    format!(
                                        "Explorer says nothing of its pages and page {n} is still full: stopped \
                                         reading (a view this long cannot be told complete)"
                                    ),
                                ))
                            }
                            None => {
                                let mut firsts = firsts.borrow_mut();
                                if !firsts.iter().any(|(m, _, _)| *m == n) {
                                    firsts.push((n, first.clone(), page.items.len()));
                                }
                            }
                        }
                    }
                }
                if silent && page.items.len() >= size {
                    let told = page.pagination.unwrap_or_default();
                    page.pagination = Some(crate::jsonapi::Pagination { next_page: Some(n + 1), ..told });
                }
                Ok(page)
            }
        };
        super::list_all(fetch, &|| self.fan_out(), lookahead, on_progress).await
    }

    /// `GET /organizations/:name/explorer/export/csv`: the whole view as CSV (not paged).
    pub async fn explorer_csv(&self, organization: &str, query: &ExplorerQuery) -> Result<String, Error> {
        check(query.validate())?;
        let path = format!("/organizations/{}/explorer/export/csv", org_segment(organization)?);
        let unpaged = ExplorerQuery { page_number: None, page_size: None, ..query.clone() };
        Ok(self.send(Method::Get, Repeat::Safe, &path, &to_query(&unpaged.params()), None).await?.body)
    }

    /// `GET /admin/explorer-backfill-status`, read leniently: a `status` (or `state`) such as
    /// `completed` or `in_progress`, or a boolean `completed`/`finished`; counts where sent.
    pub async fn explorer_backfill(&self) -> Backfill {
        match self.send(Method::Get, Repeat::Safe, "/admin/explorer-backfill-status", "", None).await {
            Ok(response) => backfill_of(&response.body),
            // No such endpoint (before 1.2), or not this token's to read.
            Err(e) if e.kind == ErrorKind::NotFound || matches!(e.status, Some(401 | 403)) => Backfill::NotKnown,
            Err(e) => Backfill::Unreadable(e.message),
        }
    }

    /// Every row of `view` for `organization`, or why it cannot be known.
    pub async fn explorer_read(&self, organization: &str, view: ExplorerView) -> ExplorerRead {
        // Read for many organizations at once (grant usage): no page guessed past page 1.
        match self.explorer_pages(organization, &ExplorerQuery::of(view), 0, &mut |_| {}).await {
            Ok(rows) => ExplorerRead::Known(rows),
            Err(e) if e.kind == ErrorKind::NotFound => ExplorerRead::Unknown(Unknown::NotAvailable),
            Err(e) if e.status == Some(403) => ExplorerRead::Unknown(Unknown::NotAllowed),
            Err(e) if e.kind == ErrorKind::Timeout => ExplorerRead::Unknown(Unknown::TimedOut),
            Err(e) => ExplorerRead::Unknown(Unknown::Failed(e)),
        }
    }
}

/// One version of a producer's module or provider that a consumer's workspaces use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UsedItem {
    pub name: String,
    /// A module's provider (`aws`); `None` for a provider.
    pub provider: Option<String>,
    pub version: Option<String>,
    pub workspace_count: u32,
    pub workspaces: Vec<String>,
}

/// Whether a grant is used, as Explorer tells (eventually consistent: a grant without a row is
/// one no workspace uses now, as far as Explorer knows).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(tag = "usage", rename_all = "lowercase")]
pub enum Usage {
    /// The producer's modules (or providers) the consumer's workspaces use, version by version.
    Used {
        items: Vec<UsedItem>,
    },
    Unused,
    /// Why it is not known (the consumer's Explorer did not answer, or the read was stopped).
    Unknown {
        reason: String,
    },
}

impl Usage {
    /// Workspaces using it, summed over its versions (0 when unused or unknown).
    pub fn workspace_count(&self) -> u32 {
        match self {
            Usage::Used { items } => items.iter().map(|i| i.workspace_count).sum(),
            _ => 0,
        }
    }
}

/// One grant: `producer` shares its `registry` with `consumer` (specifically, or as one of every
/// organization when `global`), and whether the consumer uses it.
///
/// In TypeScript `GrantUsage = { producer, consumer, registry, global, workspaceCount } & Usage`
/// (`src/js/types.rs`: tsify cannot extend an interface from a union).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantUsage {
    pub producer: String,
    pub consumer: String,
    pub registry: super::Registry,
    pub global: bool,
    #[serde(flatten)]
    pub usage: Usage,
    /// Workspaces using it, summed over its versions (0 when unused or unknown).
    #[serde(default)]
    pub workspace_count: u32,
}

impl GrantUsage {
    pub fn new(producer: &str, consumer: &str, registry: super::Registry, global: bool, usage: Usage) -> Self {
        let workspace_count = usage.workspace_count();
        GrantUsage { producer: producer.into(), consumer: consumer.into(), registry, global, usage, workspace_count }
    }
}

/// The partial snapshot document that revokes `revoke` (unused specific grants among `grants`,
/// matched by producer, consumer and registry): each affected producer's consumer list as
/// `grants` holds it (every specific grant of a producer is listed there), minus those. Applying
/// it (`tfe-orgs apply`, the page's snapshot screen) plans, reviews and writes it in the order
/// that never over-shares and keeps its undo: no second write path. A grant that is used,
/// unknown or global is never revoked, whatever `revoke` says.
pub fn revoke_document(grants: &[GrantUsage], revoke: &[GrantUsage]) -> crate::snapshot::Snapshot {
    let same = |a: &GrantUsage, b: &GrantUsage| {
        a.registry == b.registry
            && crate::validate::same_organization_name(&a.producer, &b.producer)
            && crate::validate::same_organization_name(&a.consumer, &b.consumer)
    };
    let revoked = |g: &GrantUsage| !g.global && matches!(g.usage, Usage::Unused) && revoke.iter().any(|r| same(g, r));
    let mut doc = crate::snapshot::Snapshot::new(None);
    for g in grants.iter().filter(|g| revoked(g)) {
        let keep: Vec<String> = grants
            .iter()
            .filter(|o| {
                !o.global
                    && o.registry == g.registry
                    && crate::validate::same_organization_name(&o.producer, &g.producer)
                    && !revoked(o)
            })
            .map(|o| o.consumer.clone())
            .collect();
        let org = doc.organizations.entry(g.producer.clone()).or_default();
        // A list is specific sharing: said outright, so a producer that has turned global
        // sharing on since shows "global sharing off" in the plan instead of losing it unseen.
        let list = match g.registry {
            super::Registry::Modules => {
                org.admin.global_module_sharing = Some(false);
                &mut org.module_consumers
            }
            super::Registry::Providers => {
                org.admin.global_provider_sharing = Some(false);
                &mut org.provider_consumers
            }
        };
        let mut keep = keep;
        keep.sort_by_key(|n| n.to_ascii_lowercase());
        *list = Some(keep);
    }
    doc
}

impl<T: Transport> Client<T> {
    /// The document that revokes `revoke` (unused specific grants) from each affected
    /// producer's consumer list **as the instance holds it now** (read again, so an organization
    /// granted since the audit stays): what the page reviews and applies.
    pub async fn revoke_now(&self, revoke: &[GrantUsage]) -> Result<crate::snapshot::Snapshot, Error> {
        let wanted: Vec<&GrantUsage> =
            revoke.iter().filter(|g| !g.global && matches!(g.usage, Usage::Unused)).collect();
        let mut producers: Vec<(String, super::Registry)> =
            wanted.iter().map(|g| (g.producer.clone(), g.registry)).collect();
        producers.sort_by_key(|(p, r)| (p.to_ascii_lowercase(), *r as u8));
        producers.dedup_by(|a, b| a.1 == b.1 && a.0.eq_ignore_ascii_case(&b.0));
        let mut fresh = Vec::new();
        for (producer, registry) in producers {
            let now = self.read_sharing(registry, &producer, &mut |_| {}).await?;
            if now.global() {
                let message = format!(
                    "{producer} shares its {} with every organization now: read the usage again before revoking",
                    registry.noun()
                );
                return Err(Error::validation(vec![crate::validate::ValidationError::new(
                    "revoke",
                    crate::validate::Rule::Conflict,
                    message,
                )]));
            }
            for c in now.consumers() {
                let c = c.as_str();
                let revoked = wanted.iter().any(|g| {
                    g.registry == registry
                        && crate::validate::same_organization_name(&g.producer, &producer)
                        && crate::validate::same_organization_name(&g.consumer, c)
                });
                let usage = if revoked { Usage::Unused } else { Usage::Unknown { reason: "kept".into() } };
                fresh.push(GrantUsage::new(&producer, c, registry, false, usage));
            }
        }
        Ok(revoke_document(&fresh, revoke))
    }
}

/// `meta.pagination` spelled as the Explorer's own fields are (`total_pages`; the documents show
/// no paged sample of these views), where the usual kebab-case reading found none.
fn snake_case_pagination(body: &str) -> Option<crate::jsonapi::Pagination> {
    let doc: serde_json::Value = serde_json::from_str(body).ok()?;
    let meta = doc.pointer("/meta/pagination")?.as_object()?;
    let number = |key: &str| meta.get(key).and_then(serde_json::Value::as_u64);
    let small = |key: &str| number(key).and_then(|n| u32::try_from(n).ok());
    let pagination = crate::jsonapi::Pagination {
        current_page: small("current_page"),
        page_size: small("page_size"),
        prev_page: small("prev_page"),
        next_page: small("next_page"),
        total_pages: small("total_pages"),
        total_count: number("total_count"),
    };
    (pagination != Default::default()).then_some(pagination)
}

/// [`Client::explorer_backfill`]'s reading of an answer.
fn backfill_of(body: &str) -> Backfill {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(body) else {
        return Backfill::NotKnown;
    };
    let attributes = doc.pointer("/data/attributes").or_else(|| doc.get("data")).unwrap_or(&doc);
    let Some(attributes) = attributes.as_object() else { return Backfill::NotKnown };
    let field = |names: &[&str]| {
        attributes
            .iter()
            .find(|(k, _)| names.contains(&k.replace('-', "_").to_ascii_lowercase().as_str()))
            .map(|(_, v)| v)
    };
    let flag = field(&["completed", "complete", "finished", "done"]).and_then(serde_json::Value::as_bool);
    let done = match (field(&["status", "state"]), flag) {
        // A flag that says not finished outweighs any status beside it.
        (_, Some(false)) => Some((false, "not finished".to_string())),
        (Some(serde_json::Value::String(s)), _) => match s.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "completed" | "complete" | "finished" | "done" | "succeeded" | "success" => Some((true, s.clone())),
            "in_progress" | "running" | "pending" | "queued" | "started" | "processing" | "not_started" | "failed"
            | "error" | "errored" | "cancelled" | "canceled" | "aborted" | "stopped" => Some((false, s.clone())),
            _ => None,
        },
        (_, Some(true)) => Some((true, "completed".to_string())),
        _ => None,
    };
    match done {
        Some((true, _)) => Backfill::Complete,
        Some((false, said)) => {
            let count = |names: &[&str]| field(names).and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
            match (
                count(&["processed_workspaces", "workspaces_processed"]),
                count(&["total_workspaces", "workspaces_total"]),
            ) {
                (Some(done), Some(total)) => Backfill::Running(format!("{said}, {done} of {total} workspaces")),
                _ => Backfill::Running(said),
            }
        }
        None => Backfill::NotKnown,
    }
}

/// The view that tells a registry's use.
fn view_of(registry: super::Registry) -> ExplorerView {
    match registry {
        super::Registry::Modules => ExplorerView::Modules,
        super::Registry::Providers => ExplorerView::Providers,
    }
}

/// What of `producer` the rows of a consumer's view show in use.
fn used_from(rows: &[ExplorerRow], producer: &str, view: &ExplorerView) -> Usage {
    let items: Vec<UsedItem> = rows
        .iter()
        .filter_map(|r| {
            let source = crate::model::RegistrySource::parse(&r.attributes.source, view)?;
            // A public registry entry of the same name is not the producer's private one: as the
            // row says where it says, else a source without a host is the public registry's.
            let public = match r.attributes.is_private() {
                Some(private) => !private,
                None => source.host.is_none(),
            };
            (!public && crate::validate::same_organization_name(&source.owner, producer)).then(|| UsedItem {
                name: source.name,
                provider: source.provider,
                version: r.attributes.version.clone(),
                workspace_count: r.attributes.workspace_count,
                workspaces: r.attributes.workspaces.clone(),
            })
        })
        .collect();
    if items.is_empty() {
        Usage::Unused
    } else {
        Usage::Used { items }
    }
}

impl<T: Transport> Client<T> {
    /// Every grant of `registry` by `producers` (`None`: every producer), with whether it is used:
    /// each specific consumer, and for a producer sharing with every organization, the
    /// organizations whose workspaces use it (those that do not are left out: every organization
    /// "has" that grant). Each consumer organization's view is read once, whatever the number of
    /// producers, several at once at the instance's rate; `stop()` ends the reading (what was not
    /// read is unknown); `on_progress(read, total)` counts organizations.
    pub async fn grant_usage(
        &self,
        registry: super::Registry,
        producers: Option<&[String]>,
        stop: &dyn Fn() -> bool,
        on_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<GrantUsage>, Error> {
        let mut listed = self.producers(registry).await?;
        if let Some(wanted) = producers {
            listed.retain(|p| wanted.iter().any(|w| crate::validate::same_organization_name(w, &p.name)));
        }
        let sharing = self.consumers_of(listed, &mut |_, _| {}).await?;
        self.grant_usage_of(registry, &sharing, stop, on_progress).await
    }

    /// [`Client::grant_usage`] of the sharing already read in full (a sharing audit's): only the
    /// Explorer reads (and, when one shares globally, the organizations' names).
    pub async fn grant_usage_of(
        &self,
        registry: super::Registry,
        sharing: &[super::ProducerSharing],
        stop: &dyn Fn() -> bool,
        on_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<GrantUsage>, Error> {
        let sharing: Vec<&super::ProducerSharing> = sharing.iter().filter(|p| p.registry == registry).collect();
        let any_global = sharing.iter().any(|p| p.state.global());
        // Until Explorer has taken in every workspace, a grant without a row is not known unused.
        let backfill = self.explorer_backfill().await;
        // Whom to read: every specific consumer, and every organization when one shares globally.
        let mut readers: Vec<String> = sharing.iter().flat_map(|p| p.state.consumers().iter().cloned()).collect();
        if any_global {
            let all = self.admin_list_all(&Default::default(), &mut |_| {}).await?;
            readers.extend(all.iter().map(|o| o.attributes.name.clone().unwrap_or_else(|| o.id.clone())));
        }
        readers.sort_by_key(|n| n.to_ascii_lowercase());
        readers.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let total = readers.len();
        let view = view_of(registry);
        let mut read: Vec<(String, ExplorerRead)> = Vec::with_capacity(total);
        let not_started = super::fan_out::fan_out(
            readers,
            || self.fan_out(),
            stop,
            |name: String| {
                let view = view.clone();
                async move {
                    let answer = self.explorer_read(&name, view).await;
                    (name, answer)
                }
            },
            |one| {
                read.push(one);
                on_progress(read.len(), total);
                std::ops::ControlFlow::Continue(())
            },
        )
        .await;
        let stopped = ExplorerRead::Unknown(Unknown::Failed(Error::new(ErrorKind::Network, "not read: stopped")));
        read.extend(not_started.into_iter().map(|name| (name, stopped.clone())));
        // By name, once: thousands of organizations are looked up for thousands of grants.
        let by_name: std::collections::HashMap<String, &ExplorerRead> =
            read.iter().map(|(n, r)| (n.to_ascii_lowercase(), r)).collect();
        let of = |name: &str| by_name.get(&name.to_ascii_lowercase()).copied();
        let mut out = Vec::new();
        for p in sharing {
            let usage = |consumer: &str| match of(consumer) {
                Some(ExplorerRead::Known(rows)) => used_from(rows, &p.name, &view),
                Some(ExplorerRead::Unknown(why)) => Usage::Unknown { reason: why.reason() },
                None => Usage::Unknown { reason: "not read".into() },
            };
            if p.state.global() {
                for (consumer, _) in read.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(&p.name)) {
                    let usage = usage(consumer);
                    if !matches!(usage, Usage::Unused) {
                        out.push(GrantUsage::new(&p.name, consumer, registry, true, usage));
                    }
                }
            } else {
                for consumer in p.state.consumers() {
                    let usage = match (usage(consumer), &backfill) {
                        (Usage::Unused, Backfill::Running(said)) => Usage::Unknown {
                            reason: format!(
                                "Explorer has not yet taken in every existing workspace ({said}): no workspace \
                                 of this organization is seen using it so far"
                            ),
                        },
                        (Usage::Unused, Backfill::Unreadable(why)) => Usage::Unknown {
                            reason: format!(
                                "Explorer's backfill status could not be read ({why}): no workspace of this \
                                 organization is seen using it, but Explorer may not have taken them all in"
                            ),
                        },
                        (usage, _) => usage,
                    };
                    out.push(GrantUsage::new(&p.name, consumer, registry, false, usage));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use futures_executor::block_on;
    use serde_json::json;

    use super::*;
    use crate::model::{ExplorerOperator, RegistrySource};
    use crate::transport::{HttpRequest, HttpResponse, LocalFuture, TransportError};

    /// An instance answering the modules view of `acme` (25 rows, kebab-case on even rows and
    /// snake_case on odd ones, as the documents leave it open), 404 for `other`, 403 for `closed`.
    #[derive(Default)]
    struct Explorer {
        seen: RefCell<Vec<String>>,
        /// A clock that moves as the client waits (its limiter and backoff wait on it).
        clock: std::cell::Cell<f64>,
    }

    fn row(i: usize) -> serde_json::Value {
        let source = format!("tfe.example.com/producer-{}/network/aws", i % 3);
        let attributes = if i.is_multiple_of(2) {
            json!({ "name": "network", "source": source, "version": format!("1.{i}.0"), "registry-type": "private",
                    "workspace-count": i, "workspaces": (0..i).map(|w| format!("ws-{w}")).collect::<Vec<_>>().join(",") })
        } else {
            json!({ "name": "network", "source": source, "version": format!("1.{i}.0"), "registry_type": "private",
                    "workspace_count": i.to_string(), "workspaces": (0..i).map(|w| format!("ws-{w}")).collect::<Vec<_>>(),
                    "curated": false, "newer-field": 1 })
        };
        json!({ "id": format!("row-{i}"), "type": "explorer-module-rows", "attributes": attributes })
    }

    impl Transport for Explorer {
        fn send(&self, request: HttpRequest, _: Duration) -> LocalFuture<'_, Result<HttpResponse, TransportError>> {
            self.seen.borrow_mut().push(request.url.clone());
            let url = request.url.clone();
            let answer = |status: u16, body: String| Ok(HttpResponse { status, headers: vec![], body });
            let result = if url.contains("/organizations/other/") {
                answer(404, r#"{"errors":[{"status":"404","title":"not found"}]}"#.into())
            } else if url.contains("/organizations/closed/") {
                answer(403, r#"{"errors":[{"status":"403","title":"forbidden"}]}"#.into())
            } else if url.contains("/explorer/export/csv") {
                answer(
                    200,
                    "name,source,version,workspace_count\nnetwork,tfe.example.com/producer-0/network/aws,1.0.0,0\n"
                        .into(),
                )
            } else {
                let param = |k: &str| {
                    url.split(['?', '&'])
                        .find_map(|p| p.strip_prefix(&format!("{k}=")))
                        .and_then(|v| v.parse::<usize>().ok())
                };
                let (number, size) = (param("page%5Bnumber%5D").unwrap_or(1), param("page%5Bsize%5D").unwrap_or(20));
                // Other ways an Explorer may say (or not say) how many pages there are.
                let style = ["snake-", "linked-", "bare-", "deaf-", "sized-", "endless-"]
                    .into_iter()
                    .find(|s| url.contains(&format!("/organizations/{s}")));
                let total = match url.split("/organizations/").nth(1).and_then(|r| r.split('/').next()) {
                    Some(org) if style.is_some() => org.rsplit('-').next().unwrap().parse().unwrap(),
                    _ => 25,
                };
                // `deaf-`: page[number] and page[size] ignored, every row on every answer;
                // `sized-`: page[number] ignored, the first page[size] rows on every answer;
                // `endless-`: a full page of new rows on every answer.
                let asked_before = self.seen.borrow().len();
                let rows: Vec<_> = match style {
                    Some("deaf-") => (0..total).map(row).collect(),
                    Some("sized-") => (0..size.min(total)).map(row).collect(),
                    Some("endless-") => (asked_before * size..(asked_before + 1) * size)
                        .map(|i| {
                            let mut r = row(i % 7);
                            r["id"] = json!(format!("row-{i}"));
                            r
                        })
                        .collect(),
                    _ => ((number - 1) * size..(number * size).min(total)).map(row).collect(),
                };
                let pages = total.div_ceil(size);
                let next = if number < pages { json!(number + 1) } else { json!(null) };
                let body = match style {
                    Some("snake-") => json!({ "data": rows, "meta": { "pagination": {
                        "current_page": number, "total_pages": pages, "total_count": total, "next_page": next } } }),
                    Some("linked-") => json!({ "data": rows, "links": {
                        "next": (number < pages).then(|| format!("https://tfe.example.com/api/v2/x?page%5Bnumber%5D={}&page%5Bsize%5D={size}", number + 1)) } }),
                    Some(_) => json!({ "data": rows }),
                    None => {
                        json!({ "data": rows, "meta": { "pagination": { "current-page": number, "total-pages": pages,
                        "total-count": total, "next-page": next, "page-size": size } } })
                    }
                };
                answer(200, body.to_string())
            };
            Box::pin(async move { result })
        }
        fn sleep(&self, duration: Duration) -> LocalFuture<'_, ()> {
            self.clock.set(self.clock.get() + duration.as_secs_f64() * 1000.0);
            Box::pin(async {})
        }
        fn now_ms(&self) -> f64 {
            self.clock.set(self.clock.get() + 1.0);
            self.clock.get()
        }
    }

    fn client() -> Client<Explorer> {
        Client::new("https://tfe.example.com", "token", Explorer::default()).unwrap()
    }

    #[test]
    fn a_view_is_read_whole_and_decoded_in_either_spelling() {
        let c = client();
        let rows = block_on(c.explorer_all("acme", &ExplorerQuery::of(ExplorerView::Modules), &mut |_| {})).unwrap();
        assert_eq!(rows.len(), 25, "every page");
        for (i, r) in rows.iter().enumerate() {
            let a = &r.attributes;
            assert_eq!((a.workspace_count, a.workspaces.len()), (i as u32, i), "row {i}");
            assert_eq!(a.is_private(), Some(true));
            let parsed = RegistrySource::parse(&a.source, &ExplorerView::Modules).unwrap();
            assert_eq!(
                (parsed.owner.as_str(), parsed.name.as_str()),
                (format!("producer-{}", i % 3).as_str(), "network")
            );
        }
        assert_eq!(rows[1].attributes.extra.get("newer-field"), Some(&json!(1)), "what is not read is kept");
        let seen = c.transport().seen.borrow();
        assert!(seen.iter().all(|u| u.contains("type=modules") && u.contains("page%5Bsize%5D=100")), "{seen:?}");
    }

    #[test]
    fn filters_sort_fields_and_pages_go_as_documented() {
        let query = ExplorerQuery {
            sort: Some("-workspace_count".into()),
            fields: vec!["name".into(), "source".into()],
            page_number: Some(2),
            page_size: Some(10),
            ..ExplorerQuery::of(ExplorerView::Providers)
        }
        .filter("registry_type", ExplorerOperator::Is, "private")
        .filter("name", ExplorerOperator::DoesNotContain, "test");
        let q = to_query(&query.params());
        assert_eq!(
            q,
            "type=providers&filter%5B0%5D%5Bregistry_type%5D%5Bis%5D%5B0%5D=private\
             &filter%5B1%5D%5Bname%5D%5Bdoes_not_contain%5D%5B0%5D=test&sort=-workspace_count&fields=name%2Csource\
             &page%5Bnumber%5D=2&page%5Bsize%5D=10"
        );
        let page = block_on(client().explorer_page("acme", &query)).unwrap();
        assert_eq!(page.items.len(), 10);
        // Bad queries are refused before any request, naming the parameter.
        let bad = ExplorerQuery {
            page_size: Some(500),
            sort: Some("Workspace Count".into()),
            ..ExplorerQuery::of(ExplorerView::Modules)
        }
        .filter("bad-name", ExplorerOperator::from("around"), "x");
        let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["filter[0]", "filter[0]", "sort", "page[size]"]);
        let c = client();
        assert_eq!(block_on(c.explorer_page("acme", &bad)).unwrap_err().kind, ErrorKind::Validation);
        assert!(c.transport().seen.borrow().is_empty(), "nothing sent");
    }

    #[test]
    fn what_cannot_be_read_is_unknown_with_its_reason() {
        let c = client();
        assert!(
            matches!(block_on(c.explorer_read("acme", ExplorerView::Modules)), ExplorerRead::Known(rows) if rows.len() == 25)
        );
        let other = block_on(c.explorer_read("other", ExplorerView::Modules));
        assert_eq!(other, ExplorerRead::Unknown(Unknown::NotAvailable));
        let closed = block_on(c.explorer_read("closed", ExplorerView::Providers));
        assert_eq!(closed, ExplorerRead::Unknown(Unknown::NotAllowed));
        let ExplorerRead::Unknown(why) = closed else { unreachable!() };
        assert!(why.reason().contains("may not read"), "{}", why.reason());
        let csv = block_on(c.explorer_csv("acme", &ExplorerQuery::of(ExplorerView::Modules))).unwrap();
        assert!(csv.starts_with("name,source,version,workspace_count\n"));
        assert!(c.transport().seen.borrow().last().unwrap().ends_with("/explorer/export/csv?type=modules"));
    }

    #[test]
    fn a_view_is_read_whole_however_its_answer_tells_the_pages() {
        // snake_case meta, a links.next only, nothing at all (full pages are followed until a
        // short or empty one, or one that starts as an earlier one did: a server that ignores
        // page[number]): every row once, never page 1 alone, never a row twice.
        for org in ["snake-250", "linked-250", "bare-250", "bare-200", "bare-40", "deaf-250"] {
            let c = client();
            let ExplorerRead::Known(rows) = block_on(c.explorer_read(org, ExplorerView::Modules)) else {
                panic!("{org} not read")
            };
            let total: usize = org.rsplit('-').next().unwrap().parse().unwrap();
            let ids: Vec<String> = rows.into_vec().into_iter().map(|r| r.id).collect();
            assert_eq!(ids, (0..total).map(|i| format!("row-{i}")).collect::<Vec<_>>(), "{org}");
            let asked = c.transport().seen.borrow().len();
            let bare_extra = usize::from(org.starts_with("bare-") && total.is_multiple_of(100));
            let pages = if org.starts_with("deaf-") { 2 } else { total.div_ceil(100).max(1) + bare_extra };
            assert_eq!(asked, pages, "{org}: pages asked");
        }
        // Read with pages asked ahead (explorer_all): the same rows, once each.
        for org in ["bare-250", "deaf-250", "linked-250"] {
            let rows = block_on(client().explorer_all(org, &ExplorerQuery::of(ExplorerView::Modules), &mut |_| {}));
            let total: usize = org.rsplit('-').next().unwrap().parse().unwrap();
            let ids: Vec<String> = rows.unwrap().into_vec().into_iter().map(|r| r.id).collect();
            assert_eq!(ids, (0..total).map(|i| format!("row-{i}")).collect::<Vec<_>>(), "{org} read ahead");
        }
        // page[number] ignored but page[size] kept: the rest cannot be reached, so not known;
        // full pages of new rows forever: stopped, not known.
        for (org, says) in [("sized-250", "cannot be read"), ("endless-1", "stopped reading")] {
            match block_on(client().explorer_read(org, ExplorerView::Modules)) {
                ExplorerRead::Unknown(Unknown::Failed(e)) => assert!(e.message.contains(says), "{org}: {}", e.message),
                other => panic!("{org}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_backfill_status_is_read_in_the_ways_an_instance_may_say_it() {
        let running = |said: &str| Backfill::Running(said.into());
        for (body, expected) in [
            (r#"{"data":{"attributes":{"status":"completed"}}}"#, Backfill::Complete),
            (r#"{"data":{"type":"x","attributes":{"state":"Finished"}}}"#, Backfill::Complete),
            (r#"{"completed":true}"#, Backfill::Complete),
            (
                r#"{"data":{"attributes":{"status":"in_progress","processed-workspaces":120,"total_workspaces":"400"}}}"#,
                running("in_progress, 120 of 400 workspaces"),
            ),
            (r#"{"data":{"attributes":{"status":"in-progress"}}}"#, running("in-progress")),
            (r#"{"data":{"attributes":{"finished":false}}}"#, running("not finished")),
            (r#"{"data":{"attributes":{"status":"failed"}}}"#, running("failed")),
            (r#"{"data":{"attributes":{"status":"completed","completed":false}}}"#, running("not finished")),
            // Not understood: not known, never taken for complete or running.
            (r#"{"data":{"attributes":{"status":"weird"}}}"#, Backfill::NotKnown),
            (r#"{"data":[]}"#, Backfill::NotKnown),
            ("not json", Backfill::NotKnown),
        ] {
            assert_eq!(backfill_of(body), expected, "{body}");
        }
    }

    #[test]
    fn sources_parse_as_modules_and_providers() {
        let m = RegistrySource::parse("localterraform.com/acme/vpc/aws", &ExplorerView::Modules).unwrap();
        assert_eq!(
            (m.host.as_deref(), m.owner.as_str(), m.provider.as_deref()),
            (Some("localterraform.com"), "acme", Some("aws"))
        );
        assert_eq!(RegistrySource::parse("hashicorp/consul/aws", &ExplorerView::Modules).unwrap().host, None);
        let p = RegistrySource::parse("app.terraform.io/acme/widget", &ExplorerView::Providers).unwrap();
        assert_eq!((p.owner.as_str(), p.name.as_str(), p.provider), ("acme", "widget", None));
        for not in ["git::https://example.com/x.git", "./modules/local", "a//b/c"] {
            assert_eq!(RegistrySource::parse(not, &ExplorerView::Modules), None, "{not}");
        }
    }

    #[test]
    fn a_revoke_document_lists_each_producers_consumers_minus_only_the_unused_grants_asked_for() {
        use super::super::Registry::{Modules, Providers};
        let used = Usage::Used { items: vec![] };
        let unknown = Usage::Unknown { reason: "404".into() };
        let grants = vec![
            GrantUsage::new("p", "a", Modules, false, Usage::Unused),
            GrantUsage::new("p", "b", Modules, false, used.clone()),
            GrantUsage::new("p", "c", Modules, false, unknown.clone()),
            GrantUsage::new("p", "d", Modules, false, Usage::Unused),
            GrantUsage::new("p", "a", Providers, false, Usage::Unused),
            GrantUsage::new("q", "a", Modules, false, used),
            GrantUsage::new("g", "z", Modules, true, unknown),
        ];
        // Asked: p→a (unused), p→b (used: refused), g→z (global: refused), q→a (used).
        let ask = [grants[0].clone(), grants[1].clone(), grants[6].clone(), grants[5].clone()];
        let doc = revoke_document(&grants, &ask);
        assert_eq!(doc.organizations.keys().collect::<Vec<_>>(), ["p"]);
        let p = &doc.organizations["p"];
        assert_eq!(p.module_consumers.as_deref(), Some(&["b".to_string(), "c".into(), "d".into()][..]));
        assert_eq!(p.provider_consumers, None, "the providers grant was not asked for");
        assert_eq!(p.admin.global_module_sharing, Some(false), "specific sharing, said outright");
        assert_eq!(p.admin.global_provider_sharing, None);
        // The JSON of grants reads back (what the JS and the CLI hand over).
        let text = serde_json::to_string(&grants).unwrap();
        assert!(text.contains(r#""usage":"unused""#) && text.contains(r#""registry":"providers""#), "{text}");
        // The keys the TypeScript type (src/js/types.rs) declares, and no others.
        let value = serde_json::to_value(&grants[1]).unwrap();
        let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["consumer", "global", "items", "producer", "registry", "usage", "workspaceCount"]);
        let back: Vec<GrantUsage> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, grants);
        assert!(doc.problems().is_empty(), "{:?}", doc.problems());
    }

    #[test]
    fn a_row_is_the_producers_where_it_says_private_whatever_its_host() {
        let row = |source: &str, kind: Option<&str>| -> ExplorerRow {
            let mut attributes = json!({ "source": source, "workspace-count": 2 });
            if let Some(k) = kind {
                attributes["registry_type"] = k.into();
            }
            serde_json::from_value(json!({ "id": "r", "type": "x", "attributes": attributes })).unwrap()
        };
        let view = ExplorerView::Modules;
        let used = |rows: &[ExplorerRow]| matches!(used_from(rows, "acme", &view), Usage::Used { .. });
        assert!(used(&[row("acme/vpc/aws", Some("private"))]), "said private, no host");
        assert!(used(&[row("tfe.example.com/ACME/vpc/aws", None)]), "a host, nothing said: private");
        assert!(!used(&[row("acme/vpc/aws", None)]), "no host, nothing said: the public registry");
        assert!(!used(&[row("tfe.example.com/acme/vpc/aws", Some("public"))]), "said public");
    }
}
