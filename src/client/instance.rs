//! What the client learns of the instance from its answers (current-tfe.md): the release and
//! API version on every answer, its rate limit, the names its admin answers give the timeouts,
//! and which call takes a module consumer list. Learned once and remembered per client.

use serde::Serialize;

use super::{org_segment, Client, Error, ErrorKind, Method, Repeat};
use crate::model::{AdminOrganization, GeneralSettingsAttributes, Spelling};
use crate::query::ListOptions;
use crate::transport::{HttpResponse, Transport};

/// How an instance takes a producer's module consumer list: the newest call it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub enum SharingApi {
    /// `PUT registry-partnerships` (202301-1 on: the provider-consumers read answers 200).
    RegistryPartnerships,
    /// `PATCH relationships/module-consumers` (202103-1 on).
    Relationships,
    /// The deprecated `PATCH module-consumers`, by external id (202012-1 … 202102).
    ModulePartnerships,
}

/// What the instance showed it has.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct Features {
    /// Admin answers carry `apply-timeout` / `plan-timeout` (current releases), not only the
    /// `terraform-build-worker-*` names. `None`: no admin answer seen.
    pub current_timeout_names: Option<bool>,
    /// Admin answers carry `global-provider-sharing` (provider sharing, 202301-1 on).
    pub provider_sharing: Option<bool>,
    /// How module consumers are written here (site admins; `None`: not probed).
    pub sharing_api: Option<SharingApi>,
    /// `GET /admin/general-settings` answered.
    pub general_settings: bool,
}

/// The instance, as `Client::instance` reads it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct InstanceInfo {
    /// The token is a site admin's (the Admin API answered).
    pub site_admin: bool,
    /// `X-TFE-Version` (`v202507-1`); `None` when the answers do not say (HCP Terraform).
    pub release: Option<String>,
    /// `TFP-API-Version` (`2.6`).
    pub api_version: Option<String>,
    /// Requests per second the client spends now: the instance's `X-RateLimit-Limit` (or its
    /// general settings' `api-rate-limit`) once seen.
    pub rate_limit: f64,
    pub features: Features,
    /// Site admins: the general settings (default timeouts, rate limit). `None` otherwise.
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "GeneralSettings | null"))]
    #[serde(skip)]
    pub general_settings: Option<GeneralSettingsAttributes>,
}

/// What the answers said so far.
#[derive(Debug, Default)]
pub(super) struct Learned {
    release: Option<String>,
    api_version: Option<String>,
    /// The names the first admin answer used: the instance's (a release names them all alike).
    spelling: Spelling,
    /// Organizations (ASCII-lowercased) whose answers used other names than the instance's:
    /// normally none, so a list rather than a map (also less wasm).
    exceptions: Vec<(String, Spelling)>,
    /// An admin organization answer was seen (so the token is a site admin's).
    saw_admin: bool,
    provider_sharing: Option<bool>,
    sharing_api: Option<SharingApi>,
    general_settings: bool,
}

