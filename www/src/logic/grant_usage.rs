//! Which sharing grants are in use (Explorer): the usage table's rows (filtered), its summary,
//! its CSV for people, the selection of unused grants to revoke, and the line an impact warning
//! adds about who uses a producer.

use tfe_orgs::client::{GrantUsage, Usage};

use super::export::csv_cell;
use super::format::{count_of, thousands};

/// Which grants the table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UsageFilter {
    #[default]
    All,
    Used,
    Unused,
    Unknown,
}

impl UsageFilter {
    pub const ALL: [UsageFilter; 4] = [UsageFilter::All, UsageFilter::Used, UsageFilter::Unused, UsageFilter::Unknown];

    pub fn value(self) -> &'static str {
        match self {
            UsageFilter::All => "all",
            UsageFilter::Used => "used",
            UsageFilter::Unused => "unused",
            UsageFilter::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UsageFilter::All => "Every grant",
            UsageFilter::Used => "Used grants",
            UsageFilter::Unused => "Unused grants",
            UsageFilter::Unknown => "Unknown",
        }
    }

    pub fn parse(value: &str) -> UsageFilter {
        UsageFilter::ALL.into_iter().find(|f| f.value() == value).unwrap_or_default()
    }

    fn keeps(self, usage: &Usage) -> bool {
        match self {
            UsageFilter::All => true,
            UsageFilter::Used => matches!(usage, Usage::Used { .. }),
            UsageFilter::Unused => matches!(usage, Usage::Unused),
            UsageFilter::Unknown => matches!(usage, Usage::Unknown { .. }),
        }
    }
}

/// A grant's usage in a word.
pub fn usage_word(usage: &Usage) -> &'static str {
    match usage {
        Usage::Used { .. } => "Used",
        Usage::Unused => "Unused",
        Usage::Unknown { .. } => "Unknown",
    }
}

/// What is used (`network/aws 1.2.0: 3 workspaces`), or why it is not known.
pub fn usage_detail(usage: &Usage) -> Vec<String> {
    match usage {
        Usage::Used { items } => items
            .iter()
            .map(|i| {
                let what = match &i.provider {
                    Some(p) => format!("{}/{p}", i.name),
                    None => i.name.clone(),
                };
                let version = i.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
                let workspaces = count_of(i.workspace_count as usize, "workspace", "workspaces");
                format!("{what}{version}: {workspaces} ({})", i.workspaces.join(", "))
            })
            .collect(),
        Usage::Unused => Vec::new(),
        Usage::Unknown { reason } => vec![reason.clone()],
    }
}

/// Whether `grant` may be selected to revoke: unused and specific (a grant to every
/// organization is the producer's global flag, changed in its admin settings).
pub fn revocable(grant: &GrantUsage) -> bool {
    !grant.global && matches!(grant.usage, Usage::Unused)
}

/// A grant's key in a selection.
pub fn grant_key(grant: &GrantUsage) -> String {
    format!("{}→{}", grant.producer.to_ascii_lowercase(), grant.consumer.to_ascii_lowercase())
}

/// The grants shown: `filter`, and `text` in the producer's or the consumer's name; by producer,
/// then consumer.
pub fn usage_rows(all: &[GrantUsage], filter: UsageFilter, text: &str) -> Vec<GrantUsage> {
    let text = text.trim().to_ascii_lowercase();
    let mut rows: Vec<GrantUsage> = all
        .iter()
        .filter(|g| filter.keeps(&g.usage))
        .filter(|g| {
            text.is_empty()
                || g.producer.to_ascii_lowercase().contains(&text)
                || g.consumer.to_ascii_lowercase().contains(&text)
        })
        .cloned()
        .collect();
    rows.sort_by_cached_key(|g| (g.producer.to_ascii_lowercase(), g.consumer.to_ascii_lowercase()));
    rows
}

/// How many are used (in how many workspaces), unused and unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct UsageCounts {
    pub used: usize,
    pub workspaces: u64,
    pub unused: usize,
    pub unknown: usize,
}

impl UsageCounts {
    pub fn of<'a>(grants: impl IntoIterator<Item = &'a GrantUsage>) -> Self {
        let mut c = UsageCounts::default();
        for g in grants {
            match g.usage {
                Usage::Used { .. } => {
                    c.used += 1;
                    c.workspaces += g.workspace_count as u64;
                }
                Usage::Unused => c.unused += 1,
                Usage::Unknown { .. } => c.unknown += 1,
            }
        }
        c
    }

    /// "822 grants: 480 used (in 1,310 workspaces), 320 unused, 22 unknown".
    pub fn sentence(self) -> String {
        let total = self.used + self.unused + self.unknown;
        format!(
            "{}: {} used (in {}), {} unused, {} unknown",
            count_of(total, "grant", "grants"),
            thousands(self.used as u64),
            count_of(self.workspaces as usize, "workspace", "workspaces"),
            thousands(self.unused as u64),
            thousands(self.unknown as u64)
        )
    }
}

