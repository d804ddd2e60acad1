//! No IAM user or role can make itself an administrator.

use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{PrincipalKind, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-privilege-escalation",
        title: "No IAM user or role can escalate to administrator",
        severity: Severity::High,
        resource_type: "AWS::IAM::User",
        domain: Domain::AccessManagement,
        rationale: "A principal that can change its own policies, mint credentials for another user, or pass an \
                    administrator role to a service it controls is an administrator in all but name: its \
                    permissions, reviewed one policy at a time, understate what it can do. The security graph \
                    (see `sightline privesc`) decides every move with the IAM engine, across policies, groups and \
                    roles.",
        remediation: Remediation {
            console: "IAM > the principal: remove the permission named by the first hop of the path in the evidence (for example iam:PassRole on \"*\", or iam:Attach*Policy on itself), or scope it to the resources and services it needs (iam:PassedToService).",
            cli: "sightline privesc --format json   # the path and the statements; then: aws iam put-user-policy / put-role-policy / detach-*-policy to narrow them",
            terraform: "data \"aws_iam_policy_document\" \"deploy\" {\n  statement {\n    actions   = [\"iam:PassRole\"]\n    resources = [\"arn:aws:iam::111122223333:role/app-runtime\"]\n    condition {\n      test     = \"StringEquals\"\n      variable = \"iam:PassedToService\"\n      values   = [\"lambda.amazonaws.com\"]\n    }\n  }\n}",
        },
        references: &[
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        ],
        controls: &[nist("AC-6"), nist("AC-6(5)"), pci("7.2.2")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/u","kind":"user","name":"u","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::123456789012:user/someone-else"}]}}]}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/u","kind":"user","name":"u","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::123456789012:user/u"}]}}]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let authz = match scan.authorizer() {
        Ok(a) => Some(a),
        Err(why) => {
            for account in scan.aws_accounts().collect::<Vec<_>>() {
                out.not_evaluated(Subject::account(account), why.to_string());
            }
            None
        }
    };
    let Some(authz) = authz else { return };
    let found = sightline_graph::privesc(scan.snapshot, authz);
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    let principals = scan.principals(PrincipalKind::User).chain(scan.principals(PrincipalKind::Role));
    for p in principals {
        if p.path.as_deref().is_some_and(|path| path.starts_with("/aws-service-role/")) {
            continue;
        }
        if let Some(why) = scan.gap(&p.account_id, None, needs, false) {
            out.not_evaluated(p, why);
            continue;
        }
        if found.admins.contains(&p.id) {
            out.pass(p, "already an effective administrator (not an escalation)");
            continue;
        }
        match found.escalations.iter().find(|e| e.principal == p.id) {
            None => out.pass(p, "no path to administrator"),
            Some(e) => {
                let hops: Vec<String> = e.path.iter().map(|h| format!("{} -> {}", h.technique, h.to)).collect();
                out.fail(
                    p,
                    format!("can become an administrator in {} step(s): {}", e.path.len(), hops.join(", ")),
                    json!({ "path": e.path }),
                );
            }
        }
    }
}
