//! List options → query string, and path segments, percent-encoded (brackets as `%5B`/`%5D`).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::validate::{self, ValidationError};

/// Everything but RFC 3986 unreserved characters is encoded, in keys, values and path segments.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encode one path segment or query component.
pub fn encode(component: &str) -> String {
    utf8_percent_encode(component, COMPONENT).to_string()
}

/// Options of the list endpoints. Unset options are not sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListOptions {
    /// `q`: searches name and notification email; takes precedence over `q[name]`/`q[email]`.
    pub q: Option<String>,
    /// `q[name]`: searches names (AND with `q[email]`).
    pub q_name: Option<String>,
    /// `q[email]`: searches notification emails (AND with `q[name]`).
    pub q_email: Option<String>,
    /// `filter[module_producer]` (admin list): sharing modules or not.
    pub module_producer: Option<bool>,
    /// `filter[provider_producer]` (admin list, newer releases): sharing providers or not.
    #[serde(default)]
    pub provider_producer: Option<bool>,
    /// `include`: related resources (`owners`, `entitlement_set`).
    pub include: Vec<String>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl ListOptions {
    /// A page of the given number and size and nothing else.
    pub fn page(number: u32, size: u32) -> Self {
        ListOptions { page_number: Some(number), page_size: Some(size), ..Default::default() }
    }

    /// The rules the options must satisfy before a request is sent.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if let Some(n) = self.page_number {
            errors.extend(validate::page_number(i64::from(n)).err());
        }
        if let Some(n) = self.page_size {
            errors.extend(validate::page_size(i64::from(n)).err());
        }
        errors
    }

    /// The `(key, value)` pairs to send, unencoded, in a stable order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |key: &'static str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((key, value));
            }
        };
        push("q", self.q.clone());
        push("q[name]", self.q_name.clone());
        push("q[email]", self.q_email.clone());
        push("filter[module_producer]", self.module_producer.map(|b| b.to_string()));
        push("filter[provider_producer]", self.provider_producer.map(|b| b.to_string()));
        push("include", (!self.include.is_empty()).then(|| self.include.join(",")));
        push("page[number]", self.page_number.map(|n| n.to_string()));
        push("page[size]", self.page_size.map(|n| n.to_string()));
        pairs
    }

    /// The query string without `?`, e.g. `q=acme&page%5Bnumber%5D=1&page%5Bsize%5D=20`.
    pub fn to_query(&self) -> String {
        to_query(&self.pairs())
    }
}

/// Encode `(key, value)` pairs as a query string without `?`.
pub fn to_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref()))).collect::<Vec<_>>().join("&")
}
