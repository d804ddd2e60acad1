//! Replace the code of an existing Lambda function.

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "lambda-update-function-code",
    title: "Replace the code of an existing Lambda function",
    description: "With lambda:UpdateFunctionCode on a function, the attacker replaces its code; the next invocation (by its own triggers) runs the attacker's code with the function's execution role.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::Role,
    needs: None,
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:job"]],
                        "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                        "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function",
                                       "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#],
        negative: &[r#"{"attacker": [["Allow", "lambda:UpdateFunctionConfiguration", "*"]],
                        "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                        "resources": [{"provider": "aws", "id": "arn:aws:lambda:us-east-1:111111111111:function:job", "resource_type": "AWS::Lambda::Function",
                                       "account_id": "111111111111", "region": "us-east-1", "name": "job", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    ctx.resources_of("AWS::Lambda::Function")
        .iter()
        .filter_map(|f| {
            let role = f.properties.get("Role").and_then(|r| r.as_str())?;
            if role == attacker.id || !ctx.wants(role) {
                return None;
            }
            let step = ctx.allowed(&attacker.id, "lambda:UpdateFunctionCode", &f.id, &Context::default())?;
            Some(edge(
                TECHNIQUE.id,
                attacker,
                role,
                format!("replaces the code of {}, which runs as {role}", f.name),
                vec![step],
            ))
        })
        .collect()
}
