//! The Admin Module Sharing API: consumers by name (current endpoint) or by external id (the
//! deprecated module-partnerships endpoint), and a sharing intent applied without over-sharing.
//! Newer releases (registry-sharing.md): provider consumers, and registry-partnerships, which
//! sets module and provider consumers in one call.

use super::{check, org_segment, paged, Client, Complete, Error, Method, Page, Repeat, SharingApi};
use crate::jsonapi::{decode_list, encode_new_resource};
use crate::model::{
    module_consumers_body, AdminOrganization, AdminOrganizationAttributes, AdminOrganizationUpdate, ModulePartnership,
    ModulePartnershipAttributes, ModulePartnershipsUpdate, RegistryPartnerships,
};
use crate::query::ListOptions;
use crate::transport::Transport;
use crate::validate;

/// Who may use an organization's private modules, as one intent.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case", deny_unknown_fields, expecting = "a sharing intent (global, consumers)")]
pub struct SharingIntent {
    /// `Some(true)`: every organization; `Some(false)`: turn global sharing off. The registry's
    /// own flag: `global-module-sharing` or `global-provider-sharing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub global: Option<bool>,
    /// Exactly these organizations (by name); `Some(vec![])` shares with nobody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub consumers: Option<Vec<String>>,
}

impl<T: Transport> Client<T> {
    /// **One page** of `GET /admin/organizations/:name/relationships/module-consumers` (page
    /// options honoured). Never seed an editor from it: [`Client::list_all_module_consumers`]
    /// or [`Client::read_sharing`] read the whole list.
    pub async fn list_module_consumers(
        &self,
        name: &str,
        options: &ListOptions,
    ) -> Result<Page<AdminOrganization>, Error> {
        self.list_consumers(Registry::Modules, name, options).await
    }

    /// Every page of a producer's module consumers.
    pub async fn list_all_module_consumers(
        &self,
        name: &str,
        on_progress: &mut dyn FnMut(super::Progress),
    ) -> Result<Complete<AdminOrganization>, Error> {
        self.list_all_consumers(Registry::Modules, name, on_progress).await
    }

    /// **One page** of a producer's consumers of `registry` (the whole list:
    /// [`Client::list_all_consumers`]):
    /// `relationships/module-consumers` or `relationships/provider-consumers`.
    pub async fn list_consumers(
        &self,
        registry: Registry,
        name: &str,
        options: &ListOptions,
    ) -> Result<Page<AdminOrganization>, Error> {
        let relationship = match registry {
            Registry::Modules => "module-consumers",
            Registry::Providers => "provider-consumers",
        };
        let path = format!("/admin/organizations/{}/relationships/{relationship}", org_segment(name)?);
        self.get_page::<AdminOrganizationAttributes>(&path, &paged(options)).await
    }

