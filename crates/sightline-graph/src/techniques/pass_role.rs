//! What every pass-role technique shares: the attacker passes a role that a service trusts to a new resource of
//! that service, which then runs with the role's permissions.

use super::edge;
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

/// Edges of technique `id` to every role `service` trusts that the attacker may pass to it, when the attacker may
/// also make each request of `then` (action, and the kind of resource created: `function`, `stack`...).
pub(super) fn find(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    id: &'static str,
    service: &str,
    then: &[(&str, &str)],
) -> Vec<Edge> {
    let roles: Vec<&Principal> =
        ctx.roles_trusted_by(service).iter().copied().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
    if roles.is_empty() {
        return Vec::new();
    }
    let mut pass = Context::default();
    pass.insert("iam:PassedToService", vec![service.to_string()]);
    // The requests that create and run the resource, on a resource of the attacker's account.
    let mut steps = Vec::new();
    for (action, kind) in then {
        let prefix = action.split(':').next().unwrap_or_default();
        let resource = ctx.new_resource(attacker, prefix, kind);
        match ctx.allowed(&attacker.id, action, &resource, &Context::default()) {
            Some(step) => steps.push(step),
            None => return Vec::new(),
        }
    }
    let mut edges = Vec::new();
    for role in roles {
        if let Some(step) = ctx.allowed(&attacker.id, "iam:PassRole", &role.id, &pass) {
            let mut proof = vec![step];
            proof.extend(steps.iter().cloned());
            let detail = format!("passes {} to {service} and runs code with it", role.name);
            edges.push(edge(id, attacker, &role.id, detail, proof));
        }
    }
    edges
}
