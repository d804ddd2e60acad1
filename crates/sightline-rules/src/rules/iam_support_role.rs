//! A role can manage incidents with AWS Support.

use super::util::{each_account, need};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{PrincipalKind, Severity};

const SUPPORT_POLICY: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-support-role",
        title: "A role with AWSSupportAccess exists to handle incidents with AWS Support",
        severity: Severity::Low,
        resource_type: "AWS::Account",
        domain: Domain::AccessManagement,
        rationale: "During an incident, someone must be able to open and follow support cases without being given \
                    broad rights on the spot. A dedicated role with AWSSupportAccess is that path.",
        remediation: Remediation {
            console: "IAM > Roles > Create role: trusted entity your account (or your identity provider), permission AWSSupportAccess.",
            cli: "aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json && aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess",
            terraform: "resource \"aws_iam_role_policy_attachment\" \"support\" {\n  role       = aws_iam_role.support.name\n  policy_arn = \"arn:aws:iam::aws:policy/AWSSupportAccess\"\n}",
        },
        references: &["https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html"],
        controls: &[cis("1.16"), nist("IR-7")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/support","kind":"role","name":"support","attached_policies":["arn:aws:iam::aws:policy/AWSSupportAccess"]}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_account(scan, out, RULE.meta.needs, |account, out| {
        let roles: Vec<&str> = scan
            .principals(PrincipalKind::Role)
            .filter(|r| r.account_id == account && r.attached_policies.iter().any(|p| p == SUPPORT_POLICY))
            .map(|r| r.id.as_str())
            .collect();
        out.verdict(
            Subject::account(account),
            !roles.is_empty(),
            if roles.is_empty() {
                "no role has AWSSupportAccess".to_string()
            } else {
                format!("{} role(s) have AWSSupportAccess", roles.len())
            },
            json!({ "roles": roles }),
        );
    });
}
