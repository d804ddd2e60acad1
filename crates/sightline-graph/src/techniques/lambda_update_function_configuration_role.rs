//! Give an existing Lambda function another execution role and code of one's own, and invoke it

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "lambda-update-function-configuration-role",
    title: "Give an existing Lambda function another execution role and code of one's own, and invoke it",
    description: "With lambda:UpdateFunctionConfiguration on an existing function and iam:PassRole on a role Lambda trusts, the attacker makes the role the function's execution role. A new role alone runs the function's own code, so the attacker also makes the code its own: with lambda:UpdateFunctionCode on the function, or with a layer it publishes (lambda:PublishLayerVersion and lambda:GetLayerVersion) and adds in the same configuration change. It then invokes the function (lambda:InvokeFunction) and its code acts with the role's credentials. Functions are read from AWS::Lambda::Function resources (any function will do).",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud/paths/lambda-004 (the same end with the function's own role)"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/admin"],
                             ["Allow", ["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:InvokeFunction"], "arn:aws:lambda:us-east-1:111111111111:function:job"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "worker": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function", "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/worker"}}]}"#,
            // A layer of its own.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"], "arn:aws:lambda:us-east-1:111111111111:function:job"],
                             ["Allow", ["lambda:PublishLayerVersion", "lambda:GetLayerVersion"], "arn:aws:lambda:us-east-1:111111111111:layer:*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "worker": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function", "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/worker"}}]}"#,
        ],
        negative: &[
            // A new role, but the function's own code.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "worker": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function", "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/worker"}}]}"#,
            // No way to invoke it.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "worker": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function", "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/worker"}}]}"#,
            // May pass no role Lambda trusts.
            r#"{"attacker": [["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/other"], ["Allow", ["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:InvokeFunction"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "worker": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function", "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/worker"}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let doing = "changes the execution role and code of the function";
    existing::find_passing(ctx, attacker, &TECHNIQUE, "AWS::Lambda::Function", "lambda.amazonaws.com", doing, |f| {
        let function = existing::arn(f, "lambda", "function:");
        let none = Context::default();
        let (code, adding) = match ctx.allowed(&attacker.id, "lambda:UpdateFunctionCode", &function, &none) {
            Some(step) => (vec![step], Context::default()),
            None => {
                // A layer of its own, added with the new role.
                let layer =
                    format!("arn:aws:lambda:{}:{}:layer:sightline-new-layer", existing::region(f), f.account_id);
                let version = format!("{layer}:1");
                let steps = vec![
                    ctx.allowed(&attacker.id, "lambda:PublishLayerVersion", &layer, &none)?,
                    ctx.allowed(&attacker.id, "lambda:GetLayerVersion", &version, &none)?,
                ];
                let mut adding = Context::default();
                adding.insert("lambda:Layer", vec![version]);
                (steps, adding)
            }
        };
        let mut proof = vec![ctx.allowed(&attacker.id, "lambda:UpdateFunctionConfiguration", &function, &adding)?];
        proof.extend(code);
        proof.push(ctx.allowed(&attacker.id, "lambda:InvokeFunction", &function, &none)?);
        Some(proof)
    })
}
