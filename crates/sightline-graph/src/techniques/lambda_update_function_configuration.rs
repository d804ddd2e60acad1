//! Add a layer of one's own to an existing Lambda function.

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "lambda-update-function-configuration",
    title: "Add a layer of one's own to an existing Lambda function",
    description: "With lambda:PublishLayerVersion, the attacker publishes a layer in the function's account whose code replaces a library the function imports (or wraps its runtime); with lambda:GetLayerVersion on it and lambda:UpdateFunctionConfiguration on the function, it adds the layer to the function. The next invocation (by the function's own triggers) runs the attacker's code with the function's execution role (the function's properties.Role).",
    references: &["https://pathfinding.cloud/paths/lambda-003 (the same end, through the function's code)", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("lambda:PublishLayerVersion"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "lambda:UpdateFunctionConfiguration", "arn:aws:lambda:eu-west-1:111111111111:function:job"],
                                     ["Allow", ["lambda:PublishLayerVersion", "lambda:GetLayerVersion"], "arn:aws:lambda:eu-west-1:111111111111:layer:*"]],
                        "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                        "resources": [{"provider": "aws", "id": "arn:aws:lambda:eu-west-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function",
                                       "account_id": "111111111111", "region": "eu-west-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#],
        negative: &[
            // No layer of its own to add.
            r#"{"attacker": [["Allow", "lambda:UpdateFunctionConfiguration", "*"], ["Allow", "lambda:GetLayerVersion", "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:eu-west-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function",
                               "account_id": "111111111111", "region": "eu-west-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The function may not be changed.
            r#"{"attacker": [["Allow", "lambda:UpdateFunctionConfiguration", "arn:aws:lambda:eu-west-1:111111111111:function:other"],
                             ["Allow", ["lambda:PublishLayerVersion", "lambda:GetLayerVersion"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:eu-west-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function",
                               "account_id": "111111111111", "region": "eu-west-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    existing::find(ctx, attacker, &TECHNIQUE, "AWS::Lambda::Function", &["Role"], "adds a layer of its own to", |f| {
        let function = existing::arn(f, "lambda", "function:");
        let layer = format!("arn:aws:lambda:{}:{}:layer:sightline-new-layer", existing::region(f), f.account_id);
        let version = format!("{layer}:1");
        let mut adding = Context::default();
        adding.insert("lambda:Layer", vec![version.clone()]);
        Some(vec![
            ctx.allowed(&attacker.id, "lambda:PublishLayerVersion", &layer, &Context::default())?,
            ctx.allowed(&attacker.id, "lambda:GetLayerVersion", &version, &Context::default())?,
            ctx.allowed(&attacker.id, "lambda:UpdateFunctionConfiguration", &function, &adding)?,
        ])
    })
}
