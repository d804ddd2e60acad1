//! What every pass-role technique shares: the attacker passes a role that a service trusts to a new resource of
//! that service, which then runs with the role's permissions.

use super::edge;
use crate::{Ctx, Edge, Step};
use sightline_iam::Context;
use sightline_model::Principal;

/// Edges of technique `id` to every role `service` trusts that the attacker may pass to it, when the attacker may
/// also make each request of `then` (action, and the kind of resource created: a name such as `function` or
/// `stack` for the services [`Ctx::new_resource`] knows, or the resource part of the new resource's ARN, such as
/// `project/sightline-new`, or `*` for an action without resource-level permissions).
pub(super) fn find(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    id: &'static str,
    service: &str,
    then: &[(&str, &str)],
) -> Vec<Edge> {
    find_passed(ctx, attacker, id, service, service, then)
}

/// [`find`] for a service whose roles trust one service principal (`trusted`, such as
/// `tasks.apprunner.amazonaws.com`) while `iam:PassRole` names another (`passed_to`, such as
/// `apprunner.amazonaws.com`).
pub(super) fn find_passed(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    id: &'static str,
    trusted: &str,
    passed_to: &str,
    then: &[(&str, &str)],
) -> Vec<Edge> {
    find_any(ctx, attacker, id, trusted, passed_to, &[then])
}

/// [`find_passed`] for a technique with several ways to create and run the resource: the first of `ways` whose
/// every request the engine allows is the proof.
pub(super) fn find_any(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    id: &'static str,
    trusted: &str,
    passed_to: &str,
    ways: &[&[(&str, &str)]],
) -> Vec<Edge> {
    let roles: Vec<&Principal> =
        ctx.roles_trusted_by(trusted).iter().copied().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
    if roles.is_empty() {
        return Vec::new();
    }
    // The requests that create and run the resource, on a resource of the attacker's account.
    let Some(steps) = ways.iter().find_map(|then| requests(ctx, attacker, then)) else { return Vec::new() };
    let mut edges = Vec::new();
    for role in roles {
        if let Some(step) = pass(ctx, attacker, role, passed_to) {
            let mut proof = vec![step];
            proof.extend(steps.iter().cloned());
            let detail = format!("passes {} to {passed_to} and runs code with it", role.name);
            edges.push(edge(id, attacker, &role.id, detail, proof));
        }
    }
    edges
}

/// The engine's proof that the attacker may pass `role` to `service`.
pub(super) fn pass(ctx: &Ctx<'_, '_>, attacker: &Principal, role: &Principal, service: &str) -> Option<Step> {
    let mut pass = Context::default();
    pass.insert("iam:PassedToService", vec![service.to_string()]);
    ctx.allowed(&attacker.id, "iam:PassRole", &role.id, &pass)
}

/// The proofs that the attacker may make every request of `then` (as in [`find`]) on new resources of its own
/// account, or `None` when one is refused.
pub(super) fn requests(ctx: &Ctx<'_, '_>, attacker: &Principal, then: &[(&str, &str)]) -> Option<Vec<Step>> {
    then.iter()
        .map(|(action, kind)| {
            let prefix = action.split(':').next().unwrap_or_default();
            let resource = new_resource(ctx, attacker, prefix, kind);
            ctx.allowed(&attacker.id, action, &resource, &Context::default())
        })
        .collect()
}

/// The ARN of a resource the attacker would create: when `kind` is the resource part of an ARN (it holds a `/` or a
/// `:`), in the attacker's account and in us-east-1 as [`Ctx::new_resource`] makes them; `*` for an action without
/// resource-level permissions; otherwise [`Ctx::new_resource`]'s for a resource of that kind.
fn new_resource(ctx: &Ctx<'_, '_>, attacker: &Principal, service: &str, kind: &str) -> String {
    if kind == "*" {
        "*".to_string()
    } else if kind.contains(['/', ':']) {
        format!("arn:aws:{service}:us-east-1:{}:{kind}", attacker.account_id)
    } else {
        ctx.new_resource(attacker, service, kind)
    }
}
