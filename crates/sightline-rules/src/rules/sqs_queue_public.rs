//! SQS queue policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, SQS_QUEUE_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-sqs-queue-public",
        title: "SQS queue policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::SQS::Queue",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "SQS > Queues > QUEUE > Edit > Access policy: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws sqs set-queue-attributes --queue-url QUEUE_URL --attributes Policy=file://scoped-policy.json",
            terraform: "resource \"aws_sqs_queue_policy\" \"this\" {\n  queue_url = aws_sqs_queue.this.id\n  policy    = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("sqs", "GetQueueAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::SQS::Queue", SQS_QUEUE_PROBES, Reach::Public);
}
