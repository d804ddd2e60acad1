//! The IAM password policy prevents password reuse.

use super::password_policy::{check_setting, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-password-reuse",
        title: "The IAM password policy prevents reusing the last 24 passwords",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::PasswordPolicy",
        domain: Domain::Identity,
        rationale: "Reused passwords keep a leaked password valid after a change. CIS asks IAM to remember 24.",
        remediation: Remediation {
            console: "IAM > Account settings > Password policy > Edit: prevent password reuse, remember 24 passwords.",
            cli: "aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24",
            terraform: "resource \"aws_iam_account_password_policy\" \"this\" {\n  minimum_password_length   = 14\n  password_reuse_prevention = 24\n}",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html"],
        controls: &[cis("1.8"), nist("IA-5(1)"), pci("8.3.7")],
        needs: NEEDS,
    },
    check: check_reuse,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:password-policy","resource_type":"AWS::IAM::PasswordPolicy","properties":{"PasswordPolicy":{"PasswordReusePrevention":24}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:password-policy","resource_type":"AWS::IAM::PasswordPolicy","properties":{"PasswordPolicy":{"PasswordReusePrevention":1}}}]}"#],
    },
};

fn check_reuse(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_setting(scan, out, "PasswordReusePrevention", 24, "the number of remembered passwords");
}
