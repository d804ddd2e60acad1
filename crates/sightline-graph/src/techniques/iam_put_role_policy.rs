//! Write an administrator inline policy on one's own role

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
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
    super::on_itself(
        ctx,
        attacker,
        TECHNIQUE.id,
        PrincipalKind::Role,
        "iam:PutRolePolicy",
        "writes an administrator inline policy on its own role",
    )
}
