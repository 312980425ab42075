//! The Admin Module Sharing API: consumers by name (current endpoint) or by external id (the
//! deprecated module-partnerships endpoint), and a sharing intent applied without over-sharing.

use super::{check, org_segment, paged, Client, Error, Page, Repeat};
use crate::jsonapi::{decode_list, encode_new_resource, ResourceIdentifier};
use crate::model::{
    module_consumers_body, AdminOrganization, AdminOrganizationAttributes, AdminOrganizationUpdate, ModulePartnership,
    ModulePartnershipAttributes, ModulePartnershipsUpdate,
};
use crate::query::ListOptions;
use crate::transport::Transport;
use crate::validate;

/// Who may use an organization's private modules, as one intent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharingIntent {
    /// `Some(true)`: every organization; `Some(false)`: turn global sharing off.
    pub global_module_sharing: Option<bool>,
    /// Exactly these organizations (by name); `Some(vec![])` shares with nobody.
    pub consumers: Option<Vec<String>>,
}

impl<T: Transport> Client<T> {
    /// `GET /admin/organizations/:name/relationships/module-consumers` (page options honoured).
    pub async fn list_module_consumers(
        &self,
        name: &str,
        options: &ListOptions,
    ) -> Result<Page<AdminOrganization>, Error> {
        let path = format!("/admin/organizations/{}/relationships/module-consumers", org_segment(name)?);
        self.get_page::<AdminOrganizationAttributes>(&path, &paged(options)).await
    }

    /// `PATCH /admin/organizations/:name/relationships/module-consumers`: share with exactly these
    /// organizations (turns global sharing off on the server).
    /// Every page of a producer's consumers.
    pub async fn list_all_module_consumers(
        &self,
        name: &str,
        on_progress: impl FnMut(super::Progress),
    ) -> Result<Vec<AdminOrganization>, Error> {
        let options = ListOptions::default();
        self.every_page(&options, |page| async move { self.list_module_consumers(name, &page).await }, on_progress).await
    }

    pub async fn update_module_consumers(&self, name: &str, consumers: &[String]) -> Result<(), Error> {
        let path = format!("/admin/organizations/{}/relationships/module-consumers", org_segment(name)?);
        let body = module_consumers_body(consumers.iter().cloned());
        check(validate::module_consumers(&body.data))?;
        let text = serde_json::to_string(&body).expect("identifiers are plain JSON");
        self.send("PATCH", Repeat::Safe, &path, "", Some(text)).await.map(drop)
    }

    /// The deprecated `PATCH /admin/organizations/:name/module-consumers`: consumers by external
    /// id (`org-…`); answers the resulting partnerships.
    pub async fn update_module_partnerships(
        &self,
        name: &str,
        external_ids: &[String],
    ) -> Result<Vec<ModulePartnership>, Error> {
        let path = format!("/admin/organizations/{}/module-consumers", org_segment(name)?);
        let body = ModulePartnershipsUpdate::new(external_ids.iter().cloned());
        check(validate::module_partnerships(&body))?;
        let response = self.send("PATCH", Repeat::Safe, &path, "", Some(encode_new_resource(&body))).await?;
        let doc = decode_list::<ModulePartnershipAttributes>(&response.body)
            .map_err(|e| Error::decode(e, response.status))?;
        Ok(doc.data)
    }

    /// Apply a sharing intent in an order that never over-shares, even for a moment: a consumer
    /// list is written first (which turns global sharing off), global sharing last. An intent
    /// that both shares with everyone and names consumers is rejected before any write.
    pub async fn update_module_sharing(&self, name: &str, intent: &SharingIntent) -> Result<(), Error> {
        org_segment(name)?;
        let identifiers: Option<Vec<ResourceIdentifier>> =
            intent.consumers.as_ref().map(|c| c.iter().map(ResourceIdentifier::organization).collect());
        validate::sharing_intent(intent.global_module_sharing, identifiers.as_deref())
            .map_err(|e| Error::validation(vec![e]))?;
        if let Some(ids) = &identifiers {
            check(validate::module_consumers(ids))?;
        }
        if let Some(consumers) = &intent.consumers {
            self.update_module_consumers(name, consumers).await?;
        }
        match (intent.global_module_sharing, &intent.consumers) {
            // Writing consumers already turned global sharing off.
            (Some(false), Some(_)) | (None, _) => Ok(()),
            (Some(global), _) => {
                let body = AdminOrganizationUpdate { global_module_sharing: Some(global), ..Default::default() };
                self.admin_update(name, &body).await.map(drop)
            }
        }
    }
}
