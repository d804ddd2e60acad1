//! CSPM rules for Sightline: each rule checks one kind of misconfiguration in a snapshot and gives a finding per
//! resource it looks at (PASS, FAIL, or NOT_EVALUATED when the data it needs was not collected).
//!
//! A rule is one file under `rules/`: its metadata ([`Meta`]: id, title, severity, resource type, framework
//! controls, responsibility domain, rationale, remediation, references), its check, and its fixtures (snapshots
//! on which it must pass and fail, run by one generic test). The registry ([`RULES`]) lists them all; `sightline
//! rules` and the generated documentation read the same metadata.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod custom;
pub mod docs;
mod meta;
pub mod responsibility;
mod rules;
mod scan;

pub use custom::{CustomRule, CustomRuleError};
pub use meta::{Control, Domain, Fixtures, Framework, Meta, Need, Remediation, Rule};
pub use rules::RULES;
pub use scan::{run_streaming, run_with, Options, Out, Scan, ScanError, DEFAULT_UNUSED_DAYS};

use std::sync::RwLock;

/// The built-in rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.meta.id == id)
}

/// The metadata of the custom rules loaded in this process.
static CUSTOM: RwLock<Vec<&'static Meta>> = RwLock::new(Vec::new());

fn register(meta: &'static Meta) {
    if let Ok(mut custom) = CUSTOM.write() {
        custom.retain(|m| m.id != meta.id);
        custom.push(meta);
    }
}

/// The metadata of a built-in or loaded custom rule, for outputs.
pub fn meta(id: &str) -> Option<&'static Meta> {
    rule(id).map(|r| &r.meta).or_else(|| CUSTOM.read().ok()?.iter().copied().find(|m| m.id == id))
}

/// Every rule's metadata: the built-in rules, then the custom rules loaded in this process.
pub fn metas() -> Vec<&'static Meta> {
    let mut all: Vec<&'static Meta> = RULES.iter().map(|r| &r.meta).collect();
    if let Ok(custom) = CUSTOM.read() {
        all.extend(custom.iter().copied());
    }
    all
}
