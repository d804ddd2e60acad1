//! CIS 4.1: an alarm watches unauthorized API calls.

use super::monitoring::{check as check_alarm, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// Terms the metric filter's pattern must contain (compared without spaces or quotes).
const TERMS: &[&str] = &["$.errorCode=*UnauthorizedOperation", "$.errorCode=AccessDenied*"];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudwatch-alarm-unauthorized-api-calls",
        title: "An alarm watches unauthorized API calls",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "A metric filter on the trail's CloudWatch Logs group, with an alarm that notifies someone, turns calls refused for lack of permission: the trace of someone probing what stolen credentials allow into an alert within minutes instead of a line found months later.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > (the trail's group) > Metric filters > Create: the pattern below; then create an alarm on its metric with an SNS action.",
            cli: "aws logs put-metric-filter --log-group-name TRAIL_GROUP --filter-name unauthorized_api_calls --metric-transformations metricName=unauthorized_api_calls,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }' && aws cloudwatch put-metric-alarm --alarm-name unauthorized_api_calls --metric-name unauthorized_api_calls --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
            terraform: "resource \"aws_cloudwatch_log_metric_filter\" \"unauthorized_api_calls\" {\n  name           = \"unauthorized_api_calls\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{ ($.errorCode = \\\"*UnauthorizedOperation\\\") || ($.errorCode = \\\"AccessDenied*\\\") && ($.sourceIPAddress != \\\"delivery.logs.amazonaws.com\\\") && ($.eventName != \\\"HeadBucket\\\") }\"\n  metric_transformation {\n    name      = \"unauthorized_api_calls\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"],
        controls: &[cis("4.1"), nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":[]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = Nothing) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_alarm(scan, out, TERMS);
}
