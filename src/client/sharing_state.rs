//! A producer's sharing read in full, a save that refuses to overwrite a change made since that
//! read, and who loses access before a destructive change.
//!
//! Why a type of its own: a consumer list written back from one page of 100 silently takes
//! access away from everyone on the pages not read. [`SharingState`] can only be built from a
//! [`Complete`] list (which only list-all returns), so an editor seeded from it holds the
//! whole list.

use std::collections::BTreeSet;

use super::{Client, Complete, Error, ErrorKind, Progress, Registry, SharingIntent};
use crate::model::AdminOrganizationAttributes;
use crate::transport::Transport;

/// Who may use a producer's private modules or providers, read in full.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharingState {
    global: bool,
    consumers: BTreeSet<String>,
}

impl SharingState {
    /// The global flag and the whole consumer list. While global sharing is on the list does not
    /// count (TFE answers it empty), so it is kept empty.
    pub fn new(global: bool, consumers: Complete<String>) -> Self {
        let consumers = if global { BTreeSet::new() } else { super::set_of(consumers) };
        SharingState { global, consumers }
    }

    /// From an admin organization's flags and the whole consumer list of `registry`.
    pub fn of(registry: Registry, admin: &AdminOrganizationAttributes, consumers: Complete<String>) -> Self {
        SharingState::new(registry.shares_globally(admin).unwrap_or(false), consumers)
    }

    pub fn global(&self) -> bool {
        self.global
    }

    /// Every consumer by name (empty while sharing globally).
    pub fn consumers(&self) -> &BTreeSet<String> {
        &self.consumers
    }

    /// Whether nobody but the producer may use its registry.
    pub fn is_private(&self) -> bool {
        !self.global && self.consumers.is_empty()
    }

    /// What the instance holds once `intent` is applied to this state.
    pub fn after(&self, intent: &SharingIntent) -> SharingState {
        match (&intent.consumers, intent.global) {
            (_, Some(true)) => SharingState { global: true, consumers: BTreeSet::new() },
            (Some(list), _) => SharingState { global: false, consumers: super::set_of(list.iter().cloned()) },
            (None, Some(false)) => SharingState { global: false, consumers: self.consumers.clone() },
            (None, None) => self.clone(),
        }
    }

    /// Who gained and who lost access between `self` (an earlier read) and `now`.
    pub fn changes_to(&self, now: &SharingState) -> SharingChange {
        SharingChange {
            global: (self.global != now.global).then_some(now.global),
            gained: now.consumers.difference(&self.consumers).cloned().collect(),
            lost: self.consumers.difference(&now.consumers).cloned().collect(),
        }
    }
}

/// The difference between two reads of a producer's sharing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharingChange {
    /// `Some(on)` when the global flag changed to `on`.
    pub global: Option<bool>,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

/// How a checked save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharingSave {
    /// Written; the state the instance now holds.
    Saved(SharingState),
    /// Nothing written: the instance changed since the editor was seeded (another admin, another
    /// tab). `now` is what it holds; merge the edits onto it or start again from it.
    Changed { now: SharingState },
}

/// What an organization's deletion (or disabling, or the end of its global sharing) takes from
/// others, and which producers' registries it uses itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessImpact {
    pub modules: SharingState,
    /// `None` where the instance has no provider sharing (its provider-consumers answers 404).
    pub providers: Option<SharingState>,
    /// The organizations whose private modules this one uses (module-producers), every page.
    pub producers: Complete<String>,
}

impl<T: Transport> Client<T> {
    /// The producer's global flag and **every** consumer of `registry` (all pages): the state an
    /// editor may be seeded from.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::client::Registry;
    /// let state = client.read_sharing(Registry::Modules, "acme", &mut |p| println!("{} read", p.items)).await?;
    /// println!("{} consumers", state.consumers().len());
    /// # Ok(()) }
    /// ```
    pub async fn read_sharing(
        &self,
        registry: Registry,
        name: &str,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<SharingState, Error> {
        let admin = self.admin_read(name).await?;
        let consumers = self.list_all_consumers(registry, name, on_progress).await?;
        Ok(SharingState::of(registry, &admin.attributes, consumers.names()))
    }

    /// Apply `intent` only if the instance still holds `seeded` (what the editor was seeded
    /// from): the sharing is read in full again just before writing, and a change made since is
    /// answered as [`SharingSave::Changed`] with nothing written. An invalid intent is refused
    /// before any request.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::client::{Registry, SharingIntent, SharingSave};
    /// let seeded = client.read_sharing(Registry::Modules, "acme", &mut |_| {}).await?;
    /// let intent = SharingIntent { global: Some(false), consumers: Some(vec!["team-a".into()]) };
    /// match client.save_sharing(Registry::Modules, "acme", &seeded, &intent).await? {
    ///     SharingSave::Saved(now) => println!("saved: {} consumers", now.consumers().len()),
    ///     SharingSave::Changed { now } => println!("changed meanwhile: {} consumers now", now.consumers().len()),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn save_sharing(
        &self,
        registry: Registry,
        name: &str,
        seeded: &SharingState,
        intent: &SharingIntent,
    ) -> Result<SharingSave, Error> {
        super::org_segment(name)?;
        Self::check_intent(registry, intent)?;
        let now = self.read_sharing(registry, name, &mut |_| {}).await?;
        if now != *seeded {
            return Ok(SharingSave::Changed { now });
        }
        self.update_sharing(registry, name, intent).await?;
        Ok(SharingSave::Saved(seeded.after(intent)))
    }

