//! Where the connection is kept: sessionStorage for this tab, localStorage only when remembered,
//! always under the instance it was made for. `tfe-orgs-server` may forward to another instance
//! next time on the same port: a token kept for one instance is never sent to another.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::origin::{own_api_url, ServerInfo};

/// The instance URL and token, as kept in sessionStorage (or localStorage when remembered).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredConnection {
    pub url: String,
    pub token: String,
    /// The instance the token is for: what `/_tfe-orgs/info` names (the upstream, or
    /// `sandbox`), or the API URL itself where no tfe-orgs-server serves the page.
    #[serde(default)]
    pub instance: String,
}

const PREFIX: &str = "tfe-orgs.connection";

/// The instance this page reaches now.
pub fn current_instance(info: Option<&ServerInfo>) -> String {
    match info {
        Some(i) if i.is_sandbox() => "sandbox".to_string(),
        Some(i) => i.upstream.clone().unwrap_or_else(own_api_url),
        None => own_api_url(),
    }
}

/// The storage key of `instance`'s connection.
pub fn storage_key(instance: &str) -> String {
    format!("{PREFIX}@{instance}")
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn storages() -> impl Iterator<Item = web_sys::Storage> {
    [session_storage(), local_storage()].into_iter().flatten()
}

/// Every key of ours in `storage`.
fn our_keys(storage: &web_sys::Storage) -> Vec<String> {
    let n = storage.length().unwrap_or(0);
    (0..n).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect()
}

/// Keep the connection for this tab (sessionStorage); `remember` also keeps it on this device.
/// Entries for any other instance go.
pub fn store_connection(connection: &StoredConnection, remember: bool) {
    let text = serde_json::to_string(connection).unwrap_or_default();
    let key = storage_key(&connection.instance);
    forget_others(&connection.instance);
    if let Some(s) = session_storage() {
        let _ = s.set_item(&key, &text);
    }
    if let Some(s) = local_storage() {
        let _ = if remember { s.set_item(&key, &text) } else { s.remove_item(&key) };
    }
}

/// The connection kept for `instance`; entries kept for any other instance (this port forwarded
/// elsewhere before) are dropped, never offered.
pub fn stored_connection(instance: &str) -> Option<StoredConnection> {
    forget_others(instance);
    let key = storage_key(instance);
    storages()
        .find_map(|s| s.get_item(&key).ok().flatten())
        .and_then(|text| serde_json::from_str::<StoredConnection>(&text).ok())
        .filter(|c| c.instance == instance)
}

/// Whether the connection to `instance` is remembered on this device (localStorage).
pub fn remembered(instance: &str) -> bool {
    local_storage().and_then(|s| s.get_item(&storage_key(instance)).ok().flatten()).is_some()
}

fn forget_others(instance: &str) {
    let keep = storage_key(instance);
    for s in storages() {
        for key in our_keys(&s).into_iter().filter(|k| *k != keep) {
            let _ = s.remove_item(&key);
        }
    }
}

/// Sign out: every connection kept, for every instance.
pub fn forget_connection() {
    for s in storages() {
        for key in our_keys(&s) {
            let _ = s.remove_item(&key);
        }
    }
}
