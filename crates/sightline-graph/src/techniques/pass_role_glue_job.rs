//! Pass a role to a new Glue job and run it

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-glue-job",
    title: "Pass a role to a new Glue job and run it",
    description: "With iam:PassRole on a role Glue trusts and glue:CreateJob, the attacker creates a Glue job (a Python shell job is cheap and quick) whose script is its own and whose role is the role; it runs the job with glue:StartJobRun, or with glue:CreateTrigger (a trigger started on creation that runs the job), and the script acts with the role's credentials.",
    references: &["https://pathfinding.cloud/paths/glue-003", "https://pathfinding.cloud/paths/glue-004", "https://github.com/BishopFox/iam-vulnerable"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:CreateJob", "glue:StartJobRun"], "arn:aws:glue:us-east-1:111111111111:job/*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // A trigger runs the job.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:CreateJob", "glue:CreateTrigger"], "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}], ["Allow", ["glue:CreateJob", "glue:StartJobRun"], "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:CreateJob", "glue:StartJobRun"], "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // A job it may create but not run.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", ["glue:CreateJob", "glue:GetJobRun"], "*"]],
                "roles": {"admin": {"trust": "glue.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

/// The job and trigger the attacker would create.
const JOB: &str = "job/sightline-new";
const TRIGGER: &str = "trigger/sightline-new";

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let service = "glue.amazonaws.com";
    super::pass_role::find_any(
        ctx,
        attacker,
        TECHNIQUE.id,
        service,
        service,
        &[
            &[("glue:CreateJob", JOB), ("glue:StartJobRun", JOB)],
            &[("glue:CreateJob", JOB), ("glue:CreateTrigger", TRIGGER)],
        ],
    )
}
