//! RDS snapshots are not shared publicly.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-snapshot-public",
        title: "RDS snapshots are not shared publicly",
        severity: Severity::Critical,
        resource_type: "AWS::RDS::DBSnapshot",
        domain: Domain::Data,
        rationale: "Any AWS account can restore a public DB snapshot into a database of its own and read all of its data.",
        remediation: Remediation {
            console: "RDS > Snapshots > SNAPSHOT > Actions > Share snapshot: DB snapshot visibility Private.",
            cli: "aws rds modify-db-snapshot-attribute --db-snapshot-identifier SNAPSHOT --attribute-name restore --values-to-remove all",
            terraform: "# Do not share snapshots with \"all\"; share with named accounts only (aws_db_snapshot has no public flag: fix in the console or CLI).",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("3.5.1")],
        needs: &[need("rds", "DescribeDBSnapshots", true), need("rds", "DescribeDBSnapshotAttributes", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBSnapshot","region":"us-east-1","properties":{"DBSnapshotAttributes":[{"AttributeName":"restore","AttributeValues":["111122223333"]}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBSnapshot","region":"us-east-1","properties":{"DBSnapshotAttributes":[{"AttributeName":"restore","AttributeValues":["all"]}]}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(attrs) = p.get("DBSnapshotAttributes").and_then(Props::as_array) else {
        return Err("the snapshot record has no DBSnapshotAttributes".into());
    };
    let public = attrs.iter().any(|a| {
        a.get("AttributeName").and_then(Props::as_str) == Some("restore")
            && a.get("AttributeValues")
                .and_then(Props::as_array)
                .into_iter()
                .flatten()
                .any(|v| v.as_str() == Some("all"))
    });
    Ok(Some((
        !public,
        if public { "any account can restore this snapshot".into() } else { "the snapshot is not public".into() },
        json!({ "public": public }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::RDS::DBSnapshot", judge);
}
