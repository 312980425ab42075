//! The Admin Organizations API (site administrators only; TFE answers 404 to anyone else).

use super::{check, org_segment, paged, Client, Complete, Error, Method, Page, Progress, Repeat};
use crate::jsonapi::{encode_new_resource, SingleDocument};
use crate::model::{AdminOrganization, AdminOrganizationAttributes, AdminOrganizationUpdate, Attributes};
use crate::query::ListOptions;
use crate::transport::Transport;
use crate::validate;

impl<T: Transport> Client<T> {
    /// **One page** of `GET /admin/organizations` (for the whole list: [`Client::admin_list_all`]) with `q`, `q[name]`, `q[email]`, `filter[module_producer]`,
    /// `include=owners`; the page carries `status-counts`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::ListOptions;
    /// let disabled = client.admin_list(&ListOptions { q: Some("acme".into()), ..Default::default() }).await?;
    /// println!("{:?}", disabled.status_counts);
    /// # Ok(()) }
    /// ```
    pub async fn admin_list(&self, options: &ListOptions) -> Result<Page<AdminOrganization>, Error> {
        let page = self.get_page::<AdminOrganizationAttributes>("/admin/organizations", &paged(options)).await?;
        self.learn_admin(&page.items);
        Ok(page)
    }

    /// Every organization of the instance matching `options` (page size 100 unless set).
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let all = client.admin_list_all(&Default::default(), &mut |_| {}).await?;
    /// let off = all.iter().filter(|o| o.attributes.is_disabled == Some(true)).count();
    /// println!("{off} disabled");
    /// # Ok(()) }
    /// ```
    pub async fn admin_list_all(
        &self,
        options: &ListOptions,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<AdminOrganization>, Error> {
        self.every_page(options, |page| async move { self.admin_list(&page).await }, self.lookahead(), on_progress)
            .await
    }

    /// `GET /admin/organizations/:name`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let org = client.admin_read("acme").await?;
    /// println!("{:?}", org.attributes.plan_timeout);
    /// # Ok(()) }
    /// ```
    pub async fn admin_read(&self, name: &str) -> Result<AdminOrganization, Error> {
        Ok(self.admin_read_with_options(name, false).await?.data)
    }

    /// `GET /admin/organizations/:name?include=owners`: the document, owners in `included`.
    pub async fn admin_read_with_options(
        &self,
        name: &str,
        include_owners: bool,
    ) -> Result<SingleDocument<AdminOrganizationAttributes>, Error> {
        let path = format!("/admin/organizations/{}", org_segment(name)?);
        let doc = self.get_single(&path, if include_owners { "include=owners" } else { "" }).await?;
        self.learn_admin([&doc.data]);
        Ok(doc)
    }

    /// `PATCH /admin/organizations/:name` with only the fields set. Enabling global module
    /// sharing clears any specific consumers on the server. The timeouts go under the names
    /// this organization's answers use (`apply-timeout`, or on older releases
    /// `terraform-build-worker-apply-timeout`); when no answer was seen yet, it is read first.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::model::AdminOrganizationUpdate;
    /// // `Some(None)`: back to the instance default.
    /// let body = AdminOrganizationUpdate { plan_timeout: Some(None), ..Default::default() };
    /// client.admin_update("acme", &body).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_update(&self, name: &str, body: &AdminOrganizationUpdate) -> Result<AdminOrganization, Error> {
        let path = format!("/admin/organizations/{}", org_segment(name)?);
        check(validate::admin_organization_update(body))?;
        let mut body = body.clone();
        if body.sets_renamed() {
            body.spelling = self.spelling_for(name).await?;
        }
        let doc = self.write_single(Method::Patch, Repeat::Safe, &path, encode_new_resource(&body)).await?;
        self.learn_admin([&doc.data]);
        Ok(doc.data)
    }

    /// `DELETE /admin/organizations/:name`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// client.admin_delete("acme").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_delete(&self, name: &str) -> Result<(), Error> {
        let path = format!("/admin/organizations/{}", org_segment(name)?);
        self.send(Method::Delete, Repeat::Delete, &path, "", None).await.map(drop)
    }
}
