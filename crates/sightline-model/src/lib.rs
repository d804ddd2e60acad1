//! The provider-neutral snapshot: what Sightline knows about one or more cloud accounts at one moment.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
//!
//! Sources (importers, collectors) write a [`Snapshot`]; analyses read it. Resources keep the provider's own API
//! shape under the provider's own type names (`AWS::S3::Bucket`, `Microsoft.Storage/storageAccounts`); policy
//! documents are kept verbatim as JSON in the provider's policy language, and only the engines interpret them.

pub mod data;
mod jsonl;
mod parallel;

mod props;
pub mod ranged;
pub use jsonl::{looks_like_jsonl, read_jsonl, write_jsonl, JsonlError};
pub use parallel::{decode_in_order, parallel_map};
pub use props::Props;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Version of the snapshot format. Bump when a change would make an older reader misread a snapshot.
pub const FORMAT_VERSION: u32 = 1;

/// A verbatim JSON document (a policy in the provider's language), kept unparsed so that imports stay cheap.
pub type Document = Box<RawValue>;

/// Makes a [`Document`] from JSON text, dropping the whitespace between tokens so that every document fits on one
/// line (JSON Lines exports rely on it). Fails if the text is not one valid JSON value.
pub fn compact_document(text: &str) -> Result<Document, serde_json::Error> {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    RawValue::from_string(out)
}

/// The cloud a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Azure,
}

/// Everything collected or imported at one moment, for any number of accounts of any provider.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub format_version: u32,
    /// Free-form label: what produced the snapshot (`import aws-iam`, `collect aws`, ...).
    #[serde(default)]
    pub source: String,
    /// RFC 3339 time at which the snapshot was taken.
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub organizations: Vec<Organization>,
    #[serde(default)]
    pub principals: Vec<Principal>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub coverage: Vec<Coverage>,
    /// Calls the identities made, from audit logs (AWS CloudTrail), aggregated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<Activity>,
    /// The periods those logs cover, per account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity_periods: Vec<ActivityPeriod>,
    /// What the data scanner found in stored objects (S3 objects, blobs, files), one record per object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_objects: Vec<DataObject>,
}

impl Snapshot {
    /// An empty snapshot of the current format version.
    pub fn new(source: impl Into<String>) -> Self {
        Snapshot { format_version: FORMAT_VERSION, source: source.into(), ..Default::default() }
    }

    /// One line counting what the snapshot holds, for messages.
    pub fn summary(&self) -> String {
        let count = |k: PrincipalKind| self.principals.iter().filter(|p| p.kind == k).count();
        format!(
            "{} account(s), {} user(s), {} group(s), {} role(s), {} policies, {} resource(s)",
            self.accounts.len(),
            count(PrincipalKind::User),
            count(PrincipalKind::Group),
            count(PrincipalKind::Role),
            self.policies.len(),
            self.resources.len()
        )
    }

    /// Adds everything of `other` to this snapshot (used when several inputs make one snapshot).
    pub fn merge(&mut self, other: Snapshot) {
        self.accounts.extend(other.accounts);
        self.organizations.extend(other.organizations);
        self.principals.extend(other.principals);
        self.policies.extend(other.policies);
        self.resources.extend(other.resources);
        self.coverage.extend(other.coverage);
        self.activity.extend(other.activity);
        self.activity_periods.extend(other.activity_periods);
    }
}

/// An AWS account or an Azure subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub provider: Provider,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organization (AWS Organizations, Azure tenant) the account belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The organizational unit (or management group) directly above the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// An organization: AWS Organizations, or an Azure tenant's management-group tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub provider: Provider,
    pub id: String,
    /// The account that manages the organization (AWS: exempt from SCPs and RCPs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_account_id: Option<String>,
    /// The organization's units (AWS: the root and the OUs; Azure: management groups).
    #[serde(default)]
    pub units: Vec<OrganizationUnit>,
    /// Which organization policies are attached to which unit or account.
    #[serde(default)]
    pub attachments: Vec<PolicyAttachment>,
}

/// A node of an organization tree. The root has no parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationUnit {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
}

/// An organization policy attached to a unit or an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyAttachment {
    pub policy_id: String,
    pub target_id: String,
}

