//! The resources one regional collection produces, built the same way by every service module.

use serde_json::Value;
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

/// Collects the resources of one service in one region of one account.
pub struct Out<'a> {
    pub account: &'a str,
    pub region: &'a str,
    /// The ARN service prefix (`ec2`, `rds`, ...).
    service: &'static str,
    /// What separates the resource type from its id in this service's ARNs (`/` for EC2, `:` for RDS).
    separator: char,
    pub snapshot: Snapshot,
}

impl<'a> Out<'a> {
    pub fn new(account: &'a str, region: &'a str, service: &'static str, separator: char) -> Out<'a> {
        Out { account, region, service, separator, snapshot: Snapshot::default() }
    }

    /// Adds a resource without a resource-based policy.
    pub fn push(
        &mut self,
        resource_type: &str,
        id: String,
        name: &str,
        tags: BTreeMap<String, String>,
        properties: Value,
    ) {
        self.snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id,
            resource_type: resource_type.to_string(),
            account_id: self.account.to_string(),
            region: Some(self.region.to_string()),
            name: name.to_string(),
            policy: None,
            tags,
            properties: properties.into(),
        });
    }

    /// The ARN of a resource of this service, account and region, for services that do not return one.
    pub fn arn(&self, kind: &str, id: &str) -> String {
        format!("arn:aws:{}:{}:{}:{kind}{}{id}", self.service, self.region, self.account, self.separator)
    }
}
