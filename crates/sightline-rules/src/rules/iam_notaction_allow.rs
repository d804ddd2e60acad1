//! No attached policy allows everything but a few actions (Allow with NotAction).

use super::identity_policies::each_policy;
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_iam::policy::{Effect, PolicyDocument, PolicyType};
use sightline_model::Severity;

const NEEDS: &[Need] = &[need("iam", "GetAccountAuthorizationDetails", false)];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-notaction-allow",
        title: "No attached IAM policy allows every action except a few (Allow with NotAction)",
        severity: Severity::High,
        resource_type: "AWS::IAM::ManagedPolicy",
        domain: Domain::AccessManagement,
        rationale: "\"Allow\" with \"NotAction\" grants every action of every service, present and future, except \
                    those listed. Written to mean \"everything but IAM\", it still allows, for example, \
                    organizations, sts, kms and every service AWS adds later.",
        remediation: Remediation {
            console: "IAM > Policies > POLICY > Edit: replace the NotAction statement with an Action list of what the job needs (use the access advisor to see what is used).",
            cli: "aws iam create-policy-version --policy-arn POLICY_ARN --policy-document file://scoped.json --set-as-default",
            terraform: "# Replace not_actions = [...] with actions = [...] listing what is needed.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"],
        controls: &[nist("AC-6"), pci("7.2.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"policies":[{"id":"arn:aws:iam::123456789012:policy/p","kind":"customer_managed","name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}}],"principals":[{"id":"arn:aws:iam::123456789012:role/r","kind":"role","name":"r","attached_policies":["arn:aws:iam::123456789012:policy/p"]}]}"#],
        fail: &[r#"{"policies":[{"id":"arn:aws:iam::123456789012:policy/p","kind":"customer_managed","name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}]}}],"principals":[{"id":"arn:aws:iam::123456789012:user/u","kind":"user","name":"u","attached_policies":["arn:aws:iam::123456789012:policy/p"]}]}"#],
    },
};

fn judge(out: &mut Out<'_>, subject: Subject<'_>, text: &str) {
    match PolicyDocument::parse(text, PolicyType::Identity) {
        Err(e) => out.not_evaluated(subject, format!("the policy cannot be read: {e}")),
        Ok(doc) => {
            let broad: Vec<serde_json::Value> = doc
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Allow && s.action.negated && s.conditions.is_empty())
                .map(|s| json!({ "index": s.index, "sid": s.sid, "not_action": s.action.patterns }))
                .collect();
            out.verdict(
                subject,
                broad.is_empty(),
                if broad.is_empty() {
                    "no unconditional Allow with NotAction".to_string()
                } else {
                    format!("{} statement(s) allow everything except the actions listed", broad.len())
                },
                json!({ "statements": broad }),
            );
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_policy(scan, out, NEEDS, judge);
}
