//! SQS: queues with their attributes (encryption, retention, redrive) and access policies.

use crate::record::{Fetched, Recorder};
use aws_sdk_sqs::types::QueueAttributeName;
use aws_types::SdkConfig;
use serde_json::{Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "sqs";

/// Error codes for a queue that no longer exists (the JSON protocol's name and the legacy query one).
const GONE: &[&str] = &["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"];

/// Collects SQS in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_sqs::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut urls = Vec::new();
    // ListQueues only paginates (returns NextToken) when MaxResults is given.
    let mut pages = client.list_queues().max_results(1000).into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListQueues", &[], async { page }).await.value() else { break };
        urls.extend(page.queue_urls().iter().cloned());
    }
    for url in urls {
        let name = url.trim_end_matches('/').rsplit('/').next().unwrap_or(&url).to_string();
        let call = client.get_queue_attributes().queue_url(&url).attribute_names(QueueAttributeName::All).send();
        let attributes = match rec.fetch(SERVICE, r, "GetQueueAttributes", GONE, call).await {
            Fetched::Value(out) => Some(
                out.attributes()
                    .map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), v.clone())).collect::<BTreeMap<_, _>>())
                    .unwrap_or_default(),
            ),
            Fetched::Absent => continue,
            Fetched::Error => None,
        };
        let mut props = Map::new();
        props.insert("QueueUrl".into(), Value::String(url.clone()));
        let mut policy = None;
        let mut arn = None;
        // The attributes as the API returns them (all strings); the policy becomes the resource's policy.
        for (key, value) in attributes.unwrap_or_default() {
            match key.as_str() {
                "Policy" => policy = Some(value),
                _ => {
                    if key == "QueueArn" {
                        arn = Some(value.clone());
                    }
                    props.insert(key, Value::String(value));
                }
            }
        }
        let arn = arn.unwrap_or_else(|| format!("arn:aws:sqs:{region}:{account}:{name}"));

        let call = client.list_queue_tags().queue_url(&url).send();
        let tags = match rec.fetch(SERVICE, r, "ListQueueTags", GONE, call).await {
            Fetched::Value(out) => {
                out.tags().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
            }
            _ => BTreeMap::new(),
        };

        let policy = rec.policy_document(SERVICE, r, "GetQueueAttributes", &format!("queue {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::SQS::Queue".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name,
            policy,
            tags,
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}
