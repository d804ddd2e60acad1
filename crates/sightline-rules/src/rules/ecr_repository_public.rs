//! ECR repository policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, ECR_REPOSITORY_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ecr-repository-public",
        title: "ECR repository policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::ECR::Repository",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "ECR > Repositories > REPOSITORY > Permissions > Edit policy JSON: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws ecr set-repository-policy --repository-name REPOSITORY --policy-text file://scoped-policy.json (or aws ecr delete-repository-policy --repository-name REPOSITORY)",
            terraform: "resource \"aws_ecr_repository_policy\" \"this\" {\n  repository = aws_ecr_repository.this.name\n  policy     = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("ecr", "GetRepositoryPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"ecr:BatchGetImage"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::ECR::Repository", ECR_REPOSITORY_PROBES, Reach::Public);
}
