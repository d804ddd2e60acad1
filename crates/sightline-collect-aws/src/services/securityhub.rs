//! Security Hub: whether it is enabled in a region (DescribeHub) and which standards are enabled
//! (GetEnabledStandards).
//!
//! `AWS::SecurityHub::Hub` has the DescribeHub shape (`HubArn`, `SubscribedAt`, `AutoEnableControls`,
//! `ControlFindingGenerator`) plus `StandardsSubscriptions`, the GetEnabledStandards list (left out when that
//! call fails, so "unknown" never reads as "none enabled"). When Security Hub is not enabled, DescribeHub answers
//! an error (`InvalidAccessException`, or `ResourceNotFoundException`): the call is recorded as collected and no
//! resource is pushed.

use crate::json::{b, compact, s};
use crate::record::Recorder;
use aws_sdk_securityhub::types::StandardsSubscription;
use aws_types::SdkConfig;
use serde_json::{json, Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "securityhub";

/// The errors that mean "Security Hub is not enabled in this account and region".
const NOT_ENABLED: &[&str] = &["InvalidAccessException", "ResourceNotFoundException"];

fn subscription(x: &StandardsSubscription) -> Value {
    let input: Option<BTreeMap<&String, &String>> = x.standards_input().map(|m| m.iter().collect());
    compact(json!({
        "StandardsSubscriptionArn": s(x.standards_subscription_arn()),
        "StandardsArn": s(x.standards_arn()),
        "StandardsInput": input,
        "StandardsStatus": x.standards_status().map(|v| v.as_str()),
        "StandardsStatusReason": x.standards_status_reason()
            .map(|r| compact(json!({"StatusReasonCode": r.status_reason_code().map(|v| v.as_str())}))),
        "StandardsControlsUpdatable": x.standards_controls_updatable().map(|v| v.as_str()),
    }))
}

/// Collects Security Hub's enablement and standards in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_securityhub::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    let call = client.describe_hub().send();
    let Some(hub) = rec.fetch(SERVICE, r, "DescribeHub", NOT_ENABLED, call).await.value() else {
        return snapshot;
    };
    let arn = hub
        .hub_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:securityhub:{region}:{account}:hub/default"));
    let mut props = Map::new();
    props.insert("HubArn".into(), json!(arn));
    if let Value::Object(rest) = compact(json!({
        "SubscribedAt": s(hub.subscribed_at()),
        "AutoEnableControls": b(hub.auto_enable_controls()),
        "ControlFindingGenerator": hub.control_finding_generator().map(|x| x.as_str()),
    })) {
        props.extend(rest);
    }

    let mut standards = Vec::new();
    let mut complete = true;
    let mut pages = client.get_enabled_standards().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "GetEnabledStandards", NOT_ENABLED, async { page }).await.value() else {
            complete = false;
            break;
        };
        standards.extend(page.standards_subscriptions().iter().map(subscription));
    }
    if complete {
        props.insert("StandardsSubscriptions".into(), Value::Array(standards));
    }

    let name = arn.rsplit('/').next().unwrap_or("default").to_string();
    snapshot.resources.push(Resource {
        provider: Provider::Aws,
        id: arn,
        resource_type: "AWS::SecurityHub::Hub".into(),
        account_id: account,
        region: Some(region.clone()),
        name,
        policy: None,
        tags: BTreeMap::new(),
        properties: Value::Object(props).into(),
    });
    snapshot
}
