//! S3 buckets holding sensitive data are not open to everyone.

use super::data_scan::{each_scanned_bucket, evidence, unread};
use super::resource_access::publicly_readable;
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-sensitive-data-public",
        title: "S3 buckets holding sensitive data are not open to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Data,
        rationale: "A public bucket is a misconfiguration; a public bucket holding personal, financial, health or credential data is a breach waiting to be found. The data scanner's labels and the IAM engine's verdict on the bucket policy together tell which public buckets matter most.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Permissions: turn on Block Public Access and remove the statements that give \"*\" access; then review who read the data (CloudTrail data events).",
            cli: "aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            terraform: "resource \"aws_s3_bucket_public_access_block\" \"this\" {\n  bucket                  = aws_s3_bucket.this.id\n  block_public_acls       = true\n  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html", "https://docs.aws.amazon.com/macie/latest/user/findings-types.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("s3", "GetBucketPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]},"properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/customers.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"us_ssn","category":"personal","confidence":"very_likely","count":5}]}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]},"properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/customers.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"us_ssn","category":"personal","confidence":"very_likely","count":5}]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_scanned_bucket(scan, out, |scan, r, s, out| {
        if s.labels.is_empty() {
            match unread(s) {
                Some(why) => out.not_evaluated(r, why),
                None => out.pass(r, "no sensitive data found in the bucket"),
            }
            return;
        }
        match publicly_readable(scan, r) {
            Err(why) => out.not_evaluated(r, why),
            Ok(None) => {
                out.pass(r, format!("holds {} but its policy lets no one outside read it", s.labels.join(", ")))
            }
            Ok(Some(actions)) => {
                let mut evidence = evidence(s);
                evidence["public_actions"] = serde_json::json!(actions);
                out.fail(
                    r,
                    format!("holds {} and its policy lets everyone {}", s.labels.join(", "), actions.join(", ")),
                    evidence,
                );
            }
        }
    });
}
