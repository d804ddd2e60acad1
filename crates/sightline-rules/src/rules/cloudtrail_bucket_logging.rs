//! The S3 bucket of each CloudTrail trail logs access to it.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-bucket-access-logging",
        title: "The S3 bucket of every CloudTrail trail has server access logging",
        severity: Severity::Low,
        resource_type: "AWS::CloudTrail::Trail",
        domain: Domain::Logging,
        rationale: "The trail's bucket holds the record of everything done in the account: access logging on it shows \
                    who read, deleted or tried to alter that record.",
        remediation: Remediation {
            console: "S3 > Buckets > (the trail's bucket) > Properties > Server access logging > Edit: enable, to another bucket.",
            cli: "aws s3api put-bucket-logging --bucket TRAIL_BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"LOG_BUCKET\",\"TargetPrefix\":\"cloudtrail/\"}}'",
            terraform: "resource \"aws_s3_bucket_logging\" \"trail\" {\n  bucket        = aws_s3_bucket.trail.id\n  target_bucket = aws_s3_bucket.logs.id\n  target_prefix = \"cloudtrail/\"\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html"],
        controls: &[cis("3.4"), nist("AU-9"), pci("10.3.3")],
        needs: &[need("cloudtrail", "DescribeTrails", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"S3BucketName":"logs"}},{"id":"arn:aws:s3:::logs","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"logs","properties":{"LoggingConfiguration":{"DestinationBucketName":"access-logs"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"S3BucketName":"logs"}},{"id":"arn:aws:s3:::logs","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"logs","properties":{"LoggingConfiguration":null}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::CloudTrail::Trail", RULE.meta.needs, |trail, out| {
        // A shadow copy of a multi-region trail in another region is the same trail: judge it in its home region.
        if trail
            .properties
            .get("HomeRegion")
            .and_then(Props::as_str)
            .is_some_and(|h| Some(h) != trail.region.as_deref())
        {
            return;
        }
        let Some(name) = trail.properties.get("S3BucketName").and_then(Props::as_str) else {
            out.not_evaluated(trail, "the trail record has no S3BucketName");
            return;
        };
        let arn = format!("arn:aws:s3:::{name}");
        let Some(bucket) = scan.resources("AWS::S3::Bucket").find(|b| b.id == arn) else {
            out.not_evaluated(
                trail,
                format!("bucket {name} is not in the snapshot (another account, or not collected)"),
            );
            return;
        };
        match bucket.properties.get("LoggingConfiguration") {
            None => out.not_evaluated(trail, format!("bucket {name}: its logging configuration was not collected")),
            Some(Props::Null) => {
                out.fail(trail, format!("bucket {name} has no server access logging"), json!({ "bucket": name }))
            }
            Some(_) => out.pass(trail, format!("bucket {name} logs access")),
        }
    });
}
