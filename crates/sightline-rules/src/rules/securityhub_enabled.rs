//! AWS Security Hub is enabled in every region.

use super::util::{need, on_in_every_region};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-securityhub-enabled",
        title: "AWS Security Hub is enabled in every region",
        severity: Severity::Medium,
        resource_type: "AWS::Region",
        domain: Domain::Logging,
        rationale: "Security Hub gathers findings from GuardDuty, Inspector, Macie, Config and partners, and runs the AWS security standards: without it, the findings of a region are scattered or never looked at.",
        remediation: Remediation {
            console: "Security Hub > Go to Security Hub > Enable Security Hub (in each region, or centrally with delegated administration).",
            cli: "aws securityhub enable-security-hub --region REGION --enable-default-standards",
            terraform: "resource \"aws_securityhub_account\" \"this\" {}",
        },
        references: &["https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html"],
        controls: &[cis("4.16"), nist("SI-4"), pci("10.4.1")],
        needs: &[need("securityhub", "DescribeHub", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::SecurityHub::Hub","region":"us-east-1","properties":{"HubArn":"arn:aws:securityhub:us-east-1:123456789012:hub/default"}}]}"#],
        fail: &[r#"{"resources":[]}"#],
    },
};

fn on(_: &Resource) -> bool {
    true
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    on_in_every_region(scan, out, "AWS::SecurityHub::Hub", "Security Hub", on);
}
