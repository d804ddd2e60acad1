//! Identities keep no permissions to actions they do not use.

use super::unused::{each_assessed, Seen};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_iam::actions::AccessLevel;
use sightline_model::Severity;
use std::collections::BTreeMap;

/// How many unused actions a finding names, per access level.
const NAMED: usize = 50;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-unused-actions",
        title: "Users and roles keep no permissions to actions they have not used for 90 days",
        severity: Severity::Low,
        resource_type: "AWS::IAM::Role",
        domain: Domain::Identity,
        rationale: "Within the services an identity does use, the actions it never calls (deleting, changing \
                    permissions, tagging...) are the excess an attacker inherits with its credentials. The actions it \
                    may perform are its effective permissions (the IAM engine); their use comes from imported \
                    CloudTrail logs and IAM's action-level last-accessed record. An action is called unused only \
                    when the logs would show its calls: reads only if the trail logs reads, data events only if it \
                    logs that service's data events. `sightline least-privilege ARN` writes the policy that keeps \
                    exactly the observed calls. The window is 90 days unless `scan --unused-days` says otherwise.",
        remediation: Remediation {
            console: "Replace the identity's policies with one that allows only the actions it uses (IAM Access Analyzer > Generate policy, or `sightline least-privilege ARN`).",
            cli: "sightline least-privilege ARN > policy.json && aws iam put-role-policy --role-name NAME --policy-name least-privilege --policy-document file://policy.json",
            terraform: "# Narrow the Action lists of the identity's aws_iam_policy documents to the actions it uses.",
        },
        references: &[
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-view-data.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
        ],
        controls: &[nist("AC-6"), nist("AC-6(7)"), pci("7.2.5")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ListQueues","sqs:CreateQueue"],"Resource":"*"}]}}]}],
                   "activity":[{"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:ListQueues","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"},
                               {"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:CreateQueue","count":1,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-01T00:00:00Z"}],
                   "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#],
        fail: &[
            // It may create and delete queues; it only ever created them.
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/app","kind":"role","name":"app","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:CreateQueue","sqs:DeleteQueue"],"Resource":"*"}]}}]}],
                "activity":[{"principal":"arn:aws:iam::123456789012:role/app","action":"sqs:CreateQueue","count":3,"first_seen":"2026-11-01T00:00:00Z","last_seen":"2026-11-02T00:00:00Z"}],
                "activity_periods":[{"from":"2026-08-01T00:00:00Z","to":"2026-11-27T00:00:00Z","events":10}]}"#,
        ],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_assessed(scan, out, true, |p, a, out| {
        if a.actions.is_empty() {
            out.not_evaluated(
                p,
                "it used none of the services it may use, so no action was judged (see aws-iam-unused-services)",
            );
            return;
        }
        let mut unused: BTreeMap<AccessLevel, Vec<&str>> = BTreeMap::new();
        let (mut used, mut unknown) = (0, 0);
        for (action, level, seen) in &a.actions {
            match seen {
                Seen::Unused => unused.entry(*level).or_default().push(action),
                Seen::Used(_) => used += 1,
                Seen::Unknown => unknown += 1,
            }
        }
        let total: usize = unused.values().map(Vec::len).sum();
        if total == 0 {
            out.pass(
                p,
                format!("used every judged action of the services it uses ({used} used, {unknown} not judged)"),
            );
            return;
        }
        let counts: Vec<String> = unused.iter().map(|(l, v)| format!("{} {}", v.len(), l.as_str())).collect();
        let named: BTreeMap<AccessLevel, Vec<&str>> =
            unused.iter().map(|(l, v)| (*l, v.iter().take(NAMED).copied().collect())).collect();
        let evidence = json!({
            "unused": named, "unused_count": total, "used_count": used, "not_judged_count": unknown,
            "sources": a.sources,
        });
        let message = format!(
            "may perform {total} action(s) of the services it uses that it has not used in {} days ({})",
            scan.unused_days,
            counts.join(", ")
        );
        out.fail(p, message, evidence);
    });
}
