//! S3 buckets keep object versions.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-versioning",
        title: "S3 buckets keep object versions",
        severity: Severity::Medium,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Backup,
        rationale: "Versioning keeps overwritten and deleted objects recoverable: the first defence against ransomware and mistakes that delete or overwrite data.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Properties > Bucket Versioning > Edit: Enable.",
            cli: "aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled",
            terraform: "resource \"aws_s3_bucket_versioning\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"],
        controls: &[nist("CP-9"), pci("10.5.1")],
        needs: &[need("s3", "GetBucketVersioning", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"Versioning":{"Status":"Enabled"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"Versioning":{"Status":"Suspended"}}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    match p.get("Versioning") {
        None => Err("the bucket record has no Versioning (GetBucketVersioning was not collected)".into()),
        Some(v) => {
            let status = v.get("Status").and_then(Props::as_str).unwrap_or("Disabled");
            Ok(Some((status == "Enabled", format!("versioning is {status}"), json!({ "Status": status }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::S3::Bucket", judge);
}
