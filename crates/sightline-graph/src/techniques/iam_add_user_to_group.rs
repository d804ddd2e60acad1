//! Join a group whose policies make one an administrator.

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-add-user-to-group",
    title: "Join a group whose policies make one an administrator",
    description: "With iam:AddUserToGroup on a group, the attacker adds their own user to it and holds its policies. The engine decides whether the attacker would then be an administrator, with its own boundary and its account's guardrails still in force.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:AddUserToGroup"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:AddUserToGroup", "arn:aws:iam::111111111111:group/admins"]],
                        "groups": {"admins": {"members": [], "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The group does not make its members administrators.
            r#"{"attacker": [["Allow", "iam:AddUserToGroup", "arn:aws:iam::111111111111:group/readers"]],
                "groups": {"readers": {"members": [], "policy": [["Allow", "s3:GetObject", "*"]]}}}"#,
            // The attacker's boundary would still cap what the group gives.
            r#"{"attacker": [["Allow", "iam:AddUserToGroup", "arn:aws:iam::111111111111:group/admins"]],
                "boundary": [["Allow", "iam:AddUserToGroup", "*"], ["Allow", "s3:*", "*"]],
                "groups": {"admins": {"members": [], "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::User {
        return Vec::new();
    }
    ctx.principals(PrincipalKind::Group)
        .filter(|g| !attacker.groups.contains(&g.id))
        .filter_map(|g| {
            let step = ctx.allowed(&attacker.id, "iam:AddUserToGroup", &g.id, &Context::default())?;
            if !ctx.admin_as_member(attacker, g) {
                return None;
            }
            let detail = format!("adds itself to {}, whose policies make it an administrator", g.name);
            Some(edge(TECHNIQUE.id, attacker, ADMIN, detail, vec![step]))
        })
        .collect()
}
