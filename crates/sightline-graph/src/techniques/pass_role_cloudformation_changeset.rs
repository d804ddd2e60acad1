//! Pass a role to a new CloudFormation stack through a change set

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-cloudformation-changeset",
    title: "Pass a role to a new CloudFormation stack through a change set",
    description: "With iam:PassRole on a role CloudFormation trusts, cloudformation:CreateChangeSet (of type CREATE, which makes a new stack) and cloudformation:ExecuteChangeSet, the attacker creates a stack without cloudformation:CreateStack; its resources are made with the role's permissions.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 19, with a change set instead of CreateStack)", "https://pathfinding.cloud/paths/cloudformation-005 (change sets on an existing stack)"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:CreateChangeSet", "*"], ["Allow", "cloudformation:ExecuteChangeSet", "*"]],
                        "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "cloudformation:CreateChangeSet", "*"], ["Allow", "cloudformation:ExecuteChangeSet", "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:CreateChangeSet", "*"], ["Allow", "cloudformation:ExecuteChangeSet", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "cloudformation:CreateChangeSet", "*"], ["Allow", "cloudformation:DescribeChangeSet", "*"]],
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
        &[
            ("cloudformation:CreateChangeSet", "stack/sightline-new-stack/new"),
            ("cloudformation:ExecuteChangeSet", "stack/sightline-new-stack/new"),
        ],
    )
}
