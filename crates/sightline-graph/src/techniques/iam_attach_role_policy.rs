//! Attach an administrator policy to one's own role

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-attach-role-policy",
    title: "Attach an administrator policy to one's own role",
    description: "A role session with iam:AttachRolePolicy on its own role attaches AdministratorAccess to it.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:AttachRolePolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[
            r#"{"attacker_kind": "role", "attacker": [["Allow", "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/attacker"]]}"#,
        ],
        negative: &[
            r#"{"attacker_kind": "role", "attacker": [["Allow", "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/someone-else"]]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::Role {
        return Vec::new();
    }
    match ctx.allowed(&attacker.id, "iam:AttachRolePolicy", &attacker.id, &Context::default()) {
        Some(step) => vec![edge(
            TECHNIQUE.id,
            attacker,
            ADMIN,
            "attaches an administrator policy to its own role".into(),
            vec![step],
        )],
        None => Vec::new(),
    }
}
