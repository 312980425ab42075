//! Every client-side rule, as pure functions. Each failure is a [`ValidationError`] naming the
//! field (a JSON pointer into the request body, or the parameter name) and the rule it broke.
//!
//! The client runs these before sending anything; the sandbox runs the same ones to answer 422.

use serde::Serialize;

use crate::jsonapi::ResourceIdentifier;
use crate::model::{
    AdminOrganizationUpdate, Attributes, CollaboratorAuthPolicy, DataRetentionPolicy, ExecutionMode,
    ModulePartnershipsUpdate, OrganizationBody,
};

/// A broken rule: which field, which rule, and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// JSON pointer such as `/data/attributes/email`, or a parameter name such as `page[size]`.
    pub field: String,
    /// Which rule, e.g. `required`, `charset`, `duration`.
    pub rule: Rule,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        ValidationError { field: field.into(), rule, message: message.into() }
    }
}

macro_rules! rules {
    ($( $(#[$meta:meta])* $variant:ident = $text:literal, )+) => {
        /// Every rule a [`ValidationError`] can name; in JSON and JavaScript, its kebab-case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
        pub enum Rule {
            $( $(#[$meta])* #[serde(rename = $text)] $variant, )+
        }

        impl Rule {
            /// Every rule, in declaration order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// The rule's name as JSON and JavaScript spell it (`no-slash`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Rule::$variant => $text, )+
                }
            }
        }
    };
}

rules! {
    /// A value that must be present is missing or empty.
    Required = "required",
    /// An organization name with a `/`.
    NoSlash = "no-slash",
    /// An organization name with whitespace.
    NoWhitespace = "no-whitespace",
    /// A character outside the allowed set.
    Charset = "charset",
    /// An id without its prefix (`org-`).
    Prefix = "prefix",
    /// A value of the wrong type.
    Type = "type",
    /// Not a duration such as `2h` or `90m`.
    Duration = "duration",
    /// A number that must be above zero.
    Positive = "positive",
    /// Not an email address.
    Email = "email",
    /// Not one of the documented values.
    Enum = "enum",
    /// Two values that cannot hold together.
    Conflict = "conflict",
    /// A pool without the agent mode.
    AgentPool = "agent-pool",
    /// Two choices of which only one may be made.
    Exclusive = "exclusive",
    /// Below the smallest value allowed.
    Min = "min",
    /// Outside the allowed range.
    Range = "range",
    /// An attribute the instance holds and refuses to change.
    ReadOnly = "read-only",
    /// A value another resource already has.
    Unique = "unique",
    /// Not an http(s) URL (the client's base URL).
    Url = "url",
    /// The same list given twice (under both of its spellings).
    Duplicate = "duplicate",
    /// A name that is no organization of the instance.
    NotFound = "not-found",
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// JSON pointer of a body attribute.
pub fn attribute_pointer(name: &str) -> String {
    format!("/data/attributes/{name}")
}

/// Organization names: non-empty; letters, digits, `-` and `_` only (no `/`, no whitespace, no
/// `.`, `%` or `?`, so a name can never escape its path segment). TFE compares names
/// case-insensitively; see [`same_organization_name`].
pub fn organization_name(field: &str, name: &str) -> Result<(), ValidationError> {
    if name.is_empty() {
        return Err(ValidationError::new(field, Rule::Required, "organization name is required"));
    }
    if name.contains('/') {
        return Err(ValidationError::new(
            field,
            Rule::NoSlash,
            format!("organization name {name:?} must not contain '/'"),
        ));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(ValidationError::new(
            field,
            Rule::NoWhitespace,
            format!("organization name {name:?} must not contain whitespace"),
        ));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(ValidationError::new(
            field,
            Rule::Charset,
            format!("organization name {name:?} may contain only letters, digits, '-' and '_' (found {bad:?})"),
        ));
    }
    Ok(())
}

/// Whether two organization names denote the same organization (TFE ignores case).
pub fn same_organization_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// External ids: `org-` followed by letters and digits.
pub fn external_id(field: &str, id: &str) -> Result<(), ValidationError> {
    let Some(rest) = id.strip_prefix("org-") else {
        return Err(ValidationError::new(field, Rule::Prefix, format!("external id {id:?} must start with \"org-\"")));
    };
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ValidationError::new(
            field,
            Rule::Charset,
            format!("external id {id:?} must be \"org-\" followed by letters and digits"),
        ));
    }
    Ok(())
}

/// A resource identifier of an organization: `{ id: <valid name>, type: "organizations" }`.
/// `pointer` is the identifier's own pointer, e.g. `/data/0`.
pub fn resource_identifier(pointer: &str, identifier: &ResourceIdentifier) -> Result<(), ValidationError> {
    if identifier.kind != "organizations" {
        return Err(ValidationError::new(
            format!("{pointer}/type"),
            Rule::Type,
            format!("type must be \"organizations\", found {:?}", identifier.kind),
        ));
    }
    organization_name(&format!("{pointer}/id"), &identifier.id)
}

/// Parses a Go duration (`time.ParseDuration`): an optional sign, then one or more decimal
/// numbers each with a unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`), e.g. `1.5h`,
/// `2h45m30s`; `0` alone needs no unit. Returns nanoseconds.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let bytes = rest.as_bytes();
        if !(bytes[0] == b'.' || bytes[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let int_part: u128 = if int_len > 0 { rest[..int_len].parse().map_err(|_| invalid())? } else { 0 };
        rest = &rest[int_len..];
        let mut fraction = 0f64;
        let mut frac_len = 0;
        if let Some(after_dot) = rest.strip_prefix('.') {
            frac_len = after_dot.bytes().take_while(|b| b.is_ascii_digit()).count();
            let mut scale = 1f64;
            for digit in after_dot[..frac_len].bytes() {
                scale /= 10.0;
                fraction += f64::from(digit - b'0') * scale;
            }
            rest = &after_dot[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(format!("missing unit in duration {text:?}"));
        }
        let unit: u128 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            other => return Err(format!("unknown unit {other:?} in duration {text:?}")),
        };
        rest = &rest[unit_len..];
        total = int_part
            .checked_mul(unit)
            .and_then(|v| v.checked_add((fraction * unit as f64) as u128))
            .and_then(|v| v.checked_add(total))
            .filter(|v| *v <= i64::MAX as u128)
            .ok_or_else(invalid)?;
    }
    let nanos = total as i64;
    Ok(if negative { -nanos } else { nanos })
}

/// A whole number of zero or more, as typed (`session-timeout`, `workspace-limit`).
pub fn count(key: &str, text: &str) -> Result<u32, ValidationError> {
    text.trim().parse::<u32>().map_err(|_| {
        let message = format!("{key} must be a whole number of 0 or more, got {:?}", text.trim());
        ValidationError::new(attribute_pointer(key), Rule::Type, message)
    })
}

/// A workspace limit as typed: a whole number of 0 or more (0, like `null`, is no limit).
pub fn workspace_limit(text: &str) -> Result<u32, ValidationError> {
    count("workspace-limit", text)
}

/// A run timeout: a Go duration greater than zero.
pub fn duration(field: &str, text: &str) -> Result<i64, ValidationError> {
    let nanos = parse_go_duration(text).map_err(|message| {
        ValidationError::new(
            field,
            Rule::Duration,
            format!("{message}: use a number and a unit, like 2h, 90m or 1h30m"),
        )
    })?;
    if nanos <= 0 {
        return Err(ValidationError::new(
            field,
            Rule::Positive,
            format!("duration {text:?} must be greater than zero"),
        ));
    }
    Ok(nanos)
}

/// An email address: `local@domain.tld`, no whitespace, at most 254 characters.
pub fn email(field: &str, address: &str) -> Result<(), ValidationError> {
    let fail = || {
        ValidationError::new(field, Rule::Email, format!("{address:?} is not an email address like name@example.com"))
    };
    if address.is_empty() {
        return Err(ValidationError::new(field, Rule::Required, "email is required"));
    }
    if address.len() > 254 || address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(fail());
    }
    let (local, domain) = address.rsplit_once('@').ok_or_else(fail)?;
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if local.is_empty() || local.contains('@') || !domain.contains('.') || !labels_ok {
        return Err(fail());
    }
    Ok(())
}

