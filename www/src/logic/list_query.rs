//! The organizations list's query: search, filters, page size and page, as the URL holds them.

use tfe_orgs::query::{to_query, ListOptions};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Producer {
    #[default]
    Any,
    Sharing,
    NotSharing,
}

impl Producer {
    /// The `filter[…_producer]` value.
    pub fn filter(self) -> Option<bool> {
        match self {
            Producer::Any => None,
            Producer::Sharing => Some(true),
            Producer::NotSharing => Some(false),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Producer::Any => "any",
            Producer::Sharing => "sharing",
            Producer::NotSharing => "not-sharing",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "sharing" => Producer::Sharing,
            "not-sharing" => Producer::NotSharing,
            _ => Producer::Any,
        }
    }
}

/// Which rows of the loaded result to show, from the status counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    All,
    Active,
    Disabled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::All => "all",
            Status::Active => "active",
            Status::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "active" => Status::Active,
            "disabled" => Status::Disabled,
            _ => Status::All,
        }
    }
    pub fn keeps(self, disabled: Option<bool>) -> bool {
        match self {
            Status::All => true,
            Status::Active => disabled != Some(true),
            Status::Disabled => disabled == Some(true),
        }
    }
}

pub const PAGE_SIZES: [u32; 3] = [20, 50, 100];

/// Search, filters and page of the organizations list. Defaults are left out of the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListState {
    pub q: String,
    pub name: String,
    pub email: String,
    pub producer: Producer,
    /// Sharing private providers (newer releases): `filter[provider_producer]`.
    pub provider_producer: Producer,
    pub status: Status,
    pub size: u32,
    pub page: u32,
}

impl Default for ListState {
    fn default() -> Self {
        ListState {
            q: String::new(),
            name: String::new(),
            email: String::new(),
            producer: Producer::Any,
            provider_producer: Producer::Any,
            status: Status::All,
            size: 20,
            page: 1,
        }
    }
}

impl ListState {
    /// From URL parameters; anything unusable falls back to its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let size = get("size").and_then(|s| s.parse().ok()).filter(|s| PAGE_SIZES.contains(s)).unwrap_or(20);
        let page = get("page").and_then(|s| s.parse().ok()).filter(|&p: &u32| p >= 1).unwrap_or(1);
        ListState {
            q: text("q"),
            name: text("name"),
            email: text("email"),
            producer: Producer::parse(&text("producer")),
            provider_producer: Producer::parse(&text("provider-producer")),
            status: Status::parse(&text("status")),
            size,
            page,
        }
    }

    /// The query string (without `?`) for this state.
    pub fn to_query(&self) -> String {
        let d = ListState::default();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("q", &self.q), ("name", &self.name), ("email", &self.email)] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        if self.producer != d.producer {
            pairs.push(("producer", self.producer.as_str().into()));
        }
        if self.provider_producer != d.provider_producer {
            pairs.push(("provider-producer", self.provider_producer.as_str().into()));
        }
        if self.status != d.status {
            pairs.push(("status", self.status.as_str().into()));
        }
        if self.size != d.size {
            pairs.push(("size", self.size.to_string()));
        }
        if self.page != d.page {
            pairs.push(("page", self.page.to_string()));
        }
        to_query(&pairs)
    }

    /// The request for this state; `admin` adds the producer filter and the owners.
    pub fn options(&self, admin: bool) -> ListOptions {
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        let mut options = ListOptions::page(self.page, self.size);
        options.q = some(&self.q);
        options.q_name = some(&self.name);
        options.q_email = some(&self.email);
        if admin {
            options.module_producer = self.producer.filter();
            options.provider_producer = self.provider_producer.filter();
            options.include = vec!["owners".into()];
        }
        options
    }
}
