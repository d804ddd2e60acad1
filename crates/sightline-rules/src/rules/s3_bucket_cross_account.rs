//! S3 bucket policies do not give access to other accounts.

use super::resource_access::{check as check_access, Reach, S3_BUCKET_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-policy-cross-account",
        title: "S3 bucket policies do not give access to other accounts",
        severity: Severity::High,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that names principals of accounts outside those in the snapshot lets them act on the resource with their own credentials: access that the account's IAM policies do not show and cannot revoke.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Permissions > Bucket policy > Edit: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws s3api put-bucket-policy --bucket BUCKET --policy file://scoped-policy.json (or aws s3api delete-bucket-policy --bucket BUCKET)",
            terraform: "resource \"aws_s3_bucket_policy\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n  policy = data.aws_iam_policy_document.scoped.json # name principals, or add aws:PrincipalOrgID / aws:SourceVpce conditions\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-6"), pci("7.2.1")],
        needs: &[need("s3", "GetBucketPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::S3::Bucket", S3_BUCKET_PROBES, Reach::CrossAccount);
}
