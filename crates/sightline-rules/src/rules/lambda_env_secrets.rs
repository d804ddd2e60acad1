//! Lambda environment variables hold no secrets.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-lambda-env-no-secrets",
        title: "Lambda environment variables hold no secrets",
        severity: Severity::High,
        resource_type: "AWS::Lambda::Function",
        domain: Domain::Data,
        rationale: "Environment variables are shown to anyone who can read the function's configuration (lambda:GetFunction), and copied into every tool that inventories it. Secrets belong in Secrets Manager or Parameter Store.",
        remediation: Remediation {
            console: "Move the value to Secrets Manager, give the function role secretsmanager:GetSecretValue on it, read it at start-up, and delete the variable.",
            cli: "aws secretsmanager create-secret --name NAME --secret-string VALUE && aws lambda update-function-configuration --function-name FUNCTION --environment Variables={...without the secret...}",
            terraform: "resource \"aws_secretsmanager_secret\" \"this\" {\n  name = \"NAME\"\n}\n# and reference the secret's ARN, not its value, in the function's environment",
        },
        references: &["https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption"],
        controls: &[nist("IA-5(7)"), nist("SC-28"), pci("8.3.2")],
        needs: &[need("lambda", "ListFunctions", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"Environment":{"Variables":{"STAGE":"prod","SECRET_ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:x"}}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"Environment":{"Variables":{"DB_PASSWORD":"hunter2"}}}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    // Names that say "secret"; the values are never read into the finding.
    const HINTS: &[&str] =
        &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL"];
    let names: Vec<&str> = p
        .pointer("/Environment/Variables")
        .and_then(Props::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, v)| {
            let u = k.to_ascii_uppercase();
            // A name or ARN that points at a secret store is the right way to pass one.
            let reference = ["_ARN", "_NAME", "_ID", "_PATH", "_PARAMETER"].iter().any(|s| u.ends_with(s))
                || v.as_str().is_some_and(|v| v.starts_with("arn:") || v.starts_with("{{resolve:"));
            HINTS.iter().any(|h| u.contains(h)) && !reference
        })
        .map(|(k, _)| &**k)
        .collect();
    Ok(Some((
        names.is_empty(),
        if names.is_empty() {
            "no variable name suggests a secret".into()
        } else {
            format!("variables that look like secrets: {}", names.join(", "))
        },
        json!({ "variables": names }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::Lambda::Function", judge);
}
