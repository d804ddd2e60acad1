//! Make another version of a managed policy one holds the default

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::authz::Authorizer;
use sightline_iam::Context;
use sightline_model::{compact_document, PolicyKind, Principal, Snapshot};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-set-default-policy-version",
    title: "Make another version of a managed policy one holds the default",
    description: "A customer managed policy keeps up to five versions, and only the default one is in force. With iam:SetDefaultPolicyVersion on a policy attached to them (directly, through a group, or as their permissions boundary), the attacker makes an older or newer version the default. When one of those versions would make them an administrator (judged by the engine on a copy of the IAM data with that version in force), they become one. The non-default versions come from the authorization details export (PolicyVersionList).",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 2)",
        "https://pathfinding.cloud",
        "https://github.com/BishopFox/iam-vulnerable",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:SetDefaultPolicyVersion"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:SetDefaultPolicyVersion", "arn:aws:iam::111111111111:policy/shared"]],
                        "managed": {"shared": {"statements": [["Allow", "s3:ListAllMyBuckets", "*"]], "attached_to": ["attacker"],
                                               "versions": [[["Allow", "*", "*"]]]}}}"#],
        negative: &[
            // No version allows more.
            r#"{"attacker": [["Allow", "iam:SetDefaultPolicyVersion", "arn:aws:iam::111111111111:policy/shared"]],
                "managed": {"shared": {"statements": [["Allow", "s3:ListAllMyBuckets", "*"]], "attached_to": ["attacker"],
                                       "versions": [[["Allow", "s3:*", "*"]]]}}}"#,
            // The permissive version is on a policy someone else holds.
            r#"{"attacker": [["Allow", "iam:SetDefaultPolicyVersion", "arn:aws:iam::111111111111:policy/shared"]],
                "managed": {"shared": {"statements": [["Allow", "s3:ListAllMyBuckets", "*"]], "attached_to": [],
                                       "versions": [[["Allow", "*", "*"]]]}}}"#,
            // May not set the default version.
            r#"{"attacker": [["Allow", "iam:GetPolicyVersion", "arn:aws:iam::111111111111:policy/shared"]],
                "managed": {"shared": {"statements": [["Allow", "s3:ListAllMyBuckets", "*"]], "attached_to": ["attacker"],
                                       "versions": [[["Allow", "*", "*"]]]}}}"#,
            // A boundary caps what the permissive version would give.
            r#"{"attacker": [["Allow", "iam:SetDefaultPolicyVersion", "arn:aws:iam::111111111111:policy/shared"]],
                "boundary": [["Allow", "iam:SetDefaultPolicyVersion", "*"], ["Allow", "s3:*", "*"]],
                "managed": {"shared": {"statements": [["Allow", "s3:ListAllMyBuckets", "*"]], "attached_to": ["attacker"],
                                       "versions": [[["Allow", "*", "*"]]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) {
        return Vec::new();
    }
    // The managed policies in force for the attacker: its own, its groups', its boundary.
    let mut held: Vec<&str> = attacker.attached_policies.iter().map(String::as_str).collect();
    for g in ctx.groups_of(attacker) {
        held.extend(g.attached_policies.iter().map(String::as_str));
    }
    held.extend(attacker.permissions_boundary.as_deref());
    held.sort_unstable();
    held.dedup();
    let mut edges = Vec::new();
    for id in held {
        let Some(policy) = ctx.snapshot.policies.iter().find(|p| p.id == id && p.kind == PolicyKind::CustomerManaged)
        else {
            continue;
        };
        let versions = policy.properties.get("NonDefaultVersions").and_then(|v| v.as_array());
        let versions: Vec<(&str, &serde_json::Value)> = versions
            .into_iter()
            .flatten()
            .filter_map(|v| Some((v.get("VersionId").and_then(|i| i.as_str()).unwrap_or("?"), v.get("Document")?)))
            .collect();
        if versions.is_empty() {
            continue;
        }
        let Some(step) = ctx.allowed(&attacker.id, "iam:SetDefaultPolicyVersion", &policy.id, &Context::default())
        else {
            continue;
        };
        if let Some((version, _)) = versions.iter().find(|(_, doc)| admin_with(ctx, attacker, &policy.id, doc)) {
            let detail =
                format!("makes version {version} of {} the default, which makes it an administrator", policy.name);
            edges.push(edge(TECHNIQUE.id, attacker, ADMIN, detail, vec![step]));
        }
    }
    edges
}

/// Whether the engine finds `attacker` an administrator in a copy of the snapshot's IAM data where `document` is
/// the policy's default version. Built only for an attacker that may switch it, which few can.
fn admin_with(ctx: &Ctx<'_, '_>, attacker: &Principal, policy: &str, document: &serde_json::Value) -> bool {
    let Ok(document) = compact_document(&document.to_string()) else { return false };
    let mut copy = Snapshot {
        accounts: ctx.snapshot.accounts.clone(),
        organizations: ctx.snapshot.organizations.clone(),
        policies: ctx.snapshot.policies.clone(),
        principals: ctx.snapshot.principals.clone(),
        ..Snapshot::new("policy version probe")
    };
    for p in copy.policies.iter_mut().filter(|p| p.id == policy) {
        p.document = document.clone();
    }
    let Ok(authz) = Authorizer::new(&copy) else { return false };
    Ctx::new(&copy, &authz).is_admin(&attacker.id)
}
