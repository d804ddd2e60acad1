//! ECS resources, for the techniques that run code as the role of an ECS task: clusters, task definitions, running
//! tasks, and the role each task runs with.
//!
//! Clusters, services and task definitions use CloudFormation's types (`AWS::ECS::Cluster`, `AWS::ECS::Service`,
//! `AWS::ECS::TaskDefinition`), with their properties as the ECS API writes them in PascalCase (`TaskRoleArn`,
//! `ExecutionRoleArn`, `Compatibilities`, `RegisteredContainerInstancesCount`). A running task has no
//! CloudFormation type (a task is not something a template declares): Sightline names it `AWS::ECS::Task`, with
//! `TaskArn`, `ClusterArn`, `TaskDefinitionArn`, `LastStatus`, `DesiredStatus`, `EnableExecuteCommand`,
//! `Overrides.TaskRoleArn` and `Containers[].Name` as `DescribeTasks` gives them.

use super::existing;
use crate::Ctx;
use sightline_model::{Props, Resource};

/// The service principal ECS task roles trust.
pub(super) const TASKS_SERVICE: &str = "ecs-tasks.amazonaws.com";
pub(super) const CLUSTER: &str = "AWS::ECS::Cluster";
pub(super) const TASK_DEFINITION: &str = "AWS::ECS::TaskDefinition";
pub(super) const TASK: &str = "AWS::ECS::Task";

/// The resource's ARN: its id when that is an ARN, else the ARN its property `key` holds.
pub(super) fn arn<'r>(resource: &'r Resource, key: &str) -> Option<&'r str> {
    if resource.id.starts_with("arn:") {
        return Some(&resource.id);
    }
    existing::property(resource, &[key]).filter(|a| a.starts_with("arn:"))
}

/// The task definition with this ARN (`arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`).
pub(super) fn task_definition<'s>(ctx: &Ctx<'_, 's>, definition_arn: &str) -> Option<&'s Resource> {
    ctx.resources_of(TASK_DEFINITION).iter().copied().find(|d| arn(d, "TaskDefinitionArn") == Some(definition_arn))
}

/// The task role a task runs with: the one its run named as an override, else its task definition's.
pub(super) fn task_role<'s>(ctx: &Ctx<'_, 's>, task: &'s Resource) -> Option<&'s str> {
    if let Some(role) = task.properties.pointer("/Overrides/TaskRoleArn").and_then(Props::as_str) {
        return Some(role);
    }
    let definition = task_definition(ctx, existing::property(task, &["TaskDefinitionArn"])?)?;
    existing::property(definition, &["TaskRoleArn"])
}

/// Whether the task definition can run on Fargate (`Compatibilities` as `DescribeTaskDefinition` gives it, or
/// `RequiresCompatibilities` as it was registered), which needs no container instance in the cluster.
pub(super) fn runs_on_fargate(definition: &Resource) -> bool {
    ["Compatibilities", "RequiresCompatibilities"].iter().any(|key| {
        let list = definition.properties.get(key).and_then(Props::as_array);
        list.into_iter().flatten().any(|c| c.as_str() == Some("FARGATE"))
    })
}

/// Whether the cluster has EC2 container instances for tasks to be placed on.
pub(super) fn has_container_instances(cluster: &Resource) -> bool {
    let count = cluster.properties.get("RegisteredContainerInstancesCount").and_then(Props::as_i64);
    count.is_some_and(|n| n > 0)
}

/// The active clusters of one account and region.
pub(super) fn clusters<'c, 's>(
    ctx: &'c Ctx<'_, 's>,
    account: &'c str,
    region: &'c str,
) -> impl Iterator<Item = &'s Resource> + 'c {
    ctx.resources_of(CLUSTER).iter().copied().filter(move |c| {
        let status = existing::property(c, &["Status"]);
        c.account_id == account && existing::region(c) == region && status.is_none_or(|s| s == "ACTIVE")
    })
}