/// What kind of identity a principal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// A person's long-lived identity (AWS IAM user, Entra user).
    User,
    /// A collection of principals that receives permissions for its members.
    Group,
    /// An identity assumed by others (AWS IAM role).
    Role,
    /// An application identity (Entra service principal).
    ServicePrincipal,
    /// A provider-managed workload identity (Azure managed identity).
    ManagedIdentity,
    /// An external identity provider trusted by the account (AWS SAML or OIDC provider).
    IdentityProvider,
}

/// A policy embedded in one principal (AWS inline policy).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: Document,
}

/// An identity: person or not, with the policies attached to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Principal {
    pub provider: Provider,
    /// The provider's identifier (AWS: the ARN).
    pub id: String,
    pub kind: PrincipalKind,
    pub account_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The provider's opaque unique id (AWS: AIDA.../AROA...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Ids of the managed policies attached to the principal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline_policies: Vec<InlinePolicy>,
    /// Ids of the groups the principal belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Id of the managed policy that bounds the principal's permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// The policy saying who may act as this principal (AWS: a role's trust policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_policy: Option<Document>,
    /// Everything else the provider reports, in its own shape.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub properties: serde_json::Value,
}

/// What a standalone policy is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A managed identity policy written by the customer.
    CustomerManaged,
    /// A managed identity policy written by the provider.
    ProviderManaged,
    /// An AWS Organizations service control policy.
    ServiceControl,
    /// An AWS Organizations resource control policy.
    ResourceControl,
    /// An Azure role definition.
    RoleDefinition,
}

/// A standalone policy (managed policy, SCP, RCP, role definition).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub provider: Provider,
    /// The provider's identifier (AWS: the ARN).
    pub id: String,
    pub kind: PolicyKind,
    pub name: String,
    /// The owning account; `None` for provider-managed and organization policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    pub document: Document,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub properties: serde_json::Value,
}

/// A cloud resource in the provider's own API shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    pub provider: Provider,
    /// The provider's identifier (AWS: the ARN; Azure: the resource id).
    pub id: String,
    /// CloudFormation-style (`AWS::S3::Bucket`) or ARM-style (`Microsoft.Storage/storageAccounts`) type.
    pub resource_type: String,
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default)]
    pub name: String,
    /// The resource-based policy (bucket policy, key policy, queue policy, ...), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Document>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Props::is_null")]
    pub properties: Props,
}

/// Whether a piece of data could be collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    Collected,
    Denied,
    Failed,
}

/// One record of what was (or was not) collected, so that checks can say "not evaluated" rather than "pass".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub provider: Provider,
    pub account_id: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub operation: String,
    pub status: CoverageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The calls one identity made with one action (on one resource, with one access key), as audit logs record
/// them: how many, and when the first and the last were made. Calls the provider refused are kept apart
/// (`denied`): they show intent, not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub provider: Provider,
    /// The account the identity belongs to.
    pub account_id: String,
    /// The identity that made the calls (AWS: the user's or the role's ARN; a role session counts for its role).
    pub principal: String,
    /// The action the calls needed, in the policy language (`s3:GetObject`).
    pub action: String,
    /// The resource the calls were made on, when the log names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The long-term access key that signed the calls (AWS: `AKIA...`), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// Whether the provider refused these calls.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub denied: bool,
    pub count: u64,
    /// RFC 3339 times of the first and the last call.
    pub first_seen: String,
    pub last_seen: String,
}

/// What the data scanner found in one stored object: an S3 object, an Azure blob, or a local file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataObject {
    pub provider: Option<Provider>,
    /// The storage resource holding the object (AWS: the bucket's ARN; Azure: the container's resource id);
    /// `None` for a local file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Where the object is: `s3://bucket/key`, `azure://account/container/blob`, or a path.
    pub object: String,
    /// The object's version as its store names it (S3: the ETag), so that a later scan can skip it unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The object's size, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Bytes read (less than the size when the scan read a sample, or stopped at a limit).
    pub bytes_scanned: u64,
    /// RFC 3339 time of the scan.
    pub scanned_at: String,
    pub outcome: DataOutcome,
    /// Why the object was not read whole: the error, the limit met, or why it was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What each detector found, one entry per detector.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detections: Vec<DataDetection>,
}

