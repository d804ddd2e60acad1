//! Network ACLs do not let the internet reach SSH or RDP.

use super::network::{open_acl_ingress, ADMIN_PORTS};
use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-nacl-admin-ports",
        title: "Network ACLs do not allow ingress from the internet to SSH or RDP",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::NetworkAcl",
        domain: Domain::NetworkControls,
        rationale: "A network ACL is the subnet's coarse filter. Allowing the whole internet to administration ports \
                    there leaves only security groups between the instances and the scanners.",
        remediation: Remediation {
            console: "VPC > Network ACLs > ACL > Inbound rules > Edit: add a deny for ports 22 and 3389 from 0.0.0.0/0 and ::/0 numbered before the allow, or narrow the allow.",
            cli: "aws ec2 create-network-acl-entry --network-acl-id ACL_ID --ingress --rule-number 50 --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny",
            terraform: "resource \"aws_network_acl_rule\" \"deny_ssh\" {\n  network_acl_id = aws_network_acl.this.id\n  rule_number    = 50\n  egress         = false\n  protocol       = \"tcp\"\n  rule_action    = \"deny\"\n  cidr_block     = \"0.0.0.0/0\"\n  from_port      = 22\n  to_port        = 22\n}",
        },
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"],
        controls: &[cis("5.2"), nist("SC-7"), pci("1.3.1")],
        needs: &[need("ec2", "DescribeNetworkAcls", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1","resource_type":"AWS::EC2::NetworkAcl","region":"us-east-1","properties":{"Entries":[{"RuleNumber":100,"Protocol":"6","RuleAction":"allow","Egress":false,"CidrBlock":"0.0.0.0/0","PortRange":{"From":443,"To":443}},{"RuleNumber":32767,"Protocol":"-1","RuleAction":"deny","Egress":false,"CidrBlock":"0.0.0.0/0"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1","resource_type":"AWS::EC2::NetworkAcl","region":"us-east-1","properties":{"Entries":[{"RuleNumber":100,"Protocol":"-1","RuleAction":"allow","Egress":false,"CidrBlock":"0.0.0.0/0"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::NetworkAcl", RULE.meta.needs, |acl, out| {
        let open = open_acl_ingress(&acl.properties, ADMIN_PORTS);
        out.verdict(
            acl,
            open.is_empty(),
            if open.is_empty() {
                "the internet cannot reach ports 22 or 3389 through this ACL".to_string()
            } else {
                {
                    let ports: std::collections::BTreeSet<String> = open
                        .iter()
                        .map(|h| format!("{} from {}", h["port"], h["source"].as_str().unwrap_or("?")))
                        .collect();
                    format!("the internet can reach {}", ports.into_iter().collect::<Vec<_>>().join(", "))
                }
            },
            json!({ "entries": open }),
        );
    });
}
