//! What the techniques on an existing resource share: the resource runs as a role the snapshot holds, and the
//! attacker makes it run its own code.

use super::{edge, Technique};
use crate::{Ctx, Edge, Step};
use sightline_model::{Principal, PrincipalKind, Props, Resource};

/// The role a resource names in `value`: a role ARN, or a role name in the resource's account.
pub(super) fn named_role<'s>(ctx: &Ctx<'_, 's>, account: &str, value: &str) -> Option<&'s Principal> {
    ctx.principals(PrincipalKind::Role).find(|r| {
        if value.starts_with("arn:") {
            r.id == value
        } else {
            r.account_id == account && r.name == value
        }
    })
}

/// The first of `keys` that `resource`'s properties hold as a string.
pub(super) fn property<'r>(resource: &'r Resource, keys: &[&str]) -> Option<&'r str> {
    keys.iter().find_map(|k| resource.properties.get(k).and_then(Props::as_str))
}

/// The resource's ARN: its id when that is an ARN, otherwise built from its region, account and `path` (the
/// resource part of the ARN before its name, such as `project/`).
pub(super) fn arn(resource: &Resource, service: &str, path: &str) -> String {
    if resource.id.starts_with("arn:") {
        return resource.id.clone();
    }
    let region = resource.region.as_deref().unwrap_or("us-east-1");
    let name = if resource.name.is_empty() { resource.id.as_str() } else { resource.name.as_str() };
    format!("arn:aws:{service}:{region}:{}:{path}{name}", resource.account_id)
}

/// The region of a resource: its own, or its ARN's, or us-east-1.
pub(super) fn region(resource: &Resource) -> &str {
    resource
        .region
        .as_deref()
        .or_else(|| resource.id.split(':').nth(3).filter(|r| !r.is_empty()))
        .unwrap_or("us-east-1")
}

/// Edges of `technique` to the role of every resource of `resource_type` (named by the first of `role_keys` it
/// holds) when the engine allows the attacker each request `requests` makes for it. `doing` says what the attacker
/// does, before the resource's name. (Callers ask only attackers whose own policies may allow the technique's
/// `needs`.)
pub(super) fn find(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    technique: &Technique,
    resource_type: &str,
    role_keys: &[&str],
    doing: &str,
    requests: impl Fn(&Resource) -> Option<Vec<Step>>,
) -> Vec<Edge> {
    find_by(ctx, attacker, technique, resource_type, |r| property(r, role_keys), doing, requests)
}

/// [`find`], with the role the resource names read by `role_of`.
pub(super) fn find_by<'s>(
    ctx: &Ctx<'_, 's>,
    attacker: &Principal,
    technique: &Technique,
    resource_type: &str,
    role_of: impl Fn(&'s Resource) -> Option<&'s str>,
    doing: &str,
    requests: impl Fn(&Resource) -> Option<Vec<Step>>,
) -> Vec<Edge> {
    ctx.resources_of(resource_type)
        .iter()
        .filter_map(|r| {
            let role = named_role(ctx, &r.account_id, role_of(r)?)?;
            if role.id == attacker.id || !ctx.wants(&role.id) {
                return None;
            }
            let proof = requests(r)?;
            let name = if r.name.is_empty() { r.id.as_str() } else { r.name.as_str() };
            Some(edge(technique.id, attacker, &role.id, format!("{doing} {name}, which runs as {}", role.name), proof))
        })
        .collect()
}

/// Edges of `technique` to every role `service` trusts that the attacker may pass to it (`iam:PassRole` with
/// `iam:PassedToService`), through the first resource of `resource_type` on which the engine allows the attacker
/// each request `requests` makes: the attacker gives the existing resource the role and runs code of its own in it.
/// `doing` says what the attacker does, before the resource's name. (Callers ask only attackers whose own policies
/// may allow the technique's `needs`.)
pub(super) fn find_passing(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    technique: &Technique,
    resource_type: &str,
    service: &str,
    doing: &str,
    requests: impl Fn(&Resource) -> Option<Vec<Step>>,
) -> Vec<Edge> {
    let resources = ctx.resources_of(resource_type);
    if resources.is_empty() {
        return Vec::new();
    }
    let roles: Vec<&Principal> =
        ctx.roles_trusted_by(service).iter().copied().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
    if roles.is_empty() {
        return Vec::new();
    }
    let Some((resource, steps)) = resources.iter().find_map(|r| Some((r, requests(r)?))) else { return Vec::new() };
    let name = if resource.name.is_empty() { resource.id.as_str() } else { resource.name.as_str() };
    let mut edges = Vec::new();
    for role in roles {
        let Some(pass) = super::pass_role::pass(ctx, attacker, role, service) else { continue };
        let mut proof = vec![pass];
        proof.extend(steps.iter().cloned());
        let detail = format!("{doing} {name}, giving it {} to run as", role.name);
        edges.push(edge(technique.id, attacker, &role.id, detail, proof));
    }
    edges
}
