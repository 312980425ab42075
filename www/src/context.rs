//! App-wide state: the connection (client + what the token may do), its storage, and a loader
//! whose requests are aborted when the view that started them goes away.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tfe_orgs::client::{Client, Error, ErrorKind};
use tfe_orgs::query::ListOptions;
use tfe_orgs::transport::{FetchTransport, HttpRequest, Transport};

pub type Api = Rc<Client<FetchTransport>>;

/// A working connection.
#[derive(Clone)]
pub struct Session {
    pub api: Api,
    /// The API root, e.g. `http://127.0.0.1:8080/api/v2`.
    pub api_url: String,
    /// Site admin: the admin endpoints answered (they answer 404 to everyone else).
    pub admin: bool,
}

/// What the page knows about the connection.
#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Option<Session>, LocalStorage>,
    /// A stored connection is being re-established (on load).
    pub restoring: RwSignal<bool>,
    /// Why re-establishing the stored connection failed.
    pub restore_error: RwSignal<Option<Error>>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            session: RwSignal::new_local(None),
            restoring: RwSignal::new(false),
            restore_error: RwSignal::new(None),
        }
    }

    pub fn admin(&self) -> bool {
        self.session.with(|s| s.as_ref().is_some_and(|s| s.admin))
    }

    /// The client; views that need one render only with a session.
    pub fn api(&self) -> Option<Api> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.api.clone()))
    }

    pub fn sign_out(&self) {
        forget_connection();
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

/// The instance URL and token, as kept in sessionStorage (or localStorage when remembered).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredConnection {
    pub url: String,
    pub token: String,
}

const STORAGE_KEY: &str = "tfe-orgs.connection";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Keep the connection for this tab (sessionStorage); `remember` also keeps it on this device.
pub fn store_connection(connection: &StoredConnection, remember: bool) {
    let text = serde_json::to_string(connection).unwrap_or_default();
    if let Some(s) = session_storage() {
        let _ = s.set_item(STORAGE_KEY, &text);
    }
    if let Some(s) = local_storage() {
        let _ = if remember { s.set_item(STORAGE_KEY, &text) } else { s.remove_item(STORAGE_KEY) };
    }
}

pub fn stored_connection() -> Option<StoredConnection> {
    [session_storage(), local_storage()]
        .into_iter()
        .flatten()
        .find_map(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
}

/// Whether the connection is remembered on this device (localStorage).
pub fn remembered() -> bool {
    local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).is_some()
}

pub fn forget_connection() {
    for s in [session_storage(), local_storage()].into_iter().flatten() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// The page's own origin, `http://host:port`.
pub fn own_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Connect: build the client, then ask an admin endpoint; 404 means "not a site admin", and the
/// regular Organizations API is tried instead so a bad token still fails here.
pub async fn connect(url: &str, token: &str) -> Result<Session, Error> {
    let api = Rc::new(Client::new(url, token, FetchTransport)?);
    let probe = ListOptions::page(1, 1);
    let admin = match api.admin_list(&probe).await {
        Ok(_) => true,
        Err(e) if e.kind == ErrorKind::NotFound => {
            api.list(&probe).await?;
            false
        }
        Err(e) => return Err(e),
    };
    let api_url = api.api_url().to_string();
    Ok(Session { api, api_url, admin })
}

/// A sample token the sandbox offers.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SampleToken {
    pub token: String,
    pub user: String,
    #[serde(rename = "site-admin")]
    pub site_admin: bool,
}

/// What `tfe-orgs-server` says of itself (`GET /_tfe-orgs/info`): the page is served by it, so
/// the API is this origin's `/api/v2`, answered by the sandbox or forwarded to `upstream`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ServerInfo {
    pub mode: String,
    #[serde(default)]
    pub upstream: Option<String>,
    #[serde(default)]
    pub tokens: Vec<SampleToken>,
}

impl ServerInfo {
    pub fn is_sandbox(&self) -> bool {
        self.mode == "sandbox"
    }
}

/// The server's info, or `None` when the page is hosted elsewhere (static files on the
/// instance's own origin, for instance).
pub async fn server_info() -> Option<ServerInfo> {
    let request =
        HttpRequest { method: "GET", url: format!("{}/_tfe-orgs/info", own_origin()), headers: vec![], body: None };
    let response = FetchTransport.send(request, Duration::from_secs(5)).await.ok()?;
    serde_json::from_str(&response.body).ok().filter(|_| response.status == 200)
}

