//! App-wide state, one module per question (lemmy-ui-leptos style): the connection
//! (`session`), where it is kept (`storage`), where the page lives (`origin`), and the state of
//! a view's reads and writes (`async_state`).

pub mod async_state;
pub mod marks;
pub mod origin;
pub mod session;
pub mod storage;

pub use async_state::{spawn, Load, Loader, Saver};
pub use origin::{base_path, link, own_api_url, own_origin, server_info, SampleToken, ServerInfo};
pub use session::{app_state, connect, Api, AppState, Session};
pub use storage::{
    current_instance, forget_connection, remembered, storage_key, store_connection, stored_connection, StoredConnection,
};