fn known_value(field: &str, value: &str, known: &[&str], is_known: bool) -> Result<(), ValidationError> {
    if is_known {
        return Ok(());
    }
    Err(ValidationError::new(field, Rule::Enum, format!("{value:?} is not one of {}", known.join(", "))))
}

/// `collaborator-auth-policy`: `password` or `two_factor_mandatory`.
pub fn collaborator_auth_policy(field: &str, value: &CollaboratorAuthPolicy) -> Result<(), ValidationError> {
    known_value(field, value.as_str(), CollaboratorAuthPolicy::KNOWN, value.is_known())
}

/// `default-execution-mode`: `remote`, `local` or `agent`.
pub fn execution_mode(field: &str, value: &ExecutionMode) -> Result<(), ValidationError> {
    known_value(field, value.as_str(), ExecutionMode::KNOWN, value.is_known())
}

/// `page[number]` is at least 1.
pub fn page_number(value: i64) -> Result<(), ValidationError> {
    if value < 1 {
        return Err(ValidationError::new(
            "page[number]",
            Rule::Min,
            format!("page number must be 1 or more, got {value}"),
        ));
    }
    Ok(())
}

/// `page[size]` is 1 to 100.
pub fn page_size(value: i64) -> Result<(), ValidationError> {
    if !(1..=100).contains(&value) {
        return Err(ValidationError::new(
            "page[size]",
            Rule::Range,
            format!("page size must be between 1 and 100, got {value}"),
        ));
    }
    Ok(())
}

