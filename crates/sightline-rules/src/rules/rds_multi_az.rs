//! RDS instances run in several availability zones.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-multi-az",
        title: "RDS instances run in several availability zones",
        severity: Severity::Low,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::Backup,
        rationale: "A Multi-AZ deployment keeps a standby in another zone and fails over to it: an outage of one zone does not take the database down.",
        remediation: Remediation {
            console: "RDS > Databases > DB > Modify > Availability & durability: create a standby instance.",
            cli: "aws rds modify-db-instance --db-instance-identifier DB --multi-az --apply-immediately",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  multi_az = true\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html"],
        controls: &[cis("2.2.4"), nist("CP-10")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"MultiAZ":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"MultiAZ":false}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(on) = p.get("MultiAZ").and_then(Props::as_bool) else {
        return Err("the instance record has no MultiAZ".into());
    };
    Ok(Some((on, format!("Multi-AZ is {on}"), json!({ "MultiAZ": on }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::RDS::DBInstance", judge);
}
