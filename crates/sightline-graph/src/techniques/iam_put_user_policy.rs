//! Write an administrator inline policy on oneself

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-put-user-policy",
    title: "Write an administrator inline policy on oneself",
    description: "With iam:PutUserPolicy on their own user, the attacker adds an inline policy that allows everything.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:PutUserPolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PutUserPolicy", "arn:aws:iam::111111111111:user/attacker"]]}"#],
        negative: &[r#"{"attacker": [["Allow", "iam:PutUserPolicy", "arn:aws:iam::111111111111:user/someone-else"]]}"#],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::on_itself(
        ctx,
        attacker,
        TECHNIQUE.id,
        PrincipalKind::User,
        "iam:PutUserPolicy",
        "writes an administrator inline policy on itself",
    )
}
