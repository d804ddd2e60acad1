//! Attach an administrator policy to one's own group

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-attach-group-policy",
    title: "Attach an administrator policy to one's own group",
    description:
        "With iam:AttachGroupPolicy on a group they belong to, the attacker attaches AdministratorAccess to the group.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud",
    ],
    find,
    reaches: Reaches::Admin,
    needs: Some("iam:AttachGroupPolicy"),
    fixtures: Fixtures {
        expect: "admin",
        positive: &[r#"{"attacker": [["Allow", "iam:AttachGroupPolicy", "arn:aws:iam::111111111111:group/devs"]],
                        "groups": {"devs": {"members": ["attacker"]}}}"#],
        negative: &[
            // A group the attacker is not in.
            r#"{"attacker": [["Allow", "iam:AttachGroupPolicy", "arn:aws:iam::111111111111:group/devs"]],
                "groups": {"devs": {"members": []}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::on_own_groups(
        ctx,
        attacker,
        TECHNIQUE.id,
        "iam:AttachGroupPolicy",
        "attaches an administrator policy to group",
    )
}
