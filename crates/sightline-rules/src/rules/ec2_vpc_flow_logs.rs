//! Every VPC has flow logs.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-vpc-flow-logs",
        title: "Every VPC has flow logging enabled",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::VPC",
        domain: Domain::Logging,
        rationale: "Flow logs record who talked to what inside the VPC. Without them, an intrusion's lateral movement \
                    and data transfers leave no network trace to investigate.",
        remediation: Remediation {
            console: "VPC > Your VPCs > VPC > Flow logs > Create flow log: filter All (or at least Reject), destination CloudWatch Logs or S3.",
            cli: "aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::BUCKET",
            terraform: "resource \"aws_flow_log\" \"this\" {\n  vpc_id               = aws_vpc.this.id\n  traffic_type         = \"ALL\"\n  log_destination_type = \"s3\"\n  log_destination      = aws_s3_bucket.flow_logs.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"],
        controls: &[cis("3.7"), nist("AU-12"), pci("10.2.1")],
        needs: &[need("ec2", "DescribeVpcs", true), need("ec2", "DescribeFlowLogs", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1","resource_type":"AWS::EC2::VPC","region":"us-east-1","properties":{"VpcId":"vpc-1"}},{"id":"arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-1","resource_type":"AWS::EC2::FlowLog","region":"us-east-1","properties":{"ResourceId":"vpc-1","FlowLogStatus":"ACTIVE"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1","resource_type":"AWS::EC2::VPC","region":"us-east-1","properties":{"VpcId":"vpc-1"}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::VPC", RULE.meta.needs, |vpc, out| {
        let id = vpc.properties.get("VpcId").and_then(Props::as_str).unwrap_or_default();
        let logs: Vec<&str> = scan
            .resources("AWS::EC2::FlowLog")
            .filter(|f| {
                f.account_id == vpc.account_id
                    && f.region == vpc.region
                    && f.properties.get("ResourceId").and_then(Props::as_str) == Some(id)
                    && f.properties.get("FlowLogStatus").and_then(Props::as_str).unwrap_or("ACTIVE") == "ACTIVE"
            })
            .map(|f| f.id.as_str())
            .collect();
        out.verdict(
            vpc,
            !logs.is_empty(),
            if logs.is_empty() {
                "no active flow log".to_string()
            } else {
                format!("{} active flow log(s)", logs.len())
            },
            json!({ "VpcId": id, "flow_logs": logs }),
        );
    });
}
