//! The module sharing editor: mode, consumers, and who gains or loses access.

use std::collections::BTreeSet;

use tfe_orgs::client::SharingIntent;

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
    pub fn from_server(global: bool, consumers: impl IntoIterator<Item = String>) -> Self {
        let consumers: BTreeSet<String> = consumers.into_iter().collect();
        let mode = if global {
            SharingMode::All
        } else if consumers.is_empty() {
            SharingMode::NotShared
        } else {
            SharingMode::Specific
        };
        Sharing { mode, consumers: if global { BTreeSet::new() } else { consumers } }
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
            SharingMode::NotShared => SharingIntent { global_module_sharing: Some(false), consumers: Some(vec![]) },
            SharingMode::Specific => SharingIntent {
                global_module_sharing: Some(false),
                consumers: Some(self.consumers.iter().cloned().collect()),
            },
            SharingMode::All => SharingIntent { global_module_sharing: Some(true), consumers: None },
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
                lines.push(format!("Every organization loses access except {}.", self.keeps.join(", ")));
            }
        }
        if !self.gains.is_empty() {
            lines.push(format!("Gain access: {}.", self.gains.join(", ")));
        }
        if !self.loses.is_empty() {
            lines.push(format!("Lose access: {}.", self.loses.join(", ")));
        }
        if lines.is_empty() {
            lines.push("No change.".to_string());
        }
        lines
    }
}
