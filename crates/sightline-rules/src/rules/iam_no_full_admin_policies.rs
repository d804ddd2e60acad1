//! No attached policy grants `*:*`.

use super::identity_policies::each_policy;
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_iam::policy::{Effect, PolicyDocument, PolicyType, Statement};
use sightline_model::Severity;

const NEEDS: &[Need] = &[need("iam", "GetAccountAuthorizationDetails", false)];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-no-full-admin-policies",
        title: "No attached IAM policy allows every action on every resource (\"*:*\")",
        severity: Severity::High,
        resource_type: "AWS::IAM::ManagedPolicy",
        domain: Domain::AccessManagement,
        rationale: "A policy that allows all actions on all resources makes whoever holds it an administrator, \
                    including of IAM itself. Least privilege starts with granting only the actions a job needs.",
        remediation: Remediation {
            console: "IAM > Policies > POLICY > Entities attached: detach it from every user, group and role, and grant scoped policies instead.",
            cli: "aws iam detach-role-policy --role-name ROLE --policy-arn POLICY_ARN (and detach-user-policy / detach-group-policy; delete-*-policy for inline policies)",
            terraform: "# Replace the statement { actions = [\"*\"] resources = [\"*\"] } with the actions and resources the job needs.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"],
        controls: &[cis("1.15"), nist("AC-6"), pci("7.2.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"policies":[{"id":"arn:aws:iam::123456789012:policy/read","kind":"customer_managed","name":"read","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}}],"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","attached_policies":["arn:aws:iam::123456789012:policy/read"]}]}"#],
        fail: &[
            r#"{"policies":[{"id":"arn:aws:iam::123456789012:policy/star","kind":"customer_managed","name":"star","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}]}}],"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","attached_policies":["arn:aws:iam::123456789012:policy/star"]}]}"#,
            r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/u","kind":"user","name":"u","inline_policies":[{"name":"all","document":{"Statement":{"Effect":"Allow","Action":"**:*","Resource":"*"}}}]}]}"#,
        ],
    },
};

/// Whether an action pattern (lower-cased) matches every action, in any spelling: `*`, `*:*`, `**:**`...
fn every_action(pattern: &str) -> bool {
    let stars = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'*');
    match pattern.split_once(':') {
        None => stars(pattern),
        Some((service, action)) => stars(service) && stars(action),
    }
}

/// The statements of a document that allow every action on every resource without a condition.
fn full_admin(document: &PolicyDocument) -> Vec<&Statement> {
    document
        .statements
        .iter()
        .filter(|s| {
            s.effect == Effect::Allow
                && s.conditions.is_empty()
                && !s.action.negated
                && s.action.patterns.iter().any(|p| every_action(p))
                && s.resource.as_ref().is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.as_str() == "*"))
        })
        .collect()
}

fn statements_evidence(statements: &[&Statement]) -> serde_json::Value {
    json!(statements.iter().map(|s| json!({ "index": s.index, "sid": s.sid })).collect::<Vec<_>>())
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_policy(scan, out, NEEDS, judge);
}

fn judge(out: &mut Out<'_>, subject: Subject<'_>, text: &str) {
    match PolicyDocument::parse(text, PolicyType::Identity) {
        Err(e) => out.not_evaluated(subject, format!("the policy cannot be read: {e}")),
        Ok(document) => {
            let admin = full_admin(&document);
            out.verdict(
                subject,
                admin.is_empty(),
                if admin.is_empty() {
                    "no statement allows every action on every resource".to_string()
                } else {
                    format!("{} statement(s) allow every action on every resource, unconditionally", admin.len())
                },
                json!({ "statements": statements_evidence(&admin) }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::every_action;

    #[test]
    fn spellings_of_everything() {
        for p in ["*", "*:*", "**", "**:***"] {
            assert!(every_action(p), "{p}");
        }
        for p in ["s3:*", "*:get*", "?:*", "*:", ":*", "iam:*"] {
            assert!(!every_action(p), "{p}");
        }
    }
}
