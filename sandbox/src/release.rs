//! The eras of current-tfe.md: which attributes an answer carries and under which names, which
//! endpoints exist (404 otherwise), how the module-consumers `PATCH` answers, `X-TFE-Version`.
//! The handlers always work on the current model; this module turns their answers into an
//! older release's, and refuses what an older release does not know, at the edge of the core.

use serde_json::Value;

use crate::{Request, Response};

/// A TFE release, by the era whose behaviour it has: the library's [`Era`], whose attribute
/// declarations say which era introduced each attribute and which name older ones use.
pub use tfe_orgs::model::Era as Release;
use tfe_orgs::model::Era;

/// Query parameters older eras do not know (and so ignore).
const SEARCH: &[&str] = &["q[name]", "q[email]", "filter[module_producer]"];

/// How a release behaves: derived from the models' attribute declarations ([`Era`] is the
/// library's; the behaviour is the sandbox's).
pub trait Behaviour: Sized {
    /// What `X-TFE-Version` says.
    fn tfe_version(self) -> &'static str;
    /// The attributes this release does not have.
    fn lacks(self) -> impl Iterator<Item = &'static str>;
    /// Current name → the name this release uses, for each attribute renamed since.
    fn renamed(self) -> impl Iterator<Item = (&'static str, &'static str)>;
    fn has_endpoint(self, segments: &[&str]) -> bool;
    fn read(self, request: &Request) -> Option<Request>;
    fn refuse(self, request: &Request) -> Option<Response>;
    fn answer(self, request: &Request, segments: &[&str], response: Response) -> Response;
}

impl Behaviour for Era {
    fn tfe_version(self) -> &'static str {
        match self {
            Era::R202012 => "v202012-1",
            Era::R202103 => "v202103-1",
            Era::R202301 => "v202301-1",
            Era::Current => "v202507-1",
        }
    }

    fn lacks(self) -> impl Iterator<Item = &'static str> {
        tfe_orgs::model::every_attribute().filter(move |f| !f.in_era(Some(self))).map(|f| f.key)
    }

    /// Older names are those of the releases before `Current` (current-tfe.md).
    fn renamed(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        tfe_orgs::model::every_attribute().filter(move |_| self < Era::Current).filter_map(|f| Some((f.key, f.alias?)))
    }

    /// Whether this release has the endpoint `method path` (segments after `/api/v2/`).
    fn has_endpoint(self, segments: &[&str]) -> bool {
        match segments {
            ["admin", "organizations", _, "relationships", "module-consumers"] => self >= Era::R202103,
            ["admin", "organizations", _, "relationships", "provider-consumers"]
            | ["admin", "organizations", _, "registry-partnerships"]
            | ["organizations", _, "relationships", "provider-producers"] => self >= Era::R202301,
            // Explorer came with TFE 1.0 (explorer.md): the current era only.
            ["organizations", _, "explorer", ..] | ["admin", "explorer-backfill-status"] => self >= Era::Current,
            _ => true,
        }
    }

    /// The request as this release reads it: parameters it does not know are dropped.
    fn read(self, request: &Request) -> Option<Request> {
        if self >= Era::R202103 {
            return None;
        }
        let unknown = |k: &str| SEARCH.contains(&k) || (self < Era::R202301 && k == "filter[provider_producer]");
        let params = request.params();
        if !params.iter().any(|(k, _)| unknown(k)) {
            return None;
        }
        let kept: Vec<(String, String)> = params.into_iter().filter(|(k, _)| !unknown(k)).collect();
        Some(Request { query: tfe_orgs::query::to_query(&kept), ..request.clone() })
    }

    /// A 422 for a write naming an attribute this release does not know (current-tfe.md: older
    /// releases refuse them), or for the current timeout names before they existed.
    fn refuse(self, request: &Request) -> Option<Response> {
        if self == Era::Current || !matches!(request.method.to_ascii_uppercase().as_str(), "POST" | "PATCH") {
            return None;
        }
        let body: Value = serde_json::from_str(&request.body).ok()?;
        let attributes = body.pointer("/data/attributes")?.as_object()?;
        let unknown = attributes
            .keys()
            .find(|k| self.lacks().chain(self.renamed().map(|(new, _)| new)).any(|u| u == k.as_str()))?;
        Some(Response::invalid(&[tfe_orgs::validate::ValidationError::new(
            tfe_orgs::validate::attribute_pointer(unknown),
            tfe_orgs::validate::Rule::Type,
            format!("{unknown} is not an attribute of this release ({})", self.tfe_version()),
        )]))
    }

    /// An answer to `request` as this release sends it: attributes it lacks removed, the
    /// timeouts under their old names. The module-consumers `PATCH` answers 200 (the list as
    /// set) before `Current`.
    fn answer(self, request: &Request, segments: &[&str], response: Response) -> Response {
        if self == Era::Current {
            return response;
        }
        if request.method.eq_ignore_ascii_case("PATCH")
            && matches!(segments, ["admin", "organizations", _, "relationships", "module-consumers"])
            && response.status == 204
        {
            return Response { status: 200, body: request.body.clone(), ..Response::no_content() };
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
            if self < Era::Current {
                if let Some(relationships) = resource.get_mut("relationships").and_then(Value::as_object_mut) {
                    relationships.remove("default-project");
                    relationships.remove("provider-producers");
                }
            }
            let Some(attributes) = resource.get_mut("attributes").and_then(Value::as_object_mut) else { continue };
            for key in self.lacks() {
                attributes.remove(key);
            }
            for (new, old) in self.renamed() {
                if let Some(value) = attributes.remove(new) {
                    attributes.insert(old.to_string(), value);
                }
            }
        }
        Response::json(response.status, &doc)
    }
}
