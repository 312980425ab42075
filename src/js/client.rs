//! `TfeClient`: every method of the client as a `Promise`-returning JavaScript method.

use std::rc::Rc;
use std::time::Duration;

use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::decode::{attributes_from_js, check_includes, from_js};
use super::errors::{bad_result, tfe_error, validation_error};
use super::types::*;
use crate::client::{Client, ClientOptions, Progress, ReadOptions};
use crate::model::{
    self, AdminOrganizationAttributes, AdminOrganizationUpdate, Entitlements, OrganizationBody, UserAttributes,
};
use crate::transport::FetchTransport;
use crate::validate::Rule;

/// A client of one TFE instance with one token.
#[wasm_bindgen]
pub struct TfeClient {
    pub(super) inner: Rc<Client<FetchTransport>>,
}

fn progress_callback(on_progress: Option<js_sys::Function>) -> impl FnMut(Progress) {
    move |p: Progress| {
        if let Some(f) = &on_progress {
            if let Ok(value) = Ts::from_rust(&p) {
                let _ = f.call1(&JsValue::NULL, &value.js_value());
            }
        }
    }
}

/// List options, with the `include` names this call offers checked before any request.
fn list_options(opts: Option<Ts<ListOptions>>, offered: &[&str]) -> Result<crate::query::ListOptions, JsValue> {
    let options: crate::query::ListOptions = match opts {
        Some(o) => from_js(o, "options")?.into(),
        None => Default::default(),
    };
    check_includes(&options.include, offered)?;
    Ok(options)
}

fn admin_page(page: crate::client::Page<model::AdminOrganization>) -> AdminPage {
    let users = included_users(&page.included);
    AdminPage {
        items: page.items.iter().map(|o| AdminOrganization::new(o, users.as_deref())).collect(),
        pagination: page.pagination.map(Into::into),
        status_counts: page.status_counts,
    }
}

fn included_users(included: &[crate::jsonapi::Resource<crate::jsonapi::Extra>]) -> Option<Vec<model::User>> {
    let users = crate::jsonapi::included_of::<UserAttributes>(included).ok()?;
    (!users.is_empty() || !included.is_empty()).then_some(users)
}

/// The bulk items as JavaScript, each failed one with its `TfeError` under `error`.
fn bulk_result(items: Vec<crate::client::bulk::BulkItem>) -> Result<Ts<BulkResult>, JsValue> {
    use crate::client::bulk::Outcome;
    let count = |wanted: fn(&Outcome) -> bool| items.iter().filter(|i| wanted(&i.outcome)).count();
    let result = BulkResult {
        planned: count(|o| matches!(o, Outcome::Planned)),
        unchanged: count(|o| matches!(o, Outcome::Unchanged)),
        updated: count(|o| matches!(o, Outcome::Updated)),
        failed: count(|o| matches!(o, Outcome::Failed(_))),
        not_sent: count(|o| matches!(o, Outcome::NotSent)),
        items: items
            .iter()
            .map(|i| {
                let name = i.name.clone();
                let changes = i
                    .changes
                    .iter()
                    .map(|c| BulkChange { field: c.field.clone(), from: c.from.clone(), to: c.to.clone() })
                    .collect();
                match i.outcome {
                    Outcome::Planned => BulkItem::Planned { name, changes },
                    Outcome::Unchanged => BulkItem::Unchanged { name, changes },
                    Outcome::Updated => BulkItem::Updated { name, changes },
                    Outcome::Failed(_) => BulkItem::Failed { name, changes, error: () },
                    Outcome::NotSent => BulkItem::NotSent { name, changes },
                }
            })
            .collect(),
    };
    let js = to_js(&result)?;
    let failed = items.iter().enumerate().filter_map(|(i, item)| match &item.outcome {
        Outcome::Failed(e) => Some((i, e)),
        _ => None,
    });
    attach_errors(&js.js_value(), failed)?;
    Ok(js)
}

/// Set each failed item's `TfeError` as `error` on the `index`-th object of `result.items` (the
/// items are built through JSON, which cannot carry an `Error`).
pub(super) fn attach_errors<'a>(
    result: &JsValue,
    failed: impl Iterator<Item = (usize, &'a crate::client::Error)>,
) -> Result<(), JsValue> {
    let list = js_sys::Reflect::get(result, &JsValue::from_str("items"))?;
    for (index, e) in failed {
        let target = js_sys::Reflect::get(&list, &JsValue::from_f64(index as f64))?;
        js_sys::Reflect::set(&target, &JsValue::from_str("error"), &tfe_error(e))?;
    }
    Ok(())
}

