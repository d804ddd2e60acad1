//! CloudTrail logs are encrypted with a KMS key.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-kms-encryption",
        title: "CloudTrail trails encrypt their logs with a customer-managed KMS key",
        severity: Severity::Medium,
        resource_type: "AWS::CloudTrail::Trail",
        domain: Domain::Encryption,
        rationale: "With SSE-KMS, reading the logs also needs kms:Decrypt on the trail's key: a second, separately \
                    granted permission that keeps the activity record from whoever can merely read the bucket.",
        remediation: Remediation {
            console: "CloudTrail > Trails > TRAIL > General details > Edit: Log file SSE-KMS encryption enabled, with a customer-managed key whose policy lets CloudTrail encrypt.",
            cli: "aws cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN",
            terraform: "resource \"aws_cloudtrail\" \"this\" {\n  # ...\n  kms_key_id = aws_kms_key.cloudtrail.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html"],
        controls: &[cis("3.5"), nist("AU-9"), nist("SC-28"), pci("10.3.2")],
        needs: &[need("cloudtrail", "DescribeTrails", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","KmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/k"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t"}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::CloudTrail::Trail", RULE.meta.needs, |trail, out| {
        // DescribeTrails leaves KmsKeyId out when the trail is not encrypted with KMS.
        let key = trail.properties.get("KmsKeyId").and_then(Props::as_str);
        out.verdict(
            trail,
            key.is_some(),
            match key {
                Some(k) => format!("encrypted with {k}"),
                None => "no KMS key: logs are encrypted with S3-managed keys only".to_string(),
            },
            json!({ "KmsKeyId": key }),
        );
    });
}
