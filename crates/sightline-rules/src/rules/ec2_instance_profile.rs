//! Instances reach AWS through an instance role.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-instance-profile",
        title: "EC2 instances use an IAM instance role for AWS access",
        severity: Severity::Low,
        resource_type: "AWS::EC2::Instance",
        domain: Domain::Identity,
        rationale: "An instance role gives the instance short-lived credentials that rotate by themselves. Without \
                    one, software on the instance that calls AWS uses long-lived access keys stored on disk.",
        remediation: Remediation {
            console: "EC2 > Instances > INSTANCE > Actions > Security > Modify IAM role: choose a role with only what the instance needs.",
            cli: "aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID --iam-instance-profile Name=PROFILE",
            terraform: "resource \"aws_instance\" \"this\" {\n  # ...\n  iam_instance_profile = aws_iam_instance_profile.app.name\n}",
        },
        references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html"],
        controls: &[cis("1.17"), nist("IA-5")],
        needs: &[need("ec2", "DescribeInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","resource_type":"AWS::EC2::Instance","region":"us-east-1","properties":{"State":"running","IamInstanceProfile":{"Arn":"arn:aws:iam::123456789012:instance-profile/app"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","resource_type":"AWS::EC2::Instance","region":"us-east-1","properties":{"State":"running"}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::Instance", RULE.meta.needs, |instance, out| {
        let state = instance.properties.get("State").and_then(|s| s.as_str()).unwrap_or("");
        if state == "terminated" {
            return;
        }
        let profile = instance.properties.pointer("/IamInstanceProfile/Arn").and_then(|a| a.as_str());
        out.verdict(
            instance,
            profile.is_some(),
            match profile {
                Some(p) => format!("instance profile {p}"),
                None => "no instance profile".to_string(),
            },
            json!({ "IamInstanceProfile": profile }),
        );
    });
}
