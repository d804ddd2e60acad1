//! Pass a role to a new SageMaker training job

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-sagemaker-training",
    title: "Pass a role to a new SageMaker training job",
    description: "With iam:PassRole on a role SageMaker trusts and sagemaker:CreateTrainingJob, the attacker starts a training job that runs a container image of its choosing as the role; the container's code uses the role's credentials.",
    references: &["https://pathfinding.cloud/paths/sagemaker-002"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateTrainingJob", "*"]],
                        "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "sagemaker:CreateTrainingJob", "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateTrainingJob", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:DescribeTrainingJob", "*"]],
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
        &[("sagemaker:CreateTrainingJob", "training-job/sightline-new")],
    )
}
