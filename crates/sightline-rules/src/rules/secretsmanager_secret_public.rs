//! Secrets Manager resource policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, SECRETSMANAGER_SECRET_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-secretsmanager-secret-public",
        title: "Secrets Manager resource policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::SecretsManager::Secret",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "Secrets Manager > Secrets > SECRET > Overview > Resource permissions > Edit permissions: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws secretsmanager put-resource-policy --secret-id SECRET --resource-policy file://scoped-policy.json --block-public-policy (or delete-resource-policy)",
            terraform: "resource \"aws_secretsmanager_secret_policy\" \"this\" {\n  secret_arn          = aws_secretsmanager_secret.this.arn\n  policy              = data.aws_iam_policy_document.scoped.json\n  block_public_policy = true\n}",
        },
        references: &["https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("secretsmanager", "GetResourcePolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::SecretsManager::Secret", SECRETSMANAGER_SECRET_PROBES, Reach::Public);
}
