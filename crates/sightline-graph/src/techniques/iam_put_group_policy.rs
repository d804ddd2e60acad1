//! Write an administrator inline policy on one's own group

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

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
    super::on_own_groups(
        ctx,
        attacker,
        TECHNIQUE.id,
        "iam:PutGroupPolicy",
        "writes an administrator inline policy on group",
    )
}