fn to_js<T: serde::Serialize + tsify::Tsify>(value: &T) -> Result<Ts<T>, JsValue> {
    Ts::from_rust(value).map_err(bad_result)
}

#[wasm_bindgen]
impl TfeClient {
    #[wasm_bindgen(constructor)]
    pub fn new(config: Ts<ClientConfig>) -> Result<TfeClient, JsValue> {
        let config = from_js(config, "config")?;
        let defaults = ClientOptions::default();
        let options = ClientOptions {
            max_retries: config.max_retries.unwrap_or(defaults.max_retries),
            requests_per_second: config.requests_per_second.unwrap_or(defaults.requests_per_second),
            follow_instance_rate: config.follow_instance_rate_limit.unwrap_or(config.requests_per_second.is_none()),
            timeout: config.timeout_ms.map_or(defaults.timeout, |ms| Duration::from_millis(u64::from(ms))),
            ..defaults
        };
        let client = Client::with_options(&config.base_url, &config.token, FetchTransport, options)?;
        Ok(TfeClient { inner: Rc::new(client) })
    }

    /// **One page** of the organizations (page 1 of 20 unless `pageNumber`/`pageSize` say
    /// otherwise). Every page: `listAllOrganizations`.
    #[wasm_bindgen(js_name = listOrganizations)]
    pub async fn list_organizations(&self, opts: Option<Ts<ListOptions>>) -> Result<Ts<OrganizationPage>, JsValue> {
        let page = self.inner.list(&list_options(opts, &[])?).await?;
        to_js(&OrganizationPage {
            items: page.items.iter().map(|o| Organization::new(o, None)).collect(),
            pagination: page.pagination.map(Into::into),
        })
    }

    /// Every page of the organizations.
    #[wasm_bindgen(js_name = listAllOrganizations, unchecked_return_type = "Organization[]")]
    pub async fn list_all_organizations(
        &self,
        opts: Option<Ts<ListOptions>>,
        #[wasm_bindgen(unchecked_param_type = "((progress: Progress) => void) | null | undefined")] on_progress: Option<
            js_sys::Function,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = list_options(opts, &[])?;
        self.list_all_js(
            options,
            |o| async move { self.inner.list(&o).await },
            |o| Organization::new(o, None),
            on_progress,
        )
        .await
    }

    #[wasm_bindgen(js_name = getOrganization)]
    pub async fn get_organization(
        &self,
        name: String,
        opts: Option<Ts<IncludeOptions>>,
    ) -> Result<Ts<Organization>, JsValue> {
        let include =
            opts.map(|o| from_js(o, "options")).transpose()?.unwrap_or_default().offered(&["entitlement_set"])?;
        let read = ReadOptions { include_entitlement_set: include.has("entitlement_set") };
        let doc = self.inner.read_with_options(&name, read).await?;
        let sets = doc.included_of::<Entitlements>().unwrap_or_default();
        to_js(&Organization::new(&doc.data, sets.first()))
    }

    #[wasm_bindgen(js_name = createOrganization)]
    pub async fn create_organization(&self, attrs: Ts<OrganizationBody>) -> Result<Ts<Organization>, JsValue> {
        let org = self.inner.create(&attributes_from_js(attrs, "attrs")?).await?;
        to_js(&Organization::new(&org, None))
    }

    #[wasm_bindgen(js_name = updateOrganization)]
    pub async fn update_organization(
        &self,
        name: String,
        attrs: Ts<OrganizationBody>,
    ) -> Result<Ts<Organization>, JsValue> {
        let org = self.inner.update(&name, &attributes_from_js(attrs, "attrs")?).await?;
        to_js(&Organization::new(&org, None))
    }

    #[wasm_bindgen(js_name = deleteOrganization)]
    pub async fn delete_organization(&self, name: String) -> Result<(), JsValue> {
        self.inner.delete(&name).await.map_err(JsValue::from)
    }

    #[wasm_bindgen(js_name = getEntitlementSet)]
    pub async fn get_entitlement_set(&self, name: String) -> Result<Ts<EntitlementSet>, JsValue> {
        let set = self.inner.read_entitlements(&name).await?;
        to_js(&EntitlementSet::from(&set))
    }