/// Every grant as CSV for people: a header of words, the usage in words, the items and
/// workspaces, the reason where unknown.
pub fn usage_csv(grants: &[GrantUsage]) -> String {
    let mut out = String::from("Producer,Consumer,Registry,Shares with,Usage,Workspaces,What is used,Why unknown\n");
    for g in grants {
        let (what, why) = match &g.usage {
            Usage::Unknown { reason } => (String::new(), reason.clone()),
            other => (usage_detail(other).join("; "), String::new()),
        };
        let cells = [
            g.producer.clone(),
            g.consumer.clone(),
            g.registry.noun().to_string(),
            if g.global { "Every organization".into() } else { "Listed".into() },
            usage_word(&g.usage).into(),
            g.workspace_count.to_string(),
            what,
            why,
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// The grants of those who lose access: `only` these consumers (a sharing editor's removals),
/// never those that `keeps` (global sharing ending for all but them).
pub fn losing_access(grants: Vec<GrantUsage>, only: Option<&[String]>, keeps: &[String]) -> Vec<GrantUsage> {
    let named = |list: &[String], c: &str| list.iter().any(|n| n.eq_ignore_ascii_case(c));
    grants.into_iter().filter(|g| only.is_none_or(|o| named(o, &g.consumer)) && !named(keeps, &g.consumer)).collect()
}

/// What an impact warning adds: of the organizations that lose access to the producers'
/// registry, how many use it and in how many workspaces, where Explorer answers. Counted by
/// organization (one using two of the producers counts once): used where any grant is used,
/// unknown where none is and one could not be read.
pub fn impact_usage_line(grants: &[GrantUsage], noun: &str) -> String {
    let mut by_consumer: std::collections::BTreeMap<String, (bool, bool)> = Default::default();
    let mut workspaces = 0usize;
    for g in grants {
        let seen = by_consumer.entry(g.consumer.to_ascii_lowercase()).or_default();
        match &g.usage {
            Usage::Used { .. } => {
                seen.0 = true;
                workspaces += g.workspace_count as usize;
            }
            Usage::Unknown { .. } => seen.1 = true,
            Usage::Unused => {}
        }
    }
    let used = by_consumer.values().filter(|(u, _)| *u).count();
    let unknown = by_consumer.values().filter(|(u, k)| !*u && *k).count();
    let known = by_consumer.len() - unknown;
    let global = grants.iter().any(|g| g.global);
    let mut line = if known == 0 && unknown > 0 {
        format!("Explorer: whether they use its {noun} is not known")
    } else if global {
        format!(
            "Explorer: {} its {noun}, in {}",
            match used {
                1 => "1 organization uses".to_string(),
                n => format!("{} organizations use", thousands(n as u64)),
            },
            count_of(workspaces, "workspace", "workspaces")
        )
    } else {
        format!(
            "Explorer: {} of the {} that lose access use its {noun}, in {}",
            thousands(used as u64),
            count_of(known, "organization", "organizations"),
            count_of(workspaces, "workspace", "workspaces")
        )
    };
    if unknown > 0 {
        let why = grants
            .iter()
            .find_map(|g| match &g.usage {
                Usage::Unknown { reason } => Some(reason.as_str()),
                _ => None,
            })
            .unwrap_or_default();
        line.push_str(&format!(" ({} could not be read: {why})", thousands(unknown as u64)));
    }
    line.push('.');
    line
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use tfe_orgs::client::{Registry, SharingIntent};

    use super::*;
    use crate::logic::sandbox_client::{admin_client, block_on, Release};

    #[test]
    fn the_usage_table_filters_counts_and_exports_what_explorer_said() {
        let api = admin_client(Release::Current, 300);
        let all = block_on(api.grant_usage(Registry::Modules, None, &|| false, &mut |_, _| {})).unwrap();
        let counts = UsageCounts::of(&all);
        assert!(counts.used > 0 && counts.unused > 0 && counts.unknown > 0, "{counts:?}");
        assert_eq!(usage_rows(&all, UsageFilter::Unused, "").len(), counts.unused);
        assert_eq!(usage_rows(&all, UsageFilter::Unknown, "").len(), counts.unknown);
        assert!(usage_rows(&all, UsageFilter::Used, "").iter().all(|g| g.workspace_count > 0));
        let acme = usage_rows(&all, UsageFilter::All, "ACME-");
        assert!(!acme.is_empty() && acme.iter().all(|g| g.producer.contains("acme-") || g.consumer.contains("acme-")));
        assert!(counts.sentence().starts_with(&format!("{} grants: ", thousands(all.len() as u64))));
        let csv = usage_csv(&all);
        assert_eq!(
            csv.lines().next(),
            Some("Producer,Consumer,Registry,Shares with,Usage,Workspaces,What is used,Why unknown")
        );
        assert_eq!(csv.lines().count(), all.len() + 1);
        assert!(csv.contains(",Unknown,0,,\"Explorer did not answer"), "the reason, in words");
        // Only unused, specific grants can be picked to revoke.
        assert!(all.iter().filter(|g| revocable(g)).all(|g| !g.global && g.usage == Usage::Unused));
    }

    #[test]
    fn revoking_reads_each_producers_list_now_so_a_later_grant_stays() {
        let api = admin_client(Release::Current, 0);
        let all = block_on(api.grant_usage(Registry::Modules, None, &|| false, &mut |_, _| {})).unwrap();
        let unused: Vec<GrantUsage> = all.iter().filter(|g| revocable(g)).cloned().collect();
        let target = unused.first().expect("an unused grant in the seed").clone();
        // Granted after the audit: the document must keep it.
        let mut now: Vec<String> =
            all.iter().filter(|g| g.producer == target.producer && !g.global).map(|g| g.consumer.clone()).collect();
        now.push("vandelay-imports".into());
        let intent = SharingIntent { global: Some(false), consumers: Some(now) };
        block_on(api.update_module_sharing(&target.producer, &intent)).unwrap();
        let doc = block_on(api.revoke_now(std::slice::from_ref(&target))).unwrap();
        let list = doc.organizations[&target.producer].module_consumers.clone().unwrap();
        assert!(list.contains(&"vandelay-imports".to_string()));
        assert!(!list.iter().any(|c| c.eq_ignore_ascii_case(&target.consumer)));
        assert_eq!(doc.organizations.len(), 1, "only the producer whose grant is revoked");
        // Sharing with everyone since: refused, never written as a list.
        let on = SharingIntent { global: Some(true), consumers: Some(Vec::new()) };
        block_on(api.update_module_sharing(&target.producer, &on)).unwrap();
        let refused = block_on(api.revoke_now(std::slice::from_ref(&target))).unwrap_err();
        assert!(refused.message.contains("with every organization now"), "{}", refused.message);
    }

    #[test]
    fn an_impact_line_counts_who_uses_it_and_says_what_could_not_be_read() {
        let api = admin_client(Release::Current, 0);
        let umbrella =
            block_on(api.grant_usage(Registry::Modules, Some(&["umbrella-ops".into()]), &|| false, &mut |_, _| {}))
                .unwrap();
        let line = impact_usage_line(&umbrella, "modules");
        assert!(
            line.starts_with("Explorer: whether they use its modules is not known (1 could not be read: "),
            "{line}"
        );
        let acme =
            block_on(api.grant_usage(Registry::Modules, Some(&["acme-security".into()]), &|| false, &mut |_, _| {}))
                .unwrap();
        let c = UsageCounts::of(&acme);
        let line = impact_usage_line(&acme, "modules");
        assert!(
            line.starts_with(&format!(
                "Explorer: {} of the 3 organizations that lose access use its modules, in ",
                c.used
            )),
            "{line}"
        );
        // Counted by organization: one using two of the producers counts once.
        let used = |p: &str| GrantUsage::new(p, "c", Registry::Modules, false, Usage::Used { items: Vec::new() });
        let two = [used("a"), used("b"), GrantUsage::new("a", "d", Registry::Modules, false, Usage::Unused)];
        assert!(
            impact_usage_line(&two, "modules").starts_with("Explorer: 1 of the 2 organizations"),
            "{}",
            impact_usage_line(&two, "modules")
        );
        let unknown = GrantUsage::new("g", "e", Registry::Modules, true, Usage::Unknown { reason: "404".into() });
        assert!(
            impact_usage_line(&[unknown], "modules").starts_with("Explorer: whether they use its modules is not known")
        );
        // A sharing editor's removals: only those consumers; a global ending: all but those kept.
        let one = acme[0].consumer.clone();
        assert_eq!(losing_access(acme.clone(), Some(std::slice::from_ref(&one)), &[]).len(), 1);
        assert_eq!(losing_access(acme.clone(), None, std::slice::from_ref(&one)).len(), acme.len() - 1);
        // Before Explorer (202103): unknown, with the reason.
        let old = admin_client(Release::R202103, 0);
        let grants =
            block_on(old.grant_usage(Registry::Modules, Some(&["acme-security".into()]), &|| false, &mut |_, _| {}))
                .unwrap();
        assert!(impact_usage_line(&grants, "modules").contains("3 could not be read"));
    }
}
