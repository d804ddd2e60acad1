//! Run an existing ECS task definition with a command of one's own, passing it a role.

use super::{ecs, edge, existing, pass_role};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, Step};
use sightline_iam::Context;
use sightline_model::{Principal, Resource};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-ecs-existing-task-definition",
    title: "Run an existing ECS task definition with a command of one's own",
    description: "With ecs:RunTask (or ecs:StartTask, on a cluster with EC2 container instances) on an existing task definition, the attacker runs it with overrides: its own command for a container, and a task role of its choice (the definition's own, or any role ECS tasks trust). No ecs:RegisterTaskDefinition is needed; ECS still asks for iam:PassRole on the task role, whether overridden or not, and on the definition's execution role when it has one. The container reads the task role's credentials from the container credentials endpoint. RunTask needs a cluster in the definition's account and region, and a place to run: Fargate, when the definition is compatible with it, or the cluster's container instances. Reads AWS::ECS::TaskDefinition (TaskRoleArn, ExecutionRoleArn, Compatibilities) and AWS::ECS::Cluster (RegisteredContainerInstancesCount) resources, as the live collector records them.",
    references: &[
        "https://pathfinding.cloud/paths/ecs-008",
        "https://pathfinding.cloud/paths/ecs-009",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html",
    ],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            // The definition's own role, on Fargate; its execution role is passed too.
            r#"{"attacker": [["Allow", "ecs:RunTask", "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:*"],
                             ["Allow", "iam:PassRole", ["arn:aws:iam::111111111111:role/admin", "arn:aws:iam::111111111111:role/pull"], {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]},
                          "pull": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "ecr:GetAuthorizationToken", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE", "RegisteredContainerInstancesCount": 0}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"Family": "batch", "TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "ExecutionRoleArn": "arn:aws:iam::111111111111:role/pull", "Compatibilities": ["EC2", "FARGATE"]}}]}"#,
            // Another role as an override, started on a container instance of the cluster.
            r#"{"attacker": [["Allow", "ecs:StartTask", "*", {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs"}}], ["Allow", "iam:PassRole", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE", "RegisteredContainerInstancesCount": 2}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"Family": "batch", "Compatibilities": ["EC2"]}}]}"#,
        ],
        negative: &[
            // The execution role may not be passed.
            r#"{"attacker": [["Allow", "ecs:RunTask", "*"], ["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/admin"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]},
                          "pull": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "ecr:GetAuthorizationToken", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE"}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "ExecutionRoleArn": "arn:aws:iam::111111111111:role/pull", "Compatibilities": ["FARGATE"]}}]}"#,
            // Without iam:PassRole.
            r#"{"attacker": [["Allow", "ecs:RunTask", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE"}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "Compatibilities": ["FARGATE"]}}]}"#,
            // No task definition to run.
            r#"{"attacker": [["Allow", "ecs:RunTask", "*"], ["Allow", "iam:PassRole", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE"}}]}"#,
            // No cluster to run it in.
            r#"{"attacker": [["Allow", "ecs:RunTask", "*"], ["Allow", "iam:PassRole", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "Compatibilities": ["FARGATE"]}}]}"#,
            // An EC2-only definition and a cluster without container instances.
            r#"{"attacker": [["Allow", ["ecs:RunTask", "ecs:StartTask"], "*"], ["Allow", "iam:PassRole", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE", "RegisteredContainerInstancesCount": 0}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "Compatibilities": ["EC2"]}}]}"#,
            // The role does not trust ECS tasks.
            r#"{"attacker": [["Allow", "ecs:RunTask", "*"], ["Allow", "iam:PassRole", "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:cluster/jobs", "resource_type": "AWS::ECS::Cluster", "account_id": "111111111111", "region": "us-east-1", "name": "jobs",
                     "properties": {"Status": "ACTIVE"}},
                    {"provider": "aws", "id": "arn:aws:ecs:us-east-1:111111111111:task-definition/batch:2", "resource_type": "AWS::ECS::TaskDefinition", "account_id": "111111111111", "region": "us-east-1", "name": "batch:2",
                     "properties": {"TaskRoleArn": "arn:aws:iam::111111111111:role/admin", "Compatibilities": ["FARGATE"]}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let roles: Vec<&Principal> = ctx
        .roles_trusted_by(ecs::TASKS_SERVICE)
        .iter()
        .copied()
        .filter(|r| r.id != attacker.id && ctx.wants(&r.id))
        .collect();
    if roles.is_empty() {
        return Vec::new();
    }
    // The first definition the attacker may run somewhere, with its execution role passed.
    let Some((definition, steps)) =
        ctx.resources_of(ecs::TASK_DEFINITION).iter().find_map(|d| Some((*d, run(ctx, attacker, d)?)))
    else {
        return Vec::new();
    };
    let name = if definition.name.is_empty() { definition.id.as_str() } else { definition.name.as_str() };
    let mut edges = Vec::new();
    for role in roles {
        let Some(pass) = pass_role::pass(ctx, attacker, role, ecs::TASKS_SERVICE) else { continue };
        let mut proof = vec![pass];
        proof.extend(steps.iter().cloned());
        let detail =
            format!("runs task definition {name} with a command of its own and {} as its task role", role.name);
        edges.push(edge(TECHNIQUE.id, attacker, &role.id, detail, proof));
    }
    edges
}

/// The requests that run `definition` in a cluster of its account and region (ecs:RunTask on Fargate or on the
/// cluster's container instances, or ecs:StartTask on them), with iam:PassRole on its execution role when it has
/// one; `None` when it cannot run or one is refused.
fn run(ctx: &Ctx<'_, '_>, attacker: &Principal, definition: &Resource) -> Option<Vec<Step>> {
    if existing::property(definition, &["Status"]).is_some_and(|s| s != "ACTIVE") {
        return None;
    }
    let arn = ecs::arn(definition, "TaskDefinitionArn")?;
    let mut steps = Vec::new();
    if let Some(execution) = existing::property(definition, &["ExecutionRoleArn"]) {
        let execution = existing::named_role(ctx, &definition.account_id, execution).map_or(execution, |r| &r.id);
        let mut pass = Context::default();
        pass.insert("iam:PassedToService", vec![ecs::TASKS_SERVICE.to_string()]);
        steps.push(ctx.allowed(&attacker.id, "iam:PassRole", execution, &pass)?);
    }
    let fargate = ecs::runs_on_fargate(definition);
    let launch = ecs::clusters(ctx, &definition.account_id, existing::region(definition)).find_map(|cluster| {
        let instances = ecs::has_container_instances(cluster);
        if !fargate && !instances {
            return None;
        }
        let mut context = Context::default();
        context.insert("ecs:cluster", vec![ecs::arn(cluster, "ClusterArn")?.to_string()]);
        ctx.allowed(&attacker.id, "ecs:RunTask", arn, &context)
            .or_else(|| instances.then(|| ctx.allowed(&attacker.id, "ecs:StartTask", arn, &context)).flatten())
    })?;
    steps.push(launch);
    Some(steps)
}
