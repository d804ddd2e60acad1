//! Write an administrator inline policy on oneself

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
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
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::User {
        return Vec::new();
    }
    match ctx.allowed(&attacker.id, "iam:PutUserPolicy", &attacker.id, &Context::default()) {
        Some(step) => vec![edge(
            TECHNIQUE.id,
            attacker,
            ADMIN,
            "writes an administrator inline policy on itself".into(),
            vec![step],
        )],
        None => Vec::new(),
    }
}
