//! CloudTrail trails validate their log files.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-log-validation",
        title: "CloudTrail trails validate their log files",
        severity: Severity::Medium,
        resource_type: "AWS::CloudTrail::Trail",
        domain: Domain::Logging,
        rationale: "Log file validation writes signed digest files, so that a deleted or altered log file can be detected: without it, an intruder can rewrite history unnoticed.",
        remediation: Remediation {
            console: "CloudTrail > Trails > TRAIL > General details > Edit: enable log file validation.",
            cli: "aws cloudtrail update-trail --name TRAIL --enable-log-file-validation",
            terraform: "resource \"aws_cloudtrail\" \"this\" {\n  # ...\n  enable_log_file_validation = true\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"],
        controls: &[cis("3.2"), nist("AU-9"), pci("10.3.4")],
        needs: &[need("cloudtrail", "DescribeTrails", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"LogFileValidationEnabled":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"LogFileValidationEnabled":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::CloudTrail::Trail", "/LogFileValidationEnabled", true, |_| true);
}
