//! KMS key policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, KMS_KEY_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-kms-key-public",
        title: "KMS key policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::KMS::Key",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "KMS > Customer managed keys > KEY > Key policy > Edit: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws kms put-key-policy --key-id KEY_ID --policy-name default --policy file://scoped-policy.json",
            terraform: "resource \"aws_kms_key_policy\" \"this\" {\n  key_id = aws_kms_key.this.id\n  policy = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("kms", "GetKeyPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:kms:us-east-1:123456789012:key/k","resource_type":"AWS::KMS::Key","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:kms:us-east-1:123456789012:key/k","resource_type":"AWS::KMS::Key","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:Decrypt","Resource":"*"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:kms:us-east-1:123456789012:key/k","resource_type":"AWS::KMS::Key","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:kms:us-east-1:123456789012:key/k","resource_type":"AWS::KMS::Key","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::KMS::Key", KMS_KEY_PROBES, Reach::Public);
}
