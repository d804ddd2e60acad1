//! `can` and `who-can` for Azure: tells an Azure question from an AWS one, and answers it with the RBAC and Entra
//! engine of `sightline-azure`. The verdicts are computed there; this file only routes and renders.

use crate::{CanArgs, Format, WhoCanArgs};
use anyhow::{bail, Result};
use clap::ValueEnum;
use serde::Serialize;
use sightline_azure::rbac::{self, Access, Decision, Operation, Plane, RbacIndex, Verdict};
use sightline_model::{Provider, Snapshot};
use std::io::Write;
use std::process::ExitCode;

/// The Azure options of `can` and `who-can`.
#[derive(clap::Args)]
pub(crate) struct AzureArgs {
    /// Azure: the permission system ACTION belongs to. By default a name without `/` is a Graph application
    /// permission (`RoleManagement.ReadWrite.Directory`), `microsoft.directory/...` an Entra directory action, and
    /// anything else an ARM control-plane action; data actions must be asked with `--plane data-action`.
    #[arg(long, value_enum)]
    plane: Option<PlaneArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlaneArg {
    Action,
    DataAction,
    Directory,
    AppPermission,
}

/// Whether a resource argument is an Azure scope: an ARM scope, the root `/`, or an Entra directory scope.
fn is_azure_scope(resource: &str) -> bool {
    let r = resource.trim().to_ascii_lowercase();
    r == "/"
        || r.starts_with("/subscriptions/")
        || r.starts_with("/providers/microsoft.management/")
        || r.starts_with("/administrativeunits/")
        || r.strip_prefix('/').is_some_and(rbac::looks_like_guid)
}

/// Whether a principal argument names an Azure principal: an object id, or the user principal name, app id or
/// display name of an Azure principal in the snapshot.
fn is_azure_principal(principal: &str, snapshot: &Snapshot) -> bool {
    let wanted = principal.trim();
    rbac::looks_like_guid(wanted)
        || snapshot.principals.iter().filter(|p| p.provider == Provider::Azure).any(|p| {
            p.name.eq_ignore_ascii_case(wanted)
                || ["userPrincipalName", "appId"].iter().any(|k| {
                    p.properties.get(*k).and_then(|v| v.as_str()).is_some_and(|v| v.eq_ignore_ascii_case(wanted))
                })
        })
}

fn operation(action: &str, plane: Option<PlaneArg>) -> Operation {
    let plane = match plane {
        Some(PlaneArg::Action) => Plane::Action,
        Some(PlaneArg::DataAction) => Plane::DataAction,
        Some(PlaneArg::Directory) => Plane::Directory,
        Some(PlaneArg::AppPermission) => Plane::AppPermission,
        None if !action.contains('/') => Plane::AppPermission,
        None if action.to_ascii_lowercase().starts_with("microsoft.directory/") => Plane::Directory,
        None => Plane::Action,
    };
    Operation { plane, name: action.trim().to_string() }
}

/// The AWS-only options cannot apply to an Azure question: refuse them rather than ignore them.
fn refuse_aws_options(context: &[String], session: bool) -> Result<()> {
    if !context.is_empty() || session {
        bail!("--context, --session-name and --session-policy apply to AWS requests, not to Azure ones");
    }
    Ok(())
}

/// Warns when an operation asked (by default) as a control-plane action is a data action of some role: the
/// answer is then about a control-plane operation of that name, which is rarely what was meant.
fn hint_data_action(index: &RbacIndex, op: &Operation, plane: Option<PlaneArg>) {
    if plane.is_some() || op.plane != Plane::Action {
        return;
    }
    let roles = index.roles_with_data_action(&op.name);
    if let Some(first) = roles.first() {
        eprintln!(
            "note: {} is a data action of {first}{}; it was evaluated as a control-plane action (add --plane data-action)",
            op.name,
            if roles.len() > 1 { format!(" and {} other role(s)", roles.len() - 1) } else { String::new() }
        );
    }
}

fn index(snapshot: &Snapshot) -> RbacIndex {
    let index = RbacIndex::new(snapshot);
    let problems = index.problems();
    if !problems.is_empty() {
        eprintln!("warning: {} Azure record(s) could not be used:", problems.len());
        for p in problems.iter().take(10) {
            eprintln!("  {}: {}", p.record, p.message);
        }
        if problems.len() > 10 {
            eprintln!("  ... and {} more", problems.len() - 10);
        }
    }
    index
}

/// The JSON shape of an Azure `can` answer.
#[derive(Serialize)]
struct CanJson<'a> {
    principal: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal_name: Option<&'a str>,
    action: &'a str,
    plane: Plane,
    resource: &'a str,
    decision: Verdict,
    explanation: &'a Decision,
}

