//! EFS file systems are backed up automatically.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-efs-backup-policy",
        title: "EFS file systems are backed up automatically",
        severity: Severity::Low,
        resource_type: "AWS::EFS::FileSystem",
        domain: Domain::Backup,
        rationale: "Automatic backups with AWS Backup make deleted or encrypted-by-ransomware files recoverable.",
        remediation: Remediation {
            console: "EFS > File systems > FS > Edit > Automatic backups: enable.",
            cli: "aws efs put-backup-policy --file-system-id FS_ID --backup-policy Status=ENABLED",
            terraform: "resource \"aws_efs_backup_policy\" \"this\" {\n  file_system_id = aws_efs_file_system.this.id\n  backup_policy {\n    status = \"ENABLED\"\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html"],
        controls: &[nist("CP-9")],
        needs: &[need("efs", "DescribeBackupPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EFS::FileSystem","region":"us-east-1","properties":{"BackupPolicy":{"Status":"ENABLED"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EFS::FileSystem","region":"us-east-1","properties":{"BackupPolicy":null}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    match p.get("BackupPolicy") {
        None => Err("the file system record has no BackupPolicy".into()),
        Some(v) => {
            let status = v.get("Status").and_then(Props::as_str).unwrap_or("DISABLED");
            Ok(Some((status == "ENABLED", format!("automatic backups are {status}"), json!({ "Status": status }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::EFS::FileSystem", judge);
}