    /// Every page of a producer's consumers of `registry`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::client::Registry;
    /// let consumers = client.list_all_consumers(Registry::Providers, "acme", &mut |_| {}).await?;
    /// println!("{} consumers", consumers.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_all_consumers(
        &self,
        registry: Registry,
        name: &str,
        on_progress: &mut dyn FnMut(super::Progress),
    ) -> Result<Complete<AdminOrganization>, Error> {
        let options = ListOptions::default();
        self.every_page(
            &options,
            |page| async move { self.list_consumers(registry, name, &page).await },
            0,
            on_progress,
        )
        .await
    }

    /// `PATCH /admin/organizations/:name/relationships/module-consumers`: share with exactly these
    /// organizations (turns global sharing off on the server).
    pub async fn update_module_consumers(&self, name: &str, consumers: &[String]) -> Result<(), Error> {
        let path = format!("/admin/organizations/{}/relationships/module-consumers", org_segment(name)?);
        let body = module_consumers_body(consumers.iter().cloned());
        check(validate::module_consumers(&body.data))?;
        let text = serde_json::to_string(&body).expect("identifiers are plain JSON");
        self.send(Method::Patch, Repeat::Safe, &path, "", Some(text)).await.map(drop)
    }

    /// The deprecated `PATCH /admin/organizations/:name/module-consumers`: consumers by external
    /// id (`org-…`); answers the resulting partnerships.
    pub async fn update_module_partnerships(
        &self,
        name: &str,
        external_ids: &[String],
    ) -> Result<Vec<ModulePartnership>, Error> {
        let response = self.send_module_partnerships(name, external_ids).await?;
        let doc = decode_list::<ModulePartnershipAttributes>(&response.body)
            .map_err(|e| Error::decode(e, response.status))?;
        Ok(doc.data)
    }

    /// The deprecated call itself: validated, sent, its answer not decoded.
    async fn send_module_partnerships(
        &self,
        name: &str,
        external_ids: &[String],
    ) -> Result<crate::transport::HttpResponse, Error> {
        let path = format!("/admin/organizations/{}/module-consumers", org_segment(name)?);
        let body = ModulePartnershipsUpdate::new(external_ids.iter().cloned());
        check(validate::module_partnerships(&body))?;
        self.send(Method::Patch, Repeat::Safe, &path, "", Some(encode_new_resource(&body))).await
    }

    /// Apply a sharing intent in an order that never over-shares, even for a moment: a consumer
    /// list is written first (which turns global sharing off), global sharing last. An intent
    /// that both shares with everyone and names consumers is rejected before any write.
    pub async fn update_module_sharing(&self, name: &str, intent: &SharingIntent) -> Result<(), Error> {
        self.update_sharing(Registry::Modules, name, intent).await
    }

    /// [`Client::update_module_sharing`] for private providers: consumers through
    /// registry-partnerships, the flag through `global-provider-sharing`, in the same safe order.
    pub async fn update_provider_sharing(&self, name: &str, intent: &SharingIntent) -> Result<(), Error> {
        self.update_sharing(Registry::Providers, name, intent).await
    }

    /// Apply a sharing intent to `registry` without ever over-sharing, even for a moment: a
    /// consumer list is written first (which turns global sharing off), global sharing last.
    /// Module consumers go through `relationships/module-consumers`, provider consumers through
    /// registry-partnerships.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::client::{Registry, SharingIntent};
    /// let intent = SharingIntent { global: Some(false), consumers: Some(vec!["team-a".into()]) };
    /// client.update_sharing(Registry::Modules, "acme", &intent).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_sharing(&self, registry: Registry, name: &str, intent: &SharingIntent) -> Result<(), Error> {
        org_segment(name)?;
        Self::check_intent(registry, intent)?;
        // The consumer list is the first write; each call validates its names before sending.
        if let Some(consumers) = &intent.consumers {
            match registry {
                Registry::Modules => self.write_module_consumers(name, consumers).await?,
                Registry::Providers => self.set_registry_partnerships(name, None, Some(consumers)).await?,
            }
        }
        match (intent.global, &intent.consumers) {
            // Writing consumers already turned global sharing off.
            (Some(false), Some(_)) | (None, _) => Ok(()),
            (Some(global), _) => {
                let mut body = AdminOrganizationUpdate::default();
                match registry {
                    Registry::Modules => body.global_module_sharing = Some(global),
                    Registry::Providers => body.global_provider_sharing = Some(global),
                }
                self.admin_update(name, &body).await.map(drop)
            }
        }
    }

    /// Share `name`'s modules with exactly `consumers` through the newest call the instance has
    /// ([`Client::sharing_api`]): registry-partnerships, else the module-consumers relationship,
    /// else (oldest releases) module-partnerships, which takes external ids (each consumer is
    /// read once for its id).
    pub async fn write_module_consumers(&self, name: &str, consumers: &[String]) -> Result<(), Error> {
        // Every name is checked before the probe or any write.
        check(validate::module_consumers(&module_consumers_body(consumers.iter().cloned()).data))?;
        match self.sharing_api(name).await? {
            SharingApi::RegistryPartnerships => self.set_registry_partnerships(name, Some(consumers), None).await,
            SharingApi::Relationships => self.update_module_consumers(name, consumers).await,
            SharingApi::ModulePartnerships => {
                // Releases of 2020 and early 2021 only: one read after the other is enough there.
                let mut ids = Vec::with_capacity(consumers.len());
                for consumer in consumers {
                    let org = self.admin_read(consumer).await?;
                    ids.push(org.attributes.external_id.unwrap_or(org.id));
                }
                self.send_module_partnerships(name, &ids).await.map(drop)
            }
        }
    }

    /// Global sharing together with a consumer list is refused (the rule the instance applies).
    pub(super) fn check_intent(registry: Registry, intent: &SharingIntent) -> Result<(), Error> {
        let flag = registry.global_flag();
        validate::sharing_intent_of(flag, intent.global, intent.consumers.as_ref().map(Vec::len))
            .map_err(|e| Error::validation(vec![e]))
    }

    /// **One page** of `GET /admin/organizations/:name/relationships/provider-consumers` (newer
    /// releases). The whole list: [`Client::list_all_provider_consumers`].
    pub async fn list_provider_consumers(
        &self,
        name: &str,
        options: &ListOptions,
    ) -> Result<Page<AdminOrganization>, Error> {
        self.list_consumers(Registry::Providers, name, options).await
    }

    /// Every page of a producer's provider consumers.
    pub async fn list_all_provider_consumers(
        &self,
        name: &str,
        on_progress: &mut dyn FnMut(super::Progress),
    ) -> Result<Complete<AdminOrganization>, Error> {
        self.list_all_consumers(Registry::Providers, name, on_progress).await
    }

    /// `PUT /admin/organizations/:name/registry-partnerships` (newer releases): set the module
    /// and/or provider consumers by name. `None` leaves a list unchanged; an empty list shares
    /// with nobody; a non-empty one turns the matching global flag off. It sets a state, so a
    /// lost answer is retried.
    pub async fn set_registry_partnerships(
        &self,
        name: &str,
        modules: Option<&[String]>,
        providers: Option<&[String]>,
    ) -> Result<(), Error> {
        let path = format!("/admin/organizations/{}/registry-partnerships", org_segment(name)?);
        let body = RegistryPartnerships::new(modules, providers);
        check(validate::registry_partnerships(&body))?;
        self.send(Method::Put, Repeat::Safe, &path, "", Some(encode_new_resource(&body))).await.map(drop)
    }
}

