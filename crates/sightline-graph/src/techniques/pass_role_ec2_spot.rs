//! Pass a role to a new EC2 Spot Instance

use super::{edge, instance_role, pass_role};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-ec2-spot",
    title: "Pass a role to a new EC2 Spot Instance",
    description: "With iam:PassRole on a role EC2 trusts and ec2:RequestSpotInstances, the attacker requests a Spot Instance launched with the role's instance profile and user data of its own; the script reads the role's credentials from the instance metadata service. Restricting ec2:RunInstances alone does not close it. The role needs an instance profile: one the snapshot shows, or one the attacker may create (iam:CreateInstanceProfile and iam:AddRoleToInstanceProfile).",
    references: &["https://pathfinding.cloud/paths/ec2-003"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RequestSpotInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
            // A profile the attacker makes.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RequestSpotInstances", "*"], ["Allow", ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
        negative: &[
            // The role has no instance profile, and the attacker may not make one.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RequestSpotInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // On-demand instances only.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:RunInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
            // The role is not passed to EC2.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}], ["Allow", "ec2:RequestSpotInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let service = "ec2.amazonaws.com";
    let roles: Vec<&Principal> =
        ctx.roles_trusted_by(service).iter().copied().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
    if roles.is_empty() {
        return Vec::new();
    }
    let request = ("ec2:RequestSpotInstances", "spot-instances-request/*");
    let Some(launch) = pass_role::requests(ctx, attacker, &[request]) else { return Vec::new() };
    let mut edges = Vec::new();
    for role in roles {
        let Some(pass) = pass_role::pass(ctx, attacker, role, service) else { continue };
        let Some(profile) = instance_role::profile_steps(ctx, attacker, role) else { continue };
        let mut proof = vec![pass];
        proof.extend(profile);
        proof.extend(launch.iter().cloned());
        let detail = format!("requests a Spot Instance with {}'s instance profile", role.name);
        edges.push(edge(TECHNIQUE.id, attacker, &role.id, detail, proof));
    }
    edges
}
