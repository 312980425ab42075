//! The sharing map's data and layout.

use std::collections::{BTreeMap, BTreeSet};

use tfe_orgs::client::{map_of, set_of};

/// A producer and whom it shares with (`None` = every organization).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Producing {
    pub name: String,
    pub consumers: Option<Vec<String>>,
    /// The instance's count of its consumers while their names are still being read (current
    /// releases send it with the producer); `None` once `consumers` holds the names.
    pub pending: Option<usize>,
    /// The sharing as read in full (its names complete): what the usage read reuses.
    pub read: Option<tfe_orgs::client::ProducerSharing>,
}

impl Producing {
    /// How many organizations it shares with specifically; `None` for every organization.
    pub fn consumer_count(&self) -> Option<usize> {
        let listed = self.consumers.as_ref()?.len();
        Some(self.pending.unwrap_or(listed))
    }
}

/// Node positions of the map: producers on the left, consumers on the right, "every
/// organization" on top of the right column when any producer shares globally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapLayout {
    pub producers: Vec<(String, u32)>,
    pub consumers: Vec<(String, u32)>,
    /// `(producer y, consumer y, global)`.
    pub edges: Vec<(u32, u32, bool)>,
    pub height: u32,
    pub everyone_y: Option<u32>,
}

/// Pixels between rows; coordinates are whole pixels.
pub const MAP_ROW: u32 = 32;

pub fn map_layout(producing: &[Producing]) -> MapLayout {
    let y = |i: usize| 24 + i as u32 * MAP_ROW;
    let producers: Vec<(String, u32)> = producing.iter().enumerate().map(|(i, p)| (p.name.clone(), y(i))).collect();
    let any_global = producing.iter().any(|p| p.consumers.is_none());
    let offset = usize::from(any_global);
    let names: BTreeSet<&String> = set_of(producing.iter().filter_map(|p| p.consumers.as_ref()).flatten());
    let consumers: Vec<(String, u32)> =
        names.into_iter().enumerate().map(|(i, n)| (n.clone(), y(i + offset))).collect();
    let everyone_y = any_global.then(|| y(0));
    let position: BTreeMap<&str, u32> = map_of(consumers.iter().map(|(n, y)| (n.as_str(), *y)));
    let mut edges = Vec::new();
    for (p, (_, py)) in producing.iter().zip(&producers) {
        match &p.consumers {
            None => edges.push((*py, y(0), true)),
            Some(list) => {
                edges.extend(list.iter().filter_map(|c| position.get(c.as_str())).map(|cy| (*py, *cy, false)))
            }
        }
    }
    let rows = producers.len().max(consumers.len() + offset).max(1);
    MapLayout { producers, consumers, edges, height: y(rows), everyone_y }
}
