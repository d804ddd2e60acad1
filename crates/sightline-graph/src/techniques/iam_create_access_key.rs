//! Create an access key for another user

use super::edge;
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-create-access-key",
    title: "Create an access key for another user",
    description: "With iam:CreateAccessKey on another user, the attacker makes a key for that user and signs in as it. A user holds at most two keys: when the snapshot shows two, the attacker also needs iam:DeleteAccessKey.",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://pathfinding.cloud"],
    find,
    reaches: Reaches::User,
    needs: Some("iam:CreateAccessKey"),
    fixtures: Fixtures {
        expect: "user/victim",
        positive: &[r#"{"attacker": [["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []}}"#],
        negative: &[
            r#"{"attacker": [["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/someone-else"]], "users": {"victim": []}}"#,
            // Two keys already, and no right to delete one.
            r#"{"attacker": [["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/victim"]], "users": {"victim": []},
                "resources": [
                  {"provider": "aws", "id": "k1", "resource_type": "AWS::IAM::AccessKey", "account_id": "111111111111", "properties": {"UserName": "victim", "Status": "Active"}},
                  {"provider": "aws", "id": "k2", "resource_type": "AWS::IAM::AccessKey", "account_id": "111111111111", "properties": {"UserName": "victim", "Status": "Inactive"}}]}"#,],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    ctx.principals(PrincipalKind::User)
        .filter(|u| u.id != attacker.id && ctx.wants(&u.id))
        .filter_map(|u| {
            let mut proof = vec![ctx.allowed(&attacker.id, "iam:CreateAccessKey", &u.id, &Context::default())?];
            if ctx.access_keys(u) >= 2 {
                proof.push(ctx.allowed(&attacker.id, "iam:DeleteAccessKey", &u.id, &Context::default())?);
            }
            Some(edge(TECHNIQUE.id, attacker, &u.id, format!("creates an access key for {}", u.name), proof))
        })
        .collect()
}
