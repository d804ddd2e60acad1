//! AWS sources for Sightline: importers of offline exports into the snapshot model.
//!
//! - [`import::authorization_details`]: `aws iam get-account-authorization-details` output (one file, several
//!   pages, or a directory of pages; policy documents URL-encoded or not).
//! - [`import::organization`]: an AWS Organizations description (accounts, OUs, SCPs, RCPs and their targets).
//! - [`import::resources`]: resources with their resource-based policies.
//! - [`generate`]: synthetic accounts of any size, for benchmarks.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod generate;
pub mod import;
