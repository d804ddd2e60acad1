//! AWS Config records all resources in every region.

use super::util::{need, on_in_every_region};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-config-enabled-all-regions",
        title: "AWS Config records all resources in every region",
        severity: Severity::Medium,
        resource_type: "AWS::Region",
        domain: Domain::Logging,
        rationale: "AWS Config keeps the history of every resource's configuration: without it in a region, changes there (and what an intruder did) cannot be reconstructed.",
        remediation: Remediation {
            console: "AWS Config > Settings (in each region): record all resource types, including global ones in one region, and turn recording on.",
            cli: "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=ROLE_ARN --recording-group allSupported=true,includeGlobalResourceTypes=true && aws configservice start-configuration-recorder --configuration-recorder-name default",
            terraform: "resource \"aws_config_configuration_recorder\" \"this\" {\n  role_arn = aws_iam_role.config.arn\n  recording_group {\n    all_supported                 = true\n    include_global_resource_types = true\n  }\n}\nresource \"aws_config_configuration_recorder_status\" \"this\" {\n  name       = aws_config_configuration_recorder.this.name\n  is_enabled = true\n}",
        },
        references: &["https://docs.aws.amazon.com/config/latest/developerguide/gs-console.html"],
        controls: &[cis("3.3"), nist("CM-8"), pci("10.2.1")],
        needs: &[need("config", "DescribeConfigurationRecorders", true), need("config", "DescribeConfigurationRecorderStatus", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Config::ConfigurationRecorder","region":"us-east-1","properties":{"Recording":true,"RecordingGroup":{"AllSupported":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Config::ConfigurationRecorder","region":"us-east-1","properties":{"Recording":false,"RecordingGroup":{"AllSupported":true}}}]}"#],
    },
};

fn on(r: &Resource) -> bool {
    r.properties.get("Recording").and_then(Props::as_bool) == Some(true)
        && r.properties.pointer("/RecordingGroup/AllSupported").and_then(Props::as_bool) == Some(true)
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    on_in_every_region(scan, out, "AWS::Config::ConfigurationRecorder", "recording AWS Config recorder", on);
}
