//! Explorer (explorer.md): the `modules` and `providers` views of an organization — which
//! module or provider versions its workspaces use — and the query that asks for them.
//!
//! The documents publish no sample answer for these two views and name their attributes in
//! snake_case in parameters but kebab-case in the workspace view's JSON, so a row is read
//! leniently: either spelling, a count as a number or a numeric string, the workspaces as a
//! comma-separated string or a list.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum;
use crate::validate::{Rule, ValidationError};

string_enum! {
    /// `type`: which view of the organization.
    pub enum ExplorerView {
        Modules = "modules" => "Modules",
        Providers = "providers" => "Providers",
        Workspaces = "workspaces" => "Workspaces",
        TfVersions = "tf_versions" => "Terraform versions",
    }
}

string_enum! {
    /// A filter's operator (the documents' prose writes them with spaces; clients send these).
    pub enum ExplorerOperator {
        Is = "is" => "is",
        IsNot = "is_not" => "is not",
        Contains = "contains" => "contains",
        DoesNotContain = "does_not_contain" => "does not contain",
        IsEmpty = "is_empty" => "is empty",
        IsNotEmpty = "is_not_empty" => "is not empty",
        Gt = "gt" => "greater than",
        Lt = "lt" => "less than",
        Gteq = "gteq" => "at least",
        Lteq = "lteq" => "at most",
        IsBefore = "is_before" => "is before",
        IsAfter = "is_after" => "is after",
    }
}

/// One filter: `filter[N][FIELD][OPERATOR][0]=VALUE` (several are ANDed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplorerFilter {
    /// A snake_case field name (`registry_type`).
    pub field: String,
    pub operator: ExplorerOperator,
    /// Ignored by `is_empty` / `is_not_empty`.
    #[serde(default)]
    pub value: String,
}

