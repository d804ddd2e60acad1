//! Custom rules written in Rego (Open Policy Agent's language), evaluated with the `regorus` interpreter.
//!
//! A custom rule is one `.rego` file. It declares its metadata as a `metadata` object (the same fields as a
//! built-in rule's) and a `deny` set: the messages explaining why the resource in `input.resource` fails. An empty
//! `deny` is a PASS. A `skip` set, when not empty, makes the finding NOT_EVALUATED with its messages as the reason.
//!
//! ```rego
//! package sightline.custom.owner_tag
//!
//! metadata := {
//!     "id": "custom-s3-owner-tag",
//!     "title": "S3 buckets carry an owner tag",
//!     "severity": "low",
//!     "resource_type": "AWS::S3::Bucket",
//!     "domain": "configuration",
//!     "rationale": "Untagged buckets have no one to ask about them.",
//!     "remediation": {"console": "...", "cli": "aws s3api put-bucket-tagging ...", "terraform": "tags = { owner = \"team\" }"},
//!     "references": ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html"],
//!     "controls": {"nist-800-53-r5": ["CM-8"]},
//! }
//!
//! deny contains "the bucket has no owner tag" if not input.resource.tags.owner
//! ```
//!
//! The input holds `resource` (the snapshot record: a resource, or a user, group or role for the types
//! `AWS::IAM::User`, `AWS::IAM::Group` and `AWS::IAM::Role`) and `account_id`.

use crate::meta::{Control, Domain, Framework, Meta, Need, Remediation};
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{PrincipalKind, Severity};
use std::path::{Path, PathBuf};

/// A Rego rule that could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct CustomRuleError {
    pub file: PathBuf,
    pub message: String,
}

/// A loaded custom rule.
pub struct CustomRule {
    pub meta: &'static Meta,
    pub file: PathBuf,
    package: String,
    engine: regorus::Engine,
    /// Whether the file declares a `skip` rule (evaluating an undeclared rule is an error in regorus).
    has_skip: bool,
}

/// Whether the policy loaded from `source` declares the rule `name`.
fn declares(engine: &regorus::Engine, source: &str, package: &str, name: &str) -> bool {
    engine.has_declared_rule_rooted_at(source, name).unwrap_or(false)
        || engine.has_declared_rule_rooted_at(source, &format!("{package}.{name}")).unwrap_or(false)
}

/// Keeps a string for the life of the process: rule metadata is `'static`, and custom rules are loaded once.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn text(v: &Value, key: &str, file: &Path) -> Result<&'static str, CustomRuleError> {
    match v.get(key).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => Ok(leak(s.to_string())),
        _ => Err(CustomRuleError {
            file: file.to_path_buf(),
            message: format!("metadata.{key} must be a non-empty string"),
        }),
    }
}

fn optional(v: &Value, pointer: &str) -> &'static str {
    leak(v.pointer(pointer).and_then(Value::as_str).unwrap_or("").to_string())
}

fn severity(s: &str) -> Option<Severity> {
    Severity::ALL.into_iter().find(|v| v.as_str() == s)
}

fn domain(s: &str) -> Option<Domain> {
    [
        Domain::Data,
        Domain::Identity,
        Domain::AccessManagement,
        Domain::Configuration,
        Domain::NetworkControls,
        Domain::OperatingSystem,
        Domain::Application,
        Domain::Logging,
        Domain::Backup,
        Domain::Encryption,
    ]
    .into_iter()
    .find(|d| d.id() == s)
}

fn metadata(v: &Value, file: &Path) -> Result<Meta, CustomRuleError> {
    let fault = |message: String| CustomRuleError { file: file.to_path_buf(), message };
    let id = text(v, "id", file)?;
    if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(fault(format!("metadata.id {id:?} must be lower-case letters, digits and dashes")));
    }
    if crate::RULES.iter().any(|r| r.meta.id == id) {
        return Err(fault(format!("metadata.id {id:?} is the id of a built-in rule")));
    }
    let sev = text(v, "severity", file)?;
    let severity = severity(sev)
        .ok_or_else(|| fault(format!("metadata.severity {sev:?} is not one of info, low, medium, high, critical")))?;
    let dom = text(v, "domain", file)?;
    let domain = domain(dom).ok_or_else(|| fault(format!("metadata.domain {dom:?} is not a responsibility domain")))?;
    let mut controls = Vec::new();
    if let Some(map) = v.get("controls").and_then(Value::as_object) {
        for (framework, ids) in map {
            let framework = Framework::parse(framework)
                .ok_or_else(|| fault(format!("metadata.controls: unknown framework {framework:?}")))?;
            for id in ids.as_array().into_iter().flatten().filter_map(Value::as_str) {
                controls.push(Control { framework, id: leak(id.to_string()) });
            }
        }
    }
    let mut needs = Vec::new();
    for n in v.get("needs").and_then(Value::as_array).into_iter().flatten() {
        let service = n.get("service").and_then(Value::as_str);
        let operation = n.get("operation").and_then(Value::as_str);
        let (Some(service), Some(operation)) = (service, operation) else {
            return Err(fault("metadata.needs entries need service and operation".into()));
        };
        needs.push(Need {
            service: leak(service.to_string()),
            operation: leak(operation.to_string()),
            regional: n.get("regional").and_then(Value::as_bool).unwrap_or(true),
        });
    }
    let references: Vec<&'static str> = v
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| leak(s.to_string()))
        .collect();
    Ok(Meta {
        id,
        title: text(v, "title", file)?,
        severity,
        resource_type: text(v, "resource_type", file)?,
        domain,
        rationale: optional(v, "/rationale"),
        remediation: Remediation {
            console: optional(v, "/remediation/console"),
            cli: optional(v, "/remediation/cli"),
            terraform: optional(v, "/remediation/terraform"),
        },
        references: Box::leak(references.into_boxed_slice()),
        controls: Box::leak(controls.into_boxed_slice()),
        needs: Box::leak(needs.into_boxed_slice()),
    })
}

