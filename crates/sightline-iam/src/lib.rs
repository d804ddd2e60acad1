//! AWS IAM for Sightline: the policy language, the action database and an evaluation engine that follows AWS's
//! documented policy evaluation logic, with an explanation for every decision.
//!
//! The engine ([`eval::evaluate`]) is a pure function of a request and the policies that apply to it. The
//! [`authz::Authorizer`] gathers those policies from a [`sightline_model::Snapshot`]: a principal's own and group
//! policies, its permissions boundary, the SCPs along its account's organization path, the RCPs along the
//! resource account's path, and the resource's own policy.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod actions;
pub mod arn;
pub mod authz;
pub mod condition;
pub mod context;
pub mod data;
pub mod eval;
pub mod glob;
mod json;
pub mod pattern;
pub mod policy;

pub use context::Context;
pub use eval::{
    add_principal_context, evaluate, Decision, Explanation, PolicySet, PrincipalFacts, PrincipalType, Request,
    RequestPrincipal,
};
pub use policy::{PolicyDocument, PolicyError, PolicyType};
