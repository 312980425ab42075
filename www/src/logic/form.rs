//! Forms from field tables. A form is a table of rows, one per attribute it offers (label, hint,
//! the value a new draft starts with); what kind of input each is (text, whole number, flag,
//! choice and its options) comes from the library's model ([`Attributes::FIELDS`]), and the
//! rules from the library's validation. Adding an attribute to a form is one row.

use std::collections::BTreeMap;

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
}

impl FormRow {
    pub const fn new(key: &'static str, label: &'static str) -> Self {
        FormRow { key, label, hint: "", default: "", shown_when: None }
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
    B::field(row.key).copied().unwrap_or(Field { key: row.key, shape: Shape::Text, nullable: false })
}

/// A form's values as typed, by attribute name. Flags hold `"true"` or `"false"`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Draft(BTreeMap<&'static str, String>);

impl Draft {
    /// Every row at its default.
    pub fn new(rows: &[FormRow]) -> Self {
        Draft(rows.iter().map(|r| (r.key, r.default.to_string())).collect())
    }

    /// The values of `attributes` (any model that serializes to its JSON attributes), a row's
    /// default where the attribute is unset.
    pub fn from_attributes(rows: &[FormRow], attributes: &impl serde::Serialize) -> Self {
        let json = serde_json::to_string(attributes).unwrap_or_default();
        let map: Map<String, Value> = serde_json::from_str(&json).unwrap_or_default();
        let text = |row: &FormRow| match map.get(row.key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => row.default.to_string(),
        };
        Draft(rows.iter().map(|r| (r.key, text(r))).collect())
    }

    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map(String::as_str).unwrap_or("")
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == "true"
    }

    pub fn set(&mut self, key: &'static str, value: impl Into<String>) {
        self.0.insert(key, value.into());
    }

    /// Whether `row` is offered with the values as they are.
    pub fn shows(&self, row: &FormRow) -> bool {
        row.shown_when.is_none_or(|(key, value)| self.get(key) == value)
    }

    /// The JSON attributes the shown rows describe (blank text is left out), and an error for
    /// each value that is not of its attribute's type.
    fn typed<B: Attributes>(&self, rows: &[FormRow]) -> (Map<String, Value>, Vec<ValidationError>) {
        let mut out = Map::new();
        let mut errors = Vec::new();
        for row in rows.iter().filter(|r| self.shows(r)) {
            let text = self.get(row.key).trim();
            let value = match field_of::<B>(row).shape {
                Shape::Flag => Value::Bool(text == "true"),
                _ if text.is_empty() => continue,
                Shape::Count => match text.parse::<u32>() {
                    Ok(n) => n.into(),
                    Err(_) => {
                        let message = format!("{} must be a whole number, got {text:?}", row.key);
                        errors.push(ValidationError::new(attribute_pointer(row.key), rule::TYPE, message));
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

    /// The update body: only the attributes whose value differs from `before`'s.
    pub fn changes<B: Attributes + DeserializeOwned + Default>(&self, before: &Draft, rows: &[FormRow]) -> B {
        let (old, _) = before.typed::<B>(rows);
        let (mut new, _) = self.typed::<B>(rows);
        new.retain(|key, value| old.get(key) != Some(value));
        decode(new)
    }
}

/// Attributes typed by their shapes decode into their model; a value that does not (a model
/// and a table that disagree, which the tests rule out) leaves the body empty, never partial.
fn decode<B: DeserializeOwned + Default>(map: Map<String, Value>) -> B {
    serde_json::from_str(&Value::Object(map).to_string()).unwrap_or_default()
}
