//! Configuration as data for JavaScript: `checkSnapshot`, `diff`, `plan` (pure) and the
//! client's `snapshot` and `apply`. Documents cross as plain objects (or their JSON text) in the
//! `tfe-orgs/snapshot@1` format, whose schema the package ships as `snapshot.schema.json`.

use wasm_bindgen::prelude::*;

use super::client::{
    abort_signal, attach_errors, bulk_options, each_option, function, serde_wasm, BulkOptions, TfeClient,
};
use super::errors::validation_error;
use crate::client::{Applied, ConfigProgress};
use crate::snapshot::{self, Snapshot, SnapshotPlan};
use crate::validate::{Rule, ValidationError};

/// A document from JavaScript: its JSON text, or an object (written as JSON first).
fn text_of(value: &JsValue) -> String {
    match value.as_string() {
        Some(text) => text,
        None => js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default(),
    }
}

/// Every problem of a document, as one validation `TfeError` naming the first (its `field`
/// and `rule`) and listing them all in the message.
fn problems_error(what: &str, problems: &[ValidationError]) -> JsValue {
    let mut message = format!("{what} is not a valid tfe-orgs snapshot:");
    for p in problems.iter().take(20) {
        message.push_str(&format!("\n  {}: {}", p.field, p.message));
    }
    if problems.len() > 20 {
        message.push_str(&format!("\n  and {} more", problems.len() - 20));
    }
    let first = &problems[0];
    validation_error(&format!("{what}{}", first.field.trim_end_matches('/')), first.rule, message)
}

fn document(value: &JsValue, what: &str) -> Result<Snapshot, JsValue> {
    Snapshot::parse(&text_of(value)).map_err(|problems| problems_error(what, &problems))
}

/// Every problem of a snapshot document (`[]`: none), each with the JSON pointer of what is
/// wrong (`/organizations/acme/admin/plan-timeout`), the rule and a message.
#[wasm_bindgen(js_name = checkSnapshot, unchecked_return_type = "SnapshotProblem[]")]
pub fn check_snapshot(
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] doc: JsValue,
) -> Result<JsValue, JsValue> {
    let problems = Snapshot::parse(&text_of(&doc)).err().unwrap_or_default();
    let list: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| serde_json::json!({ "field": p.field, "rule": p.rule.as_str(), "message": p.message }))
        .collect();
    serde_wasm(&list)
}

/// A document as a JavaScript object: an object as is, JSON text through `JSON.parse`.
fn object_of(value: &JsValue, what: &str) -> Result<JsValue, JsValue> {
    let object = match value.as_string() {
        Some(text) => js_sys::JSON::parse(&text)
            .map_err(|_| validation_error(what, Rule::Type, format!("{what} is not a tfe-orgs snapshot: not JSON")))?,
        None => value.clone(),
    };
    if !object.is_object() {
        return Err(validation_error(what, Rule::Type, format!("{what} is not a tfe-orgs snapshot: not an object")));
    }
    Ok(object)
}

// Which organizations differ between two documents, in JavaScript: each organization is
// compared where it lives (the same keys and values; lists in the same order), and only those
// that differ (and those only one side has) cross into the library, where they are read and
// compared by its rules. What it returns is each document as JSON text, narrowed.
// CommonJS: this module is in the nodejs build only, whose glue `require`s its snippets.
#[wasm_bindgen(inline_js = r#"
module.exports.narrow = function narrow(a, b) {
  const orgsA = a.organizations, orgsB = b.organizations;
  const outA = {}, outB = {};
  const isMap = (o) => o !== null && typeof o === 'object' && !Array.isArray(o);
  const same = (x, y) => {
    if (x === y) return true;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((v, i) => same(v, y[i]));
    if (Array.isArray(y)) return false;
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && same(x[k], y[k]));
  };
  if (isMap(orgsA) && isMap(orgsB)) {
    for (const name of Object.keys(orgsA)) {
      if (Object.hasOwn(orgsB, name) && same(orgsA[name], orgsB[name])) continue;
      outA[name] = orgsA[name];
      if (Object.hasOwn(orgsB, name)) outB[name] = orgsB[name];
    }
    for (const name of Object.keys(orgsB)) if (!Object.hasOwn(orgsA, name)) outB[name] = orgsB[name];
  }
  const keep = (doc, orgs, out) => JSON.stringify({ ...doc, ...(orgs === undefined ? {} : { organizations: isMap(orgs) && isMap(orgsA) && isMap(orgsB) ? out : orgs }) });
  return [keep(a, orgsA, outA), keep(b, orgsB, outB)];
};
"#)]
extern "C" {
    fn narrow(a: &JsValue, b: &JsValue) -> js_sys::Array;
}

