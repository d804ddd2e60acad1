//! Security groups do not open CIFS (445) to 0.0.0.0/0.

use super::network::open_ingress;
use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-sg-cifs",
        title: "Security groups do not open CIFS (445) to 0.0.0.0/0",
        severity: Severity::High,
        resource_type: "AWS::EC2::SecurityGroup",
        domain: Domain::NetworkControls,
        rationale: "A port for remote administration or file sharing reachable from the whole internet is scanned \
                    within minutes and exposed to password guessing and to every vulnerability of the service \
                    behind it. Reach it through a bastion, Session Manager or a VPN instead.",
        remediation: Remediation {
            console: "EC2 > Security groups > GROUP > Inbound rules > Edit: remove the rule from 0.0.0.0/0, or narrow its source to known ranges.",
            cli: "aws ec2 revoke-security-group-ingress --group-id GROUP_ID --ip-permissions IpProtocol=tcp,FromPort=PORT,ToPort=PORT,IpRanges=[{CidrIp=0.0.0.0/0}]",
            terraform: "resource \"aws_vpc_security_group_ingress_rule\" \"admin\" {\n  security_group_id = aws_security_group.this.id\n  ip_protocol       = \"tcp\"\n  from_port         = PORT\n  to_port           = PORT\n  cidr_ipv4         = \"10.0.0.0/8\" # a known range, never 0.0.0.0/0\n}",
        },
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-group-rules.html"],
        controls: &[cis("5.1.2"), nist("SC-7"), pci("1.3.1")],
        needs: &[need("ec2", "DescribeSecurityGroups", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1","resource_type":"AWS::EC2::SecurityGroup","region":"us-east-1","properties":{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":["0.0.0.0/0"],"Ipv6Ranges":["::/0"]},{"IpProtocol":"-1","IpRanges":["10.0.0.0/8"]}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1","resource_type":"AWS::EC2::SecurityGroup","region":"us-east-1","properties":{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"-1","IpRanges":["0.0.0.0/0"],"Ipv6Ranges":["::/0"]}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::SecurityGroup", RULE.meta.needs, |group, out| {
        let open = open_ingress(&group.properties, "0.0.0.0/0", &[445]);
        out.verdict(
            group,
            open.is_empty(),
            if open.is_empty() {
                "no ingress from 0.0.0.0/0 to port 445".to_string()
            } else {
                format!("{} ingress rule(s) open port 445 to 0.0.0.0/0", open.len())
            },
            json!({ "rules": open }),
        );
    });
}