    /// **One page** of the organizations that share their private modules with `name`. Every
    /// page: `listAllModuleProducers`.
    #[wasm_bindgen(js_name = listModuleProducers)]
    pub async fn list_module_producers(
        &self,
        name: String,
        opts: Option<Ts<ListOptions>>,
    ) -> Result<Ts<OrganizationRefPage>, JsValue> {
        let page = self.inner.list_module_producers(&name, &list_options(opts, &[])?).await?;
        let items =
            page.items.iter().map(|o| OrganizationRef { id: o.id.clone(), attributes: o.attributes.clone() }).collect();
        to_js(&OrganizationRefPage { items, pagination: page.pagination.map(Into::into) })
    }

    /// Every page of the organizations that share their private modules with `name`.
    #[wasm_bindgen(js_name = listAllModuleProducers, unchecked_return_type = "OrganizationRef[]")]
    pub async fn list_all_module_producers(
        &self,
        name: String,
        #[wasm_bindgen(unchecked_param_type = "((progress: Progress) => void) | null | undefined")] on_progress: Option<
            js_sys::Function,
        >,
    ) -> Result<JsValue, JsValue> {
        let all = self.inner.list_all_module_producers(&name, &mut progress_callback(on_progress)).await?;
        let items: Vec<OrganizationRef> =
            all.iter().map(|o| OrganizationRef { id: o.id.clone(), attributes: o.attributes.clone() }).collect();
        serde_wasm(&items)
    }

    #[wasm_bindgen(js_name = getDataRetentionPolicy)]
    pub async fn get_data_retention_policy(&self, name: String) -> Result<Ts<DataRetentionPolicy>, JsValue> {
        to_js(&DataRetentionPolicy::from(&self.inner.read_data_retention_policy(&name).await?))
    }

    /// `{ deleteOlderThanNDays: 30 }` deletes older data; `{ deleteOlderThanNDays: null }` never deletes.
    #[wasm_bindgen(js_name = setDataRetentionPolicy)]
    pub async fn set_data_retention_policy(
        &self,
        name: String,
        policy: Ts<DataRetentionPolicy>,
    ) -> Result<Ts<DataRetentionPolicy>, JsValue> {
        let policy = match from_js(policy, "policy")?.delete_older_than_n_days {
            Some(days) => model::DataRetentionPolicy::DeleteOlderThan { days },
            None => model::DataRetentionPolicy::DontDelete,
        };
        to_js(&DataRetentionPolicy::from(&self.inner.set_data_retention_policy(&name, &policy).await?))
    }

    #[wasm_bindgen(js_name = deleteDataRetentionPolicy)]
    pub async fn delete_data_retention_policy(&self, name: String) -> Result<(), JsValue> {
        self.inner.delete_data_retention_policy(&name).await.map_err(JsValue::from)
    }

    /// **One page** of the admin organizations list (with `statusCounts`). Every page:
    /// `adminListAllOrganizations`.
    #[wasm_bindgen(js_name = adminListOrganizations)]
    pub async fn admin_list_organizations(&self, opts: Option<Ts<ListOptions>>) -> Result<Ts<AdminPage>, JsValue> {
        to_js(&admin_page(self.inner.admin_list(&list_options(opts, &["owners"])?).await?))
    }

    /// Every page of the admin organizations list.
    #[wasm_bindgen(js_name = adminListAllOrganizations, unchecked_return_type = "AdminOrganization[]")]
    pub async fn admin_list_all_organizations(
        &self,
        opts: Option<Ts<ListOptions>>,
        #[wasm_bindgen(unchecked_param_type = "((progress: Progress) => void) | null | undefined")] on_progress: Option<
            js_sys::Function,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = list_options(opts, &["owners"])?;
        let view = |o: &model::AdminOrganization| AdminOrganization::new(o, None);
        self.list_all_js(options, |o| async move { self.inner.admin_list(&o).await }, view, on_progress).await
    }

    #[wasm_bindgen(js_name = adminGetOrganization)]
    pub async fn admin_get_organization(
        &self,
        name: String,
        opts: Option<Ts<IncludeOptions>>,
    ) -> Result<Ts<AdminOrganization>, JsValue> {
        let include = opts.map(|o| from_js(o, "options")).transpose()?.unwrap_or_default().offered(&["owners"])?;
        let doc = self.inner.admin_read_with_options(&name, include.has("owners")).await?;
        let users = include.has("owners").then(|| doc.included_of::<UserAttributes>().unwrap_or_default());
        to_js(&AdminOrganization::new(&doc.data, users.as_deref()))
    }

