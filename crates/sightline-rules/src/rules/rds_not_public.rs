//! RDS instances are not publicly accessible.

use super::util::{expect_bool, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-rds-not-public",
        title: "RDS instances are not publicly accessible",
        severity: Severity::Critical,
        resource_type: "AWS::RDS::DBInstance",
        domain: Domain::NetworkControls,
        rationale: "A publicly accessible instance gets a public DNS name and address: its database port is then one security-group rule away from the internet, and exposed to credential guessing.",
        remediation: Remediation {
            console: "RDS > Databases > DB > Modify > Connectivity > Additional configuration: Not publicly accessible.",
            cli: "aws rds modify-db-instance --db-instance-identifier DB --no-publicly-accessible --apply-immediately",
            terraform: "resource \"aws_db_instance\" \"this\" {\n  # ...\n  publicly_accessible = false\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding"],
        controls: &[cis("2.2.3"), nist("AC-3"), nist("SC-7"), pci("1.4.1")],
        needs: &[need("rds", "DescribeDBInstances", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"PubliclyAccessible":false}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::RDS::DBInstance","region":"us-east-1","properties":{"PubliclyAccessible":true}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    expect_bool(scan, out, "AWS::RDS::DBInstance", "/PubliclyAccessible", false, |_| true);
}
