//! `sightline`: argument parsing and wiring. Every command's logic lives in the library crates.

mod activity;
mod azure_access;
mod azure_collect;
mod azure_import;
#[cfg(feature = "live-aws")]
mod collect;
mod demo;
mod dlp;
mod graph;
mod output;
mod scan;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use sightline_iam::authz::{Authorizer, Query};
use sightline_iam::{Context, PolicyDocument, PolicyType};
use sightline_model::Snapshot;
use sightline_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

// Snapshots are hundreds of thousands of small strings and vectors: mimalloc allocates and frees them several
// times faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sightline: cloud security for the customer's side of the shared responsibility model.
#[derive(Parser)]
#[command(name = "sightline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the bundled demo organization and answer the questions that reveal its mistakes.
    Demo(DemoArgs),
    /// Collect a live cloud account (read-only) into the database.
    #[command(subcommand)]
    Collect(CollectCommand),
    /// Import offline exports into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export a stored snapshot.
    #[command(subcommand)]
    Export(ExportCommand),
    /// List the stored snapshots.
    Snapshots(SnapshotsArgs),
    /// Is PRINCIPAL allowed to perform ACTION on RESOURCE? Prints the decision and why.
    Can(CanArgs),
    /// Who can perform ACTION on RESOURCE? Lists every allowed principal with the reason.
    WhoCan(WhoCanArgs),
    /// Check a policy document the way IAM would before accepting it.
    #[command(subcommand)]
    Validate(ValidateCommand),
    /// Expand an action pattern (`s3:Get*`, `iam:*Policy*`) with the action database.
    Actions(ActionsArgs),
    /// Check a snapshot against the CSPM rules (CIS AWS Foundations and more) and report the findings.
    Scan(scan::ScanArgs),
    /// List the built-in rules, or show one.
    #[command(subcommand)]
    Rules(scan::RulesCommand),
    /// For each service in the snapshot: which security domains the customer owns, shares or inherits, and how
    /// the customer's are held up.
    Responsibility(scan::ResponsibilityArgs),
    /// Every user and role that can become an administrator, with its shortest path and each hop's proof.
    Privesc(graph::PrivescArgs),
    /// The shortest path from one principal to another, or to `admin`, with each hop's proof.
    Paths(graph::PathsArgs),
    /// The security graph itself.
    #[command(subcommand)]
    Graph(graph::GraphCommand),
    /// The effective permissions of one user or role by service and access level; or, with --resource, every
    /// principal that can reach one resource, and how.
    Access(graph::AccessArgs),
    /// What identities actually did: CloudTrail logs read into the database.
    #[command(subcommand)]
    Activity(activity::ActivityCommand),
    /// A policy allowing exactly what one user or role was seen doing (from imported CloudTrail activity),
    /// checked with the IAM engine against the observed calls.
    LeastPrivilege(activity::LeastPrivilegeArgs),
    /// Sensitive data (DLP) in local files and directories.
    #[command(subcommand)]
    Dlp(dlp::DlpCommand),
    /// Generate synthetic exports for benchmarks.
    #[command(subcommand, hide = true)]
    Generate(GenerateCommand),
}

#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Args)]
struct DbArg {
    /// The Sightline database.
    #[arg(long, env = "SIGHTLINE_DB", default_value = "sightline.db")]
    db: PathBuf,
}

#[derive(Args)]
pub(crate) struct Source {
    /// The Sightline database to read (its newest snapshot unless --snapshot).
    #[arg(long, env = "SIGHTLINE_DB", default_value = "sightline.db")]
    db: PathBuf,
    /// Which stored snapshot to use.
    #[arg(long)]
    snapshot: Option<i64>,
    /// Read export files or directories directly instead of the database (authorization details, organization,
    /// resources, or a snapshot export; the kind of each file is told from its contents).
    #[arg(long, num_args = 1.., conflicts_with_all = ["snapshot"])]
    input: Vec<PathBuf>,
}

impl Source {
    /// The snapshot, with the data scanner's labels on the resources holding the objects it scanned.
    fn load(&self) -> Result<Snapshot> {
        let mut snapshot = self.load_as_stored()?;
        snapshot.label_resources_from_data();
        Ok(snapshot)
    }

    fn load_as_stored(&self) -> Result<Snapshot> {
        if !self.input.is_empty() {
            return Ok(sightline_aws::import::load(&self.input)?);
        }
        if !self.db.exists() {
            bail!(
                "{}: no such database (run `sightline import aws-iam FILE...` first, or give --input FILE)",
                self.db.display()
            );
        }
        let store = Store::open(&self.db)?;
        let id = match self.snapshot {
            Some(id) => id,
            None => store.latest()?,
        };
        Ok(store.load(id)?)
    }
}

