//! Azure live sources for Sightline, the only Azure crate that talks to the network: the REST client of Azure
//! Resource Manager, Resource Graph and Microsoft Graph ([`rest`]), the read-only tenant collector built on it
//! ([`collect`]), and the Blob service client the data scanner reads containers with ([`blob`]).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod blob;
pub mod collect;
pub mod identity;
pub mod rest;
