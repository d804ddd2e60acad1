//! OCSF Detection Finding events (class 2004, OCSF 1.3), the shape Security Hub and Prowler exchange findings in.

use serde_json::{json, Value};
use sightline_model::{Finding, FindingStatus, Severity};
use sightline_rules::Framework;

fn severity_id(s: Severity) -> u8 {
    match s {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// The Detection Finding of one finding.
pub fn event(f: &Finding, version: &str, time: i64) -> Value {
    {
        {
            let rule = sightline_rules::meta(&f.rule_id);
            let compliance: Vec<String> = rule
                .map(|r| {
                    Framework::ALL
                        .iter()
                        .flat_map(|fw| {
                            r.controls
                                .iter()
                                .filter(move |c| c.framework == *fw)
                                .map(move |c| format!("{}: {}", fw.id(), c.id))
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "activity_id": 1,
                "activity_name": "Create",
                "category_uid": 2,
                "category_name": "Findings",
                "class_uid": 2004,
                "class_name": "Detection Finding",
                "type_uid": 200401,
                "type_name": "Detection Finding: Create",
                "time": time,
                "severity_id": severity_id(f.severity),
                "severity": severity_name(f.severity),
                "status_id": 1,
                "status": "New",
                "status_code": f.status.as_str(),
                "status_detail": f.message,
                "message": format!("{}: {}", f.title, f.message),
                "metadata": {
                    "version": "1.3.0",
                    "event_code": f.rule_id,
                    "uid": f.id,
                    "product": { "name": "Sightline", "vendor_name": "Sightline", "version": version, "uid": "sightline" },
                },
                "finding_info": {
                    "uid": f.id,
                    "title": f.title,
                    "desc": rule.map(|r| r.rationale).unwrap_or_default(),
                    "types": [f.domain],
                    "created_time": time,
                },
                "resources": [{
                    "uid": f.resource_id,
                    "type": f.resource_type,
                    "region": f.region,
                    "cloud_partition": "aws",
                    "data": { "evidence": f.evidence },
                }],
                "cloud": {
                    "provider": "AWS",
                    "region": f.region,
                    "account": { "uid": f.account_id, "type": "AWS Account", "type_id": 10 },
                },
                "remediation": rule.map(|r| json!({
                    "desc": format!("{} AWS CLI: {}", r.remediation.console, r.remediation.cli),
                    "references": r.references,
                })),
                "risk_details": rule.map(|r| r.rationale),
                "unmapped": {
                    "compliance": compliance,
                    "responsibility_domain": f.domain,
                    "evaluated": f.status != FindingStatus::NotEvaluated,
                },
            })
        }
    }
}
