//! Rule documentation, generated from the rules' own metadata (`docs/rules.md` and `sightline rules show`).

use crate::meta::{Framework, Meta};
use std::fmt::Write as _;

/// One rule's documentation in Markdown.
pub fn markdown(m: &Meta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", m.id);
    let _ = writeln!(out, "**{}**\n", m.title);
    let _ = writeln!(out, "- Severity: {}", m.severity.as_str());
    let _ = writeln!(out, "- Resource type: `{}`", m.resource_type);
    let _ = writeln!(out, "- Responsibility domain: {}", m.domain.id());
    for f in Framework::ALL {
        let ids: Vec<&str> = m.controls.iter().filter(|c| c.framework == f).map(|c| c.id).collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "- {}: {}", f.title(), ids.join(", "));
        }
    }
    let _ = writeln!(out, "\n{}\n", m.rationale);
    let _ = writeln!(out, "Remediation:\n");
    let _ = writeln!(out, "- Console: {}", m.remediation.console);
    let _ = writeln!(out, "- AWS CLI: `{}`", m.remediation.cli);
    let _ = writeln!(out, "- Terraform:\n\n```hcl\n{}\n```\n", m.remediation.terraform);
    let _ = writeln!(out, "References:\n");
    for r in m.references {
        let _ = writeln!(out, "- <{r}>");
    }
    out.push('\n');
    out
}

/// The documentation of every built-in rule: what `docs/rules.md` holds.
pub fn all() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rules' metadata by `cargo test -p sightline-rules` \
         (`UPDATE_DOCS=1` rewrites this file); do not edit by hand.\n\n",
    );
    let _ = writeln!(out, "| id | severity | resource type | CIS AWS 5.0 | title |\n| --- | --- | --- | --- | --- |");
    for rule in crate::RULES {
        let m = &rule.meta;
        let cis: Vec<&str> = m.controls.iter().filter(|c| c.framework == Framework::CisAws50).map(|c| c.id).collect();
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | `{}` | {} | {} |",
            m.id,
            m.id,
            m.severity.as_str(),
            m.resource_type,
            cis.join(", "),
            m.title
        );
    }
    out.push('\n');
    for rule in crate::RULES {
        out.push_str(&markdown(&rule.meta));
    }
    out
}

#[cfg(test)]
mod tests {
    /// `docs/rules.md` is what the metadata says; run with `UPDATE_DOCS=1` to rewrite it after changing a rule.
    #[test]
    fn docs_match_the_rules() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
        let expected = super::all();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(found == expected, "docs/rules.md is out of date: run UPDATE_DOCS=1 cargo test -p sightline-rules");
    }
}
