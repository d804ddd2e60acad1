//! Write a new default version of a managed policy one holds.

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-create-policy-version",
    title: "Write a new default version of a managed policy one holds",
    description: "With iam:CreatePolicyVersion on a customer managed policy attached to them (directly or through a group), the attacker writes a version that allows everything and makes it the default (--set-as-default needs no other permission).",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:CreatePolicyVersion"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/mine"]],
                "managed": {"mine": {"statements": [["Allow", "s3:ListBucket", "*"]], "attached_to": ["attacker"]}}}"#,
        ],
        negative: &[
            // The policy is not attached to the attacker.
            r#"{"attacker": [["Allow", "iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/mine"]],
                "managed": {"mine": {"statements": [["Allow", "s3:ListBucket", "*"]], "attached_to": []}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) {
        return Vec::new();
    }
    let mut held: Vec<&String> = attacker.attached_policies.iter().collect();
    for g in ctx.groups_of(attacker) {
        held.extend(g.attached_policies.iter());
    }
    if attacker.kind == PrincipalKind::Group {
        return Vec::new();
    }
    held.sort();
    held.dedup();
    held.into_iter()
        // AWS managed policies cannot be changed.
        .filter(|p| !p.starts_with("arn:aws:iam::aws:policy/"))
        .filter_map(|p| {
            let step = ctx.allowed(&attacker.id, "iam:CreatePolicyVersion", p, &Context::default())?;
            Some(edge(
                TECHNIQUE.id,
                attacker,
                ADMIN,
                format!("writes an administrator version of {p}, which it holds"),
                vec![step],
            ))
        })
        .collect()
}
