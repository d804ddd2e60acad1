//! S3 buckets have a default encryption configuration.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-default-encryption",
        title: "S3 buckets have a default encryption configuration",
        severity: Severity::Low,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Encryption,
        rationale: "A default encryption configuration says which key protects new objects; SSE-KMS adds a key permission to every read and a CloudTrail record of key use.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Properties > Default encryption > Edit: SSE-KMS with a bucket key (or SSE-S3 at least).",
            cli: "aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"},\"BucketKeyEnabled\":true}]}'",
            terraform: "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"aws:kms\"\n    }\n    bucket_key_enabled = true\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("s3", "GetBucketEncryption", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"BucketEncryption":{"ServerSideEncryptionConfiguration":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"BucketEncryption":null}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    match p.get("BucketEncryption") {
        None => Err("the bucket record has no BucketEncryption".into()),
        Some(Props::Null) => {
            Ok(Some((false, "no default encryption configuration".into(), json!({ "BucketEncryption": null }))))
        }
        Some(v) => {
            let algorithm = v
                .pointer("/ServerSideEncryptionConfiguration/0/ApplyServerSideEncryptionByDefault/SSEAlgorithm")
                .and_then(Props::as_str)
                .unwrap_or("?");
            Ok(Some((true, format!("default encryption {algorithm}"), json!({ "SSEAlgorithm": algorithm }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::S3::Bucket", judge);
}
