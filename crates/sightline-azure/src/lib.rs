//! Azure without I/O: the conventions by which Azure records sit in a [`sightline_model::Snapshot`] (described in
//! `docs/azure.md`), importers of offline exports, and the RBAC and Entra permission engine. The live collectors
//! are in `sightline-collect-azure`, the only Azure crate that talks to the network.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

/// Compares two Azure ids, scopes, types or actions: Azure treats them without regard to ASCII case.
pub fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub mod generate;
pub mod import;
pub mod rbac;
