//! The Organizations API (go-tfe names where it has them).

use super::{check, org_segment, paged, Client, Complete, Error, ErrorKind, Method, Page, Progress, Repeat};
use crate::jsonapi::{encode_new_resource, SingleDocument};
use crate::model::{
    DataRetentionPolicy, DataRetentionPolicyAttributes, DataRetentionPolicyResource, EntitlementSet, Entitlements,
    Organization, OrganizationAttributes, OrganizationCreate, OrganizationRef, OrganizationRefAttributes,
    OrganizationUpdate,
};
use crate::query::ListOptions;
use crate::transport::Transport;
use crate::validate;

/// `include=` options of [`Client::read_with_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// `include=entitlement_set`.
    pub include_entitlement_set: bool,
}

impl<T: Transport> Client<T> {
    /// **One page** of `GET /organizations` (always paged: `page[number]`/`page[size]` default to
    /// 1 and 20). For the whole list use [`Client::list_all`].
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::ListOptions;
    /// let page = client.list(&ListOptions { q: Some("acme".into()), ..Default::default() }).await?;
    /// println!("{} of {:?}", page.items.len(), page.pagination.map(|p| p.total_count));
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, options: &ListOptions) -> Result<Page<Organization>, Error> {
        self.get_page::<OrganizationAttributes>("/organizations", &paged(options)).await
    }

    /// Every organization matching `options`, page size 100 unless set.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let all = client.list_all(&Default::default(), &mut |p| eprintln!("{} of {:?}", p.items, p.total_count)).await?;
    /// println!("{} organizations", all.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_all(
        &self,
        options: &ListOptions,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<Organization>, Error> {
        self.every_page(options, |page| async move { self.list(&page).await }, self.lookahead(), on_progress).await
    }

    /// `GET /organizations/:name`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let org = client.read("hashicorp").await?;
    /// println!("{:?}", org.attributes.email);
    /// # Ok(()) }
    /// ```
    pub async fn read(&self, name: &str) -> Result<Organization, Error> {
        Ok(self.read_with_options(name, ReadOptions::default()).await?.data)
    }

    /// `GET /organizations/:name?include=entitlement_set`: the document, with `included`.
    pub async fn read_with_options(
        &self,
        name: &str,
        options: ReadOptions,
    ) -> Result<SingleDocument<OrganizationAttributes>, Error> {
        let path = format!("/organizations/{}", org_segment(name)?);
        let query = if options.include_entitlement_set { "include=entitlement_set" } else { "" };
        self.get_single(&path, query).await
    }

    /// `POST /organizations` (never retried after a 5xx or network error: it could create twice).
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::model::OrganizationCreate;
    /// let org = client.create(&OrganizationCreate::new("acme", "ops@acme.io")).await?;
    /// println!("created {}", org.id);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, body: &OrganizationCreate) -> Result<Organization, Error> {
        check(validate::organization_create(body))?;
        Ok(self.write_single(Method::Post, Repeat::Once, "/organizations", encode_new_resource(body)).await?.data)
    }

    /// `PATCH /organizations/:name` with only the fields set (`name` renames).
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::model::OrganizationUpdate;
    /// let body = OrganizationUpdate { session_timeout: Some(60), ..Default::default() };
    /// client.update("acme", &body).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, name: &str, body: &OrganizationUpdate) -> Result<Organization, Error> {
        let path = format!("/organizations/{}", org_segment(name)?);
        check(validate::organization_update(body))?;
        let new_name = body.name.as_deref().filter(|new| *new != name);
        let Some(new_name) = new_name else {
            return Ok(self.write_single(Method::Patch, Repeat::Safe, &path, encode_new_resource(body)).await?.data);
        };
        // A rename is not sent blind twice: after a lost answer, where the organization is now
        // says whether it was applied.
        let mut attempt = 0;
        loop {
            let lost = match self.write_single(Method::Patch, Repeat::Once, &path, encode_new_resource(body)).await {
                Ok(doc) => return Ok(doc.data),
                Err(e) if e.kind == ErrorKind::OutcomeUnknown => e,
                Err(e) => return Err(e),
            };
            // A check that fails leaves the outcome as unknown as it was.
            let (Ok(at_new), Ok(at_old)) = (self.find(new_name).await, self.find(name).await) else {
                return Err(lost);
            };
            match (at_new, at_old) {
                // Renamed: the new name answers and the old one is gone.
                (Some(renamed), None) => return Ok(renamed),
                // Not applied (the new name, if it answers, is another organization's).
                (_, Some(_)) if attempt < self.options.max_retries => attempt += 1,
                (_, Some(_)) => {
                    return Err(Error {
                        kind: ErrorKind::Server,
                        message: format!(
                            "the rename of {name} to {new_name} was not applied: {name} keeps its name ({})",
                            lost.message
                        ),
                        ..lost
                    })
                }
                // Neither answers: deleted meanwhile, or not readable by this token.
                (None, None) => return Err(lost),
            }
        }
    }

    /// The organization, or `None` when it does not exist (404).
    async fn find(&self, name: &str) -> Result<Option<Organization>, Error> {
        match self.read(name).await {
            Ok(org) => Ok(Some(org)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `DELETE /organizations/:name`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// client.delete("acme").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, name: &str) -> Result<(), Error> {
        let path = format!("/organizations/{}", org_segment(name)?);
        self.send(Method::Delete, Repeat::Delete, &path, "", None).await.map(drop)
    }

    /// `GET /organizations/:name/entitlement-set`.
    pub async fn read_entitlements(&self, name: &str) -> Result<EntitlementSet, Error> {
        let path = format!("/organizations/{}/entitlement-set", org_segment(name)?);
        Ok(self.get_single::<Entitlements>(&path, "").await?.data)
    }

    /// **One page** of `GET /organizations/:name/relationships/module-producers` (Terraform
    /// Enterprise). For the whole list use [`Client::list_all_module_producers`].
    pub async fn list_module_producers(
        &self,
        name: &str,
        options: &ListOptions,
    ) -> Result<Page<OrganizationRef>, Error> {
        let path = format!("/organizations/{}/relationships/module-producers", org_segment(name)?);
        self.get_page::<OrganizationRefAttributes>(&path, &paged(options)).await
    }

    /// Every page of the organizations that share their modules with `name`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let producers = client.list_all_module_producers("acme", &mut |_| {}).await?;
    /// println!("acme uses modules of {} organizations", producers.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_all_module_producers(
        &self,
        name: &str,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<OrganizationRef>, Error> {
        let options = ListOptions::default();
        self.every_page(&options, |page| async move { self.list_module_producers(name, &page).await }, 0, on_progress)
            .await
    }

    /// `GET /organizations/:name/relationships/data-retention-policy` (the installation default
    /// when none is set).
    pub async fn read_data_retention_policy(&self, name: &str) -> Result<DataRetentionPolicyResource, Error> {
        let path = format!("/organizations/{}/relationships/data-retention-policy", org_segment(name)?);
        Ok(self.get_single::<DataRetentionPolicyAttributes>(&path, "").await?.data)
    }

    /// `POST /organizations/:name/relationships/data-retention-policy`: create or replace.
    pub async fn set_data_retention_policy(
        &self,
        name: &str,
        policy: &DataRetentionPolicy,
    ) -> Result<DataRetentionPolicyResource, Error> {
        let path = format!("/organizations/{}/relationships/data-retention-policy", org_segment(name)?);
        validate::data_retention_policy(policy).map_err(|e| Error::validation(vec![e]))?;
        // Sets the policy: sending it twice ends the same.
        Ok(self.write_single(Method::Post, Repeat::Safe, &path, policy.to_body()).await?.data)
    }

    /// `DELETE /organizations/:name/relationships/data-retention-policy`.
    pub async fn delete_data_retention_policy(&self, name: &str) -> Result<(), Error> {
        let path = format!("/organizations/{}/relationships/data-retention-policy", org_segment(name)?);
        self.send(Method::Delete, Repeat::Delete, &path, "", None).await.map(drop)
    }
}
