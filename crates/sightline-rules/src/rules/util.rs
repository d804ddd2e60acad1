//! Helpers shared by rule files.

use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use sightline_model::Props;
use sightline_model::Resource;

/// A field of a resource's properties, told apart: absent means the collector did not get it; `null` means it
/// got it and the setting is not configured.
pub(crate) enum Field<'a> {
    Missing,
    Null,
    Value(&'a Props),
}

/// The property at a JSON pointer (`/PasswordPolicy/MinimumPasswordLength`).
pub(crate) fn field<'a>(r: &'a Resource, pointer: &str) -> Field<'a> {
    match r.properties.pointer(pointer) {
        None => Field::Missing,
        Some(Props::Null) => Field::Null,
        Some(v) => Field::Value(v),
    }
}

/// Runs `f` on every resource of a type, except where the calls in `needs` were denied or failed: those resources,
/// and each account and region where the listing itself failed, get NOT_EVALUATED instead.
pub(crate) fn each_resource<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    resource_type: &str,
    needs: &[Need],
    mut f: impl FnMut(&'s Resource, &mut Out<'_>),
) {
    // Regions where the data is missing: one NOT_EVALUATED for the region, so that a failed listing is visible
    // even though it left no resource to report on.
    // The accounts of the rule's cloud: AWS accounts, or Azure subscriptions (whose needs are never regional).
    let provider = out.meta().provider();
    let accounts: Vec<&str> = match provider {
        sightline_model::Provider::Aws => scan.aws_accounts().collect(),
        sightline_model::Provider::Azure => scan.azure_subscriptions().collect(),
    };
    for account in &accounts {
        // Listings beside the judged resources' own (see `auxiliary`) matter only where there are resources: each
        // of those says NOT_EVALUATED below.
        if let Some(why) = scan.gap(account, None, &global(needs), false) {
            out.not_evaluated(Subject::account_of(provider, account), why);
        }
        for region in scan.regions(account) {
            if let Some(why) = scan.gap(account, Some(region), &regional(needs), false) {
                out.not_evaluated(Subject::region(account, region), why);
            }
        }
    }
    // An Azure child type (`Microsoft.KeyVault/vaults/certificates`) is listed once per parent: where parents exist
    // but the listing was never made, the absence of children says "not collected", not "none".
    if let Some(parent) = parent_type(provider, resource_type) {
        let own: Vec<Need> = needs.iter().filter(|n| lists(n, resource_type)).copied().collect();
        for account in &accounts {
            let parents = scan.resources(parent).filter(|p| p.account_id.eq_ignore_ascii_case(account)).count();
            if parents == 0 || scan.gap(account, None, &own, false).is_some() {
                continue;
            }
            if let Some(why) = scan.gap(account, None, &own, true) {
                out.not_evaluated(
                    Subject::account_of(provider, account),
                    format!("{why}; {parents} {parent} resource(s) there"),
                );
            }
        }
    }
    // Whether the data is there depends only on the account and region: remember the answer for each.
    let mut gaps: Vec<(&str, Option<&str>, Option<String>)> = Vec::new();
    for r in scan.resources(resource_type) {
        let (account, region) = (r.account_id.as_str(), r.region.as_deref());
        let gap = match gaps.iter().find(|(a, g, _)| *a == account && *g == region) {
            Some((_, _, gap)) => gap.clone(),
            None => {
                let gap = scan
                    .gap(account, region, needs, false)
                    .or_else(|| scan.gap(account, region, &auxiliary(provider, resource_type, needs), true));
                gaps.push((account, region, gap.clone()));
                gap
            }
        };
        match gap {
            Some(why) => out.not_evaluated(r, why),
            None => f(r, out),
        }
    }
}

/// Whether a need is the listing of `resource_type` itself (`Microsoft.KeyVault` / `vaults/keys`).
fn lists(need: &Need, resource_type: &str) -> bool {
    resource_type.split_once('/').is_some_and(|(service, operation)| {
        need.service.eq_ignore_ascii_case(service) && need.operation.eq_ignore_ascii_case(operation)
    })
}

/// Azure child types that only a listing per parent gives (Resource Graph does not hold them): an import of
/// Resource Graph alone has none, whatever the vaults hold.
const LISTED_PER_PARENT: &[&str] =
    &["Microsoft.KeyVault/vaults/keys", "Microsoft.KeyVault/vaults/secrets", "Microsoft.KeyVault/vaults/certificates"];

/// The parent type of an Azure child type of [`LISTED_PER_PARENT`] (`Microsoft.KeyVault/vaults/keys` →
/// `Microsoft.KeyVault/vaults`); `None` for every other type. Types Resource Graph holds are left out: an import
/// records coverage only for the types it saw, so for them no record may just mean none exist.
fn parent_type(provider: sightline_model::Provider, resource_type: &str) -> Option<&str> {
    if provider != sightline_model::Provider::Azure || !LISTED_PER_PARENT.contains(&resource_type) {
        return None;
    }
    resource_type.rsplit_once('/').map(|(parent, _)| parent)
}

/// The needs of an Azure rule other than the listing of `resource_type` itself (the locks, diagnostic settings or
/// child resources it reads beside the resources it judges). The resources prove their own listing was made, but
/// an absent lock or diagnostic setting means "none" only if its listing was collected: without a coverage record
/// for it, the rule cannot tell. AWS rules keep their needs as they are.
fn auxiliary(provider: sightline_model::Provider, resource_type: &str, needs: &[Need]) -> Vec<Need> {
    if provider != sightline_model::Provider::Azure {
        return Vec::new();
    }
    needs.iter().filter(|n| !lists(n, resource_type)).copied().collect()
}

