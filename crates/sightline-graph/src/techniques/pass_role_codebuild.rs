//! Pass a role to a new CodeBuild project

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-codebuild",
    title: "Pass a role to a new CodeBuild project",
    description: "With iam:PassRole on a role CodeBuild trusts, codebuild:CreateProject and codebuild:StartBuild, the attacker creates a project whose service role is the role, with a buildspec of its own, and starts a build: the build's commands run with the role's credentials.",
    references: &["https://pathfinding.cloud/paths/codebuild-001", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "codebuild:CreateProject", "*"], ["Allow", "codebuild:StartBuild", "*"]],
                        "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "codebuild:CreateProject", "*"], ["Allow", "codebuild:StartBuild", "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "codebuild:CreateProject", "*"], ["Allow", "codebuild:StartBuild", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "codebuild:CreateProject", "*"], ["Allow", "codebuild:BatchGetProjects", "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "codebuild.amazonaws.com",
        &[("codebuild:CreateProject", "project/sightline-new"), ("codebuild:StartBuild", "project/sightline-new")],
    )
}
