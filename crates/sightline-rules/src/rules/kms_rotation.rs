//! Customer-managed symmetric KMS keys rotate.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-kms-key-rotation",
        title: "Customer-managed symmetric KMS keys rotate",
        severity: Severity::Medium,
        resource_type: "AWS::KMS::Key",
        domain: Domain::Encryption,
        rationale: "Rotation limits how much data one key version protects and how long a compromised key version stays useful. AWS rotates the key material yearly (or on the period set) without changing the key id.",
        remediation: Remediation {
            console: "KMS > Customer managed keys > KEY > Key rotation: automatically rotate this KMS key every year.",
            cli: "aws kms enable-key-rotation --key-id KEY_ID",
            terraform: "resource \"aws_kms_key\" \"this\" {\n  enable_key_rotation = true\n}",
        },
        references: &["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
        controls: &[cis("3.6"), nist("SC-12"), pci("3.7.4")],
        needs: &[need("kms", "GetKeyRotationStatus", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::KMS::Key","region":"us-east-1","properties":{"KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","KeyRotationEnabled":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::KMS::Key","region":"us-east-1","properties":{"KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","KeyRotationEnabled":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::KMS::Key", "/KeyRotationEnabled", true, |k| {
        let s = |p: &str| k.properties.pointer(p).and_then(Props::as_str);
        s("/KeyManager") == Some("CUSTOMER")
            && s("/KeySpec").unwrap_or("SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
            && s("/KeyState") != Some("PendingDeletion")
    });
}
