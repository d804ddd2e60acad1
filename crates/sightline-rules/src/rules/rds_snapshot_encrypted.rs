//! RDS snapshots are encrypted.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Resource, Severity};

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
    each_resource(scan, out, "AWS::RDS::DBSnapshot", RULE.meta.needs, |r, out| match judge(r) {
        Err(why) => out.not_evaluated(r, why),
        Ok(Some((ok, message, evidence))) => out.verdict(r, ok, message, evidence),
        Ok(None) => {}
    });
}
