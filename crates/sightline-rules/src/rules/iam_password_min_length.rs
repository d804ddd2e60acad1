//! The IAM password policy requires at least 14 characters.

use super::password_policy::{check_setting, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-password-min-length",
        title: "The IAM password policy requires at least 14 characters",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::PasswordPolicy",
        domain: Domain::Identity,
        rationale: "Short passwords fall to guessing and cracking. Without a password policy, IAM accepts passwords \
                    of 8 characters.",
        remediation: Remediation {
            console: "IAM > Account settings > Password policy > Edit: set the minimum length to 14 or more.",
            cli: "aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24",
            terraform: "resource \"aws_iam_account_password_policy\" \"this\" {\n  minimum_password_length   = 14\n  password_reuse_prevention = 24\n}",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html"],
        controls: &[cis("1.7"), nist("IA-5(1)"), pci("8.3.6")],
        needs: NEEDS,
    },
    check: check_length,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:password-policy","resource_type":"AWS::IAM::PasswordPolicy","properties":{"PasswordPolicy":{"MinimumPasswordLength":14}}}]}"#],
        fail: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:password-policy","resource_type":"AWS::IAM::PasswordPolicy","properties":{"PasswordPolicy":{"MinimumPasswordLength":8}}}]}"#,
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:password-policy","resource_type":"AWS::IAM::PasswordPolicy","properties":{"PasswordPolicy":null}}]}"#,
        ],
    },
};

fn check_length(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_setting(scan, out, "MinimumPasswordLength", 14, "the minimum password length");
}
