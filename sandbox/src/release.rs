//! The eras of current-tfe.md: which attributes an answer carries and under which names, which
//! endpoints exist (404 otherwise), how the module-consumers `PATCH` answers, `X-TFE-Version`.
//! The handlers always work on the current model; this module turns their answers into an
//! older release's, and refuses what an older release does not know, at the edge of the core.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Request, Response};

/// A TFE release, by the era whose behaviour it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash, Serialize, Deserialize)]
pub enum Release {
    /// 202012-1 … 202102: module sharing through module-partnerships only; no `q[name]`,
    /// `q[email]` or `filter[module_producer]`.
    #[serde(rename = "202012")]
    R202012,
    /// 202103-1 … 2022: `relationships/module-consumers` (list, `PATCH` answering 200).
    #[serde(rename = "202103")]
    R202103,
    /// 202301-1 … mid-2024: provider sharing and registry-partnerships.
    #[serde(rename = "202301")]
    R202301,
    /// 2024 on: `apply-timeout` / `plan-timeout`, `workspace-limit`, the newer organization
    /// attributes and counts, general settings with `api-rate-limit`, module-consumers `PATCH` 204.
    #[default]
    #[serde(rename = "current")]
    Current,
}

/// Attributes each era added, by the era that added them (older eras lack them).
const ADDED: &[(Release, &[&str])] = &[
    (Release::R202301, &["global-provider-sharing"]),
    (
        Release::Current,
        &[
            "workspace-limit",
            "speculative-plan-management-enabled",
            "user-tokens-enabled",
            "enforce-hyok",
            "module-consuming-organizations-count",
            "provider-consuming-organizations-count",
            "api-rate-limiting-enabled",
            "api-rate-limit",
        ],
    ),
];

/// Current name → the name releases before `Current` use.
const RENAMED: &[(&str, &str)] = &[
    ("apply-timeout", "terraform-build-worker-apply-timeout"),
    ("plan-timeout", "terraform-build-worker-plan-timeout"),
];

/// Query parameters older eras do not know (and so ignore).
const SEARCH: &[&str] = &["q[name]", "q[email]", "filter[module_producer]"];

impl Release {
    pub const ALL: [Release; 4] = [Release::R202012, Release::R202103, Release::R202301, Release::Current];

    /// `202012`, `202103`, `202301`, `current`: the `--release` values.
    pub fn name(self) -> &'static str {
        match self {
            Release::R202012 => "202012",
            Release::R202103 => "202103",
            Release::R202301 => "202301",
            Release::Current => "current",
        }
    }

    pub fn parse(text: &str) -> Option<Release> {
        Release::ALL.into_iter().find(|r| r.name() == text.trim())
    }

    /// What `X-TFE-Version` says.
    pub fn tfe_version(self) -> &'static str {
        match self {
            Release::R202012 => "v202012-1",
            Release::R202103 => "v202103-1",
            Release::R202301 => "v202301-1",
            Release::Current => "v202507-1",
        }
    }

    /// The attributes this release does not have.
    fn lacks(self) -> impl Iterator<Item = &'static str> {
        ADDED.iter().filter(move |(since, _)| self < *since).flat_map(|(_, keys)| keys.iter().copied())
    }

    /// Whether this release has the endpoint `method path` (segments after `/api/v2/`).
    pub fn has_endpoint(self, segments: &[&str]) -> bool {
        match segments {
            ["admin", "organizations", _, "relationships", "module-consumers"] => self >= Release::R202103,
            ["admin", "organizations", _, "relationships", "provider-consumers"]
            | ["admin", "organizations", _, "registry-partnerships"]
            | ["organizations", _, "relationships", "provider-producers"] => self >= Release::R202301,
            _ => true,
        }
    }

    /// The request as this release reads it: parameters it does not know are dropped.
    pub fn read(self, request: &Request) -> Option<Request> {
        if self >= Release::R202103 {
            return None;
        }
        let unknown = |k: &str| SEARCH.contains(&k) || (self < Release::R202301 && k == "filter[provider_producer]");
        let params = request.params();
        if !params.iter().any(|(k, _)| unknown(k)) {
            return None;
        }
        let kept: Vec<(String, String)> = params.into_iter().filter(|(k, _)| !unknown(k)).collect();
        Some(Request { query: tfe_orgs::query::to_query(&kept), ..request.clone() })
    }

    /// A 422 for a write naming an attribute this release does not know (current-tfe.md: older
    /// releases refuse them), or for the current timeout names before they existed.
    pub fn refuse(self, request: &Request) -> Option<Response> {
        if self == Release::Current || !matches!(request.method.to_ascii_uppercase().as_str(), "POST" | "PATCH") {
            return None;
        }
        let body: Value = serde_json::from_str(&request.body).ok()?;
        let attributes = body.pointer("/data/attributes")?.as_object()?;
        let current_names = RENAMED.iter().map(|(new, _)| *new);
        let unknown = attributes.keys().find(|k| self.lacks().chain(current_names.clone()).any(|u| u == k.as_str()))?;
        Some(Response::invalid(&[tfe_orgs::validate::ValidationError::new(
            tfe_orgs::validate::attribute_pointer(unknown),
            tfe_orgs::validate::rule::TYPE,
            format!("{unknown} is not an attribute of this release ({})", self.tfe_version()),
        )]))
    }

    /// An answer to `request` as this release sends it: attributes it lacks removed, the
    /// timeouts under their old names. The module-consumers `PATCH` answers 200 (the list as
    /// set) before `Current`.
    pub fn answer(self, request: &Request, segments: &[&str], response: Response) -> Response {
        if self == Release::Current {
            return response;
        }
        if request.method.eq_ignore_ascii_case("PATCH")
            && matches!(segments, ["admin", "organizations", _, "relationships", "module-consumers"])
            && response.status == 204
        {
            return Response { status: 200, body: request.body.clone() };
        }
        let Ok(mut doc) = serde_json::from_str::<Value>(&response.body) else {
            return response;
        };
        let mut resources: Vec<&mut Value> = Vec::new();
        let Some(object) = doc.as_object_mut() else { return response };
        for (key, value) in object.iter_mut() {
            match (key.as_str(), value) {
                ("data" | "included", Value::Array(items)) => resources.extend(items.iter_mut()),
                ("data", one @ Value::Object(_)) => resources.push(one),
                _ => {}
            }
        }
        for resource in resources {
            if self < Release::Current {
                if let Some(relationships) = resource.get_mut("relationships").and_then(Value::as_object_mut) {
                    relationships.remove("default-project");
                    relationships.remove("provider-producers");
                }
            }
            let Some(attributes) = resource.get_mut("attributes").and_then(Value::as_object_mut) else { continue };
            for key in self.lacks() {
                attributes.remove(key);
            }
            for (new, old) in RENAMED {
                if let Some(value) = attributes.remove(*new) {
                    attributes.insert(old.to_string(), value);
                }
            }
        }
        Response::json(response.status, &doc)
    }
}
