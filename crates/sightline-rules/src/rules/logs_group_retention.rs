//! CloudWatch log groups keep logs for a set period.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-logs-group-retention",
        title: "CloudWatch log groups keep logs for a set period",
        severity: Severity::Low,
        resource_type: "AWS::Logs::LogGroup",
        domain: Domain::Logging,
        rationale: "Without a retention period, logs are kept forever (and paid for forever) or deleted ad hoc; a set period (a year is common for security logs) makes retention a decision.",
        remediation: Remediation {
            console: "CloudWatch > Log groups > GROUP > Actions > Edit retention setting.",
            cli: "aws logs put-retention-policy --log-group-name GROUP --retention-in-days 365",
            terraform: "resource \"aws_cloudwatch_log_group\" \"this\" {\n  name              = \"GROUP\"\n  retention_in_days = 365\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"],
        controls: &[nist("AU-11"), pci("10.5.1")],
        needs: &[need("logs", "DescribeLogGroups", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Logs::LogGroup","region":"us-east-1","properties":{"RetentionInDays":365}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Logs::LogGroup","region":"us-east-1","properties":{"LogGroupName":"g"}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    // DescribeLogGroups leaves retentionInDays out when logs never expire.
    let days = p.get("RetentionInDays").and_then(Props::as_u64);
    Ok(Some((
        days.is_some(),
        match days {
            Some(d) => format!("logs are kept {d} days"),
            None => "logs never expire: no retention period is set".into(),
        },
        json!({ "RetentionInDays": days }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::Logs::LogGroup", judge);
}
