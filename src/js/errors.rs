//! `TfeError`: the class of every error the package throws, and how a library error becomes one.

use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::client::{Error, ErrorKind};
use crate::jsonapi::ErrorObject;
use crate::validate::Rule;

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

/// The properties a `TfeError` has beyond `Error`'s own: the TypeScript interface
/// `TfeErrorFields` is derived from this struct, and every thrown error gets its values.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TfeErrorFields {
    #[tsify(type = "TfeErrorKind")]
    pub kind: ErrorKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The JSON:API error objects the answer carried.
    #[tsify(type = "JsonApiError[]")]
    pub errors: Vec<ErrorObject>,
    /// The field a validation error names (a JSON pointer or a parameter).
    pub field: Option<String>,
    /// The rule it broke.
    pub rule: Option<Rule>,
    /// How long the instance asked to wait (429).
    pub retry_after_ms: Option<u64>,
}

/// The library's error as a thrown `TfeError`.
pub fn tfe_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("TfeError");
    TFE_ERROR_PROTOTYPE.with(|prototype| js_sys::Object::set_prototype_of(&js, prototype));
    let fields = TfeErrorFields {
        kind: error.kind,
        status: error.status,
        errors: error.errors.clone(),
        field: error.field.clone(),
        rule: error.rule,
        retry_after_ms: error.retry_after_ms,
    };
    if let Ok(fields) = Ts::from_rust(&fields) {
        js_sys::Object::assign(&js, fields.js_value().unchecked_ref());
    }
    js.into()
}

/// Every library error crosses into JavaScript as a thrown `TfeError` (so `?` converts it).
impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        tfe_error(&error)
    }
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
    validation_error("result", Rule::Type, format!("result: {e}"))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &str = r#"
/** What every method throws: a real Error with name "TfeError" and the fields of `TfeErrorFields`. */
export interface TfeError extends Error, TfeErrorFields { name: "TfeError" }
"#;