/// The two documents as [`Snapshot`]s of only the organizations whose JSON differs between
/// them (one side's only ones included): an organization written the same in both has no
/// difference and needs no write, so it is neither copied into the library nor read. What is
/// read is checked: its structure, and with `rules` each value's rules (`checkSnapshot` checks
/// every organization in full).
fn narrowed(a: &JsValue, b: &JsValue, names: [&str; 2], rules: bool) -> Result<(Snapshot, Snapshot), JsValue> {
    let pair = narrow(&object_of(a, names[0])?, &object_of(b, names[1])?);
    let text = |i: u32| pair.get(i).as_string().unwrap_or_default();
    let read = if rules { Snapshot::parse } else { Snapshot::read };
    let a = read(&text(0)).map_err(|p| problems_error(names[0], &p))?;
    let b = read(&text(1)).map_err(|p| problems_error(names[1], &p))?;
    Ok((a, b))
}

/// What differs from `a` to `b`: every field `a` names that `b` holds otherwise, consumers
/// added and removed, organizations `a` names that `b` lacks (`missing`) and those only `b` has
/// (`extra`). Pure: no request. Organizations written the same in both are skipped unread; the
/// others are read for their structure (`checkSnapshot` and `plan` also check each value's rules).
#[wasm_bindgen(unchecked_return_type = "SnapshotDifference[]")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] b: JsValue,
) -> Result<JsValue, JsValue> {
    let (a, b) = narrowed(&a, &b, ["a", "b"], false)?;
    serde_wasm(&snapshot::diff(&a, &b))
}

/// The writes that make an instance holding `live` hold `desired`: per organization only what
/// differs, sharing in the order that never over-shares; organizations `desired` names and
/// `live` lacks are listed under `missing`, never created. Pure: no request.
#[wasm_bindgen(unchecked_return_type = "SnapshotPlan")]
pub fn plan(
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] desired: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] live: JsValue,
) -> Result<JsValue, JsValue> {
    let (desired, live) = narrowed(&desired, &live, ["desired", "live"], true)?;
    serde_wasm(&snapshot::plan(&desired, &live))
}

/// The undo of a plan: what it touches as `live` holds it now (a partial snapshot). Keep it
/// before `apply`; applying it (`plan(undo, liveAfter)`, then `apply`) puts those
/// organizations back and leaves the rest alone. Pure: no request.
#[wasm_bindgen(js_name = undoOf, unchecked_return_type = "Snapshot")]
pub fn undo_of(
    #[wasm_bindgen(unchecked_param_type = "SnapshotPlan | string")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] live: JsValue,
) -> Result<JsValue, JsValue> {
    serde_wasm(&snapshot::undo_of(&plan_of(&plan)?, &document(&live, "live")?))
}

/// The partial snapshot document that revokes the grants `revoke` (unused ones among `grants`,
/// as `grantUsage` returned them; every unused grant when left out): each affected producer's
/// consumer list as `grants` holds it (pass every grant `grantUsage` returned) minus those;
/// `revokeNow` reads the lists from the instance instead. `plan` and `apply` it like any document (with `undoOf` kept first):
/// no second write path. Used, unknown and global grants are never revoked. Pure: no request.
#[wasm_bindgen(js_name = revokeDocument, unchecked_return_type = "Snapshot")]
pub fn revoke_document(
    #[wasm_bindgen(unchecked_param_type = "GrantUsage[]")] grants: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GrantUsage[] | null | undefined")] revoke: JsValue,
) -> Result<JsValue, JsValue> {
    let grants = grants_of(&grants, "grants")?;
    let revoke = if revoke.is_undefined() || revoke.is_null() {
        grants.iter().filter(|g| matches!(g.usage, crate::client::Usage::Unused)).cloned().collect()
    } else {
        grants_of(&revoke, "revoke")?
    };
    serde_wasm(&crate::client::revoke_document(&grants, &revoke))
}