/// The JSON shape of one principal of an Azure `who-can` answer.
#[derive(Serialize)]
struct WhoCanJson<'a> {
    principal: &'a str,
    principal_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal_name: Option<&'a str>,
    decision: Verdict,
    explanation: &'a Decision,
}

/// Answers `can` when it is an Azure question (`None` otherwise, for the AWS engine to answer).
pub(crate) fn can(args: &CanArgs, snapshot: &Snapshot) -> Result<Option<ExitCode>> {
    if args.azure.plane.is_none() && !is_azure_scope(&args.resource) && !is_azure_principal(&args.principal, snapshot) {
        return Ok(None);
    }
    refuse_aws_options(&args.request.context, args.session_name.is_some() || args.session_policy.is_some())?;
    let index = index(snapshot);
    let principal = index.find_principal(snapshot, &args.principal)?;
    let op = operation(&args.action, args.azure.plane);
    hint_data_action(&index, &op, args.azure.plane);
    let decision = index.decide(&principal, &op, &args.resource);
    let name = index.principal_name(&principal);
    match args.request.format {
        Format::Json => print_json(&CanJson {
            principal: &principal,
            principal_name: name,
            action: &op.name,
            plane: op.plane,
            resource: &args.resource,
            decision: decision.verdict,
            explanation: &decision,
        })?,
        Format::Text => {
            let who = match name {
                Some(n) => format!("{n} ({principal})"),
                None => principal.clone(),
            };
            let mut s = format!("{}  {who}  {}  {}\n", label(decision.verdict), op.name, args.resource);
            render(&mut s, &decision, &index, "  ");
            std::io::stdout().lock().write_all(s.as_bytes())?;
        }
    }
    Ok(Some(ExitCode::SUCCESS))
}

/// Answers `who-can` when it is an Azure question (`None` otherwise).
pub(crate) fn who_can(args: &WhoCanArgs, snapshot: &Snapshot) -> Result<Option<ExitCode>> {
    if args.azure.plane.is_none() && !is_azure_scope(&args.resource) {
        return Ok(None);
    }
    refuse_aws_options(&args.request.context, false)?;
    let index = index(snapshot);
    let op = operation(&args.action, args.azure.plane);
    hint_data_action(&index, &op, args.azure.plane);
    let found = index.who_can(&op, &args.resource);
    match args.request.format {
        Format::Json => {
            let rows: Vec<WhoCanJson<'_>> = found
                .iter()
                .map(|a| WhoCanJson {
                    principal: &a.principal,
                    principal_type: a.principal_type,
                    principal_name: a.principal_name.as_deref(),
                    decision: a.decision.verdict,
                    explanation: &a.decision,
                })
                .collect();
            print_json(&rows)?;
        }
        Format::Text => {
            let s = render_who_can(&op, &args.resource, &found, &index);
            std::io::stdout().lock().write_all(s.as_bytes())?;
        }
    }
    Ok(Some(ExitCode::SUCCESS))
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn label(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "ALLOWED",
        Verdict::Conditional => "CONDITIONAL",
        Verdict::Eligible => "ELIGIBLE",
        Verdict::Denied => "DENIED",
        Verdict::NotAllowed => "NOT_ALLOWED",
        Verdict::NotEvaluated => "NOT_EVALUATED",
    }
}

