//! CloudTrail records S3 object-level write events for every bucket.

use super::trail_selectors::{account_has_trail, logging, NEEDS};
#[allow(unused_imports)]
use super::trail_selectors::{management_events, s3_object_events};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::Value;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-cloudtrail-s3-write-events",
        title: "CloudTrail records S3 object-level write events for every bucket",
        severity: Severity::Medium,
        resource_type: "AWS::Account",
        domain: Domain::Logging,
        rationale: "Management events do not show who put or deleted which object. Object-level data events do: without them, an exfiltration or tampering through S3 leaves no per-object trace.",
        remediation: Remediation {
            console: "CloudTrail > Trails > TRAIL > Data events > Edit: add S3, all current and future buckets, Write events.",
            cli: "aws cloudtrail put-event-selectors --trail-name TRAIL --advanced-event-selectors '[{\"Name\":\"S3 objects\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}]}]'",
            terraform: "advanced_event_selector {\n  name = \"S3 objects\"\n  field_selector {\n    field  = \"eventCategory\"\n    equals = [\"Data\"]\n  }\n  field_selector {\n    field  = \"resources.type\"\n    equals = [\"AWS::S3::Object\"]\n  }\n}",
        },
        references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html"],
        controls: &[cis("3.8"), nist("AU-12"), pci("10.2.1")],
        needs: NEEDS,
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"All","DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["false"]}]}]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"EventSelectors":[{"ReadWriteType":"All","DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::one-bucket/"]}]}]}}]}"#, r#"{"resources":[{"id":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t","resource_type":"AWS::CloudTrail::Trail","region":"us-east-1","properties":{"Name":"t","IsMultiRegionTrail":true,"IsLogging":true,"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["true"]}]}]}}]}"#],
    },
};

fn good(t: &Resource) -> bool {
    logging(t) && s3_object_events(t, true)
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    account_has_trail(scan, out, "logging S3 object write events for all buckets", good);
}
