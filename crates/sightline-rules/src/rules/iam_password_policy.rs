//! The account password policy: minimum length (CIS 1.7) and reuse prevention (CIS 1.8).

use super::util::{each_account, field, find, need, Field};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

const NEEDS: &[Need] = &[need("iam", "GetAccountPasswordPolicy", false)];

pub(crate) static MIN_LENGTH: Rule = Rule {
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

pub(crate) static REUSE: Rule = Rule {
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

/// Checks one numeric setting of the policy against a minimum; no policy at all fails.
fn check_setting(scan: &Scan<'_>, out: &mut Out<'_>, key: &str, minimum: u64, what: &str) {
    each_account(scan, out, NEEDS, |account, out| {
        let policy = find(scan, "AWS::IAM::PasswordPolicy", account, None);
        let subject = match policy {
            Some(p) => Subject::from(p),
            None => Subject::account(account),
        };
        let value = match policy.map(|p| field(p, "/PasswordPolicy")) {
            None | Some(Field::Null) => None,
            Some(Field::Missing) => {
                out.not_evaluated(subject, "the password policy record has no PasswordPolicy field");
                return;
            }
            Some(Field::Value(v)) => Some(v.get(key).and_then(|v| v.as_u64()).unwrap_or(0)),
        };
        match value {
            None => out.fail(
                subject,
                format!("the account has no password policy ({what} is then unenforced)"),
                json!({ key: null }),
            ),
            Some(v) => out.verdict(
                subject,
                v >= minimum,
                format!("{what} is {v} (at least {minimum} wanted)"),
                json!({ key: v }),
            ),
        }
    });
}

fn check_length(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_setting(scan, out, "MinimumPasswordLength", 14, "the minimum password length");
}

fn check_reuse(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_setting(scan, out, "PasswordReusePrevention", 24, "the number of remembered passwords");
}
