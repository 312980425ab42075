//! Every writable attribute of the organization and admin bodies, walked through create and
//! `PATCH` and read back. The values come from the library's model (each attribute's shape), so
//! an attribute added to a body joins the walk with no edit here; only values a rule constrains
//! (a name, an address, a duration, the read-only flag) are chosen by name.

use serde_json::{json, Map, Value};
use tfe_orgs::model::{AdminOrganizationUpdate, Attributes, OrganizationBody, Shape};
use tfe_orgs::validate::SEND_PASSING;

/// A value for every writable attribute of `B` that every rule accepts; `round` 0 and 1 give
/// different values (flags on then off, another option, a number, then `null` where allowed).
pub fn samples<B: Attributes>(round: usize) -> Map<String, Value> {
    let mut body = Map::new();
    for field in B::FIELDS {
        let key = field.key;
        let value = match (key, field.shape) {
            ("name", _) => json!(format!("walked-{round}")),
            ("email", _) => json!(format!("walk{round}@example.com")),
            // Always false on TFE: only false is accepted.
            (SEND_PASSING, _) => json!(false),
            // Shown under "default-agent-pool"; sent with the agent mode only (below).
            ("default-agent-pool-id", _) => continue,
            (_, Shape::Text | Shape::Count) if field.nullable && round == 1 => Value::Null,
            (key, Shape::Text) if key.ends_with("-timeout") => json!(["90m", "3h"][round]),
            (_, Shape::Text) => json!(format!("walk-{key}-{round}")),
            (_, Shape::Count) => json!(40 + round),
            (_, Shape::Flag) => json!(round == 0),
            (_, Shape::Choice(options)) => json!(options[(round + 1) % options.len()].0),
            (_, Shape::Structured) => continue,
        };
        body.insert(key.to_string(), value);
    }
    if body.get("default-execution-mode") == Some(&json!("agent")) {
        body.insert("default-agent-pool-id".into(), json!(format!("apool-walk{round}")));
    }
    body
}

/// One step of the walk: the request's status and answer.
pub type Send<'a> = dyn FnMut(&str, &str, Option<Value>) -> (u16, Value) + 'a;

/// Create with round 0's organization attributes, `PATCH` round 1's, and the same for the admin
/// attributes; after each write, a `GET` shows every value sent.
pub fn walk(send: &mut Send) {
    let document =
        |attributes: &Map<String, Value>| json!({ "data": { "type": "organizations", "attributes": attributes } });
    let check = |answer: &Value, sent: &Map<String, Value>, what: &str| {
        for (key, value) in sent {
            let shown = match key.as_str() {
                "default-agent-pool-id" => &answer["data"]["relationships"]["default-agent-pool"]["data"]["id"],
                _ => &answer["data"]["attributes"][key],
            };
            assert_eq!(shown, value, "{what}: {key} was sent as {value} and reads back as {shown}");
        }
    };
    let first = samples::<OrganizationBody>(0);
    assert!(first.len() >= OrganizationBody::FIELDS.len() - 1, "every writable attribute is walked");
    let (status, answer) = send("POST", "/api/v2/organizations", Some(document(&first)));
    assert_eq!(status, 201, "{answer}");
    let (_, shown) = send("GET", "/api/v2/organizations/walked-0", None);
    check(&shown, &first, "create");

    let second = samples::<OrganizationBody>(1);
    let (status, answer) = send("PATCH", "/api/v2/organizations/walked-0", Some(document(&second)));
    assert_eq!(status, 200, "{answer}");
    let (_, shown) = send("GET", "/api/v2/organizations/walked-1", None);
    check(&shown, &second, "update");
    // The agent mode left with round 1: its pool went with it.
    if second.get("default-execution-mode") != Some(&json!("agent")) {
        assert_eq!(shown["data"]["relationships"]["default-agent-pool"]["data"], Value::Null);
    }

    for round in 0..2 {
        let admin = samples::<AdminOrganizationUpdate>(round);
        assert_eq!(admin.len(), AdminOrganizationUpdate::FIELDS.len(), "every admin attribute is walked");
        let (status, answer) = send("PATCH", "/api/v2/admin/organizations/walked-1", Some(document(&admin)));
        assert_eq!(status, 200, "{answer}");
        let (_, shown) = send("GET", "/api/v2/admin/organizations/walked-1", None);
        check(&shown, &admin, &format!("admin round {round}"));
    }
}
