//! EBS volumes are encrypted.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Resource, Severity};

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

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Result<Option<(bool, String, Value)>, String> {
    let p = &r.properties;
    match p.get("Encrypted") {
        None => Err("the record has no Encrypted".into()),
        Some(v) => {
            let on = v.as_bool() == Some(true);
            Ok(Some((on, format!("Encrypted is {on}"), json!({ "Encrypted": on }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::EC2::Volume", RULE.meta.needs, |r, out| match judge(r) {
        Err(why) => out.not_evaluated(r, why),
        Ok(Some((ok, message, evidence))) => out.verdict(r, ok, message, evidence),
        Ok(None) => {}
    });
}
