//! CIS 4.7: an alarm watches disabling or scheduled deletion of KMS keys.

use super::monitoring::{check as check_alarm, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// Terms the metric filter's pattern must contain (compared without spaces or quotes).
const TERMS: &[&str] = &["$.eventSource=kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudwatch-alarm-kms-key-disable-or-deletion",
        title: "An alarm watches disabling or scheduled deletion of KMS keys",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "A metric filter on the trail's CloudWatch Logs group, with an alarm that notifies someone, turns keys being disabled or scheduled for deletion, which makes the data they protect unreadable into an alert within minutes instead of a line found months later.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > (the trail's group) > Metric filters > Create: the pattern below; then create an alarm on its metric with an SNS action.",
            cli: "aws logs put-metric-filter --log-group-name TRAIL_GROUP --filter-name kms_key_disable_or_deletion --metric-transformations metricName=kms_key_disable_or_deletion,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }' && aws cloudwatch put-metric-alarm --alarm-name kms_key_disable_or_deletion --metric-name kms_key_disable_or_deletion --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
            terraform: "resource \"aws_cloudwatch_log_metric_filter\" \"kms_key_disable_or_deletion\" {\n  name           = \"kms_key_disable_or_deletion\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }\"\n  metric_transformation {\n    name      = \"kms_key_disable_or_deletion\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"],
        controls: &[cis("4.7"), nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":[]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = Nothing) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_alarm(scan, out, TERMS);
}
