//! Pass a role to a new Lambda function and invoke it

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-lambda-invoke",
    title: "Pass a role to a new Lambda function and invoke it",
    description: "With iam:PassRole on a role Lambda trusts, lambda:CreateFunction and lambda:InvokeFunction, the attacker creates a function that runs as the role and invokes it.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 15)", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "lambda:CreateFunction", "*"], ["Allow", "lambda:InvokeFunction", "*"]],
                        "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "lambda:CreateFunction", "*"], ["Allow", "lambda:InvokeFunction", "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "lambda:CreateFunction", "*"], ["Allow", "lambda:InvokeFunction", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "lambda:CreateFunction", "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "lambda.amazonaws.com",
        &[("lambda:CreateFunction", "sightline-new-function"), ("lambda:InvokeFunction", "sightline-new-function")],
    )
}
