//! Forms from field tables. A form is a table of rows, one per attribute it offers (label, hint,
//! the value a new draft starts with); what kind of input each is (text, whole number, flag,
//! choice and its options) comes from the library's model ([`Attributes::FIELDS`]), and the
//! rules from the library's validation. Adding an attribute to a form is one row.

use std::collections::{BTreeMap, BTreeSet};

use tfe_orgs::client::{map_of, set_of};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tfe_orgs::model::{Attributes, Field, Shape};
use tfe_orgs::validate::{attribute_pointer, Rule, ValidationError};

/// One attribute a form offers: its attribute (label, help, what `null` means: from the
/// attribute's declaration in the model) and what the form adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormRow {
    /// The attribute's JSON name: the input's id and the error's pointer.
    pub key: &'static str,
    pub label: &'static str,
    /// Shown under the label; empty for none.
    pub hint: &'static str,
    /// The attribute as its model declares it.
    pub field: Field,
    /// What a new draft holds (`"true"` for a flag that starts on, an option's value).
    pub default: &'static str,
    /// Offered, checked and sent only while another field holds this value.
    pub shown_when: Option<(&'static str, &'static str)>,
    /// Offered only where the answer the draft was read from carried the attribute (one only
    /// some instances have, such as HCP Terraform's `user-tokens-enabled`); never on a new draft.
    pub when_sent: bool,
}

/// Whether two names are the same (in a `const` context).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl FormRow {
    /// The row of attribute `key` of a model (`AdminOrganizationUpdate::FIELDS`); a key the
    /// model does not declare does not compile.
    pub const fn of(fields: &'static [Field], key: &'static str) -> Self {
        let mut i = 0;
        while i < fields.len() {
            let field = fields[i];
            if same(field.key, key) {
                let label = if field.about.label.is_empty() { key } else { field.about.label };
                return FormRow {
                    key,
                    label,
                    hint: field.about.help,
                    field,
                    default: "",
                    shown_when: None,
                    when_sent: false,
                };
            }
            i += 1;
        }
        panic!("a form row names an attribute its model does not declare")
    }
    pub const fn when_sent(self) -> Self {
        FormRow { when_sent: true, ..self }
    }
    /// What `null` means for this row, as the diff shows it ("instance default", "no limit").
    pub fn null_shown(&self) -> &'static str {
        self.field.null_text()
    }
    /// The label of the choice that sends `null`.
    pub fn null_choice(&self) -> String {
        match self.field.about.unset {
            tfe_orgs::model::Unset::NoLimit => "No limit".into(),
            _ => format!("Use the instance default {}", self.label.to_ascii_lowercase()),
        }
    }
    pub const fn default(self, default: &'static str) -> Self {
        FormRow { default, ..self }
    }
    pub const fn shown_when(self, key: &'static str, value: &'static str) -> Self {
        FormRow { shown_when: Some((key, value)), ..self }
    }
}

/// One line of what a save changes: the attribute's key, its label, before and after in words.
pub type DiffLine = (&'static str, String, String, String);

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

impl Draft {
    /// Every row at its default; a nullable attribute of `B` without one starts at `null`.
    pub fn new<B: Attributes>(rows: &[FormRow]) -> Self {
        let values = map_of(rows.iter().map(|r| (r.key, r.default.to_string())));
        let unset = set_of(rows.iter().filter(|r| r.default.is_empty() && r.field.nullable).map(|r| r.key));
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
                _ if row.field.nullable => draft.set_unset(row.key, true),
                _ => {}
            }
        }
        draft
    }

    /// The rows an instance of `era` lacks are not offered, checked or sent (a 202103 instance
    /// refuses a workspace limit); `None` (not known) offers every one.
    pub fn in_era(mut self, rows: &[FormRow], era: Option<tfe_orgs::model::Era>) -> Self {
        self.absent.extend(rows.iter().filter(|r| !r.field.in_era(era)).map(|r| r.key));
        self
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
    fn typed(&self, rows: &[FormRow]) -> (Map<String, Value>, Vec<ValidationError>) {
        let mut out = Map::new();
        let mut errors = Vec::new();
        for row in rows.iter().filter(|r| self.shows(r)) {
            let field = row.field;
            let text = self.get(row.key).trim();
            let value = match field.shape {
                _ if field.nullable && self.is_unset(row.key) => Value::Null,
                Shape::Flag => Value::Bool(text == "true"),
                _ if text.is_empty() && field.nullable => {
                    let message = format!("{}: enter a value, or choose {}", row.label, row.null_shown());
                    errors.push(ValidationError::new(attribute_pointer(row.key), Rule::Required, message));
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
        let (map, errors) = self.typed(rows);
        (decode(map), errors)
    }

    /// The attributes whose value differs from `before`'s, as JSON, and `before`'s values.
    fn changed(&self, before: &Draft, rows: &[FormRow]) -> (Map<String, Value>, Map<String, Value>) {
        let (old, _) = before.typed(rows);
        let (mut new, _) = self.typed(rows);
        new.retain(|key, value| old.get(key) != Some(value));
        (new, old)
    }

    /// The update body: only the attributes whose value differs from `before`'s.
    pub fn changes<B: Attributes + DeserializeOwned + Default>(&self, before: &Draft, rows: &[FormRow]) -> B {
        decode(self.changed(before, rows).0)
    }

    /// `(key, label, before, after)` for each attribute a save would change, as a person reads
    /// them ("On", "Instance default (2h)", "No limit"); `default(key)` is the instance's default.
    pub fn diff(&self, before: &Draft, rows: &[FormRow], default: &dyn Fn(&str) -> Option<String>) -> Vec<DiffLine> {
        let shown = |row: &FormRow, value: Option<&Value>| {
            row.field.reads(value.unwrap_or(&Value::Null), default(row.key).as_deref())
        };
        let (changed, old) = self.changed(before, rows);
        // In the form's order, not the map's.
        rows.iter()
            .filter_map(|row| {
                let new = changed.get(row.key)?;
                Some((row.key, row.label.to_string(), shown(row, old.get(row.key)), shown(row, Some(new))))
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
