//! Pass a role to a new Bedrock AgentCore code interpreter

use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-bedrock-agentcore",
    title: "Pass a role to a new Bedrock AgentCore code interpreter",
    description: "With iam:PassRole on a role Bedrock AgentCore trusts, bedrock-agentcore:CreateCodeInterpreter, bedrock-agentcore:StartCodeInterpreterSession and bedrock-agentcore:InvokeCodeInterpreter, the attacker creates a custom code interpreter whose execution role is the role, then runs code in a session of it that reads the role's credentials from the interpreter's metadata service.",
    references: &["https://pathfinding.cloud/paths/bedrock-001"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "bedrock-agentcore:CreateCodeInterpreter", "*"], ["Allow", "bedrock-agentcore:StartCodeInterpreterSession", "*"], ["Allow", "bedrock-agentcore:InvokeCodeInterpreter", "*"]],
                        "roles": {"admin": {"trust": "bedrock-agentcore.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#],
        negative: &[
            // The role is not passed to this service.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}], ["Allow", "bedrock-agentcore:CreateCodeInterpreter", "*"], ["Allow", "bedrock-agentcore:StartCodeInterpreterSession", "*"], ["Allow", "bedrock-agentcore:InvokeCodeInterpreter", "*"]],
                "roles": {"admin": {"trust": "bedrock-agentcore.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // The service does not trust the role.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "bedrock-agentcore:CreateCodeInterpreter", "*"], ["Allow", "bedrock-agentcore:StartCodeInterpreterSession", "*"], ["Allow", "bedrock-agentcore:InvokeCodeInterpreter", "*"]],
                "roles": {"admin": {"trust": "account", "policy": [["Allow", "*", "*"]]}}}"#,
            // One request of the technique is missing.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "bedrock-agentcore:CreateCodeInterpreter", "*"], ["Allow", "bedrock-agentcore:StartCodeInterpreterSession", "*"], ["Allow", "bedrock-agentcore:ListCodeInterpreters", "*"]],
                "roles": {"admin": {"trust": "bedrock-agentcore.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    super::pass_role::find(
        ctx,
        attacker,
        TECHNIQUE.id,
        "bedrock-agentcore.amazonaws.com",
        &[
            ("bedrock-agentcore:CreateCodeInterpreter", "*"),
            ("bedrock-agentcore:StartCodeInterpreterSession", "code-interpreter-custom/sightline-new"),
            ("bedrock-agentcore:InvokeCodeInterpreter", "code-interpreter-custom/sightline-new"),
        ],
    )
}
