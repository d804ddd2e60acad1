//! Privilege-escalation techniques, one file each: what the attacker needs (each request checked by the engine,
//! with its prerequisites checked against the snapshot), what it gives, and a positive fixture with a negative
//! twin that lacks one permission or prerequisite.
//!
//! The catalogue follows the public ones (Rhino Security Labs' AWS escalation methods, pathfinding.cloud,
//! BishopFox's iam-vulnerable); the ids are Sightline's own.

mod apprunner_update_service;
mod cloudformation_update_existing_stack;
mod codebuild_start_build;
mod codebuild_update_project;
mod ec2_instance_connect_send_ssh_public_key;
mod ec2_launch_template_new_version;
mod ec2_modify_instance_attribute_user_data;
mod ecs;
mod ecs_execute_command;
mod existing;
mod glue_update_dev_endpoint;
mod glue_update_job;
mod iam_add_user_to_group;
mod iam_attach_group_policy;
mod iam_attach_role_policy;
mod iam_attach_user_policy;
mod iam_create_access_key;
mod iam_create_login_profile;
mod iam_create_policy_version;
mod iam_delete_or_put_permissions_boundary;
mod iam_put_group_policy;
mod iam_put_role_policy;
mod iam_put_user_policy;
mod iam_set_default_policy_version;
mod iam_update_assume_role_policy;
mod iam_update_login_profile;
mod instance_role;
mod lambda_update_function_code;
mod lambda_update_function_configuration;
mod lambda_update_function_configuration_role;
mod pass_role;
mod pass_role_apprunner;
mod pass_role_autoscaling;
mod pass_role_bedrock_agentcore;
mod pass_role_cloudformation;
mod pass_role_cloudformation_changeset;
mod pass_role_codebuild;
mod pass_role_datapipeline;
mod pass_role_ec2;
mod pass_role_ec2_spot;
mod pass_role_ecs;
mod pass_role_ecs_existing_task_definition;
mod pass_role_ecs_service;
mod pass_role_glue;
mod pass_role_glue_job;
mod pass_role_lambda_event_source;
mod pass_role_lambda_invoke;
mod pass_role_sagemaker_notebook;
mod pass_role_sagemaker_processing;
mod pass_role_sagemaker_training;
mod sagemaker_create_presigned_notebook_url;
mod sagemaker_update_notebook_lifecycle;
mod ssm_send_command;
mod ssm_start_session;

use crate::{Ctx, Edge, EdgeKind, Step, ADMIN};
use sightline_iam::Context;
use sightline_model::{Principal, PrincipalKind};

/// One escalation technique.
pub struct Technique {
    /// Stable id, such as `iam-create-access-key`.
    pub id: &'static str,
    pub title: &'static str,
    /// How the attacker uses it, in words.
    pub description: &'static str,
    /// The public catalogue entries it corresponds to.
    pub references: &'static [&'static str],
    /// The edges it gives `attacker` in the snapshot.
    pub find: fn(&Ctx<'_, '_>, &Principal) -> Vec<Edge>,
    /// What its edges lead to.
    pub reaches: Reaches,
    /// An action the attacker's own identity policies must allow for the technique to apply (no resource-based
    /// policy can grant it): attackers whose policies never allow it are not asked. `None` when a resource policy
    /// could grant every request alone.
    pub needs: Option<&'static str>,
    /// Test fixtures (see the generic test below): snapshots where `attacker` gets (positive) or does not get
    /// (negative) this technique's edge to `expect`.
    pub fixtures: Fixtures,
}

/// What a technique's edges lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaches {
    /// Administrator of the account (the attacker grants itself everything).
    Admin,
    /// Another user (its credentials).
    User,
    /// A role (its permissions).
    Role,
}

