//! The module sharing editor: mode, consumers, and who gains or loses access.

use std::collections::BTreeSet;

use tfe_orgs::client::set_of;

use tfe_orgs::client::{SharingIntent, SharingState};

pub use tfe_orgs::client::Registry;

/// DOM ids per registry: the module editor keeps the plain ids, the provider editor's copy of an
/// element is prefixed, so both can be on one page.
pub trait RegistryIds {
    fn id(self, base: &str) -> String;
}

impl RegistryIds for Registry {
    fn id(self, base: &str) -> String {
        match self {
            Registry::Modules => base.to_string(),
            Registry::Providers => format!("provider-{base}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SharingMode {
    #[default]
    NotShared,
    Specific,
    All,
}

/// Who may use an organization's private modules.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Sharing {
    pub mode: SharingMode,
    /// Consumer names (meaningful with `Specific`).
    pub consumers: BTreeSet<String>,
}

impl Sharing {
    /// The editor's starting point: only a state read in full (every page of consumers) seeds
    /// it, so a save can never write back a partial list.
    pub fn from_state(state: &SharingState) -> Self {
        Self::from_parts(state.global(), state.consumers().iter().cloned())
    }

    fn from_parts(global: bool, consumers: impl IntoIterator<Item = String>) -> Self {
        let consumers: BTreeSet<String> = set_of(consumers);
        let mode = if global {
            SharingMode::All
        } else if consumers.is_empty() {
            SharingMode::NotShared
        } else {
            SharingMode::Specific
        };
        Sharing { mode, consumers: if global { BTreeSet::new() } else { consumers } }
    }

    /// The user's edits (this draft against `seeded`) made again on top of `now`, what the
    /// instance holds after someone else changed it: additions and removals are kept, the other
    /// admin's changes too; a change of mode is kept only where the user made one.
    pub fn rebase(&self, seeded: &Sharing, now: &Sharing) -> Sharing {
        let (mine, theirs) = (self.effective(), seeded.effective());
        let added: BTreeSet<&String> = set_of(mine.difference(&theirs));
        let removed: BTreeSet<&String> = set_of(theirs.difference(&mine));
        let mut consumers = now.effective();
        consumers.extend(added.into_iter().cloned());
        consumers.retain(|c| !removed.contains(c));
        let mode = if self.mode != seeded.mode {
            self.mode
        } else if now.mode == SharingMode::All {
            SharingMode::All
        } else if consumers.is_empty() {
            SharingMode::NotShared
        } else {
            SharingMode::Specific
        };
        Sharing { mode, consumers: if mode == SharingMode::All { BTreeSet::new() } else { consumers } }
    }

    /// The consumers that count in this mode.
    fn effective(&self) -> BTreeSet<String> {
        match self.mode {
            SharingMode::Specific => self.consumers.clone(),
            _ => BTreeSet::new(),
        }
    }

    /// The intent that makes the server match this state (the client orders the writes).
    pub fn intent(&self) -> SharingIntent {
        match self.mode {
            SharingMode::NotShared => SharingIntent { global: Some(false), consumers: Some(vec![]) },
            SharingMode::Specific => {
                SharingIntent { global: Some(false), consumers: Some(self.consumers.iter().cloned().collect()) }
            }
            SharingMode::All => SharingIntent { global: Some(true), consumers: None },
        }
    }

    pub fn errors(&self) -> Option<String> {
        (self.mode == SharingMode::Specific && self.consumers.is_empty())
            .then(|| "choose at least one organization, or pick \"Not shared\"".to_string())
    }
}

/// Who gains and who loses access when going from `before` to `after`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SharingSummary {
    pub everyone_gains: bool,
    /// Everyone loses access except `gains`/kept consumers (sharing with all is ending).
    pub everyone_else_loses: bool,
    pub gains: Vec<String>,
    pub loses: Vec<String>,
    /// Consumers that keep access (when everyone else loses it).
    pub keeps: Vec<String>,
}

impl SharingSummary {
    pub fn between(before: &Sharing, after: &Sharing) -> Self {
        let (old, new) = (before.effective(), after.effective());
        match (before.mode == SharingMode::All, after.mode == SharingMode::All) {
            (true, true) => SharingSummary::default(),
            (false, true) => SharingSummary { everyone_gains: true, ..Default::default() },
            (true, false) => {
                SharingSummary { everyone_else_loses: true, keeps: new.into_iter().collect(), ..Default::default() }
            }
            (false, false) => SharingSummary {
                gains: new.difference(&old).cloned().collect(),
                loses: old.difference(&new).cloned().collect(),
                ..Default::default()
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everyone_gains && !self.everyone_else_loses && self.gains.is_empty() && self.loses.is_empty()
    }

    /// Sentences for the page.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.everyone_gains {
            lines.push("Every organization on this instance gains access.".to_string());
        }
        if self.everyone_else_loses {
            if self.keeps.is_empty() {
                lines.push("Every organization loses access.".to_string());
            } else {
                lines.push(format!("Every organization loses access except {}.", organizations(self.keeps.len())));
            }
        }
        if !self.gains.is_empty() {
            let verb = if self.gains.len() == 1 { "gains" } else { "gain" };
            lines.push(format!("{} {verb} access.", organizations(self.gains.len())));
        }
        if !self.loses.is_empty() {
            let verb = if self.loses.len() == 1 { "loses" } else { "lose" };
            lines.push(format!("{} {verb} access.", organizations(self.loses.len())));
        }
        if lines.is_empty() {
            lines.push("No change.".to_string());
        }
        lines
    }
}

/// "1 organization", "150 organizations".
pub fn organizations(n: usize) -> String {
    super::format::count_of(n, "organization", "organizations")
}
