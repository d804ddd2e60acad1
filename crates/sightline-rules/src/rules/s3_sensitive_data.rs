//! S3 buckets hold no sensitive data that the data scanner found.

use super::data_scan::{each_scanned_bucket, evidence, unread};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-sensitive-data",
        title: "S3 buckets hold no sensitive data found by the data scanner",
        severity: Severity::High,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Data,
        rationale: "Personal, financial, health and credential data in storage is what a breach exposes. Knowing which buckets hold it (at confidence likely or above, after validation) is the start of protecting it: tighter access, encryption with a customer key, retention, or removal.",
        remediation: Remediation {
            console: "Review the objects listed by `sightline dlp scan s3://BUCKET`; move the data to a bucket with restricted access and a customer-managed KMS key, or delete what is not needed.",
            cli: "sightline dlp scan s3://BUCKET --db sightline.db && sightline access --resource arn:aws:s3:::BUCKET",
            terraform: "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = \"aws:kms\"\n      kms_master_key_id = aws_kms_key.data.arn\n    }\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/macie/latest/user/findings-types.html", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html"],
        controls: &[nist("RA-2"), nist("SC-28"), pci("3.2.1")],
        needs: &[need("s3", "ListBuckets", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/notes.txt","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"phone_number","category":"personal","confidence":"possible","count":2}]}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/customers.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"credit_card","category":"financial","confidence":"very_likely","count":40,"samples":["4111 **** **** 1111"]}]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_scanned_bucket(scan, out, |_, r, s, out| {
        if !s.labels.is_empty() {
            out.fail(
                r,
                format!(
                    "{} of {} scanned objects hold sensitive data: {} (sensitivity {}/100)",
                    s.sensitive_objects,
                    s.objects,
                    s.labels.join(", "),
                    s.score
                ),
                evidence(s),
            );
        } else if let Some(why) = unread(s) {
            out.not_evaluated(r, why);
        } else {
            out.pass(r, format!("nothing sensitive found in {} scanned objects", s.objects));
        }
    });
}