/// A technique's fixtures, written in the short form the tests read.
pub struct Fixtures {
    /// Where the edge from the attacker leads: a principal's name (`role/admin`, `user/victim`) or `admin`.
    pub expect: &'static str,
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// Every technique, in catalogue order.
pub static TECHNIQUES: &[&Technique] = &[
    &iam_create_policy_version::TECHNIQUE,
    &iam_set_default_policy_version::TECHNIQUE,
    &iam_attach_user_policy::TECHNIQUE,
    &iam_attach_group_policy::TECHNIQUE,
    &iam_attach_role_policy::TECHNIQUE,
    &iam_put_user_policy::TECHNIQUE,
    &iam_put_group_policy::TECHNIQUE,
    &iam_put_role_policy::TECHNIQUE,
    &iam_add_user_to_group::TECHNIQUE,
    &iam_create_access_key::TECHNIQUE,
    &iam_create_login_profile::TECHNIQUE,
    &iam_update_login_profile::TECHNIQUE,
    &iam_update_assume_role_policy::TECHNIQUE,
    &pass_role_ec2::TECHNIQUE,
    &pass_role_lambda_invoke::TECHNIQUE,
    &pass_role_lambda_event_source::TECHNIQUE,
    &pass_role_cloudformation::TECHNIQUE,
    &pass_role_glue::TECHNIQUE,
    &pass_role_datapipeline::TECHNIQUE,
    &lambda_update_function_code::TECHNIQUE,
    &pass_role_ecs::TECHNIQUE,
    &pass_role_codebuild::TECHNIQUE,
    &pass_role_sagemaker_notebook::TECHNIQUE,
    &pass_role_sagemaker_training::TECHNIQUE,
    &pass_role_sagemaker_processing::TECHNIQUE,
    &pass_role_apprunner::TECHNIQUE,
    &pass_role_autoscaling::TECHNIQUE,
    &pass_role_cloudformation_changeset::TECHNIQUE,
    &pass_role_bedrock_agentcore::TECHNIQUE,
    &lambda_update_function_configuration::TECHNIQUE,
    &ssm_send_command::TECHNIQUE,
    &ssm_start_session::TECHNIQUE,
    &ec2_instance_connect_send_ssh_public_key::TECHNIQUE,
    &ec2_modify_instance_attribute_user_data::TECHNIQUE,
    &codebuild_start_build::TECHNIQUE,
    &glue_update_dev_endpoint::TECHNIQUE,
    &iam_delete_or_put_permissions_boundary::TECHNIQUE,
    &cloudformation_update_existing_stack::TECHNIQUE,
    &pass_role_glue_job::TECHNIQUE,
    &glue_update_job::TECHNIQUE,
    &pass_role_ecs_service::TECHNIQUE,
    &pass_role_ec2_spot::TECHNIQUE,
    &sagemaker_create_presigned_notebook_url::TECHNIQUE,
    &sagemaker_update_notebook_lifecycle::TECHNIQUE,
    &codebuild_update_project::TECHNIQUE,
    &apprunner_update_service::TECHNIQUE,
    &lambda_update_function_configuration_role::TECHNIQUE,
    &ecs_execute_command::TECHNIQUE,
    &pass_role_ecs_existing_task_definition::TECHNIQUE,
    &ec2_launch_template_new_version::TECHNIQUE,
];

/// The technique with this id.
pub fn technique(id: &str) -> Option<&'static Technique> {
    TECHNIQUES.iter().copied().find(|t| t.id == id)
}

/// The edge to administrator of technique `id`, which changes the attacker's own user or role (`kind`) with
/// `action` on itself.
fn on_itself(
    ctx: &Ctx<'_, '_>,
    attacker: &Principal,
    id: &'static str,
    kind: PrincipalKind,
    action: &str,
    detail: &str,
) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != kind {
        return Vec::new();
    }
    match ctx.allowed(&attacker.id, action, &attacker.id, &attaching(action)) {
        Some(step) => vec![edge(id, attacker, ADMIN, detail.to_string(), vec![step])],
        None => Vec::new(),
    }
}

/// The edges to administrator of technique `id`, which changes a group the attacker belongs to with `action`
/// (`doing` says how, before the group's name).
fn on_own_groups(ctx: &Ctx<'_, '_>, attacker: &Principal, id: &'static str, action: &str, doing: &str) -> Vec<Edge> {
    if !ctx.wants(ADMIN) || attacker.kind != PrincipalKind::User {
        return Vec::new();
    }
    ctx.groups_of(attacker)
        .filter_map(|g| {
            let step = ctx.allowed(&attacker.id, action, &g.id, &attaching(action))?;
            Some(edge(id, attacker, ADMIN, format!("{doing} {}, which it is a member of", g.name), vec![step]))
        })
        .collect()
}

/// The request context of `action`: attaching a managed policy names it (`iam:PolicyARN`), and the attacker
/// attaches AWS's AdministratorAccess.
fn attaching(action: &str) -> Context {
    let mut context = Context::default();
    if action.starts_with("iam:Attach") {
        context.insert("iam:PolicyARN", vec!["arn:aws:iam::aws:policy/AdministratorAccess".to_string()]);
    }
    context
}

/// An edge of technique `id` from the attacker.
fn edge(id: &'static str, attacker: &Principal, to: &str, detail: String, proof: Vec<Step>) -> Edge {
    Edge { from: attacker.id.clone(), to: to.to_string(), kind: EdgeKind::Technique(id), detail, proof }
}

#[cfg(test)]
pub(crate) mod tests;
