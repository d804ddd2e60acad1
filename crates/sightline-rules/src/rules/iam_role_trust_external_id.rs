//! Roles trusted by other accounts require an external id.

use super::trust::{each_role, outsider, outsiders};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-role-trust-external-id",
        title: "Roles that other accounts can assume require an external id",
        severity: Severity::High,
        resource_type: "AWS::IAM::Role",
        domain: Domain::AccessManagement,
        rationale: "A third party that assumes roles in many customers' accounts can be tricked into using its access \
                    on the wrong customer's behalf (the confused deputy). An sts:ExternalId condition binds each \
                    trust to one customer; without it, any of the partner's customers can point it at this role.",
        remediation: Remediation {
            console: "IAM > Roles > ROLE > Trust relationships > Edit trust policy: add Condition StringEquals sts:ExternalId with the value agreed with the partner.",
            cli: "aws iam update-assume-role-policy --role-name ROLE --policy-document file://trust-with-external-id.json",
            terraform: "data \"aws_iam_policy_document\" \"trust\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::999999999999:root\"]\n    }\n    condition {\n      test     = \"StringEquals\"\n      variable = \"sts:ExternalId\"\n      values   = [var.external_id]\n    }\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html"],
        controls: &[nist("AC-3"), nist("AC-6"), pci("8.2.2")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"k7"}}}]}}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_role(scan, out, |authz, role, out| {
        // The request carries no sts:ExternalId: a trust that still allows it does not require one.
        let keep =
            |a: &sightline_iam::authz::Allowed| matches!(a.principal_type, "external account" | "external" | "public");
        match outsiders(authz, role, "sts:AssumeRole", &outsider(), keep) {
            Err(e) => out.not_evaluated(role, e),
            Ok(found) => {
                let who: Vec<&str> = found.iter().map(|a| a.principal.as_str()).collect();
                out.verdict(
                    role,
                    who.is_empty(),
                    if who.is_empty() {
                        "no other account can assume the role without an external id".to_string()
                    } else {
                        format!("assumable without an external id by {}", who.join(", "))
                    },
                    json!({ "principals": who }),
                );
            }
        }
    });
}
