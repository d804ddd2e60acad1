//! RDS snapshots are encrypted.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-snapshot-encrypted",
        title: "RDS snapshots are encrypted",
        severity: Severity::Medium,
        resource_type: "AWS::RDS::DBSnapshot",
        domain: Domain::Encryption,
        rationale: "Data at rest in an unencrypted database snapshot is readable from the storage and from every copy; encryption with KMS adds a key permission to every read.",
        remediation: Remediation {
            console: "RDS > Snapshots > SNAPSHOT > Actions > Copy snapshot: enable encryption, then delete the unencrypted snapshot.",
            cli: "aws rds copy-db-snapshot --source-db-snapshot-identifier SNAP --target-db-snapshot-identifier SNAP-enc --kms-key-id KEY",
            terraform: "# Encrypt the source instance (storage_encrypted = true): its snapshots are then encrypted.",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("rds", "DescribeDBSnapshots", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBSnapshot","region":"us-east-1","properties":{"Encrypted":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBSnapshot","region":"us-east-1","properties":{"Encrypted":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::RDS::DBSnapshot", "/Encrypted", true, |_| true);
}
