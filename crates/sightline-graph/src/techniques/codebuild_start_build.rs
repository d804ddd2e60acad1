//! Start a build of an existing CodeBuild project with a buildspec of one's own.

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "codebuild-start-build-existing-project",
    title: "Start a build of an existing CodeBuild project with a buildspec of one's own",
    description: "With codebuild:StartBuild (or codebuild:StartBuildBatch) on an existing project, the attacker starts a build that overrides the project's buildspec with its own commands, which run with the project's service role. CodeBuild projects are not collected: the technique reads AWS::CodeBuild::Project resources when the snapshot holds them, with the role in properties.ServiceRole (a role ARN or name; serviceRole as the CodeBuild API writes it is read too).",
    references: &["https://pathfinding.cloud/paths/codebuild-002", "https://pathfinding.cloud/paths/codebuild-003"],
    find,
    reaches: Reaches::Role,
    needs: None,
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "codebuild:StartBuild", "arn:aws:codebuild:us-east-1:111111111111:project/deploy"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project",
                               "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // A batch build; the project names its role by name.
            r#"{"attacker": [["Allow", "codebuild:StartBuildBatch", "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "deploy", "resource_type": "AWS::CodeBuild::Project",
                               "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"serviceRole": "admin"}}]}"#,
        ],
        negative: &[
            // Builds of another project only.
            r#"{"attacker": [["Allow", ["codebuild:StartBuild", "codebuild:StartBuildBatch"], "arn:aws:codebuild:us-east-1:111111111111:project/other"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:codebuild:us-east-1:111111111111:project/deploy", "resource_type": "AWS::CodeBuild::Project",
                               "account_id": "111111111111", "region": "us-east-1", "name": "deploy", "properties": {"ServiceRole": "arn:aws:iam::111111111111:role/admin"}}]}"#,
            // No such project in the snapshot.
            r#"{"attacker": [["Allow", "codebuild:StartBuild", "*"]],
                "roles": {"admin": {"trust": "codebuild.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let project = "AWS::CodeBuild::Project";
    let doing = "starts a build with its own buildspec of";
    existing::find(ctx, attacker, &TECHNIQUE, project, &["ServiceRole", "serviceRole"], doing, |p| {
        let arn = existing::arn(p, "codebuild", "project/");
        let step = ctx
            .allowed(&attacker.id, "codebuild:StartBuild", &arn, &Context::default())
            .or_else(|| ctx.allowed(&attacker.id, "codebuild:StartBuildBatch", &arn, &Context::default()))?;
        Some(vec![step])
    })
}
