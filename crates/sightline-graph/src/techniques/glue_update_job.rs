//! Give an existing Glue job a role and a script of one's own, and run it

use super::existing;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "glue-update-job",
    title: "Give an existing Glue job a role and a script of one's own, and run it",
    description: "An update replaces a Glue job's whole definition, its role included, so the attacker passes a role (iam:PassRole on a role Glue trusts) with glue:UpdateJob on an existing job, pointing the job at a script of its own; it runs the job with glue:StartJobRun on it, or with glue:CreateTrigger (a trigger started on creation), and the script acts with the passed role's credentials. Glue jobs are not collected: the technique reads AWS::Glue::Job resources when the snapshot holds them (any job will do; the one it names is found by its ARN, or by its name in its region and account).",
    references: &["https://pathfinding.cloud/paths/glue-005", "https://pathfinding.cloud/paths/glue-006"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:PassRole", "arn:aws:iam::111111111111:role/admin"], ["Allow", ["glue:UpdateJob", "glue:StartJobRun"], "arn:aws:glue:eu-west-1:111111111111:job/etl"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}, "etl": {"trust": "glue.amazonaws.com", "policy": [["Allow", "s3:GetObject", "*"]]}},
                "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::Job", "account_id": "111111111111", "region": "eu-west-1", "name": "etl", "properties": {"Role": "etl"}}]}"#,
            // A trigger runs the job.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:UpdateJob", "glue:CreateTrigger"], "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "arn:aws:glue:us-east-1:111111111111:job/etl", "resource_type": "AWS::Glue::Job", "account_id": "111111111111", "region": "us-east-1", "name": "etl", "properties": {"Role": "arn:aws:iam::111111111111:role/admin"}}]}"#,
        ],
        negative: &[
            // Another job only.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:UpdateJob", "glue:StartJobRun"], "arn:aws:glue:eu-west-1:111111111111:job/other"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::Job", "account_id": "111111111111", "region": "eu-west-1", "name": "etl", "properties": {"Role": "admin"}}]}"#,
            // The job keeps its role, but the update must pass one, and the attacker may not.
            r#"{"attacker": [["Allow", ["glue:UpdateJob", "glue:StartJobRun", "iam:PassRole"], "arn:aws:glue:eu-west-1:111111111111:job/etl"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [{"provider": "aws", "id": "etl", "resource_type": "AWS::Glue::Job", "account_id": "111111111111", "region": "eu-west-1", "name": "etl", "properties": {"Role": "admin"}}]}"#,
            // No job to change.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:UpdateJob", "glue:StartJobRun"], "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let doing = "points at a script of its own the Glue job";
    existing::find_passing(ctx, attacker, &TECHNIQUE, "AWS::Glue::Job", "glue.amazonaws.com", doing, |j| {
        let job = existing::arn(j, "glue", "job/");
        let none = Context::default();
        let update = ctx.allowed(&attacker.id, "glue:UpdateJob", &job, &none)?;
        let trigger = format!("arn:aws:glue:{}:{}:trigger/sightline-new", existing::region(j), j.account_id);
        let run = ctx
            .allowed(&attacker.id, "glue:StartJobRun", &job, &none)
            .or_else(|| ctx.allowed(&attacker.id, "glue:CreateTrigger", &trigger, &none))?;
        Some(vec![update, run])
    })
}
