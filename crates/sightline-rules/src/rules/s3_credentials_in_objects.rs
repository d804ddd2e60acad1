//! No credentials sit in S3 objects.

use super::data_scan::{each_scanned_bucket, evidence, unread};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-credentials-in-objects",
        title: "No credentials sit in S3 objects",
        severity: Severity::Critical,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Identity,
        rationale: "Access keys, tokens, private keys and passwords stored in objects outlive their purpose and reach everyone who can read the bucket, its replicas and its backups. Secrets belong in a secrets store, where access is logged and rotation is possible.",
        remediation: Remediation {
            console: "Rotate every credential the scan found (IAM > Users > Security credentials for access keys; the issuing service for others), then delete the objects or their old versions, and keep secrets in AWS Secrets Manager.",
            cli: "aws iam update-access-key --user-name USER --access-key-id AKIA... --status Inactive && aws s3api delete-object --bucket BUCKET --key KEY",
            terraform: "resource \"aws_secretsmanager_secret\" \"this\" {\n  name = \"app/credentials\"\n}",
        },
        references: &["https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"],
        controls: &[nist("IA-5(7)"), pci("8.3.2")],
        needs: &[need("s3", "ListBuckets", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/customers.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"email","category":"personal","confidence":"likely","count":2}]}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","name":"b","properties":{}}],
                   "data_objects":[{"provider":"aws","resource":"arn:aws:s3:::b","object":"s3://b/deploy.env","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                                    "detections":[{"detector":"aws_secret_access_key","category":"credentials","confidence":"very_likely","count":1,"samples":["wJal****EKEY"]}]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_scanned_bucket(scan, out, |scan, r, s, out| {
        if s.categories.iter().any(|c| c == "credentials") {
            let objects: Vec<&str> = scan
                .snapshot
                .data_objects
                .iter()
                .filter(|o| o.resource.as_deref() == Some(r.id.as_str()))
                .filter(|o| {
                    o.detections.iter().any(|d| {
                        d.category == "credentials"
                            && sightline_model::data::confidence_rank(&d.confidence)
                                >= sightline_model::data::confidence_rank(sightline_model::data::LABEL_CONFIDENCE)
                    })
                })
                .map(|o| o.object.as_str())
                .collect();
            let mut evidence = evidence(s);
            evidence["objects_with_credentials"] = serde_json::json!(objects);
            out.fail(r, format!("{} object(s) hold credentials: {}", objects.len(), objects.join(", ")), evidence);
        } else if let Some(why) = unread(s) {
            out.not_evaluated(r, why);
        } else {
            out.pass(r, format!("no credentials found in {} scanned objects", s.objects));
        }
    });
}
