//! Write an administrator inline policy on one's own group

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-put-group-policy",
    title: "Write an administrator inline policy on one's own group",
    description: "With iam:PutGroupPolicy on a group they belong to, the attacker adds an inline policy that allows everything to the group.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:PutGroupPolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PutGroupPolicy", "arn:aws:iam::111111111111:group/devs"]],
                        "groups": {"devs": {"members": ["attacker"]}}}"#],
        negative: &[
            // A group the attacker is not in.
            r#"{"attacker": [["Allow", "iam:PutGroupPolicy", "arn:aws:iam::111111111111:group/devs"]],
                "groups": {"devs": {"members": []}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::User {
        return Vec::new();
    }
    ctx.groups_of(attacker)
        .filter_map(|g| {
            let step = ctx.allowed(&attacker.id, "iam:PutGroupPolicy", &g.id, &Context::default())?;
            Some(edge(
                TECHNIQUE.id,
                attacker,
                ADMIN,
                format!("writes an administrator inline policy on group {}, which it is a member of", g.name),
                vec![step],
            ))
        })
        .collect()
}
