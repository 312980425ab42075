//! Explorer (explorer.md): an organization's `modules` and `providers` views — which versions
//! its workspaces use — and its `workspaces` and `tf_versions` views, drawn from the same
//! workspaces, a page at a time or as CSV, with the documented filters, operators, sort and
//! fields. 404 on releases before current, with `--explorer off`, and for a token that may not
//! read this organization's Explorer (its owners may; a site admin may, except where the
//! organization is marked `explorer_closed`, the case the documents leave open).
//!
//! explorer.md lists no fields for the workspaces and Terraform versions views; the sandbox
//! answers with those of HashiCorp's reference that its state can fill (`WORKSPACE_FIELDS`,
//! `TF_VERSION_FIELDS`), each workspace's Terraform version derived from its name.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use tfe_orgs::jsonapi::{ErrorObject, ErrorSource};
use tfe_orgs::model::{ExplorerFilter, ExplorerOperator, ExplorerQuery, ExplorerView};
use tfe_orgs::validate::ValidationError;

use crate::render;
use crate::state::{Org, UsedVersion};
use crate::{Caller, Request, Response, Sandbox};

/// The fields of the modules and providers views, in the documents' order.
const FIELDS: &[&str] = &["name", "source", "version", "registry_type", "curated", "workspace_count", "workspaces"];
/// The fields of the workspaces view the sandbox fills.
const WORKSPACE_FIELDS: &[&str] = &[
    "workspace_name",
    "organization_name",
    "workspace_terraform_version",
    "module_count",
    "modules",
    "provider_count",
    "providers",
];
/// The fields of the Terraform versions view.
const TF_VERSION_FIELDS: &[&str] = &["version", "workspace_count", "workspaces"];

/// The fields of `view`, in the order the answers and CSV give them.
fn fields_of(view: &ExplorerView) -> &'static [&'static str] {
    match view {
        ExplorerView::Workspaces => WORKSPACE_FIELDS,
        ExplorerView::TfVersions => TF_VERSION_FIELDS,
        _ => FIELDS,
    }
}

pub fn route(sandbox: &Sandbox, caller: &Caller, request: &Request, org: &Org, rest: &[&str]) -> Response {
    let readable = org.owners.contains(&caller.user_id) || (caller.site_admin && !org.explorer_closed);
    if sandbox.explorer_off || !readable {
        return Response::not_found();
    }
    let query = match ExplorerQuery::from_params(&request.params()) {
        Ok(q) => q,
        Err(errors) => return refused(&errors),
    };
    let rows = match rows_of(org, &query) {
        Ok(rows) => rows,
        Err(errors) => return refused(&errors),
    };
    let fields: Vec<&str> = if query.fields.is_empty() {
        fields_of(&query.view).to_vec()
    } else {
        query.fields.iter().map(String::as_str).collect()
    };
    match rest {
        [] => {
            let resources: Vec<Value> = rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let attributes: Map<String, Value> =
                        fields.iter().map(|f| (f.replace('_', "-"), row[*f].clone())).collect();
                    serde_json::json!({
                        "id": format!("{}-{}-{i}", kind_of(&query.view), org.external_id()),
                        "type": kind_of(&query.view),
                        "attributes": attributes,
                    })
                })
                .collect();
            Response::json(200, &render::paginate(request, &resources))
        }
        ["export", "csv"] => Response::csv(csv(&fields, &rows)),
        _ => Response::not_found(),
    }
}

/// `GET /admin/explorer-backfill-status` (TFE 1.2, marked not stable; its answer is not
/// documented): whether Explorer has taken in every existing workspace. 404 without Explorer.
pub fn backfill_status(sandbox: &Sandbox) -> Response {
    if sandbox.explorer_off {
        return Response::not_found();
    }
    let total: usize =
        sandbox.state.orgs.iter().map(|o| o.usage.iter().map(|u| u.workspaces.len()).sum::<usize>()).sum();
    let (status, processed) =
        if sandbox.explorer_backfilling { ("in_progress", total * 2 / 3) } else { ("completed", total) };
    Response::json(
        200,
        &serde_json::json!({ "data": { "id": "explorer-backfill", "type": "explorer-backfill-statuses", "attributes": {
            "status": status, "total-workspaces": total, "processed-workspaces": processed } } }),
    )
}

