//! Realistic Explorer usage for the seed and `--generate` (explorer.md): every organization uses
//! public modules and providers; most specific grants are used by a few workspaces and a sizeable
//! share by none; a producer sharing with everyone is used by some; and some organizations still
//! use a module of a producer that no longer shares with them (stale use). Deterministic: the
//! same state gives the same usage.

use std::collections::HashMap;

use crate::state::{State, UsedVersion};

/// Out of 100: how many specific module grants are used (the rest are not).
const MODULE_GRANTS_USED: u64 = 60;
const PROVIDER_GRANTS_USED: u64 = 50;
/// Out of 100: how many organizations use a producer that shares with everyone.
const GLOBAL_MODULES_USED: u64 = 12;
const GLOBAL_PROVIDERS_USED: u64 = 8;
/// One organization in this many still uses a module it is no longer granted.
const STALE_ONE_IN: u64 = 13;

/// FNV-1a over the parts, lowercased (names are case-insensitive).
pub(crate) fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= b.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn workspaces(consumer: &str, item: &str, h: u64) -> Vec<String> {
    const ENVS: &[&str] = &["prod", "staging", "dev"];
    // Mostly one to three workspaces, now and then a dozen.
    let count = if h.is_multiple_of(17) { 12 } else { 1 + (h >> 20) % 3 } as usize;
    let short: String = consumer.chars().take(12).collect();
    (0..count).map(|k| format!("{short}-{item}-{}-{}", ENVS[k % ENVS.len()], k + 1)).collect()
}

fn version(h: u64) -> String {
    format!("{}.{}.{}", 1 + h % 3, (h >> 4) % 10, (h >> 12) % 5)
}

fn host(h: u64) -> &'static str {
    if h.is_multiple_of(2) {
        "localterraform.com"
    } else {
        "tfe.example.com"
    }
}

/// A private module of `producer` used by `consumer`'s workspaces.
fn module(producer: &str, consumer: &str, h: u64) -> UsedVersion {
    const NAMES: &[&str] = &["network", "compute", "database", "cluster"];
    const PROVIDERS: &[&str] = &["aws", "azurerm", "google"];
    let (name, provider) = (NAMES[(h % 4) as usize], PROVIDERS[((h >> 8) % 3) as usize]);
    UsedVersion {
        view: "modules".into(),
        name: name.into(),
        source: format!("{}/{producer}/{name}/{provider}", host(h >> 3)),
        version: version(h >> 5),
        registry_type: "private".into(),
        workspaces: workspaces(consumer, name, h),
    }
}

/// A private provider of `producer` (its namespace) used by `consumer`'s workspaces.
fn provider(producer: &str, consumer: &str, h: u64) -> UsedVersion {
    const NAMES: &[&str] = &["internal", "cmdb", "vault-config"];
    let name = NAMES[(h % 3) as usize];
    UsedVersion {
        view: "providers".into(),
        name: name.into(),
        source: format!("{}/{producer}/{name}", host(h >> 3)),
        version: version(h >> 5),
        registry_type: "private".into(),
        workspaces: workspaces(consumer, name, h),
    }
}

/// What every organization uses from the public registry: a module whose namespace is
/// `hashicorp` (an organization of that name's grant is not what it uses) and a provider.
fn public(consumer: &str) -> [UsedVersion; 2] {
    let h = hash(&[consumer, "public"]);
    [
        UsedVersion {
            view: "modules".into(),
            name: "consul".into(),
            source: "hashicorp/consul/aws".into(),
            version: "0.12.1".into(),
            registry_type: "public".into(),
            workspaces: workspaces(consumer, "consul", h),
        },
        UsedVersion {
            view: "providers".into(),
            name: "aws".into(),
            source: "registry.terraform.io/hashicorp/aws".into(),
            version: "5.31.0".into(),
            registry_type: "public".into(),
            workspaces: workspaces(consumer, "aws", h >> 7),
        },
    ]
}

/// Work out every organization's usage from the sharing it has now.
pub fn simulate(state: &mut State) {
    let orgs = &state.orgs;
    let index: HashMap<String, usize> =
        orgs.iter().enumerate().map(|(i, o)| (o.name().to_ascii_lowercase(), i)).collect();
    let mut usage: Vec<Vec<UsedVersion>> = orgs.iter().map(|o| public(o.name()).to_vec()).collect();
    for (p, producer) in orgs.iter().enumerate() {
        let name = producer.name();
        let mut grant = |consumers: &[String], salt: &str, percent: u64, make: fn(&str, &str, u64) -> UsedVersion| {
            for consumer in consumers {
                let h = hash(&[name, consumer, salt]);
                if let Some(&c) = index.get(&consumer.to_ascii_lowercase()).filter(|_| h % 100 < percent) {
                    usage[c].push(make(name, orgs[c].name(), h >> 7));
                }
            }
        };
        grant(&producer.consumers, "modules", MODULE_GRANTS_USED, module);
        grant(&producer.provider_consumers, "providers", PROVIDER_GRANTS_USED, provider);
        for (c, consumer) in orgs.iter().enumerate().filter(|(c, _)| *c != p) {
            let h = hash(&[name, consumer.name(), "global"]);
            if producer.shares_modules_globally() && h % 100 < GLOBAL_MODULES_USED {
                usage[c].push(module(name, consumer.name(), h >> 7));
            }
            if producer.shares_providers_globally() && (h >> 32) % 100 < GLOBAL_PROVIDERS_USED {
                usage[c].push(provider(name, consumer.name(), h >> 9));
            }
        }
    }
    for (c, consumer) in orgs.iter().enumerate() {
        let h = hash(&[consumer.name(), "stale"]);
        let p = (h >> 8) as usize % orgs.len();
        if h.is_multiple_of(STALE_ONE_IN) && p != c && !orgs[p].shares_with(consumer.name()) {
            usage[c].push(module(orgs[p].name(), consumer.name(), h >> 11));
        }
    }
    for (org, used) in state.orgs.iter_mut().zip(usage) {
        org.usage = used;
    }
}
