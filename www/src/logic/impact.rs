//! Who loses access to a producer's private registries when it is deleted, disabled or stops
//! sharing globally, and whose registries an organization uses: said before the change.

use std::collections::BTreeSet;

use tfe_orgs::client::{AccessImpact, ProducerSharing, Registry, SharingState};

use super::export::csv_cell;
use super::sharing::organizations;

/// What the impact summary shows, from one organization's [`Impact`] or a bulk selection's
/// [`BulkImpact`]: sentences, who loses access (with what), the producers used, a CSV.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LossReport {
    pub lines: Vec<String>,
    pub losing: Vec<(String, String)>,
    pub producers: Vec<String>,
    pub csv: String,
    /// The producers whose sharing ends and the registries it ends for: whose grants Explorer is
    /// asked about (which of those losing access use them).
    pub ending: Vec<String>,
    pub registries: Vec<Registry>,
    /// Someone shares with every organization: asking Explorer means reading every one.
    pub everyone: bool,
}

impl LossReport {
    /// The report of `producer`'s change (one organization's [`Impact`] does not know its name).
    pub fn of_producer(mut self, producer: &str) -> Self {
        self.ending = vec![producer.to_string()];
        self
    }
}

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
        // Both lists are sorted (read into sets): merged in one pass.
        let (modules, providers) = (self.modules.names(), self.providers.as_ref().map(Loss::names).unwrap_or_default());
        let (mut m, mut p) = (modules.iter().peekable(), providers.iter().peekable());
        let mut out = Vec::with_capacity(modules.len() + providers.len());
        loop {
            let next = match (m.peek(), p.peek()) {
                (Some(a), Some(b)) if a == b => {
                    p.next();
                    (m.next(), "modules and providers")
                }
                (Some(a), Some(b)) if a < b => (m.next(), "modules"),
                (Some(_), None) => (m.next(), "modules"),
                (_, Some(_)) => (p.next(), "providers"),
                (None, None) => break,
            };
            if let (Some(name), what) = next {
                out.push((name.clone(), what));
            }
        }
        out
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
        if lines.is_empty() {
            lines.push("No other organization loses access to its private registries.".to_string());
        }
        if !self.producers.is_empty() {
            lines.push(format!("It uses the private modules of {}.", organizations(self.producers.len())));
        }
        lines
    }

    pub fn report(&self) -> LossReport {
        LossReport {
            lines: self.lines(),
            losing: self.losing().into_iter().map(|(n, what)| (n, what.to_string())).collect(),
            producers: self.producers.clone(),
            csv: self.csv(),
            ending: Vec::new(),
            registries: self.registries_lost(),
            everyone: self.modules == Loss::Everyone || self.providers == Some(Loss::Everyone),
        }
    }

    /// The registries someone loses access to.
    fn registries_lost(&self) -> Vec<Registry> {
        let lost = |l: &Loss| l != &Loss::Named(Vec::new());
        let mut out = Vec::new();
        if lost(&self.modules) {
            out.push(Registry::Modules);
        }
        if self.providers.as_ref().is_some_and(lost) {
            out.push(Registry::Providers);
        }
        out
    }

    /// `organization,loses` rows, one per organization that loses access.
    pub fn csv(&self) -> String {
        let mut out = String::from("Organization,Loses\n");
        for (name, what) in self.losing() {
            out.push_str(&format!("{},{}\n", csv_cell(&name), csv_cell(what)));
        }
        out
    }
}

/// What a bulk change takes away: how many of the selected organizations share, with how many
/// organizations, and each producer → consumer edge.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BulkImpact {
    /// Selected organizations that share a registry the change ends.
    pub producers: usize,
    /// Of those, how many share with every organization.
    pub global: usize,
    /// Every organization that loses access to at least one of them.
    pub consumers: BTreeSet<String>,
    /// `(producer, registry noun, consumer)`, consumer `*` for global sharing.
    pub edges: Vec<(String, &'static str, String)>,
}

impl BulkImpact {
    pub fn new(sharing: &[ProducerSharing]) -> Self {
        let mut impact = BulkImpact::default();
        let mut producers = BTreeSet::new();
        let mut global = BTreeSet::new();
        for p in sharing.iter().filter(|p| !p.state.is_private()) {
            producers.insert(p.name.clone());
            if p.state.global() {
                global.insert(p.name.clone());
                impact.edges.push((p.name.clone(), p.registry.noun(), "*".to_string()));
            }
            for c in p.state.consumers() {
                impact.consumers.insert(c.clone());
                impact.edges.push((p.name.clone(), p.registry.noun(), c.clone()));
            }
        }
        impact.producers = producers.len();
        impact.global = global.len();
        impact
    }

    pub fn lines(&self) -> Vec<String> {
        if self.producers == 0 {
            return vec!["None of these shares its private registries: nobody else loses access.".to_string()];
        }
        let mut lines = Vec::new();
        let these = if self.producers == 1 {
            "1 of these shares".to_string()
        } else {
            format!("{} of these share", self.producers)
        };
        if !self.consumers.is_empty() {
            lines.push(format!("{these} with {}, who lose access.", organizations(self.consumers.len())));
        }
        if self.global > 0 {
            let n = if self.global == 1 { "1 shares".to_string() } else { format!("{} share", self.global) };
            lines.push(format!("{n} with every organization on the instance (global sharing), which loses access."));
        }
        lines
    }

    pub fn report(&self) -> LossReport {
        LossReport {
            lines: self.lines(),
            losing: self.consumers.iter().map(|c| (c.clone(), String::new())).collect(),
            producers: Vec::new(),
            csv: self.csv(),
            ending: self.edges.iter().map(|e| e.0.clone()).collect::<BTreeSet<_>>().into_iter().collect(),
            registries: [Registry::Modules, Registry::Providers]
                .into_iter()
                .filter(|r| self.edges.iter().any(|e| e.1 == r.noun()))
                .collect(),
            everyone: self.global > 0,
        }
    }

    /// `producer,registry,consumer` rows.
    pub fn csv(&self) -> String {
        let mut out = String::from("Producer,Registry,Consumer\n");
        for (p, r, c) in &self.edges {
            out.push_str(&format!("{},{},{}\n", csv_cell(p), r, csv_cell(c)));
        }
        out
    }
}
