//! CIS 4.14: an alarm watches VPC changes.

use super::monitoring::{check as check_alarm, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// Terms the metric filter's pattern must contain (compared without spaces or quotes).
const TERMS: &[&str] = &[
    "CreateVpc",
    "DeleteVpc",
    "ModifyVpcAttribute",
    "AcceptVpcPeeringConnection",
    "CreateVpcPeeringConnection",
    "DeleteVpcPeeringConnection",
    "RejectVpcPeeringConnection",
];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudwatch-alarm-vpc-changes",
        title: "An alarm watches VPC changes",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "A metric filter on the trail's CloudWatch Logs group, with an alarm that notifies someone, turns VPCs and peerings being created, changed or removed into an alert within minutes instead of a line found months later.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > (the trail's group) > Metric filters > Create: the pattern below; then create an alarm on its metric with an SNS action.",
            cli: "aws logs put-metric-filter --log-group-name TRAIL_GROUP --filter-name vpc_changes --metric-transformations metricName=vpc_changes,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }' && aws cloudwatch put-metric-alarm --alarm-name vpc_changes --metric-name vpc_changes --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions SNS_TOPIC_ARN",
            terraform: "resource \"aws_cloudwatch_log_metric_filter\" \"vpc_changes\" {\n  name           = \"vpc_changes\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }\"\n  metric_transformation {\n    name      = \"vpc_changes\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"],
        controls: &[cis("4.14"), nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":[]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"IsMultiRegionTrail":true,"IsLogging":true,"HasCustomEventSelectors":false,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}},{"id":"arn:aws:logs:us-east-1:123456789012:log-group:trail:metric-filter:f","resource_type":"AWS::Logs::MetricFilter","region":"us-east-1","properties":{"FilterPattern":"{ ($.eventName = Nothing) }","LogGroupName":"trail","MetricTransformations":[{"MetricName":"M","MetricNamespace":"CIS"}]}},{"id":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a","resource_type":"AWS::CloudWatch::Alarm","region":"us-east-1","properties":{"MetricName":"M","Namespace":"CIS","AlarmActions":["arn:aws:sns:us-east-1:123456789012:alerts"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_alarm(scan, out, TERMS);
}
