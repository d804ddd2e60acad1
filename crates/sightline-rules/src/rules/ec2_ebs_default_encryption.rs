//! EBS encryption by default is on in every region.

use super::util::{each_region, field, find, need, Field};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-ebs-default-encryption",
        title: "EBS encryption by default is enabled in every region",
        severity: Severity::Medium,
        resource_type: "AWS::EC2::EBSEncryptionByDefault",
        domain: Domain::Encryption,
        rationale: "With encryption by default, every new volume and snapshot copy is encrypted whatever the launch \
                    template says; without it, one forgotten flag leaves data unencrypted at rest.",
        remediation: Remediation {
            console: "EC2 > (region) > Account attributes > Data protection and security > EBS encryption > Manage: Always encrypt new EBS volumes.",
            cli: "aws ec2 enable-ebs-encryption-by-default --region REGION",
            terraform: "resource \"aws_ebs_encryption_by_default\" \"this\" {\n  enabled = true\n}",
        },
        references: &["https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html"],
        controls: &[cis("5.1.1"), nist("SC-28"), pci("3.5.1")],
        needs: &[need("ec2", "GetEbsEncryptionByDefault", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:ebs-encryption-by-default","resource_type":"AWS::EC2::EBSEncryptionByDefault","region":"us-east-1","properties":{"EbsEncryptionByDefault":true}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:ec2:us-east-1:123456789012:ebs-encryption-by-default","resource_type":"AWS::EC2::EBSEncryptionByDefault","region":"us-east-1","properties":{"EbsEncryptionByDefault":false}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_region(scan, out, RULE.meta.needs, |account, region, out| {
        let Some(setting) = find(scan, "AWS::EC2::EBSEncryptionByDefault", account, Some(region)) else {
            out.not_evaluated(
                Subject::region(account, region),
                "the snapshot has no EBS default-encryption setting for this region",
            );
            return;
        };
        match field(setting, "/EbsEncryptionByDefault") {
            Field::Value(v) => {
                let on = v.as_bool() == Some(true);
                out.verdict(
                    setting,
                    on,
                    if on { "encryption by default is on" } else { "encryption by default is off" },
                    json!({ "EbsEncryptionByDefault": on }),
                );
            }
            _ => out.not_evaluated(setting, "the setting record has no EbsEncryptionByDefault"),
        }
    });
}
