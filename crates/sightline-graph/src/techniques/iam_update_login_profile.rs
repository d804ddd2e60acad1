//! Change another user's console password

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-update-login-profile",
    title: "Change another user's console password",
    description: "With iam:UpdateLoginProfile on a user that has a console password, the attacker replaces it and signs in as that user.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::User,
    needs: Some("iam:UpdateLoginProfile"),
    fixtures: Fixtures {
        expect: "user/victim",
        positive: &[r#"{"attacker": [["Allow", "iam:UpdateLoginProfile", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []}}"#],
        negative: &[
            r#"{"attacker": [["Allow", "iam:UpdateLoginProfile", "arn:aws:iam::111111111111:user/someone-else"]], "users": {"victim": []}}"#,
            // The user has no password to change.
            r#"{"attacker": [["Allow", "iam:UpdateLoginProfile", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []},
                "resources": [{"provider": "aws", "id": "arn:aws:iam::111111111111:credential-report", "resource_type": "AWS::IAM::CredentialReport", "account_id": "111111111111",
                               "properties": {"Rows": [{"user": "victim", "password_enabled": "false"}]}}]}"#,],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    ctx.principals(PrincipalKind::User)
        .filter(|u| u.id != attacker.id && ctx.wants(&u.id))
        .filter_map(|u| {
            let proof = vec![ctx.allowed(&attacker.id, "iam:UpdateLoginProfile", &u.id, &Context::default())?];
            if ctx.has_password(u) == Some(false) {
                return None;
            }
            Some(edge(TECHNIQUE.id, attacker, &u.id, format!("changes the console password of {}", u.name), proof))
        })
        .collect()
}
