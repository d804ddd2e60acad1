//! `sightline scan` and `sightline rules`.

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use sightline_model::{Finding, FindingStatus, Severity};
use sightline_rules::{Framework, Options};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ScanFormat {
    /// Failures grouped by severity, then what could not be evaluated, then totals.
    #[default]
    Table,
    /// An array of findings.
    Json,
    /// One finding per row.
    Csv,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// OCSF Detection Finding events (class 2004), as Security Hub and Prowler exchange them.
    Ocsf,
    /// A single-file offline HTML report with charts and filters.
    Html,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub source: crate::Source,
    /// Scan the bundled demo organization instead of a database or files.
    #[arg(long, conflicts_with_all = ["input", "snapshot"])]
    pub demo: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: ScanFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Only the rules mapped to this framework, with a summary per control (table) or the controls (JSON).
    #[arg(long, value_parser = ["cis-aws-5.0", "cis-azure-6.0", "nist-800-53-r5", "pci-dss-4.0"])]
    pub framework: Option<String>,
    /// Exit with status 1 when a finding of this severity or higher fails.
    #[arg(long, value_enum)]
    pub fail_on: Option<SeverityArg>,
    /// Run only these rules (repeatable).
    #[arg(long = "rule")]
    pub rules: Vec<String>,
    /// Also run the custom rules written in Rego in this directory (every `.rego` file; see the README).
    #[arg(long, env = "SIGHTLINE_RULES_DIR")]
    pub rules_dir: Option<PathBuf>,
    /// Days without use after which users, roles, keys, services and actions count as unused.
    #[arg(long, default_value_t = sightline_rules::DEFAULT_UNUSED_DAYS, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub unused_days: i64,
}

/// Loads the custom rules of a directory. A file that does not load is reported on standard error and becomes a
/// NOT_EVALUATED finding naming it, so that the other rules still run and the problem shows in every output.
fn custom_rules(dir: Option<&std::path::Path>) -> Result<(Vec<sightline_rules::CustomRule>, Vec<Finding>)> {
    let Some(dir) = dir else { return Ok((Vec::new(), Vec::new())) };
    let (rules, errors) = sightline_rules::CustomRule::load_dir(dir)?;
    let broken = errors
        .into_iter()
        .map(|e| {
            eprintln!("warning: custom rule {e}");
            let name = e.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let rule_id = format!("custom-rule-file:{name}");
            Finding {
                id: sightline_model::finding_id(&rule_id, &e.file.display().to_string()),
                rule_id: rule_id.into(),
                title: format!("Custom rule {name}").into(),
                status: FindingStatus::NotEvaluated,
                severity: Severity::Info,
                provider: sightline_model::Provider::Aws,
                resource_id: e.file.display().to_string(),
                resource_type: "Sightline::CustomRule".into(),
                account_id: String::new(),
                region: None,
                domain: "configuration".into(),
                message: e.message,
                evidence: serde_json::Value::Null,
            }
        })
        .collect();
    Ok((rules, broken))
}

