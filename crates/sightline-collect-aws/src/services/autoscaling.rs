//! EC2 Auto Scaling: groups, with the launch template (and version) they launch, directly or through a mixed
//! instances policy (for the escalation technique that adds a version to a launch template a group launches).

use crate::json::{compact, i, s, t};
use crate::out::Out;
use crate::record::Recorder;
use aws_sdk_autoscaling::types::LaunchTemplateSpecification;
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::Snapshot;

const SERVICE: &str = "autoscaling";

/// A launch template specification as the API writes it (`Version` absent means `$Default`).
fn specification(spec: &LaunchTemplateSpecification) -> Value {
    compact(json!({
        "LaunchTemplateId": s(spec.launch_template_id()), "LaunchTemplateName": s(spec.launch_template_name()),
        "Version": s(spec.version()),
    }))
}

/// Collects the Auto Scaling groups of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_autoscaling::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut out = Out::new(&account, &region, "autoscaling", ':');
    let mut pages = client.describe_auto_scaling_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeAutoScalingGroups", &[], async { page }).await.value() else {
            break;
        };
        for g in page.auto_scaling_groups() {
            let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
            // The ARN holds a group id the API does not otherwise give: without it, the id is only the name.
            let id = g.auto_scaling_group_arn().map(str::to_string).unwrap_or_else(|| name.clone());
            let mixed = g.mixed_instances_policy().and_then(|m| m.launch_template()).map(|lt| {
                compact(json!({"LaunchTemplate": compact(json!({
                    "LaunchTemplateSpecification": lt.launch_template_specification().map(specification),
                    "Overrides": lt.overrides().iter().map(|o| compact(json!({
                        "InstanceType": s(o.instance_type()),
                        "LaunchTemplateSpecification": o.launch_template_specification().map(specification),
                    }))).collect::<Vec<_>>(),
                }))}))
            });
            let props = compact(json!({
                "AutoScalingGroupName": name, "AutoScalingGroupARN": s(g.auto_scaling_group_arn()),
                "LaunchConfigurationName": s(g.launch_configuration_name()),
                "LaunchTemplate": g.launch_template().map(specification),
                "MixedInstancesPolicy": mixed,
                "MinSize": i(g.min_size()), "MaxSize": i(g.max_size()), "DesiredCapacity": i(g.desired_capacity()),
                "Instances": g.instances().iter().map(|x| x.instance_id()).collect::<Vec<_>>(),
                "ServiceLinkedRoleARN": s(g.service_linked_role_arn()), "CreatedTime": t(g.created_time()),
            }));
            let tags = g
                .tags()
                .iter()
                .filter_map(|x| Some((x.key()?.to_string(), x.value().unwrap_or_default().to_string())))
                .collect();
            out.push("AWS::AutoScaling::AutoScalingGroup", id, &name, tags, props);
        }
    }
    out.snapshot
}