fn group_label(index: &RbacIndex, id: &str) -> String {
    match index.principal_name(id) {
        Some(name) => format!(" through group {name} ({id})"),
        None => format!(" through group {id}"),
    }
}

/// The evidence of a decision, one line each: grants, denials, unresolved assignments, notes.
fn render(s: &mut String, d: &Decision, index: &RbacIndex, indent: &str) {
    s.push_str(&format!("{indent}{}\n", d.summary));
    for g in &d.grants {
        let via = g.via_group.as_deref().map(|v| group_label(index, v)).unwrap_or_default();
        let block = g.permission_block.map(|b| format!(", permission block {b}")).unwrap_or_default();
        let condition = g.condition.as_deref().map(|c| format!(", condition: {c}")).unwrap_or_default();
        let source = match g.source {
            rbac::GrantSource::RoleAssignment => "role assignment",
            rbac::GrantSource::RoleEligibility => "eligible (PIM)",
            rbac::GrantSource::DirectoryRoleAssignment => "directory role",
            rbac::GrantSource::DirectoryRoleEligibility => "eligible directory role (PIM)",
            rbac::GrantSource::Ownership => "ownership",
            rbac::GrantSource::AppRoleAssignment => "application permission",
        };
        s.push_str(&format!(
            "{indent}  grant  {source} {}: {} at {}{via}{block} matches {:?}{condition}\n",
            g.assignment, g.role_name, g.scope, g.pattern
        ));
    }
    for x in &d.denials {
        let names = if x.matched_principal == rbac::EVERYONE {
            "everyone".to_string()
        } else {
            match index.principal_name(&x.matched_principal) {
                Some(name) => format!("{name} ({})", x.matched_principal),
                None => x.matched_principal.clone(),
            }
        };
        s.push_str(&format!(
            "{indent}  deny   deny assignment {} ({}) at {}, permission block {} matches {:?}, names {names}\n",
            x.name, x.deny_assignment, x.scope, x.permission_block, x.pattern
        ));
    }
    for u in &d.unresolved {
        let via = u.via_group.as_deref().map(|v| group_label(index, v)).unwrap_or_default();
        s.push_str(&format!("{indent}  unresolved  {} at {}{via}: {}\n", u.assignment, u.scope, u.reason));
    }
    for n in &d.notes {
        s.push_str(&format!("{indent}  note: {n}\n"));
    }
}

fn render_who_can(op: &Operation, scope: &str, found: &[Access], index: &RbacIndex) -> String {
    let mut s = format!(
        "{} principal{} with a grant of {} ({}) at {scope}\n",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        op.name,
        op.plane.as_str()
    );
    for a in found {
        let name = a.principal_name.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
        s.push_str(&format!("  {:<13} {:<17} {name}({})\n", label(a.decision.verdict), a.principal_type, a.principal));
        render(&mut s, &a.decision, index, "                ");
    }
    s
}

/// The text of an Azure `can` answer, for the demo.
pub(crate) fn text_can(index: &RbacIndex, principal: &str, op: &Operation, scope: &str) -> (Decision, String) {
    let decision = index.decide(principal, op, scope);
    let who = match index.principal_name(principal) {
        Some(n) => format!("{n} ({principal})"),
        None => principal.to_string(),
    };
    let mut s = format!("{}  {who}  {}  {scope}\n", label(decision.verdict), op.name);
    render(&mut s, &decision, index, "  ");
    (decision, s)
}

/// The text of an Azure `who-can` answer, for the demo.
pub(crate) fn text_who_can(index: &RbacIndex, op: &Operation, scope: &str) -> (Vec<Access>, String) {
    let found = index.who_can(op, scope);
    let s = render_who_can(op, scope, &found, index);
    (found, s)
}
