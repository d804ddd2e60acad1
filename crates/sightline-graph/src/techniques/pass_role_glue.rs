//! Pass a role to a new Glue development endpoint

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-glue",
    title: "Pass a role to a new Glue development endpoint",
    description: "With iam:PassRole on a role Glue trusts and glue:CreateDevEndpoint, the attacker creates a development endpoint that runs as the role and logs in to it.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 17)", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "glue:CreateDevEndpoint", "*"]],
                        "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "glue:CreateDevEndpoint", "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "glue:CreateDevEndpoint", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "glue:GetDevEndpoints", "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "glue.amazonaws.com",
        &[("glue:CreateDevEndpoint", "sightline-new-endpoint")],
    )
}
