//! Attach an administrator policy to one's own role

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
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
    super::on_itself(
        ctx,
        attacker,
        TECHNIQUE.id,
        PrincipalKind::Role,
        "iam:AttachRolePolicy",
        "attaches an administrator policy to its own role",
    )
}
