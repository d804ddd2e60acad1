//! Who outside the snapshot can assume a role, decided by the IAM engine on the role's trust policy.

use crate::scan::{Out, Scan, Subject};
use sightline_iam::authz::Allowed;
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

/// Runs `f` on every role with a trust policy, with the engine; NOT_EVALUATED where the IAM data is missing or
/// the snapshot's policies cannot be read.
pub(crate) fn each_role<'s>(
    scan: &Scan<'s>,
    out: &mut Out<'_>,
    mut f: impl FnMut(&sightline_iam::authz::Authorizer<'s>, &'s Principal, &mut Out<'_>),
) {
    let needs = out.meta().needs;
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    for role in scan.principals(PrincipalKind::Role) {
        if role.trust_policy.is_none() || role.path.as_deref().is_some_and(|p| p.starts_with("/aws-service-role/")) {
            continue;
        }
        if let Some(why) = scan.gap(&role.account_id, None, needs, false) {
            out.not_evaluated(role, why);
            continue;
        }
        match scan.authorizer() {
            Ok(authz) => f(authz, role, out),
            Err(why) => out.not_evaluated(role, why.to_string()),
        }
    }
}

/// The outsiders (of the kinds `keep` accepts) that can perform `action` on the role with `context`.
pub(crate) fn outsiders(
    authz: &sightline_iam::authz::Authorizer<'_>,
    role: &Principal,
    action: &str,
    context: &Context,
    keep: impl Fn(&Allowed) -> bool,
) -> Result<Vec<Allowed>, String> {
    authz
        .external_access(action, &role.id, context)
        .map(|all| all.into_iter().filter(|a| keep(a)).collect())
        .map_err(|e| e.to_string())
}

/// A request context an outsider can present: a public address over TLS.
pub(crate) fn outsider() -> Context {
    let mut context = Context::default();
    context.insert("aws:SourceIp", vec!["203.0.113.10".into()]);
    context.insert("aws:SecureTransport", vec!["true".into()]);
    context
}
