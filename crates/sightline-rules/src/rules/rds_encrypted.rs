//! RDS instances encrypt their storage.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-storage-encrypted",
        title: "RDS instances encrypt their storage",
        severity: Severity::High,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::Encryption,
        rationale: "An unencrypted database leaves its data, logs, backups and snapshots readable to anyone who gets the storage or a copy of a snapshot. Encryption can only be chosen at creation.",
        remediation: Remediation {
            console: "RDS > Snapshots: snapshot the instance, copy the snapshot with encryption (a KMS key), restore a new instance from the copy, and switch the application to it.",
            cli: "aws rds copy-db-snapshot --source-db-snapshot-identifier SNAP --target-db-snapshot-identifier SNAP-enc --kms-key-id KEY && aws rds restore-db-instance-from-db-snapshot --db-instance-identifier NEW --db-snapshot-identifier SNAP-enc",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  storage_encrypted = true\n  kms_key_id        = aws_kms_key.rds.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"],
        controls: &[cis("2.2.1"), nist("SC-28"), pci("3.5.1")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"StorageEncrypted":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"StorageEncrypted":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::RDS::DBInstance", "/StorageEncrypted", true, |_| true);
}
