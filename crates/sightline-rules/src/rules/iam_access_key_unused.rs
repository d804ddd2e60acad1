//! Access keys unused for 90 days are deactivated.

use super::unused::{recent, window};
use super::util::{age_days, need};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_activity::{parse_time, Usage};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-access-key-unused",
        title: "Active access keys not used for 90 days are deactivated",
        severity: Severity::Medium,
        resource_type: "AWS::IAM::AccessKey",
        domain: Domain::Identity,
        rationale: "An active key that signs nothing is a long-lived secret kept for no one: it leaks from old \
                    laptops, CI settings and repositories and still works. IAM records when each key was last used \
                    (GetAccessKeyLastUsed); imported CloudTrail logs show the calls each key signed. The window is \
                    90 days unless `scan --unused-days` says otherwise.",
        remediation: Remediation {
            console: "IAM > Users > USER > Security credentials > Access keys: Actions > Deactivate, then delete it once nothing breaks.",
            cli: "aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive",
            terraform: "# Set status = \"Inactive\" on the aws_iam_access_key, then remove it.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey"],
        controls: &[nist("AC-2(3)"), nist("IA-5(1)"), pci("8.2.6")],
        needs: &[need("iam", "ListAccessKeys", false), need("iam", "GetAccessKeyLastUsed", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIAOLD","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIAOLD","Status":"Active","CreateDate":"2024-01-01T00:00:00Z","AccessKeyLastUsed":{"LastUsedDate":"2026-11-25T00:00:00Z","ServiceName":"s3"}}}]}"#,
            // IAM says it was last used long ago, but CloudTrail shows it signing a call this month.
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIAOLD","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIAOLD","Status":"Active","CreateDate":"2024-01-01T00:00:00Z","AccessKeyLastUsed":{"LastUsedDate":"2025-01-01T00:00:00Z"}}}],
                "activity":[{"principal":"arn:aws:iam::123456789012:user/ci","action":"s3:ListAllMyBuckets","access_key_id":"AKIAOLD","count":1,"first_seen":"2026-11-20T00:00:00Z","last_seen":"2026-11-20T00:00:00Z"}],
                "activity_periods":[{"from":"2026-07-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
            // Inactive keys are not judged; a new key is not unused yet.
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIANEW","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIANEW","Status":"Active","CreateDate":"2026-11-01T00:00:00Z","AccessKeyLastUsed":{"ServiceName":"N/A"}}},
                            {"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIAOFF","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIAOFF","Status":"Inactive","CreateDate":"2020-01-01T00:00:00Z"}}]}"#,
        ],
        fail: &[
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIAOLD","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIAOLD","Status":"Active","CreateDate":"2024-01-01T00:00:00Z","AccessKeyLastUsed":{"LastUsedDate":"2025-06-01T00:00:00Z","ServiceName":"s3"}}}]}"#,
            r#"{"resources":[{"id":"arn:aws:iam::123456789012:user/ci/access-key/AKIAOLD","resource_type":"AWS::IAM::AccessKey","properties":{"UserName":"ci","AccessKeyId":"AKIAOLD","Status":"Active","CreateDate":"2024-01-01T00:00:00Z","AccessKeyLastUsed":{"ServiceName":"N/A","Region":"N/A"}}}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let usage = Usage::of(scan.snapshot);
    let days = scan.unused_days;
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, true) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    for key in scan.resources("AWS::IAM::AccessKey") {
        if let Some(why) = scan.gap(&key.account_id, None, needs, true) {
            out.not_evaluated(key, why);
            continue;
        }
        let p = &key.properties;
        let text = |k: &str| p.get(k).and_then(|v| v.as_str());
        if text("Status") != Some("Active") {
            continue;
        }
        let id = text("AccessKeyId").unwrap_or_default();
        if let Some(age) = text("CreateDate").and_then(|c| age_days(scan, c)) {
            if age <= days {
                out.pass(key, format!("created {age} days ago"));
                continue;
            }
        }
        let trail = window(scan, &key.account_id);
        if let (Ok(w), Some(last)) = (&trail, usage.key(id)) {
            if parse_time(last).is_some_and(|t| t >= w.from) {
                out.pass(key, format!("signed a call at {last} (CloudTrail)"));
                continue;
            }
        }
        let Some(last_used) = p.get("AccessKeyLastUsed") else {
            out.not_evaluated(key, "the snapshot has no last-used record for the key (GetAccessKeyLastUsed)");
            continue;
        };
        match last_used.get("LastUsedDate").and_then(|d| d.as_str()) {
            Some(t) if recent(scan, t) == Some(true) => out.pass(key, format!("last used at {t}")),
            Some(t) if recent(scan, t).is_none() => out.not_evaluated(key, format!("unreadable LastUsedDate {t:?}")),
            last => out.fail(
                key,
                match last {
                    Some(t) => format!("active, last used at {t}, more than {days} days ago"),
                    None => "active and never used".to_string(),
                },
                json!({ "AccessKeyId": id, "UserName": text("UserName"), "LastUsedDate": last, "window_days": days }),
            ),
        }
    }
}
