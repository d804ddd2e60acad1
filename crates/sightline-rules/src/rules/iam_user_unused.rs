//! IAM users unused for 90 days are removed.

use super::credential_report::{col, rows, time, NEEDS as REPORT};
use super::unused::{judged, recent, used_in, window};
use super::util::{age_days, need};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_activity::Usage;
use sightline_model::{Principal, PrincipalKind, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-user-unused",
        title: "IAM users that have not signed in or made a call for 90 days are removed",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::User",
        domain: Domain::Identity,
        rationale: "A user nobody has used for three months (no console sign-in, no access key use, no call in \
                    CloudTrail) is most often someone who left or a forgotten integration: its credentials and \
                    permissions stay open to whoever obtains them. The credential report says when each password and \
                    key was last used; imported CloudTrail logs show any call. The window is 90 days unless \
                    `scan --unused-days` says otherwise.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials: confirm with its owner, then deactivate its keys and console access, and delete the user.",
            cli: "aws iam delete-login-profile --user-name USER; aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive",
            terraform: "# Remove the aws_iam_user resource (with its keys, login profile and attachments) from the configuration.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html"],
        controls: &[nist("AC-2(3)"), pci("8.2.6")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false), REPORT[0]],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/bob","kind":"user","name":"bob","created_at":"2024-01-01T00:00:00Z"}],
                "resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","password_enabled":"true","password_last_used":"2026-11-20T00:00:00+00:00","access_key_1_last_used_date":"N/A"}]}}]}"#,
            // No credential report, but CloudTrail shows a call within the window.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/bob","kind":"user","name":"bob","created_at":"2024-01-01T00:00:00Z"}],
                "activity":[{"principal":"arn:aws:iam::123456789012:user/bob","action":"s3:ListAllMyBuckets","count":1,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-01T00:00:00Z"}],
                "activity_periods":[{"from":"2026-07-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
        ],
        fail: &[
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/bob","kind":"user","name":"bob","created_at":"2024-01-01T00:00:00Z"}],
                "resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","password_enabled":"true","password_last_used":"2025-01-20T00:00:00+00:00","access_key_1_last_used_date":"2025-02-01T00:00:00+00:00"}]}}]}"#,
            // Never used, and the logs show no call either.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/bob","kind":"user","name":"bob","created_at":"2024-01-01T00:00:00Z"}],
                "resources":[{"id":"arn:aws:iam::123456789012:credential-report","resource_type":"AWS::IAM::CredentialReport","properties":{"Rows":[{"user":"bob","arn":"arn:aws:iam::123456789012:user/bob","password_enabled":"false","password_last_used":"N/A","access_key_1_last_used_date":"N/A"}]}}],
                "activity":[{"principal":"arn:aws:iam::123456789012:user/bob","action":"s3:ListAllMyBuckets","count":1,"first_seen":"2026-01-01T00:00:00Z","last_seen":"2026-01-01T00:00:00Z"}],
                "activity_periods":[{"from":"2026-01-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
        ],
    },
};

/// The user's last sign-in or access key use in the credential report (`None`: never), or why it is unknown.
fn report_last_use<'s>(scan: &Scan<'s>, user: &Principal) -> Result<Option<&'s str>, String> {
    let rows = rows(scan, &user.account_id)?;
    let row = rows
        .into_iter()
        .find(|r| col(r, "arn") == user.id)
        .ok_or_else(|| "the IAM credential report has no row for the user".to_string())?;
    Ok(["password_last_used", "access_key_1_last_used_date", "access_key_2_last_used_date"]
        .into_iter()
        .filter_map(|c| time(row, c))
        .max())
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let principals_need = &out.meta().needs[..1];
    let usage = Usage::of(scan.snapshot);
    let days = scan.unused_days;
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, principals_need, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    for user in scan.principals(PrincipalKind::User).filter(|p| judged(p)) {
        if let Some(why) = scan.gap(&user.account_id, None, principals_need, false) {
            out.not_evaluated(user, why);
            continue;
        }
        if let Some(age) = user.created_at.as_deref().and_then(|c| age_days(scan, c)) {
            if age <= days {
                out.pass(user, format!("created {age} days ago"));
                continue;
            }
        }
        let trail = window(scan, &user.account_id);
        if let Ok(w) = &trail {
            if let Some(last) = used_in(&usage, user, w) {
                out.pass(user, format!("last call in CloudTrail at {last}"));
                continue;
            }
        }
        let cloudtrail = match &trail {
            Ok(w) => format!("no call in {}", w.describe()),
            Err(why) => why.clone(),
        };
        match report_last_use(scan, user) {
            Err(why) => out.not_evaluated(user, format!("{why}; CloudTrail: {cloudtrail}")),
            Ok(Some(t)) if recent(scan, t) == Some(true) => {
                out.pass(user, format!("last signed in or used a key at {t}"))
            }
            Ok(last) => out.fail(
                user,
                match last {
                    Some(t) => format!("last signed in or used a key at {t}, more than {days} days ago"),
                    None => "has never signed in or used an access key".to_string(),
                },
                json!({ "last_credential_use": last, "cloudtrail": cloudtrail, "window_days": days }),
            ),
        }
    }
}
