//! The roles of existing EC2 instances (through their instance profiles), for the techniques that run code on an
//! instance, and whether a role has an instance profile at all.
//!
//! An instance names its profile in `properties.IamInstanceProfile.Arn` (as `DescribeInstances` gives it). A
//! profile's roles are the roles whose `properties.InstanceProfileArns` lists it (as the IAM import records them),
//! or the `Roles` of an `AWS::IAM::InstanceProfile` resource with that ARN (role names, role ARNs, or objects with
//! `Arn` or `RoleName`, as CloudFormation and `GetInstanceProfile` write them), when the snapshot holds one.

use super::{edge, existing, Technique};
use crate::{Ctx, Edge, Step};
use sightline_model::{Principal, PrincipalKind, Props, Resource};

/// An instance's state (`running`, `stopped`...), written as a string or as `{"Name": ...}`; `None` when unknown.
pub(super) fn state(instance: &Resource) -> Option<&str> {
    let s = instance.properties.get("State")?;
    s.as_str().or_else(|| s.get("Name").or_else(|| s.get("name")).and_then(Props::as_str))
}

/// The roles of the instance profile an instance runs with.
pub(super) fn roles_of<'s>(ctx: &Ctx<'_, 's>, instance: &Resource) -> Vec<&'s Principal> {
    match instance.properties.pointer("/IamInstanceProfile/Arn").and_then(Props::as_str) {
        Some(profile) => profile_roles(ctx, &instance.account_id, profile),
        None => Vec::new(),
    }
}

/// The roles of an instance profile named by its ARN, or by its name in `account` (launch templates name a profile
/// either way).
pub(super) fn profile_roles<'s>(ctx: &Ctx<'_, 's>, account: &str, profile: &str) -> Vec<&'s Principal> {
    let named = |arn: &str| {
        if profile.starts_with("arn:") {
            arn == profile
        } else {
            arn.split(':').nth(4) == Some(account) && arn.rsplit('/').next() == Some(profile)
        }
    };
    let mut roles: Vec<&Principal> = ctx.principals(PrincipalKind::Role).filter(|r| in_profile(r, named)).collect();
    let by_name = |p: &Resource| !profile.starts_with("arn:") && p.account_id == account && p.name == profile;
    for p in profiles(ctx).filter(|p| profile_arn(p).is_some_and(named) || by_name(p)) {
        for entry in p.properties.get("Roles").and_then(Props::as_array).into_iter().flatten() {
            let named = entry.as_str().or_else(|| entry.get("Arn").or_else(|| entry.get("RoleName"))?.as_str());
            if let Some(role) = named.and_then(|n| existing::named_role(ctx, &p.account_id, n)) {
                if !roles.iter().any(|r| r.id == role.id) {
                    roles.push(role);
                }
            }
        }
    }
    roles
}

/// Whether the snapshot shows an instance profile holding `role`.
pub(super) fn has_profile(ctx: &Ctx<'_, '_>, role: &Principal) -> bool {
    let listed = role.properties.get("InstanceProfileArns").and_then(|a| a.as_array()).is_some_and(|a| !a.is_empty());
    listed
        || profiles(ctx).any(|p| {
            p.properties.get("Roles").and_then(Props::as_array).into_iter().flatten().any(|entry| {
                let named = entry.as_str().or_else(|| entry.get("Arn").or_else(|| entry.get("RoleName"))?.as_str());
                named.and_then(|n| existing::named_role(ctx, &p.account_id, n)).is_some_and(|r| r.id == role.id)
            })
        })
}

fn in_profile(role: &Principal, named: impl Fn(&str) -> bool) -> bool {
    let listed = role.properties.get("InstanceProfileArns").and_then(|a| a.as_array());
    listed.into_iter().flatten().any(|a| a.as_str().is_some_and(&named))
}

fn profiles<'c, 's>(ctx: &'c Ctx<'_, 's>) -> impl Iterator<Item = &'s Resource> + 'c {
    ctx.resources_of("AWS::IAM::InstanceProfile").iter().copied()
}

fn profile_arn(profile: &Resource) -> Option<&str> {
    if profile.id.starts_with("arn:") {
        Some(&profile.id)
    } else {
        profile.properties.get("Arn").and_then(Props::as_str)
    }
}

/// The ARN of an instance: its id when that is an ARN, otherwise built from its region, account and instance id.
pub(super) fn instance_arn(instance: &Resource) -> String {
    if instance.id.starts_with("arn:") {
        return instance.id.clone();
    }
    let id = instance.properties.get("InstanceId").and_then(Props::as_str).unwrap_or(&instance.id);
    format!("arn:aws:ec2:{}:{}:instance/{id}", existing::region(instance), instance.account_id)
}

/// Edges of `technique` to the roles of every instance in one of `states` when the engine allows the attacker
/// each request `requests` makes for it (given the instance, its ARN and the role; `None` when one is refused or a
/// prerequisite fails). `doing` says what the attacker does, before the instance's name. (Callers ask only attackers
/// whose own policies may allow the technique's `needs`.)
pub(super) fn find(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    technique: &Technique,
    states: &[&str],
    doing: &str,
    requests: impl Fn(&Resource, &str, &Principal) -> Option<Vec<Step>>,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for instance in ctx.resources_of("AWS::EC2::Instance") {
        if !state(instance).is_some_and(|s| states.contains(&s)) {
            continue;
        }
        let roles: Vec<&Principal> =
            roles_of(ctx, instance).into_iter().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
        if roles.is_empty() {
            continue;
        }
        let arn = instance_arn(instance);
        let name = if instance.name.is_empty() { instance.id.as_str() } else { instance.name.as_str() };
        for role in roles {
            let Some(proof) = requests(instance, &arn, role) else { continue };
            let detail = format!("{doing} {name}, which runs as {}", role.name);
            edges.push(edge(technique.id, attacker, &role.id, detail, proof));
        }
    }
    edges
}

/// Whether `role`, as an instance's role, lets the instance's SSM agent register with Systems Manager
/// (`ssm:UpdateInstanceInformation`), as the agent must before it takes commands or sessions.
pub(super) fn ssm_managed(ctx: &Ctx<'_, '_>, role: &Principal, instance_arn: &str) -> bool {
    ctx.allowed(&role.id, "ssm:UpdateInstanceInformation", instance_arn, &sightline_iam::Context::default()).is_some()
}

/// The proofs that the attacker may give `role` an instance profile: none when the snapshot shows one already,
/// otherwise `iam:CreateInstanceProfile` and `iam:AddRoleToInstanceProfile` on a new profile of the role's account;
/// `None` when it may not.
pub(super) fn profile_steps(ctx: &Ctx<'_, '_>, attacker: &Principal, role: &Principal) -> Option<Vec<Step>> {
    if has_profile(ctx, role) {
        return Some(Vec::new());
    }
    let profile = format!("arn:aws:iam::{}:instance-profile/sightline-new", role.account_id);
    ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]
        .iter()
        .map(|a| ctx.allowed(&attacker.id, a, &profile, &Default::default()))
        .collect()
}
