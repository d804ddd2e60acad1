//! Rewrite a role's trust policy to trust oneself.

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-update-assume-role-policy",
    title: "Rewrite a role's trust policy to trust oneself",
    description: "With iam:UpdateAssumeRolePolicy on a role, the attacker writes a trust policy that names their own ARN, which lets them assume the role within the account without any further permission.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:UpdateAssumeRolePolicy"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/*"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[r#"{"attacker": [["Allow", "iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/other"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    ctx.principals(PrincipalKind::Role)
        .filter(|r| r.id != attacker.id && r.account_id == attacker.account_id && ctx.wants(&r.id))
        .filter_map(|r| {
            let step = ctx.allowed(&attacker.id, "iam:UpdateAssumeRolePolicy", &r.id, &Context::default())?;
            Some(edge(TECHNIQUE.id, attacker, &r.id, format!("makes {} trust it, then assumes it", r.name), vec![step]))
        })
        .collect()
}
