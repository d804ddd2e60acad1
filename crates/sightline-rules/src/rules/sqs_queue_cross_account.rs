//! SQS queue policies do not give access to other accounts.

use super::resource_access::{check as check_access, Reach, SQS_QUEUE_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-sqs-queue-cross-account",
        title: "SQS queue policies do not give access to other accounts",
        severity: Severity::High,
        resource_type: "AWS::SQS::Queue",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that names principals of accounts outside those in the snapshot lets them act on the resource with their own credentials: access that the account's IAM policies do not show and cannot revoke.",
        remediation: Remediation {
            console: "SQS > Queues > QUEUE > Edit > Access policy: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws sqs set-queue-attributes --queue-url QUEUE_URL --attributes Policy=file://scoped-policy.json",
            terraform: "resource \"aws_sqs_queue_policy\" \"this\" {\n  queue_url = aws_sqs_queue.this.id\n  policy    = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-6"), pci("7.2.1")],
        needs: &[need("sqs", "GetQueueAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:sqs:us-east-1:123456789012:q","resource_type":"AWS::SQS::Queue","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::SQS::Queue", SQS_QUEUE_PROBES, Reach::CrossAccount);
}