fn global(needs: &[Need]) -> Vec<Need> {
    needs.iter().filter(|n| !n.regional).copied().collect()
}

fn regional(needs: &[Need]) -> Vec<Need> {
    needs.iter().filter(|n| n.regional).copied().collect()
}

/// Runs `f` once per AWS account whose data `needs` describe was collected; NOT_EVALUATED for the others.
pub(crate) fn each_account<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    needs: &[Need],
    mut f: impl FnMut(&'s str, &mut Out<'_>),
) {
    let accounts: Vec<&'s str> = scan.aws_accounts().collect();
    for account in accounts {
        match scan.gap(account, None, needs, true) {
            Some(why) => out.not_evaluated(Subject::account(account), why),
            None => f(account, out),
        }
    }
}

/// Runs `f` once per region the collector visited in each account, where the data `needs` describe was collected
/// there; NOT_EVALUATED for the others.
pub(crate) fn each_region<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    needs: &[Need],
    mut f: impl FnMut(&'s str, &'s str, &mut Out<'_>),
) {
    let accounts: Vec<&'s str> = scan.aws_accounts().collect();
    for account in accounts {
        let regions: Vec<&'s str> = match needs.first() {
            Some(first) => scan.regions_for(account, first),
            None => scan.regions(account).collect(),
        };
        if regions.is_empty() {
            let what = needs.first().map_or("no region".to_string(), |n| format!("{}:{}", n.service, n.operation));
            out.not_evaluated(
                Subject::account(account),
                format!("{what} was not collected in any region of this account"),
            );
        }
        for region in regions {
            match scan.gap(account, Some(region), needs, true) {
                Some(why) => out.not_evaluated(Subject::region(account, region), why),
                None => f(account, region, out),
            }
        }
    }
}

/// The resource of a type in one account (and region), for singletons such as the password policy.
pub(crate) fn find<'s>(
    scan: &Scan<'s>,
    resource_type: &str,
    account: &str,
    region: Option<&str>,
) -> Option<&'s Resource> {
    scan.resources(resource_type)
        .find(|r| r.account_id == account && (region.is_none() || r.region.as_deref() == region))
}

/// Whole days from an RFC 3339 timestamp to the scan's moment, if it parses.
pub(crate) fn age_days(scan: &Scan<'_>, timestamp: &str) -> Option<i64> {
    let t = chrono::DateTime::parse_from_rfc3339(timestamp).ok()?;
    Some((scan.now - t.with_timezone(&chrono::Utc)).num_days())
}

/// A need on one API call.
pub(crate) const fn need(service: &'static str, operation: &'static str, regional: bool) -> Need {
    Need { service, operation, regional }
}

/// The common shape of a rule on one boolean setting: every resource of a type (that `applies` to) passes when
/// the property at `pointer` equals `want`. An absent property is NOT_EVALUATED; `null` counts as `false`.
pub(crate) fn expect_bool(
    scan: &Scan<'_>,
    out: &mut Out<'_>,
    resource_type: &str,
    pointer: &str,
    want: bool,
    applies: impl Fn(&Resource) -> bool,
) {
    let needs = out.meta().needs;
    let name = pointer.trim_start_matches('/').replace('/', ".");
    each_resource(scan, out, resource_type, needs, |r, out| {
        if !applies(r) {
            return;
        }
        let value = match field(r, pointer) {
            Field::Missing => {
                out.not_evaluated(r, format!("the record has no {name}"));
                return;
            }
            Field::Null => false,
            Field::Value(v) => v.as_bool() == Some(true),
        };
        out.verdict(r, value == want, format!("{name} is {value}"), serde_json::json!({ name.clone(): value }));
    });
}

/// The common shape of a rule "this service is on in every region": each region the collector visited passes
/// when one resource of `resource_type` there satisfies `on`.
pub(crate) fn on_in_every_region(
    scan: &Scan<'_>,
    out: &mut Out<'_>,
    resource_type: &str,
    what: &str,
    on: impl Fn(&Resource) -> bool,
) {
    let needs = out.meta().needs;
    each_region(scan, out, needs, |account, region, out| {
        let found: Vec<&Resource> = scan
            .resources(resource_type)
            .filter(|r| r.account_id == account && r.region.as_deref() == Some(region))
            .collect();
        let ok = found.iter().any(|r| on(r));
        out.verdict(
            Subject::region(account, region),
            ok,
            if ok { format!("{what} in {region}") } else { format!("no {what} in {region}") },
            serde_json::json!({ "region": region, "found": found.iter().map(|r| r.id.as_str()).collect::<Vec<_>>() }),
        );
    });
}

/// What a rule that judges one resource at a time says of it: `Ok(None)` when the rule does not apply to it,
/// `Err` (the reason) when the data it needs is missing, else PASS or FAIL with a message and the evidence.
pub(crate) type Judgement = Result<Option<(bool, String, serde_json::Value)>, String>;

/// Runs `judge` on every resource of a type (see [`each_resource`] for the data that is missing).
pub(crate) fn judge_each(scan: &Scan<'_>, out: &mut Out<'_>, resource_type: &str, judge: fn(&Resource) -> Judgement) {
    let needs = out.meta().needs;
    each_resource(scan, out, resource_type, needs, |r, out| match judge(r) {
        Err(why) => out.not_evaluated(r, why),
        Ok(Some((ok, message, evidence))) => out.verdict(r, ok, message, evidence),
        Ok(None) => {}
    });
}