#[derive(Args)]
struct DemoArgs {
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Also save the demo snapshot into this database, to explore it with `can` and `who-can`.
    #[arg(long)]
    save: Option<PathBuf>,
}

#[derive(Subcommand)]
enum CollectCommand {
    /// An AWS account (and, with --org, every account of its organization), with the AWS SDK's credential chain.
    Aws(CollectAwsArgs),
    /// An Azure tenant: subscriptions, resources, RBAC and Microsoft Entra, read-only, with the azure_identity
    /// credentials (client secret, managed identity, Azure CLI) or tokens in AZURE_ARM_TOKEN / AZURE_GRAPH_TOKEN / AZURE_VAULT_TOKEN.
    Azure(azure_collect::AzureCollectArgs),
}

#[derive(Args)]
struct CollectAwsArgs {
    /// Named profile of the shared AWS configuration.
    #[arg(long)]
    profile: Option<String>,
    /// `all` (every enabled region) or a comma-separated list.
    #[arg(long, default_value = "all")]
    regions: String,
    /// Comma-separated services to collect (default: all).
    #[arg(long, value_delimiter = ',')]
    services: Vec<String>,
    /// Send every request to this endpoint (an emulator, a proxy).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    endpoint_url: Option<String>,
    /// Collect every member account of the organization through an assumed role.
    #[arg(long)]
    org: bool,
    /// The role assumed in member accounts.
    #[arg(long, default_value = "OrganizationAccountAccessRole")]
    member_role: String,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Attempts per request (throttling is retried with adaptive back-off).
    #[arg(long, default_value_t = 5)]
    max_attempts: u32,
    /// No progress display.
    #[arg(long)]
    quiet: bool,
    /// Also write the snapshot as JSON Lines to this file.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArg,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// `aws iam get-account-authorization-details` output: files, pages, or directories of pages.
    AwsIam {
        /// Export files or directories (several accounts may go in one snapshot).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// An AWS Organizations description (accounts, OUs, SCPs, RCPs); see the README for its shape.
        #[arg(long)]
        organization: Option<PathBuf>,
        /// Resources with their resource-based policies; see the README for its shape.
        #[arg(long)]
        resources: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Azure exports: Resource Graph, ARM and Microsoft Graph responses, `az` CLI output, AzureHound output.
    Azure(azure_import::AzureImportArgs),
    /// A snapshot exported with `sightline export snapshot`.
    Snapshot {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Write a stored snapshot as JSON Lines.
    Snapshot {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        snapshot: Option<i64>,
        /// Output file (standard output if absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Args)]
struct SnapshotsArgs {
    #[command(flatten)]
    db: DbArg,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Args)]
struct RequestArgs {
    /// Request context, KEY=VALUE; repeat a key for a multi-valued key.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl RequestArgs {
    fn context(&self) -> Result<Context> {
        let mut ctx = Context::default();
        for item in &self.context {
            let Some((k, v)) = item.split_once('=') else {
                bail!("--context {item:?}: expected KEY=VALUE");
            };
            if k.is_empty() {
                bail!("--context {item:?}: the key is empty");
            }
            ctx.push(k.trim(), v);
        }
        Ok(ctx)
    }
}

#[derive(Args)]
struct CanArgs {
    /// User, role, assumed-role session or root ARN; a SAML/OIDC provider ARN; a service principal; `anonymous`.
    principal: String,
    /// The action, `service:ActionName`.
    action: String,
    /// The resource ARN (`*` for actions without resources).
    resource: String,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    request: RequestArgs,
    /// Session name for role principals.
    #[arg(long)]
    session_name: Option<String>,
    /// A session policy in force (JSON file).
    #[arg(long)]
    session_policy: Option<PathBuf>,
    #[command(flatten)]
    azure: azure_access::AzureArgs,
}

#[derive(Args)]
struct WhoCanArgs {
    /// The action, `service:ActionName`.
    action: String,
    /// The resource ARN.
    resource: String,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    request: RequestArgs,
    #[command(flatten)]
    azure: azure_access::AzureArgs,
}

#[derive(Subcommand)]
enum ValidateCommand {
    /// Validate a policy document (JSON file).
    Policy {
        file: PathBuf,
        /// How the policy is used.
        #[arg(long = "type", value_enum, default_value_t = KindArg::Identity)]
        kind: KindArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Identity,
    Boundary,
    Session,
    Scp,
    Rcp,
    Resource,
    Trust,
}

impl From<KindArg> for PolicyType {
    fn from(k: KindArg) -> PolicyType {
        match k {
            KindArg::Identity => PolicyType::Identity,
            KindArg::Boundary => PolicyType::PermissionsBoundary,
            KindArg::Session => PolicyType::Session,
            KindArg::Scp => PolicyType::ServiceControl,
            KindArg::Rcp => PolicyType::ResourceControl,
            KindArg::Resource => PolicyType::Resource,
            KindArg::Trust => PolicyType::Trust,
        }
    }
}

#[derive(Args)]
struct ActionsArgs {
    /// Actions or patterns: `s3:GetObject`, `s3:Get*`, `*`.
    #[arg(required = true)]
    patterns: Vec<String>,
    /// List every action matching none of the patterns (what a `NotAction` element covers).
    #[arg(long)]
    not: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// A synthetic snapshot with resources (JSON Lines), for benchmarks of `scan`.
    Snapshot {
        #[arg(long, default_value_t = 100_000)]
        resources: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Synthetic CloudTrail logs (gzipped trail files), for benchmarks of `activity import`.
    Cloudtrail {
        #[arg(long, default_value_t = 300_000)]
        events: usize,
        #[arg(long, default_value_t = 60)]
        files: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The directory to write the files into.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The DLP test corpus: mixed text with planted sensitive data and look-alikes.
    DlpCorpus {
        #[arg(long, default_value_t = 64)]
        size_mb: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// A synthetic `get-account-authorization-details` export.
    AwsIam {
        #[arg(long, default_value_t = 10_000)]
        principals: usize,
        #[arg(long, default_value_t = 50_000)]
        policies: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "123456789012")]
        account: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// A synthetic Azure tenant (Resource Graph and Microsoft Graph files, as `import azure` reads them).
    AzureTenant {
        /// Users, groups, service principals and managed identities together.
        #[arg(long, default_value_t = 20_000)]
        principals: usize,
        /// Azure role assignments, at every scope level.
        #[arg(long, default_value_t = 50_000)]
        assignments: usize,
        #[arg(long, default_value_t = 50)]
        subscriptions: usize,
        #[arg(long, default_value_t = 20_000)]
        resources: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The directory to write the files into.
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn authorizer(snapshot: &Snapshot) -> Result<Authorizer<'_>> {
    Authorizer::new(snapshot).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        anyhow::anyhow!(
            "{} polic{} in the snapshot cannot be read:\n{}",
            errors.len(),
            if errors.len() == 1 { "y" } else { "ies" },
            list.join("\n")
        )
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => demo::run(args.format, args.save.as_deref()),
        #[cfg(feature = "live-aws")]
        Command::Collect(CollectCommand::Aws(args)) => collect::aws(args),
        #[cfg(not(feature = "live-aws"))]
        Command::Collect(CollectCommand::Aws(_)) => {
            bail!("this sightline was built without the live-aws feature: rebuild with default features to collect")
        }
        Command::Import(ImportCommand::AwsIam { files, organization, resources, db }) => {
            let mut parts = vec![sightline_aws::import::authorization_details(&files)?];
            if let Some(org) = organization {
                parts.push(sightline_aws::import::organization(&org)?);
            }
            if let Some(res) = resources {
                parts.push(sightline_aws::import::resources(&res)?);
            }
            let snapshot = sightline_aws::import::combine(parts);
            // Every document was validated as it was read; what is left to check is that references resolve.
            let errors = sightline_iam::authz::check_references(&snapshot);
            if !errors.is_empty() {
                let list: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                bail!("the export refers to things it does not contain:\n{}", list.join("\n"));
            }
            save(&db.db, snapshot)
        }
        Command::Import(ImportCommand::Azure(args)) => azure_import::run(args),
        Command::Collect(CollectCommand::Azure(args)) => azure_collect::run(args),
        Command::Import(ImportCommand::Snapshot { file, db }) => {
            let bytes = std::fs::read(&file).with_context(|| format!("{}: cannot read", file.display()))?;
            let snapshot = sightline_model::read_jsonl(&bytes).with_context(|| format!("{}", file.display()))?;
            drop(bytes);
            authorizer(&snapshot)?;
            save(&db.db, snapshot)
        }
        Command::Export(ExportCommand::Snapshot { db, snapshot, output }) => {
            let source = Source { db: db.db, snapshot, input: Vec::new() };
            let snapshot = source.load()?;
            match output {
                Some(path) => {
                    let file =
                        std::fs::File::create(&path).with_context(|| format!("{}: cannot create", path.display()))?;
                    sightline_model::write_jsonl(&snapshot, std::io::BufWriter::new(file))?;
                }
                None => sightline_model::write_jsonl(&snapshot, std::io::BufWriter::new(std::io::stdout().lock()))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshots(args) => {
            if !args.db.db.exists() {
                bail!("{}: no such database", args.db.db.display());
            }
            let list = Store::open(&args.db.db)?.list()?;
            output::snapshots(&list, args.format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Can(args) => {
            let snapshot = args.source.load()?;
            if let Some(code) = azure_access::can(&args, &snapshot)? {
                return Ok(code);
            }
            let authz = authorizer(&snapshot)?;
            let session_policy = match &args.session_policy {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
                    Some(
                        PolicyDocument::parse(&text, PolicyType::Session)
                            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                    )
                }
                None => None,
            };
            let query = Query {
                principal: args.principal.clone(),
                action: args.action.clone(),
                resource: args.resource.clone(),
                context: args.request.context()?,
                session_name: args.session_name.clone(),
                session_policy,
            };
            let explanation = authz.check(&query)?;
            output::decision(&query, &explanation, args.request.format)?;
            release_at_exit(authz);
            release_at_exit(snapshot);
            Ok(ExitCode::SUCCESS)
        }
        Command::Privesc(args) => graph::privesc(args),
        Command::Paths(args) => graph::paths(args),
        Command::Graph(command) => graph::graph(command),
        Command::Access(args) => graph::access(args),
        Command::Activity(command) => activity::activity(command),
        Command::LeastPrivilege(args) => activity::least_privilege(args),
        Command::Dlp(command) => dlp::dlp(command),
        Command::Generate(GenerateCommand::DlpCorpus { size_mb, seed, output }) => {
            dlp::generate_corpus(size_mb, seed, &output)
        }
        Command::Generate(GenerateCommand::AzureTenant {
            principals,
            assignments,
            subscriptions,
            resources,
            seed,
            output,
        }) => {
            let size =
                sightline_azure::generate::TenantSize { principals, assignments, subscriptions, resources, seed };
            let written = sightline_azure::generate::write_tenant(&output, size)
                .with_context(|| format!("cannot write the tenant into {}", output.display()))?;
            eprintln!(
                "{} file(s), {} bytes, written to {}: {principals} principals, {assignments} role assignments",
                written.files.len(),
                written.bytes,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::WhoCan(args) => {
            let snapshot = args.source.load()?;
            if let Some(code) = azure_access::who_can(&args, &snapshot)? {
                return Ok(code);
            }
            let authz = authorizer(&snapshot)?;
            let allowed = authz.who_can(&args.action, &args.resource, &args.request.context()?)?;
            output::who_can(&args.action, &args.resource, &allowed, args.request.format)?;
            release_at_exit(allowed);
            release_at_exit(authz);
            release_at_exit(snapshot);
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate(ValidateCommand::Policy { file, kind }) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("{}: cannot read", file.display()))?;
            match PolicyDocument::parse(&text, kind.into()) {
                Ok(doc) => {
                    println!(
                        "{}: valid {} ({} statement{})",
                        file.display(),
                        PolicyType::from(kind).as_str(),
                        doc.statements.len(),
                        if doc.statements.len() == 1 { "" } else { "s" }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}: {e}", file.display()),
            }
        }
        Command::Scan(args) => scan::scan(args),
        Command::Rules(command) => scan::rules(command),
        Command::Responsibility(args) => scan::responsibility(args),
        Command::Actions(args) => {
            output::actions(&args.patterns, args.not, args.format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(GenerateCommand::Snapshot { resources, seed, output }) => {
            let snapshot = sightline_aws::generate::snapshot(resources, seed);
            let file =
                std::fs::File::create(&output).with_context(|| format!("{}: cannot create", output.display()))?;
            sightline_model::write_jsonl(&snapshot, std::io::BufWriter::new(file))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(GenerateCommand::Cloudtrail { events, files, seed, output }) => {
            sightline_activity::generate::cloudtrail(&output, events, files, seed)
                .with_context(|| format!("{}: cannot write", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(GenerateCommand::AwsIam { principals, policies, seed, account, output }) => {
            let text = sightline_aws::generate::authorization_details(
                sightline_aws::generate::Size { principals, policies, seed },
                &account,
            );
            std::fs::write(&output, text).with_context(|| format!("{}: cannot write", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn save(db: &std::path::Path, snapshot: Snapshot) -> Result<ExitCode> {
    let id = Store::save_to(db, &snapshot)?;
    println!("snapshot {id} saved to {}: {}", db.display(), snapshot.summary());
    release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}

/// Leaves a loaded snapshot (or anything built from one) to the operating system, which frees a finished process's
/// memory at once: freeing hundreds of thousands of records one by one would take a noticeable share of a short
/// command's time (see BENCHMARKS.md).
fn release_at_exit<T>(value: T) {
    std::mem::forget(value);
}