/// The rows' JSON:API type (the documents do not show one for these views).
fn kind_of(view: &ExplorerView) -> &'static str {
    match view {
        ExplorerView::Providers => "visibility-providers",
        ExplorerView::Workspaces => "visibility-workspaces",
        ExplorerView::TfVersions => "visibility-tf-versions",
        _ => "visibility-modules",
    }
}

/// 422 with each broken rule, pointing at its query parameter.
fn refused(errors: &[ValidationError]) -> Response {
    Response::errors(
        422,
        errors
            .iter()
            .map(|e| ErrorObject {
                status: Some("422".into()),
                title: Some("invalid query".into()),
                detail: Some(e.message.clone()),
                source: Some(ErrorSource { pointer: None, parameter: Some(e.field.clone()) }),
                ..Default::default()
            })
            .collect(),
    )
}

/// The view's rows (snake_case field → value), filtered and sorted as asked.
fn rows_of(org: &Org, query: &ExplorerQuery) -> Result<Vec<Map<String, Value>>, Vec<ValidationError>> {
    let view = query.view.as_str();
    let known = fields_of(&query.view);
    let mut errors = Vec::new();
    let unknown = |field: &str, parameter: String| {
        ValidationError::new(
            parameter,
            tfe_orgs::validate::Rule::Enum,
            format!("{field:?} is not a field of the {view} view (one of {})", known.join(", ")),
        )
    };
    for (i, f) in query.filters.iter().enumerate() {
        if !known.contains(&f.field.as_str()) {
            errors.push(unknown(&f.field, format!("filter[{i}]")));
        } else if let Some(e) = unfit(i, f) {
            errors.push(e);
        }
    }
    let sort = query.sort.as_deref().map(|s| (s.strip_prefix('-').unwrap_or(s), s.starts_with('-')));
    if let Some((field, _)) = sort.filter(|(f, _)| !known.contains(f)) {
        errors.push(unknown(field, "sort".into()));
    }
    for field in query.fields.iter().filter(|f| !known.contains(&f.as_str())) {
        errors.push(unknown(field, "fields".into()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let all: Vec<Map<String, Value>> = match query.view {
        ExplorerView::Workspaces => workspace_rows(org),
        ExplorerView::TfVersions => tf_version_rows(org),
        _ => org.usage.iter().filter(|u| u.view == view).map(row).collect(),
    };
    let mut rows: Vec<Map<String, Value>> =
        all.into_iter().filter(|r| query.filters.iter().all(|f| matches(f, &r[&f.field]))).collect();
    if let Some((field, descending)) = sort {
        rows.sort_by(|a, b| {
            let order = compare(&a[field], &b[field]);
            if descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    Ok(rows)
}

fn row(used: &UsedVersion) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("name".into(), used.name.clone().into());
    row.insert("source".into(), used.source.clone().into());
    row.insert("version".into(), used.version.clone().into());
    row.insert("registry_type".into(), used.registry_type.clone().into());
    row.insert("curated".into(), false.into());
    row.insert("workspace_count".into(), used.workspaces.len().into());
    row.insert("workspaces".into(), used.workspaces.join(",").into());
    row
}

/// Each workspace that uses something, with what it uses (`name version` of each module or
/// provider, comma-separated) and its Terraform version; ordered by name.
fn workspace_rows(org: &Org) -> Vec<Map<String, Value>> {
    let mut workspaces: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for used in &org.usage {
        for workspace in &used.workspaces {
            let (modules, providers) = workspaces.entry(workspace).or_default();
            let list = if used.view == "providers" { providers } else { modules };
            list.push(format!("{} {}", used.source, used.version));
        }
    }
    workspaces
        .into_iter()
        .map(|(name, (modules, providers))| {
            let mut row = Map::new();
            row.insert("workspace_name".into(), name.into());
            row.insert("organization_name".into(), org.name().into());
            row.insert("workspace_terraform_version".into(), release_text(terraform_release(name)).into());
            row.insert("module_count".into(), modules.len().into());
            row.insert("modules".into(), modules.join(",").into());
            row.insert("provider_count".into(), providers.len().into());
            row.insert("providers".into(), providers.join(",").into());
            row
        })
        .collect()
}

/// One row per Terraform version in use, with its workspaces; ordered by version.
fn tf_version_rows(org: &Org) -> Vec<Map<String, Value>> {
    let names: BTreeSet<&str> = org.usage.iter().flat_map(|u| u.workspaces.iter().map(String::as_str)).collect();
    let mut versions: BTreeMap<(u64, u64), Vec<&str>> = BTreeMap::new();
    for name in names {
        versions.entry(terraform_release(name)).or_default().push(name);
    }
    versions
        .into_iter()
        .map(|((minor, patch), workspaces)| {
            let mut row = Map::new();
            row.insert("version".into(), release_text((minor, patch)).into());
            row.insert("workspace_count".into(), workspaces.len().into());
            row.insert("workspaces".into(), workspaces.join(",").into());
            row
        })
        .collect()
}

/// A workspace's Terraform version, `1.MINOR.PATCH`, from its name: the same on every answer.
fn terraform_release(workspace: &str) -> (u64, u64) {
    let h = crate::usage::hash(&[workspace, "terraform"]);
    (5 + h % 5, (h >> 8) % 6)
}

fn release_text((minor, patch): (u64, u64)) -> String {
    format!("1.{minor}.{patch}")
}

/// A filter these fields cannot answer: a comparison of a text field, a date operator.
fn unfit(i: usize, f: &ExplorerFilter) -> Option<ValidationError> {
    use ExplorerOperator::*;
    let rule = tfe_orgs::validate::Rule::Type;
    match f.operator {
        Gt | Lt | Gteq | Lteq if f.value.trim().parse::<f64>().is_err() => Some(ValidationError::new(
            format!("filter[{i}]"),
            rule,
            format!("filter {i}: {} needs a number, got {:?}", f.operator.as_str(), f.value),
        )),
        IsBefore | IsAfter => Some(ValidationError::new(
            format!("filter[{i}]"),
            rule,
            format!("filter {i}: {} needs a date field; {} is not one", f.operator.as_str(), f.field),
        )),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn matches(filter: &ExplorerFilter, value: &Value) -> bool {
    use ExplorerOperator::*;
    let have = text(value);
    let (have_lower, want_lower) = (have.to_lowercase(), filter.value.to_lowercase());
    let number = |s: &str| s.trim().parse::<f64>().ok();
    let numbers = || number(&have).zip(number(&filter.value));
    match filter.operator {
        Is => have_lower == want_lower,
        IsNot => have_lower != want_lower,
        Contains => have_lower.contains(&want_lower),
        DoesNotContain => !have_lower.contains(&want_lower),
        IsEmpty => have.is_empty(),
        IsNotEmpty => !have.is_empty(),
        Gt => numbers().is_some_and(|(a, b)| a > b),
        Lt => numbers().is_some_and(|(a, b)| a < b),
        Gteq => numbers().is_some_and(|(a, b)| a >= b),
        Lteq => numbers().is_some_and(|(a, b)| a <= b),
        _ => false,
    }
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => text(a).to_lowercase().cmp(&text(b).to_lowercase()),
    }
}

/// The view as CSV: a header of snake_case field names, then a line per row (RFC 4180 quoting).
fn csv(fields: &[&str], rows: &[Map<String, Value>]) -> String {
    let cell = |s: String| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = fields.join(",");
    out.push_str("\r\n");
    for row in rows {
        let line: Vec<String> = fields.iter().map(|f| cell(text(&row[*f]))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
