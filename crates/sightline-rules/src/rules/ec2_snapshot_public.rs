//! EBS snapshots are not shared publicly.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-ec2-snapshot-public",
        title: "EBS snapshots are not shared publicly",
        severity: Severity::Critical,
        resource_type: "AWS::EC2::Snapshot",
        domain: Domain::Data,
        rationale: "Anyone can create a volume from a public snapshot and read every block of the disk it copied: databases, files, keys.",
        remediation: Remediation {
            console: "EC2 > Snapshots > SNAPSHOT > Actions > Snapshot settings > Modify permissions: Private.",
            cli: "aws ec2 modify-snapshot-attribute --snapshot-id SNAPSHOT_ID --attribute createVolumePermission --operation-type remove --group-names all",
            terraform: "# Remove any aws_snapshot_create_volume_permission that shares with everyone; enable aws_ebs_snapshot_block_public_access.",
        },
        references: &["https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("3.5.1")],
        needs: &[need("ec2", "DescribeSnapshots", true), need("ec2", "DescribeSnapshotAttribute", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Snapshot","region":"us-east-1","properties":{"CreateVolumePermissions":[]}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::EC2::Snapshot","region":"us-east-1","properties":{"CreateVolumePermissions":[{"Group":"all"}]}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    let Some(perms) = p.get("CreateVolumePermissions").and_then(Props::as_array) else {
        return Err("the snapshot record has no CreateVolumePermissions".into());
    };
    let public = perms.iter().any(|l| l.get("Group").and_then(Props::as_str) == Some("all"));
    Ok(Some((
        !public,
        if public {
            "anyone can create a volume from this snapshot".into()
        } else {
            "the snapshot is not public".into()
        },
        json!({ "public": public }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::EC2::Snapshot", judge);
}
