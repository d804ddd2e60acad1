//! Remove or replace one's own permissions boundary.

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::authz::Authorizer;
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind, Snapshot};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-delete-or-put-permissions-boundary",
    title: "Remove or replace one's own permissions boundary",
    description: "A permissions boundary caps what a user's or role's own policies grant. With iam:DeleteUserPermissionsBoundary (or iam:DeleteRolePermissionsBoundary) on itself, the attacker removes its boundary; with iam:PutUserPermissionsBoundary (or iam:PutRolePermissionsBoundary) allowed for the AdministratorAccess policy as the new boundary, it replaces it with one that caps nothing. The engine decides whether the attacker would then be an administrator, for a copy of the snapshot's IAM data where the attacker has no boundary (its own policies and its account's guardrails unchanged).",
    references: &["https://pathfinding.cloud", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"],
    find,
    reaches: Reaches::Admin,
    needs: None,
    fixtures: Fixtures {
        expect: "admin",
        positive: &[
            r#"{"attacker": [["Allow", "*", "*"]],
                "boundary": [["Allow", "iam:DeleteUserPermissionsBoundary", "arn:aws:iam::111111111111:user/attacker"], ["Allow", "s3:*", "*"]]}"#,
            // A role that may only set AdministratorAccess as its boundary.
            r#"{"attacker_kind": "role",
                "attacker": [["Allow", "*", "*"]],
                "boundary": [["Allow", "iam:PutRolePermissionsBoundary", "*", {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess"}}],
                             ["Allow", "s3:*", "*"]]}"#,
        ],
        negative: &[
            // Without its boundary it would still not be an administrator.
            r#"{"attacker": [["Allow", "iam:DeleteUserPermissionsBoundary", "*"], ["Allow", "s3:*", "*"]],
                "boundary": [["Allow", "iam:DeleteUserPermissionsBoundary", "*"], ["Allow", "s3:*", "*"]]}"#,
            // The boundary itself forbids removing it.
            r#"{"attacker": [["Allow", "*", "*"]],
                "boundary": [["Allow", "s3:*", "*"]]}"#,
            // It may only set the boundary it has.
            r#"{"attacker": [["Allow", "*", "*"]],
                "boundary": [["Allow", "iam:PutUserPermissionsBoundary", "*", {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111111111111:policy/boundary"}}],
                             ["Allow", "s3:*", "*"]]}"#,
        ],
    },
};

/// The AWS managed policy that allows everything: as a boundary, it caps nothing.
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) {
        return Vec::new();
    }
    let Some(boundary) = &attacker.permissions_boundary else { return Vec::new() };
    let (delete, put) = match attacker.kind {
        PrincipalKind::User => ("iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary"),
        PrincipalKind::Role => ("iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"),
        _ => return Vec::new(),
    };
    let mut current = Context::default();
    current.insert("iam:PermissionsBoundary", vec![boundary.clone()]);
    let mut everything = Context::default();
    everything.insert("iam:PermissionsBoundary", vec![ADMINISTRATOR_ACCESS.to_string()]);
    let (step, doing) = match ctx.allowed(&attacker.id, delete, &attacker.id, &current) {
        Some(step) => (step, "removes its permissions boundary"),
        None => match ctx.allowed(&attacker.id, put, &attacker.id, &everything) {
            Some(step) => (step, "replaces its permissions boundary with AdministratorAccess"),
            None => return Vec::new(),
        },
    };
    if !admin_without_boundary(ctx, attacker) {
        return Vec::new();
    }
    let detail = format!("{doing}, which leaves its own policies making it an administrator");
    vec![edge(TECHNIQUE.id, attacker, ADMIN, detail, vec![step])]
}

/// Whether the engine finds `attacker` an administrator in a copy of the snapshot's IAM data where it has no
/// permissions boundary. Built only for an attacker that may remove its boundary, which few can.
fn admin_without_boundary(ctx: &Ctx<'_, '_>, attacker: &Principal) -> bool {
    let mut copy = Snapshot {
        accounts: ctx.snapshot.accounts.clone(),
        organizations: ctx.snapshot.organizations.clone(),
        policies: ctx.snapshot.policies.clone(),
        principals: ctx.snapshot.principals.clone(),
        ..Snapshot::new("boundary probe")
    };
    for p in copy.principals.iter_mut().filter(|p| p.id == attacker.id) {
        p.permissions_boundary = None;
    }
    let Ok(authz) = Authorizer::new(&copy) else { return false };
    Ctx::new(&copy, &authz).is_admin(&attacker.id)
}
