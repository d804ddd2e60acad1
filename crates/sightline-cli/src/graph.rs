//! `sightline privesc` and `sightline paths`: the security graph's answers (see `sightline-graph`).

use crate::{Format, Source};
use anyhow::{bail, Result};
use clap::Args;
use sightline_graph::{Hop, ADMIN};
use std::fmt::Write as _;
use std::process::ExitCode;

/// Where the snapshot comes from: a database, export files, or the bundled demo.
#[derive(Args)]
pub struct GraphSource {
    #[command(flatten)]
    pub(crate) source: Source,
    /// Use the bundled demo organization instead.
    #[arg(long)]
    pub(crate) demo: bool,
}

#[derive(Args)]
pub struct PrivescArgs {
    #[command(flatten)]
    source: GraphSource,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(clap::Subcommand)]
pub enum GraphCommand {
    /// Write the whole security graph for Neo4j, Gephi or Graphviz: users, groups, roles, the services, identity
    /// providers and outside accounts that policies let in, resources, data classifications and an administrator
    /// node; member-of, can-assume, escalation, can-pass-role, has-access and classified-as edges.
    Export(ExportArgs),
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormatArg {
    Graphml,
    Dot,
    Cypher,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    source: GraphSource,
    #[arg(long, value_enum)]
    format: ExportFormatArg,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<std::path::PathBuf>,
    /// Leave out has-access edges (who may act on each resource, which asks the engine about every action of
    /// each resource for every principal).
    #[arg(long)]
    no_access: bool,
}

/// `sightline graph export`.
pub fn graph(command: GraphCommand) -> Result<ExitCode> {
    let GraphCommand::Export(args) = command;
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    let authz = crate::authorizer(&snapshot)?;
    let options = sightline_graph::Options { access: !args.no_access };
    let format = match args.format {
        ExportFormatArg::Graphml => sightline_graph::export::ExportFormat::GraphMl,
        ExportFormatArg::Dot => sightline_graph::export::ExportFormat::Dot,
        ExportFormatArg::Cypher => sightline_graph::export::ExportFormat::Cypher,
    };
    // Written as it is computed: the edges of a large account never all sit in memory.
    let (mut out, name): (Box<dyn std::io::Write>, String) = match &args.output {
        Some(path) => (
            Box::new(std::io::BufWriter::new(
                std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", path.display()))?,
            )),
            path.display().to_string(),
        ),
        None => (Box::new(std::io::BufWriter::new(std::io::stdout().lock())), "standard output".to_string()),
    };
    let writer: std::cell::RefCell<Option<sightline_graph::export::Writer<'_>>> = std::cell::RefCell::new(None);
    let out_ref: &mut dyn std::io::Write = &mut *out;
    let mut slot = Some(out_ref);
    let admin_written = std::cell::Cell::new(false);
    let problems = sightline_graph::Graph::stream_mapped(
        &snapshot,
        &authz,
        options,
        |nodes, admins, edges| {
            let mut w = sightline_graph::export::Writer::begin(format, slot.take().unwrap_or_else(|| unreachable!()))?;
            for n in &nodes {
                admin_written.set(admin_written.get() || n.id == ADMIN);
                w.node(n, n.kind == sightline_graph::NodeKind::Admin || admins.contains(&n.id))?;
            }
            for e in &edges {
                w.edge(e)?;
            }
            *writer.borrow_mut() = Some(w);
            Ok::<(), std::io::Error>(())
        },
        // Each principal's moves are written out as text on the core that found them.
        |principal, edges| sightline_graph::export::Writer::moves_text(format, principal, &edges),
        |texts| {
            if let Some(w) = writer.borrow_mut().as_mut() {
                for text in &texts {
                    w.moves(text)?;
                }
            }
            Ok(())
        },
    );
    // The Azure part of the snapshot: its nodes and edges, decided by the RBAC and Entra engine, after the AWS ones.
    let problems = problems.and_then(|mut problems| {
        if !snapshot.principals.iter().any(|p| p.provider == sightline_model::Provider::Azure) {
            return Ok(problems);
        }
        let engine = sightline_graph::azure::engine::Engine::new(&snapshot);
        // Written one edge kind at a time: the access edges of a large tenant never all sit in memory. `--no-access`
        // leaves out the access edges (to Key Vaults, storage accounts, VMs) as it does for AWS.
        let azure = match writer.borrow_mut().as_mut() {
            Some(w) => {
                sightline_graph::azure::stream(&snapshot, &engine, options.access, admin_written.get(), |item| {
                    match item {
                        sightline_graph::azure::Item::Node(n, admin) => w.node(n, admin),
                        sightline_graph::azure::Item::Edge(e) => w.edge(e),
                    }
                })?
            }
            None => Vec::new(),
        };
        problems.extend(engine.problems());
        problems.extend(azure);
        Ok(problems)
    });
    let finished = problems.and_then(|problems| writer.into_inner().map_or(Ok(()), |w| w.finish()).map(|()| problems));
    let problems = match finished {
        Ok(p) => p,
        // A closed pipe (`| head`) ends the output quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Vec::new(),
        Err(e) => return Err(anyhow::anyhow!("{name}: cannot write: {e}")),
    };
    for problem in &problems {
        eprintln!("warning: not evaluated: {problem}");
    }
    crate::release_at_exit(authz);
    crate::release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct PathsArgs {
    /// The principal to start from (user or role ARN).
    #[arg(long)]
    from: String,
    /// Where to go: a user or role ARN, or `admin` (any effective administrator).
    #[arg(long)]
    to: String,
    #[command(flatten)]
    source: GraphSource,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn hops_text(out: &mut String, path: &[Hop]) {
    for (i, hop) in path.iter().enumerate() {
        let _ = writeln!(out, "    {}. {} -> {}", i + 1, hop.technique, hop.to);
        let _ = writeln!(out, "       {}", hop.detail);
        for step in &hop.proof {
            let _ =
                writeln!(out, "       allowed {} on {} by {}", step.action, step.resource, step.statements.join(", "));
        }
    }
}

/// Every principal that can become an administrator, with its shortest path.
pub fn privesc(args: PrivescArgs) -> Result<ExitCode> {
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    let authz = crate::authorizer(&snapshot)?;
    let mut graph = sightline_graph::privesc(&snapshot, &authz);
    // The Azure part of the snapshot, decided by the RBAC and Entra engine.
    if snapshot.principals.iter().any(|p| p.provider == sightline_model::Provider::Azure) {
        let engine = sightline_graph::azure::engine::Engine::new(&snapshot);
        let azure = sightline_graph::azure::privesc(&snapshot, &engine);
        graph.admins.extend(azure.admins);
        graph.escalations.extend(azure.escalations);
        graph.problems.extend(engine.problems());
        graph.problems.extend(azure.problems);
    }
    for problem in &graph.problems {
        eprintln!("warning: not evaluated: {problem}");
    }
    {
        let escalations = &graph.escalations;
        let text = match args.format {
            Format::Json => serde_json::to_string_pretty(&escalations)? + "\n",
            Format::Text => {
                let mut out = String::new();
                let _ = writeln!(out, "Effective administrators ({}):", graph.admins.len());
                for a in &graph.admins {
                    let _ = writeln!(out, "  {a}");
                }
                let _ = writeln!(out, "\nPrincipals that can become an administrator ({}):", escalations.len());
                for e in escalations {
                    let _ = writeln!(
                        out,
                        "\n  {} ({} hop{})",
                        e.principal,
                        e.path.len(),
                        if e.path.len() == 1 { "" } else { "s" }
                    );
                    hops_text(&mut out, &e.path);
                }
                out
            }
        };
        crate::scan::print_out(&text)?;
    }
    crate::release_at_exit(graph);
    crate::release_at_exit(authz);
    crate::release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}

/// The shortest path from one principal to another, or to administrator.
pub fn paths(args: PathsArgs) -> Result<ExitCode> {
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    let known = |arn: &str| {
        snapshot.principals.iter().any(|p| {
            p.id == arn && matches!(p.kind, sightline_model::PrincipalKind::User | sightline_model::PrincipalKind::Role)
        })
    };
    if !known(&args.from) {
        if !args.from.starts_with("arn:")
            && snapshot.principals.iter().any(|p| p.provider == sightline_model::Provider::Azure)
        {
            return azure_path(&args, &snapshot);
        }
        bail!("{}: no such user or role in the snapshot", args.from);
    }
    // A principal, `admin`, a resource, or `label:NAME` (any resource the data scanner labelled so): for the last
    // two, the path ends with the access to it.
    let label = args.to.strip_prefix("label:");
    let to_resource = label.is_none() && args.to != ADMIN && !known(&args.to);
    if to_resource && !args.to.starts_with("arn:") {
        bail!(
            "{}: no such user or role in the snapshot, and not a resource ARN (or give `admin` or label:NAME)",
            args.to
        );
    }
    let authz = crate::authorizer(&snapshot)?;
    let mut reached = None;
    let path = if let Some(label) = label {
        sightline_graph::path_to_label(&snapshot, &authz, &args.from, label)?.map(|(target, path)| {
            reached = Some(target);
            path
        })
    } else if to_resource {
        sightline_graph::path_to_resource(&snapshot, &authz, &args.from, &args.to)?
    } else {
        sightline_graph::shortest_path(&snapshot, &authz, &args.from, &args.to)
    };
    let to = reached.unwrap_or_else(|| args.to.clone());
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "from": args.from, "to": to, "path": path }))? + "\n"
        }
        Format::Text => match &path {
            Some(path) => {
                let mut out = format!("{} -> {} in {} hop(s):\n", args.from, to, path.len());
                hops_text(&mut out, path);
                out
            }
            None => format!("no path from {} to {}\n", args.from, args.to),
        },
    };
    crate::scan::print_out(&text)?;
    crate::release_at_exit(authz);
    crate::release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}

