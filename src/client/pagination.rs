//! `Page<T>` and list-all: the first page, then the rest with bounded concurrency once the total
//! is known; without meta, page by page until an empty page or a repeated next-page.

use std::collections::BTreeSet;
use std::future::Future;

use serde::Serialize;

use super::fan_out::try_fan_out;
use crate::client::Error;
use crate::jsonapi::{Document, Pagination, Resource, StatusCounts};

/// One page of a list, with what the server said about the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `None` when the response had no pagination meta.
    pub pagination: Option<Pagination>,
    /// Admin lists only.
    pub status_counts: Option<StatusCounts>,
    /// Resources of `include=…`, untyped; see [`Document::included_of`].
    pub included: Vec<Resource<crate::jsonapi::Extra>>,
}

impl<T> Page<T> {
    pub fn from_document(doc: Document<Vec<T>>) -> Self {
        let (pagination, status_counts) = (doc.pagination(), doc.status_counts());
        Page { items: doc.data, pagination, status_counts, included: doc.included }
    }

    /// Included resources of one type (e.g. the owners of `include=owners`), typed.
    pub fn included_of<A: crate::jsonapi::ResourceKind + serde::de::DeserializeOwned + Default>(
        &self,
    ) -> Result<Vec<Resource<A>>, crate::jsonapi::DecodeError> {
        crate::jsonapi::included_of(&self.included)
    }
}

/// How far a list-all has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct Progress {
    pub pages: u32,
    pub items: u64,
    pub total_pages: Option<u32>,
    pub total_count: Option<u64>,
}

/// Fetch every page. `fetch(n)` fetches page `n`; at most `concurrency()` pages are in flight,
/// asked again as each page arrives (so it can follow the measured latency).
pub async fn list_all<T, F, Fut>(
    fetch: F,
    concurrency: &dyn Fn() -> usize,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Vec<T>, Error>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let first = fetch(1).await?;
    let mut progress = Progress {
        pages: 1,
        items: first.items.len() as u64,
        total_pages: first.pagination.and_then(|p| p.total_pages),
        total_count: first.pagination.and_then(|p| p.total_count),
    };
    on_progress(progress);
    let mut items = first.items;
    match progress.total_pages {
        Some(total) if total > 1 => {
            // Pages arrive out of order; keep them by number and join in order.
            let mut pages: Vec<(u32, Vec<T>)> = Vec::with_capacity(total as usize);
            let fetch_page = |n: u32| {
                let page = fetch(n);
                async move { page.await.map(|page| (n, page)) }
            };
            try_fan_out(2..=total, concurrency, fetch_page, |(n, page): (u32, Page<T>)| {
                progress.pages += 1;
                progress.items += page.items.len() as u64;
                on_progress(progress);
                pages.push((n, page.items));
            })
            .await?;
            pages.sort_by_key(|(n, _)| *n);
            items.extend(pages.into_iter().flat_map(|(_, page)| page));
        }
        Some(_) => {}
        // No pagination meta at all: TFE sent the whole list in one response.
        None if first.pagination.is_none() => {}
        None => {
            // Meta without a total: follow next-page until an empty page or a repeat.
            let mut seen = BTreeSet::from([1u32]);
            let mut next = first.pagination.and_then(|p| p.next_page);
            while let Some(n) = next.filter(|n| seen.insert(*n)) {
                let page = fetch(n).await?;
                if page.items.is_empty() {
                    break;
                }
                progress.pages += 1;
                progress.items += page.items.len() as u64;
                on_progress(progress);
                next = page.pagination.and_then(|p| p.next_page);
                items.extend(page.items);
            }
        }
    }
    Ok(items)
}
