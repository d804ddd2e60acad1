//! SARIF 2.1.0, as code-scanning services (GitHub, Azure DevOps) read it.

use serde_json::{json, Value};
use sightline_model::{Finding, FindingStatus, Severity};
use sightline_rules::{Framework, Meta};
use std::collections::BTreeMap;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The CVSS-like score code-scanning services sort security results by.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rule_descriptor(m: &Meta) -> Value {
    let mut tags = vec!["security".to_string(), m.domain.id().to_string()];
    for f in Framework::ALL {
        for c in m.controls.iter().filter(|c| c.framework == f) {
            tags.push(format!("{}:{}", f.id(), c.id));
        }
    }
    json!({
        "id": m.id,
        "name": m.id,
        "shortDescription": { "text": m.title },
        "fullDescription": { "text": m.rationale },
        "help": {
            "text": format!("{}\n\nConsole: {}\nAWS CLI: {}", m.rationale, m.remediation.console, m.remediation.cli),
            "markdown": sightline_rules::docs::markdown(m),
        },
        "helpUri": m.references.first(),
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": { "tags": tags, "security-severity": security_severity(m.severity), "precision": "very-high" },
    })
}

/// The SARIF log of a scan: every rule that produced a finding, and one result per finding. FAIL results are
/// `kind: fail` at the rule's level; PASS are `kind: pass` and NOT_EVALUATED `kind: review`, both at level `none`.
pub fn sarif(findings: &[Finding], version: &str) -> Value {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut descriptors = Vec::new();
    for f in findings {
        if !index.contains_key(f.rule_id.as_ref()) {
            index.insert(&f.rule_id, descriptors.len());
            descriptors.push(match sightline_rules::meta(&f.rule_id) {
                Some(meta) => rule_descriptor(meta),
                None => json!({ "id": f.rule_id, "shortDescription": { "text": f.title } }),
            });
        }
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (kind, level) = match f.status {
                FindingStatus::Fail => ("fail", level(f.severity)),
                FindingStatus::Pass => ("pass", "none"),
                FindingStatus::NotEvaluated => ("review", "none"),
            };
            json!({
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id.as_ref()],
                "kind": kind,
                "level": level,
                "message": { "text": format!("{}: {}", f.resource_id, f.message) },
                "locations": [{
                    "logicalLocations": [{
                        "fullyQualifiedName": f.resource_id,
                        "kind": "resource",
                        "name": f.resource_type,
                    }]
                }],
                "partialFingerprints": { "sightlineFindingId/v1": f.id },
                "properties": {
                    "status": f.status.as_str(),
                    "severity": f.severity.as_str(),
                    "account_id": f.account_id,
                    "region": f.region,
                    "resource_type": f.resource_type,
                    "evidence": f.evidence,
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Sightline",
                "semanticVersion": version,
                "informationUri": "https://example.invalid/sightline",
                "rules": descriptors,
            }},
            "results": results,
        }]
    })
}