fn to_json(v: &regorus::Value) -> Value {
    v.to_json_str().ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

impl CustomRule {
    /// Loads and checks one `.rego` file: it must compile and declare valid `metadata`.
    pub fn load(file: &Path) -> Result<CustomRule, CustomRuleError> {
        let fault = |message: String| CustomRuleError { file: file.to_path_buf(), message };
        let rego = std::fs::read_to_string(file).map_err(|e| fault(format!("cannot read: {e}")))?;
        let mut engine = regorus::Engine::new();
        let source = file.display().to_string();
        let package = engine.add_policy(source.clone(), rego).map_err(|e| fault(format!("does not compile: {e}")))?;
        if !declares(&engine, &source, &package, "deny") {
            return Err(fault("declares no deny rule (the messages of a failure)".into()));
        }
        if !declares(&engine, &source, &package, "metadata") {
            return Err(fault("declares no metadata object".into()));
        }
        let has_skip = declares(&engine, &source, &package, "skip");
        let meta = engine
            .eval_rule(format!("{package}.metadata"))
            .map_err(|e| fault(format!("cannot evaluate metadata: {e}")))?;
        let meta: &'static Meta = Box::leak(Box::new(metadata(&to_json(&meta), file)?));
        crate::register(meta);
        Ok(CustomRule { meta, file: file.to_path_buf(), package, engine, has_skip })
    }

    /// Loads every `.rego` file of a directory (sorted by name). Files that fail come back as errors; the others
    /// load regardless.
    pub fn load_dir(dir: &Path) -> Result<(Vec<CustomRule>, Vec<CustomRuleError>), CustomRuleError> {
        let entries = std::fs::read_dir(dir).map_err(|e| CustomRuleError {
            file: dir.to_path_buf(),
            message: format!("cannot read the rules directory: {e}"),
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rego"))
            .collect();
        files.sort();
        let (mut rules, mut errors) = (Vec::new(), Vec::new());
        for f in files {
            match CustomRule::load(&f) {
                Ok(rule) if rules.iter().any(|r: &CustomRule| r.meta.id == rule.meta.id) => {
                    errors.push(CustomRuleError {
                        file: f,
                        message: format!("metadata.id {:?} is used by another file of the directory", rule.meta.id),
                    })
                }
                Ok(rule) => rules.push(rule),
                Err(e) => errors.push(e),
            }
        }
        Ok((rules, errors))
    }

    /// Evaluates the rule on one record; `Err` is a reason for NOT_EVALUATED.
    fn judge(&mut self, record: &Value, account: &str) -> Result<(bool, Vec<String>), String> {
        let input = json!({ "resource": record, "account_id": account }).to_string();
        self.engine.set_input_json(&input).map_err(|e| format!("rule input: {e}"))?;
        let mut set = |name: &str| -> Result<Vec<String>, String> {
            let v = self.engine.eval_rule(format!("{}.{name}", self.package)).map_err(|e| format!("{name}: {e}"))?;
            Ok(match to_json(&v) {
                Value::Array(items) => {
                    items.into_iter().map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string)).collect()
                }
                Value::Bool(true) => vec![format!("{name} is true")],
                _ => Vec::new(),
            })
        };
        let skip = if self.has_skip { set("skip")? } else { Vec::new() };
        if !skip.is_empty() {
            return Err(skip.join("; "));
        }
        let deny = set("deny")?;
        Ok((deny.is_empty(), deny))
    }

    /// Runs the rule over a snapshot.
    pub(crate) fn run(&mut self, scan: &Scan<'_>, out: &mut Out<'_>) {
        let kind = match self.meta.resource_type {
            "AWS::IAM::User" => Some(PrincipalKind::User),
            "AWS::IAM::Group" => Some(PrincipalKind::Group),
            "AWS::IAM::Role" => Some(PrincipalKind::Role),
            _ => None,
        };
        if let Some(kind) = kind {
            for p in scan.principals(kind) {
                let record = serde_json::to_value(p).unwrap_or(Value::Null);
                self.verdict(out, Subject::from(p), &record, &p.account_id);
            }
            return;
        }
        let needs = self.meta.needs;
        let mut pending = Vec::new();
        crate::rules::each_resource(scan, out, self.meta.resource_type, needs, |r, _| pending.push(r));
        for r in pending {
            let record = serde_json::to_value(r).unwrap_or(Value::Null);
            self.verdict(out, Subject::from(r), &record, &r.account_id);
        }
    }

    fn verdict(&mut self, out: &mut Out<'_>, subject: Subject<'_>, record: &Value, account: &str) {
        match self.judge(record, account) {
            Err(why) => out.not_evaluated(subject, why),
            Ok((true, _)) => out.pass(subject, "no deny rule matched"),
            Ok((false, reasons)) => out.fail(subject, reasons.join("; "), json!({ "deny": reasons })),
        }
    }
}