fn positive_minutes(errors: &mut Vec<ValidationError>, name: &str, value: Option<u32>) {
    if value == Some(0) {
        errors.push(ValidationError::new(
            attribute_pointer(name),
            Rule::Min,
            format!("{name} must be at least 1 minute"),
        ));
    }
}

/// Rules shared by create and update bodies; `creating` adds the required fields.
fn organization_body(body: &OrganizationBody, creating: bool) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let mut check = |result: Result<(), ValidationError>| errors.extend(result.err());
    match &body.name {
        Some(name) => check(organization_name(&attribute_pointer("name"), name)),
        None if creating => {
            check(Err(ValidationError::new(attribute_pointer("name"), Rule::Required, "name is required")))
        }
        None => {}
    }
    match &body.email {
        Some(address) => check(email(&attribute_pointer("email"), address)),
        None if creating => {
            check(Err(ValidationError::new(attribute_pointer("email"), Rule::Required, "email is required")))
        }
        None => {}
    }
    if let Some(policy) = &body.collaborator_auth_policy {
        check(collaborator_auth_policy(&attribute_pointer("collaborator-auth-policy"), policy));
    }
    if let Some(mode) = &body.default_execution_mode {
        check(execution_mode(&attribute_pointer("default-execution-mode"), mode));
    }
    positive_minutes(&mut errors, "session-timeout", body.session_timeout);
    positive_minutes(&mut errors, "session-remember", body.session_remember);
    if body.aggregated_commit_status_enabled == Some(true)
        && body.send_passing_statuses_for_untriggered_speculative_plans == Some(true)
    {
        errors.push(ValidationError::new(
            attribute_pointer("aggregated-commit-status-enabled"),
            Rule::Conflict,
            "aggregated-commit-status-enabled cannot be true while send-passing-statuses-for-untriggered-speculative-plans is true",
        ));
    }
    let pool = attribute_pointer("default-agent-pool-id");
    // On create an unset mode means the default, remote.
    let mode = body.default_execution_mode.clone().or(if creating { Some(ExecutionMode::Remote) } else { None });
    match (&body.default_agent_pool_id, mode) {
        (Some(_), Some(mode)) if mode != ExecutionMode::Agent => errors.push(ValidationError::new(
            pool,
            Rule::AgentPool,
            format!(
                "default-agent-pool-id can only be set with default-execution-mode \"agent\", not {:?}",
                mode.as_str()
            ),
        )),
        (Some(id), _) if id.is_empty() => {
            errors.push(ValidationError::new(pool, Rule::Required, "default-agent-pool-id must not be empty"))
        }
        (None, Some(ExecutionMode::Agent)) if creating => errors.push(ValidationError::new(
            pool,
            Rule::Required,
            "default-agent-pool-id is required when default-execution-mode is \"agent\"",
        )),
        _ => {}
    }
    errors
}

