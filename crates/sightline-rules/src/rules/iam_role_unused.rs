//! IAM roles unused for 90 days are removed.

use super::unused::{used_in, window};
use super::util::{age_days, need};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_activity::Usage;
use sightline_model::{PrincipalKind, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-role-unused",
        title: "IAM roles not used for 90 days are removed",
        severity: Severity::Low,
        resource_type: "AWS::IAM::Role",
        domain: Domain::Identity,
        rationale: "A role nobody has assumed for three months still holds its permissions and its trust: it widens \
                    what an attacker who reaches it can do without serving anyone. IAM records when each role was \
                    last used (RoleLastUsed, tracked for the last 400 days); imported CloudTrail logs show its \
                    sessions' calls. The window is 90 days unless `scan --unused-days` says otherwise.",
        remediation: Remediation {
            console: "IAM > Roles > ROLE > Last activity: confirm it is unused, then delete the role (detach its policies and remove it from its instance profiles first).",
            cli: "aws iam get-role --role-name ROLE --query Role.RoleLastUsed && aws iam delete-role --role-name ROLE",
            terraform: "# Remove the aws_iam_role resource (and its policy attachments) from the configuration.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html"],
        controls: &[nist("AC-2(3)"), nist("AC-6(7)"), pci("8.2.6")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","created_at":"2024-01-01T00:00:00Z","properties":{"RoleLastUsed":{"LastUsedDate":"2026-11-20T00:00:00Z","Region":"us-east-1"}}}]}"#,
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","created_at":"2026-11-01T00:00:00Z","properties":{"RoleLastUsed":{}}}]}"#,
            // No last-used record, but CloudTrail shows its sessions at work.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","created_at":"2024-01-01T00:00:00Z"}],
                "activity":[{"principal":"arn:aws:iam::123456789012:role/r","action":"sqs:ListQueues","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"}],
                "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
        ],
        fail: &[
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","created_at":"2024-01-01T00:00:00Z","properties":{"RoleLastUsed":{"LastUsedDate":"2025-01-14T00:00:00Z","Region":"us-east-1"}}}]}"#,
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","created_at":"2024-01-01T00:00:00Z","properties":{"RoleLastUsed":{}}}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let usage = Usage::of(scan.snapshot);
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    for role in scan.principals(PrincipalKind::Role) {
        if role.path.as_deref().is_some_and(|p| p.starts_with("/aws-service-role/")) {
            continue;
        }
        if let Some(why) = scan.gap(&role.account_id, None, needs, false) {
            out.not_evaluated(role, why);
            continue;
        }
        if let Ok(w) = window(scan, &role.account_id) {
            if let Some(last) = used_in(&usage, role, &w) {
                out.pass(role, format!("its sessions made a call at {last} (CloudTrail)"));
                continue;
            }
        }
        let Some(used) = role.properties.get("RoleLastUsed") else {
            out.not_evaluated(role, "the snapshot has no last-used record for the role (RoleLastUsed)");
            continue;
        };
        let last = used.get("LastUsedDate").and_then(|d| d.as_str());
        match last.map(|t| (t, age_days(scan, t))) {
            Some((t, Some(days))) => out.verdict(
                role,
                days <= scan.unused_days,
                format!("last used {days} days ago ({t})"),
                json!({ "LastUsedDate": t, "days": days }),
            ),
            Some((t, None)) => out.not_evaluated(role, format!("unreadable LastUsedDate {t:?}")),
            // Never used (in the 400 days IAM tracks): judged by its age.
            None => match role.created_at.as_deref().map(|c| (c, age_days(scan, c))) {
                Some((c, Some(days))) => out.verdict(
                    role,
                    days <= scan.unused_days,
                    format!("never used; created {days} days ago ({c})"),
                    json!({ "LastUsedDate": null, "CreateDate": c, "days": days }),
                ),
                _ => out.not_evaluated(role, "never used, and the snapshot does not say when it was created"),
            },
        }
    }
}
