//! Give an existing CodeBuild project another service role, and start a build

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "codebuild-update-project",
    title: "Give an existing CodeBuild project another service role, and start a build",
    description: "With codebuild:UpdateProject on an existing project and iam:PassRole on a role CodeBuild trusts, the attacker makes the role the project's service role (and the buildspec its own); with codebuild:StartBuild (or codebuild:StartBuildBatch) on the project it starts a build whose commands run with the role's credentials. CodeBuild projects are not collected: the technique reads AWS::CodeBuild::Project resources when the snapshot holds them (any project will do).",
    references: &["https://github.com/BishopFox/iam-vulnerable", "https://pathfinding.cloud/paths/codebuild-001 (the same end, through a new project)"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/admin", {"StringEquals": {"iam:PassedToService": "codebuild.amazonaws.com"}}],
                             ["Allow", ["codebuild:UpdateProject", "codebuild:StartBuild"], "arn:aws:codebuild:us-east-1:111111111111:project/deploy"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "builder": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project", "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/builder"}}]}"#,
            // A batch build.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["codebuild:UpdateProject", "codebuild:StartBuildBatch"], "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "builder": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project", "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/builder"}}]}"#,
        ],
        negative: &[
            // May change the project but not build it.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "codebuild:UpdateProject", "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "builder": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project", "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/builder"}}]}"#,
            // May pass no role CodeBuild trusts.
            r#"{"attacker": [["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/other"], ["Allow", ["codebuild:UpdateProject", "codebuild:StartBuild"], "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "builder": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project", "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/builder"}}]}"#,
            // No project to change.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["codebuild:UpdateProject", "codebuild:StartBuild"], "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "builder": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "logs:*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let project = "AWS::CodeBuild::Project";
    let doing = "changes the service role of the project";
    existing::find_passing(ctx, attacker, &TECHNIQUE, project, "codebuild.amazonaws.com", doing, |p| {
        let arn = existing::arn(p, "codebuild", "project/");
        let none = Context::default();
        let update = ctx.allowed(&attacker.id, "codebuild:UpdateProject", &arn, &none)?;
        let build = ctx
            .allowed(&attacker.id, "codebuild:StartBuild", &arn, &none)
            .or_else(|| ctx.allowed(&attacker.id, "codebuild:StartBuildBatch", &arn, &none))?;
        Some(vec![update, build])
    })
}