/// Every rule for `POST /organizations`.
pub fn organization_create(body: &OrganizationBody) -> Vec<ValidationError> {
    organization_body(body, true)
}

/// Every rule for `PATCH /organizations/:name`.
pub fn organization_update(body: &OrganizationBody) -> Vec<ValidationError> {
    organization_body(body, false)
}

/// `send-passing-statuses-for-untriggered-speculative-plans`: always false on TFE.
pub const SEND_PASSING: &str = "send-passing-statuses-for-untriggered-speculative-plans";

/// The rules of a create (`stored` = `None`) or an update that depend on what the instance holds
/// now, not only on the body: `send-passing-statuses-…` is always false on TFE and cannot be
/// changed; `aggregated-commit-status-enabled` cannot be true while the stored
/// `send-passing-statuses-…` is; the `agent` mode needs a pool, given or stored. `stored` is the
/// organization's attributes and its `default-agent-pool` id. The sandbox answers 422 with
/// these, as TFE does.
pub fn organization_against_stored(
    stored: Option<(&crate::model::OrganizationAttributes, Option<&str>)>,
    body: &OrganizationBody,
) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    if body.send_passing_statuses_for_untriggered_speculative_plans == Some(true) {
        errors.push(ValidationError::new(
            attribute_pointer(SEND_PASSING),
            Rule::ReadOnly,
            format!("{SEND_PASSING} is always false and cannot be changed"),
        ));
    }
    let stored_send_passing =
        stored.and_then(|(o, _)| o.send_passing_statuses_for_untriggered_speculative_plans) == Some(true);
    let send_passing = body.send_passing_statuses_for_untriggered_speculative_plans.unwrap_or(stored_send_passing);
    if body.aggregated_commit_status_enabled == Some(true) && send_passing {
        errors.push(ValidationError::new(
            attribute_pointer("aggregated-commit-status-enabled"),
            Rule::Conflict,
            format!("aggregated-commit-status-enabled cannot be true while {SEND_PASSING} is true"),
        ));
    }
    let pool = body.default_agent_pool_id.as_deref().or(stored.and_then(|(_, pool)| pool));
    if body.default_execution_mode == Some(ExecutionMode::Agent) && pool.is_none() {
        errors.push(ValidationError::new(
            attribute_pointer("default-agent-pool-id"),
            Rule::Required,
            "default-agent-pool-id is required when default-execution-mode is \"agent\" (none is set)",
        ));
    }
    errors
}

/// A new or changed organization name must not be another organization's (compared as TFE
/// compares names, see [`same_organization_name`]).
pub fn organization_name_free<'a>(
    name: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<(), ValidationError> {
    match others.into_iter().any(|other| same_organization_name(other, name)) {
        true => Err(ValidationError::new(
            attribute_pointer("name"),
            Rule::Unique,
            format!("name {name:?} has already been taken"),
        )),
        false => Ok(()),
    }
}

/// Every consumer named must be an organization of the instance (`known` says which are);
/// `pointer(i)` locates the `i`-th name. The first unknown one is the error.
pub fn consumers_known<'a>(
    names: impl IntoIterator<Item = &'a str>,
    known: impl Fn(&str) -> bool,
    pointer: impl Fn(usize) -> String,
) -> Result<(), ValidationError> {
    match names.into_iter().enumerate().find(|(_, name)| !known(name)) {
        Some((i, name)) => Err(ValidationError::new(
            pointer(i),
            Rule::NotFound,
            format!("consumer {name:?} is not an organization of this instance"),
        )),
        None => Ok(()),
    }
}

