//! Bulk admin changes: the actions the bulk bar offers, the body each sends, and the results as
//! a table (failures first) and as CSV.

use serde_json::Value;
use tfe_orgs::client::bulk::{BulkItem, Change, Outcome};
use tfe_orgs::client::Registry;
use tfe_orgs::model::{AdminOrganizationUpdate, Attributes, Bulk, Era, Field, Shape, Unset};
use tfe_orgs::validate::{self, ValidationError};

use super::export::csv_cell;

/// What a bulk action does to its attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    On,
    Off,
    /// Set the value typed.
    Set,
    /// Back to `null`: the instance default, or no limit.
    Reset,
}

/// What the bulk bar can do to every selected organization: derived from the admin attributes
/// whose declaration offers them to bulk ([`tfe_orgs::model::Bulk`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkAction {
    pub field: &'static Field,
    pub op: Op,
}

impl BulkAction {
    /// Every action, in the order the admin attributes are declared.
    pub fn all() -> impl Iterator<Item = BulkAction> {
        AdminOrganizationUpdate::FIELDS.iter().flat_map(|field| {
            let ops: &[Op] = match field.about.bulk {
                Bulk::No => &[],
                Bulk::Flag { .. } => &[Op::On, Op::Off],
                Bulk::Value { .. } if field.nullable => &[Op::Set, Op::Reset],
                Bulk::Value { .. } => &[Op::Set],
            };
            ops.iter().map(move |&op| BulkAction { field, op })
        })
    }

    /// The actions an instance of `era` has (`None`: not known, every one).
    pub fn offered(era: Option<Era>) -> impl Iterator<Item = BulkAction> {
        BulkAction::all().filter(move |a| a.field.in_era(era))
    }

    /// The first action: what the bar starts at.
    pub fn first() -> BulkAction {
        BulkAction::all().next().expect("the admin model offers bulk actions")
    }

    /// The registries whose consumers lose access when this change is applied to a producer:
    /// disabling ends both; turning a global flag off ends that registry's global sharing.
    pub fn registries_lost(self) -> &'static [Registry] {
        let key = self.field.key;
        match self.op {
            Op::On if key == "is-disabled" => &[Registry::Modules, Registry::Providers],
            Op::Off if key == Registry::Modules.global_flag() => &[Registry::Modules],
            Op::Off if key == Registry::Providers.global_flag() => &[Registry::Providers],
            _ => &[],
        }
    }

    /// `is-disabled:on`, `plan-timeout:reset`: the option's value.
    pub fn id(self) -> String {
        let op = match self.op {
            Op::On => "on",
            Op::Off => "off",
            Op::Set => "set",
            Op::Reset => "reset",
        };
        format!("{}:{op}", self.field.key)
    }

    pub fn parse(id: &str) -> Option<BulkAction> {
        BulkAction::all().find(|a| a.id() == id)
    }

    pub fn label(self) -> String {
        let lower = self.field.label().to_ascii_lowercase();
        match (self.field.about.bulk, self.op) {
            (Bulk::Flag { on, .. }, Op::On) => on.into(),
            (Bulk::Flag { off, .. }, Op::Off) => off.into(),
            (_, Op::Set) => format!("Set the {lower}…"),
            (_, _) => match self.field.about.unset {
                Unset::NoLimit => format!("Remove the {lower}"),
                _ => format!("{}: back to the instance default", self.field.label()),
            },
        }
    }

    /// What the action needs typed, if anything: its label and an example.
    pub fn input(self) -> Option<(&'static str, &'static str)> {
        match (self.field.about.bulk, self.op) {
            (Bulk::Value { what, example }, Op::Set) => Some((what, example)),
            _ => None,
        }
    }

    /// The admin attributes the action sends, or the broken rule of the value typed.
    pub fn body(self, value: &str) -> Result<AdminOrganizationUpdate, ValidationError> {
        let key = self.field.key;
        let value = match self.op {
            Op::On => Value::Bool(true),
            Op::Off => Value::Bool(false),
            Op::Reset => Value::Null,
            Op::Set if self.field.shape == Shape::Count => validate::count(key, value)?.into(),
            Op::Set => value.trim().into(),
        };
        // Through text: the model's one `from_str` decoder, which the page has anyway (a
        // `from_value` one would be kilobytes more of the first download).
        let body: AdminOrganizationUpdate =
            serde_json::from_str(&serde_json::json!({ key: value }).to_string()).unwrap_or_default();
        match validate::admin_organization_update(&body).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(body),
        }
    }
}

/// A value of admin attribute `key` in a change as a person reads it ("On", "Instance
/// default", "No limit", "2h").
pub use super::format::value_words as value_text;

/// `Label: from → to, …` for one organization.
pub fn changes_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let label = super::format::field_label(&c.field);
            format!("{label}: {} → {}", value_text(&c.field, &c.from), value_text(&c.field, &c.to))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn outcome_text(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Planned => "will change",
        Outcome::Unchanged => "already so",
        Outcome::Updated => "updated",
        Outcome::Failed(_) => "failed",
        Outcome::NotSent => "not sent",
    }
}

/// The results in the order a person reads them: failures first, then not sent, updated,
/// already so; the order of the selection within each.
pub fn results_in_order(items: &[BulkItem]) -> Vec<BulkItem> {
    let rank = |o: &Outcome| match o {
        Outcome::Failed(_) => 0,
        Outcome::NotSent => 1,
        Outcome::Planned | Outcome::Updated => 2,
        Outcome::Unchanged => 3,
    };
    let mut out = items.to_vec();
    tfe_orgs::client::sort_by_dyn(&mut out, &|a, b| rank(&a.outcome).cmp(&rank(&b.outcome)));
    out
}

/// The names to send again: those that failed or were never sent.
pub fn to_retry(items: &[BulkItem]) -> Vec<String> {
    items
        .iter()
        .filter(|i| matches!(i.outcome, Outcome::Failed(_) | Outcome::NotSent))
        .map(|i| i.name.clone())
        .collect()
}

/// The results after Retry failed: every organization of the first run, the retried ones with
/// their new outcome. A retried organization keeps the change the first run read (its value
/// before the whole change, which the undo needs): a write whose answer was lost may have
/// been applied, and the retry then reads the new value as the "before".
pub fn merge_retry(previous: &[BulkItem], retried: Vec<BulkItem>) -> Vec<BulkItem> {
    let mut merged: Vec<BulkItem> = previous.to_vec();
    for item in retried {
        match merged.iter_mut().find(|p| p.name == item.name) {
            Some(first) => {
                if first.changes.is_empty() {
                    first.changes = item.changes;
                }
                first.outcome = item.outcome;
            }
            None => merged.push(item),
        }
    }
    merged
}

/// The results as CSV: organization, outcome, changes, error.
pub fn results_csv(items: &[BulkItem]) -> String {
    let mut out = String::from("Organization,Outcome,Changes,Error\r\n");
    for item in items {
        let error = match &item.outcome {
            Outcome::Failed(e) => e.message.clone(),
            _ => String::new(),
        };
        let cells = [item.name.clone(), outcome_text(&item.outcome).to_string(), changes_text(&item.changes), error];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
