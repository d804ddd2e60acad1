//! Replace the user data of an existing EC2 instance and restart it.

use crate::techniques::{instance_role, Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ec2-modify-instance-attribute-user-data",
    title: "Replace the user data of an existing EC2 instance and restart it",
    description: "With ec2:StopInstances, ec2:ModifyInstanceAttribute and ec2:StartInstances on an instance, the attacker stops it, replaces its user data with a script set to run at every boot, and starts it again: the script runs as root and reads the credentials of the instance profile's role from the instance metadata service. An instance already stopped needs no ec2:StopInstances.",
    references: &["https://pathfinding.cloud/paths/ec2-002"],
    find,
    reaches: Reaches::Role,
    needs: Some("ec2:ModifyInstanceAttribute"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", ["ec2:StopInstances", "ec2:StartInstances", "ec2:ModifyInstanceAttribute"], "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // Stopped already; the profile is an instance profile resource.
            r#"{"attacker": [["Allow", ["ec2:StartInstances", "ec2:ModifyInstanceAttribute"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "stopped", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}},
                              {"provider": "aws", "id": "arn:aws:iam::111111111111:instance-profile/admin", "resource_type": "AWS::IAM::InstanceProfile",
                               "account_id": "111111111111", "name": "admin", "properties": {"Roles": ["admin"]}}]}"#,
        ],
        negative: &[
            // Running, and may not be stopped.
            r#"{"attacker": [["Allow", ["ec2:StartInstances", "ec2:ModifyInstanceAttribute"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // Terminated.
            r#"{"attacker": [["Allow", ["ec2:StopInstances", "ec2:StartInstances", "ec2:ModifyInstanceAttribute"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "terminated", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let states = ["pending", "running", "stopping", "stopped"];
    instance_role::find(ctx, attacker, &TECHNIQUE, &states, "replaces the user data of", |i, arn, _| {
        let mut proof = Vec::new();
        if instance_role::state(i) != Some("stopped") {
            proof.push(ctx.allowed(&attacker.id, "ec2:StopInstances", arn, &Context::default())?);
        }
        proof.push(ctx.allowed(&attacker.id, "ec2:ModifyInstanceAttribute", arn, &Context::default())?);
        proof.push(ctx.allowed(&attacker.id, "ec2:StartInstances", arn, &Context::default())?);
        Some(proof)
    })
}