    #[wasm_bindgen(js_name = adminUpdateOrganization)]
    pub async fn admin_update_organization(
        &self,
        name: String,
        attrs: Ts<AdminOrganizationUpdate>,
    ) -> Result<Ts<AdminOrganization>, JsValue> {
        let org = self.inner.admin_update(&name, &attributes_from_js(attrs, "attrs")?).await?;
        to_js(&AdminOrganization::new(&org, None))
    }

    #[wasm_bindgen(js_name = adminDeleteOrganization)]
    pub async fn admin_delete_organization(&self, name: String) -> Result<(), JsValue> {
        self.inner.admin_delete(&name).await.map_err(JsValue::from)
    }

    /// **One page** of the organizations allowed to use `name`'s private modules. Never write
    /// one page back as the whole list: `adminListAllModuleConsumers` reads every page.
    #[wasm_bindgen(js_name = adminListModuleConsumers)]
    pub async fn admin_list_module_consumers(
        &self,
        name: String,
        opts: Option<Ts<ListOptions>>,
    ) -> Result<Ts<AdminPage>, JsValue> {
        to_js(&admin_page(self.inner.list_module_consumers(&name, &list_options(opts, &["owners"])?).await?))
    }

    /// Every page of the organizations allowed to use `name`'s private modules.
    #[wasm_bindgen(js_name = adminListAllModuleConsumers, unchecked_return_type = "AdminOrganization[]")]
    pub async fn admin_list_all_module_consumers(
        &self,
        name: String,
        #[wasm_bindgen(unchecked_param_type = "((progress: Progress) => void) | null | undefined")] on_progress: Option<
            js_sys::Function,
        >,
    ) -> Result<JsValue, JsValue> {
        self.list_all_consumers_js(crate::client::Registry::Modules, &name, on_progress).await
    }

    /// Share with exactly these organizations: the list replaces the whole list the instance
    /// holds (read it with `adminListAllModuleConsumers`, not one page, before changing it).
    /// Sent through the newest call the instance has (registry-partnerships, the
    /// module-consumers relationship, or module-partnerships), learned once.
    #[wasm_bindgen(js_name = adminSetModuleConsumers)]
    pub async fn admin_set_module_consumers(&self, name: String, consumer_names: Vec<String>) -> Result<(), JsValue> {
        self.inner.write_module_consumers(&name, &consumer_names).await.map_err(JsValue::from)
    }

    /// The instance: its release (`X-TFE-Version`), API version, the rate limit the client
    /// spends, the features it showed and, for site admins, its general settings.
    #[wasm_bindgen(js_name = instanceInfo)]
    pub async fn instance_info(&self) -> Result<Ts<crate::client::InstanceInfo>, JsValue> {
        let info = self.inner.instance().await?;
        let view = to_js(&info)?;
        let settings = match &info.general_settings {
            Some(attributes) => {
                JsValue::from(to_js(&GeneralSettings { id: "general".into(), attributes: attributes.clone() })?)
            }
            None => JsValue::NULL,
        };
        js_sys::Reflect::set(&view.js_value(), &"generalSettings".into(), &settings)
            .map_err(|_| bad_result("not an object"))?;
        Ok(view)
    }

    /// Apply the same admin attributes to many organizations: a plan first (each organization's
    /// current and new values; those already so are `unchanged` and get no request), then the
    /// writes under the rate limiter. `dryRun` returns the plan; `signal` stops the run after
    /// the writes in flight. One item per name, in order; a failed one carries its `TfeError`.
    #[wasm_bindgen(js_name = adminUpdateOrganizations)]
    pub async fn admin_update_organizations(
        &self,
        names: Vec<String>,
        attrs: Ts<AdminOrganizationUpdate>,
        #[wasm_bindgen(unchecked_param_type = "BulkOptions | null | undefined")] options: JsValue,
    ) -> Result<Ts<BulkResult>, JsValue> {
        let body = attributes_from_js(attrs, "attrs")?;
        let options = bulk_options(&options)?;
        let stop = options.stop();
        let on_progress = options.on_progress.clone();
        let progress = move |p: crate::client::bulk::BulkProgress| {
            if let Some(f) = &on_progress {
                let js = BulkProgress { done: p.done, total: p.total, failed: p.failed };
                if let Ok(value) = Ts::from_rust(&js) {
                    let _ = f.call1(&JsValue::NULL, &value.js_value());
                }
            }
        };
        let items = self.inner.admin_update_many(&names, &body, options.dry_run, stop, progress).await?;
        bulk_result(items)
    }

