//! AMIs are not shared publicly.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-ami-public",
        title: "AMIs are not shared publicly",
        severity: Severity::High,
        resource_type: "AWS::EC2::Image",
        domain: Domain::Data,
        rationale: "A public AMI can be launched by anyone, with whatever the image holds: application code, configuration, and often credentials or keys left on its disks.",
        remediation: Remediation {
            console: "EC2 > AMIs > AMI > Actions > Edit AMI permissions: Private.",
            cli: "aws ec2 modify-image-attribute --image-id AMI_ID --launch-permission \"Remove=[{Group=all}]\"",
            terraform: "# An aws_ami_launch_permission with group = \"all\" makes the image public: remove it, share with account_id instead.",
        },
        references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html"],
        controls: &[nist("AC-3"), nist("AC-21")],
        needs: &[need("ec2", "DescribeImages", true), need("ec2", "DescribeImageAttribute", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Image","region":"us-east-1","properties":{"Public":false,"LaunchPermissions":[{"UserId":"111122223333"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Image","region":"us-east-1","properties":{"Public":true,"LaunchPermissions":[{"Group":"all"}]}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let public = p.get("Public").and_then(Props::as_bool) == Some(true)
        || p.get("LaunchPermissions")
            .and_then(Props::as_array)
            .into_iter()
            .flatten()
            .any(|l| l.get("Group").and_then(Props::as_str) == Some("all"));
    Ok(Some((
        !public,
        if public { "the image can be launched by anyone".into() } else { "the image is not public".into() },
        json!({ "Public": public }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::EC2::Image", judge);
}
