//! Arguments from JavaScript into the model. Every bad one is a `TfeError` of kind `validation`
//! that names the option (`options.pageSize`, `attrs.sessionTimeout`) and what it expects, in
//! JavaScript's words: no Rust type names, no JSON positions.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use super::errors::validation_error;
use crate::jsonapi::DecodeError;
use crate::model::{camel_case, Attributes};
use crate::validate::Rule;

/// The argument's JSON text; `undefined` and `null` are `{}` (every option left out).
fn json_text(value: &JsValue) -> String {
    if value.is_undefined() || value.is_null() {
        "{}".to_string()
    } else {
        js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()
    }
}

/// An options object from JavaScript as `T` (a struct with `deny_unknown_fields`).
pub fn from_js<T: DeserializeOwned + Tsify>(value: Ts<T>, what: &str) -> Result<T, JsValue>
where
    T::JsType: Clone,
{
    crate::jsonapi::decode::<T>(&json_text(&value.js_value())).map_err(|e| argument_error(what, &e))
}

/// An attributes object from JavaScript (camelCase keys) as the model's attribute struct: each
/// key is mapped to its JSON name, a key the model does not document is refused (a misspelt
/// attribute must not be dropped silently), then the model's own decoding runs.
pub fn attributes_from_js<T: Attributes + DeserializeOwned + Tsify>(value: Ts<T>, what: &str) -> Result<T, JsValue>
where
    T::JsType: Clone,
{
    let text = json_text(&value.js_value());
    let object = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => object,
        _ => return Err(validation_error(what, Rule::Type, format!("{what}: expected an object"))),
    };
    let mut renamed = serde_json::Map::new();
    for (key, value) in object {
        match T::FIELDS.iter().find(|f| camel_case(f.key) == key) {
            Some(f) => renamed.insert(f.key.to_string(), value),
            None => {
                let known: Vec<String> = T::FIELDS.iter().map(|f| camel_case(f.key)).collect();
                let field = format!("{what}.{key}");
                let message = format!("{field} is not an attribute here (known: {})", known.join(", "));
                return Err(validation_error(&field, Rule::Type, message));
            }
        };
    }
    crate::jsonapi::decode::<T>(&Value::Object(renamed).to_string()).map_err(|e| argument_error(what, &e))
}

/// serde's words for a bad argument, minus the position, in JavaScript's terms.
fn argument_error(what: &str, e: &DecodeError) -> JsValue {
    let key: Vec<String> =
        e.path.trim_start_matches('/').split('/').filter(|s| !s.is_empty()).map(camel_case).collect();
    let mut field = if key.is_empty() { what.to_string() } else { format!("{what}.{}", key.join(".")) };
    let mut message = e.message.split(" at line ").next().unwrap_or(&e.message).to_string();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known =
            expected.trim_start_matches(", expected one of ").trim_start_matches(", expected ").replace('`', "");
        field = format!("{what}.{name}");
        message = format!("{field} is not an option here (known: {known})");
    } else if let Some(expects) = message.strip_prefix(INCLUDE_ERROR) {
        // Reported once the value is read, where the position no longer names the key.
        field = format!("{what}.include");
        message = format!("{field}: {expects}");
    } else {
        for (rust, js) in [
            ("expected u32", "expected a whole number"),
            ("expected u64", "expected a whole number"),
            ("expected u16", "expected a whole number"),
            ("expected usize", "expected a whole number"),
            ("expected f64", "expected a number"),
            ("expected a boolean", "expected true or false"),
            ("expected a sequence", "expected an array"),
            ("a sequence", "an array"),
            ("expected a map", "expected an object"),
            ("an attributes object", "an object"),
            ("invalid type: map", "invalid type: object"),
        ] {
            message = message.replace(rust, js);
        }
        message = format!("{field}: {message}");
    }
    validation_error(&field, Rule::Type, message)
}

/// `include` as JavaScript users write it: `"owners"`, `"owners,entitlement_set"` or
/// `["owners"]`.
pub fn include_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let names: Vec<String> = match Value::deserialize(d)? {
        Value::Null => return Ok(None),
        Value::String(text) => text.split(',').map(str::to_string).collect(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => return Err(serde::de::Error::custom(format!("{INCLUDE_ERROR}expected a string or an array of strings"))),
    };
    Ok(Some(names.into_iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect()))
}

/// How [`include_names`] starts its error, so [`argument_error`] can name the key.
const INCLUDE_ERROR: &str = "include: ";

/// Refuse an `include` name the call does not offer, before any request.
pub fn check_includes(names: &[String], offered: &[&str]) -> Result<(), JsValue> {
    match names.iter().find(|n| !offered.contains(&n.as_str())) {
        None => Ok(()),
        Some(name) => {
            let offered = if offered.is_empty() { "none".to_string() } else { offered.join(", ") };
            let message = format!("options.include: {name:?} cannot be included here (offered: {offered})");
            Err(validation_error("options.include", Rule::Enum, message))
        }
    }
}
