//! S3 buckets log access requests.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-access-logging",
        title: "S3 buckets log access requests",
        severity: Severity::Low,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Logging,
        rationale: "Server access logs record each request to the bucket (who, what, when, from where): the evidence needed to tell what an exposed bucket leaked.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Properties > Server access logging > Edit: enable, with a target bucket.",
            cli: "aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'",
            terraform: "resource \"aws_s3_bucket_logging\" \"this\" {\n  bucket        = aws_s3_bucket.this.id\n  target_bucket = aws_s3_bucket.logs.id\n  target_prefix = \"BUCKET/\"\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html"],
        controls: &[nist("AU-2"), nist("AU-12"), pci("10.2.1")],
        needs: &[need("s3", "GetBucketLogging", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"LoggingConfiguration":{"DestinationBucketName":"logs"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"LoggingConfiguration":null}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    match p.get("LoggingConfiguration") {
        None => Err("the bucket record has no LoggingConfiguration".into()),
        Some(Props::Null) => {
            Ok(Some((false, "server access logging is off".into(), json!({ "LoggingConfiguration": null }))))
        }
        Some(v) => {
            let target =
                v.get("DestinationBucketName").or_else(|| v.get("TargetBucket")).and_then(Props::as_str).unwrap_or("?");
            Ok(Some((true, format!("logs to {target}"), json!({ "target": target }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::S3::Bucket", judge);
}
