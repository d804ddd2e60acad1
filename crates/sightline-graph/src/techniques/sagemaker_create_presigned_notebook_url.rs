//! Open an existing SageMaker notebook instance through a presigned URL

use super::{existing, sagemaker_update_notebook_lifecycle as notebook};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "sagemaker-create-presigned-notebook-url",
    title: "Open an existing SageMaker notebook instance through a presigned URL",
    description: "With sagemaker:CreatePresignedNotebookInstanceUrl on an existing notebook instance, the attacker opens its Jupyter environment and runs code in a terminal or a cell with the credentials of the notebook's execution role. A stopped notebook must first be started (sagemaker:StartNotebookInstance). Notebook instances are not collected: the technique reads AWS::SageMaker::NotebookInstance resources when the snapshot holds them, with the role in properties.RoleArn and the state in properties.NotebookInstanceStatus (a failed or deleting notebook is skipped; one whose state is unknown must be started).",
    references: &["https://pathfinding.cloud/paths/sagemaker-004"],
    find,
    reaches: Reaches::Role,
    needs: Some("sagemaker:CreatePresignedNotebookInstanceUrl"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "InService"}}]}"#,
            // Stopped: started first.
            r#"{"attacker": [["Allow", ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:StartNotebookInstance"], "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "Lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "Lab", "properties": {"RoleArn": "admin", "NotebookInstanceStatus": "Stopped"}}]}"#,
        ],
        negative: &[
            // Stopped, and may not be started.
            r#"{"attacker": [["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "Lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "Lab", "properties": {"RoleArn": "admin", "NotebookInstanceStatus": "Stopped"}}]}"#,
            // Another notebook only.
            r#"{"attacker": [["Allow", "sagemaker:CreatePresignedNotebookInstanceUrl", "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/other"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "InService"}}]}"#,
            // A failed notebook.
            r#"{"attacker": [["Allow", ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:StartNotebookInstance"], "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "Failed"}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let kind = "AWS::SageMaker::NotebookInstance";
    existing::find(ctx, attacker, &TECHNIQUE, kind, &["RoleArn"], "opens a presigned URL to", |n| {
        let status = notebook::status(n);
        if matches!(status, Some("Failed" | "Deleting")) {
            return None;
        }
        let arn = notebook::notebook_arn(n);
        let none = Context::default();
        let mut proof = Vec::new();
        if !matches!(status, Some("InService" | "Pending")) {
            proof.push(ctx.allowed(&attacker.id, "sagemaker:StartNotebookInstance", &arn, &none)?);
        }
        proof.push(ctx.allowed(&attacker.id, "sagemaker:CreatePresignedNotebookInstanceUrl", &arn, &none)?);
        Some(proof)
    })
}
