//! Renders findings. Renderers compute nothing new: they order, group, count and format what the scan found.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod html;
mod ocsf;
mod sarif;

pub use html::html;
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

/// How many FAIL findings, and how many NOT_EVALUATED ones, of each rule the terminal table lists; the others are
/// counted, and listed by the file formats.
pub const TABLE_FINDINGS_PER_RULE: usize = 25;

/// What a scan's summary needs, gathered finding by finding: counts for everything, and the first
/// [`TABLE_FINDINGS_PER_RULE`] failures and NOT_EVALUATED findings of each rule, kept whole, so that a scan of
/// millions of resources stays small.
#[derive(Debug, Default)]
pub struct Tally {
    pub counts: Counts,
    pub per_rule: BTreeMap<std::borrow::Cow<'static, str>, Counts>,
    /// The severity of each rule seen.
    pub severity: BTreeMap<std::borrow::Cow<'static, str>, Severity>,
    /// FAIL and NOT_EVALUATED findings, in scan order, up to the limit per rule.
    pub kept: Vec<Finding>,
    /// The most severe failure seen.
    pub worst_failure: Option<Severity>,
}

impl Tally {
    /// Counts a finding, and keeps it if it is a FAIL or a NOT_EVALUATED within the limit of its rule.
    pub fn add(&mut self, f: Finding) {
        let c = self.note(&f);
        let seen = match f.status {
            FindingStatus::Pass => return,
            FindingStatus::Fail => c.fail,
            FindingStatus::NotEvaluated => c.not_evaluated,
        };
        if seen <= TABLE_FINDINGS_PER_RULE {
            self.kept.push(f);
        }
    }

    /// Counts a finding without keeping it; returns the counts of its rule so far.
    pub fn note(&mut self, f: &Finding) -> Counts {
        let rule = match self.per_rule.get_mut(f.rule_id.as_ref()) {
            Some(c) => c,
            None => {
                self.severity.insert(f.rule_id.clone(), f.severity);
                self.per_rule.entry(f.rule_id.clone()).or_default()
            }
        };
        for c in [&mut self.counts, rule] {
            match f.status {
                FindingStatus::Pass => c.pass += 1,
                FindingStatus::Fail => c.fail += 1,
                FindingStatus::NotEvaluated => c.not_evaluated += 1,
            }
        }
        if f.status == FindingStatus::Fail {
            self.worst_failure = self.worst_failure.max(Some(f.severity));
        }
        self.per_rule.get(f.rule_id.as_ref()).copied().unwrap_or_default()
    }
}

/// The terminal report: failures grouped by severity (most severe first), then what could not be evaluated, then
/// the totals. Each rule lists at most [`TABLE_FINDINGS_PER_RULE`] findings of each kind and says how many more
/// there are.
pub fn table(tally: &Tally) -> String {
    let findings = &tally.kept;
    let mut out = String::new();
    // After the listed findings of a rule, the number left out.
    let more = |out: &mut String, rule: &str, listed: usize, total: usize, what: &str| {
        if total > listed {
            let _ = writeln!(
                out,
                "        ... and {} more {what} findings of {rule} (--format json, csv or html lists them all)",
                total - listed
            );
        }
    };
    let list = |out: &mut String, group: &[&Finding], status: FindingStatus, width: usize, what: &str| {
        let mut i = 0;
        while i < group.len() {
            let rule = group[i].rule_id.as_ref();
            let n = group[i..].iter().take_while(|f| f.rule_id == rule).count();
            for f in &group[i..i + n] {
                let label = if status == FindingStatus::Fail { "  FAIL  " } else { "  " };
                let _ = writeln!(out, "{label}{:<width$} {}", f.rule_id, f.resource_id);
                let _ = writeln!(out, "        {}", f.message);
            }
            let c = tally.per_rule.get(rule).copied().unwrap_or_default();
            let total = if status == FindingStatus::Fail { c.fail } else { c.not_evaluated };
            more(out, rule, n, total, what);
            i += n;
        }
    };
    for severity in Severity::ALL.iter().rev() {
        let group: Vec<&Finding> =
            findings.iter().filter(|f| f.status == FindingStatus::Fail && f.severity == *severity).collect();
        if group.is_empty() {
            continue;
        }
        let total: usize = tally
            .per_rule
            .iter()
            .filter(|(rule, _)| tally.severity.get(*rule) == Some(severity))
            .map(|(_, c)| c.fail)
            .sum();
        let _ = writeln!(out, "{} ({total})", severity.as_str().to_uppercase());
        list(&mut out, &group, FindingStatus::Fail, 34, "FAIL");
        out.push('\n');
    }
    let skipped: Vec<&Finding> = findings.iter().filter(|f| f.status == FindingStatus::NotEvaluated).collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "NOT EVALUATED ({})", tally.counts.not_evaluated);
        list(&mut out, &skipped, FindingStatus::NotEvaluated, 40, "NOT_EVALUATED");
        out.push('\n');
    }
    let c = tally.counts;
    let rules = tally.per_rule.len();
    let _ = writeln!(
        out,
        "{} findings from {rules} rules: {} FAIL, {} PASS, {} NOT_EVALUATED",
        c.pass + c.fail + c.not_evaluated,
        c.fail,
        c.pass,
        c.not_evaluated
    );
    out
}