    /// Newer releases: **one page** of the organizations allowed to use this one's private
    /// providers. Every page: `adminListAllProviderConsumers`.
    #[wasm_bindgen(js_name = adminListProviderConsumers)]
    pub async fn admin_list_provider_consumers(
        &self,
        name: String,
        opts: Option<Ts<ListOptions>>,
    ) -> Result<Ts<AdminPage>, JsValue> {
        to_js(&admin_page(self.inner.list_provider_consumers(&name, &list_options(opts, &["owners"])?).await?))
    }

    /// Newer releases: every page of the provider consumers.
    #[wasm_bindgen(js_name = adminListAllProviderConsumers, unchecked_return_type = "AdminOrganization[]")]
    pub async fn admin_list_all_provider_consumers(
        &self,
        name: String,
        #[wasm_bindgen(unchecked_param_type = "((progress: Progress) => void) | null | undefined")] on_progress: Option<
            js_sys::Function,
        >,
    ) -> Result<JsValue, JsValue> {
        self.list_all_consumers_js(crate::client::Registry::Providers, &name, on_progress).await
    }

    /// Newer releases: set module and/or provider consumers in one call
    /// (`PUT registry-partnerships`). A list left out is unchanged; an empty one shares with
    /// nobody; a non-empty one turns the matching global flag off.
    #[wasm_bindgen(js_name = adminSetRegistryPartnerships)]
    pub async fn admin_set_registry_partnerships(
        &self,
        name: String,
        consumers: Ts<RegistryConsumers>,
    ) -> Result<(), JsValue> {
        let consumers = from_js(consumers, "consumers")?;
        self.inner
            .set_registry_partnerships(
                &name,
                consumers.module_consumers.as_deref(),
                consumers.provider_consumers.as_deref(),
            )
            .await
            .map_err(JsValue::from)
    }

    /// The deprecated endpoint: consumers by external id (`org-…`).
    #[wasm_bindgen(js_name = adminSetModulePartnerships, unchecked_return_type = "ModulePartnership[]")]
    pub async fn admin_set_module_partnerships(
        &self,
        name: String,
        consumer_external_ids: Vec<String>,
    ) -> Result<JsValue, JsValue> {
        let list = self.inner.update_module_partnerships(&name, &consumer_external_ids).await?;
        let items: Vec<ModulePartnership> =
            list.iter().map(|p| ModulePartnership { id: p.id.clone(), attributes: p.attributes.clone() }).collect();
        serde_wasm(&items)
    }
}

/// `adminUpdateOrganizations`' options, read by hand: they hold a function and an `AbortSignal`,
/// which JSON cannot carry. Unknown keys are refused like every other option.
pub(super) struct BulkOptions {
    pub(super) dry_run: bool,
    pub(super) on_progress: Option<js_sys::Function>,
    pub(super) signal: Option<JsValue>,
}

impl BulkOptions {
    /// Whether the caller's `AbortSignal` (if any) has been aborted.
    pub(super) fn stop(&self) -> impl Fn() -> bool {
        let signal = self.signal.clone();
        move || {
            signal.as_ref().is_some_and(|s| {
                js_sys::Reflect::get(s, &JsValue::from_str("aborted")).ok().and_then(|a| a.as_bool()).unwrap_or(false)
            })
        }
    }
}

pub(super) fn bulk_options(options: &JsValue) -> Result<BulkOptions, JsValue> {
    let mut out = BulkOptions { dry_run: false, on_progress: None, signal: None };
    each_option(options, &["dryRun", "onProgress", "signal"], |key, value, field| {
        match key {
            "dryRun" => out.dry_run = flag(&value, field)?,
            "onProgress" => out.on_progress = Some(function(value, field)?),
            _ => out.signal = Some(abort_signal(value, field)?),
        }
        Ok(())
    })?;
    Ok(out)
}

/// Options that hold functions or an `AbortSignal` (which JSON cannot carry), read by hand: each
/// known key given a value goes to `read(key, value, "options.key")`; an unknown key is refused
/// like every other option.
pub(super) fn each_option(
    options: &JsValue,
    known: &[&str],
    mut read: impl FnMut(&str, JsValue, &str) -> Result<(), JsValue>,
) -> Result<(), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(());
    }
    if !options.is_object() {
        return Err(validation_error("options", Rule::Type, "options: expected an object".into()));
    }
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        let value = js_sys::Reflect::get(options, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
        let field = format!("options.{key}");
        if !known.contains(&key.as_str()) {
            let message = format!("{field} is not an option here (known: {})", known.join(", "));
            return Err(validation_error(&field, Rule::Type, message));
        }
        if !value.is_undefined() {
            read(&key, value, &field)?;
        }
    }
    Ok(())
}