/// Which private registry a producer shares: modules, or (newer releases, registry-sharing.md)
/// providers. Each has its global flag, its consumer list and its producer filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    #[default]
    Modules,
    Providers,
}

impl Registry {
    /// What is shared, for sentences: "modules", "providers".
    pub fn noun(self) -> &'static str {
        match self {
            Registry::Modules => "modules",
            Registry::Providers => "providers",
        }
    }

    /// The attribute that shares with every organization.
    pub fn global_flag(self) -> &'static str {
        match self {
            Registry::Modules => "global-module-sharing",
            Registry::Providers => "global-provider-sharing",
        }
    }

    /// This registry's global flag as an admin organization has it (`None`: not returned).
    pub fn shares_globally(self, attributes: &AdminOrganizationAttributes) -> Option<bool> {
        match self {
            Registry::Modules => attributes.global_module_sharing,
            Registry::Providers => attributes.global_provider_sharing,
        }
    }

    /// How many organizations this registry is shared with specifically, where the answer
    /// counts them (current releases; `None` otherwise).
    pub fn consumer_count(self, attributes: &AdminOrganizationAttributes) -> Option<u32> {
        match self {
            Registry::Modules => attributes.module_consuming_organizations_count,
            Registry::Providers => attributes.provider_consuming_organizations_count,
        }
    }

    /// Admin list options that keep only this registry's producers.
    pub fn producers(self) -> ListOptions {
        match self {
            Registry::Modules => ListOptions { module_producer: Some(true), ..Default::default() },
            Registry::Providers => ListOptions { provider_producer: Some(true), ..Default::default() },
        }
    }
}