/// A list the spec spells two ways (`module_consumers`, `module-consumers`) is given once.
pub fn given_once(key: &str, times: usize) -> Result<(), ValidationError> {
    match times > 1 {
        true => Err(ValidationError::new(attribute_pointer(key), Rule::Duplicate, format!("{key} is given twice"))),
        false => Ok(()),
    }
}

/// Every rule for `PATCH /admin/organizations/:name`. A timeout of `null` (back to the
/// instance's default) is valid.
pub fn admin_organization_update(body: &AdminOrganizationUpdate) -> Vec<ValidationError> {
    let timeouts = [("apply-timeout", &body.apply_timeout), ("plan-timeout", &body.plan_timeout)];
    // The pointer names the attribute as the body spells it.
    let sent = |key: &'static str| match body.spelling {
        crate::model::Spelling::Deprecated => AdminOrganizationUpdate::field(key).and_then(|f| f.alias).unwrap_or(key),
        _ => key,
    };
    timeouts
        .into_iter()
        .filter_map(|(name, value)| duration(&attribute_pointer(sent(name)), value.as_ref()?.as_deref()?).err())
        .collect()
}

/// Every rule for the module-consumers body: each identifier is an organization with a valid name.
pub fn module_consumers(consumers: &[ResourceIdentifier]) -> Vec<ValidationError> {
    consumers.iter().enumerate().filter_map(|(i, id)| resource_identifier(&format!("/data/{i}"), id).err()).collect()
}

/// Every rule for the deprecated module-partnerships body: each consumer is an external id.
pub fn module_partnerships(body: &ModulePartnershipsUpdate) -> Vec<ValidationError> {
    let field = attribute_pointer("module-consuming-organization-ids");
    match &body.module_consuming_organization_ids {
        None => vec![ValidationError::new(field, Rule::Required, "module-consuming-organization-ids is required")],
        Some(ids) => {
            ids.iter().enumerate().filter_map(|(i, id)| external_id(&format!("{field}/{i}"), id).err()).collect()
        }
    }
}

/// One sharing intent cannot both share with everyone and name specific consumers: TFE would
/// apply whichever write came last and silently drop the other.
pub fn sharing_intent(
    global_module_sharing: Option<bool>,
    consumers: Option<&[ResourceIdentifier]>,
) -> Result<(), ValidationError> {
    sharing_intent_of("global-module-sharing", global_module_sharing, consumers.map(<[_]>::len))
}

/// Global sharing (`flag`: `global-module-sharing` or `global-provider-sharing`) and a
/// non-empty consumer list of `consumers` organizations are exclusive.
pub fn sharing_intent_of(flag: &str, global: Option<bool>, consumers: Option<usize>) -> Result<(), ValidationError> {
    match (global, consumers) {
        (Some(true), Some(n)) if n > 0 => Err(ValidationError::new(
            attribute_pointer(flag),
            Rule::Exclusive,
            "share with all organizations or with a list of consumers, not both",
        )),
        _ => Ok(()),
    }
}

/// Every rule for the registry-partnerships body: each consumer is an organization name; the
/// error points at its index (`/data/attributes/module_consumers/1`).
pub fn registry_partnerships(body: &crate::model::RegistryPartnerships) -> Vec<ValidationError> {
    let lists = [("module_consumers", &body.module_consumers), ("provider_consumers", &body.provider_consumers)];
    lists
        .into_iter()
        .flat_map(|(key, list)| {
            list.iter()
                .flatten()
                .enumerate()
                .filter_map(move |(i, name)| organization_name(&format!("{}/{i}", attribute_pointer(key)), name).err())
        })
        .collect()
}

/// A data retention policy keeps data at least one day.
pub fn data_retention_policy(policy: &DataRetentionPolicy) -> Result<(), ValidationError> {
    match policy {
        DataRetentionPolicy::DeleteOlderThan { days: 0 } => Err(ValidationError::new(
            attribute_pointer("delete-older-than-n-days"),
            Rule::Min,
            "delete-older-than-n-days must be at least 1",
        )),
        _ => Ok(()),
    }
}
