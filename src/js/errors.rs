//! `TfeError`: the class of every error the package throws, and how a library error becomes one.

use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::client::{Error, ErrorKind};
use crate::jsonapi::ErrorObject;

/// The class of every error the package throws: `err instanceof TfeError` holds, and so does
/// `err instanceof Error`. The errors themselves are real `Error` objects (message, stack, own
/// `kind`, `status`, … properties) whose prototype is `TfeError.prototype`, which is chained to
/// `Error.prototype` the first time an error is made; this class only lends that prototype.
#[wasm_bindgen]
pub struct TfeError {
    _marker: (),
}

thread_local! {
    /// `TfeError.prototype`, chained to `Error.prototype`.
    static TFE_ERROR_PROTOTYPE: js_sys::Object = {
        let marker: JsValue = TfeError { _marker: () }.into();
        let prototype = js_sys::Object::get_prototype_of(&marker);
        let error_prototype = js_sys::Object::get_prototype_of(&js_sys::Error::new(""));
        js_sys::Object::set_prototype_of(&prototype, &error_prototype);
        prototype
    };
}

/// The library's error as a thrown `TfeError`.
pub fn tfe_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("TfeError");
    TFE_ERROR_PROTOTYPE.with(|prototype| js_sys::Object::set_prototype_of(&js, prototype));
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    let kind = serde_json::to_value(error.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    set("kind", JsValue::from_str(&kind));
    set("status", error.status.map_or(JsValue::NULL, |s| JsValue::from_f64(f64::from(s))));
    let errors =
        Ts::<ErrorList>::from_rust(&ErrorList(error.errors.clone())).map(|t| t.js_value()).unwrap_or(JsValue::NULL);
    set("errors", errors);
    set("field", error.field.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set("rule", error.rule.map_or(JsValue::NULL, |r| JsValue::from_str(r.as_str())));
    set("retryAfterMs", error.retry_after_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64)));
    js.into()
}

/// A `TfeError` of kind `validation` on `field`, breaking `rule`.
pub fn validation_error(field: &str, rule: crate::validate::Rule, message: String) -> JsValue {
    let mut error = Error::new(ErrorKind::Validation, message);
    error.field = Some(field.to_string());
    error.rule = Some(rule);
    tfe_error(&error)
}

/// A value this package could not turn into JavaScript (never expected: results are plain data).
pub fn bad_result(e: impl std::fmt::Display) -> JsValue {
    validation_error("result", crate::validate::rule::TYPE, format!("result: {e}"))
}

/// JSON:API error objects, as `TfeError.errors`.
#[derive(Serialize, Deserialize, Tsify)]
#[serde(transparent)]
struct ErrorList(#[tsify(type = "JsonApiError[]")] Vec<ErrorObject>);

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &str = r#"
export interface JsonApiError { status?: string; code?: string; title?: string; detail?: string; source?: { pointer?: string; parameter?: string } }
/** What every method throws: a real Error with name "TfeError". */
export interface TfeError extends Error { name: "TfeError"; kind: TfeErrorKind; status: number | null; errors: JsonApiError[]; field: string | null; rule: string | null; retryAfterMs: number | null }
"#;
