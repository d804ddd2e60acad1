//! Users with a console password have MFA.

use super::credential_report::{col, each_user, user, yes, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-user-console-mfa",
        title: "IAM users with a console password have MFA",
        severity: Severity::High,
        resource_type: "AWS::IAM::User",
        domain: Domain::Identity,
        rationale: "A console password without a second factor is enough to sign in for whoever phishes, guesses or \
                    reuses it.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials > Multi-factor authentication > Assign MFA device.",
            cli: "aws iam create-virtual-mfa-device --virtual-mfa-device-name USER --outfile qr.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name USER --serial-number ARN --authentication-code1 CODE1 --authentication-code2 CODE2",
            terraform: "resource \"aws_iam_virtual_mfa_device\" \"user\" {\n  virtual_mfa_device_name = \"USER\"\n}\n# then enable it for the user (aws_iam_user_mfa_device... is done interactively with two codes)",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html"],
        controls: &[cis("1.9"), nist("IA-2(1)"), pci("8.4.2")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","password_enabled":"true","mfa_active":"true"},{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","password_enabled":"false","mfa_active":"false"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"alice","arn":"arn:aws:iam::123456789012:user/alice","password_enabled":"true","mfa_active":"false"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_user(scan, out, |account, row, out| {
        if !yes(row, "password_enabled") {
            out.pass(user(account, row), "the user has no console password");
            return;
        }
        let mfa = yes(row, "mfa_active");
        out.verdict(
            user(account, row),
            mfa,
            if mfa { "console password with MFA" } else { "console password without MFA" },
            json!({ "user": col(row, "user"), "password_enabled": true, "mfa_active": mfa }),
        );
    });
}
