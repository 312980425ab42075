//! Who loses access to a producer's private registries when it is deleted, disabled or stops
//! sharing globally, and whose registries an organization uses: said before the change.

use std::collections::BTreeMap;

use tfe_orgs::client::{AccessImpact, SharingState};

use super::export::csv_cell;
use super::sharing::organizations;

/// Who loses access to one registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loss {
    /// Global sharing: every organization of the instance.
    Everyone,
    Named(Vec<String>),
}

impl Loss {
    fn of(state: &SharingState) -> Loss {
        if state.global() {
            Loss::Everyone
        } else {
            Loss::Named(state.consumers().iter().cloned().collect())
        }
    }

    fn names(&self) -> &[String] {
        match self {
            Loss::Everyone => &[],
            Loss::Named(names) => names,
        }
    }
}

/// What a destructive change to one organization takes from others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    pub modules: Loss,
    /// `None`: the instance has no provider sharing.
    pub providers: Option<Loss>,
    /// The producers whose private modules this organization uses (a deletion ends that).
    pub producers: Vec<String>,
}

impl Impact {
    pub fn from_access(impact: &AccessImpact) -> Self {
        Impact {
            modules: Loss::of(&impact.modules),
            providers: impact.providers.as_ref().map(Loss::of),
            producers: impact.producers.to_vec(),
        }
    }

    /// From the sharing states an editor already holds (read in full).
    pub fn from_states(modules: &SharingState, providers: Option<&SharingState>) -> Self {
        Impact { modules: Loss::of(modules), providers: providers.map(Loss::of), producers: Vec::new() }
    }

    /// Nobody loses anything.
    pub fn is_empty(&self) -> bool {
        let none = |l: &Loss| l == &Loss::Named(Vec::new());
        none(&self.modules) && self.providers.as_ref().is_none_or(none)
    }

    /// Each organization that loses access, with what it loses ("modules", "providers",
    /// "modules and providers"), by name.
    pub fn losing(&self) -> Vec<(String, &'static str)> {
        let mut by_name: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for n in self.modules.names() {
            by_name.entry(n).or_default().0 = true;
        }
        for n in self.providers.as_ref().map(Loss::names).unwrap_or_default() {
            by_name.entry(n).or_default().1 = true;
        }
        by_name
            .into_iter()
            .map(|(n, registries)| {
                let what = match registries {
                    (true, true) => "modules and providers",
                    (true, false) => "modules",
                    _ => "providers",
                };
                (n.to_string(), what)
            })
            .collect()
    }

    /// Sentences, one per registry that someone loses, then the producers it uses.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (loss, noun) in [(Some(&self.modules), "modules"), (self.providers.as_ref(), "providers")] {
            match loss {
                Some(Loss::Everyone) => lines.push(format!(
                    "Every organization on the instance loses access to its private {noun} (shared globally today)."
                )),
                Some(Loss::Named(names)) if !names.is_empty() => {
                    let who = organizations(names.len());
                    let verb_agrees = if names.len() == 1 { "loses" } else { "lose" };
                    lines.push(format!("{who} {verb_agrees} access to its private {noun}."));
                }
                _ => {}
            }
        }
        if !self.producers.is_empty() {
            lines.push(format!(
                "It uses the private modules of {}: {}.",
                organizations(self.producers.len()),
                self.producers.join(", ")
            ));
        }
        if lines.is_empty() {
            lines.push("No other organization loses access to its private registries.".to_string());
        }
        lines
    }

    /// `organization,loses` rows, one per organization that loses access.
    pub fn csv(&self) -> String {
        let mut out = String::from("organization,loses\n");
        for (name, what) in self.losing() {
            out.push_str(&format!("{},{}\n", csv_cell(&name), csv_cell(what)));
        }
        out
    }
}
