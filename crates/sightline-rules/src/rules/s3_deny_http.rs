//! S3 bucket policies deny requests that do not use TLS.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_iam::Context;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-deny-http",
        title: "S3 bucket policies deny requests made without TLS",
        severity: Severity::Medium,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::Encryption,
        rationale: "S3 answers plain HTTP requests unless the bucket policy refuses them; data and credentials (signed \
                    URLs, session tokens) then cross the network readable and alterable. An explicit Deny on \
                    aws:SecureTransport false closes that path for every caller.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Permissions > Bucket policy > Edit: add a statement denying s3:* to Principal * on the bucket and its objects when aws:SecureTransport is false.",
            cli: "aws s3api put-bucket-policy --bucket BUCKET --policy file://policy-with-deny-http.json",
            terraform: "statement {\n  sid       = \"DenyHTTP\"\n  effect    = \"Deny\"\n  actions   = [\"s3:*\"]\n  resources = [aws_s3_bucket.this.arn, \"${aws_s3_bucket.this.arn}/*\"]\n  principals {\n    type        = \"*\"\n    identifiers = [\"*\"]\n  }\n  condition {\n    test     = \"Bool\"\n    variable = \"aws:SecureTransport\"\n    values   = [\"false\"]\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit"],
        controls: &[cis("2.1.1"), nist("SC-8"), pci("4.2.1")],
        needs: &[need("s3", "GetBucketPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{},"policy":{"Version":"2012-10-17","Statement":[{"Sid":"DenyHTTP","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}}]}"#],
        fail: &[
            r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{},"policy":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}}]}"#,
            r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{}}]}"#,
        ],
    },
};

/// Requests a plain-HTTP caller could make: on objects and on the bucket itself.
const PROBES: &[(&str, bool)] =
    &[("s3:GetObject", true), ("s3:PutObject", true), ("s3:DeleteObject", true), ("s3:ListBucket", false)];

/// The probed actions that a request without TLS may still make (none: the policy denies them all), or why the
/// engine could not tell.
fn not_denied(scan: &Scan<'_>, bucket: &Resource) -> Result<Vec<&'static str>, String> {
    let authz = scan.authorizer().map_err(str::to_string)?;
    let mut context = Context::default();
    context.insert("aws:SecureTransport", vec!["false".into()]);
    let mut open = Vec::new();
    for on_object in [false, true] {
        let actions: Vec<&'static str> = PROBES.iter().filter(|p| p.1 == on_object).map(|p| p.0).collect();
        let target = if on_object { format!("{}/any-object", bucket.id) } else { bucket.id.clone() };
        let answers = authz.check_actions("anonymous", &actions, &target, &context).map_err(|e| e.to_string())?;
        for (action, e) in actions.iter().zip(answers) {
            // Only an explicit deny in the bucket's own policy stops every caller, whatever they are granted.
            let denied =
                e.explicit_deny && e.statements.iter().any(|s| s.policy_type == sightline_iam::PolicyType::Resource);
            if !denied {
                open.push(*action);
            }
        }
    }
    // In the order of PROBES, as before.
    open.sort_by_key(|a| PROBES.iter().position(|p| p.0 == *a));
    Ok(open)
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    // The engine is asked about every bucket with a policy at once, on every core.
    let answers =
        scan.per_resource("AWS::S3::Bucket", |b| b.policy.as_ref().map(|_| not_denied(scan, b)).unwrap_or(Ok(vec![])));
    each_resource(scan, out, "AWS::S3::Bucket", RULE.meta.needs, |bucket, out| {
        if bucket.policy.is_none() {
            out.fail(bucket, "the bucket has no policy, so nothing denies plain HTTP", json!({ "policy": null }));
            return;
        }
        let open = match answers.get(bucket).cloned().unwrap_or_else(|| not_denied(scan, bucket)) {
            Ok(open) => open,
            Err(why) => {
                out.not_evaluated(bucket, why);
                return;
            }
        };
        out.verdict(
            bucket,
            open.is_empty(),
            if open.is_empty() {
                "the bucket policy denies every request without TLS".to_string()
            } else {
                format!("not denied without TLS: {}", open.join(", "))
            },
            json!({ "not_denied": open }),
        );
    });
}
