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
    let cli = match m.provider() {
        sightline_model::Provider::Azure => "Azure CLI",
        sightline_model::Provider::Aws => "AWS CLI",
    };
    let _ = writeln!(out, "- {cli}: `{}`", m.remediation.cli);
    let _ = writeln!(out, "- Terraform:\n\n```hcl\n{}\n```\n", m.remediation.terraform);
    let _ = writeln!(out, "References:\n");
    for r in m.references {
        // A reference is a link, or a note (such as a CIS section number that could not be confirmed).
        if r.starts_with("https://") {
            let _ = writeln!(out, "- <{r}>");
        } else {
            let _ = writeln!(out, "- {r}");
        }
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
    let _ = writeln!(out, "| id | severity | resource type | CIS | title |\n| --- | --- | --- | --- | --- |");
    for rule in crate::RULES {
        let m = &rule.meta;
        let cis: Vec<String> = m
            .controls
            .iter()
            .filter_map(|c| match c.framework {
                Framework::CisAws50 => Some(format!("AWS {}", c.id)),
                Framework::CisAzure60 => Some(format!("Azure {}", c.id)),
                _ => None,
            })
            .collect();
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
