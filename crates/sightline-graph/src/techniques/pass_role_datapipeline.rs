//! Pass a role to a new Data Pipeline

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-datapipeline",
    title: "Pass a role to a new Data Pipeline",
    description: "With iam:PassRole on a role Data Pipeline trusts, datapipeline:CreatePipeline and datapipeline:PutPipelineDefinition, the attacker defines a pipeline that runs commands as the role.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 20)", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "datapipeline:CreatePipeline", "*"], ["Allow", "datapipeline:PutPipelineDefinition", "*"]],
                        "roles": {"admin": {"trust": "datapipeline.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "datapipeline:CreatePipeline", "*"], ["Allow", "datapipeline:PutPipelineDefinition", "*"]],
                "roles": {"admin": {"trust": "datapipeline.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "datapipeline:CreatePipeline", "*"], ["Allow", "datapipeline:PutPipelineDefinition", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "datapipeline:CreatePipeline", "*"]],
                "roles": {"admin": {"trust": "datapipeline.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "datapipeline.amazonaws.com",
        &[
            ("datapipeline:CreatePipeline", "sightline-new-pipeline"),
            ("datapipeline:PutPipelineDefinition", "sightline-new-pipeline"),
        ],
    )
}
