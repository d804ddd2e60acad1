//! CloudWatch Logs: log groups (retention, KMS key) and metric filters (pattern, metric name and namespace), what
//! the CIS checks need to tell whether CloudTrail events reach a metric, and whether logs are kept and encrypted.
//!
//! `AWS::Logs::LogGroup` has the DescribeLogGroups shape (`LogGroupName`, `RetentionInDays`, `KmsKeyId`...;
//! `RetentionInDays` is absent when logs never expire). `AWS::Logs::MetricFilter` has the DescribeMetricFilters
//! shape (`FilterName`, `FilterPattern`, `LogGroupName`, `MetricTransformations` with `MetricName` and
//! `MetricNamespace`). A metric filter has no ARN: its id is the log group's ARN followed by
//! `:metric-filter:NAME` (filter names cannot contain `:`).

use crate::json::{b, compact, i, s};
use crate::record::Recorder;
use aws_sdk_cloudwatchlogs::types::{LogGroup, MetricFilter};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "logs";

/// The ARN of a log group without the `:*` suffix DescribeLogGroups puts on `arn`.
fn group_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:{name}")
}

fn log_group(g: &LogGroup) -> Value {
    compact(json!({
        "LogGroupName": s(g.log_group_name()),
        "LogGroupArn": s(g.log_group_arn()),
        "Arn": s(g.arn()),
        "CreationTime": i(g.creation_time()),
        "RetentionInDays": i(g.retention_in_days()),
        "MetricFilterCount": i(g.metric_filter_count()),
        "StoredBytes": i(g.stored_bytes()),
        "KmsKeyId": s(g.kms_key_id()),
        "DataProtectionStatus": g.data_protection_status().map(|x| x.as_str()),
        "InheritedProperties": g.inherited_properties().iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "LogGroupClass": g.log_group_class().map(|x| x.as_str()),
        "DeletionProtectionEnabled": b(g.deletion_protection_enabled()),
    }))
}

fn metric_filter(f: &MetricFilter) -> Value {
    let transformations: Vec<Value> = f
        .metric_transformations()
        .iter()
        .map(|m| {
            let dimensions: Option<BTreeMap<&String, &String>> = m.dimensions().map(|d| d.iter().collect());
            compact(json!({
                "MetricName": m.metric_name(),
                "MetricNamespace": m.metric_namespace(),
                "MetricValue": m.metric_value(),
                "DefaultValue": m.default_value(),
                "Dimensions": dimensions,
                "Unit": m.unit().map(|x| x.as_str()),
            }))
        })
        .collect();
    compact(json!({
        "FilterName": s(f.filter_name()),
        "FilterPattern": s(f.filter_pattern()),
        "LogGroupName": s(f.log_group_name()),
        "MetricTransformations": transformations,
        "CreationTime": i(f.creation_time()),
        "ApplyOnTransformedLogs": f.apply_on_transformed_logs(),
    }))
}

/// Collects the log groups and metric filters of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_cloudwatchlogs::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut push = |resource_type: &str, id: String, name: &str, properties: Value| {
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id,
            resource_type: resource_type.to_string(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name: name.to_string(),
            policy: None,
            tags: BTreeMap::new(),
            properties: properties.into(),
        });
    };

    let mut pages = client.describe_log_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeLogGroups", &[], async { page }).await.value() else { break };
        for g in page.log_groups() {
            let Some(name) = g.log_group_name() else { continue };
            let arn = g.log_group_arn().map(str::to_string).unwrap_or_else(|| group_arn(&region, rec.account(), name));
            push("AWS::Logs::LogGroup", arn, name, log_group(g));
        }
    }

    let mut pages = client.describe_metric_filters().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeMetricFilters", &[], async { page }).await.value() else {
            break;
        };
        for f in page.metric_filters() {
            let (Some(name), Some(group)) = (f.filter_name(), f.log_group_name()) else { continue };
            let id = format!("{}:metric-filter:{name}", group_arn(&region, rec.account(), group));
            push("AWS::Logs::MetricFilter", id, name, metric_filter(f));
        }
    }
    snapshot
}
