//! Credentials unused for 45 days are disabled.

use super::credential_report::{col, each_user, time, user, yes, NEEDS};
use super::util::age_days;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

/// Days without use after which a credential counts as unused.
const DAYS: i64 = 45;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-unused-credentials",
        title: "Console passwords and access keys unused for 45 days are disabled",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::User",
        domain: Domain::Identity,
        rationale: "A credential nobody uses protects nothing and can still be stolen and used; disabling it removes \
                    the risk without affecting anyone.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials: remove the console password and deactivate unused access keys.",
            cli: "aws iam delete-login-profile --user-name USER; aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive",
            terraform: "# Remove the aws_iam_user_login_profile and set status = \"Inactive\" on the unused aws_iam_access_key.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html"],
        controls: &[cis("1.11"), nist("AC-2(3)"), pci("8.2.6")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","user_creation_time":"2025-01-01T00:00:00+00:00","password_enabled":"true","password_last_used":"2026-11-20T00:00:00+00:00","access_key_1_active":"true","access_key_1_last_rotated":"2025-01-01T00:00:00+00:00","access_key_1_last_used_date":"2026-11-27T00:00:00+00:00"}]}}]}"#],
        fail: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","user_creation_time":"2025-01-01T00:00:00+00:00","password_enabled":"true","password_last_used":"2026-01-20T00:00:00+00:00"}]}}]}"#,
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","user_creation_time":"2025-01-01T00:00:00+00:00","password_enabled":"false","access_key_1_active":"true","access_key_1_last_rotated":"2025-01-01T00:00:00+00:00","access_key_1_last_used_date":"N/A"}]}}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_user(scan, out, |account, row, out| {
        let mut unused = Vec::new();
        // A credential never used counts from when it was issued.
        let idle = |used: &str, issued: &str| -> Option<i64> {
            time(row, used).or_else(|| time(row, issued)).and_then(|t| age_days(scan, t))
        };
        if yes(row, "password_enabled") {
            if let Some(days) =
                idle("password_last_used", "password_last_changed").or_else(|| idle("", "user_creation_time"))
            {
                if days > DAYS {
                    unused.push(json!({ "credential": "console password", "idle_days": days }));
                }
            }
        }
        for k in ["access_key_1", "access_key_2"] {
            if yes(row, &format!("{k}_active")) {
                if let Some(days) = idle(&format!("{k}_last_used_date"), &format!("{k}_last_rotated")) {
                    if days > DAYS {
                        unused.push(json!({ "credential": k, "idle_days": days }));
                    }
                }
            }
        }
        out.verdict(
            user(account, row),
            unused.is_empty(),
            if unused.is_empty() {
                "every enabled credential was used within 45 days".to_string()
            } else {
                format!("{} enabled credential(s) unused for more than 45 days", unused.len())
            },
            json!({ "user": col(row, "user"), "unused": unused }),
        );
    });
}
