//! Open a shell on an existing EC2 instance through SSM Session Manager.

use crate::techniques::{instance_role, Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ssm-start-session",
    title: "Open a shell on an existing EC2 instance through SSM Session Manager",
    description: "With ssm:StartSession on a running instance, the attacker opens an interactive shell on it through Session Manager and reads the credentials of the instance profile's role from the instance metadata service. The default session document is not checked (AWS checks it only when the policy asks for ssm:SessionDocumentAccessCheck). As for ssm-send-command, the technique asks the engine whether the role lets the SSM agent register (ssm:UpdateInstanceInformation), since the snapshot does not record managed instances.",
    references: &["https://pathfinding.cloud/paths/ssm-001"],
    find,
    reaches: Reaches::Role,
    needs: Some("ssm:StartSession"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "ssm:StartSession", "arn:aws:ec2:us-east-1:111111111111:instance/*"]],
                        "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                        "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#],
        negative: &[
            // Sessions on other instances only.
            r#"{"attacker": [["Allow", "ssm:StartSession", "arn:aws:ec2:us-east-1:111111111111:instance/i-0other"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7", "IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/admin"}}}]}"#,
            // The instance runs without an instance profile.
            r#"{"attacker": [["Allow", "ssm:StartSession", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}},
                "resources": [{"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", "resource_type": "AWS::EC2::Instance", "account_id": "111111111111", "region": "us-east-1", "name": "i-0abc",
                                       "properties": {"InstanceId": "i-0abc", "State": "running", "PublicIpAddress": "203.0.113.7"}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    instance_role::find(ctx, attacker, &TECHNIQUE, &["running"], "opens an SSM session on", |_, arn, role| {
        instance_role::ssm_managed(ctx, role, arn).then_some(())?;
        Some(vec![ctx.allowed(&attacker.id, "ssm:StartSession", arn, &Context::default())?])
    })
}
