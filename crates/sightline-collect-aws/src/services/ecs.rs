//! ECS: clusters, services, task definitions and running tasks, with the roles tasks run as (for the escalation
//! techniques that open a shell in a running task or run an existing task definition).
//!
//! Task definitions are the latest revision of every active family, and every revision a collected service or
//! task uses. A running task has no CloudFormation type; it is recorded as `AWS::ECS::Task` with its properties as
//! `DescribeTasks` gives them, in PascalCase like the other types.

use crate::json::{compact, s, t};
use crate::out::Out;
use crate::record::Recorder;
use aws_sdk_ecs::types::{ClusterField, DesiredStatus, TaskDefinitionFamilyStatus, TaskDefinitionField};
use aws_types::SdkConfig;
use serde_json::json;
use sightline_model::Snapshot;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "ecs";

fn tags(list: &[aws_sdk_ecs::types::Tag]) -> BTreeMap<String, String> {
    list.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

/// The last part of an ARN's resource (`web` for `...:cluster/web`, the id for `...:task/web/0f1e`).
fn last(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Collects the ECS resources of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_ecs::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut out = Out::new(&account, &region, "ecs", '/');

    let mut clusters = Vec::new();
    let mut pages = client.list_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListClusters", &[], async { page }).await.value() else { break };
        clusters.extend(page.cluster_arns().iter().cloned());
    }
    // DescribeClusters takes at most 100 clusters.
    for batch in clusters.chunks(100) {
        let call = client.describe_clusters().set_clusters(Some(batch.to_vec())).include(ClusterField::Tags).send();
        let Some(described) = rec.fetch(SERVICE, r, "DescribeClusters", &[], call).await.value() else { continue };
        for c in described.clusters() {
            let arn = c.cluster_arn().unwrap_or_default().to_string();
            let name = c.cluster_name().unwrap_or_else(|| last(&arn)).to_string();
            let props = compact(json!({
                "ClusterName": name, "ClusterArn": arn, "Status": s(c.status()),
                "RegisteredContainerInstancesCount": c.registered_container_instances_count(),
                "RunningTasksCount": c.running_tasks_count(), "ActiveServicesCount": c.active_services_count(),
            }));
            out.push("AWS::ECS::Cluster", arn, &name, tags(c.tags()), props);
        }
    }

    // Task definitions the services and tasks use, to describe below with the families' latest revisions.
    let mut definitions: Vec<String> = Vec::new();
    for cluster in &clusters {
        let mut services = Vec::new();
        let mut pages = client.list_services().cluster(cluster).into_paginator().send();
        while let Some(page) = pages.next().await {
            let Some(page) = rec.fetch(SERVICE, r, "ListServices", &[], async { page }).await.value() else { break };
            services.extend(page.service_arns().iter().cloned());
        }
        // DescribeServices takes at most 10 services.
        for batch in services.chunks(10) {
            let call = client.describe_services().cluster(cluster).set_services(Some(batch.to_vec())).send();
            let Some(described) = rec.fetch(SERVICE, r, "DescribeServices", &[], call).await.value() else { continue };
            for svc in described.services() {
                let arn = svc.service_arn().unwrap_or_default().to_string();
                let name = svc.service_name().unwrap_or_else(|| last(&arn)).to_string();
                definitions.extend(svc.task_definition().map(str::to_string));
                let props = compact(json!({
                    "ServiceName": name, "ServiceArn": arn, "Cluster": s(svc.cluster_arn()),
                    "TaskDefinition": s(svc.task_definition()), "Status": s(svc.status()),
                    "LaunchType": svc.launch_type().map(|x| x.as_str()),
                    "DesiredCount": svc.desired_count(), "RunningCount": svc.running_count(),
                    "EnableExecuteCommand": svc.enable_execute_command(),
                    "CreatedAt": t(svc.created_at()),
                }));
                out.push("AWS::ECS::Service", arn, &name, tags(svc.tags()), props);
            }
        }

        let mut tasks = Vec::new();
        let mut pages =
            client.list_tasks().cluster(cluster).desired_status(DesiredStatus::Running).into_paginator().send();
        while let Some(page) = pages.next().await {
            let Some(page) = rec.fetch(SERVICE, r, "ListTasks", &[], async { page }).await.value() else { break };
            tasks.extend(page.task_arns().iter().cloned());
        }
        // DescribeTasks takes at most 100 tasks.
        for batch in tasks.chunks(100) {
            let call = client.describe_tasks().cluster(cluster).set_tasks(Some(batch.to_vec())).send();
            let Some(described) = rec.fetch(SERVICE, r, "DescribeTasks", &[], call).await.value() else { continue };
            for task in described.tasks() {
                let arn = task.task_arn().unwrap_or_default().to_string();
                definitions.extend(task.task_definition_arn().map(str::to_string));
                // Only the role overrides matter here (container overrides may carry secrets in their environment).
                let overrides = task
                    .overrides()
                    .map(|o| {
                        compact(
                            json!({"TaskRoleArn": s(o.task_role_arn()), "ExecutionRoleArn": s(o.execution_role_arn())}),
                        )
                    })
                    .filter(|o| o.as_object().is_some_and(|m| !m.is_empty()));
                let props = compact(json!({
                    "TaskArn": arn, "ClusterArn": s(task.cluster_arn()), "TaskDefinitionArn": s(task.task_definition_arn()),
                    "LastStatus": s(task.last_status()), "DesiredStatus": s(task.desired_status()),
                    "EnableExecuteCommand": task.enable_execute_command(),
                    "LaunchType": task.launch_type().map(|x| x.as_str()), "Group": s(task.group()),
                    "StartedBy": s(task.started_by()), "StartedAt": t(task.started_at()),
                    "Overrides": overrides,
                    "Containers": task.containers().iter().map(|c| compact(json!({"Name": s(c.name()), "RuntimeId": s(c.runtime_id())}))).collect::<Vec<_>>(),
                }));
                out.push("AWS::ECS::Task", arn.clone(), last(&arn), tags(task.tags()), props);
            }
        }
    }

    let mut pages =
        client.list_task_definition_families().status(TaskDefinitionFamilyStatus::Active).into_paginator().send();
    let mut families = Vec::new();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListTaskDefinitionFamilies", &[], async { page }).await.value() else {
            break;
        };
        families.extend(page.families().iter().cloned());
    }
    // A family name stands for its latest active revision; then the revisions in use, each described once.
    let mut asked = BTreeSet::new();
    let mut pushed = BTreeSet::new();
    for wanted in families.iter().chain(definitions.iter()) {
        if !asked.insert(wanted.as_str()) {
            continue;
        }
        let call = client.describe_task_definition().task_definition(wanted).include(TaskDefinitionField::Tags).send();
        let Some(answer) = rec.fetch(SERVICE, r, "DescribeTaskDefinition", &[], call).await.value() else { continue };
        let Some(d) = answer.task_definition() else { continue };
        let arn = d.task_definition_arn().unwrap_or_default().to_string();
        if !pushed.insert(arn.clone()) {
            continue;
        }
        let family = d.family().unwrap_or_default();
        let name = format!("{family}:{}", d.revision());
        let props = compact(json!({
            "TaskDefinitionArn": arn, "Family": family, "Revision": d.revision(), "Status": d.status().map(|x| x.as_str()),
            "TaskRoleArn": s(d.task_role_arn()), "ExecutionRoleArn": s(d.execution_role_arn()),
            "NetworkMode": d.network_mode().map(|x| x.as_str()),
            "Compatibilities": d.compatibilities().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "RequiresCompatibilities": d.requires_compatibilities().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "ContainerDefinitions": d.container_definitions().iter().map(|c| compact(json!({"Name": s(c.name()), "Image": s(c.image())}))).collect::<Vec<_>>(),
        }));
        out.push("AWS::ECS::TaskDefinition", arn, &name, tags(answer.tags()), props);
    }
    out.snapshot
}
