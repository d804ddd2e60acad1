//! CloudTrail: trails, each collected once, in its home region, with its logging status (GetTrailStatus), its
//! event selectors, basic and advanced (GetEventSelectors), and its tags (ListTags).
//!
//! An `AWS::CloudTrail::Trail` resource has the trail's DescribeTrails shape (`Name`, `S3BucketName`,
//! `IsMultiRegionTrail`, `LogFileValidationEnabled`, `KmsKeyId`, `CloudWatchLogsLogGroupArn`, `HomeRegion`,
//! `IsOrganizationTrail`...), merged with the GetTrailStatus output (`IsLogging`, `LatestDeliveryTime`,
//! `LatestDeliveryError`...) and the GetEventSelectors output (`EventSelectors`, `AdvancedEventSelectors`). When
//! one of those calls fails its keys are left out (the failure is in the coverage), so "unknown" never reads as
//! "off".
//!
//! `EventSelectors` and `AdvancedEventSelectors` are written as returned: AWS answers the default selector (all
//! management events, read and write) for a trail without custom selectors (`HasCustomEventSelectors` false),
//! while moto answers two empty lists.
//!
//! Trails are described without shadow trails: a multi-region trail is listed by every region, but collected
//! only in its home region. An organization trail therefore appears in the management account only (in a member
//! account it is a shadow trail).

