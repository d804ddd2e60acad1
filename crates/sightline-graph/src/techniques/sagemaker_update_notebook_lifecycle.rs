//! Give an existing SageMaker notebook instance a start-up script of one's own

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, Props, Resource};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "sagemaker-update-notebook-lifecycle",
    title: "Give an existing SageMaker notebook instance a start-up script of one's own",
    description: "With sagemaker:CreateNotebookInstanceLifecycleConfig, the attacker writes a lifecycle configuration whose start script is its own; with sagemaker:StopNotebookInstance (not needed when the notebook is stopped already), sagemaker:UpdateNotebookInstance and sagemaker:StartNotebookInstance on an existing notebook instance, it attaches the configuration and restarts the notebook, and the script runs with the credentials of the notebook's execution role. Notebook instances are not collected: the technique reads AWS::SageMaker::NotebookInstance resources when the snapshot holds them, with the role in properties.RoleArn and the state in properties.NotebookInstanceStatus (a failed or deleting notebook is skipped; an unknown state counts as running).",
    references: &["https://pathfinding.cloud/paths/sagemaker-005"],
    find,
    reaches: Reaches::Role,
    needs: Some("sagemaker:CreateNotebookInstanceLifecycleConfig"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "sagemaker:CreateNotebookInstanceLifecycleConfig", "*"],
                             ["Allow", ["sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "InService"}}]}"#,
            // Stopped already; the notebook is named by its id and its role by name.
            r#"{"attacker": [["Allow", ["sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "Lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "Lab", "properties": {"RoleArn": "admin", "NotebookInstanceStatus": "Stopped"}}]}"#,
        ],
        negative: &[
            // Running, and may not be stopped.
            r#"{"attacker": [["Allow", ["sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "InService"}}]}"#,
            // No lifecycle configuration of its own.
            r#"{"attacker": [["Allow", ["sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], "*"]],
                "roles": {"admin": {"trust": "sagemaker.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/lab", "resource_type": "AWS::SageMaker::NotebookInstance", "account_id": "111111111111", "region": "us-east-1", "name": "lab", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin", "NotebookInstanceStatus": "InService"}}]}"#,
        ],
    },
};

/// A notebook instance's state, as DescribeNotebookInstance gives it (`InService`, `Stopped`...), or `None`.
pub(super) fn status(notebook: &Resource) -> Option<&str> {
    notebook.properties.get("NotebookInstanceStatus").and_then(Props::as_str)
}

/// A notebook instance's ARN (SageMaker writes names in lower case in its ARNs).
pub(super) fn notebook_arn(notebook: &Resource) -> String {
    if notebook.id.starts_with("arn:") {
        return notebook.id.clone();
    }
    let name = if notebook.name.is_empty() { notebook.id.as_str() } else { notebook.name.as_str() };
    let (region, account) = (existing::region(notebook), notebook.account_id.as_str());
    format!("arn:aws:sagemaker:{region}:{account}:notebook-instance/{}", name.to_lowercase())
}

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let notebook = "AWS::SageMaker::NotebookInstance";
    let doing = "runs a start-up script of its own on";
    existing::find(ctx, attacker, &TECHNIQUE, notebook, &["RoleArn"], doing, |n| {
        if matches!(status(n), Some("Failed" | "Deleting")) {
            return None;
        }
        let arn = notebook_arn(n);
        let config = format!(
            "arn:aws:sagemaker:{}:{}:notebook-instance-lifecycle-config/sightline-new",
            existing::region(n),
            n.account_id
        );
        let none = Context::default();
        let mut proof =
            vec![ctx.allowed(&attacker.id, "sagemaker:CreateNotebookInstanceLifecycleConfig", &config, &none)?];
        if status(n) != Some("Stopped") {
            proof.push(ctx.allowed(&attacker.id, "sagemaker:StopNotebookInstance", &arn, &none)?);
        }
        proof.push(ctx.allowed(&attacker.id, "sagemaker:UpdateNotebookInstance", &arn, &none)?);
        proof.push(ctx.allowed(&attacker.id, "sagemaker:StartNotebookInstance", &arn, &none)?);
        Some(proof)
    })
}