/// Grants from JavaScript (what `grantUsage` returned), checked.
fn grants_of(value: &JsValue, what: &str) -> Result<Vec<crate::client::GrantUsage>, JsValue> {
    let text = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string()).unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| {
        let message = format!("{what}: not a list of grants from grantUsage(): {}", snapshot::plain_error(&e));
        validation_error(what, Rule::Type, message)
    })
}

#[wasm_bindgen]
impl TfeClient {
    /// The document that revokes `revoke` (unused specific grants, as `grantUsage` returned
    /// them) from each affected producer's consumer list **as the instance holds it now** (read
    /// again: an organization granted since the audit stays; a producer that shares with every
    /// organization since is refused). `plan` and `apply` it like any document.
    #[wasm_bindgen(js_name = revokeNow, unchecked_return_type = "Snapshot")]
    pub async fn revoke_now(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GrantUsage[]")] revoke: JsValue,
    ) -> Result<JsValue, JsValue> {
        let revoke = grants_of(&revoke, "revoke")?;
        serde_wasm(&self.inner.revoke_now(&revoke).await?)
    }
}

/// A plan from JavaScript, checked: every write's names and attributes.
fn plan_of(value: &JsValue) -> Result<SnapshotPlan, JsValue> {
    let plan: SnapshotPlan = serde_json::from_str(&text_of(value)).map_err(|e| {
        validation_error("plan", Rule::Type, format!("plan: not a plan from plan(): {}", snapshot::plain_error(&e)))
    })?;
    let problems = plan.problems();
    if !problems.is_empty() {
        return Err(problems_error("plan", &problems));
    }
    Ok(plan)
}

fn progress_of(on_progress: Option<js_sys::Function>) -> impl FnMut(ConfigProgress) {
    move |p: ConfigProgress| {
        if let Some(f) = &on_progress {
            let value = serde_json::json!({ "stage": p.stage, "done": p.done, "total": p.total });
            if let Ok(value) = serde_wasm(&value) {
                let _ = f.call1(&JsValue::NULL, &value);
            }
        }
    }
}

#[wasm_bindgen]
impl TfeClient {
    /// Every organization as the instance holds it (admin settings, organization settings,
    /// module and provider consumers), as a `tfe-orgs/snapshot@1` document. At the rate floor:
    /// list-alls, then the consumer lists of the producers only. Needs a site-admin token.
    #[wasm_bindgen(unchecked_return_type = "Snapshot")]
    pub async fn snapshot(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SnapshotOptions | null")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options = bulk_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        if options.dry_run {
            return Err(validation_error("options.dryRun", Rule::Type, "options.dryRun: a snapshot only reads".into()));
        }
        let taken_at = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
        let doc = self.inner.snapshot(&taken_at, &mut progress_of(options.on_progress)).await?;
        serde_wasm(&doc)
    }

    /// Apply a plan (from `plan()`): per organization its settings, its admin attributes, then
    /// its sharing in the order that never over-shares; organizations in parallel under the
    /// rate limiter. One item per organization of the plan, in order: `done`, `failed` (with its
    /// `TfeError`; `outcome-unknown` may have been applied: read before retrying) or `not-sent`
    /// (`signal` aborted first). Every write is checked before the first request.
    #[wasm_bindgen(unchecked_return_type = "ApplyResult")]
    pub async fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SnapshotPlan | string")] plan: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ApplyOptions | null")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let plan = plan_of(&plan)?;
        let options = bulk_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        if options.dry_run {
            return Err(validation_error("options.dryRun", Rule::Type, "options.dryRun: plan() is the dry run".into()));
        }
        let stop = options.stop();
        let results = self.inner.apply(&plan, &stop, &mut progress_of(options.on_progress)).await;
        let count = |f: fn(&Applied) -> bool| results.iter().filter(|(_, a)| f(a)).count();
        let view = serde_json::json!({
            "done": count(|a| matches!(a, Applied::Done)),
            "failed": count(|a| matches!(a, Applied::Failed(_))),
            "notSent": count(|a| matches!(a, Applied::NotSent)),
            "items": results.iter().map(|(name, a)| serde_json::json!({
                "organization": name,
                "outcome": match a { Applied::Done => "done", Applied::Failed(_) => "failed", Applied::NotSent => "not-sent" },
            })).collect::<Vec<_>>(),
        });
        let js = serde_wasm(&view)?;
        let failed = results.iter().enumerate().filter_map(|(i, (_, applied))| match applied {
            Applied::Failed(e) => Some((i, e)),
            _ => None,
        });
        attach_errors(&js, failed)?;
        Ok(js)
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CONFIGURATION: &str = r#"
/** A problem of a snapshot document: the JSON pointer of what is wrong, the rule, a message. */
export interface SnapshotProblem { field: string; rule: string; message: string }
/** Options of `snapshot`. */
export interface SnapshotOptions {
  /** As each stage advances: `admin settings`, `organization settings`, `consumers`. */
  onProgress?: (progress: ConfigProgress) => void;
}
/** Options of `apply`. */
export interface ApplyOptions {
  /** After each organization is answered. */
  onProgress?: (progress: ConfigProgress) => void;
  /** Aborting it stops the run: the organizations in flight finish, the rest are `not-sent`. */
  signal?: AbortSignal;
}
export interface ConfigProgress { stage: string; done: number; total: number }
export interface ApplyItem { organization: string; outcome: "done" | "failed" | "not-sent"; error?: TfeError }
export interface ApplyResult { done: number; failed: number; notSent: number; items: ApplyItem[] }
"#;

