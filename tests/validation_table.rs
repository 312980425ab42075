//! The validation table (`tests/fixtures/validation-table.json`): every rule, valid and invalid
//! cases, with the field and rule each failure must name. Runs natively and in the browser.

use serde::Deserialize;
use serde_json::Value;
use tfe_orgs::jsonapi::ResourceIdentifier;
use tfe_orgs::model::{AdminOrganizationUpdate, DataRetentionPolicy, ModulePartnershipsUpdate, OrganizationBody};
use tfe_orgs::validate::{self, ValidationError};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation-table.json"));

#[derive(Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    validator: String,
    input: Value,
    valid: bool,
    rule: Option<String>,
    field: Option<String>,
}

fn from<T: serde::de::DeserializeOwned>(input: &Value) -> T {
    serde_json::from_value(input.clone()).expect("table input matches the validator's type")
}

fn str_of(input: &Value) -> &str {
    input.as_str().expect("table input is a string")
}

/// Runs one validator on the case's input; the errors it reports.
fn run(case: &Case) -> Vec<ValidationError> {
    let input = &case.input;
    let one = |r: Result<(), ValidationError>| r.err().into_iter().collect::<Vec<_>>();
    match case.validator.as_str() {
        "organization_name" => one(validate::organization_name("name", str_of(input))),
        "external_id" => one(validate::external_id("external-id", str_of(input))),
        "duration" => one(validate::duration("timeout", str_of(input)).map(|_| ())),
        "email" => one(validate::email("/data/attributes/email", str_of(input))),
        "resource_identifier" => one(validate::resource_identifier("/data/0", &from::<ResourceIdentifier>(input))),
        "page_number" => one(validate::page_number(input.as_i64().unwrap())),
        "page_size" => one(validate::page_size(input.as_i64().unwrap())),
        "organization_create" => validate::organization_create(&from::<OrganizationBody>(input)),
        "organization_update" => validate::organization_update(&from::<OrganizationBody>(input)),
        "admin_organization_update" => validate::admin_organization_update(&from::<AdminOrganizationUpdate>(input)),
        "module_consumers" => validate::module_consumers(&from::<Vec<ResourceIdentifier>>(input)),
        "module_partnerships" => validate::module_partnerships(&from::<ModulePartnershipsUpdate>(input)),
        "sharing_intent" => {
            let consumers: Option<Vec<ResourceIdentifier>> = input.get("consumers").map(from);
            one(validate::sharing_intent(input.get("global").and_then(Value::as_bool), consumers.as_deref()))
        }
        "data_retention_policy" => {
            let policy = match input.get("days") {
                Some(days) => DataRetentionPolicy::DeleteOlderThan { days: days.as_u64().unwrap() as u32 },
                None => DataRetentionPolicy::DontDelete,
            };
            one(validate::data_retention_policy(&policy))
        }
        "base_url" => tfe_orgs::client::api_base(str_of(input)).err().into_iter().collect(),
        // Rules that need what the instance holds: the input carries it.
        "organization_against_stored" => {
            let stored: Option<tfe_orgs::model::OrganizationAttributes> = input.get("stored").map(from);
            let pool = input.get("pool").and_then(Value::as_str);
            validate::organization_against_stored(stored.as_ref().map(|s| (s, pool)), &from(&input["body"]))
        }
        "organization_name_free" => {
            let others: Vec<String> = from(&input["others"]);
            one(validate::organization_name_free(str_of(&input["name"]), others.iter().map(String::as_str)))
        }
        "consumers_known" => {
            let (names, known): (Vec<String>, Vec<String>) = (from(&input["names"]), from(&input["known"]));
            let pointer = |i| format!("/data/attributes/module-consumers/{i}");
            one(validate::consumers_known(names.iter().map(String::as_str), |n| known.iter().any(|k| k == n), pointer))
        }
        "given_once" => one(validate::given_once(str_of(&input["key"]), input["times"].as_u64().unwrap() as usize)),
        other => panic!("unknown validator {other} in the table"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn validation_table() {
    let table: Table = serde_json::from_str(TABLE).unwrap();
    assert!(table.cases.len() >= 80, "the table has {} cases", table.cases.len());
    let mut failures = Vec::new();
    for (i, case) in table.cases.iter().enumerate() {
        let errors = run(case);
        let describe = || format!("case {i}: {}({})", case.validator, case.input);
        if case.valid {
            if !errors.is_empty() {
                failures.push(format!("{} should be valid, got {errors:?}", describe()));
            }
            continue;
        }
        let Some(first) = errors.first() else {
            failures.push(format!("{} should fail with {:?}", describe(), case.rule));
            continue;
        };
        if Some(first.rule.as_str()) != case.rule.as_deref() || Some(&first.field) != case.field.as_ref() {
            failures.push(format!(
                "{} should fail at {:?} with rule {:?}, got {:?} {:?}",
                describe(),
                case.field,
                case.rule,
                first.field,
                first.rule
            ));
        }
        if first.message.is_empty() || !first.to_string().starts_with(&first.field) {
            failures.push(format!("{}: the message must be a sentence prefixed by the field", describe()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), table.cases.len(), failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_rule_appears_in_the_table() {
    let table: Table = serde_json::from_str(TABLE).unwrap();
    let rules: std::collections::BTreeSet<_> = table.cases.iter().filter_map(|c| c.rule.as_deref()).collect();
    let missing: Vec<&str> = validate::Rule::ALL.iter().map(|r| r.as_str()).filter(|r| !rules.contains(r)).collect();
    assert!(missing.is_empty(), "no invalid case in the table for the rules {missing:?}");
    let known: Vec<&str> = validate::Rule::ALL.iter().map(|r| r.as_str()).collect();
    let unknown: Vec<&&str> = rules.iter().filter(|r| !known.contains(r)).collect();
    assert!(unknown.is_empty(), "the table names rules the library does not have: {unknown:?}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn go_durations_parse_to_nanoseconds() {
    let cases = [
        ("1.5h", 5_400_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("300ms", 300_000_000),
        ("2h45m30s", 9_930_000_000_000),
        ("1µs", 1_000),
        ("1us", 1_000),
        ("-1.5s", -1_500_000_000),
        ("0", 0),
        ("9223372036854775807ns", i64::MAX),
    ];
    for (text, nanos) in cases {
        assert_eq!(validate::parse_go_duration(text), Ok(nanos), "{text}");
    }
    assert!(validate::parse_go_duration("9223372036854775808ns").is_err());
    assert_eq!(validate::parse_go_duration("2d").unwrap_err(), "unknown unit \"d\" in duration \"2d\"");
    assert_eq!(validate::parse_go_duration("2").unwrap_err(), "missing unit in duration \"2\"");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn organization_names_compare_without_case() {
    assert!(validate::same_organization_name("HashiCorp", "hashicorp"));
    assert!(!validate::same_organization_name("hashicorp", "hashicorp-two"));
}
