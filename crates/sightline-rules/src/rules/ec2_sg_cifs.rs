//! Security groups do not open CIFS (445) to 0.0.0.0/0.

use super::network::{check_security_groups, OPEN_PORT_RATIONALE, OPEN_PORT_TERRAFORM};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-sg-cifs",
        title: "Security groups do not open CIFS (445) to 0.0.0.0/0",
        severity: Severity::High,
        resource_type: "AWS::EC2::SecurityGroup",
        domain: Domain::NetworkControls,
        rationale: OPEN_PORT_RATIONALE,
        remediation: Remediation {
            console: "EC2 > Security groups > GROUP > Inbound rules > Edit: remove the rule from 0.0.0.0/0, or narrow its source to known ranges.",
            cli: "aws ec2 revoke-security-group-ingress --group-id GROUP_ID --ip-permissions IpProtocol=tcp,FromPort=PORT,ToPort=PORT,IpRanges=[{CidrIp=0.0.0.0/0}]",
            terraform: OPEN_PORT_TERRAFORM,
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
    check_security_groups(scan, out, "0.0.0.0/0", &[445]);
}
