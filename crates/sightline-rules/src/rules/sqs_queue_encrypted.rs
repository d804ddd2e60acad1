//! SQS queues encrypt messages at rest.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-sqs-queue-encrypted",
        title: "SQS queues encrypt messages at rest",
        severity: Severity::Medium,
        resource_type: "AWS::SQS::Queue",
        domain: Domain::Encryption,
        rationale: "Messages often carry personal data or tokens; server-side encryption keeps them unreadable in the service's storage, and SSE-KMS ties reading them to a key permission.",
        remediation: Remediation {
            console: "SQS > Queues > QUEUE > Edit > Encryption: enable server-side encryption (SSE-SQS or SSE-KMS).",
            cli: "aws sqs set-queue-attributes --queue-url QUEUE_URL --attributes SqsManagedSseEnabled=true",
            terraform: "resource \"aws_sqs_queue\" \"this\" {\n  # ...\n  sqs_managed_sse_enabled = true # or kms_master_key_id = aws_kms_key.sqs.id\n}",
        },
        references: &["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("sqs", "GetQueueAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SQS::Queue","region":"us-east-1","properties":{"SqsManagedSseEnabled":"true"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SQS::Queue","region":"us-east-1","properties":{"SqsManagedSseEnabled":"false"}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let kms = p.get("KmsMasterKeyId").and_then(Props::as_str).filter(|k| !k.is_empty());
    let managed = p.get("SqsManagedSseEnabled").map(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    if kms.is_none() && managed.is_none() {
        return Err("the queue record has neither KmsMasterKeyId nor SqsManagedSseEnabled".into());
    }
    let on = kms.is_some() || managed == Some(true);
    Ok(Some((
        on,
        match kms {
            Some(k) => format!("encrypted with {k}"),
            None if on => "encrypted with SQS-managed keys".into(),
            None => "not encrypted".into(),
        },
        json!({ "KmsMasterKeyId": kms, "SqsManagedSseEnabled": managed }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::SQS::Queue", judge);
}
