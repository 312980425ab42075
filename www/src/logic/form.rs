//! Forms from field tables. A form is a table of rows, one per attribute it offers (label, hint,
//! the value a new draft starts with); what kind of input each is (text, whole number, flag,
//! choice and its options) comes from the library's model ([`Attributes::FIELDS`]), and the
//! rules from the library's validation. Adding an attribute to a form is one row.

use std::collections::{BTreeMap, BTreeSet};

use tfe_orgs::client::{map_of, set_of};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tfe_orgs::model::{Attributes, Field, Shape};
use tfe_orgs::validate::{attribute_pointer, rule, ValidationError};

/// One attribute a form offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormRow {
    /// The attribute's JSON name: the input's id and the error's pointer.
    pub key: &'static str,
    pub label: &'static str,
    /// Shown under the label; empty for none.
    pub hint: &'static str,
    /// What a new draft holds (`"true"` for a flag that starts on, an option's value).
    pub default: &'static str,
    /// Offered, checked and sent only while another field holds this value.
    pub shown_when: Option<(&'static str, &'static str)>,
    /// What `null` means for a nullable attribute, as the diff shows it; empty for the usual
    /// [`INSTANCE_DEFAULT`].
    pub null_means: &'static str,
    /// Offered only where the answer the draft was read from carried the attribute (one only
    /// some instances have, such as HCP Terraform's `user-tokens-enabled`); never on a new draft.
    pub when_sent: bool,
}

impl FormRow {
    pub const fn new(key: &'static str, label: &'static str) -> Self {
        FormRow { key, label, hint: "", default: "", shown_when: None, null_means: "", when_sent: false }
    }
    pub const fn when_sent(self) -> Self {
        FormRow { when_sent: true, ..self }
    }
    pub const fn null_means(self, null_means: &'static str) -> Self {
        FormRow { null_means, ..self }
    }
    /// What `null` means for this row (see [`FormRow::null_means`]).
    pub fn null_shown(&self) -> &'static str {
        if self.null_means.is_empty() {
            INSTANCE_DEFAULT
        } else {
            self.null_means
        }
    }
    /// The label of the choice that sends `null`.
    pub fn null_choice(&self) -> String {
        if self.null_means.is_empty() {
            format!("Use the instance default {}", self.label.to_ascii_lowercase())
        } else {
            let mut label = self.null_means.to_string();
            label[..1].make_ascii_uppercase();
            label
        }
    }
    pub const fn hint(self, hint: &'static str) -> Self {
        FormRow { hint, ..self }
    }
    pub const fn default(self, default: &'static str) -> Self {
        FormRow { default, ..self }
    }
    pub const fn shown_when(self, key: &'static str, value: &'static str) -> Self {
        FormRow { shown_when: Some((key, value)), ..self }
    }
}

/// The model's description of `row` in the body `B`. Every row names an attribute of its body
/// (checked by the tests for every table).
pub fn field_of<B: Attributes>(row: &FormRow) -> Field {
    B::field(row.key).copied().unwrap_or(Field { key: row.key, shape: Shape::Text, nullable: false, alias: None })
}

/// A form's values as typed, by attribute name. Flags hold `"true"` or `"false"`; a nullable
/// attribute (a timeout) may be *unset*: "use the instance default", sent as `null`, with the
/// text kept for when the user changes their mind.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Draft {
    values: BTreeMap<&'static str, String>,
    unset: BTreeSet<&'static str>,
    /// Rows offered only when sent ([`FormRow::when_sent`]) whose attribute was not.
    absent: BTreeSet<&'static str>,
}

/// What the diff shows for a `null` (unless its row says otherwise): the instance's default applies.
pub const INSTANCE_DEFAULT: &str = "instance default";

impl Draft {
    /// Every row at its default; a nullable attribute of `B` without one starts at `null`.
    pub fn new<B: Attributes>(rows: &[FormRow]) -> Self {
        let values = map_of(rows.iter().map(|r| (r.key, r.default.to_string())));
        let unset = set_of(rows.iter().filter(|r| r.default.is_empty() && field_of::<B>(r).nullable).map(|r| r.key));
        let absent = set_of(rows.iter().filter(|r| r.when_sent).map(|r| r.key));
        Draft { values, unset, absent }
    }

