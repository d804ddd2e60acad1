//! SNS topic policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, SNS_TOPIC_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-sns-topic-public",
        title: "SNS topic policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::SNS::Topic",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "SNS > Topics > TOPIC > Edit > Access policy: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws sns set-topic-attributes --topic-arn TOPIC_ARN --attribute-name Policy --attribute-value file://scoped-policy.json",
            terraform: "resource \"aws_sns_topic_policy\" \"this\" {\n  arn    = aws_sns_topic.this.arn\n  policy = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("sns", "GetTopicAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:sns:us-east-1:123456789012:t","resource_type":"AWS::SNS::Topic","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:t","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sns:us-east-1:123456789012:t","resource_type":"AWS::SNS::Topic","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:t"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:sns:us-east-1:123456789012:t","resource_type":"AWS::SNS::Topic","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:t"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sns:us-east-1:123456789012:t","resource_type":"AWS::SNS::Topic","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:t","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::SNS::Topic", SNS_TOPIC_PROBES, Reach::Public);
}