pub fn scan(args: ScanArgs) -> Result<ExitCode> {
    let snapshot = if args.demo { crate::demo::snapshot()? } else { args.source.load()? };
    let framework = args.framework.as_deref().and_then(Framework::parse);
    let (mut custom, mut findings) = custom_rules(args.rules_dir.as_deref())?;
    let mut rules = args.rules.clone();
    if let (Some(f), true) = (framework, rules.is_empty()) {
        // The built-in and the loaded custom rules mapped to the framework.
        rules = sightline_rules::metas()
            .into_iter()
            .filter(|m| m.controls.iter().any(|c| c.framework == f))
            .map(|m| m.id.to_string())
            .collect();
        if rules.is_empty() {
            bail!("no rule maps to {}", f.id());
        }
    }
    // The table only counts passes.
    let options = Options {
        rules,
        now: None,
        count_passes_only: args.format == ScanFormat::Table,
        unused_days: Some(args.unused_days),
    };
    // What the rules read (indexes, the IAM engine), left to the operating system at exit like the snapshot.
    let mut index = sightline_rules::Scan::new(&snapshot, chrono::Utc::now());
    index.unused_days = args.unused_days;
    let version = env!("CARGO_PKG_VERSION");
    let mut tally = sightline_report::Tally::default();
    let stream = match args.format {
        ScanFormat::Json => Some(sightline_report::StreamFormat::Json),
        ScanFormat::Csv => Some(sightline_report::StreamFormat::Csv),
        ScanFormat::Ocsf => Some(sightline_report::StreamFormat::Ocsf { time: chrono::Utc::now().timestamp_millis() }),
        _ => None,
    };
    if let Some(format) = stream {
        // Written as the findings come, so that large scans never hold them all.
        let out: Box<dyn std::io::Write> = match &args.output {
            Some(path) => {
                Box::new(std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?)
            }
            None => Box::new(std::io::stdout().lock()),
        };
        let mut writer = sightline_report::StreamWriter::new(format, version, std::io::BufWriter::new(out))?;
        let mut error = None;
        let mut write = |f: sightline_model::Finding| {
            tally.note(&f);
            if error.is_none() {
                error = writer.write(&f).err();
            }
        };
        for f in findings.drain(..) {
            write(f);
        }
        sightline_rules::run_streaming(&index, &options, &mut custom, &mut write)?;
        if let Some(e) = error {
            return Err(anyhow::Error::new(e).context(output_name(&args.output)));
        }
        writer.finish().with_context(|| output_name(&args.output))?;
    } else {
        // The table keeps only what it shows (failures and NOT_EVALUATED); SARIF and HTML are whole documents.
        let keep_all = args.format != ScanFormat::Table;
        let mut all = Vec::new();
        let mut add = |f: sightline_model::Finding| {
            if keep_all {
                tally.note(&f);
                all.push(f);
            } else {
                tally.add(f);
            }
        };
        for f in findings.drain(..) {
            add(f);
        }
        sightline_rules::run_streaming(&index, &options, &mut custom, &mut add)?;
        let report = match args.format {
            ScanFormat::Sarif => serde_json::to_string_pretty(&sightline_report::sarif(&all, version))? + "\n",
            ScanFormat::Html => {
                let subtitle = format!(
                    "{} (snapshot taken {}), scanned {}: {}",
                    snapshot.source,
                    if snapshot.created_at.is_empty() { "now" } else { snapshot.created_at.as_str() },
                    chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
                    snapshot.summary()
                );
                sightline_report::html(&all, &subtitle)
            }
            _ => {
                let mut text = sightline_report::table(&tally);
                if let Some(f) = framework {
                    text.push('\n');
                    text.push_str(&sightline_report::compliance_table(f, &sightline_report::compliance(f, &tally)));
                }
                text
            }
        };
        match &args.output {
            Some(path) => std::fs::write(path, report).with_context(|| format!("{}: cannot write", path.display()))?,
            None => print_out(&report)?,
        }
    }
    let threshold = args.fail_on.map(Severity::from);
    let failed = threshold.is_some_and(|t| tally.worst_failure.is_some_and(|w| w >= t));
    crate::release_at_exit(index);
    crate::release_at_exit(snapshot);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Every built-in rule: id, severity, resource type, CIS control, title.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: crate::Format,
        /// Also list the custom rules of this directory.
        #[arg(long, env = "SIGHTLINE_RULES_DIR")]
        rules_dir: Option<PathBuf>,
    },
    /// One rule in full: rationale, remediation, references, framework controls.
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: crate::Format,
        /// Look for the rule among the custom rules of this directory too.
        #[arg(long, env = "SIGHTLINE_RULES_DIR")]
        rules_dir: Option<PathBuf>,
    },
}