// Which grants are in use (Explorer): with the configuration, in the nodejs build (the audit's
// tools; the browser builds stay small, see DEVELOPERS.md "Size").

/// `grantUsage`'s options.
struct GrantUsageOptions {
    registry: crate::client::Registry,
    producers: Option<Vec<String>>,
    progress: BulkOptions,
}

fn grant_usage_options(options: &JsValue) -> Result<GrantUsageOptions, JsValue> {
    let mut out = GrantUsageOptions {
        registry: crate::client::Registry::Modules,
        producers: None,
        progress: BulkOptions { dry_run: false, on_progress: None, signal: None },
    };
    each_option(options, &["registry", "producers", "onProgress", "signal"], |key, value, field| {
        match key {
            "registry" => {
                out.registry = match value.as_string().as_deref() {
                    Some("modules") => crate::client::Registry::Modules,
                    Some("providers") => crate::client::Registry::Providers,
                    _ => {
                        let message = format!("{field}: expected \"modules\" or \"providers\"");
                        return Err(validation_error(field, Rule::Enum, message));
                    }
                }
            }
            "producers" => {
                let list =
                    || validation_error(field, Rule::Type, format!("{field}: expected a list of organization names"));
                if !js_sys::Array::is_array(&value) {
                    return Err(list());
                }
                let mut names = Vec::new();
                for (i, item) in js_sys::Array::from(&value).iter().enumerate() {
                    let name = item.as_string().ok_or_else(list)?;
                    crate::validate::organization_name(&format!("{field}[{i}]"), &name)
                        .map_err(|e| validation_error(&e.field, e.rule, e.message))?;
                    names.push(name);
                }
                out.producers = Some(names);
            }
            "onProgress" => out.progress.on_progress = Some(function(value, field)?),
            _ => out.progress.signal = Some(abort_signal(value, field)?),
        }
        Ok(())
    })?;
    Ok(out)
}

#[wasm_bindgen]
impl TfeClient {
    /// Which sharing grants are used, as Explorer tells (explorer.md): every grant of
    /// `options.registry` (`"modules"` unless said) by `options.producers` (every producer when
    /// left out) — each specific consumer, and for a producer sharing with every organization the
    /// organizations that use it — as `used` (with the versions and workspaces), `unused`, or
    /// `unknown` (with the reason: an organization whose Explorer this token may not read, an
    /// instance without Explorer, a read stopped by `signal`). Each consumer organization is read
    /// once; `onProgress(done, total)` counts them.
    #[wasm_bindgen(js_name = grantUsage, unchecked_return_type = "GrantUsage[]")]
    pub async fn grant_usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GrantUsageOptions | null | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = grant_usage_options(&options)?;
        let stop = options.progress.stop();
        let on_progress = options.progress.on_progress.clone();
        let mut progress = move |done: usize, total: usize| {
            if let Some(f) = &on_progress {
                let _ = f.call2(&JsValue::NULL, &JsValue::from(done as u32), &JsValue::from(total as u32));
            }
        };
        let grants =
            self.inner.grant_usage(options.registry, options.producers.as_deref(), &stop, &mut progress).await?;
        serde_wasm(&grants)
    }
}
