//! Pass a role to a new Auto Scaling group

use super::{edge, instance_role, pass_role};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge};
use sightline_model::Principal;

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "iam-pass-role-autoscaling",
    title: "Pass a role to a new Auto Scaling group",
    description: "With iam:PassRole on a role EC2 trusts and autoscaling:CreateAutoScalingGroup, the attacker describes instances that use the role's instance profile, either in a launch configuration (autoscaling:CreateLaunchConfiguration; new accounts can no longer create them) or in a launch template (ec2:CreateLaunchTemplate; the group then launches with the caller's ec2:RunInstances, which it also needs), and the group starts them; their metadata service serves the role's credentials. The role needs an instance profile: one the snapshot shows, or one the attacker may create (iam:CreateInstanceProfile and iam:AddRoleToInstanceProfile).",
    references: &["https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (method 3, through Auto Scaling)", "https://pathfinding.cloud/paths/ec2-001"],
    find,
    reaches: Reaches::Role,
    needs: Some("iam:PassRole"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            // A launch configuration; the profile is recorded on the role, as the IAM import does.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "autoscaling:CreateLaunchConfiguration", "*"], ["Allow", "autoscaling:CreateAutoScalingGroup", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
            // A launch template, and a profile the attacker makes.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:CreateLaunchTemplate", "*"], ["Allow", "ec2:RunInstances", "*"],
                             ["Allow", "autoscaling:CreateAutoScalingGroup", "*"], ["Allow", "iam:CreateInstanceProfile", "*"], ["Allow", "iam:AddRoleToInstanceProfile", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
        ],
        negative: &[
            // The role has no instance profile, and the attacker may not make one.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "autoscaling:CreateLaunchConfiguration", "*"], ["Allow", "autoscaling:CreateAutoScalingGroup", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}}}"#,
            // No way to describe the instances: neither a launch configuration nor a launch template.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "autoscaling:CreateAutoScalingGroup", "*"], ["Allow", "ec2:RunInstances", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
            // A launch template without ec2:RunInstances.
            r#"{"attacker": [["Allow", "iam:PassRole", "*"], ["Allow", "ec2:CreateLaunchTemplate", "*"], ["Allow", "autoscaling:CreateAutoScalingGroup", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
            // The role is not passed to EC2.
            r#"{"attacker": [["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}],
                             ["Allow", "autoscaling:CreateLaunchConfiguration", "*"], ["Allow", "autoscaling:CreateAutoScalingGroup", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]],
                                    "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/admin"]}}}}"#,
        ],
    },
};

/// The group, launch configuration and launch template the attacker would create.
const GROUP: &str = "autoScalingGroup:*:autoScalingGroupName/sightline-new";
const CONFIGURATION: &str = "launchConfiguration:*:launchConfigurationName/sightline-new";

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let service = "ec2.amazonaws.com";
    let roles: Vec<&Principal> =
        ctx.roles_trusted_by(service).iter().copied().filter(|r| r.id != attacker.id && ctx.wants(&r.id)).collect();
    if roles.is_empty() {
        return Vec::new();
    }
    // The instances' description: a launch configuration, or else a launch template and the right to launch.
    let launch = pass_role::requests(
        ctx,
        attacker,
        &[("autoscaling:CreateLaunchConfiguration", CONFIGURATION), ("autoscaling:CreateAutoScalingGroup", GROUP)],
    )
    .or_else(|| {
        pass_role::requests(
            ctx,
            attacker,
            &[
                ("ec2:CreateLaunchTemplate", "launch-template/*"),
                ("autoscaling:CreateAutoScalingGroup", GROUP),
                ("ec2:RunInstances", "instance"),
            ],
        )
    });
    let Some(launch) = launch else { return Vec::new() };
    let mut edges = Vec::new();
    for role in roles {
        let Some(pass) = pass_role::pass(ctx, attacker, role, service) else { continue };
        let mut proof = vec![pass];
        // The role's instance profile, or a new one.
        let Some(profile) = instance_role::profile_steps(ctx, attacker, role) else { continue };
        proof.extend(profile);
        proof.extend(launch.iter().cloned());
        let detail = format!("starts instances with {}'s instance profile through an Auto Scaling group", role.name);
        edges.push(edge(TECHNIQUE.id, attacker, &role.id, detail, proof));
    }
    edges
}
