//! Pass a role to a new EC2 instance

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-ec2",
    title: "Pass a role to a new EC2 instance",
    description: "With iam:PassRole on a role EC2 trusts and ec2:RunInstances, the attacker starts an instance with the role's instance profile and reads the role's credentials from the instance metadata service.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 3)", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RunInstances", "*"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "ec2:RunInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RunInstances", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:DescribeInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(ctx, attacker, TECHNIQUE.id, "ec2.amazonaws.com", &[("ec2:RunInstances", "instance")])
}
