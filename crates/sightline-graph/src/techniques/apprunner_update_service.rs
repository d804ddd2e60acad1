//! Run an image or start command of one's own in an existing App Runner service

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, Props, Resource};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "apprunner-update-service",
    title: "Run an image or start command of one's own in an existing App Runner service",
    description: "With apprunner:UpdateService on an existing App Runner service, the attacker changes its source (an image of its own, or a start command) and the service redeploys with the same instance role, whose credentials the new code uses; the role is not passed again. App Runner services are not collected: the technique reads AWS::AppRunner::Service resources when the snapshot holds them, with the role in properties.InstanceConfiguration.InstanceRoleArn as DescribeService gives it, and the service's ARN as its id or in properties.ServiceArn (a service whose ARN is unknown is skipped: its ARN holds an id the name does not give).",
    references: &["https://pathfinding.cloud/paths/apprunner-002"],
    find,
    reaches: Reaches::Role,
    needs: Some("apprunner:UpdateService"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "apprunner:UpdateService", "arn:aws:apprunner:us-east-1:111111111111:service/web/*"]],
                "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:apprunner:us-east-1:111111111111:service/web/8fe1e10304f84fd2b0df550fe98a71fa", "resource_type": "AWS::AppRunner::Service", "account_id": "111111111111", "region": "us-east-1", "name": "web", "properties": {"InstanceConfiguration": {"InstanceRoleArn": "arn:aws:iam::111111111111:role/admin"}}}]}"#,
        ],
        negative: &[
            // Another service only.
            r#"{"attacker": [["Allow", "apprunner:UpdateService", "arn:aws:apprunner:us-east-1:111111111111:service/api/*"]],
                "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:apprunner:us-east-1:111111111111:service/web/8fe1e10304f84fd2b0df550fe98a71fa", "resource_type": "AWS::AppRunner::Service", "account_id": "111111111111", "region": "us-east-1", "name": "web", "properties": {"InstanceConfiguration": {"InstanceRoleArn": "arn:aws:iam::111111111111:role/admin"}}}]}"#,
            // The service's ARN is unknown.
            r#"{"attacker": [["Allow", "apprunner:UpdateService", "*"]],
                "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "web", "resource_type": "AWS::AppRunner::Service", "account_id": "111111111111", "region": "us-east-1", "name": "web", "properties": {"InstanceConfiguration": {"InstanceRoleArn": "arn:aws:iam::111111111111:role/admin"}}}]}"#,
        ],
    },
};

fn role_of(service: &Resource) -> Option<&str> {
    let role = service.properties.pointer("/InstanceConfiguration/InstanceRoleArn");
    role.or_else(|| service.properties.get("InstanceRoleArn")).and_then(Props::as_str)
}

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let service = "AWS::AppRunner::Service";
    existing::find_by(ctx, attacker, &TECHNIQUE, service, role_of, "deploys code of its own to", |s| {
        let arn = if s.id.starts_with("arn:") {
            s.id.as_str()
        } else {
            s.properties.get("ServiceArn").and_then(Props::as_str).filter(|a| a.starts_with("arn:"))?
        };
        Some(vec![ctx.allowed(&attacker.id, "apprunner:UpdateService", arn, &Context::default())?])
    })
}
