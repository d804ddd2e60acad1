//! CIS 4.9: an alarm watches AWS Config changes.

use super::monitoring::{check as check_alarm, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// Terms the metric filter's pattern must contain (compared without spaces or quotes).
const TERMS: &[&str] = &[
    "$.eventSource=config.amazonaws.com",
    "StopConfigurationRecorder",
    "DeleteDeliveryChannel",
    "PutDeliveryChannel",
    "PutConfigurationRecorder",
];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudwatch-alarm-config-changes",
        title: "An alarm watches AWS Config changes",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "A metric filter on the trail's CloudWatch Logs group, with an alarm that notifies someone, turns the configuration recorder or delivery channel being stopped or changed into an alert within minutes instead of a line found months later.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > (the trail's group) > Metric filters > Create: the pattern below; then create an alarm on its metric with an SNS action.",
            cli: "aws logs put-metric-filter --log-group-name TRAIL_GROUP --filter-name config_changes --metric-transformations metricName=config_changes,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }' && aws cloudwatch put-metric-alarm --alarm-name config_changes --metric-name config_changes --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
            terraform: "resource \"aws_cloudwatch_log_metric_filter\" \"config_changes\" {\n  name           = \"config_changes\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }\"\n  metric_transformation {\n    name      = \"config_changes\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"],
        controls: &[cis("4.9"), nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":[]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = Nothing) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_alarm(scan, out, TERMS);
}
