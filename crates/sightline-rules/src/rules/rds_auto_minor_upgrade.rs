//! RDS instances take minor engine upgrades automatically.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-auto-minor-upgrade",
        title: "RDS instances take minor engine upgrades automatically",
        severity: Severity::Low,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::Configuration,
        rationale: "Minor engine versions carry security fixes; with automatic minor upgrades, they are applied in the maintenance window instead of waiting for someone to remember.",
        remediation: Remediation {
            console: "RDS > Databases > DB > Modify > Maintenance: enable auto minor version upgrade.",
            cli: "aws rds modify-db-instance --db-instance-identifier DB --auto-minor-version-upgrade --apply-immediately",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  auto_minor_version_upgrade = true\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html#USER_UpgradeDBInstance.Upgrading.AutoMinorVersionUpgrades"],
        controls: &[cis("2.2.2"), nist("SI-2"), pci("6.3.3")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"AutoMinorVersionUpgrade":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"AutoMinorVersionUpgrade":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::RDS::DBInstance", "/AutoMinorVersionUpgrade", true, |_| true);
}