    /// The values of `attributes` (any model that serializes to its JSON attributes), a row's
    /// default where the attribute is absent; `null` on a nullable attribute of `B` is unset.
    pub fn from_attributes<B: Attributes>(rows: &[FormRow], attributes: &impl serde::Serialize) -> Self {
        let json = serde_json::to_string(attributes).unwrap_or_default();
        let map: Map<String, Value> = serde_json::from_str(&json).unwrap_or_default();
        let mut draft = Draft::new::<B>(rows);
        for row in rows {
            if map.get(row.key).is_some_and(|v| !v.is_null()) {
                draft.absent.remove(row.key);
            }
            match map.get(row.key) {
                Some(Value::String(s)) => draft.set(row.key, s.as_str()),
                Some(Value::Bool(b)) => draft.set(row.key, b.to_string()),
                Some(Value::Number(n)) => draft.set(row.key, n.to_string()),
                _ if field_of::<B>(row).nullable => draft.set_unset(row.key, true),
                _ => {}
            }
        }
        draft
    }

    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == "true"
    }

    /// A value typed (for a nullable attribute, also the end of "use the instance default").
    pub fn set(&mut self, key: &'static str, value: impl Into<String>) {
        self.values.insert(key, value.into());
        self.unset.remove(key);
    }

    /// Whether "use the instance default" is chosen for a nullable attribute.
    pub fn is_unset(&self, key: &str) -> bool {
        self.unset.contains(key)
    }

    pub fn set_unset(&mut self, key: &'static str, unset: bool) {
        if unset {
            self.unset.insert(key);
        } else {
            self.unset.remove(key);
        }
    }

    /// Whether `row` is offered with the values as they are.
    pub fn shows(&self, row: &FormRow) -> bool {
        !self.absent.contains(row.key) && row.shown_when.is_none_or(|(key, value)| self.get(key) == value)
    }

    /// The JSON attributes the shown rows describe (blank text is left out; an unset attribute
    /// is `null`), and an error for each value that is not of its attribute's type.
    fn typed<B: Attributes>(&self, rows: &[FormRow]) -> (Map<String, Value>, Vec<ValidationError>) {
        let mut out = Map::new();
        let mut errors = Vec::new();
        for row in rows.iter().filter(|r| self.shows(r)) {
            let field = field_of::<B>(row);
            let text = self.get(row.key).trim();
            let value = match field.shape {
                _ if field.nullable && self.is_unset(row.key) => Value::Null,
                Shape::Flag => Value::Bool(text == "true"),
                _ if text.is_empty() && field.nullable => {
                    let message = format!("{}: enter a value, or choose {}", row.key, row.null_shown());
                    errors.push(ValidationError::new(attribute_pointer(row.key), rule::REQUIRED, message));
                    continue;
                }
                _ if text.is_empty() => continue,
                Shape::Count => match tfe_orgs::validate::count(row.key, text) {
                    Ok(n) => n.into(),
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                },
                _ => text.into(),
            };
            out.insert(row.key.to_string(), value);
        }
        (out, errors)
    }

    /// The full body this draft describes, and the errors of values that cannot be parsed.
    pub fn body<B: Attributes + DeserializeOwned + Default>(&self, rows: &[FormRow]) -> (B, Vec<ValidationError>) {
        let (map, errors) = self.typed::<B>(rows);
        (decode(map), errors)
    }

    /// The attributes whose value differs from `before`'s, as JSON.
    /// The attributes whose value differs from `before`'s, as JSON, and `before`'s values.
    fn changed<B: Attributes>(&self, before: &Draft, rows: &[FormRow]) -> (Map<String, Value>, Map<String, Value>) {
        let (old, _) = before.typed::<B>(rows);
        let (mut new, _) = self.typed::<B>(rows);
        new.retain(|key, value| old.get(key) != Some(value));
        (new, old)
    }

    /// The update body: only the attributes whose value differs from `before`'s.
    pub fn changes<B: Attributes + DeserializeOwned + Default>(&self, before: &Draft, rows: &[FormRow]) -> B {
        decode(self.changed::<B>(before, rows).0)
    }

    /// `(attribute, before, after)` for each attribute a save would change, as a person reads
    /// them (`null` is [`INSTANCE_DEFAULT`]).
    pub fn diff<B: Attributes>(&self, before: &Draft, rows: &[FormRow]) -> Vec<(String, String, String)> {
        let shown = |row: &FormRow, value: Option<&Value>| match value {
            None | Some(Value::Null) => row.null_shown().to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let (changed, old) = self.changed::<B>(before, rows);
        // In the form's order, not the map's.
        rows.iter()
            .filter_map(|row| {
                let new = changed.get(row.key)?;
                Some((row.key.to_string(), shown(row, old.get(row.key)), shown(row, Some(new))))
            })
            .collect()
    }

    /// The user's edits (this draft against `old`) kept on top of `new`, what the instance holds
    /// now: a field the user did not touch takes the new value (another editor on the page saved
    /// it), a field the user changed keeps what they typed.
    pub fn rebase(&self, old: &Draft, new: &Draft, rows: &[FormRow]) -> Draft {
        let mut out = self.clone();
        out.absent = new.absent.clone();
        for row in rows {
            let key = row.key;
            if self.get(key) == old.get(key) && self.is_unset(key) == old.is_unset(key) {
                out.set(key, new.get(key));
                out.set_unset(key, new.is_unset(key));
            }
        }
        out
    }
}

/// Attributes typed by their shapes decode into their model; a value that does not (a model
/// and a table that disagree, which the tests rule out) leaves the body empty, never partial.
fn decode<B: DeserializeOwned + Default>(map: Map<String, Value>) -> B {
    serde_json::from_str(&Value::Object(map).to_string()).unwrap_or_default()
}

/// A form's draft type: a [`Draft`] of `$rows` whose attributes are those of `$body`, starting at
/// the rows' defaults (and reading and writing as a `Draft`).
macro_rules! form_draft {
    ($(#[$meta:meta])* $name:ident, $body:ty, $rows:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(pub $crate::logic::form::Draft);

        impl Default for $name {
            fn default() -> Self {
                $name($crate::logic::form::Draft::new::<$body>($rows))
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::logic::form::Draft;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
pub(crate) use form_draft;
