//! Pass a role to a new SageMaker notebook instance

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-sagemaker-notebook",
    title: "Pass a role to a new SageMaker notebook instance",
    description: "With iam:PassRole on a role SageMaker trusts, sagemaker:CreateNotebookInstance and sagemaker:CreatePresignedNotebookInstanceUrl, the attacker creates a notebook instance that runs as the role, opens it through a presigned URL, and uses the role's credentials from the notebook's terminal.",
    references: &["https://pathfinding.cloud/paths/sagemaker-001", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateNotebookInstance", "*"], ["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "*"]],
                        "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "sagemaker:CreateNotebookInstance", "*"], ["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateNotebookInstance", "*"], ["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "sagemaker:CreateNotebookInstance", "*"], ["Allow", "sagemaker:ListNotebookInstances", "*"]],
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
        &[
            ("sagemaker:CreateNotebookInstance", "notebook-instance/sightline-new"),
            ("sagemaker:CreatePresignedNotebookInstanceUrl", "notebook-instance/sightline-new"),
        ],
    )
}
