//! `Page<T>` and list-all: the first page, then the rest with bounded concurrency once the total
//! is known; without meta, page by page until an empty page or a repeated next-page.

use std::collections::BTreeSet;
use std::future::Future;

use serde::Serialize;

use crate::client::Error;
use crate::jsonapi::{Document, Pagination, Resource, StatusCounts};
use futures_util::future::{AbortHandle, Abortable, Aborted};
use futures_util::stream::{FuturesUnordered, StreamExt};

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

/// Every item of a list, read page by page to its end: what list-all returns, and the only
/// thing an editor that writes a list back may be seeded from (a [`Page`] is one page; its
/// items never become a `Complete` — only [`list_all`] makes one).
///
/// ```compile_fail
/// # use tfe_orgs::client::{Complete, Page};
/// fn seed(page: Page<String>) -> Complete<String> {
///     Complete::from(page.items) // a page is not the whole list
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complete<T>(pub(crate) Vec<T>);

impl<T> Complete<T> {
    /// The items, in the list's order.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    /// A complete list of something derived from each item (names from organizations).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Complete<U> {
        Complete(self.0.into_iter().map(f).collect())
    }

    /// The items `f` keeps, still the whole list of those.
    pub fn filter_map<U>(self, f: impl FnMut(T) -> Option<U>) -> Complete<U> {
        Complete(self.0.into_iter().filter_map(f).collect())
    }

    /// The list with nothing in it (complete by definition: a list the instance says is empty,
    /// or one that is not shown).
    pub fn empty() -> Self {
        Complete(Vec::new())
    }
}

impl Complete<crate::model::AdminOrganization> {
    /// The organizations' names (one copy of this loop for every list of them).
    pub fn names(self) -> Complete<String> {
        self.filter_map(|o| o.attributes.name)
    }
}

impl Complete<crate::model::OrganizationRef> {
    /// The organizations' names.
    pub fn names(self) -> Complete<String> {
        self.filter_map(|o| o.attributes.name)
    }
}

impl<T> std::ops::Deref for Complete<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> IntoIterator for Complete<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Complete<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
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

impl Progress {
    /// Count one more page of `items` items; the progress to report.
    fn add_page(&mut self, items: usize) -> Progress {
        self.pages += 1;
        self.items += items as u64;
        *self
    }
}

/// The indices `0..len` in the order `cmp` gives (stable). One sort for every element type
/// (a sort is generic, and each instance of it costs the wasm builds kilobytes): sort the indices,
/// then place the elements.
pub fn sorted_indices(len: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// A set from `items` by inserting them one by one: `collect()` into a `BTreeSet` sorts them
/// first (one more sort instance per element type in the wasm builds); this does not.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// A map from `entries`, inserted one by one (see [`set_of`]).
pub fn map_of<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in entries {
        map.insert(key, value);
    }
    map
}

/// `items` reordered by `cmp` (stable), through [`sorted_indices`].
pub fn sort_by_dyn<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> std::cmp::Ordering) {
    let order = sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Fetch every page. `fetch(n)` fetches page `n`; at most `concurrency()` pages are in flight,
/// asked again as each page arrives (so it can follow the measured latency).
///
/// With `lookahead`, pages 2 to `1 + lookahead` are asked for while page 1 is still on its way
/// (each waits its turn at the client's rate limiter), so the first round trip is not dead time
/// on a slow link. Page 1 tells how many pages there are: look-ahead pages past the end are
/// dropped, and those still waiting for the limiter are never sent (what can be wasted is what
/// the limiter lets out during one round trip). Meant for the big lists (all organizations);
/// the many short lists (one producer's consumers) pass 0.
pub async fn list_all<T, F, Fut>(
    fetch: F,
    concurrency: &dyn Fn() -> usize,
    lookahead: u32,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Complete<T>, Error>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let mut in_flight = FuturesUnordered::new();
    let mut handles: Vec<(u32, AbortHandle)> = Vec::new();
    let launch = |n: u32, in_flight: &mut FuturesUnordered<_>, handles: &mut Vec<(u32, AbortHandle)>| {
        let (handle, registration) = AbortHandle::new_pair();
        handles.push((n, handle));
        let page = Abortable::new(fetch(n), registration);
        in_flight.push(async move { (n, page.await) });
    };
    for n in 1..=1 + lookahead {
        launch(n, &mut in_flight, &mut handles);
    }
    let mut next = 2 + lookahead;
    // The last page, once page 1 has told; pages arriving before that wait in `early`.
    let mut last: Option<u32> = None;
    let mut early: Vec<(u32, Result<Page<T>, Error>)> = Vec::new();
    // Page 1's meta when it has no total: the pages are followed by next-page below.
    let mut follow = None;
    let mut progress = Progress::default();
    let mut pages: Vec<(u32, Vec<T>)> = Vec::new();
    loop {
        if let Some(last) = last {
            while next <= last && in_flight.len() < concurrency().max(1) {
                launch(next, &mut in_flight, &mut handles);
                next += 1;
            }
        }
        let Some((n, result)) = in_flight.next().await else { break };
        let result = match result {
            // A look-ahead page past the end, dropped before it was sent (or answered).
            Err(Aborted) => continue,
            Ok(_) if last.is_some_and(|l| n > l) => continue,
            Ok(result) => result,
        };
        if n != 1 && last.is_none() {
            // A look-ahead page before page 1 told whether it exists: decided then.
            early.push((n, result));
            continue;
        }
        let page = result?;
        if n == 1 {
            let meta = page.pagination;
            progress.total_pages = meta.and_then(|p| p.total_pages);
            progress.total_count = meta.and_then(|p| p.total_count);
            let end = match progress.total_pages {
                Some(total) => total.max(1),
                // No total: only page 1 is known (the rest is followed below, or there is none).
                None => {
                    follow = meta;
                    1
                }
            };
            last = Some(end);
            for (m, handle) in &handles {
                if *m > end {
                    handle.abort();
                }
            }
        }
        on_progress(progress.add_page(page.items.len()));
        pages.push((n, page.items));
        // Look-ahead pages that arrived before page 1: kept if they exist (a failure of one that
        // does not exist does not count), one progress update each.
        let end = last.unwrap_or(1);
        for (m, early_page) in std::mem::take(&mut early).into_iter().filter(|(m, _)| *m <= end) {
            let early_page = early_page?;
            on_progress(progress.add_page(early_page.items.len()));
            pages.push((m, early_page.items));
        }
    }
    let order = sorted_indices(pages.len(), &|a, b| pages[a].0.cmp(&pages[b].0));
    let mut pages: Vec<Option<Vec<T>>> = pages.into_iter().map(|(_, page)| Some(page)).collect();
    let mut items: Vec<T> = Vec::new();
    for i in order {
        items.extend(pages[i].take().unwrap_or_default());
    }
    // Meta without a total: follow next-page until an empty page or a repeat.
    if let Some(meta) = follow {
        let mut seen = BTreeSet::new();
        seen.insert(1u32);
        let mut next = meta.next_page;
        while let Some(n) = next.filter(|n| seen.insert(*n)) {
            let page = fetch(n).await?;
            if page.items.is_empty() {
                break;
            }
            on_progress(progress.add_page(page.items.len()));
            next = page.pagination.and_then(|p| p.next_page);
            items.extend(page.items);
        }
    }
    Ok(Complete(items))
}
