//! The JavaScript surface of the npm package (`#[wasm_bindgen]`), by what each part holds:
//!
//! - [`client`]: `TfeClient`, every method of the client as a `Promise`-returning method.
//! - [`types`]: the objects JavaScript sees. Resources are `{ id, ...attributes, extra }`; their
//!   TypeScript types extend the ones tsify derives from the model's attribute structs (the model
//!   is the only definition of an attribute), and the enums' unions come from `string_enum!`.
//! - `configuration` (feature `config-js`, the nodejs build only): snapshots — `checkSnapshot`,
//!   `diff`, `plan`, `undoOf`, and the client's `snapshot` and `apply`.
//! - [`decode`]: arguments from JavaScript into the model, every bad one a `TfeError` that names
//!   the option and what it expects.
//! - [`errors`]: `TfeError`, the class of every error the package throws.
//! - [`validators`]: the client-side rules as plain functions.
//!
//! TypeScript names are the plain nouns (`Organization`, `ListOptions`, `Pagination`).

pub mod client;
#[cfg(feature = "config-js")]
pub mod configuration;
pub mod decode;
pub mod errors;
pub mod types;
pub mod validators;

pub use client::TfeClient;
pub use errors::TfeError;
