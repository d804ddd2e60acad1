//! Put one's own SSH key on an existing Glue development endpoint.

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "glue-update-dev-endpoint",
    title: "Put one's own SSH key on an existing Glue development endpoint",
    description: "With glue:UpdateDevEndpoint on an existing development endpoint, the attacker adds an SSH public key of its own to it, logs in, and uses the credentials of the endpoint's role. Glue is not collected: the technique reads AWS::Glue::DevEndpoint resources when the snapshot holds them, with the role in properties.RoleArn.",
    references: &["https://pathfinding.cloud/paths/glue-002", "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("glue:UpdateDevEndpoint"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "glue:UpdateDevEndpoint", "arn:aws:glue:us-east-1:111111111111:devEndpoint/etl"]],
                        "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                        "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::DevEndpoint",
                                       "account_id": "111111111111", "region": "us-east-1", "name": "etl", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#],
        negative: &[
            // Another endpoint only.
            r#"{"attacker": [["Allow", "glue:UpdateDevEndpoint", "arn:aws:glue:us-east-1:111111111111:devEndpoint/other"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::DevEndpoint",
                               "account_id": "111111111111", "region": "us-east-1", "name": "etl", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // The endpoint runs as a role the snapshot does not hold.
            r#"{"attacker": [["Allow", "glue:UpdateDevEndpoint", "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::DevEndpoint",
                               "account_id": "111111111111", "region": "us-east-1", "name": "etl", "properties": {"RoleArn": "arn:aws:iam::111111111111:role/gone"}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let endpoint = "AWS::Glue::DevEndpoint";
    existing::find(ctx, attacker, &TECHNIQUE, endpoint, &["RoleArn"], "adds its SSH key to", |e| {
        let arn = existing::arn(e, "glue", "devEndpoint/");
        Some(vec![ctx.allowed(&attacker.id, "glue:UpdateDevEndpoint", &arn, &Context::default())?])
    })
}
