//! EFS file systems are encrypted at rest.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-efs-encrypted",
        title: "EFS file systems are encrypted at rest",
        severity: Severity::High,
        resource_type: "AWS::EFS::FileSystem",
        domain: Domain::Encryption,
        rationale: "An unencrypted file system leaves every file readable from the underlying storage and its backups. Encryption at rest is chosen when the file system is created.",
        remediation: Remediation {
            console: "EFS > Create file system with encryption enabled, copy the data (DataSync or AWS Backup restore), and move the mount targets to it.",
            cli: "aws efs create-file-system --encrypted --kms-key-id KEY --creation-token NAME",
            terraform: "resource \"aws_efs_file_system\" \"this\" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.efs.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html"],
        controls: &[cis("2.3.1"), nist("SC-28"), pci("3.5.1")],
        needs: &[need("efs", "DescribeFileSystems", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EFS::FileSystem","region":"us-east-1","properties":{"Encrypted":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EFS::FileSystem","region":"us-east-1","properties":{"Encrypted":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::EFS::FileSystem", "/Encrypted", true, |_| true);
}