/// What to ask a view for: its filters, order, fields and page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplorerQuery {
    pub view: ExplorerView,
    pub filters: Vec<ExplorerFilter>,
    /// A field name, `-` in front for descending (`-workspace_count`).
    pub sort: Option<String>,
    /// The fields to return (all when empty).
    pub fields: Vec<String>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl ExplorerQuery {
    /// Every row of `view`, no filter.
    pub fn of(view: ExplorerView) -> Self {
        ExplorerQuery { view, filters: Vec::new(), sort: None, fields: Vec::new(), page_number: None, page_size: None }
    }

    /// Add a filter.
    pub fn filter(mut self, field: &str, operator: ExplorerOperator, value: &str) -> Self {
        self.filters.push(ExplorerFilter { field: field.into(), operator, value: value.into() });
        self
    }

    /// The broken rules, each naming its parameter: field names are snake_case words, the
    /// page size 1 to 100, an operator one the documents list.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        let name_ok =
            |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        for (i, f) in self.filters.iter().enumerate() {
            if !name_ok(&f.field) {
                let message =
                    format!("filter {i}: {:?} is not a field name (snake_case, such as registry_type)", f.field);
                errors.push(ValidationError::new(format!("filter[{i}]"), Rule::Charset, message));
            }
            if !f.operator.is_known() {
                let message = format!(
                    "filter {i}: {:?} is not an operator (one of {})",
                    f.operator.as_str(),
                    ExplorerOperator::KNOWN.join(", ")
                );
                errors.push(ValidationError::new(format!("filter[{i}]"), Rule::Enum, message));
            }
        }
        if let Some(sort) = &self.sort {
            if !name_ok(sort.strip_prefix('-').unwrap_or(sort)) {
                errors.push(ValidationError::new(
                    "sort",
                    Rule::Charset,
                    format!("sort: {sort:?} is not a field name, - in front for descending"),
                ));
            }
        }
        for field in self.fields.iter().filter(|f| !name_ok(f)) {
            errors.push(ValidationError::new(
                "fields",
                Rule::Charset,
                format!("fields: {field:?} is not a field name"),
            ));
        }
        if let Some(size) = self.page_size.filter(|s| !(1..=100).contains(s)) {
            errors.push(ValidationError::new(
                "page[size]",
                Rule::Range,
                format!("page[size] must be 1 to 100, got {size}"),
            ));
        }
        if !self.view.is_known() {
            let message =
                format!("type: {:?} is not a view (one of {})", self.view.as_str(), ExplorerView::KNOWN.join(", "));
            errors.push(ValidationError::new("type", Rule::Enum, message));
        }
        errors
    }

    /// The query a request's parameters ask for (`type`, `filter[N][FIELD][OPERATOR][0]`, `sort`,
    /// `fields`, `page[…]`), with the rules [`ExplorerQuery::validate`] checks; what a server reads.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let view = match params.iter().find(|(k, _)| k == "type") {
            Some((_, v)) => ExplorerView::from(v.as_str()),
            None => {
                errors.push(ValidationError::new(
                    "type",
                    Rule::Required,
                    "type is required (modules, providers, workspaces or tf_versions)",
                ));
                ExplorerView::Modules
            }
        };
        let mut query = ExplorerQuery::of(view);
        let mut filters: Vec<(u32, ExplorerFilter)> = Vec::new();
        for (key, value) in params {
            if let Some(rest) = key.strip_prefix("filter[") {
                // N][FIELD][OPERATOR][0]
                let parts: Vec<&str> = rest.trim_end_matches(']').split("][").collect();
                match parts.as_slice() {
                    [n, field, operator, "0"] if n.parse::<u32>().is_ok() => filters.push((
                        n.parse().unwrap_or_default(),
                        ExplorerFilter {
                            field: field.to_string(),
                            operator: ExplorerOperator::from(*operator),
                            value: value.clone(),
                        },
                    )),
                    _ => errors.push(ValidationError::new(
                        key.clone(),
                        Rule::Type,
                        format!("{key}: a filter is filter[N][FIELD][OPERATOR][0]"),
                    )),
                }
            }
        }
        filters.sort_by_key(|(n, _)| *n);
        query.filters = filters.into_iter().map(|(_, f)| f).collect();
        let number = |key: &str, errors: &mut Vec<ValidationError>| {
            let (_, v) = params.iter().find(|(k, _)| k == key)?;
            v.trim().parse::<u32>().ok().filter(|n| *n >= 1).or_else(|| {
                errors.push(ValidationError::new(
                    key,
                    Rule::Range,
                    format!("{key} must be a whole number from 1, got {v:?}"),
                ));
                None
            })
        };
        query.page_number = number("page[number]", &mut errors);
        query.page_size = number("page[size]", &mut errors);
        query.sort = params.iter().find(|(k, _)| k == "sort").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        query.fields = params
            .iter()
            .find(|(k, _)| k == "fields")
            .map(|(_, v)| v.split(',').map(str::trim).filter(|f| !f.is_empty()).map(String::from).collect())
            .unwrap_or_default();
        errors.extend(query.validate());
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    /// The query parameters, in the documents' form.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut out = vec![("type".to_string(), self.view.as_str().to_string())];
        for (i, f) in self.filters.iter().enumerate() {
            out.push((format!("filter[{i}][{}][{}][0]", f.field, f.operator.as_str()), f.value.clone()));
        }
        if let Some(sort) = &self.sort {
            out.push(("sort".into(), sort.clone()));
        }
        if !self.fields.is_empty() {
            out.push(("fields".into(), self.fields.join(",")));
        }
        if let Some(n) = self.page_number {
            out.push(("page[number]".into(), n.to_string()));
        }
        if let Some(n) = self.page_size {
            out.push(("page[size]".into(), n.to_string()));
        }
        out
    }
}

/// Where a module or provider comes from, parsed from `source`: a private module
/// `HOST/ORGANIZATION/NAME/PROVIDER`, a provider `HOST/NAMESPACE/NAME` (the host may be left out:
/// the public registry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrySource {
    pub host: Option<String>,
    /// The module's organization, or the provider's namespace.
    pub owner: String,
    pub name: String,
    /// A module's provider (`aws`); `None` for a provider.
    pub provider: Option<String>,
}

