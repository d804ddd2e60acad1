//! A single-file HTML report that works offline: summary charts (inline SVG), and the findings in a table with
//! filters, rendered by a small script from the findings embedded as JSON. Nothing is fetched from anywhere.

use crate::Counts;
use sightline_model::{Finding, FindingStatus, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart: one labelled bar per (label, value, colour).
fn bars(title: &str, rows: &[(String, usize, &str)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = 24 * rows.len() + 30;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 420 {height}\" width=\"420\" height=\"{height}\">",
        esc(title),
        esc(title)
    );
    for (i, (label, value, colour)) in rows.iter().enumerate() {
        let y = 10 + 24 * i;
        let width = 250 * value / max;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" class=\"label\">{}</text><rect x=\"130\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"{colour}\"></rect><text x=\"{}\" y=\"{}\" class=\"value\">{value}</text>",
            y + 14,
            esc(label),
            135 + width,
            y + 14
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

fn colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "#7f1d1d",
        Severity::High => "#dc2626",
        Severity::Medium => "#f59e0b",
        Severity::Low => "#3b82f6",
        Severity::Info => "#6b7280",
    }
}

/// The report. `subtitle` says what was scanned (snapshot, source, time).
pub fn html(findings: &[Finding], subtitle: &str) -> String {
    let counts = Counts::of(findings);
    let failed = |s: Severity| findings.iter().filter(|f| f.status == FindingStatus::Fail && f.severity == s).count();
    let by_severity: Vec<(String, usize, &str)> =
        Severity::ALL.iter().rev().map(|s| (s.as_str().to_string(), failed(*s), colour(*s))).collect();
    let by_status = vec![
        ("FAIL".to_string(), counts.fail, "#dc2626"),
        ("PASS".to_string(), counts.pass, "#16a34a"),
        ("NOT_EVALUATED".to_string(), counts.not_evaluated, "#6b7280"),
    ];
    let mut domains: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.status == FindingStatus::Fail) {
        *domains.entry(f.domain.as_ref()).or_default() += 1;
    }
    let by_domain: Vec<(String, usize, &str)> =
        domains.into_iter().map(|(d, n)| (d.to_string(), n, "#7c3aed")).collect();
    // The findings for the script; `</` is escaped so that no value can close the script element.
    let data = serde_json::to_string(findings).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/");
    let mut page = String::new();
    let _ = write!(
        page,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Sightline posture report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #111827; }}
h1 {{ margin: 0 0 .2rem; }} .sub {{ color: #4b5563; margin-bottom: 1.2rem; }}
.cards {{ display: flex; gap: 1rem; margin-bottom: 1rem; }}
.card {{ border: 1px solid #e5e7eb; border-radius: 8px; padding: .6rem 1rem; min-width: 8rem; }}
.card b {{ display: block; font-size: 1.6rem; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 2rem; }}
figure {{ margin: 0; }} figcaption {{ font-weight: 600; margin-bottom: .3rem; }}
svg .label, svg .value {{ font-size: 12px; fill: #374151; }}
.filters {{ display: flex; gap: .6rem; margin: 1.2rem 0 .6rem; flex-wrap: wrap; }}
input, select {{ font: inherit; padding: .25rem .4rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }}
th {{ background: #f9fafb; position: sticky; top: 0; }}
td:nth-child(4), td:nth-child(6) {{ word-break: break-all; }}
tr.finding {{ cursor: pointer; }} tr.detail td {{ background: #f9fafb; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }}
.s-FAIL {{ color: #b91c1c; font-weight: 600; }} .s-PASS {{ color: #15803d; }} .s-NOT_EVALUATED {{ color: #4b5563; }}
.sev {{ display: inline-block; border-radius: 4px; padding: 0 .4rem; color: white; font-size: 12px; }}
</style>
</head>
<body data-ready="false">
<h1>Sightline posture report</h1>
<div class="sub">{subtitle}</div>
<div class="cards">
<div class="card"><b id="n-fail">{fail}</b>FAIL</div>
<div class="card"><b>{pass}</b>PASS</div>
<div class="card"><b>{not_evaluated}</b>NOT EVALUATED</div>
<div class="card"><b>{total}</b>findings</div>
</div>
<div class="charts">{c1}{c2}{c3}</div>
<div class="filters">
<input id="q" type="search" placeholder="Filter: rule, resource, account, message" size="40" aria-label="Filter">
<select id="status" aria-label="Status"><option value="">every status</option><option>FAIL</option><option>PASS</option><option>NOT_EVALUATED</option></select>
<select id="severity" aria-label="Severity"><option value="">every severity</option><option>critical</option><option>high</option><option>medium</option><option>low</option><option>info</option></select>
<select id="domain" aria-label="Domain"><option value="">every domain</option></select>
<span id="shown"></span>
</div>
<table>
<thead><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Resource</th><th>Account / region</th><th>Finding</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<script type="application/json" id="findings">{data}</script>
<script>
"use strict";
const findings = JSON.parse(document.getElementById("findings").textContent);
const colours = {{ critical: "#7f1d1d", high: "#dc2626", medium: "#f59e0b", low: "#3b82f6", info: "#6b7280" }};
const rank = {{ FAIL: 0, NOT_EVALUATED: 1, PASS: 2 }};
const sevRank = {{ critical: 0, high: 1, medium: 2, low: 3, info: 4 }};
findings.sort((a, b) => rank[a.status] - rank[b.status] || sevRank[a.severity] - sevRank[b.severity] || a.rule_id.localeCompare(b.rule_id));
const domainSelect = document.getElementById("domain");
for (const d of [...new Set(findings.map(f => f.domain))].sort()) {{
  const o = document.createElement("option"); o.textContent = d; domainSelect.appendChild(o);
}}
function cell(row, text, cls) {{ const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; }}
function render() {{
  const q = document.getElementById("q").value.toLowerCase();
  const status = document.getElementById("status").value;
  const severity = document.getElementById("severity").value;
  const domain = domainSelect.value;
  const body = document.getElementById("rows");
  body.textContent = "";
  let shown = 0;
  for (const f of findings) {{
    if (status && f.status !== status) continue;
    if (severity && f.severity !== severity) continue;
    if (domain && f.domain !== domain) continue;
    const hay = [f.rule_id, f.resource_id, f.account_id, f.region || "", f.message, f.title].join(" ").toLowerCase();
    if (q && !hay.includes(q)) continue;
    shown++;
    const row = body.insertRow(); row.className = "finding";
    cell(row, f.status, "s-" + f.status);
    const sev = cell(row, "");
    const badge = document.createElement("span"); badge.className = "sev"; badge.style.background = colours[f.severity]; badge.textContent = f.severity; sev.appendChild(badge);
    cell(row, f.rule_id); cell(row, f.resource_id); cell(row, f.account_id + (f.region ? " / " + f.region : "")); cell(row, f.message);
    row.addEventListener("click", () => {{
      const next = row.nextSibling;
      if (next && next.className === "detail") {{ next.remove(); return; }}
      const detail = document.createElement("tr"); detail.className = "detail";
      const td = detail.insertCell(); td.colSpan = 6;
      td.textContent = f.title + "\nFinding id: " + f.id + "\nResource type: " + f.resource_type + "\nDomain: " + f.domain + "\nEvidence: " + JSON.stringify(f.evidence ?? null, null, 2);
      row.after(detail);
    }});
  }}
  document.getElementById("shown").textContent = shown + " of " + findings.length + " shown";
}}
// Filters can be set from the address (report.html#status=FAIL&severity=high), to share a view.
for (const [key, value] of new URLSearchParams(location.hash.slice(1))) {{
  const control = document.getElementById(key);
  if (control) control.value = value;
}}
for (const id of ["q", "status", "severity", "domain"]) {{
  document.getElementById(id).addEventListener("input", () => {{
    const params = new URLSearchParams();
    for (const k of ["q", "status", "severity", "domain"]) {{ const v = document.getElementById(k).value; if (v) params.set(k, v); }}
    history.replaceState(null, "", "#" + params.toString());
    render();
  }});
}}
render();
document.body.dataset.ready = "true";
</script>
</body>
</html>
"##,
        subtitle = esc(subtitle),
        fail = counts.fail,
        pass = counts.pass,
        not_evaluated = counts.not_evaluated,
        total = findings.len(),
        c1 = bars("Failures by severity", &by_severity),
        c2 = bars("Findings by status", &by_status),
        c3 = bars("Failures by responsibility domain", &by_domain),
    );
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script() {
        let f = Finding {
            id: "1".into(),
            rule_id: "r".into(),
            title: "t".into(),
            status: FindingStatus::Fail,
            severity: Severity::High,
            provider: sightline_model::Provider::Aws,
            resource_id: "</script><script>alert(1)</script>".into(),
            resource_type: "x".into(),
            account_id: "1".into(),
            region: None,
            domain: "data".into(),
            message: "<b>".into(),
            evidence: serde_json::Value::Null,
        };
        let page = html(&[f], "<subtitle>");
        assert!(!page.contains("</script><script>alert"));
        assert!(page.contains("&lt;subtitle&gt;"));
    }
}
