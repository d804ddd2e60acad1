//! Roles trusted by an OIDC provider check the token's subject.

use super::trust::{each_role, outsider, outsiders};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_iam::policy::{PolicyDocument, PolicyType};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-role-trust-oidc-subject",
        title: "Roles trusted by an OIDC provider restrict the token's subject",
        severity: Severity::Critical,
        resource_type: "AWS::IAM::Role",
        domain: Domain::AccessManagement,
        rationale: "Providers such as GitHub Actions issue tokens to every repository of every user. A trust policy \
                    that accepts the provider without a condition on the subject (`sub`: repository, branch, \
                    service account) lets anyone's workflow assume the role.",
        remediation: Remediation {
            console: "IAM > Roles > ROLE > Trust relationships > Edit trust policy: add Condition StringEquals (or StringLike) PROVIDER:sub, e.g. token.actions.githubusercontent.com:sub = repo:ORG/REPO:ref:refs/heads/main.",
            cli: "aws iam update-assume-role-policy --role-name ROLE --policy-document file://trust-with-sub.json",
            terraform: "condition {\n  test     = \"StringEquals\"\n  variable = \"token.actions.githubusercontent.com:sub\"\n  values   = [\"repo:ORG/REPO:ref:refs/heads/main\"]\n}",
        },
        references: &["https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html"],
        controls: &[nist("AC-3"), nist("IA-8")],
        needs: &[need("iam", "GetAccountAuthorizationDetails", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/deploy","kind":"role","name":"deploy","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main"}}}]}}]}"#],
        fail: &[r#"{"principals":[{"id":"arn:aws:iam::123456789012:role/deploy","kind":"role","name":"deploy","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_role(scan, out, |authz, role, out| {
        let Some(trust) = role.trust_policy.as_ref() else { return };
        let Ok(doc) = PolicyDocument::parse(trust.get(), PolicyType::Trust) else {
            out.not_evaluated(role, "the trust policy cannot be read");
            return;
        };
        let providers: Vec<&str> = doc
            .statements
            .iter()
            .filter_map(|s| s.principal.as_ref())
            .flat_map(|p| p.federated.iter().map(String::as_str))
            .filter(|f| f.contains(":oidc-provider/"))
            .collect();
        if providers.is_empty() {
            return;
        }
        let mut open = Vec::new();
        for provider in providers {
            let host = provider.split(":oidc-provider/").nth(1).unwrap_or_default();
            // A stranger's token from the same provider: the audience AWS expects, a subject of their own.
            let mut context = outsider();
            context.insert(&format!("{host}:aud"), vec!["sts.amazonaws.com".into()]);
            context.insert(&format!("{host}:sub"), vec!["repo:sightline-outsider/probe:ref:refs/heads/main".into()]);
            match outsiders(authz, role, "sts:AssumeRoleWithWebIdentity", &context, |a| a.principal == provider) {
                Err(e) => {
                    out.not_evaluated(role, e);
                    return;
                }
                Ok(found) if !found.is_empty() => open.push(provider.to_string()),
                Ok(_) => {}
            }
        }
        out.verdict(
            role,
            open.is_empty(),
            if open.is_empty() {
                "every OIDC trust restricts the subject".to_string()
            } else {
                format!("a token of any subject from {} can assume the role", open.join(", "))
            },
            json!({ "providers": open }),
        );
    });
}
