//! A multi-region CloudTrail trail records all management events.

use super::trail_selectors::{account_has_trail, logging, NEEDS};
#[allow(unused_imports)]
use super::trail_selectors::{management_events, s3_object_events};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::Value;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-multi-region",
        title: "A multi-region CloudTrail trail records all management events",
        severity: Severity::High,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "Without a logging multi-region trail that records every management event, API activity in some regions (where an intruder would go first) is never recorded beyond CloudTrail's 90-day event history.",
        remediation: Remediation {
            console: "CloudTrail > Trails > Create trail: apply to all regions, management events Read and Write.",
            cli: "aws cloudtrail create-trail --name main --s3-bucket-name BUCKET --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name main",
            terraform: "resource \"aws_cloudtrail\" \"main\" {\n  name                       = \"main\"\n  s3_bucket_name             = aws_s3_bucket.trail.id\n  is_multi_region_trail      = true\n  enable_log_file_validation = true\n}",
        },
        references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"],
        controls: &[cis("3.1"), nist("AU-2"), nist("AU-12"), pci("10.2.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":false,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}}]}"#],
    },
};

fn good(t: &Resource) -> bool {
    t.properties.get("IsMultiRegionTrail").and_then(Props::as_bool) == Some(true) && logging(t) && management_events(t)
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    account_has_trail(scan, out, "multi-region, logging, all management events", good);
}
