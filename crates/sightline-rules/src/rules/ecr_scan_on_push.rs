//! ECR repositories scan images on push.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ecr-scan-on-push",
        title: "ECR repositories scan images on push",
        severity: Severity::Low,
        resource_type: "AWS::ECR::Repository",
        domain: Domain::Application,
        rationale: "Scanning on push finds known vulnerabilities in an image before it runs anywhere.",
        remediation: Remediation {
            console: "ECR > Repositories > REPOSITORY > Edit: Scan on push (or enable enhanced scanning for the registry).",
            cli: "aws ecr put-image-scanning-configuration --repository-name REPOSITORY --image-scanning-configuration scanOnPush=true",
            terraform: "resource \"aws_ecr_repository\" \"this\" {\n  # ...\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html"],
        controls: &[nist("RA-5"), pci("6.3.1")],
        needs: &[need("ecr", "DescribeRepositories", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::ECR::Repository","region":"us-east-1","properties":{"ImageScanningConfiguration":{"ScanOnPush":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::ECR::Repository","region":"us-east-1","properties":{"ImageScanningConfiguration":{"ScanOnPush":false}}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let on = p.pointer("/ImageScanningConfiguration/ScanOnPush").and_then(Props::as_bool) == Some(true);
    Ok(Some((on, format!("scan on push is {on}"), json!({ "ScanOnPush": on }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::ECR::Repository", judge);
}