fn flag(value: &JsValue, field: &str) -> Result<bool, JsValue> {
    value.as_bool().ok_or_else(|| validation_error(field, Rule::Type, format!("{field}: expected true or false")))
}

pub(super) fn function(value: JsValue, field: &str) -> Result<js_sys::Function, JsValue> {
    value.dyn_into().map_err(|_| validation_error(field, Rule::Type, format!("{field}: expected a function")))
}

pub(super) fn abort_signal(value: JsValue, field: &str) -> Result<JsValue, JsValue> {
    let aborted = js_sys::Reflect::get(&value, &JsValue::from_str("aborted")).ok();
    if aborted.as_ref().is_none_or(|a| a.as_bool().is_none()) {
        return Err(validation_error(field, Rule::Type, format!("{field}: expected an AbortSignal")));
    }
    Ok(value)
}

impl TfeClient {
    /// Every consumer of `registry`, as JavaScript admin organizations.
    async fn list_all_consumers_js(
        &self,
        registry: crate::client::Registry,
        name: &str,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue> {
        let all = self.inner.list_all_consumers(registry, name, &mut progress_callback(on_progress)).await?;
        let items: Vec<AdminOrganization> = all.iter().map(|o| AdminOrganization::new(o, None)).collect();
        serde_wasm(&items)
    }

    /// List-all for JavaScript: each page becomes JavaScript objects as it arrives, while the
    /// limiter spaces the next requests, so a run of 10,000 does not end in one long conversion.
    async fn list_all_js<R, V: serde::Serialize, Fut>(
        &self,
        options: crate::query::ListOptions,
        page: impl Fn(crate::query::ListOptions) -> Fut,
        view: impl Fn(&R) -> V,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue>
    where
        Fut: std::future::Future<Output = Result<crate::client::Page<R>, crate::client::Error>>,
    {
        let base = crate::query::ListOptions { page_size: options.page_size.or(Some(100)), ..options };
        let view = &view;
        let fetch = |n: u32| {
            let next = page(crate::query::ListOptions { page_number: Some(n), ..base.clone() });
            async move {
                let p = next.await?;
                let views: Vec<V> = p.items.iter().map(view).collect();
                let array: js_sys::Array = serde_wasm(&views)
                    .map_err(|_| crate::client::Error::new(crate::client::ErrorKind::Decode, "page not convertible"))?
                    .unchecked_into();
                let items = array.iter().collect();
                Ok(crate::client::Page { items, pagination: p.pagination, status_counts: None, included: Vec::new() })
            }
        };
        let concurrency = || self.inner.fan_out();
        let lookahead = self.inner.lookahead();
        let items =
            crate::client::list_all(fetch, &concurrency, lookahead, &mut progress_callback(on_progress)).await?;
        Ok(items.into_iter().collect::<js_sys::Array>().into())
    }
}

/// Arrays of tsify types (tsify's `Ts<Vec<T>>` is not supported): through JSON, like `Ts`.
pub(super) fn serde_wasm<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(bad_result)?;
    js_sys::JSON::parse(&text)
}

/// Decode the body of an admin organizations list response you fetched yourself (through a
/// proxy, from a cache, in a test) into what `adminListOrganizations` returns.
#[wasm_bindgen(js_name = decodeAdminOrganizationsPage)]
pub fn decode_admin_organizations_page(text: &str) -> Result<Ts<AdminPage>, JsValue> {
    let doc = crate::jsonapi::decode_list::<AdminOrganizationAttributes>(text)
        .map_err(|e| crate::client::Error::decode(e, 200))?;
    to_js(&admin_page(crate::client::Page::from_document(doc)))
}

/// Check the body of an admin organizations list response against the models without building
/// JavaScript objects; the number of organizations (a `TfeError` of kind `decode` says where a
/// body breaks the API).
/// Bench builds only (`--features bench`): not part of the npm package.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = checkAdminOrganizationsPage)]
pub fn check_admin_organizations_page(text: &str) -> Result<u32, JsValue> {
    let doc = crate::jsonapi::decode_list::<AdminOrganizationAttributes>(text)
        .map_err(|e| crate::client::Error::decode(e, 200))?;
    Ok(doc.data.len() as u32)
}
