//! ECR repository policies do not give access to other accounts.

use super::resource_access::{check as check_access, Reach, ECR_REPOSITORY_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ecr-repository-cross-account",
        title: "ECR repository policies do not give access to other accounts",
        severity: Severity::High,
        resource_type: "AWS::ECR::Repository",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that names principals of accounts outside those in the snapshot lets them act on the resource with their own credentials: access that the account's IAM policies do not show and cannot revoke.",
        remediation: Remediation {
            console: "ECR > Repositories > REPOSITORY > Permissions > Edit policy JSON: remove or scope the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws ecr set-repository-policy --repository-name REPOSITORY --policy-text file://scoped-policy.json (or aws ecr delete-repository-policy --repository-name REPOSITORY)",
            terraform: "resource \"aws_ecr_repository_policy\" \"this\" {\n  repository = aws_ecr_repository.this.name\n  policy     = data.aws_iam_policy_document.scoped.json\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-6"), pci("7.2.1")],
        needs: &[need("ecr", "GetRepositoryPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"ecr:BatchGetImage"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:ecr:us-east-1:123456789012:repository/r","resource_type":"AWS::ECR::Repository","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"ecr:BatchGetImage"}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::ECR::Repository", ECR_REPOSITORY_PROBES, Reach::CrossAccount);
}
