//! Instances require IMDSv2.

use super::util::{each_resource, field, need, Field};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-imdsv2",
        title: "EC2 instances require IMDSv2 (session tokens) for instance metadata",
        severity: Severity::High,
        resource_type: "AWS::EC2::Instance",
        domain: Domain::Configuration,
        rationale: "IMDSv1 answers any GET request, so a server-side request forgery in an application hands out the \
                    instance role's credentials. IMDSv2 needs a token obtained by a PUT, which SSRF rarely can send.",
        remediation: Remediation {
            console: "EC2 > Instances > INSTANCE > Actions > Instance settings > Modify instance metadata options: IMDSv2 Required.",
            cli: "aws ec2 modify-instance-metadata-options --instance-id INSTANCE_ID --http-tokens required --http-endpoint enabled",
            terraform: "resource \"aws_instance\" \"this\" {\n  # ...\n  metadata_options {\n    http_tokens   = \"required\"\n    http_endpoint = \"enabled\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html"],
        controls: &[cis("5.7"), nist("AC-3"), nist("SC-8")],
        needs: &[need("ec2", "DescribeInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","resource_type":"AWS::EC2::Instance","region":"us-east-1","properties":{"MetadataOptions":{"HttpTokens":"required","HttpEndpoint":"enabled"}}}]}"#,
            r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","resource_type":"AWS::EC2::Instance","region":"us-east-1","properties":{"MetadataOptions":{"HttpTokens":"optional","HttpEndpoint":"disabled"}}}]}"#,
        ],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","resource_type":"AWS::EC2::Instance","region":"us-east-1","properties":{"MetadataOptions":{"HttpTokens":"optional","HttpEndpoint":"enabled"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::Instance", RULE.meta.needs, |instance, out| {
        let Field::Value(options) = field(instance, "/MetadataOptions") else {
            out.not_evaluated(instance, "the instance record has no MetadataOptions");
            return;
        };
        let tokens = options.get("HttpTokens").and_then(Props::as_str).unwrap_or("optional");
        let endpoint = options.get("HttpEndpoint").and_then(Props::as_str).unwrap_or("enabled");
        let ok = tokens == "required" || endpoint == "disabled";
        out.verdict(
            instance,
            ok,
            if endpoint == "disabled" {
                "the metadata service is disabled".to_string()
            } else {
                format!("HttpTokens is {tokens}")
            },
            json!({ "HttpTokens": tokens, "HttpEndpoint": endpoint }),
        );
    });
}
