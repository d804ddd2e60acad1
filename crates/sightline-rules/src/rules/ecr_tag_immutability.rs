//! ECR repositories make image tags immutable.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ecr-tag-immutability",
        title: "ECR repositories make image tags immutable",
        severity: Severity::Low,
        resource_type: "AWS::ECR::Repository",
        domain: Domain::Configuration,
        rationale: "With mutable tags, whoever can push can replace what `prod` or `v1.2` points to, and every deployment by tag then runs their image.",
        remediation: Remediation {
            console: "ECR > Repositories > REPOSITORY > Edit: Tag immutability enabled.",
            cli: "aws ecr put-image-tag-mutability --repository-name REPOSITORY --image-tag-mutability IMMUTABLE",
            terraform: "resource \"aws_ecr_repository\" \"this\" {\n  # ...\n  image_tag_mutability = \"IMMUTABLE\"\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"],
        controls: &[nist("CM-14"), nist("SI-7")],
        needs: &[need("ecr", "DescribeRepositories", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::ECR::Repository","region":"us-east-1","properties":{"ImageTagMutability":"IMMUTABLE"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::ECR::Repository","region":"us-east-1","properties":{"ImageTagMutability":"MUTABLE"}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(m) = p.get("ImageTagMutability").and_then(Props::as_str) else {
        return Err("the repository record has no ImageTagMutability".into());
    };
    Ok(Some((m.starts_with("IMMUTABLE"), format!("tags are {m}"), json!({ "ImageTagMutability": m }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::ECR::Repository", judge);
}
