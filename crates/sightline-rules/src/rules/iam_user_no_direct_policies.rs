//! Users get their permissions through groups only.

use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{PrincipalKind, Severity};

const NEEDS: &[Need] = &[need("iam", "GetAccountAuthorizationDetails", false)];

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-user-no-direct-policies",
        title: "IAM users receive permissions only through groups",
        severity: Severity::Low,
        resource_type: "AWS::IAM::User",
        domain: Domain::AccessManagement,
        rationale: "Permissions attached to individual users drift: they are granted for one task and never taken \
                    back, and nobody reviews them group by group. Granting through groups keeps access reviewable.",
        remediation: Remediation {
            console: "IAM > Users > USER > Permissions: detach managed policies and delete inline ones after adding the user to a group that grants what they need.",
            cli: "aws iam add-user-to-group --user-name USER --group-name GROUP && aws iam detach-user-policy --user-name USER --policy-arn POLICY_ARN && aws iam delete-user-policy --user-name USER --policy-name NAME",
            terraform: "resource \"aws_iam_user_group_membership\" \"user\" {\n  user   = aws_iam_user.user.name\n  groups = [aws_iam_group.team.name]\n}\n# and remove aws_iam_user_policy / aws_iam_user_policy_attachment resources",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html"],
        controls: &[cis("1.14"), nist("AC-2"), nist("AC-6"), pci("7.2.2")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/bob","kind":"user","name":"bob","groups":["arn:aws:iam::123456789012:group/dev"]}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:user/alice","kind":"user","name":"alice","attached_policies":["arn:aws:iam::aws:policy/AdministratorAccess"]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, NEEDS, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    for user in scan.principals(PrincipalKind::User) {
        if let Some(why) = scan.gap(&user.account_id, None, NEEDS, false) {
            out.not_evaluated(user, why);
            continue;
        }
        let inline: Vec<&str> = user.inline_policies.iter().map(|p| p.name.as_str()).collect();
        let direct = user.attached_policies.len() + inline.len();
        out.verdict(
            user,
            direct == 0,
            if direct == 0 {
                "no policy attached to the user itself".to_string()
            } else {
                format!("{direct} polic(ies) attached to the user itself")
            },
            json!({ "attached": user.attached_policies, "inline": inline }),
        );
    }
}
