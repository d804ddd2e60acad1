//! EBS snapshots are encrypted.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-snapshot-encrypted",
        title: "EBS snapshots are encrypted",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::Snapshot",
        domain: Domain::Encryption,
        rationale: "Data at rest in an unencrypted EBS snapshot is readable from the storage and from every copy; encryption with KMS adds a key permission to every read.",
        remediation: Remediation {
            console: "EC2 > Snapshots > SNAPSHOT > Actions > Copy snapshot: encrypt the copy, then delete the unencrypted one.",
            cli: "aws ec2 copy-snapshot --source-snapshot-id SNAP --source-region REGION --encrypted --kms-key-id KEY && aws ec2 delete-snapshot --snapshot-id SNAP",
            terraform: "resource \"aws_ebs_snapshot_copy\" \"this\" {\n  source_snapshot_id = \"SNAP\"\n  source_region      = \"REGION\"\n  encrypted          = true\n}",
        },
        references: &["https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("ec2", "DescribeSnapshots", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Snapshot","region":"us-east-1","properties":{"Encrypted":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Snapshot","region":"us-east-1","properties":{"Encrypted":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::EC2::Snapshot", "/Encrypted", true, |_| true);
}
