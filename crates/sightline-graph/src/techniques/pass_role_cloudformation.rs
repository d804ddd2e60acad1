//! Pass a role to a new CloudFormation stack

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-cloudformation",
    title: "Pass a role to a new CloudFormation stack",
    description: "With iam:PassRole on a role CloudFormation trusts and cloudformation:CreateStack, the attacker creates a stack whose resources are made with the role's permissions.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 19)", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:CreateStack", "*"]],
                        "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "cloudformation:CreateStack", "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:CreateStack", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:DescribeStacks", "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "cloudformation.amazonaws.com",
        &[("cloudformation:CreateStack", "sightline-new-stack")],
    )
}
