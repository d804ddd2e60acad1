//! EBS volumes are encrypted.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-volume-encrypted",
        title: "EBS volumes are encrypted",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::Volume",
        domain: Domain::Encryption,
        rationale: "Data at rest in an unencrypted EBS volume is readable from the storage and from every copy; encryption with KMS adds a key permission to every read.",
        remediation: Remediation {
            console: "EC2 > Volumes: snapshot the volume, copy the snapshot with encryption, create a volume from it and swap it in; turn on EBS encryption by default.",
            cli: "aws ec2 copy-snapshot --source-snapshot-id SNAP --source-region REGION --encrypted --kms-key-id KEY",
            terraform: "resource \"aws_ebs_volume\" \"this\" {\n  # ...\n  encrypted  = true\n  kms_key_id = aws_kms_key.ebs.arn\n}",
        },
        references: &["https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[need("ec2", "DescribeVolumes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Volume","region":"us-east-1","properties":{"Encrypted":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Volume","region":"us-east-1","properties":{"Encrypted":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::EC2::Volume", "/Encrypted", true, |_| true);
}