    /// Who loses access if `name` is deleted or disabled (its module and provider consumers,
    /// every page) and whose registries it uses (its module producers). Read under the rate
    /// limit; `on_progress` follows each list in turn.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let impact = client.access_impact("acme", &mut |_| {}).await?;
    /// println!("{impact:?}");
    /// # Ok(()) }
    /// ```
    pub async fn access_impact(
        &self,
        name: &str,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<AccessImpact, Error> {
        // Built from the reads the editors use (one more admin read, far less code).
        let modules = self.read_sharing(Registry::Modules, name, on_progress).await?;
        let providers = match self.read_sharing(Registry::Providers, name, on_progress).await {
            Ok(state) => Some(state),
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let producers = self.list_all_module_producers(name, on_progress).await?;
        Ok(AccessImpact { modules, providers, producers: producers.names() })
    }
}

/// One selected organization that shares a registry, and with whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerSharing {
    pub name: String,
    pub registry: Registry,
    pub state: SharingState,
}

/// A producer as the one admin list-all of its registry shows it: whether it shares globally
/// and, where the instance counts them (current releases), with how many specifically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    pub name: String,
    pub registry: Registry,
    pub global: bool,
    /// The instance's count of specific consumers; `None` where it sends none.
    pub count: Option<u32>,
}

impl<T: Transport> Client<T> {
    /// Which of `names` (`None`: every producer — the sharing audit) share `registries` and with
    /// whom (every consumer, all pages): what a bulk disable takes away. The producers come from
    /// one admin list-all per registry ([`Client::producers`]), then each one's consumers under
    /// the rate limit ([`Client::consumers_of`]); `on_progress(done, total)` counts the producers
    /// read. A registry the instance does not have (404) counts as shared by nobody. In the
    /// order of the producers' lists (registry by registry).
    pub async fn sharing_of_many(
        &self,
        names: Option<&[String]>,
        registries: &[Registry],
        on_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<ProducerSharing>, Error> {
        let wanted: Option<BTreeSet<String>> = names.map(|n| super::set_of(n.iter().map(|n| n.to_ascii_lowercase())));
        let mut found = Vec::new();
        for &registry in registries {
            let producers = self.producers(registry).await?;
            found.extend(
                producers
                    .into_iter()
                    .filter(|p| wanted.as_ref().is_none_or(|w| w.contains(&p.name.to_ascii_lowercase()))),
            );
        }
        self.consumers_of(found, on_progress).await
    }

    /// Every producer of `registry`, from one admin list-all (its producer filter), with its
    /// global flag and (current releases) its consumer count: enough for an overview before any
    /// consumer list is read. Empty where the instance does not have the registry (404).
    pub async fn producers(&self, registry: Registry) -> Result<Vec<Producer>, Error> {
        let list = match self.admin_list_all(&registry.producers(), &mut |_| {}).await {
            Ok(list) => list,
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(list
            .into_iter()
            .filter_map(|org| {
                let global = registry.shares_globally(&org.attributes).unwrap_or(false);
                let count = registry.consumer_count(&org.attributes);
                Some(Producer { name: org.attributes.name?, registry, global, count })
            })
            .collect())
    }

    /// Whom each of `producers` shares with (every consumer, all pages; none read for a global
    /// one), under the rate limit; `on_progress(done, total)` after each. In the given order.
    pub async fn consumers_of(
        &self,
        producers: Vec<Producer>,
        on_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<ProducerSharing>, Error> {
        let total = producers.len();
        // Answers arrive in any order; each goes back to its place in the producers' list.
        let mut out: Vec<Option<ProducerSharing>> = vec![None; total];
        let read = |(at, p): (usize, Producer)| async move {
            let Producer { name, registry, global, count } = p;
            let state = if global || count == Some(0) {
                // Nothing to read: everyone, or (counted) nobody specifically.
                Ok(SharingState::new(global, Complete::empty()))
            } else {
                match self.list_all_consumers(registry, &name, &mut |_| {}).await {
                    Ok(list) => Ok(SharingState::new(false, list.names())),
                    // An older instance answers the provider filter with every organization.
                    Err(e) if e.kind == ErrorKind::NotFound => Ok(SharingState::default()),
                    Err(e) => Err(e),
                }
            };
            state.map(|state| (at, ProducerSharing { name, registry, state }))
        };
        let mut done = 0;
        super::fan_out::try_fan_out(
            producers.into_iter().enumerate(),
            || self.fan_out(),
            read,
            |(at, p): (usize, ProducerSharing)| {
                done += 1;
                out[at] = Some(p);
                on_progress(done, total);
            },
        )
        .await?;
        Ok(out.into_iter().flatten().collect())
    }
}
