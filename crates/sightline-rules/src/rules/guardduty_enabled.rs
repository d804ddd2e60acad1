//! GuardDuty watches every region.

use super::util::{need, on_in_every_region};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-guardduty-enabled",
        title: "GuardDuty is enabled in every region",
        severity: Severity::Medium,
        resource_type: "AWS::Region",
        domain: Domain::Logging,
        rationale: "GuardDuty turns CloudTrail, VPC flow and DNS logs into threat findings (credential misuse, crypto \
                    mining, reconnaissance). Attackers favour regions nobody watches.",
        remediation: Remediation {
            console: "GuardDuty > Get started > Enable GuardDuty, in every region (or through the organization's delegated administrator).",
            cli: "aws guardduty create-detector --enable --region REGION",
            terraform: "resource \"aws_guardduty_detector\" \"this\" {\n  enable = true\n}",
        },
        references: &["https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html"],
        controls: &[nist("SI-4"), pci("11.5.1")],
        needs: &[need("guardduty", "ListDetectors", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:guardduty:us-east-1:123456789012:detector/d","resource_type":"AWS::GuardDuty::Detector","region":"us-east-1","properties":{"Status":"ENABLED"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:guardduty:us-east-1:123456789012:detector/d","resource_type":"AWS::GuardDuty::Detector","region":"us-east-1","properties":{"Status":"DISABLED"}}]}"#],
    },
};

fn on(r: &Resource) -> bool {
    r.properties.get("Status").and_then(Props::as_str) == Some("ENABLED")
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    on_in_every_region(scan, out, "AWS::GuardDuty::Detector", "enabled GuardDuty detector", on);
}
