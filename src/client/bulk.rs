//! Bulk admin changes: one set of admin attributes applied to many organizations, with a plan
//! first (what each organization has now and what it would get, skipping those already so), the
//! writes fanned out under the rate limiter, a stop that ends the run after the writes in
//! flight, and one result per organization.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde_json::{Map, Value};

use super::fan_out::fan_out;
use super::{check, org_segment, Client, Error, ErrorKind};
use crate::model::{AdminOrganization, AdminOrganizationUpdate};
use crate::query::ListOptions;
use crate::transport::Transport;
use crate::validate;
use crate::validate::Rule;

/// Above this many names the plan reads the whole admin list (100 per request) instead of one
/// organization per request.
const READ_ONE_BY_ONE: usize = 50;

/// One attribute an organization would get: its JSON name, the value now, the value after.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: String,
    pub from: Value,
    pub to: Value,
}

/// What happened to one organization.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Dry run: it would change as `changes` say.
    Planned,
    /// It already had every value: nothing was sent.
    Unchanged,
    /// Written; the instance answered with the new values.
    Updated,
    /// Not read, refused, or its write failed (an `outcome-unknown` error may have been applied).
    Failed(Error),
    /// The run was stopped before its write was sent.
    NotSent,
}

/// One organization of a bulk run.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkItem {
    pub name: String,
    pub changes: Vec<Change>,
    pub outcome: Outcome,
}

/// How far the writes of a bulk run have got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkProgress {
    /// Writes answered (updated or failed).
    pub done: usize,
    /// Writes to send in all (organizations that change).
    pub total: usize,
    pub failed: usize,
}

