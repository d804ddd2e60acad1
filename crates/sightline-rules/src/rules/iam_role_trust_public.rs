//! No role can be assumed by everyone.

use super::trust::{each_role, outsider, outsiders};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-role-trust-public",
        title: "No IAM role trusts everyone (\"Principal\": \"*\")",
        severity: Severity::Critical,
        resource_type: "AWS::IAM::Role",
        domain: Domain::AccessManagement,
        rationale: "A trust policy that lets \\\"*\\\" call sts:AssumeRole, without a condition an outsider cannot meet, \
                    lets any AWS principal in the world take the role and its permissions.",
        remediation: Remediation {
            console: "IAM > Roles > ROLE > Trust relationships > Edit trust policy: name the trusted accounts or roles, or add aws:PrincipalOrgID / sts:ExternalId conditions.",
            cli: "aws iam update-assume-role-policy --role-name ROLE --policy-document file://trust.json",
            terraform: "data \"aws_iam_policy_document\" \"trust\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::111122223333:role/caller\"]\n    }\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy"],
        controls: &[nist("AC-3"), nist("AC-6"), pci("7.2.1")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_role(scan, out, |authz, role, out| {
        match outsiders(authz, role, "sts:AssumeRole", &outsider(), |a| a.principal_type == "public") {
            Err(e) => out.not_evaluated(role, e),
            Ok(public) => out.verdict(
                role,
                public.is_empty(),
                if public.is_empty() {
                    "no one outside can assume the role through \"*\""
                } else {
                    "anyone can assume the role"
                },
                json!({ "trust": "*" }),
            ),
        }
    });
}
