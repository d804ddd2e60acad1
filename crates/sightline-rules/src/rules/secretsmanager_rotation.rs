//! Secrets Manager secrets rotate automatically.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-secretsmanager-rotation",
        title: "Secrets Manager secrets rotate automatically",
        severity: Severity::Medium,
        resource_type: "AWS::SecretsManager::Secret",
        domain: Domain::Identity,
        rationale: "A secret that never changes stays valid for as long as any copy of it exists: in logs, laptops, former employees' notes. Rotation bounds that.",
        remediation: Remediation {
            console: "Secrets Manager > Secrets > SECRET > Rotation > Edit rotation: automatic rotation with a schedule and a rotation function.",
            cli: "aws secretsmanager rotate-secret --secret-id SECRET --rotation-lambda-arn FUNCTION_ARN --rotation-rules AutomaticallyAfterDays=30",
            terraform: "resource \"aws_secretsmanager_secret_rotation\" \"this\" {\n  secret_id           = aws_secretsmanager_secret.this.id\n  rotation_lambda_arn = aws_lambda_function.rotate.arn\n  rotation_rules {\n    automatically_after_days = 30\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html"],
        controls: &[nist("IA-5(1)"), pci("8.3.9")],
        needs: &[need("secretsmanager", "ListSecrets", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","properties":{"RotationEnabled":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SecretsManager::Secret","region":"us-east-1","properties":{"Name":"s"}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    // ListSecrets leaves RotationEnabled out for secrets that never had rotation.
    let on = p.get("RotationEnabled").and_then(Props::as_bool) == Some(true);
    Ok(Some((
        on,
        if on { "rotation is on".into() } else { "rotation is off".into() },
        json!({ "RotationEnabled": on }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::SecretsManager::Secret", judge);
}
