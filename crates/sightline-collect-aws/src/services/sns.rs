//! SNS: topics with their attributes (owner, encryption, subscription counts, delivery policies) and access
//! policies.

use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::{Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "sns";

/// Collects SNS in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_sns::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut topics = Vec::new();
    let mut pages = client.list_topics().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListTopics", &[], async { page }).await.value() else { break };
        topics.extend(page.topics().iter().filter_map(|t| t.topic_arn()).map(str::to_string));
    }
    for arn in topics {
        let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
        let call = client.get_topic_attributes().topic_arn(&arn).send();
        // NotFound: deleted since it was listed.
        let attributes = match rec.fetch(SERVICE, r, "GetTopicAttributes", &["NotFound"], call).await {
            Fetched::Value(out) => Some(out.attributes().cloned().unwrap_or_default()),
            Fetched::Absent => continue,
            Fetched::Error => None,
        };
        let mut props = Map::new();
        props.insert("TopicArn".into(), Value::String(arn.clone()));
        let mut policy = None;
        if let Some(attributes) = attributes {
            // The attributes as the API returns them (all strings), in a stable order; the policy is stored as the
            // resource's policy rather than as a string property.
            let sorted: BTreeMap<String, String> = attributes.into_iter().collect();
            for (key, value) in sorted {
                if key == "Policy" {
                    policy = Some(value);
                } else {
                    props.insert(key, Value::String(value));
                }
            }
        }

        let call = client.list_tags_for_resource().resource_arn(&arn).send();
        let tags = match rec.fetch(SERVICE, r, "ListTagsForResource", &["ResourceNotFound", "NotFound"], call).await {
            Fetched::Value(out) => out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
            _ => BTreeMap::new(),
        };

        let policy = rec.policy_document(SERVICE, r, "GetTopicAttributes", &format!("topic {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::SNS::Topic".into(),
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
