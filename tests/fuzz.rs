//! Fuzzing with proptest (cargo-fuzz needs a nightly toolchain this machine does not have):
//! the JSON:API decoder and every validator must never panic, whatever the input.
//! `FUZZ_CASES` sets the cases per property (default 20,000: 11 properties, 220,000 inputs in
//! `cargo xtask test`); `cargo xtask fuzz` runs 1,000,000 per property in release mode.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use tfe_orgs::jsonapi::{self, decode_list, decode_new_resource, decode_single, ResourceIdentifier};
use tfe_orgs::model::*;
use tfe_orgs::validate;

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

const FIXTURES: &[&str] = &[
    include_str!("fixtures/organizations/list.json"),
    include_str!("fixtures/organizations/create.json"),
    include_str!("fixtures/admin-organizations/list.json"),
    include_str!("fixtures/admin-organizations/module-consumers.json"),
    include_str!("fixtures/admin-module-sharing/module-partnerships.json"),
    include_str!("fixtures/organizations/entitlement-set.json"),
    include_str!("fixtures/extra/error-422.json"),
];

/// Names as TFE would take them most of the time, anything at all otherwise.
fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[A-Za-z0-9][A-Za-z0-9_-]{0,38}", 1 => ".{0,40}"]
}

/// The name generator exercises both sides: most of what it makes is a valid name.
#[test]
fn the_name_generator_makes_valid_names_often_enough() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = name_like();
    let valid = (0..2_000)
        .filter(|_| {
            let name = strategy.new_tree(&mut runner).unwrap().current();
            validate::organization_name("name", &name).is_ok()
        })
        .count();
    assert!((1_200..2_000).contains(&valid), "{valid} of 2,000 valid: both sides are tested");
}

/// Feed one text to every decoder; only `Ok`/`Err` may come back.
fn decode_everything(text: &str) {
    let _ = decode_list::<OrganizationAttributes>(text);
    let _ = decode_single::<OrganizationAttributes>(text);
    if let Ok(doc) = decode_list::<AdminOrganizationAttributes>(text) {
        let _ = doc.included_of::<UserAttributes>();
        doc.data.iter().for_each(|o| drop(o.owner_ids()));
    }
    let _ = decode_single::<AdminOrganizationAttributes>(text);
    let _ = decode_single::<Entitlements>(text).map(|e| e.data.attributes.policy_limit());
    let _ = decode_list::<ModulePartnershipAttributes>(text);
    let _ = decode_list::<OrganizationRefAttributes>(text);
    let _ = decode_single::<DataRetentionPolicyAttributes>(text).map(|d| DataRetentionPolicy::from_resource(&d.data));
    let _ = decode_new_resource::<OrganizationBody>(text).map(|b| validate::organization_create(&b));
    let _ = decode_new_resource::<AdminOrganizationUpdate>(text).map(|b| validate::admin_organization_update(&b));
    let _ =
        jsonapi::decode::<jsonapi::Body<Vec<ResourceIdentifier>>>(text).map(|b| validate::module_consumers(&b.data));
    let _ = jsonapi::decode_errors(text);
}

/// A fixture with a few bytes replaced, inserted or removed (kept valid UTF-8).
fn mutated() -> impl Strategy<Value = String> {
    (0..FIXTURES.len(), prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 1..6)).prop_map(
        |(f, edits)| {
            let mut chars: Vec<char> = FIXTURES[f].chars().collect();
            for (at, op, c) in edits {
                let i = at.index(chars.len().max(1));
                match op {
                    0 if i < chars.len() => chars[i] = c,
                    1 => chars.insert(i.min(chars.len()), c),
                    _ if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ => {}
                }
            }
            chars.into_iter().collect()
        },
    )
}

