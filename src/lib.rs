//! # tfe-orgs
//!
//! A typed, validated client for the Terraform Enterprise / HCP Terraform **Organizations**,
//! **Admin Organizations** and **Admin Module Sharing** APIs, for Rust and (compiled to
//! WebAssembly) for JavaScript.
//!
//! - [`jsonapi`]: JSON:API documents, resources, pagination meta and error objects; decoding
//!   names the JSON pointer of whatever broke.
//! - [`model`]: every documented attribute of every resource, typed, with unknown attributes
//!   kept in `extra` and unknown enum values decoded as `Other(String)`.
//! - [`validate`]: every client-side rule, each failure naming its field and rule.
//! - [`query`]: list options as a percent-encoded query string.

pub mod jsonapi;
pub mod model;
pub mod query;
pub mod validate;

pub use jsonapi::{DecodeError, Document, ErrorObject, Pagination, Resource, ResourceIdentifier, StatusCounts};
pub use query::ListOptions;
pub use validate::ValidationError;
pub mod client;
#[cfg(all(target_arch = "wasm32", feature = "js"))]
pub mod js;
pub mod snapshot;
pub mod transport;

pub use client::{Client, ClientOptions, Error, ErrorKind, Page, Progress};