pub fn rules(command: RulesCommand) -> Result<ExitCode> {
    match command {
        RulesCommand::List { format, rules_dir } => {
            custom_rules(rules_dir.as_deref())?;
            let metas = sightline_rules::metas();
            use std::fmt::Write as _;
            let mut text = String::new();
            if format == crate::Format::Json {
                text = serde_json::to_string_pretty(&metas)? + "\n";
            } else {
                for m in &metas {
                    let cis: Vec<&str> = m
                        .controls
                        .iter()
                        .filter(|c| matches!(c.framework, Framework::CisAws50 | Framework::CisAzure60))
                        .map(|c| c.id)
                        .collect();
                    writeln!(
                        text,
                        "{:<40} {:<8} {:<34} {:<7} {}",
                        m.id,
                        m.severity.as_str(),
                        m.resource_type,
                        cis.join(","),
                        m.title
                    )?;
                }
                writeln!(text, "{} rules", metas.len())?;
            }
            print_out(&text)?;
        }
        RulesCommand::Show { id, format, rules_dir } => {
            custom_rules(rules_dir.as_deref())?;
            let Some(meta) = sightline_rules::meta(&id) else {
                bail!("unknown rule {id:?} (see `sightline rules list`)");
            };
            if format == crate::Format::Json {
                print_out(&(serde_json::to_string_pretty(meta)? + "\n"))?;
            } else {
                print_out(&sightline_rules::docs::markdown(meta))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ResponsibilityArgs {
    #[command(flatten)]
    pub source: crate::Source,
    /// Use the bundled demo organization.
    #[arg(long, conflicts_with_all = ["input", "snapshot"])]
    pub demo: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: crate::Format,
    /// Count the custom rules of this directory too.
    #[arg(long, env = "SIGHTLINE_RULES_DIR")]
    pub rules_dir: Option<PathBuf>,
}

/// `sightline responsibility`: per service, who holds each security domain and how the customer's are held up.
pub fn responsibility(args: ResponsibilityArgs) -> Result<ExitCode> {
    let snapshot = if args.demo { crate::demo::snapshot()? } else { args.source.load()? };
    let (mut custom, _) = custom_rules(args.rules_dir.as_deref())?;
    let findings = sightline_rules::run_with(&snapshot, &Options::default(), &mut custom)?;
    let report = sightline_rules::responsibility::report(&snapshot, &findings);
    use std::fmt::Write as _;
    let mut text = String::new();
    if args.format == crate::Format::Json {
        text = serde_json::to_string_pretty(&report)? + "\n";
    } else {
        for s in &report {
            writeln!(
                text,
                "{} ({} service, {}; {} resource(s))",
                s.service,
                match s.model {
                    sightline_rules::responsibility::ServiceModel::Infrastructure => "infrastructure",
                    sightline_rules::responsibility::ServiceModel::Container => "container",
                    sightline_rules::responsibility::ServiceModel::Abstracted => "abstracted",
                },
                s.category,
                s.resources
            )?;
            for d in &s.domains {
                let owner = match d.owner {
                    sightline_rules::responsibility::Owner::Customer => "customer",
                    sightline_rules::responsibility::Owner::Shared => "shared",
                    sightline_rules::responsibility::Owner::Provider => "provider",
                };
                let counts = if d.rules.is_empty() || d.owner == sightline_rules::responsibility::Owner::Provider {
                    String::new()
                } else {
                    format!(
                        "{} fail, {} pass, {} not evaluated; {} rule(s)",
                        d.fail,
                        d.pass,
                        d.not_evaluated,
                        d.rules.len()
                    )
                };
                writeln!(text, "  {:<18} {:<9} {:<14} {}", d.domain, owner, d.posture, counts)?;
            }
            text.push('\n');
        }
    }
    print_out(&text)?;
    crate::release_at_exit(snapshot);
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output, returning an error (not panicking) when it is closed, as by `| head`.
pub(crate) fn print_out(text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn output_name(output: &Option<PathBuf>) -> String {
    output.as_ref().map_or_else(|| "standard output".to_string(), |p| p.display().to_string())
}
