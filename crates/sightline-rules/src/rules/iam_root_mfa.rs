//! The root user has MFA.

use super::credential_report::{is_root, rows, yes, NEEDS};
use super::util::each_account;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-root-mfa",
        title: "The root user signs in with MFA",
        severity: Severity::Critical,
        resource_type: "AWS::Account",
        domain: Domain::Identity,
        rationale: "The root user can do anything in the account, including closing it. A password alone is one \
                    phishing page away from a full compromise.",
        remediation: Remediation {
            console:
                "Sign in as the root user > Security credentials > Multi-factor authentication > Assign MFA device.",
            cli: "MFA for the root user is assigned in the console while signed in as root.",
            terraform: "# The root user's MFA cannot be managed by Terraform; assign it in the console as root.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html"],
        controls: &[cis("1.4"), nist("IA-2(1)"), pci("8.4.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"<root_account>","mfa_active":"true"}]}}]}"#,
        ],
        fail: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"<root_account>","mfa_active":"false"}]}}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_account(scan, out, NEEDS, |account, out| match rows(scan, account) {
        Err(why) => out.not_evaluated(Subject::account(account), why),
        Ok(rows) => match rows.into_iter().find(|r| is_root(r)) {
            None => out.not_evaluated(Subject::account(account), "the credential report has no root user row"),
            Some(root) => {
                let mfa = yes(root, "mfa_active");
                out.verdict(
                    Subject::account(account),
                    mfa,
                    if mfa { "the root user has MFA" } else { "the root user has no MFA device" },
                    json!({ "mfa_active": mfa }),
                );
            }
        },
    });
}
