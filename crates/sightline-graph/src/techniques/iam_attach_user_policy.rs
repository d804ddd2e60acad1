//! Attach an administrator policy to oneself

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-attach-user-policy",
    title: "Attach an administrator policy to oneself",
    description: "With iam:AttachUserPolicy on their own user, the attacker attaches AdministratorAccess to it.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:AttachUserPolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/attacker"]]}"#],
        negative: &[
            r#"{"attacker": [["Allow", "iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/someone-else"]]}"#,
            // Any policy but AdministratorAccess (the request names the policy it attaches).
            r#"{"attacker": [["Allow", "iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/attacker",
                              {"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}}]]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::on_itself(
        ctx,
        attacker,
        TECHNIQUE.id,
        PrincipalKind::User,
        "iam:AttachUserPolicy",
        "attaches an administrator policy to itself",
    )
}
