//! CloudFormation: stacks, with the service role each one's changes run with (for the escalation technique that
//! updates a stack with a role).

use crate::json::{compact, s, t};
use crate::record::Recorder;
use aws_types::SdkConfig;
use serde_json::json;
use sightline_model::{Provider, Resource, Snapshot};

const SERVICE: &str = "cloudformation";

/// Collects the stacks of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_cloudformation::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut pages = client.describe_stacks().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeStacks", &[], async { page }).await.value() else {
            break;
        };
        for stack in page.stacks() {
            let name = stack.stack_name().unwrap_or_default().to_string();
            let id = stack
                .stack_id()
                .map(str::to_string)
                .unwrap_or_else(|| format!("arn:aws:cloudformation:{region}:{account}:stack/{name}"));
            let props = compact(json!({
                "StackName": name,
                "StackId": id,
                "StackStatus": stack.stack_status().map(|x| x.as_str()),
                "RoleARN": s(stack.role_arn()),
                "CreationTime": t(stack.creation_time()),
                "LastUpdatedTime": t(stack.last_updated_time()),
                "EnableTerminationProtection": stack.enable_termination_protection(),
            }));
            let tags = stack
                .tags()
                .iter()
                .map(|t| (t.key().unwrap_or_default().to_string(), t.value().unwrap_or_default().to_string()))
                .collect();
            snapshot.resources.push(Resource {
                provider: Provider::Aws,
                id,
                resource_type: "AWS::CloudFormation::Stack".into(),
                account_id: account.clone(),
                region: Some(region.clone()),
                name,
                policy: None,
                tags,
                properties: props.into(),
            });
        }
    }
    snapshot
}
