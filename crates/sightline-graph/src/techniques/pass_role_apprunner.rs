//! Pass a role to a new App Runner service

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-apprunner",
    title: "Pass a role to a new App Runner service",
    description: "With iam:PassRole on a role App Runner's tasks trust (tasks.apprunner.amazonaws.com; the role is passed to apprunner.amazonaws.com) and apprunner:CreateService, the attacker creates a service whose instance role is the role, running an image or start command of its own that uses the role's credentials.",
    references: &["https://pathfinding.cloud/paths/apprunner-001"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "apprunner:CreateService", "*"]],
                        "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "apprunner:CreateService", "*"]],
                "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "apprunner:CreateService", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "apprunner:ListServices", "*"]],
                "roles": {"admin": {"trust": "tasks.apprunner.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find_passed(
        ctx,
        attacker,
        TECHNIQUE.id,
        "tasks.apprunner.amazonaws.com",
        "apprunner.amazonaws.com",
        &[("apprunner:CreateService", "service/sightline-new/new")],
    )
}
