//! Open a shell in a running ECS task with ECS Exec and take its task role's credentials.

use super::{ecs, edge, existing};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, Step};
use sightline_iam::Context;
use sightline_model::{Principal, Props, Resource};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ecs-execute-command",
    title: "Open a shell in a running ECS task with ECS Exec",
    description: "With ecs:ExecuteCommand on a running task that was started with ECS Exec enabled (enableExecuteCommand), and on its cluster, and ecs:DescribeTasks on the task (the CLI reads the container's runtime id from it), the attacker opens a shell in the task's container and reads the task role's credentials from the container credentials endpoint. The task runs as the task role its run named as an override, else as its task definition's; the role must trust ecs-tasks.amazonaws.com and allow the Session Manager channels ECS Exec opens (ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel). Reads AWS::ECS::Task resources (LastStatus, EnableExecuteCommand, Overrides.TaskRoleArn, TaskDefinitionArn, ClusterArn) and AWS::ECS::TaskDefinition resources (TaskRoleArn), as the live collector records them.",
    references: &["https://pathfinding.cloud/paths/ecs-006", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"],
    find,
    reaches: Reaches::Role,
    needs: Some("ecs:ExecuteCommand"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            // The task definition names the role.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "DesiredStatus": "RUNNING", "EnableExecuteCommand": true, "Containers": [{"Name": "app"}]}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"Family": "web", "Revision": 3, "TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The run overrode the task role; the attacker's policy names the cluster and a container.
            r#"{"attacker": [["Allow", "ecs:ExecuteCommand", ["arn:aws:ecs:us-east-1:111111111111:cluster/web", "arn:aws:ecs:us-east-1:111111111111:task/web/*"], {"StringEquals": {"ecs:container-name": "app"}}],
                             ["Allow", "ecs:DescribeTasks", "arn:aws:ecs:us-east-1:111111111111:task/web/*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]},
                          "plain": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "s3:GetObject", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true, "Containers": [{"Name": "sidecar"}, {"Name": "app"}],
                                    "Overrides": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/plain"}}]}"#,
        ],
        negative: &[
            // ECS Exec was not enabled when the task started.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": false}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // Without ecs:DescribeTasks.
            r#"{"attacker": [["Allow", "ecs:ExecuteCommand", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // ExecuteCommand on the task but not on its cluster.
            r#"{"attacker": [["Allow", "ecs:ExecuteCommand", "arn:aws:ecs:us-east-1:111111111111:task/web/*"], ["Allow", "ecs:DescribeTasks", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The task has stopped.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "STOPPED", "DesiredStatus": "STOPPED", "EnableExecuteCommand": true}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The role does not trust ECS tasks: the task cannot have its credentials.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The role may not open the Session Manager channels ECS Exec needs.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "iam:*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "web:3",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // No task definition in the snapshot, so no role is known.
            r#"{"attacker": [["Allow", ["ecs:ExecuteCommand", "ecs:DescribeTasks"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task/web/0f1e", "resource_type": "AWS::ECS::Task", "account_id": "111111111111", "region": "us-east-1", "name": "0f1e",
                     "properties": {"ClusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/web", "TaskDefinitionArn": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3",
                                    "LastStatus": "RUNNING", "EnableExecuteCommand": true}}]}"#,
        ],
    },
};

/// The Session Manager channels the ECS Exec agent in the container opens with the task role's credentials.
const AGENT_ACTIONS: &[&str] = &[
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];

/// Task states that are, or are on their way to, `RUNNING`.
const STARTING: &[&str] = &["PROVISIONING", "PENDING", "ACTIVATING"];

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let trusted = ctx.roles_trusted_by(ecs::TASKS_SERVICE);
    let mut edges = Vec::new();
    for task in ctx.resources_of(ecs::TASK) {
        if !running(task) || task.properties.get("EnableExecuteCommand").and_then(Props::as_bool) != Some(true) {
            continue;
        }
        let Some(role) = ecs::task_role(ctx, task).and_then(|r| existing::named_role(ctx, &task.account_id, r)) else {
            continue;
        };
        if role.id == attacker.id || !ctx.wants(&role.id) || !trusted.iter().any(|r| r.id == role.id) {
            continue;
        }
        if !AGENT_ACTIONS.iter().all(|a| ctx.allowed(&role.id, a, "*", &Context::default()).is_some()) {
            continue;
        }
        let Some(proof) = requests(ctx, attacker, task) else { continue };
        let name = if task.name.is_empty() { task.id.as_str() } else { task.name.as_str() };
        let detail = format!("opens a shell with ECS Exec in task {name}, which runs as {}", role.name);
        edges.push(edge(TECHNIQUE.id, attacker, &role.id, detail, proof));
    }
    edges
}

fn running(task: &Resource) -> bool {
    let last = existing::property(task, &["LastStatus"]);
    let desired = existing::property(task, &["DesiredStatus"]);
    (last == Some("RUNNING") && desired.is_none_or(|d| d == "RUNNING"))
        || (desired == Some("RUNNING") && last.is_some_and(|l| STARTING.contains(&l)))
}

/// ecs:ExecuteCommand on the cluster and on the task (the action names both), for one of the task's containers when
/// the snapshot names them, and ecs:DescribeTasks on the task.
fn requests(ctx: &Ctx<'_, '_>, attacker: &Principal, task: &Resource) -> Option<Vec<Step>> {
    let task_arn = ecs::arn(task, "TaskArn")?;
    let cluster = existing::property(task, &["ClusterArn"]).filter(|c| c.starts_with("arn:"))?;
    let mut base = Context::default();
    base.insert("ecs:cluster", vec![cluster.to_string()]);
    let describe = ctx.allowed(&attacker.id, "ecs:DescribeTasks", task_arn, &base)?;
    base.insert("ecs:task", vec![task_arn.to_string()]);
    let containers: Vec<&str> = task
        .properties
        .get("Containers")
        .and_then(Props::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("Name").and_then(Props::as_str))
        .collect();
    let contexts: Vec<Context> = if containers.is_empty() {
        vec![base]
    } else {
        containers
            .iter()
            .map(|name| {
                let mut c = base.clone();
                c.insert("ecs:container-name", vec![name.to_string()]);
                c
            })
            .collect()
    };
    contexts.iter().find_map(|context| {
        Some(vec![
            ctx.allowed(&attacker.id, "ecs:ExecuteCommand", cluster, context)?,
            ctx.allowed(&attacker.id, "ecs:ExecuteCommand", task_arn, context)?,
            describe.clone(),
        ])
    })
}
