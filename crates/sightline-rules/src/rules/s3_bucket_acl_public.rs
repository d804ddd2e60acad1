//! S3 bucket ACLs do not grant access to everyone.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-s3-bucket-acl-public",
        title: "S3 bucket ACLs do not grant access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::S3::Bucket",
        domain: Domain::AccessManagement,
        rationale: "An ACL grant to AllUsers or AuthenticatedUsers (any AWS account) makes the bucket readable or writable by the world, whatever its policy says.",
        remediation: Remediation {
            console: "S3 > Buckets > BUCKET > Permissions > Object Ownership: Bucket owner enforced (ACLs disabled); or edit the ACL and remove Everyone and Authenticated users.",
            cli: "aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]",
            terraform: "resource \"aws_s3_bucket_ownership_controls\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    object_ownership = \"BucketOwnerEnforced\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("s3", "GetBucketAcl", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"Acl":{"Grants":[{"Grantee":{"Type":"CanonicalUser","ID":"abc"},"Permission":"FULL_CONTROL"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:s3:::b","resource_type":"AWS::S3::Bucket","region":"us-east-1","properties":{"Acl":{"Grants":[{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]}}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(acl) = p.get("Acl") else { return Err("the bucket record has no Acl".into()) };
    let groups = [
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    ];
    let grants: Vec<Value> = acl
        .get("Grants")
        .and_then(Props::as_array)
        .into_iter()
        .flatten()
        .filter(|g| g.pointer("/Grantee/URI").and_then(Props::as_str).is_some_and(|u| groups.contains(&u)))
        .map(|g| json!({ "grantee": g.pointer("/Grantee/URI"), "permission": g.get("Permission") }))
        .collect();
    // IgnorePublicAcls (bucket level) makes S3 disregard such grants.
    let ignored = p.pointer("/PublicAccessBlockConfiguration/IgnorePublicAcls").and_then(Props::as_bool) == Some(true);
    let ok = grants.is_empty() || ignored;
    let message = if grants.is_empty() {
        "no ACL grant to everyone".to_string()
    } else if ignored {
        "public ACL grants are ignored (IgnorePublicAcls)".to_string()
    } else {
        format!("{} ACL grant(s) to everyone", grants.len())
    };
    Ok(Some((ok, message, json!({ "grants": grants }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::S3::Bucket", judge);
}
