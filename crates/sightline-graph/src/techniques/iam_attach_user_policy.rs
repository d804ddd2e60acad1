//! Attach an administrator policy to oneself

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
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
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::User {
        return Vec::new();
    }
    match ctx.allowed(&attacker.id, "iam:AttachUserPolicy", &attacker.id, &Context::default()) {
        Some(step) => {
            vec![edge(TECHNIQUE.id, attacker, ADMIN, "attaches an administrator policy to itself".into(), vec![step])]
        }
        None => Vec::new(),
    }
}
