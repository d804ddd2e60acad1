//! Pass a role to a new SageMaker processing job

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-sagemaker-processing",
    title: "Pass a role to a new SageMaker processing job",
    description: "With iam:PassRole on a role SageMaker trusts and sagemaker:CreateProcessingJob, the attacker starts a processing job whose container entrypoint is its own script, run as the role.",
    references: &["https://pathfinding.cloud/paths/sagemaker-003"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateProcessingJob", "*"]],
                        "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "sagemaker:CreateProcessingJob", "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateProcessingJob", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:DescribeProcessingJob", "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "sagemaker.amazonaws.com",
        &[("sagemaker:CreateProcessingJob", "processing-job/sightline-new")],
    )
}
