//! CSPM rules for Sightline: each rule checks one kind of misconfiguration in a snapshot and gives a finding per
//! resource it looks at (PASS, FAIL, or NOT_EVALUATED when the data it needs was not collected).
//!
//! A rule is one file under `rules/`: its metadata ([`Meta`]: id, title, severity, resource type, framework
//! controls, responsibility domain, rationale, remediation, references), its check, and its fixtures (snapshots
//! on which it must pass and fail, run by one generic test). The registry ([`RULES`]) lists them all; `sightline
//! rules` and the generated documentation read the same metadata.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod docs;
mod meta;
mod rules;
mod scan;

pub use meta::{Control, Domain, Fixtures, Framework, Meta, Need, Remediation, Rule};
pub use rules::RULES;
pub use scan::{run, Options, Out, Scan, ScanError};

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.meta.id == id)
}
