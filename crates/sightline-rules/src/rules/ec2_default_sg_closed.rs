//! The default security group of every VPC restricts all traffic.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-default-sg-closed",
        title: "Default security groups allow no traffic",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::SecurityGroup",
        domain: Domain::NetworkControls,
        rationale: "Resources launched without a security group land in the VPC's default group. If it allows \
                    traffic, they are reachable by accident; with no rules, every opening is a deliberate choice.",
        remediation: Remediation {
            console: "EC2 > Security groups > default (per VPC) > remove every inbound and outbound rule; move resources to purpose-built groups first.",
            cli: "aws ec2 revoke-security-group-egress --group-id DEFAULT_SG_ID --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]",
            terraform: "resource \"aws_default_security_group\" \"default\" {\n  vpc_id = aws_vpc.this.id\n  # no ingress or egress blocks: Terraform removes every rule\n}",
        },
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html"],
        controls: &[cis("5.5"), nist("SC-7(5)"), pci("1.2.1")],
        needs: &[need("ec2", "DescribeSecurityGroups", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1","resource_type":"AWS::EC2::SecurityGroup","region":"us-east-1","properties":{"GroupName":"default","IpPermissions":[],"IpPermissionsEgress":[]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1","resource_type":"AWS::EC2::SecurityGroup","region":"us-east-1","properties":{"GroupName":"default","IpPermissions":[],"IpPermissionsEgress":[{"IpProtocol":"-1","IpRanges":["0.0.0.0/0"]}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::SecurityGroup", RULE.meta.needs, |group, out| {
        if group.properties.get("GroupName").and_then(Props::as_str) != Some("default") {
            return;
        }
        let count = |key: &str| group.properties.get(key).and_then(Props::as_array).map_or(0, <[Props]>::len);
        let (ingress, egress) = (count("IpPermissions"), count("IpPermissionsEgress"));
        out.verdict(
            group,
            ingress + egress == 0,
            if ingress + egress == 0 {
                "the default group has no rules".to_string()
            } else {
                format!("the default group has {ingress} inbound and {egress} outbound rule(s)")
            },
            json!({ "inbound_rules": ingress, "outbound_rules": egress }),
        );
    });
}
