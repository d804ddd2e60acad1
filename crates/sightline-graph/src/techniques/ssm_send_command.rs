//! Run a command on an existing EC2 instance through SSM.

use crate::techniques::{instance_role, Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ssm-send-command",
    title: "Run a command on an existing EC2 instance through SSM",
    description: "With ssm:SendCommand on a running instance and on the AWS-RunShellScript document, the attacker has the instance's SSM agent run a shell script, which reads the credentials of the instance profile's role from the instance metadata service. The agent must be registered with SSM: the snapshot does not record managed instances, so the technique asks the engine whether the role lets the agent register (ssm:UpdateInstanceInformation, as AmazonSSMManagedInstanceCore allows).",
    references: &["https://pathfinding.cloud/paths/ssm-002", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("ssm:SendCommand"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "ssm:SendCommand", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"], ["Allow", "ssm:SendCommand", "arn:aws:ssm:*::document/AWS-RunShellScript"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                        "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#],
        negative: &[
            // The command document is not allowed.
            r#"{"attacker": [["Allow", "ssm:SendCommand", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // The instance is stopped.
            r#"{"attacker": [["Allow", "ssm:SendCommand", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "stopped", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // The role does not let the SSM agent register.
            r#"{"attacker": [["Allow", "ssm:SendCommand", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "s3:*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    instance_role::find(ctx, attacker, &TECHNIQUE, &["running"], "runs a command through SSM on", |i, arn, role| {
        instance_role::ssm_managed(ctx, role, arn).then_some(())?;
        let document = format!("arn:aws:ssm:{}::document/AWS-RunShellScript", super::existing::region(i));
        Some(vec![
            ctx.allowed(&attacker.id, "ssm:SendCommand", arn, &Context::default())?,
            ctx.allowed(&attacker.id, "ssm:SendCommand", &document, &Context::default())?,
        ])
    })
}
