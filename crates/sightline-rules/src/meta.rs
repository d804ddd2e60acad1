//! What every rule declares about itself.

use crate::scan::{Out, Scan};
use sightline_model::Severity;

/// A compliance framework a rule maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Framework {
    /// CIS Amazon Web Services Foundations Benchmark v5.0.0.
    #[serde(rename = "cis-aws-5.0")]
    CisAws50,
    /// CIS Microsoft Azure Foundations Benchmark v6.0.0.
    #[serde(rename = "cis-azure-6.0")]
    CisAzure60,
    /// NIST SP 800-53 revision 5.
    #[serde(rename = "nist-800-53-r5")]
    Nist80053R5,
    /// PCI DSS v4.0.
    #[serde(rename = "pci-dss-4.0")]
    PciDss40,
}

impl Framework {
    pub const ALL: [Framework; 4] =
        [Framework::CisAws50, Framework::CisAzure60, Framework::Nist80053R5, Framework::PciDss40];

    /// The name used on the command line (`--framework`) and in outputs.
    pub fn id(self) -> &'static str {
        match self {
            Framework::CisAws50 => "cis-aws-5.0",
            Framework::CisAzure60 => "cis-azure-6.0",
            Framework::Nist80053R5 => "nist-800-53-r5",
            Framework::PciDss40 => "pci-dss-4.0",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Framework::CisAws50 => "CIS Amazon Web Services Foundations Benchmark v5.0.0",
            Framework::CisAzure60 => "CIS Microsoft Azure Foundations Benchmark v6.0.0",
            Framework::Nist80053R5 => "NIST SP 800-53 Rev. 5",
            Framework::PciDss40 => "PCI DSS v4.0",
        }
    }

    pub fn parse(id: &str) -> Option<Framework> {
        Framework::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// One control of a framework that a rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Control {
    pub framework: Framework,
    pub id: &'static str,
}

/// Shorthands for rule files.
pub(crate) const fn cis(id: &'static str) -> Control {
    Control { framework: Framework::CisAws50, id }
}
pub(crate) const fn cis_azure(id: &'static str) -> Control {
    Control { framework: Framework::CisAzure60, id }
}
pub(crate) const fn nist(id: &'static str) -> Control {
    Control { framework: Framework::Nist80053R5, id }
}
pub(crate) const fn pci(id: &'static str) -> Control {
    Control { framework: Framework::PciDss40, id }
}

/// The shared-responsibility domain a rule belongs to. Data, identity and access management are always the
/// customer's; the others are the customer's or shared depending on the service model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Data,
    Identity,
    AccessManagement,
    Configuration,
    NetworkControls,
    OperatingSystem,
    Application,
    Logging,
    Backup,
    Encryption,
}

impl Domain {
    pub fn id(self) -> &'static str {
        match self {
            Domain::Data => "data",
            Domain::Identity => "identity",
            Domain::AccessManagement => "access_management",
            Domain::Configuration => "configuration",
            Domain::NetworkControls => "network_controls",
            Domain::OperatingSystem => "operating_system",
            Domain::Application => "application",
            Domain::Logging => "logging",
            Domain::Backup => "backup",
            Domain::Encryption => "encryption",
        }
    }
}

/// How to fix a failure: console (or Azure portal) steps, an AWS CLI (or `az` CLI) command and a Terraform snippet
/// (`aws` or `azurerm` provider).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Remediation {
    pub console: &'static str,
    pub cli: &'static str,
    pub terraform: &'static str,
}

/// An API call whose data the rule reads: when the collector recorded it as denied or failed for an account (and
/// region), the rule's findings there are NOT_EVALUATED instead of PASS or FAIL.
///
/// For Azure (see `docs/azure.md`, Coverage), `service` is the resource provider namespace (`Microsoft.Storage`) or
/// `graph`, `operation` the listed type (`storageAccounts`, `storageAccounts/blobServices`, `authorizationPolicy`),
/// and the coverage record is the subscription's (the tenant's for `graph`); Azure needs are never regional.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Need {
    pub service: &'static str,
    pub operation: &'static str,
    /// Whether the call is made per region (EC2, S3 buckets' regions...) or once per account (IAM).
    pub regional: bool,
}

/// Snapshots on which a rule must give FAIL (at least once) and must not (PASS at least once, never FAIL). Each is
/// a JSON object with `resources`, `principals`, `policies`, `coverage` and `accounts` arrays, in the snapshot's
/// record shapes; `provider` defaults to `aws` and `account_id` to `123456789012`. For Azure rules (see
/// [`Meta::provider`]) `provider` defaults to `azure`, `account_id` to the subscription
/// `00000000-0000-0000-0000-00000000000a` (the tenant `00000000-0000-0000-0000-0000000000aa` for principals and
/// `Microsoft.Graph/*` records), with one subscription in that tenant.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Fixtures {
    pub pass: &'static [&'static str],
    pub fail: &'static [&'static str],
}

/// A rule's description of itself.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Meta {
    /// Stable id, `aws-<service>-<what>` or `azure-<service>-<what>`: findings, suppressions and reports refer to it.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// The type of the resources the findings are about (`AWS::S3::Bucket`, `Microsoft.Storage/storageAccounts`), or
    /// `AWS::Account` / `AWS::Region`.
    pub resource_type: &'static str,
    pub domain: Domain,
    pub rationale: &'static str,
    pub remediation: Remediation,
    pub references: &'static [&'static str],
    pub controls: &'static [Control],
    #[serde(skip)]
    pub needs: &'static [Need],
}

impl Meta {
    /// The cloud the rule is about: Azure for `azure-` rules and rules on ARM (`Microsoft.*`) types, else AWS.
    pub fn provider(&self) -> sightline_model::Provider {
        if self.id.starts_with("azure-") || self.resource_type.starts_with("Microsoft.") {
            sightline_model::Provider::Azure
        } else {
            sightline_model::Provider::Aws
        }
    }
}

/// A built-in rule: its metadata, its check and its fixtures.
pub struct Rule {
    pub meta: Meta,
    pub check: fn(&Scan<'_>, &mut Out<'_>),
    pub fixtures: Fixtures,
}
