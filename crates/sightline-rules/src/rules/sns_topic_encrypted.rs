//! SNS topics encrypt messages at rest.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-sns-topic-encrypted",
        title: "SNS topics encrypt messages at rest",
        severity: Severity::Low,
        resource_type: "AWS::SNS::Topic",
        domain: Domain::Encryption,
        rationale: "Server-side encryption with KMS keeps published messages unreadable in SNS storage and makes publishing and reading depend on a key permission.",
        remediation: Remediation {
            console: "SNS > Topics > TOPIC > Edit > Encryption: enable, with alias/aws/sns or a customer-managed key.",
            cli: "aws sns set-topic-attributes --topic-arn TOPIC_ARN --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns",
            terraform: "resource \"aws_sns_topic\" \"this\" {\n  # ...\n  kms_master_key_id = \"alias/aws/sns\"\n}",
        },
        references: &["https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("sns", "GetTopicAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SNS::Topic","region":"us-east-1","properties":{"KmsMasterKeyId":"alias/aws/sns"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SNS::Topic","region":"us-east-1","properties":{"DisplayName":""}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    // GetTopicAttributes leaves KmsMasterKeyId out when the topic is not encrypted.
    let kms = p.get("KmsMasterKeyId").and_then(Props::as_str).filter(|k| !k.is_empty());
    Ok(Some((
        kms.is_some(),
        match kms {
            Some(k) => format!("encrypted with {k}"),
            None => "not encrypted".into(),
        },
        json!({ "KmsMasterKeyId": kms }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::SNS::Topic", judge);
}
