//! Log in to an existing EC2 instance with EC2 Instance Connect.

use crate::techniques::{instance_role, Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, Props};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ec2-instance-connect-send-ssh-public-key",
    title: "Log in to an existing EC2 instance with EC2 Instance Connect",
    description: "With ec2-instance-connect:SendSSHPublicKey on a running instance, the attacker pushes a short-lived SSH key for one of its OS users, logs in over SSH, and reads the credentials of the instance profile's role from the instance metadata service. The technique asks for a public IP address on the instance; an instance reachable only through an EC2 Instance Connect Endpoint or a private network is not reported (the snapshot does not record those paths). Whether security groups let SSH in is not checked.",
    references: &["https://pathfinding.cloud/paths/ec2instanceconnect-003"],
    find,
    reaches: Reaches::Role,
    needs: Some("ec2-instance-connect:SendSSHPublicKey"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "ec2-instance-connect:SendSSHPublicKey", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                        "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#],
        negative: &[
            // No public address to reach.
            r#"{"attacker": [["Allow", "ec2-instance-connect:SendSSHPublicKey", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // Keys only for other instances.
            r#"{"attacker": [["Allow", "ec2-instance-connect:SendSSHPublicKey", "arn:aws:ec2:us-east-1:111111111111:instance/i-0other"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    instance_role::find(ctx, attacker, &TECHNIQUE, &["running"], "logs in with EC2 Instance Connect to", |i, arn, _| {
        i.properties.get("PublicIpAddress").and_then(Props::as_str).filter(|ip| !ip.is_empty())?;
        Some(vec![ctx.allowed(&attacker.id, "ec2-instance-connect:SendSSHPublicKey", arn, &Context::default())?])
    })
}
