//! Active access keys are rotated within 90 days.

use super::credential_report::{col, each_user, time, user, yes, KEYS, NEEDS};
use super::util::age_days;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-access-key-rotated",
        title: "Active access keys are rotated within 90 days",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::User",
        domain: Domain::Identity,
        rationale: "The longer a key lives, the more places it has been copied to and the longer a leaked copy works.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials: create a new access key, move its users to it, deactivate and delete the old one.",
            cli: "aws iam create-access-key --user-name USER && aws iam update-access-key --user-name USER --access-key-id OLD_KEY_ID --status Inactive",
            terraform: "# Replace the aws_iam_access_key resource (terraform apply -replace=aws_iam_access_key.KEY) and distribute the new secret.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console"],
        controls: &[cis("1.13"), nist("IA-5(1)"), pci("8.3.9")],
        needs: NEEDS,
    },
    check: check_rotated,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","access_key_1_active":"true","access_key_1_last_rotated":"2026-10-01T00:00:00+00:00","access_key_2_active":"false","access_key_2_last_rotated":"2020-01-01T00:00:00+00:00"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","access_key_1_active":"true","access_key_1_last_rotated":"2026-01-01T00:00:00+00:00"}]}}]}"#],
    },
};

fn check_rotated(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_user(scan, out, |account, row, out| {
        let mut old = Vec::new();
        let mut active = 0;
        for k in KEYS {
            if !yes(row, &format!("{k}_active")) {
                continue;
            }
            active += 1;
            match time(row, &format!("{k}_last_rotated")).and_then(|t| age_days(scan, t)) {
                Some(days) if days > 90 => old.push(json!({ "key": k, "age_days": days })),
                Some(_) => {}
                None => {
                    out.not_evaluated(user(account, row), format!("{k} is active but its rotation date is unknown"));
                    return;
                }
            }
        }
        if active == 0 {
            out.pass(user(account, row), "no active access key");
        } else {
            out.verdict(
                user(account, row),
                old.is_empty(),
                if old.is_empty() {
                    "every active key is at most 90 days old".to_string()
                } else {
                    format!("{} active key(s) older than 90 days", old.len())
                },
                json!({ "user": col(row, "user"), "keys": old }),
            );
        }
    });
}
