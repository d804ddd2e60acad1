//! Walking the identity policies in force: the managed policies attached to some user, group or role, and every
//! inline policy. Rules that judge policy documents share it.

use crate::meta::Need;
use crate::scan::{Out, Scan, Subject};
use sightline_model::{PolicyKind, Principal, Provider};
use std::collections::BTreeSet;

/// Calls `judge` with each attached managed policy and each inline policy (its subject and document text).
/// Accounts whose IAM data is missing get NOT_EVALUATED, and so do the policies held there.
pub(crate) fn each_policy(
    scan: &Scan<'_>,
    out: &mut Out<'_>,
    needs: &[Need],
    judge: fn(&mut Out<'_>, Subject<'_>, &str),
) {
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    let principals: Vec<&Principal> = scan.snapshot.principals.iter().filter(|p| p.provider == Provider::Aws).collect();
    let attached: BTreeSet<&str> =
        principals.iter().flat_map(|p| p.attached_policies.iter().map(String::as_str)).collect();
    let managed = scan.snapshot.policies.iter().filter(|p| {
        matches!(p.kind, PolicyKind::CustomerManaged | PolicyKind::ProviderManaged) && attached.contains(p.id.as_str())
    });
    for policy in managed {
        let holders: Vec<&str> = principals
            .iter()
            .filter(|p| p.attached_policies.contains(&policy.id))
            .map(|p| p.account_id.as_str())
            .collect();
        let subject = Subject {
            id: policy.id.clone(),
            resource_type: "AWS::IAM::ManagedPolicy",
            // AWS managed policies belong to no account: the finding goes to the first account using it.
            account_id: policy.account_id.as_deref().or(holders.first().copied()).unwrap_or("aws"),
            region: None,
        };
        match holders.iter().find_map(|a| scan.gap(a, None, needs, false)) {
            Some(why) => out.not_evaluated(subject, why),
            None => judge(out, subject, policy.document.get()),
        }
    }
    for p in principals {
        if scan.gap(&p.account_id, None, needs, false).is_some() {
            continue;
        }
        for inline in &p.inline_policies {
            let subject = Subject {
                id: format!("{}#inline/{}", p.id, inline.name),
                resource_type: "AWS::IAM::InlinePolicy",
                account_id: &p.account_id,
                region: None,
            };
            judge(out, subject, inline.document.get());
        }
    }
}
