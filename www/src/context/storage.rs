//! Where the connection is kept: sessionStorage for this tab, localStorage only when remembered.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
