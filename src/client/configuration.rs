//! Configuration as data against an instance: take a snapshot at the rate floor, and apply a
//! plan one organization at a time under the lost-answer rules (the document, diff and plan are
//! pure: [`crate::snapshot`]).

use super::{Client, Error, ErrorKind, Registry, SharingIntent, SharingState};
use crate::client::ProducerSharing;
use crate::model::{AdminOrganizationUpdate, OrganizationBody};
use crate::snapshot::{OrganizationSnapshot, OrganizationWrite, Snapshot, SnapshotInstance, SnapshotPlan};
use crate::transport::Transport;

/// How far a snapshot or an apply has got: `done` of `total` steps of the stage named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigProgress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// What happened to one organization of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// Every write of its plan was applied (or found applied after a lost answer).
    Done,
    /// A write failed; the ones before it were applied. An `outcome-unknown` error may have
    /// been applied too: read the organization before trying again.
    Failed(Error),
    /// Not started: the run was stopped first.
    NotSent,
}

impl<T: Transport> Client<T> {
    /// Every organization as the instance holds it: its admin settings (one admin list-all), its
    /// organization settings (one list-all of the Organizations API) and whom it shares with
    /// (each producer's consumer lists, read in full; providers where the instance has them).
    /// At the rate floor: lists in parallel under the limiter. `taken_at`: when, as the caller
    /// says it (the library has no clock of its own).
    pub async fn snapshot(
        &self,
        taken_at: &str,
        on_progress: &mut dyn FnMut(ConfigProgress),
    ) -> Result<Snapshot, Error> {
        on_progress(ConfigProgress { stage: "admin settings", done: 0, total: 1 });
        let admin = self.admin_list_all(&Default::default(), &mut |_| {}).await?;
        on_progress(ConfigProgress { stage: "organization settings", done: 0, total: 1 });
        let settings = self.list_all(&Default::default(), &mut |_| {}).await?;
        let providers = self.has_provider_sharing();
        let registries: &[Registry] =
            if providers { &[Registry::Modules, Registry::Providers] } else { &[Registry::Modules] };
        let sharing = self
            .sharing_of_many(None, registries, &mut |done, total| {
                on_progress(ConfigProgress { stage: "consumers", done, total })
            })
            .await?;
        let key = |name: &str| name.to_ascii_lowercase();
        let settings_by_name =
            super::map_of(settings.iter().filter_map(|o| Some((key(o.attributes.name.as_deref()?), &o.attributes))));
        let by_producer = super::map_of(
            sharing.iter().map(|p: &ProducerSharing| ((p.registry == Registry::Providers, key(&p.name)), &p.state)),
        );
        let sharing_of = |name: &str, registry: Registry| -> SharingState {
            // Not a producer: it shares with nobody.
            by_producer.get(&(registry == Registry::Providers, key(name))).map(|s| (*s).clone()).unwrap_or_default()
        };
        let mut out = Snapshot::new(Some(SnapshotInstance {
            url: self.api_url().to_string(),
            release: self.release(),
            taken_at: taken_at.to_string(),
        }));
        for org in admin.iter() {
            let Some(name) = org.attributes.name.clone() else { continue };
            let modules = sharing_of(&name, Registry::Modules);
            let provider_state = providers.then(|| sharing_of(&name, Registry::Providers));
            let snap = OrganizationSnapshot::of(
                &org.attributes,
                settings_by_name.get(&key(&name)).copied(),
                Some(&modules),
                provider_state.as_ref(),
            );
            out.organizations.insert(name, snap);
        }
        Ok(out)
    }

    /// Apply `plan`: per organization its settings, its admin attributes, then its sharing in
    /// the order that never over-shares; organizations in parallel under the rate limiter, as
    /// many in flight as the latency needs ([`Client::fan_out`]). One outcome per write of the
    /// plan, in plan order. `stop()` is asked before each organization: once it says so, the
    /// ones in flight finish and the rest are `NotSent`. Each write follows the lost-answer
    /// rules of the call it makes (they set states, so a lost answer is retried).
    pub async fn apply(
        &self,
        plan: &SnapshotPlan,
        stop: &dyn Fn() -> bool,
        on_progress: &mut dyn FnMut(ConfigProgress),
    ) -> Vec<(String, Applied)> {
        let total = plan.writes.len();
        let mut outcomes: Vec<Applied> = plan.writes.iter().map(|_| Applied::NotSent).collect();
        let mut done = 0;
        on_progress(ConfigProgress { stage: "apply", done, total });
        super::fan_out::fan_out(
            plan.writes.iter().enumerate(),
            || self.fan_out(),
            stop,
            |(i, write)| async move { (i, self.apply_one(write).await) },
            |(i, result)| {
                outcomes[i] = match result {
                    Ok(()) => Applied::Done,
                    Err(e) => Applied::Failed(e),
                };
                done += 1;
                on_progress(ConfigProgress { stage: "apply", done, total });
                std::ops::ControlFlow::Continue(())
            },
        )
        .await;
        plan.writes.iter().map(|w| w.organization.clone()).zip(outcomes).collect()
    }

    async fn apply_one(&self, write: &OrganizationWrite) -> Result<(), Error> {
        let name = &write.organization;
        // A disabled organization is enabled before its settings are written, and disabled after.
        let enables = write.admin.is_disabled == Some(false);
        if !enables && write.settings != OrganizationBody::default() {
            self.update(name, &write.settings).await?;
        }
        // A sharing change that only flips a global flag goes in the admin write (one request);
        // a consumer list is written after it, in the order that never over-shares.
        let mut admin = write.admin.clone();
        let mut lists = Vec::new();
        for (registry, intent) in [(Registry::Modules, &write.modules), (Registry::Providers, &write.providers)] {
            match intent {
                Some(SharingIntent { global: Some(global), consumers: None }) => match registry {
                    Registry::Modules => admin.global_module_sharing = Some(*global),
                    Registry::Providers => admin.global_provider_sharing = Some(*global),
                },
                Some(intent) => lists.push((registry, intent)),
                None => {}
            }
        }
        if admin != AdminOrganizationUpdate::default() {
            self.admin_update(name, &admin).await?;
        }
        if enables && write.settings != OrganizationBody::default() {
            self.update(name, &write.settings).await?;
        }
        for (registry, intent) in lists {
            match self.update_sharing(registry, name, intent).await {
                Err(e)
                    if e.kind == ErrorKind::NotFound
                        && registry == Registry::Providers
                        && !self.has_provider_sharing() =>
                {
                    return Err(Error::new(
                        ErrorKind::NotFound,
                        format!("{name}: this instance has no provider sharing (a release before 202301-1)"),
                    ))
                }
                other => other?,
            }
        }
        Ok(())
    }
}
