//! S3 Block Public Access is on for every bucket, at the bucket or the account level.

use super::util::{each_resource, find, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

const SETTINGS: [&str; 4] = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-block-public-access",
        title: "S3 Block Public Access is fully on for every bucket (bucket or account level)",
        severity: Severity::High,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Data,
        rationale: "Block Public Access overrides any ACL or bucket policy that would make data public. With all four \
                    settings on, one mistaken policy or object ACL can no longer publish a bucket's content.",
        remediation: Remediation {
            console: "S3 > Block Public Access settings for this account > Edit: turn on all four settings (or per bucket: Permissions > Block public access).",
            cli: "aws s3control put-public-access-block --account-id ACCOUNT --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            terraform: "resource \"aws_s3_account_public_access_block\" \"this\" {\n  block_public_acls       = true\n  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
        controls: &[cis("2.1.4"), nist("AC-3"), nist("AC-21"), pci("1.4.4")],
        needs: &[need("s3", "GetPublicAccessBlock", true), need("s3control", "GetPublicAccessBlock", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}}}]}"#,
            r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"PublicAccessBlockConfiguration":null}},{"id":"arn:aws:s3:::account/123456789012/public-access-block","resource_type":"AWS::S3::AccountPublicAccessBlock","properties":{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}}}]}"#,
        ],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}}},{"id":"arn:aws:s3:::account/123456789012/public-access-block","resource_type":"AWS::S3::AccountPublicAccessBlock","properties":{"PublicAccessBlockConfiguration":null}}]}"#],
    },
};

/// The settings that are on in a PublicAccessBlockConfiguration (an absent or null one has none).
fn on(config: Option<&Props>) -> Vec<&'static str> {
    SETTINGS.into_iter().filter(|s| config.and_then(|c| c.get(s)).and_then(Props::as_bool) == Some(true)).collect()
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::S3::Bucket", RULE.meta.needs, |bucket, out| {
        let Some(bucket_config) = bucket.properties.get("PublicAccessBlockConfiguration") else {
            out.not_evaluated(bucket, "the bucket record has no PublicAccessBlockConfiguration");
            return;
        };
        let account = find(scan, "AWS::S3::AccountPublicAccessBlock", &bucket.account_id, None)
            .and_then(|a| a.properties.get("PublicAccessBlockConfiguration"));
        let (at_bucket, at_account) = (on(Some(bucket_config)), on(account));
        // Each setting applies when either level turns it on.
        let effective: Vec<&str> =
            SETTINGS.into_iter().filter(|s| at_bucket.contains(s) || at_account.contains(s)).collect();
        let off: Vec<&str> = SETTINGS.into_iter().filter(|s| !effective.contains(s)).collect();
        out.verdict(
            bucket,
            off.is_empty(),
            if off.is_empty() {
                "all four Block Public Access settings apply".to_string()
            } else {
                format!("off at both the bucket and the account level: {}", off.join(", "))
            },
            json!({ "bucket": at_bucket, "account": at_account, "off": off }),
        );
    });
}
