//! Pass a role to a new ECS task

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-ecs",
    title: "Pass a role to a new ECS task",
    description: "With iam:PassRole on a role ECS tasks trust, ecs:RegisterTaskDefinition and ecs:RunTask, the attacker registers a task definition whose task role is the role and runs it; the container reads the role's credentials from the task metadata endpoint. The cluster the task runs in (the account's default one, or any other) is not checked: clusters are not in the snapshot.",
    references: &["https://pathfinding.cloud/paths/ecs-004", "https://pathfinding.cloud/paths/ecs-002", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ecs:RegisterTaskDefinition", "*"], ["Allow", "ecs:RunTask", "*"]],
                        "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "ecs:RegisterTaskDefinition", "*"], ["Allow", "ecs:RunTask", "*"]],
                "roles": {"admin": {"trust": "ecs-tasks.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ecs:RegisterTaskDefinition", "*"], ["Allow", "ecs:RunTask", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ecs:RegisterTaskDefinition", "*"], ["Allow", "ecs:DescribeTasks", "*"]],
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
            ("ecs:RunTask", "task-definition/sightline-new:1"),
        ],
    )
}
