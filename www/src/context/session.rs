//! The connection: the client, what the token may do, and connecting (app-wide, provided once).

use std::rc::Rc;

use leptos::prelude::*;
use tfe_orgs::client::{Client, ClientOptions, Error, ErrorKind};
use tfe_orgs::query::ListOptions;
use tfe_orgs::transport::FetchTransport;

use super::storage::forget_connection;

pub type Api = Rc<Client<FetchTransport>>;

/// A working connection.
#[derive(Clone)]
pub struct Session {
    pub api: Api,
    /// The API root, e.g. `http://127.0.0.1:8080/api/v2`.
    pub api_url: String,
    /// Site admin: the admin endpoints answered (they answer 404 to everyone else).
    pub admin: bool,
    /// The release the instance named (`X-TFE-Version`), when it does.
    pub release: Option<String>,
    /// Site admins: the instance's general settings (its default timeouts), when it has them.
    pub settings: Option<tfe_orgs::model::GeneralSettingsAttributes>,
    /// Its admin answers carry `global-provider-sharing` (202301-1 on).
    pub provider_sharing: bool,
    /// The era its admin answers showed: what the editors, bulk and snapshot offer.
    pub era: Option<tfe_orgs::model::Era>,
}

/// What the page knows about the connection.
#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Option<Session>, LocalStorage>,
    /// A stored connection is being re-established (on load).
    pub restoring: RwSignal<bool>,
    /// Why re-establishing the stored connection failed.
    pub restore_error: RwSignal<Option<Error>>,
    /// The organizations picked for a bulk change: kept across pages, searches and filters,
    /// cleared on sign-out.
    pub selection: RwSignal<std::collections::BTreeSet<String>>,
    /// The sharing audit's reading, reused by later visits until Refresh; cleared on sign-out.
    pub sharing: RwSignal<std::collections::HashMap<crate::logic::Registry, Vec<crate::logic::Producing>>>,
    /// A document handed to `/snapshot` to review and apply there, with what it is (a bulk
    /// change's undo, the revoking of unused grants).
    pub to_review: RwSignal<Option<(String, tfe_orgs::snapshot::Snapshot)>>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            session: RwSignal::new_local(None),
            restoring: RwSignal::new(false),
            restore_error: RwSignal::new(None),
            selection: RwSignal::new(Default::default()),
            sharing: RwSignal::new(Default::default()),
            to_review: RwSignal::new(None),
        }
    }

    pub fn admin(&self) -> bool {
        self.session.with(|s| s.as_ref().is_some_and(|s| s.admin))
    }

    /// Whether the instance has provider sharing (site admins; `false` otherwise).
    pub fn provider_sharing(&self) -> bool {
        self.session.with(|s| s.as_ref().is_some_and(|s| s.provider_sharing))
    }

    /// The instance's era, where its answers showed it.
    pub fn era(&self) -> Option<tfe_orgs::model::Era> {
        self.session.with_untracked(|s| s.as_ref().and_then(|s| s.era))
    }

    /// The instance's default for a nullable admin attribute (`plan-timeout` → `2h`): the
    /// general settings attribute its declaration names; `None` where not known.
    pub fn instance_default(&self, key: &str) -> Option<String> {
        use tfe_orgs::model::{AdminOrganizationUpdate, Attributes, Unset};
        let Unset::InstanceDefault(setting) = AdminOrganizationUpdate::field(key)?.about.unset else { return None };
        self.session.with(|s| s.as_ref()?.settings.as_ref()?.default_named(setting).map(str::to_string))
    }

    /// The client; views that need one render only with a session.
    pub fn api(&self) -> Option<Api> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.api.clone()))
    }

    pub fn sign_out(&self) {
        forget_connection();
        self.selection.set(Default::default());
        self.sharing.set(Default::default());
        self.to_review.set(None);
        self.session.set(None);
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn app_state() -> AppState {
    expect_context::<AppState>()
}

/// How many HTTP/1.1 connections a browser opens to one host (Chromium, Firefox, Safari).
const BROWSER_CONNECTIONS: usize = 6;

/// Connect: build the client, then ask an admin endpoint; 404 means "not a site admin", and the
/// regular Organizations API is tried instead so a bad token still fails here.
pub async fn connect(url: &str, token: &str) -> Result<Session, Error> {
    // Over plain HTTP a browser opens at most six connections to a host and queues the rest:
    // a queued request leaves in a burst with others when a connection frees, and a burst is
    // what crosses the instance's rate. Keep no more in flight than there are connections.
    let plain_http = url.trim_start().get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        || (!url.contains("://")
            && web_sys::window().and_then(|w| w.location().protocol().ok()).as_deref() == Some("http:"));
    let options = ClientOptions {
        concurrency: if plain_http { BROWSER_CONNECTIONS } else { ClientOptions::default().concurrency },
        ..ClientOptions::default()
    };
    let api = Rc::new(Client::with_options(url, token, FetchTransport, options)?);
    let probe = ListOptions::page(1, 1);
    let admin = match api.admin_list(&probe).await {
        Ok(_) => true,
        Err(e) if e.kind == ErrorKind::NotFound => {
            api.list(&probe).await?;
            false
        }
        Err(e) => return Err(e),
    };
    // The defaults "use the instance default" stands for; an instance without the endpoint
    // (or a refusal) leaves them unsaid.
    let settings = if admin { api.general_settings().await.ok() } else { None };
    let api_url = api.api_url().to_string();
    let provider_sharing = api.has_provider_sharing();
    Ok(Session { release: api.release(), era: api.era(), api, api_url, admin, settings, provider_sharing })
}