/// A model as a JSON object, through its text: the serializers and parsers the client already
/// has (a `serde_json::Value` serializer per model would cost the wasm build ~10 KB gzip).
fn as_object<T: serde::Serialize>(value: &T) -> Map<String, Value> {
    serde_json::to_string(value).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

/// The admin attributes set in `body`, by JSON name.
fn set_fields(body: &AdminOrganizationUpdate) -> Map<String, Value> {
    as_object(body)
}

/// What `org` would get from `wanted`: the attributes whose value differs.
fn changes(org: &AdminOrganization, wanted: &Map<String, Value>) -> Vec<Change> {
    let now = as_object(&org.attributes);
    wanted
        .iter()
        .filter_map(|(field, to)| {
            let from = now.get(field).cloned().unwrap_or(Value::Null);
            (from != *to).then(|| Change { field: field.clone(), from, to: to.clone() })
        })
        .collect()
}

/// The body that writes only `changes`.
fn body_of(changes: &[Change]) -> AdminOrganizationUpdate {
    let mut map = Map::new();
    for c in changes {
        map.insert(c.field.clone(), c.to.clone());
    }
    crate::jsonapi::decode(&Value::Object(map).to_string()).unwrap_or_default()
}

impl<T: Transport> Client<T> {
    /// Apply `body` to every organization in `names`. First the plan: each organization is read
    /// (one by one, or the whole admin list for many) and gets only the attributes whose value
    /// differs; those already so are `Unchanged` and get no request. With `dry_run` that plan is
    /// the result. Otherwise the writes go out under the rate limiter, as many in flight as the
    /// latency needs ([`Client::fan_out`]); each PATCH sets a state, so it is retried as the
    /// retry policy allows (a lost answer ends `Failed` with `outcome-unknown`, never a false
    /// failure). `stop()` is asked before each write: once it says so, the writes in flight
    /// finish and the rest are `NotSent`. Items come back in the order of `names`.
    ///
    /// ```no_run
    /// # async fn run(client: tfe_orgs::Client<impl tfe_orgs::transport::Transport>) -> Result<(), tfe_orgs::client::Error> {
    /// use tfe_orgs::model::AdminOrganizationUpdate;
    /// let names = vec!["acme".to_string(), "globex".to_string()];
    /// let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
    /// let items = client.admin_update_many(&names, &body, false, || false, |p| eprintln!("{}/{}", p.done, p.total)).await?;
    /// println!("{} items", items.len());
    /// # Ok(()) }
    /// ```
    pub async fn admin_update_many(
        &self,
        names: &[String],
        body: &AdminOrganizationUpdate,
        dry_run: bool,
        stop: impl Fn() -> bool,
        mut on_progress: impl FnMut(BulkProgress),
    ) -> Result<Vec<BulkItem>, Error> {
        check(validate::admin_organization_update(body))?;
        let wanted = set_fields(body);
        if wanted.is_empty() {
            return Err(Error::validation(vec![validate::ValidationError::new(
                "attributes",
                Rule::Required,
                "set at least one admin attribute to change",
            )]));
        }
        let current = self.read_for_plan(names, &stop).await?;
        let mut items: Vec<BulkItem> = names
            .iter()
            .map(|name| {
                let (changes, outcome) = match current.get(name) {
                    Some(Ok(org)) => {
                        let changes = changes(org, &wanted);
                        let outcome = match (changes.is_empty(), dry_run) {
                            (true, _) => Outcome::Unchanged,
                            (false, true) => Outcome::Planned,
                            (false, false) => Outcome::NotSent,
                        };
                        (changes, outcome)
                    }
                    Some(Err(e)) => (Vec::new(), Outcome::Failed(e.clone())),
                    None => (Vec::new(), Outcome::NotSent),
                };
                BulkItem { name: name.clone(), changes, outcome }
            })
            .collect();
        if dry_run {
            return Ok(items);
        }
        let to_write: Vec<usize> = (0..items.len()).filter(|&i| items[i].outcome == Outcome::NotSent).collect();
        let mut progress = BulkProgress { done: 0, total: to_write.len(), failed: 0 };
        on_progress(progress);
        let writes: Vec<(usize, String, AdminOrganizationUpdate)> =
            to_write.iter().map(|&i| (i, items[i].name.clone(), body_of(&items[i].changes))).collect();
        let results = RefCell::new(Vec::new());
        let write = |(i, name, body): (usize, String, AdminOrganizationUpdate)| async move {
            (i, self.admin_update(&name, &body).await)
        };
        fan_out(
            writes,
            || self.fan_out(),
            &stop,
            write,
            |(i, result)| {
                progress.done += 1;
                progress.failed += usize::from(result.is_err());
                on_progress(progress);
                results.borrow_mut().push((i, result));
                ControlFlow::Continue(())
            },
        )
        .await;
        for (i, result) in results.into_inner() {
            items[i].outcome = match result {
                Ok(_) => Outcome::Updated,
                Err(e) => Outcome::Failed(e),
            };
        }
        Ok(items)
    }

    /// The current admin organization of each name (or why it could not be read).
    async fn read_for_plan(
        &self,
        names: &[String],
        stop: &impl Fn() -> bool,
    ) -> Result<BTreeMap<String, Result<AdminOrganization, Error>>, Error> {
        let mut out = BTreeMap::new();
        let valid: Vec<String> = names
            .iter()
            .filter(|name| match org_segment(name) {
                Ok(_) => true,
                Err(e) => {
                    out.insert((*name).clone(), Err(e));
                    false
                }
            })
            .cloned()
            .collect();
        if valid.len() > READ_ONE_BY_ONE {
            let all = self.admin_list_all(&ListOptions::default(), &mut |_| {}).await?;
            // TFE's names are case-insensitive: `Acme` reads `acme`, as `admin_read` would.
            let by_name: BTreeMap<String, AdminOrganization> = super::map_of(
                all.into_iter()
                    .map(|o| (o.attributes.name.clone().unwrap_or_else(|| o.id.clone()).to_ascii_lowercase(), o)),
            );
            for name in valid {
                let found = by_name.get(&name.to_ascii_lowercase()).cloned().ok_or_else(|| {
                    Error::new(ErrorKind::NotFound, format!("{name}: no such organization on the instance"))
                });
                out.insert(name, found);
            }
        } else {
            let read = |name: String| async move {
                let result = self.admin_read(&name).await;
                (name, result)
            };
            fan_out(
                valid,
                || self.fan_out(),
                stop,
                read,
                |(name, result)| {
                    out.insert(name, result);
                    ControlFlow::Continue(())
                },
            )
            .await;
        }
        Ok(out)
    }
}
