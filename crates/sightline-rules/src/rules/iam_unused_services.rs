//! Identities keep no permissions to services they do not use.

use super::unused::{each_assessed, Seen};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

/// How many unused services a finding's message names (the evidence has them all).
const NAMED: usize = 20;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-unused-services",
        title: "Users and roles keep no permissions to services they have not used for 90 days",
        severity: Severity::Low,
        resource_type: "AWS::IAM::Role",
        domain: Domain::Identity,
        rationale: "Permissions to a service an identity never calls serve no one and widen what a stolen \
                    credential can do. The services it may use are its effective permissions (the IAM engine, with \
                    boundaries and organization policies); their use comes from IAM's service-last-accessed record \
                    (when the snapshot has it) and from imported CloudTrail logs. From CloudTrail, a service is \
                    called unused only when a call of any action it allows would be in the account's logs over \
                    the window: not when some are data events the trail does not log, permissions never logged as \
                    calls (iam:PassRole), reads or writes the trail leaves out, or KMS events it excludes. The \
                    window is 90 days unless `scan --unused-days` says otherwise.",
        remediation: Remediation {
            console: "IAM > Roles (or Users) > NAME > Last accessed: remove the services not used from its policies, or replace them with `sightline least-privilege ARN`.",
            cli: "sightline least-privilege ARN > policy.json && aws iam put-role-policy --role-name NAME --policy-name least-privilege --policy-document file://policy.json",
            terraform: "# Narrow the Action lists of the identity's aws_iam_policy documents to the services it uses.",
        },
        references: &[
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials",
        ],
        controls: &[nist("AC-6"), nist("AC-6(7)"), pci("7.2.5")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ListQueues","sqs:CreateQueue"],"Resource":"*"}]}}]}],
                   "activity":[{"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:ListQueues","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"}],
                   "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
            // SNS is never called, but the logs hold no write at all (a trail of reads only): not judged.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ListQueues","sns:CreateTopic","iam:PassRole"],"Resource":"*"}]}}]}],
                   "activity":[{"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:ListQueues","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"}],
                   "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
        ],
        fail: &[
            // It may use SQS and SNS; CloudTrail shows only SQS (and, from another role, that writes are logged).
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ListQueues","sns:CreateTopic"],"Resource":"*"}]}}]}],
                "activity":[{"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:ListQueues","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"},
                            {"principal":"arn:aws:iam::123456789012:role/other","action":"sqs:CreateQueue","count":1,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-01T00:00:00Z"}],
                "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
            // IAM's own record: SNS last used a year ago.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ListQueues","sns:CreateTopic"],"Resource":"*"}]}}],
                "properties":{"ServicesLastAccessed":[{"ServiceNamespace":"sqs","LastAuthenticated":"2026-11-20T00:00:00Z"},{"ServiceNamespace":"sns","LastAuthenticated":"2025-10-01T00:00:00Z"}]}}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_assessed(scan, out, false, |p, a, out| {
        let pick = |want: fn(&Seen) -> bool| -> Vec<&str> {
            a.services.iter().filter(|(_, s)| want(s)).map(|(n, _)| n.as_str()).collect()
        };
        let unused = pick(|s| *s == Seen::Unused);
        let used = pick(|s| matches!(s, Seen::Used(_)));
        let unknown = pick(|s| *s == Seen::Unknown);
        let evidence = json!({ "unused": unused, "used": used, "not_judged": unknown, "sources": a.sources });
        if unused.is_empty() {
            out.pass(
                p,
                format!(
                    "used {} of the {} services it may use{}",
                    used.len(),
                    a.services.len(),
                    if unknown.is_empty() { String::new() } else { format!(" ({} not judged)", unknown.len()) }
                ),
            );
        } else {
            out.fail(
                p,
                format!(
                    "may use {} service(s) it has not used in {} days: {}{}",
                    unused.len(),
                    scan.unused_days,
                    unused.iter().take(NAMED).copied().collect::<Vec<_>>().join(", "),
                    if unused.len() > NAMED { format!(" and {} more", unused.len() - NAMED) } else { String::new() }
                ),
                evidence,
            );
        }
    });
}
