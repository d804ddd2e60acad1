//! Renders findings. Renderers compute nothing new: they order, group, count and format what the scan found.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod html;
mod ocsf;
mod sarif;

pub use html::html;
pub use ocsf::ocsf;
pub use sarif::sarif;

use sightline_model::{Finding, FindingStatus, Severity};
use sightline_rules::Framework;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Counts of findings by status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub not_evaluated: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.status {
                FindingStatus::Pass => c.pass += 1,
                FindingStatus::Fail => c.fail += 1,
                FindingStatus::NotEvaluated => c.not_evaluated += 1,
            }
        }
        c
    }
}

/// The terminal report: failures grouped by severity (most severe first), then what could not be evaluated, then
/// the totals.
pub fn table(findings: &[Finding]) -> String {
    let mut out = String::new();
    for severity in Severity::ALL.iter().rev() {
        let group: Vec<&Finding> =
            findings.iter().filter(|f| f.status == FindingStatus::Fail && f.severity == *severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{} ({})", severity.as_str().to_uppercase(), group.len());
        for f in group {
            let _ = writeln!(out, "  FAIL  {:<34} {}", f.rule_id, f.resource_id);
            let _ = writeln!(out, "        {}", f.message);
        }
        out.push('\n');
    }
    let skipped: Vec<&Finding> = findings.iter().filter(|f| f.status == FindingStatus::NotEvaluated).collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "NOT EVALUATED ({})", skipped.len());
        for f in skipped {
            let _ = writeln!(out, "  {:<40} {}", f.rule_id, f.resource_id);
            let _ = writeln!(out, "        {}", f.message);
        }
        out.push('\n');
    }
    let c = Counts::of(findings);
    let rules = findings.iter().map(|f| f.rule_id.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    let _ = writeln!(
        out,
        "{} findings from {rules} rules: {} FAIL, {} PASS, {} NOT_EVALUATED",
        findings.len(),
        c.fail,
        c.pass,
        c.not_evaluated
    );
    out
}

/// JSON: an array of findings.
pub fn json(findings: &[Finding]) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(findings)
}

/// CSV (RFC 4180), one finding per row.
pub fn csv(findings: &[Finding]) -> String {
    let mut out = String::from(
        "finding_id,rule_id,status,severity,account_id,region,resource_type,resource_id,domain,title,message\r\n",
    );
    for f in findings {
        let row = [
            f.id.as_str(),
            &f.rule_id,
            f.status.as_str(),
            f.severity.as_str(),
            &f.account_id,
            f.region.as_deref().unwrap_or(""),
            &f.resource_type,
            &f.resource_id,
            &f.domain,
            &f.title,
            &f.message,
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(value: &str) -> String {
    // A leading =, +, - or @ would be read as a formula by spreadsheets: quote it and prefix an apostrophe.
    let guarded = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) || guarded != value {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One framework control's result: FAIL if any of its findings fails, else NOT_EVALUATED if any could not be
/// evaluated, else PASS when something was checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ControlResult {
    pub control: String,
    pub rules: Vec<String>,
    pub status: Option<FindingStatus>,
    pub counts: Counts,
}

/// The compliance summary of a framework: every control the built-in rules map to, in control order.
pub fn compliance(framework: Framework, findings: &[Finding]) -> Vec<ControlResult> {
    let mut controls: BTreeMap<Vec<u32>, (String, Vec<&str>)> = BTreeMap::new();
    for meta in sightline_rules::metas() {
        for c in meta.controls.iter().filter(|c| c.framework == framework) {
            let key = c.id.split(['.', '(', ')', '-']).map(|p| p.parse().unwrap_or(0)).collect();
            controls.entry(key).or_insert_with(|| (c.id.to_string(), Vec::new())).1.push(meta.id);
        }
    }
    controls
        .into_values()
        .map(|(control, rules)| {
            let counts = Counts::of(findings.iter().filter(|f| rules.contains(&f.rule_id.as_str())));
            let status = if counts.fail > 0 {
                Some(FindingStatus::Fail)
            } else if counts.not_evaluated > 0 {
                Some(FindingStatus::NotEvaluated)
            } else if counts.pass > 0 {
                Some(FindingStatus::Pass)
            } else {
                None
            };
            ControlResult { control, rules: rules.into_iter().map(str::to_string).collect(), status, counts }
        })
        .collect()
}

/// The compliance summary as text.
pub fn compliance_table(framework: Framework, results: &[ControlResult]) -> String {
    let mut out = format!("{}\n", framework.title());
    for r in results {
        let status = r.status.map_or("NO DATA", FindingStatus::as_str);
        let _ = writeln!(
            out,
            "  {:<8} {:<14} {:>3} fail {:>3} pass {:>3} not evaluated   {}",
            r.control,
            status,
            r.counts.fail,
            r.counts.pass,
            r.counts.not_evaluated,
            r.rules.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_cell("=cmd()"), "\"'=cmd()\"");
    }
}
