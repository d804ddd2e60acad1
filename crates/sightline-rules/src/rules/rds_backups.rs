//! RDS instances keep automated backups.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-backups",
        title: "RDS instances keep automated backups",
        severity: Severity::Medium,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::Backup,
        rationale: "Without automated backups there is no point-in-time recovery: a bad migration, a ransomware operator or a deleted table cannot be undone.",
        remediation: Remediation {
            console: "RDS > Databases > DB > Modify > Backup: retention period of 7 days or more.",
            cli: "aws rds modify-db-instance --db-instance-identifier DB --backup-retention-period 7 --apply-immediately",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  backup_retention_period = 7\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"],
        controls: &[nist("CP-9"), pci("12.10.1")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"BackupRetentionPeriod":7}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"BackupRetentionPeriod":0}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(days) = p.get("BackupRetentionPeriod").and_then(Props::as_u64) else {
        return Err("the instance record has no BackupRetentionPeriod".into());
    };
    Ok(Some((
        days >= 7,
        format!("automated backups kept {days} day(s) (7 or more wanted)"),
        json!({ "BackupRetentionPeriod": days }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::RDS::DBInstance", judge);
}
