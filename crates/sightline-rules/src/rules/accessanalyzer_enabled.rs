//! IAM Access Analyzer (external access) is enabled in every region.

use super::util::{need, on_in_every_region};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-accessanalyzer-enabled",
        title: "IAM Access Analyzer (external access) is enabled in every region",
        severity: Severity::Medium,
        resource_type: "AWS::Region",
        domain: Domain::AccessManagement,
        rationale: "Access Analyzer continuously reports resources shared outside the account or organization; without an analyzer in a region, a bucket or key made public there goes unnoticed.",
        remediation: Remediation {
            console: "IAM > Access analyzer > Create analyzer (type: account or organization) in each region.",
            cli: "aws accessanalyzer create-analyzer --analyzer-name default --type ACCOUNT --region REGION",
            terraform: "resource \"aws_accessanalyzer_analyzer\" \"this\" {\n  analyzer_name = \"default\"\n  type          = \"ACCOUNT\"\n}",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html"],
        controls: &[cis("1.19"), nist("AC-6"), pci("7.2.5")],
        needs: &[need("accessanalyzer", "ListAnalyzers", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::AccessAnalyzer::Analyzer","region":"us-east-1","properties":{"Status":"ACTIVE","Type":"ACCOUNT"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::AccessAnalyzer::Analyzer","region":"us-east-1","properties":{"Status":"ACTIVE","Type":"ACCOUNT_UNUSED_ACCESS"}}]}"#],
    },
};

fn on(r: &Resource) -> bool {
    r.properties.get("Status").and_then(Props::as_str) == Some("ACTIVE")
        && r.properties.get("Type").and_then(Props::as_str).is_some_and(|t| t == "ACCOUNT" || t == "ORGANIZATION")
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    on_in_every_region(scan, out, "AWS::AccessAnalyzer::Analyzer", "active external-access analyzer", on);
}