/// How the scan of one object went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataOutcome {
    /// Read whole.
    Scanned,
    /// Read in part: a sample, or up to a limit (the reason says which).
    Partial,
    /// Not text, and no format the scanner reads: skipped, and counted.
    SkippedBinary,
    /// Could not be read (denied, gone, corrupt): the reason says why.
    Error,
}

/// One detector's findings in one object. Samples are redacted: no full secret or number is ever stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDetection {
    /// The detector's stable id (`credit_card`, `aws_secret_access_key`, ...).
    pub detector: String,
    /// `personal`, `financial`, `credentials` or `health`.
    pub category: String,
    /// The highest confidence of its matches (`very_unlikely` ... `very_likely`).
    pub confidence: String,
    pub count: u64,
    /// A few redacted samples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<String>,
    /// A few locations (line, CSV cell, JSON path, archive member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

impl Activity {
    /// What identifies a record: two records with the same key are the same calls, to be merged.
    pub fn key(&self) -> (Provider, &str, &str, &str, Option<&str>, Option<&str>, bool) {
        (
            self.provider,
            &self.account_id,
            &self.principal,
            &self.action,
            self.resource.as_deref(),
            self.access_key_id.as_deref(),
            self.denied,
        )
    }

    /// Adds `other`'s calls (same key) to these.
    pub fn absorb(&mut self, other: &Activity) {
        self.count += other.count;
        if other.first_seen < self.first_seen {
            self.first_seen.clone_from(&other.first_seen);
        }
        if other.last_seen > self.last_seen {
            self.last_seen.clone_from(&other.last_seen);
        }
    }
}

/// A stretch of time over which the activity of one account was read from its logs: a call made in it would be
/// in [`Snapshot::activity`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPeriod {
    pub provider: Provider,
    pub account_id: String,
    /// RFC 3339 times of the first and the last event read.
    pub from: String,
    pub to: String,
    /// How many events were read.
    pub events: u64,
    /// Where they were read from (a directory, files, a bucket).
    #[serde(default)]
    pub source: String,
}

/// How bad a failed check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Every severity, from the least to the most severe.
    pub const ALL: [Severity; 5] =
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// The outcome of one rule on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FindingStatus {
    #[serde(rename = "PASS")]
    Pass,
    #[serde(rename = "FAIL")]
    Fail,
    /// The data the rule needs was not collected (the collector was denied, an API failed, a field is missing).
    #[serde(rename = "NOT_EVALUATED")]
    NotEvaluated,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Pass => "PASS",
            FindingStatus::Fail => "FAIL",
            FindingStatus::NotEvaluated => "NOT_EVALUATED",
        }
    }
}

/// One rule's verdict on one resource (or on an account or region, for rules about those).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across scans: derived from the rule id and the resource id only.
    pub id: String,
    /// Rule ids, titles, resource types and domains are shared by many findings: borrowed from the rule's
    /// metadata when a scan makes them, owned when read back.
    pub rule_id: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub status: FindingStatus,
    pub severity: Severity,
    pub provider: Provider,
    pub resource_id: String,
    pub resource_type: Cow<'static, str>,
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The shared-responsibility domain of the rule (`access_management`, `encryption`, ...).
    pub domain: Cow<'static, str>,
    /// What was found, in words: why it fails, or why it could not be evaluated.
    pub message: String,
    /// The values the verdict rests on.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub evidence: serde_json::Value,
}

/// A stable identifier for the finding of `rule_id` on `resource_id`: 64-bit FNV-1a of both, in hex.
pub fn finding_id(rule_id: &str, resource_id: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule_id.bytes().chain([0u8]).chain(resource_id.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..16).rev().map(|i| char::from(HEX[((hash >> (i * 4)) & 0xf) as usize])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_ids_are_stable() {
        // Fixed values: stored findings and exported reports refer to these ids, so they must never change.
        assert_eq!(finding_id("a", "b"), finding_id("a", "b"));
        assert_ne!(finding_id("ab", ""), finding_id("a", "b"));
        assert_eq!(finding_id("", ""), "af63bd4c8601b7df");
    }

    #[test]
    fn compact_keeps_strings() {
        let d = compact_document("{\n  \"a b\" : [1, \"x \\\" y\"]\n}").unwrap();
        assert_eq!(d.get(), r#"{"a b":[1,"x \" y"]}"#);
        assert!(compact_document("{\"a\":").is_err());
    }
}