use crate::json::{b, compact, list, s, t};
use crate::record::Recorder;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, Trail};
use aws_types::SdkConfig;
use serde_json::{json, Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "cloudtrail";

/// ListTags takes at most 20 trail ARNs per call.
const TAGS_BATCH: usize = 20;

/// The error code of a trail deleted between DescribeTrails and a per-trail call.
const GONE: &[&str] = &["TrailNotFoundException"];

/// The DescribeTrails shape of one trail.
fn trail_properties(trail: &Trail) -> Map<String, Value> {
    let props = compact(json!({
        "Name": s(trail.name()),
        "TrailARN": s(trail.trail_arn()),
        "HomeRegion": s(trail.home_region()),
        "S3BucketName": s(trail.s3_bucket_name()),
        "S3KeyPrefix": s(trail.s3_key_prefix()),
        "SnsTopicARN": s(trail.sns_topic_arn()),
        "IncludeGlobalServiceEvents": b(trail.include_global_service_events()),
        "IsMultiRegionTrail": b(trail.is_multi_region_trail()),
        "IsOrganizationTrail": b(trail.is_organization_trail()),
        "LogFileValidationEnabled": b(trail.log_file_validation_enabled()),
        "CloudWatchLogsLogGroupArn": s(trail.cloud_watch_logs_log_group_arn()),
        "CloudWatchLogsRoleArn": s(trail.cloud_watch_logs_role_arn()),
        "KmsKeyId": s(trail.kms_key_id()),
        "HasCustomEventSelectors": b(trail.has_custom_event_selectors()),
        "HasInsightSelectors": b(trail.has_insight_selectors()),
    }));
    match props {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Basic event selectors: management events, read/write type, data events (for example on S3 objects).
fn event_selectors(list_of: &[EventSelector]) -> Value {
    Value::Array(
        list_of
            .iter()
            .map(|e| {
                compact(json!({
                    "ReadWriteType": e.read_write_type().map(|x| x.as_str()),
                    "IncludeManagementEvents": b(e.include_management_events()),
                    "DataResources": e.data_resources().iter()
                        .map(|d| compact(json!({"Type": s(d.r#type()), "Values": list(d.values())})))
                        .collect::<Vec<_>>(),
                    "ExcludeManagementEventSources": list(e.exclude_management_event_sources()),
                }))
            })
            .collect(),
    )
}

/// Advanced event selectors: named lists of field conditions (`eventCategory`, `resources.type`, `readOnly`...).
fn advanced_event_selectors(list_of: &[AdvancedEventSelector]) -> Value {
    Value::Array(
        list_of
            .iter()
            .map(|a| {
                let fields: Vec<Value> = a
                    .field_selectors()
                    .iter()
                    .map(|f| {
                        let mut field = Map::new();
                        field.insert("Field".into(), json!(f.field()));
                        let conditions = [
                            ("Equals", f.equals()),
                            ("StartsWith", f.starts_with()),
                            ("EndsWith", f.ends_with()),
                            ("NotEquals", f.not_equals()),
                            ("NotStartsWith", f.not_starts_with()),
                            ("NotEndsWith", f.not_ends_with()),
                        ];
                        for (key, values) in conditions {
                            if !values.is_empty() {
                                field.insert(key.into(), list(values));
                            }
                        }
                        Value::Object(field)
                    })
                    .collect();
                compact(json!({"Name": s(a.name()), "FieldSelectors": fields}))
            })
            .collect(),
    )
}

/// Collects the trails whose home region is `region`.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_cloudtrail::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    let call = client.describe_trails().include_shadow_trails(false).send();
    let Some(described) = rec.fetch(SERVICE, r, "DescribeTrails", &[], call).await.value() else {
        return snapshot;
    };

    let mut trails: Vec<(String, String, Map<String, Value>)> = Vec::new();
    for trail in described.trail_list() {
        // Without shadow trails every trail listed here should live here; keep it that way if a service doesn't.
        if trail.home_region().is_some_and(|home| home != region) {
            continue;
        }
        let Some(name) = trail.name() else { continue };
        let arn = trail
            .trail_arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}"));
        let mut props = trail_properties(trail);

        let call = client.get_trail_status().name(&arn).send();
        if let Some(st) = rec.fetch(SERVICE, r, "GetTrailStatus", GONE, call).await.value() {
            let status = compact(json!({
                "IsLogging": b(st.is_logging()),
                "LatestDeliveryTime": t(st.latest_delivery_time()),
                "LatestDeliveryError": s(st.latest_delivery_error()),
                "LatestNotificationTime": t(st.latest_notification_time()),
                "LatestNotificationError": s(st.latest_notification_error()),
                "StartLoggingTime": t(st.start_logging_time()),
                "StopLoggingTime": t(st.stop_logging_time()),
                "LatestCloudWatchLogsDeliveryTime": t(st.latest_cloud_watch_logs_delivery_time()),
                "LatestCloudWatchLogsDeliveryError": s(st.latest_cloud_watch_logs_delivery_error()),
                "LatestDigestDeliveryTime": t(st.latest_digest_delivery_time()),
                "LatestDigestDeliveryError": s(st.latest_digest_delivery_error()),
            }));
            if let Value::Object(status) = status {
                props.extend(status);
            }
        }

        let call = client.get_event_selectors().trail_name(&arn).send();
        if let Some(sel) = rec.fetch(SERVICE, r, "GetEventSelectors", GONE, call).await.value() {
            props.insert("EventSelectors".into(), event_selectors(sel.event_selectors()));
            props.insert("AdvancedEventSelectors".into(), advanced_event_selectors(sel.advanced_event_selectors()));
        }
        trails.push((arn, name.to_string(), props));
    }

    let mut tags: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let arns: Vec<String> = trails.iter().map(|(arn, _, _)| arn.clone()).collect();
    for batch in arns.chunks(TAGS_BATCH) {
        let mut pages = client.list_tags().set_resource_id_list(Some(batch.to_vec())).into_paginator().send();
        while let Some(page) = pages.next().await {
            let Some(page) = rec.fetch(SERVICE, r, "ListTags", GONE, async { page }).await.value() else { break };
            for resource in page.resource_tag_list() {
                let Some(id) = resource.resource_id() else { continue };
                let entry = tags.entry(id.to_string()).or_default();
                for tag in resource.tags_list() {
                    entry.insert(tag.key().to_string(), tag.value().unwrap_or_default().to_string());
                }
            }
        }
    }

    for (arn, name, props) in trails {
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            tags: tags.remove(&arn).unwrap_or_default(),
            id: arn,
            resource_type: "AWS::CloudTrail::Trail".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name,
            policy: None,
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}
