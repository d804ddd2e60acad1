//! Change an existing CloudFormation stack that runs with a service role.

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "cloudformation-update-existing-stack",
    title: "Change an existing CloudFormation stack that runs with a service role",
    description: "A stack created with a service role keeps using it for every later change that names no other role, and the caller then passes no role (no iam:PassRole). With cloudformation:UpdateStack, or cloudformation:CreateChangeSet and cloudformation:ExecuteChangeSet, on such a stack, the attacker submits a template of its own whose resources (an IAM policy, a Lambda-backed custom resource) are made with the role's permissions. Stacks are not collected: the technique reads AWS::CloudFormation::Stack resources when the snapshot holds them, with the role in properties.RoleARN as DescribeStacks gives it.",
    references: &["https://pathfinding.cloud/paths/cloudformation-002", "https://pathfinding.cloud/paths/cloudformation-005"],
    find,
    reaches: Reaches::Role,
    needs: None,
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "cloudformation:UpdateStack", "arn:aws:cloudformation:us-east-1:111111111111:stack/base/*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:cloudformation:us-east-1:111111111111:stack/base/0f1e2d3c", "resource_type": "AWS::CloudFormation::Stack", "account_id": "111111111111", "region": "us-east-1", "name": "base", "properties": {"RoleARN": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            r#"{"attacker": [["Allow", ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"], "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:cloudformation:us-east-1:111111111111:stack/base/0f1e2d3c", "resource_type": "AWS::CloudFormation::Stack", "account_id": "111111111111", "region": "us-east-1", "name": "base", "properties": {"RoleARN": "arn:aws:iam::111111111111:role/admin"}}]}"#,
        ],
        negative: &[
            // A change set it may create but not execute.
            r#"{"attacker": [["Allow", "cloudformation:CreateChangeSet", "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:cloudformation:us-east-1:111111111111:stack/base/0f1e2d3c", "resource_type": "AWS::CloudFormation::Stack", "account_id": "111111111111", "region": "us-east-1", "name": "base", "properties": {"RoleARN": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The stack runs with its caller's credentials, not a role.
            r#"{"attacker": [["Allow", "cloudformation:UpdateStack", "*"]],
                "roles": {"admin": {"trust": "cloudformation.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:cloudformation:us-east-1:111111111111:stack/base/0f1e2d3c", "resource_type": "AWS::CloudFormation::Stack", "account_id": "111111111111", "region": "us-east-1", "name": "base", "properties": {}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let stack = "AWS::CloudFormation::Stack";
    existing::find(ctx, attacker, &TECHNIQUE, stack, &["RoleARN"], "submits a template of its own to", |s| {
        let arn = existing::arn(s, "cloudformation", "stack/");
        let none = Context::default();
        if let Some(step) = ctx.allowed(&attacker.id, "cloudformation:UpdateStack", &arn, &none) {
            return Some(vec![step]);
        }
        Some(vec![
            ctx.allowed(&attacker.id, "cloudformation:CreateChangeSet", &arn, &none)?,
            ctx.allowed(&attacker.id, "cloudformation:ExecuteChangeSet", &arn, &none)?,
        ])
    })
}
