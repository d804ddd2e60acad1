//! At most one active access key per user.

use super::credential_report::{col, each_user, user, yes, KEYS, NEEDS};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-user-one-active-key",
        title: "IAM users have at most one active access key",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::User",
        domain: Domain::Identity,
        rationale: "A second active key is usually a forgotten one: it doubles what can leak and is rarely rotated.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials > Access keys: deactivate, then delete, the key not in use.",
            cli: "aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive && aws iam delete-access-key --user-name USER --access-key-id KEY_ID",
            terraform: "# Keep a single aws_iam_access_key resource per user; remove the other from the configuration.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"],
        controls: &[cis("1.12"), nist("IA-5"), pci("8.3.9")],
        needs: NEEDS,
    },
    check: check_one_active,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","access_key_1_active":"true","access_key_2_active":"false"}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"ci","arn":"arn:aws:iam::123456789012:user/ci","access_key_1_active":"true","access_key_2_active":"true"}]}}]}"#],
    },
};

fn check_one_active(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_user(scan, out, |account, row, out| {
        let active: Vec<&str> = KEYS.into_iter().filter(|k| yes(row, &format!("{k}_active"))).collect();
        out.verdict(
            user(account, row),
            active.len() <= 1,
            format!("{} active access key(s)", active.len()),
            json!({ "user": col(row, "user"), "active_keys": active }),
        );
    });
}