impl RegistrySource {
    /// `source` as a module's (`view` modules) or a provider's; `None` when it is neither (a
    /// git or local source).
    pub fn parse(source: &str, view: &ExplorerView) -> Option<RegistrySource> {
        let parts: Vec<&str> = source.trim().trim_matches('/').split('/').collect();
        if parts.iter().any(|p| p.is_empty()) || source.contains("://") || source.starts_with('.') {
            return None;
        }
        let host = |p: &str| Some(p.to_string());
        match (view, parts.as_slice()) {
            (ExplorerView::Modules, [h, o, n, p]) => Some(RegistrySource {
                host: host(h),
                owner: o.to_string(),
                name: n.to_string(),
                provider: Some(p.to_string()),
            }),
            (ExplorerView::Modules, [o, n, p]) => Some(RegistrySource {
                host: None,
                owner: o.to_string(),
                name: n.to_string(),
                provider: Some(p.to_string()),
            }),
            (ExplorerView::Providers, [h, o, n]) => {
                Some(RegistrySource { host: host(h), owner: o.to_string(), name: n.to_string(), provider: None })
            }
            (ExplorerView::Providers, [o, n]) => {
                Some(RegistrySource { host: None, owner: o.to_string(), name: n.to_string(), provider: None })
            }
            _ => None,
        }
    }
}

/// One row of the modules or providers view: one version in use.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ExplorerRowAttributes {
    pub name: String,
    pub source: String,
    pub version: Option<String>,
    /// `public` or `private`, where sent.
    pub registry_type: Option<String>,
    pub curated: Option<bool>,
    pub workspace_count: u32,
    pub workspaces: Vec<String>,
    /// Attributes not read above, as sent.
    pub extra: Map<String, Value>,
}

impl crate::jsonapi::ResourceKind for ExplorerRowAttributes {
    /// The documents do not say the rows' type: any is taken.
    const TYPES: &'static [&'static str] = &[];
}

impl<'de> Deserialize<'de> for ExplorerRowAttributes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Ok(ExplorerRowAttributes::from_map(map))
    }
}

impl ExplorerRowAttributes {
    /// A row from its attributes, whichever spelling they use (`workspace-count`,
    /// `workspace_count`).
    pub fn from_map(map: Map<String, Value>) -> Self {
        let mut row = ExplorerRowAttributes::default();
        let counted = map.keys().any(|k| k.replace('-', "_") == "workspace_count");
        for (key, value) in map {
            let text = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match key.replace('-', "_").as_str() {
                "name" => row.name = text(&value).unwrap_or_default(),
                "source" => row.source = text(&value).unwrap_or_default(),
                "version" => row.version = text(&value),
                "registry_type" => row.registry_type = text(&value),
                "curated" => row.curated = value.as_bool(),
                "workspace_count" => {
                    row.workspace_count = text(&value).and_then(|t| t.trim().parse().ok()).unwrap_or_default()
                }
                "workspaces" => {
                    row.workspaces = match value {
                        Value::Array(items) => items.iter().filter_map(text).collect(),
                        Value::String(s) => {
                            s.split(',').map(str::trim).filter(|w| !w.is_empty()).map(String::from).collect()
                        }
                        _ => Vec::new(),
                    }
                }
                _ => {
                    row.extra.insert(key, value);
                }
            }
        }
        // Asked only for the names (`fields=…,workspaces`): they are the count.
        if !counted {
            row.workspace_count = u32::try_from(row.workspaces.len()).unwrap_or(u32::MAX);
        }
        row
    }

    /// Private, as sent; a row without `registry_type` counts as private when its source is
    /// one of the instance's organizations (the caller knows which).
    pub fn is_private(&self) -> Option<bool> {
        self.registry_type.as_deref().map(|t| t.eq_ignore_ascii_case("private"))
    }
}

/// A row of a view.
pub type ExplorerRow = crate::jsonapi::Resource<ExplorerRowAttributes>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_without_a_count_counts_its_workspaces_and_a_sent_count_stands() {
        let row = |v: Value| ExplorerRowAttributes::from_map(v.as_object().unwrap().clone());
        let names_only = row(serde_json::json!({ "source": "acme/network/aws", "workspaces": "a, b,c" }));
        assert_eq!(names_only.workspaces, ["a", "b", "c"]);
        assert_eq!(names_only.workspace_count, 3);
        // A count without names (fields=workspace_count), and one that says more than the names.
        assert_eq!(row(serde_json::json!({ "workspace_count": 7 })).workspace_count, 7);
        assert_eq!(row(serde_json::json!({ "workspace-count": "9", "workspaces": ["a"] })).workspace_count, 9);
    }
}
