//! A logging multi-region trail delivers to CloudWatch Logs.

use super::trail_selectors::{account_has_trail, logging, NEEDS};
#[allow(unused_imports)]
use super::trail_selectors::{management_events, s3_object_events};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::Value;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-cloudwatch-logs",
        title: "A logging multi-region trail delivers to CloudWatch Logs",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "Metric filters and alarms on API activity (root use, policy changes, console failures) need the trail's events in CloudWatch Logs; S3 delivery alone is for investigation after the fact.",
        remediation: Remediation {
            console: "CloudTrail > Trails > TRAIL > CloudWatch Logs > Edit: enable, with a log group and a role CloudTrail can assume.",
            cli: "aws cloudtrail update-trail --name TRAIL --cloud-watch-logs-log-group-arn LOG_GROUP_ARN --cloud-watch-logs-role-arn ROLE_ARN",
            terraform: "resource \"aws_cloudtrail\" \"main\" {\n  # ...\n  cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"\n  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"],
        controls: &[nist("AU-6"), nist("SI-4"), pci("10.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true}}]}"#],
    },
};

fn good(t: &Resource) -> bool {
    t.properties.get("IsMultiRegionTrail").and_then(Props::as_bool) == Some(true)
        && logging(t)
        && t.properties.get("CloudWatchLogsLogGroupArn").and_then(Props::as_str).is_some_and(|a| !a.is_empty())
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    account_has_trail(scan, out, "multi-region, logging, delivering to CloudWatch Logs", good);
}