/// A 404 (or 403): not a site admin, or a release without the endpoint.
fn not_there(e: &Error) -> bool {
    e.kind == ErrorKind::NotFound || e.status == Some(403)
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl<T: Transport> Client<T> {
    /// Note what an answer's headers say: the release, the API version, and the rate limit
    /// (the limiter follows it unless [`super::ClientOptions::follow_instance_rate`] is off).
    pub(super) fn learn_headers(&self, response: &HttpResponse) {
        let mut learned = self.learned.borrow_mut();
        if let Some(release) = response.header("x-tfe-version") {
            learned.release = Some(release.trim().to_string());
        }
        if let Some(version) = response.header("tfp-api-version") {
            learned.api_version = Some(version.trim().to_string());
        }
        if self.options.follow_instance_rate {
            if let Some(limit) = response.header("x-ratelimit-limit").and_then(|v| v.trim().parse::<u32>().ok()) {
                self.limiter.set_rate(f64::from(limit));
            }
        }
    }

    /// Note the names admin answers use for the timeouts, and whether they carry provider sharing.
    pub(super) fn learn_admin<'a>(&self, orgs: impl IntoIterator<Item = &'a AdminOrganization>) {
        let mut learned = self.learned.borrow_mut();
        learned.saw_admin = true;
        for org in orgs {
            let a = &org.attributes;
            if a.spelling != Spelling::Unknown {
                if learned.spelling == Spelling::Unknown {
                    learned.spelling = a.spelling;
                }
                let name = key(a.name.as_deref().unwrap_or(&org.id));
                learned.exceptions.retain(|(n, _)| *n != name);
                if a.spelling != learned.spelling {
                    learned.exceptions.push((name, a.spelling));
                }
            }
            if a.global_provider_sharing.is_some() {
                learned.provider_sharing = Some(true);
            }
        }
    }

    /// The timeout names to write to `name`: those its answers use, else the instance's; read
    /// once when neither is known. Boxed: every admin write awaits it, and the read would
    /// otherwise be compiled into each of them (kilobytes of wasm).
    pub(super) fn spelling_for<'a>(&'a self, name: &'a str) -> super::LocalBoxed<'a, Result<Spelling, Error>> {
        Box::pin(async move {
            let known = {
                let learned = self.learned.borrow();
                let name = key(name);
                learned.exceptions.iter().find(|(n, _)| *n == name).map_or(learned.spelling, |(_, s)| *s)
            };
            if known != Spelling::Unknown {
                return Ok(known);
            }
            let org = self.admin_read(name).await?;
            Ok(org.attributes.spelling)
        })
    }

    /// How this instance takes a module consumer list, probed once (with reads of `producer`'s
    /// lists) and remembered: the provider-consumers read answers on 202301-1 and later, the
    /// module-consumers read on 202103-1 and later; older releases have only module-partnerships.
    pub async fn sharing_api(&self, producer: &str) -> Result<SharingApi, Error> {
        if let Some(api) = self.learned.borrow().sharing_api {
            return Ok(api);
        }
        let segment = org_segment(producer)?;
        let one = ListOptions { page_number: Some(1), page_size: Some(1), ..Default::default() }.to_query();
        let mut found = SharingApi::ModulePartnerships;
        for (relationship, api) in
            [("provider-consumers", SharingApi::RegistryPartnerships), ("module-consumers", SharingApi::Relationships)]
        {
            let path = format!("/admin/organizations/{segment}/relationships/{relationship}");
            match self.send(Method::Get, Repeat::Safe, &path, &one, None).await {
                Ok(_) => {
                    found = api;
                    break;
                }
                Err(e) if e.kind == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        }
        self.learned.borrow_mut().sharing_api = Some(found);
        Ok(found)
    }

    /// `GET /admin/general-settings` (site admins): the default timeouts and the rate limit.
    /// Where rate limiting is on, the limiter takes `api-rate-limit` as its budget.
    pub async fn general_settings(&self) -> Result<GeneralSettingsAttributes, Error> {
        let response = self.send(Method::Get, Repeat::Safe, "/admin/general-settings", "", None).await?;
        // The attributes alone, through the JSON value every decode already has (a typed
        // document of its own would cost the wasm builds kilobytes for one read).
        let decoded =
            serde_json::from_str::<serde_json::Value>(&response.body).map_err(|e| e.to_string()).and_then(|doc| {
                let attributes = doc.pointer("/data/attributes").cloned().unwrap_or_default();
                serde_json::from_value::<GeneralSettingsAttributes>(attributes).map_err(|e| e.to_string())
            });
        let settings = decoded.map_err(|message| {
            Error::decode(crate::jsonapi::DecodeError::new("/data/attributes", message), response.status)
        })?;
        self.learned.borrow_mut().general_settings = true;
        if self.options.follow_instance_rate && settings.api_rate_limiting_enabled != Some(false) {
            if let Some(limit) = settings.api_rate_limit {
                self.limiter.set_rate(f64::from(limit));
            }
        }
        Ok(settings)
    }

    /// The instance: its release and API version, the features it showed, and (site admins)
    /// its general settings. A few reads: the general settings, one admin organization and
    /// its consumer lists (which call takes a consumer list), or, for other tokens, one page
    /// of one organization.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// let info = client.instance().await?;
    /// println!("{:?} at {} requests/s", info.release, info.rate_limit);
    /// # Ok(()) }
    /// ```
    pub async fn instance(&self) -> Result<InstanceInfo, Error> {
        let settings = match self.general_settings().await {
            Ok(settings) => Some(settings),
            // Not a site admin, or a release without the endpoint.
            Err(e) if not_there(&e) => None,
            Err(e) => return Err(e),
        };
        let one = ListOptions { page_size: Some(1), ..Default::default() };
        let admin = match self.admin_list(&one).await {
            Ok(page) => Some(page),
            Err(e) if not_there(&e) => None,
            Err(e) => return Err(e),
        };
        // Which call takes a consumer list (probed with the first organization's lists).
        if let Some(org) = admin.as_ref().and_then(|p| p.items.first()) {
            self.sharing_api(org.attributes.name.as_deref().unwrap_or(&org.id)).await?;
        }
        if admin.is_none() {
            self.list(&one).await?;
        }
        Ok(InstanceInfo { general_settings: settings, ..self.known() })
    }

    /// What the answers so far said of the instance, without a request (no general settings:
    /// [`Client::instance`] reads them).
    pub fn known(&self) -> InstanceInfo {
        let learned = self.learned.borrow();
        let current_timeout_names = match learned.spelling {
            Spelling::Unknown => None,
            spelling => Some(spelling == Spelling::Current),
        };
        InstanceInfo {
            site_admin: learned.saw_admin,
            release: learned.release.clone(),
            api_version: learned.api_version.clone(),
            rate_limit: self.limiter.rate(),
            features: Features {
                current_timeout_names,
                provider_sharing: learned.saw_admin.then_some(learned.provider_sharing == Some(true)),
                sharing_api: learned.sharing_api,
                general_settings: learned.general_settings,
            },
            general_settings: None,
        }
    }

    /// Whether the admin answers so far carried provider sharing (`global-provider-sharing`).
    pub fn has_provider_sharing(&self) -> bool {
        self.learned.borrow().provider_sharing == Some(true)
    }

    /// The era the admin answers showed (current-tfe.md: detected by what they contain, never
    /// by the release's number); `None` before any admin answer. What the tools offer an
    /// attribute for: only where [`crate::model::Field::in_era`].
    pub fn era(&self) -> Option<crate::model::Era> {
        let learned = self.learned.borrow();
        crate::model::Era::shown_by(learned.spelling, learned.provider_sharing == Some(true))
    }

    /// The release the last answer named (`X-TFE-Version`), without a request.
    pub fn release(&self) -> Option<String> {
        self.learned.borrow().release.clone()
    }

    /// The requests per second the client spends now.
    pub fn rate_limit(&self) -> f64 {
        self.limiter.rate()
    }
}
