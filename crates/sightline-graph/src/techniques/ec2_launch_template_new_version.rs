//! Put user data of one's own in a new version of a launch template that an Auto Scaling group launches.

use super::{edge, existing, instance_role, pass_role};
use crate::techniques::{Fixtures, Reaches, Technique};
use crate::{Ctx, Edge, Step};
use sightline_iam::Context;
use sightline_model::{Principal, Props, Resource};

pub(crate) static TECHNIQUE: Technique = Technique {
    id: "ec2-launch-template-new-version",
    title: "Put user data of one's own in a new version of a launch template an Auto Scaling group uses",
    description: "An Auto Scaling group that launches a launch template at $Latest or $Default picks up new versions by itself. With ec2:CreateLaunchTemplateVersion on such a template (and ec2:ModifyLaunchTemplate to make the version the default, for a group at $Default), the attacker adds a version that keeps the instance profile an existing version names and carries user data of its own: the next instance the group launches (a scale-out, a replacement) runs the script as root and reads the profile role's credentials from the instance metadata service. No iam:PassRole is asked: the group launches with its service-linked role. For a group pinned to a version number, the attacker must also point the group at the new version: autoscaling:UpdateAutoScalingGroup, and, as Auto Scaling checks them on every update with a launch template, ec2:RunInstances and iam:PassRole on the role for EC2. The role must trust ec2.amazonaws.com. Only the profiles the template's collected versions name are credited. Reads AWS::AutoScaling::AutoScalingGroup resources (LaunchTemplate, MixedInstancesPolicy) and AWS::EC2::LaunchTemplate resources (Versions[].LaunchTemplateData.IamInstanceProfile, or LaunchTemplateData.IamInstanceProfile as CloudFormation writes it), as the live collector records them.",
    references: &[
        "https://pathfinding.cloud/paths/ec2-004",
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html",
    ],
    find,
    reaches: Reaches::Role,
    needs: Some("ec2:CreateLaunchTemplateVersion"),
    fixtures: Fixtures {
        expect: "role/admin",
        positive: &[
            // The group launches the default version; the profile is named by name.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "LaunchTemplateName": "web", "DefaultVersionNumber": 1, "LatestVersionNumber": 1,
                                    "Versions": [{"VersionNumber": 1, "DefaultVersion": true, "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "LaunchTemplateName": "web", "Version": "$Default"}}}]}"#,
            // A mixed-instances group at $Latest needs no new default; the profile is an instance profile resource.
            r#"{"attacker": [["Allow", "ec2:CreateLaunchTemplateVersion", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]]}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:iam::111111111111:instance-profile/web", "resource_type": "AWS::IAM::InstanceProfile", "account_id": "111111111111", "name": "web", "properties": {"Roles": ["admin"]}},
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "LaunchTemplateName": "web",
                                    "Versions": [{"VersionNumber": 4, "LaunchTemplateData": {"IamInstanceProfile": {"Arn": "arn:aws:iam::111111111111:instance-profile/web"}}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": "web", "Version": "$Latest"}}}}}]}"#,
            // A group pinned to version 1, which the attacker points at its version.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:RunInstances", "autoscaling:UpdateAutoScalingGroup"], "*"],
                             ["Allow", "iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "Version": "1"}}}]}"#,
        ],
        negative: &[
            // $Default, and the attacker may not change the default version.
            r#"{"attacker": [["Allow", "ec2:CreateLaunchTemplateVersion", "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "Versions": [{"VersionNumber": 1, "DefaultVersion": true, "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0abc"}}}]}"#,
            // No group launches the template.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "Versions": [{"VersionNumber": 1, "DefaultVersion": true, "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}]}}]}"#,
            // The template names no instance profile.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "Versions": [{"VersionNumber": 1, "DefaultVersion": true, "LaunchTemplateData": {"ImageId": "ami-1"}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "Version": "$Default"}}}]}"#,
            // A pinned group, and the role may not be passed to EC2.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:RunInstances", "autoscaling:UpdateAutoScalingGroup"], "*"]],
                "roles": {"admin": {"trust": "ec2.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "Versions": [{"VersionNumber": 1, "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "Version": "1"}}}]}"#,
            // The profile's role does not trust EC2.
            r#"{"attacker": [["Allow", ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], "*"]],
                "roles": {"admin": {"trust": "lambda.amazonaws.com", "policy": [["Allow", "*", "*"]], "properties": {"InstanceProfileArns": ["arn:aws:iam::111111111111:instance-profile/web"]}}},
                "resources": [
                    {"provider": "aws", "id": "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0abc", "resource_type": "AWS::EC2::LaunchTemplate", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplateId": "lt-0abc", "Versions": [{"VersionNumber": 1, "DefaultVersion": true, "LaunchTemplateData": {"IamInstanceProfile": {"Name": "web"}}}]}},
                    {"provider": "aws", "id": "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:9d1c:autoScalingGroupName/web", "resource_type": "AWS::AutoScaling::AutoScalingGroup", "account_id": "111111111111", "region": "us-east-1", "name": "web",
                     "properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "Version": "$Default"}}}]}"#,
        ],
    },
};

const GROUP: &str = "AWS::AutoScaling::AutoScalingGroup";
const TEMPLATE: &str = "AWS::EC2::LaunchTemplate";

fn find(ctx: &Ctx<'_, '_>, attacker: &Principal) -> Vec<Edge> {
    let trusted = ctx.roles_trusted_by("ec2.amazonaws.com");
    let mut edges = Vec::new();
    for group in ctx.resources_of(GROUP) {
        for spec in specifications(group) {
            let Some(template) = template_of(ctx, group, spec) else { continue };
            let roles: Vec<&Principal> = profiles(template)
                .flat_map(|p| instance_role::profile_roles(ctx, &template.account_id, p))
                .filter(|r| r.id != attacker.id && ctx.wants(&r.id) && trusted.iter().any(|t| t.id == r.id))
                .collect();
            if roles.is_empty() {
                continue;
            }
            let template_arn = template_arn(template);
            let none = Context::default();
            let Some(create) = ctx.allowed(&attacker.id, "ec2:CreateLaunchTemplateVersion", &template_arn, &none)
            else {
                continue;
            };
            let version = spec.get("Version").and_then(Props::as_str).unwrap_or("$Default");
            let mut seen = Vec::new();
            for role in roles {
                if seen.contains(&role.id) {
                    continue;
                }
                seen.push(role.id.clone());
                let Some(then) = launch(ctx, attacker, group, &template_arn, version, role) else { continue };
                let mut proof = vec![create.clone()];
                proof.extend(then);
                let detail = format!(
                    "adds a version with its own user data to launch template {}, which Auto Scaling group {} launches as {}",
                    label(template),
                    label(group),
                    role.name
                );
                edges.push(edge(TECHNIQUE.id, attacker, &role.id, detail, proof));
            }
        }
    }
    edges
}

/// What makes the group launch the new version: nothing more at `$Latest`; making it the default at `$Default`;
/// for a group pinned to a version, pointing the group at it (with the ec2:RunInstances and iam:PassRole that Auto
/// Scaling checks on such an update).
fn launch(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    group: &Resource,
    template_arn: &str,
    version: &str,
    role: &Principal,
) -> Option<Vec<Step>> {
    let none = Context::default();
    match version {
        "$Latest" => Some(Vec::new()),
        "$Default" => Some(vec![ctx.allowed(&attacker.id, "ec2:ModifyLaunchTemplate", template_arn, &none)?]),
        _ => {
            let group_arn = if group.id.starts_with("arn:") {
                group.id.as_str()
            } else {
                existing::property(group, &["AutoScalingGroupARN"]).filter(|a| a.starts_with("arn:"))?
            };
            let mut update = Context::default();
            update.insert("autoscaling:LaunchTemplateVersionSpecified", vec!["true".to_string()]);
            let mut steps =
                vec![ctx.allowed(&attacker.id, "autoscaling:UpdateAutoScalingGroup", group_arn, &update)?];
            steps.extend(pass_role::requests(ctx, attacker, &[("ec2:RunInstances", "instance")])?);
            steps.push(pass_role::pass(ctx, attacker, role, "ec2.amazonaws.com")?);
            Some(steps)
        }
    }
}

/// The launch template specifications of a group: its launch template, and those of its mixed instances policy and
/// of that policy's overrides.
fn specifications(group: &Resource) -> impl Iterator<Item = &Props> {
    let policy = group.properties.pointer("/MixedInstancesPolicy/LaunchTemplate");
    let overrides = policy.and_then(|p| p.get("Overrides")).and_then(Props::as_array).into_iter().flatten();
    group
        .properties
        .get("LaunchTemplate")
        .into_iter()
        .chain(policy.and_then(|p| p.get("LaunchTemplateSpecification")))
        .chain(overrides.filter_map(|o| o.get("LaunchTemplateSpecification")))
}

/// The template a specification names, by id or by name, in the group's account and region.
fn template_of<'s>(ctx: &Ctx<'_, 's>, group: &Resource, spec: &Props) -> Option<&'s Resource> {
    let id = spec.get("LaunchTemplateId").and_then(Props::as_str);
    let name = spec.get("LaunchTemplateName").and_then(Props::as_str);
    ctx.resources_of(TEMPLATE).iter().copied().find(|t| {
        t.account_id == group.account_id
            && existing::region(t) == existing::region(group)
            && (id.is_some() && existing::property(t, &["LaunchTemplateId"]) == id
                || id.is_none()
                    && name.is_some()
                    && existing::property(t, &["LaunchTemplateName"]).or(Some(t.name.as_str())) == name)
    })
}

/// The instance profiles (ARN or name) the template's versions name.
fn profiles(template: &Resource) -> impl Iterator<Item = &str> {
    let versions = template.properties.get("Versions").and_then(Props::as_array).into_iter().flatten();
    versions
        .filter_map(|v| v.get("LaunchTemplateData"))
        .chain(template.properties.get("LaunchTemplateData"))
        .filter_map(|data| {
            let profile = data.get("IamInstanceProfile")?;
            profile.get("Arn").or_else(|| profile.get("Name"))?.as_str()
        })
}

fn template_arn(template: &Resource) -> String {
    if template.id.starts_with("arn:") {
        return template.id.clone();
    }
    let id = existing::property(template, &["LaunchTemplateId"]).unwrap_or(&template.id);
    format!("arn:aws:ec2:{}:{}:launch-template/{id}", existing::region(template), template.account_id)
}

fn label(resource: &Resource) -> &str {
    if resource.name.is_empty() {
        &resource.id
    } else {
        &resource.name
    }
}
