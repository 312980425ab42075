//! Malformed, mistyped, huge and deeply nested documents: a decode error naming the JSON path,
//! never a panic. Unknown attributes and enum values are kept, not rejected.

use tfe_orgs::jsonapi::{decode_list, decode_single};
use tfe_orgs::model::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const ADMIN_SHOW: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/admin-organizations/show.json"));
const ORG_LIST: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/organizations/list.json"));

fn edited(text: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut value);
    value.to_string()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn malformed_json_is_a_decode_error() {
    let err = decode_single::<AdminOrganizationAttributes>(&ADMIN_SHOW[..ADMIN_SHOW.len() / 2]).unwrap_err();
    assert!(err.message.contains("EOF"), "{err}");
    let err = decode_single::<AdminOrganizationAttributes>("{\"data\": {,}}").unwrap_err();
    assert_eq!(err.path, "/data");
    assert!(decode_single::<AdminOrganizationAttributes>("").is_err());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_wrong_type_names_the_type_member() {
    let text = edited(ADMIN_SHOW, |v| v["data"]["type"] = "workspaces".into());
    let err = decode_single::<AdminOrganizationAttributes>(&text).unwrap_err();
    assert_eq!(err.path, "/data/type");
    assert!(err.message.contains("\"organizations\"") && err.message.contains("workspaces"), "{err}");

    let text = edited(ORG_LIST, |v| v["data"][1]["type"] = "users".into());
    assert_eq!(decode_list::<OrganizationAttributes>(&text).unwrap_err().path, "/data/1/type");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn missing_data_is_named() {
    let err = decode_single::<AdminOrganizationAttributes>(r#"{"meta": {}}"#).unwrap_err();
    assert!(err.message.contains("missing field `data`"), "{err}");
    let err = decode_single::<AdminOrganizationAttributes>(r#"{"data": null}"#).unwrap_err();
    assert_eq!(err.path, "/data");
    let err = decode_single::<AdminOrganizationAttributes>(r#"{"data": {"type": "organizations"}}"#).unwrap_err();
    assert!(err.message.contains("missing field `id`"), "{err}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_string_where_a_bool_belongs_names_the_attribute() {
    let text = edited(ADMIN_SHOW, |v| v["data"]["attributes"]["is-disabled"] = "yes".into());
    let err = decode_single::<AdminOrganizationAttributes>(&text).unwrap_err();
    assert_eq!(err.path, "/data/attributes/is-disabled");
    assert!(err.message.contains("expected a boolean"), "{err}");
    assert_eq!(err.to_string(), format!("cannot decode /data/attributes/is-disabled: {}", err.message));

    let text = edited(ORG_LIST, |v| v["data"][1]["attributes"]["session-timeout"] = "20160".into());
    assert_eq!(decode_list::<OrganizationAttributes>(&text).unwrap_err().path, "/data/1/attributes/session-timeout");

    let text = edited(ORG_LIST, |v| v["meta"]["pagination"]["total-count"] = "two".into());
    assert_eq!(decode_list::<OrganizationAttributes>(&text).unwrap_err().path, "/meta/pagination/total-count");

    let text = edited(ADMIN_SHOW, |v| v["data"]["relationships"]["owners"]["data"] = 7.into());
    assert_eq!(
        decode_single::<AdminOrganizationAttributes>(&text).unwrap_err().path,
        "/data/relationships/owners/data"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn unknown_attributes_and_enum_values_are_kept() {
    let text = edited(ORG_LIST, |v| {
        let a = &mut v["data"][0]["attributes"];
        a["collaborator-auth-policy"] = "sso_only".into();
        a["default-execution-mode"] = "hybrid".into();
        a["brand-new-setting"] = serde_json::json!({"nested": [1, 2]});
    });
    let doc = decode_list::<OrganizationAttributes>(&text).unwrap();
    let a = &doc.data[0].attributes;
    assert_eq!(a.collaborator_auth_policy, Some(CollaboratorAuthPolicy::Other("sso_only".into())));
    assert_eq!(a.default_execution_mode, Some(ExecutionMode::Other("hybrid".into())));
    assert_eq!(a.extra["brand-new-setting"], serde_json::json!({"nested": [1, 2]}));
    let written = serde_json::to_value(a).unwrap();
    assert_eq!(written["brand-new-setting"]["nested"][1], 2, "unknown attributes are written back");
    assert_eq!(written["collaborator-auth-policy"], "sso_only");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn partial_or_absent_pagination_meta_is_handled() {
    let text = edited(ORG_LIST, |v| {
        v["meta"]["pagination"] = serde_json::json!({"current-page": 3});
    });
    let page = decode_list::<OrganizationAttributes>(&text).unwrap().pagination().unwrap();
    assert_eq!((page.current_page, page.total_count, page.next_page), (Some(3), None, None));
    let text = edited(ORG_LIST, |v| {
        v.as_object_mut().unwrap().remove("meta");
    });
    assert_eq!(decode_list::<OrganizationAttributes>(&text).unwrap().pagination(), None);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_huge_document_decodes() {
    let mut value: serde_json::Value = serde_json::from_str(ORG_LIST).unwrap();
    let one = value["data"][0].clone();
    value["data"] = serde_json::Value::Array(
        (0..5000)
            .map(|i| {
                let mut org = one.clone();
                org["id"] = format!("org-{i}").into();
                org
            })
            .collect(),
    );
    let doc = decode_list::<OrganizationAttributes>(&value.to_string()).unwrap();
    assert_eq!(doc.data.len(), 5000);
    assert_eq!(doc.data[4999].id, "org-4999");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = ADMIN_SHOW.replacen("\"sso-enabled\": false", &format!("\"sso-enabled\": false, \"deep\": {deep}"), 1);
    let err = decode_single::<AdminOrganizationAttributes>(&text).unwrap_err();
    assert!(err.message.contains("recursion limit"), "{err}");
    assert!(err.path.starts_with("/data/attributes/deep"), "{}", err.path);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn error_positions_map_back_to_json_pointers() {
    use tfe_orgs::jsonapi::pointer_at;
    let text = r#"{"a": [1, {"b\"/c~": tru"#;
    assert_eq!(pointer_at(text, text.len()), "/a/1/b\"~1c~0");
    let text = r#"{"data": [{"id": "x"}, {"id": 7"#;
    assert_eq!(pointer_at(text, text.len()), "/data/1/id");
    // After a closed container the pointer is back at its member.
    let text = r#"{"data": {"type": "x"}"#;
    assert_eq!(pointer_at(text, text.len()), "/data");
    assert_eq!(pointer_at("", 10), "");
    // Line and column of a multi-line body.
    let text = "{\n  \"data\": {\n    \"id\": \"a\",\n    \"type\": 7\n  }\n}";
    let err = decode_single::<OrganizationAttributes>(text).unwrap_err();
    assert_eq!(err.path, "/data/type", "{err}");
}
