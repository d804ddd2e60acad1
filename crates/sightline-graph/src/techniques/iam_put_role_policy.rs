//! Write an administrator inline policy on one's own role

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-put-role-policy",
    title: "Write an administrator inline policy on one's own role",
    description: "A role session with iam:PutRolePolicy on its own role adds an inline policy that allows everything.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:PutRolePolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[
            r#"{"attacker_kind": "role", "attacker": [["Allow", "iam:PutRolePolicy", "arn:aws:iam::111111111111:role/attacker"]]}"#,
        ],
        negative: &[
            r#"{"attacker_kind": "role", "attacker": [["Allow", "iam:PutRolePolicy", "arn:aws:iam::111111111111:role/someone-else"]]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::Role {
        return Vec::new();
    }
    match ctx.allowed(&attacker.id, "iam:PutRolePolicy", &attacker.id, &Context::default()) {
        Some(step) => vec![edge(
            TECHNIQUE.id,
            attacker,
            ADMIN,
            "writes an administrator inline policy on its own role".into(),
            vec![step],
        )],
        None => Vec::new(),
    }
}
