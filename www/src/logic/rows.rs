//! Organizations as the list shows them, from the admin or the regular API.

use std::collections::BTreeMap;

use tfe_orgs::client::{list_all, Client, Error, Page, Progress};
use tfe_orgs::jsonapi::{Extra, Resource};
use tfe_orgs::model::{AdminOrganization, AdminOrganizationRelationships, Organization};
use tfe_orgs::query::ListOptions;
use tfe_orgs::transport::Transport;

/// One organization as the list shows it (admin or regular view).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Row {
    pub name: String,
    pub email: String,
    pub external_id: String,
    /// Admin view only.
    pub is_disabled: Option<bool>,
    /// Admin view only.
    pub global_module_sharing: Option<bool>,
    /// Owner emails, when included.
    pub owners: Vec<String>,
    /// How many organizations it shares its private modules and providers with, where the
    /// instance counts them (current releases); the list's optional column.
    #[serde(skip)]
    pub consumer_counts: Option<(u32, u32)>,
}

impl Row {
    /// The counts column: `3 · 1` (modules · providers), empty where not sent.
    pub fn counts_text(&self) -> String {
        self.consumer_counts.map(|(m, p)| format!("{m} · {p}")).unwrap_or_default()
    }
}

/// user id → email (or username), from the users among `included`. Read from the attributes
/// map as sent: typing them (`included_of::<UserAttributes>`) would cost the page ~12 KB gzip.
pub fn owner_emails(included: &[Resource<Extra>]) -> BTreeMap<String, String> {
    tfe_orgs::client::map_of(included.iter().filter(|r| r.kind == "users").filter_map(|r| {
        let name = r.attributes.get("email").or_else(|| r.attributes.get("username"))?.as_str()?;
        Some((r.id.clone(), name.to_string()))
    }))
}

pub fn admin_row(org: &AdminOrganization, emails: &BTreeMap<String, String>) -> Row {
    let a = &org.attributes;
    Row {
        name: a.name.clone().unwrap_or_else(|| org.id.clone()),
        email: a.notification_email.clone().unwrap_or_default(),
        external_id: a.external_id.clone().unwrap_or_default(),
        is_disabled: Some(a.is_disabled.unwrap_or(false)),
        global_module_sharing: Some(a.global_module_sharing.unwrap_or(false)),
        owners: org
            .owner_ids()
            .into_iter()
            .map(|id| emails.get(id).cloned().unwrap_or_else(|| id.to_string()))
            .collect(),
        consumer_counts: a.module_consuming_organizations_count.zip(a.provider_consuming_organizations_count),
    }
}

pub fn org_row(org: &Organization) -> Row {
    let a = &org.attributes;
    Row {
        name: a.name.clone().unwrap_or_else(|| org.id.clone()),
        email: a.email.clone().unwrap_or_default(),
        external_id: a.external_id.clone().unwrap_or_default(),
        is_disabled: None,
        global_module_sharing: None,
        owners: Vec::new(),
        consumer_counts: a.module_consuming_organizations_count.zip(a.provider_consuming_organizations_count),
    }
}

pub fn admin_rows(page: &Page<AdminOrganization>) -> Vec<Row> {
    let emails = owner_emails(&page.included);
    page.items.iter().map(|o| admin_row(o, &emails)).collect()
}

/// One page of the list as rows: through the admin API (with owners) or the regular one.
pub async fn fetch_rows<T: Transport>(api: &Client<T>, options: ListOptions, admin: bool) -> Result<Page<Row>, Error> {
    if admin {
        let p = api.admin_list(&options).await?;
        Ok(Page { items: admin_rows(&p), pagination: p.pagination, status_counts: p.status_counts, included: vec![] })
    } else {
        let p = api.list(&options).await?;
        Ok(Page {
            items: p.items.iter().map(org_row).collect(),
            pagination: p.pagination,
            status_counts: None,
            included: vec![],
        })
    }
}

/// Every organization `options` matches, as rows (pages of 100, several at once at the
/// instance's rate), with progress.
pub async fn fetch_all_rows<T: Transport>(
    api: &Client<T>,
    options: ListOptions,
    admin: bool,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Row>, Error> {
    let options = ListOptions { page_number: None, page_size: Some(100), ..options };
    let concurrency = || api.fan_out();
    let fetch = |n: u32| fetch_rows(api, ListOptions { page_number: Some(n), ..options.clone() }, admin);
    Ok(list_all(fetch, &concurrency, api.lookahead(), on_progress).await?.into_vec())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::logic::sandbox_client::{admin_client, block_on, Release};

    /// Load all reads every page (pages of 100, several at once) into rows; one page is one page.
    #[test]
    fn load_all_reads_every_page_into_rows() {
        let api = admin_client(Release::Current, 450);
        let total = block_on(api.admin_list(&ListOptions::page(1, 1))).unwrap().pagination.unwrap().total_count.unwrap()
            as usize;
        assert!(total > 450);
        let mut seen = 0;
        let rows = block_on(fetch_all_rows(&api, ListOptions::default(), true, &mut |p| seen = p.items)).unwrap();
        assert_eq!(rows.len(), total);
        assert_eq!(seen, total as u64, "progress reaches the total");
        let names: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names.len(), total, "every organization once");
        assert!(rows.iter().all(|r| r.is_disabled.is_some()), "admin rows carry the status");
        let page = block_on(fetch_rows(&api, ListOptions::page(2, 20), false)).unwrap();
        assert_eq!(page.items.len(), 20);
        assert!(page.items.iter().all(|r| r.is_disabled.is_none()), "the regular API has no status");
    }
}