/// The path the page is served under, without its trailing slash (`""` at the root,
/// `/tfe-orgs` under a sub-path), from the `<base href>` Trunk writes for `--public-url`.
pub fn base_path() -> String {
    thread_local! {
        static BASE: String = {
            let base = window().document().and_then(|d| d.base_uri().ok().flatten());
            let path = base.and_then(|b| web_sys::Url::new(&b).ok()).map(|u| u.pathname()).unwrap_or_default();
            path.trim_end_matches('/').to_string()
        };
    }
    BASE.with(Clone::clone)
}

/// The `href` of a link to the page's own `path` (`/orgs/acme`). leptos_router's `navigate`
/// adds the router's base itself, but `<A>` takes an absolute `href` as it is.
pub fn link(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The API of the origin the page is served from.
pub fn own_api_url() -> String {
    format!("{}/api/v2", own_origin())
}

/// The state of one async view.
#[derive(Clone, Debug)]
pub enum Load<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(Error),
}

impl<T> Load<T> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }
}

/// Runs one request at a time for a view: a new run aborts the previous one, and leaving the
/// view (its owner is cleaned up) aborts whatever is still in flight.
pub struct Loader<T: 'static> {
    pub state: RwSignal<Load<T>, LocalStorage>,
    current: StoredValue<Option<AbortHandle>>,
}

impl<T: 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Loader<T> {}

impl<T: Clone + 'static> Loader<T> {
    pub fn new() -> Self {
        let current: StoredValue<Option<AbortHandle>> = StoredValue::new(None);
        on_cleanup(move || {
            if let Some(handle) = current.try_update_value(|c| c.take()).flatten() {
                handle.abort();
            }
        });
        Loader { state: RwSignal::new_local(Load::Idle), current }
    }

    /// Start `future`, aborting the run before it.
    pub fn run(&self, future: impl Future<Output = Result<T, Error>> + 'static) {
        self.start(future, true)
    }

    /// Like [`Loader::run`], but what is shown stays until the new result arrives.
    pub fn refresh(&self, future: impl Future<Output = Result<T, Error>> + 'static) {
        self.start(future, false)
    }

    fn start(&self, future: impl Future<Output = Result<T, Error>> + 'static, show_loading: bool) {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(previous) = self.current.try_update_value(|c| c.replace(handle)).flatten() {
            previous.abort();
        }
        if show_loading {
            self.state.set(Load::Loading);
        }
        let state = self.state;
        leptos::task::spawn_local(async move {
            if let Ok(result) = Abortable::new(future, registration).await {
                let _ = state.try_set(match result {
                    Ok(value) => Load::Ready(value),
                    Err(e) => Load::Failed(e),
                });
            }
        });
    }

    /// Abort a run in flight and go back to idle.
    pub fn cancel(&self) {
        if let Some(previous) = self.current.try_update_value(|c| c.take()).flatten() {
            previous.abort();
        }
        self.state.set(Load::Idle);
    }

    /// `f` of the value, when ready, without cloning it (results can hold thousands of rows).
    pub fn with_ready<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.state.with(|s| if let Load::Ready(v) = s { Some(f(v)) } else { None })
    }

    pub fn ready(&self) -> Option<T> {
        self.state.with(|s| if let Load::Ready(v) = s { Some(v.clone()) } else { None })
    }

    pub fn error(&self) -> Option<Error> {
        self.state.with(|s| if let Load::Failed(e) = s { Some(e.clone()) } else { None })
    }

    pub fn loading(&self) -> bool {
        self.state.with(Load::is_loading)
    }
}

impl<T: Clone + 'static> Default for Loader<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The state of a write (a save, a create, a delete): in progress, done, or the error to show.
/// Writes are not aborted on navigation: cancelling one half-way would leave the user not
/// knowing whether it happened.
#[derive(Clone, Copy)]
pub struct Saver {
    pub saving: RwSignal<bool>,
    pub saved: RwSignal<bool>,
    pub error: RwSignal<Option<Error>>,
}

impl Saver {
    pub fn new() -> Self {
        Saver { saving: RwSignal::new(false), saved: RwSignal::new(false), error: RwSignal::new(None) }
    }

    /// Run `write`; `on_ok` gets its value. The draft lives with the caller, so a failure loses
    /// nothing the user typed.
    pub fn run<T: 'static>(
        &self,
        write: impl Future<Output = Result<T, Error>> + 'static,
        on_ok: impl FnOnce(T) + 'static,
    ) {
        let this = *self;
        this.saving.set(true);
        this.saved.set(false);
        this.error.set(None);
        leptos::task::spawn_local(async move {
            let result = write.await;
            let _ = this.saving.try_set(false);
            match result {
                Ok(value) => {
                    let _ = this.saved.try_set(true);
                    on_ok(value);
                }
                Err(e) => {
                    let _ = this.error.try_set(Some(e));
                }
            }
        });
    }
}

impl Default for Saver {
    fn default() -> Self {
        Self::new()
    }
}