/// Formats that can be written one finding at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    Json,
    Csv,
    /// OCSF events with the scan's time (ms since the epoch) and Sightline's version.
    Ocsf {
        time: i64,
    },
}

/// Writes findings as they come: a JSON array, CSV rows, or an array of OCSF events, without holding them.
pub struct StreamWriter<W: std::io::Write> {
    format: StreamFormat,
    version: &'static str,
    out: W,
    written: usize,
}

impl<W: std::io::Write> StreamWriter<W> {
    pub fn new(format: StreamFormat, version: &'static str, mut out: W) -> std::io::Result<Self> {
        match format {
            StreamFormat::Csv => out.write_all(CSV_HEADER.as_bytes())?,
            _ => out.write_all(b"[")?,
        }
        Ok(StreamWriter { format, version, out, written: 0 })
    }

    pub fn write(&mut self, f: &Finding) -> std::io::Result<()> {
        match self.format {
            StreamFormat::Csv => self.out.write_all(csv_row(f).as_bytes())?,
            StreamFormat::Json | StreamFormat::Ocsf { .. } => {
                self.out.write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
                let value = match self.format {
                    StreamFormat::Ocsf { time } => ocsf::event(f, self.version, time),
                    _ => serde_json::to_value(f).map_err(std::io::Error::other)?,
                };
                serde_json::to_writer(&mut self.out, &value).map_err(std::io::Error::other)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        if self.format != StreamFormat::Csv {
            self.out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

const CSV_HEADER: &str =
    "finding_id,rule_id,status,severity,account_id,region,resource_type,resource_id,domain,title,message\r\n";

fn csv_row(f: &Finding) -> String {
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
    cells.join(",") + "\r\n"
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
pub fn compliance(framework: Framework, tally: &Tally) -> Vec<ControlResult> {
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
            let mut counts = Counts::default();
            for r in &rules {
                if let Some(c) = tally.per_rule.get(*r) {
                    counts.pass += c.pass;
                    counts.fail += c.fail;
                    counts.not_evaluated += c.not_evaluated;
                }
            }
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

    fn finding(rule: &'static str, n: usize, status: FindingStatus, severity: Severity) -> Finding {
        let resource_id = format!("arn:aws:s3:::bucket-{n}");
        Finding {
            id: sightline_model::finding_id(rule, &resource_id),
            rule_id: rule.into(),
            title: "title".into(),
            status,
            severity,
            provider: sightline_model::Provider::Aws,
            resource_id,
            resource_type: "AWS::S3::Bucket".into(),
            account_id: "123456789012".into(),
            region: None,
            domain: "data".into(),
            message: format!("message {n}"),
            evidence: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_table_lists_a_bounded_number_of_findings_per_rule_and_counts_all() {
        let mut tally = Tally::default();
        for n in 0..100 {
            tally.add(finding("rule-a", n, FindingStatus::Fail, Severity::High));
            tally.add(finding("rule-b", n, FindingStatus::Pass, Severity::High));
        }
        for n in 0..3 {
            tally.add(finding("rule-c", n, FindingStatus::Fail, Severity::High));
            tally.add(finding("rule-c", 10 + n, FindingStatus::NotEvaluated, Severity::High));
        }
        for n in 0..30 {
            tally.add(finding("rule-d", n, FindingStatus::NotEvaluated, Severity::Low));
        }
        assert_eq!(tally.kept.len(), TABLE_FINDINGS_PER_RULE + 3 + 3 + TABLE_FINDINGS_PER_RULE);
        let text = table(&tally);
        assert!(text.starts_with("HIGH (103)\n"), "{text}");
        assert_eq!(text.matches("  FAIL  rule-a").count(), TABLE_FINDINGS_PER_RULE);
        assert!(text.contains("... and 75 more FAIL findings of rule-a"), "{text}");
        assert_eq!(text.matches("  FAIL  rule-c").count(), 3);
        assert!(!text.contains("more FAIL findings of rule-c"), "{text}");
        assert!(text.contains("NOT EVALUATED (33)"), "{text}");
        assert!(text.contains("... and 5 more NOT_EVALUATED findings of rule-d"), "{text}");
        assert!(text.ends_with("236 findings from 4 rules: 103 FAIL, 100 PASS, 33 NOT_EVALUATED\n"), "{text}");
        assert_eq!(tally.worst_failure, Some(Severity::High));
    }
}
