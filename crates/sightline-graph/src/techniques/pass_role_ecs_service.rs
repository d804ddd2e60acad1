//! Pass a role to a new ECS service

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-ecs-service",
    title: "Pass a role to a new ECS service",
    description: "With iam:PassRole on a role ECS tasks trust, ecs:RegisterTaskDefinition and ecs:CreateService, the attacker registers a task definition whose task role is the role and creates a service that keeps a task of it running; the container reads the role's credentials from the task metadata endpoint. The service is asked for in the account's default cluster (a policy that allows services of other clusters only is not credited): clusters are not in the snapshot.",
    references: &["https://pathfinding.cloud/paths/ecs-003", "https://pathfinding.cloud/paths/ecs-001"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ecs:RegisterTaskDefinition", "*"], ["Allow", "ecs:CreateService", "arn:aws:ecs:*:111111111111:service/default/*"]],
                        "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}], ["Allow", ["ecs:RegisterTaskDefinition", "ecs:CreateService"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["ecs:RegisterTaskDefinition", "ecs:CreateService"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // A task definition it may register but no service to run it.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["ecs:RegisterTaskDefinition", "ecs:UpdateService"], "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "ecs-tasks.amazonaws.com",
        &[
            ("ecs:RegisterTaskDefinition", "task-definition/sightline-new:1"),
            ("ecs:CreateService", "service/default/sightline-new"),
        ],
    )
}
