//! CloudWatch: metric alarms, what the CIS monitoring checks need to tell whether a metric (fed by a CloudTrail
//! metric filter) has an alarm with an action.
//!
//! `AWS::CloudWatch::Alarm` has the DescribeAlarms `MetricAlarms` shape: `MetricName`, `Namespace`,
//! `AlarmActions`, `ActionsEnabled`, `StateValue`, threshold and evaluation settings, and `Metrics` for alarms
//! on metric math or queries (whose metric is then named in `Metrics[].MetricStat.Metric`). Composite alarms are
//! not collected: they watch other alarms, not metrics.

use crate::json::{b, compact, i, list, s, t};
use crate::record::Recorder;
use aws_sdk_cloudwatch::types::{Dimension, MetricAlarm, MetricDataQuery};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "cloudwatch";

fn dimensions(list_of: &[Dimension]) -> Value {
    Value::Array(list_of.iter().map(|d| compact(json!({"Name": s(d.name()), "Value": s(d.value())}))).collect())
}

/// The metric queries of an alarm on metric math (or on a metric named through `MetricStat`).
fn metrics(list_of: &[MetricDataQuery]) -> Value {
    Value::Array(
        list_of
            .iter()
            .map(|q| {
                let stat = q.metric_stat().map(|st| {
                    compact(json!({
                        "Metric": st.metric().map(|m| compact(json!({
                            "Namespace": s(m.namespace()),
                            "MetricName": s(m.metric_name()),
                            "Dimensions": dimensions(m.dimensions()),
                        }))),
                        "Period": i(st.period()),
                        "Stat": s(st.stat()),
                        "Unit": st.unit().map(|x| x.as_str()),
                    }))
                });
                compact(json!({
                    "Id": s(q.id()),
                    "MetricStat": stat,
                    "Expression": s(q.expression()),
                    "Label": s(q.label()),
                    "ReturnData": b(q.return_data()),
                    "Period": i(q.period()),
                    "AccountId": s(q.account_id()),
                }))
            })
            .collect(),
    )
}

fn alarm(a: &MetricAlarm) -> Value {
    compact(json!({
        "AlarmName": s(a.alarm_name()),
        "AlarmArn": s(a.alarm_arn()),
        "AlarmDescription": s(a.alarm_description()),
        "AlarmConfigurationUpdatedTimestamp": t(a.alarm_configuration_updated_timestamp()),
        "ActionsEnabled": b(a.actions_enabled()),
        "OKActions": list(a.ok_actions()),
        "AlarmActions": list(a.alarm_actions()),
        "InsufficientDataActions": list(a.insufficient_data_actions()),
        "StateValue": a.state_value().map(|x| x.as_str()),
        "StateReason": s(a.state_reason()),
        "StateUpdatedTimestamp": t(a.state_updated_timestamp()),
        "StateTransitionedTimestamp": t(a.state_transitioned_timestamp()),
        "MetricName": s(a.metric_name()),
        "Namespace": s(a.namespace()),
        "Statistic": a.statistic().map(|x| x.as_str()),
        "ExtendedStatistic": s(a.extended_statistic()),
        "Dimensions": dimensions(a.dimensions()),
        "Period": i(a.period()),
        "Unit": a.unit().map(|x| x.as_str()),
        "EvaluationPeriods": i(a.evaluation_periods()),
        "DatapointsToAlarm": i(a.datapoints_to_alarm()),
        "Threshold": a.threshold(),
        "ComparisonOperator": a.comparison_operator().map(|x| x.as_str()),
        "TreatMissingData": s(a.treat_missing_data()),
        "EvaluateLowSampleCountPercentile": s(a.evaluate_low_sample_count_percentile()),
        "Metrics": metrics(a.metrics()),
        "ThresholdMetricId": s(a.threshold_metric_id()),
        "EvaluationState": a.evaluation_state().map(|x| x.as_str()),
    }))
}

/// Collects the metric alarms of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_cloudwatch::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    // Without AlarmTypes, DescribeAlarms lists metric alarms only.
    let mut pages = client.describe_alarms().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeAlarms", &[], async { page }).await.value() else { break };
        for a in page.metric_alarms() {
            let Some(name) = a.alarm_name() else { continue };
            let arn = a
                .alarm_arn()
                .map(str::to_string)
                .unwrap_or_else(|| format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}"));
            snapshot.resources.push(Resource {
                provider: Provider::Aws,
                id: arn,
                resource_type: "AWS::CloudWatch::Alarm".into(),
                account_id: account.clone(),
                region: Some(region.clone()),
                name: name.to_string(),
                policy: None,
                tags: BTreeMap::new(),
                properties: alarm(a).into(),
            });
        }
    }
    snapshot
}