/// Arbitrary JSON values, nested, with the keys and types the decoders look for.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let keys = prop::sample::select(vec![
        "data",
        "type",
        "id",
        "attributes",
        "relationships",
        "included",
        "meta",
        "pagination",
        "links",
        "errors",
        "name",
        "email",
        "is-disabled",
        "owners",
        "current-page",
        "total-count",
        "status-counts",
        "source",
        "pointer",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(Into::into),
        any::<i64>().prop_map(Into::into),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)),
        ".{0,12}".prop_map(Into::into),
        Just("organizations".into()),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(String::from), inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decoder_survives_arbitrary_text(text in ".{0,200}") {
        decode_everything(&text);
    }

    #[test]
    fn decoder_survives_mutated_fixtures(text in mutated()) {
        decode_everything(&text);
    }

    #[test]
    fn decoder_survives_arbitrary_json(value in json_value()) {
        decode_everything(&value.to_string());
        decode_everything(&serde_json::json!({ "data": value }).to_string());
    }

    #[test]
    fn name_and_id_validators_never_panic(text in ".{0,40}") {
        let valid_name = validate::organization_name("name", &text).is_ok();
        // A name that passes can never change the path it is put in.
        prop_assert!(!valid_name || !text.chars().any(|c| "/?#%. ".contains(c)));
        let _ = validate::external_id("id", &text);
        let _ = validate::email("email", &text);
        let _ = validate::resource_identifier("/data/0", &ResourceIdentifier::organization(text.clone()));
    }

    #[test]
    fn duration_parser_never_panics(text in "[-+]?([0-9.]{0,22}(ns|us|µs|μs|ms|s|m|h|d|H| )?){0,4}") {
        if let Ok(nanos) = validate::parse_go_duration(&text) {
            prop_assert!(text.starts_with('-') || nanos >= 0);
        }
        let _ = validate::duration("timeout", &text);
    }

    #[test]
    fn body_validators_never_panic(
        name in proptest::option::of(".{0,20}"),
        email in proptest::option::of(".{0,20}"),
        flags in any::<(Option<bool>, Option<bool>, Option<u32>)>(),
        mode in proptest::option::of(".{0,8}"),
        pool in proptest::option::of(".{0,8}"),
        timeout in proptest::option::of(".{0,10}"),
    ) {
        let body = OrganizationBody {
            name, email,
            aggregated_commit_status_enabled: flags.0,
            send_passing_statuses_for_untriggered_speculative_plans: flags.1,
            session_timeout: flags.2,
            default_execution_mode: mode.as_deref().map(ExecutionMode::from),
            default_agent_pool_id: pool,
            ..Default::default()
        };
        let _ = validate::organization_create(&body);
        let _ = validate::organization_update(&body);
        let admin = AdminOrganizationUpdate { plan_timeout: timeout.map(Some), ..Default::default() };
        let _ = validate::admin_organization_update(&admin);
        let ids = ModulePartnershipsUpdate::new(body.name.clone());
        let _ = validate::module_partnerships(&ids);
        let _ = validate::sharing_intent(flags.0, Some(&[ResourceIdentifier::organization("x")]));
    }

    #[test]
    fn a_valid_name_is_accepted_wherever_a_name_goes_and_an_invalid_one_nowhere(name in name_like()) {
        let valid = validate::organization_name("name", &name).is_ok();
        let body = OrganizationBody { name: Some(name.clone()), email: Some("ops@example.com".into()), ..Default::default() };
        let create = validate::organization_create(&body);
        prop_assert_eq!(valid, !create.iter().any(|e| e.field == "/data/attributes/name"), "{:?}", create);
        let id = validate::resource_identifier("/data/0", &ResourceIdentifier::organization(name.clone()));
        prop_assert_eq!(valid, id.is_ok(), "{:?}", id);
    }

    #[test]
    fn a_decode_error_names_a_path_that_exists_in_the_document(text in mutated()) {
        // Only documents that are still JSON: a syntax error has no value to point at.
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            for e in [
                decode_list::<OrganizationAttributes>(&text).err(),
                decode_list::<AdminOrganizationAttributes>(&text).err(),
                decode_single::<OrganizationAttributes>(&text).err(),
            ]
            .into_iter()
            .flatten()
            {
                prop_assert!(value.pointer(&e.path).is_some(), "{} is not in {}", e.path, text);
            }
        }
    }

    #[test]
    fn formatted_durations_parse_to_exact_nanoseconds(
        h in 0i64..10_000, m in 0i64..60, sec in 0i64..60, ms in 0i64..1000, us in 0i64..1000,
    ) {
        let text = format!("{h}h{m}m{sec}s{ms}ms{us}us");
        let expected = ((((h * 60 + m) * 60 + sec) * 1000 + ms) * 1000 + us) * 1000;
        prop_assert_eq!(validate::parse_go_duration(&text).ok(), Some(expected), "{}", text);
        prop_assert_eq!(validate::parse_go_duration(&format!("{sec}.{ms:03}s")).ok(), Some((sec * 1000 + ms) * 1_000_000));
    }

    #[test]
    fn a_sharing_intent_is_an_error_exactly_when_global_sharing_comes_with_a_list(
        global in proptest::option::of(any::<bool>()),
        consumers in proptest::option::of(0usize..4),
    ) {
        let ids: Option<Vec<ResourceIdentifier>> =
            consumers.map(|n| (0..n).map(|i| ResourceIdentifier::organization(format!("org-{i}"))).collect());
        let refused = validate::sharing_intent(global, ids.as_deref()).is_err();
        prop_assert_eq!(refused, global == Some(true) && consumers.is_some_and(|n| n > 0));
    }

    #[test]
    fn page_validators_never_panic(n in any::<i64>()) {
        prop_assert_eq!(validate::page_number(n).is_ok(), n >= 1);
        prop_assert_eq!(validate::page_size(n).is_ok(), (1..=100).contains(&n));
    }
}

/// Every fixture decodes, encodes and decodes again to the same value.
#[test]
fn every_fixture_round_trips_through_the_model() {
    fn list<
        A: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug + Default + jsonapi::ResourceKind,
    >(
        text: &str,
    ) {
        let doc = decode_list::<A>(text).unwrap();
        let again = decode_list::<A>(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(doc, again);
    }
    fn single<
        A: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug + Default + jsonapi::ResourceKind,
    >(
        text: &str,
    ) {
        let doc = decode_single::<A>(text).unwrap();
        let again = decode_single::<A>(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(doc, again);
    }
    list::<OrganizationAttributes>(FIXTURES[0]);
    single::<OrganizationAttributes>(FIXTURES[1]);
    list::<AdminOrganizationAttributes>(FIXTURES[2]);
    list::<AdminOrganizationAttributes>(FIXTURES[3]);
    list::<ModulePartnershipAttributes>(FIXTURES[4]);
    single::<Entitlements>(FIXTURES[5]);
}
