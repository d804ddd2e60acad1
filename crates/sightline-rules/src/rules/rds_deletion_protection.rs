//! RDS instances have deletion protection.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-deletion-protection",
        title: "RDS instances have deletion protection",
        severity: Severity::Low,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::Backup,
        rationale: "Deletion protection stops a database from being deleted by a mistaken command, script or Terraform plan until someone turns it off on purpose.",
        remediation: Remediation {
            console: "RDS > Databases > DB > Modify > Deletion protection: enable.",
            cli: "aws rds modify-db-instance --db-instance-identifier DB --deletion-protection --apply-immediately",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  deletion_protection = true\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection"],
        controls: &[nist("CP-9")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"DeletionProtection":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"DeletionProtection":false}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(on) = p.get("DeletionProtection").and_then(Props::as_bool) else {
        return Err("the instance record has no DeletionProtection".into());
    };
    Ok(Some((on, format!("deletion protection is {on}"), json!({ "DeletionProtection": on }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::RDS::DBInstance", judge);
}