/// `paths` from an Azure principal (object id, user principal name, app id or display name) to another or to
/// `admin`.
fn azure_path(args: &PathsArgs, snapshot: &sightline_model::Snapshot) -> Result<ExitCode> {
    use sightline_graph::azure;
    let engine = azure::engine::Engine::new(snapshot);
    let from = engine.find_principal(&args.from).map_err(|e| anyhow::anyhow!("{}: {e}", args.from))?;
    let to = if args.to == ADMIN {
        ADMIN.to_string()
    } else {
        engine.find_principal(&args.to).map_err(|e| anyhow::anyhow!("{}: {e}", args.to))?
    };
    let path = azure::shortest_path(snapshot, &engine, &from, &to);
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "from": from, "to": to, "path": path }))? + "\n"
        }
        Format::Text => match &path {
            Some(path) => {
                let mut out = format!("{} -> {} in {} hop(s):\n", from, to, path.len());
                hops_text(&mut out, path);
                out
            }
            None => format!("no path from {from} to {to}\n"),
        },
    };
    crate::scan::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct AccessArgs {
    /// The user or role whose effective permissions to list.
    #[arg(required_unless_present_any = ["resource", "all"], conflicts_with_all = ["resource", "all"])]
    principal: Option<String>,
    /// List instead everything that can reach this resource, and how.
    #[arg(long, conflicts_with = "all")]
    resource: Option<String>,
    /// Every user and role: person or not, services and actions by access level, and risks, one line each.
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    source: GraphSource,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn levels(map: &std::collections::BTreeMap<sightline_iam::actions::AccessLevel, usize>) -> String {
    let parts: Vec<String> = map.iter().map(|(level, n)| format!("{} {n}", level.as_str())).collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// `sightline access ARN` and `sightline access --resource ARN`.
pub fn access(args: AccessArgs) -> Result<ExitCode> {
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    let authz = crate::authorizer(&snapshot)?;
    let text = match (&args.principal, &args.resource) {
        _ if args.all => {
            let ids: Vec<&str> = snapshot
                .principals
                .iter()
                .filter(|p| {
                    p.provider == sightline_model::Provider::Aws
                        && matches!(p.kind, sightline_model::PrincipalKind::User | sightline_model::PrincipalKind::Role)
                        && !p.path.as_deref().is_some_and(|path| path.starts_with("/aws-service-role/"))
                })
                .map(|p| p.id.as_str())
                .collect();
            let all: Vec<sightline_graph::access::IdentityAccess> =
                sightline_model::parallel_map(&ids, |id| sightline_graph::access::access_of(&snapshot, &authz, id))
                    .into_iter()
                    .collect::<Result<_, _>>()?;
            match args.format {
                Format::Json => {
                    // The summary of each identity; `access ARN` gives one's permissions action by action.
                    let list: Vec<serde_json::Value> = all
                        .iter()
                        .map(|a| {
                            serde_json::json!({"principal": a.principal, "identity": a.identity,
                                "actions": a.permissions.len(), "services": a.services, "risks": a.risks})
                        })
                        .collect();
                    serde_json::to_string_pretty(&list)? + "\n"
                }
                Format::Text => {
                    let mut out =
                        format!("{:<72} {:<10} {:>8} {:>8}  risks\n", "principal", "identity", "services", "actions");
                    for a in &all {
                        let risks: Vec<&str> = a.risks.iter().map(|r| r.category).collect();
                        let _ = writeln!(
                            out,
                            "{:<72} {:<10} {:>8} {:>8}  {}",
                            a.principal,
                            a.identity,
                            a.services.len(),
                            a.permissions.len(),
                            if risks.is_empty() { "-".to_string() } else { risks.join(", ") }
                        );
                    }
                    out
                }
            }
        }
        (Some(principal), _) => {
            let access = sightline_graph::access::access_of(&snapshot, &authz, principal)?;
            match args.format {
                Format::Json => serde_json::to_string_pretty(&access)? + "\n",
                Format::Text => {
                    let mut out = format!(
                        "{} ({}): {} actions allowed\n\n{:<24} {:<60} {}\n",
                        access.principal,
                        access.identity,
                        access.permissions.len(),
                        "service",
                        "on any resource",
                        "on some resources"
                    );
                    for s in &access.services {
                        let _ = writeln!(out, "{:<24} {:<60} {}", s.service, levels(&s.anywhere), levels(&s.scoped));
                    }
                    let _ = writeln!(out, "\nRisks:");
                    if access.risks.is_empty() {
                        let _ = writeln!(out, "  none");
                    }
                    for r in &access.risks {
                        let shown: Vec<&str> = r.evidence.iter().take(5).map(String::as_str).collect();
                        let more = r.evidence.len().saturating_sub(shown.len());
                        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
                        let _ = writeln!(out, "  {:<28} {}{tail}", r.category, shown.join(", "));
                    }
                    out
                }
            }
        }
        (None, Some(resource)) => {
            let reach = sightline_graph::access::who_can_reach(&authz, resource)?;
            match args.format {
                Format::Json => serde_json::to_string_pretty(&reach)? + "\n",
                Format::Text => {
                    let mut out = format!("{} principals can reach {resource}:\n", reach.len());
                    for r in &reach {
                        let counts: Vec<String> =
                            r.actions.iter().map(|(level, a)| format!("{} {}", level.as_str(), a.len())).collect();
                        let _ = writeln!(out, "\n  {}  [{}]\n    {}", r.principal, counts.join(", "), r.how);
                    }
                    out
                }
            }
        }
        (None, None) => bail!("give a principal ARN, or --resource ARN"),
    };
    crate::scan::print_out(&text)?;
    crate::release_at_exit(authz);
    crate::release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}
