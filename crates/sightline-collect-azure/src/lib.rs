//! Azure sources for Sightline. For now, the Blob service client the data scanner reads containers with
//! ([`blob`]).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod blob;
