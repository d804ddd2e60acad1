//! Give another user a console password

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-create-login-profile",
    title: "Give another user a console password",
    description: "With iam:CreateLoginProfile on a user that has no console password, the attacker sets one and signs in to the console as that user.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::User,
    needs: Some("iam:CreateLoginProfile"),
    fixtures: Fixtures {
        expect: "user/victim",
        positive: &[r#"{"attacker": [["Allow", "iam:CreateLoginProfile", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []}}"#],
        negative: &[
            r#"{"attacker": [["Allow", "iam:CreateLoginProfile", "arn:aws:iam::111111111111:user/someone-else"]], "users": {"victim": []}}"#,
            // The user already has a password: CreateLoginProfile fails.
            r#"{"attacker": [["Allow", "iam:CreateLoginProfile", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []},
                "resources": [{"provider": "aws", "id": "arn:aws:iam::111111111111:credential-report", "resource_type": "AWS::IAM::CredentialReport", "account_id": "111111111111",
                               "properties": {"Rows": [{"user": "victim", "password_enabled": "true"}]}}]}"#,],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    ctx.principals(PrincipalKind::User)
        .filter(|u| u.id != attacker.id && ctx.wants(&u.id))
        .filter_map(|u| {
            let proof = vec![ctx.allowed(&attacker.id, "iam:CreateLoginProfile", &u.id, &Context::default())?];
            if ctx.has_password(u) == Some(true) {
                return None;
            }
            Some(edge(TECHNIQUE.id, attacker, &u.id, format!("sets a console password for {}", u.name), proof))
        })
        .collect()
}
