//! CIS 4.6: an alarm watches console authentication failures.

use super::monitoring::{check as check_alarm, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// Terms the metric filter's pattern must contain (compared without spaces or quotes).
const TERMS: &[&str] = &["$.eventName=ConsoleLogin", "$.errorMessage=Failedauthentication"];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudwatch-alarm-console-auth-failures",
        title: "An alarm watches console authentication failures",
        severity: Severity::Low,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "A metric filter on the trail's CloudWatch Logs group, with an alarm that notifies someone, turns failed console sign-ins, the trace of password guessing into an alert within minutes instead of a line found months later.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > (the trail's group) > Metric filters > Create: the pattern below; then create an alarm on its metric with an SNS action.",
            cli: "aws logs put-metric-filter --log-group-name TRAIL_GROUP --filter-name console_auth_failures --metric-transformations metricName=console_auth_failures,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }' && aws cloudwatch put-metric-alarm --alarm-name console_auth_failures --metric-name console_auth_failures --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
            terraform: "resource \"aws_cloudwatch_log_metric_filter\" \"console_auth_failures\" {\n  name           = \"console_auth_failures\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{ ($.eventName = ConsoleLogin) && ($.errorMessage = \\\"Failed authentication\\\") }\"\n  metric_transformation {\n    name      = \"console_auth_failures\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"],
        controls: &[cis("4.6"), nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":[]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = Nothing) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_alarm(scan, out, TERMS);
}
