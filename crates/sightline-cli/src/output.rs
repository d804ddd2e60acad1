//! Rendering of results as text for people and JSON for programs. Nothing here computes a verdict.

use crate::Format;
use anyhow::Result;
use serde::Serialize;
use sightline_iam::actions::ActionDb;
use sightline_iam::authz::{Allowed, Query};
use sightline_iam::{Decision, Explanation};
use sightline_store::SnapshotInfo;
use std::io::Write;

fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The JSON shape of a `can` answer.
#[derive(Serialize)]
pub struct DecisionJson<'a> {
    pub principal: &'a str,
    pub action: &'a str,
    pub resource: &'a str,
    pub decision: Decision,
    pub explanation: &'a Explanation,
}

pub fn decision(query: &Query, explanation: &Explanation, format: Format) -> Result<()> {
    match format {
        Format::Json => print_json(&DecisionJson {
            principal: &query.principal,
            action: &query.action,
            resource: &query.resource,
            decision: explanation.decision,
            explanation,
        }),
        Format::Text => {
            let mut out = std::io::stdout().lock();
            write!(out, "{}", render_decision(&query.principal, &query.action, &query.resource, explanation))?;
            Ok(())
        }
    }
}

/// A decision as a few lines of text: verdict, reason, the deciding statements, notes.
pub fn render_decision(principal: &str, action: &str, resource: &str, e: &Explanation) -> String {
    let mut s = String::new();
    let verdict = match e.decision {
        Decision::Allow => "ALLOW",
        Decision::Deny => "DENY",
    };
    s.push_str(&format!("{verdict}  {principal}  {action}  {resource}\n"));
    s.push_str(&format!("  {}\n", e.summary));
    render_statements(&mut s, e, "  ");
    s
}

fn render_statements(s: &mut String, e: &Explanation, indent: &str) {
    for m in &e.statements {
        let sid = m.sid.as_ref().map(|sid| format!(" ({sid})")).unwrap_or_default();
        let at = m.attached_to.as_ref().map(|t| format!(" attached to {t}")).unwrap_or_default();
        s.push_str(&format!(
            "{indent}  {:<5} {}: {}{at}, statement {}{sid}\n",
            m.effect.to_string(),
            m.policy_type.as_str(),
            m.policy_name,
            m.statement
        ));
    }
    for note in &e.notes {
        s.push_str(&format!("{indent}  note: {note}\n"));
    }
}

pub fn who_can(action: &str, resource: &str, allowed: &[Allowed], format: Format) -> Result<()> {
    match format {
        Format::Json => print_json(allowed),
        Format::Text => {
            let mut out = std::io::stdout().lock();
            write!(out, "{}", render_who_can(action, resource, allowed))?;
            Ok(())
        }
    }
}

/// A who-can answer as text: one block per allowed principal.
pub fn render_who_can(action: &str, resource: &str, allowed: &[Allowed]) -> String {
    let mut s = format!(
        "{} principal{} can {action} on {resource}\n",
        allowed.len(),
        if allowed.len() == 1 { "" } else { "s" }
    );
    for a in allowed {
        s.push_str(&format!("  {:<8} {}\n", a.principal_type, a.principal));
        s.push_str(&format!("           {}\n", a.explanation.summary));
    }
    s
}

pub fn snapshots(list: &[SnapshotInfo], format: Format) -> Result<()> {
    match format {
        Format::Json => print_json(list),
        Format::Text => {
            println!(
                "{:>4}  {:<20}  {:<20}  {:>8}  {:>10}  {:>8}  {:>9}",
                "id", "created", "source", "accounts", "principals", "policies", "resources"
            );
            for i in list {
                println!(
                    "{:>4}  {:<20}  {:<20}  {:>8}  {:>10}  {:>8}  {:>9}",
                    i.id, i.created_at, i.source, i.accounts, i.principals, i.policies, i.resources
                );
            }
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct ActionJson<'a> {
    action: String,
    access_level: &'a str,
    resource_types: Vec<String>,
    condition_keys: &'a [String],
}

pub fn actions(patterns: &[String], not: bool, format: Format) -> Result<()> {
    let db = ActionDb::embedded();
    let found = if not {
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        db.complement(&refs)
    } else {
        let mut all = Vec::new();
        for p in patterns {
            all.extend(db.expand(p));
        }
        all.sort_by_key(|a| a.full_name());
        all.dedup_by_key(|a| a.full_name());
        all
    };
    if found.is_empty() {
        anyhow::bail!("no action matches {patterns:?} (action data: {})", db.source());
    }
    let rows: Vec<ActionJson<'_>> = found
        .iter()
        .map(|a| ActionJson {
            action: a.full_name(),
            access_level: a.access_level.as_str(),
            resource_types: a
                .resource_types
                .iter()
                .map(|r| if r.required { format!("{}*", r.resource_type) } else { r.resource_type.clone() })
                .collect(),
            condition_keys: &a.condition_keys,
        })
        .collect();
    match format {
        Format::Json => print_json(&rows),
        Format::Text => {
            let mut out = std::io::stdout().lock();
            for r in &rows {
                writeln!(out, "{:<50} {:<24} {}", r.action, r.access_level, r.resource_types.join(", "))?;
            }
            writeln!(out, "{} action{} ({})", rows.len(), if rows.len() == 1 { "" } else { "s" }, db.source())?;
            Ok(())
        }
    }
}
