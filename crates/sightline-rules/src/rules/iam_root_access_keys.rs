//! The root user has no access keys.

use super::credential_report::{col, is_root, rows, yes, NEEDS};
use super::util::each_account;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-root-access-keys",
        title: "The root user has no access keys",
        severity: Severity::Critical,
        resource_type: "AWS::Account",
        domain: Domain::Identity,
        rationale: "Access keys of the root user give unrestricted, unconditioned programmatic access to the whole \
                    account, and no policy can limit them. Any leak of such a key is a full compromise.",
        remediation: Remediation {
            console: "Sign in as the root user, open Security credentials, and delete (after deactivating) every access key.",
            cli: "The root user's keys can only be deleted while signed in as root: aws iam delete-access-key --access-key-id KEY_ID (with root credentials)",
            terraform: "# Root access keys are not managed by Terraform; delete them as root, then deny their creation with an SCP:\n# Deny iam:CreateAccessKey where aws:PrincipalArn = arn:aws:iam::*:root",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html"],
        controls: &[cis("1.3"), nist("AC-6(9)"), nist("IA-2"), pci("8.2.2")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"<root_account>","access_key_1_active":"false","access_key_2_active":"false"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"<root_account>","access_key_1_active":"false","access_key_2_active":"true"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_account(scan, out, NEEDS, |account, out| match rows(scan, account) {
        Err(why) => out.not_evaluated(Subject::account(account), why),
        Ok(rows) => match rows.into_iter().find(|r| is_root(r)) {
            None => out.not_evaluated(Subject::account(account), "the credential report has no root user row"),
            Some(root) => {
                let active: Vec<&str> =
                    ["access_key_1_active", "access_key_2_active"].into_iter().filter(|c| yes(root, c)).collect();
                out.verdict(
                    Subject::account(account),
                    active.is_empty(),
                    if active.is_empty() {
                        "the root user has no active access key".to_string()
                    } else {
                        format!("the root user has {} active access key(s)", active.len())
                    },
                    serde_json::json!({ "active": active, "user": col(root, "user") }),
                );
            }
        },
    });
}
