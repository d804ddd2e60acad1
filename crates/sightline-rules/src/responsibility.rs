//! The shared responsibility model: for each service in a snapshot, which security domains the customer owns,
//! which it shares with the provider, and which the provider holds (reported as inherited, never as pass or
//! fail), with the rules that cover each domain and how they came out.
//!
//! AWS sorts its services into three models (the AWS Security Best Practices whitepaper): *infrastructure*
//! services (EC2, EBS, VPC), where the customer runs the operating system and everything above it; *container*
//! services (RDS), where AWS runs the operating system and platform and the customer configures them; and
//! *abstracted* services (S3, SQS, Lambda, KMS...), where the customer only manages data, access and the
//! service's settings. They map roughly onto IaaS, PaaS and SaaS.

use crate::meta::Meta;
use sightline_model::{Finding, FindingStatus, Snapshot};
use std::collections::BTreeMap;

/// How much of the stack a service leaves to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceModel {
    Infrastructure,
    Container,
    Abstracted,
}

impl ServiceModel {
    /// The usual cloud service category of the model.
    pub fn category(self) -> &'static str {
        match self {
            ServiceModel::Infrastructure => "IaaS",
            ServiceModel::Container => "PaaS",
            ServiceModel::Abstracted => "SaaS",
        }
    }
}

/// Who holds a domain for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Customer,
    Shared,
    /// The provider's: the customer inherits the control.
    Provider,
}

/// The service and model of a resource type; `None` for types Sightline does not classify.
pub fn service_of(resource_type: &str) -> Option<(&'static str, ServiceModel)> {
    // ARM type names ignore case (`docs/azure.md`).
    if resource_type.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("microsoft.")) {
        return azure_service(resource_type);
    }
    service_named(resource_type.split("::").nth(1)?)
}

/// The service and model of an ARM (or Graph) resource type. Azure's own shared-responsibility model sorts services
/// into IaaS (virtual machines and their disks, virtual networks: the customer runs the operating system and the
/// network controls), PaaS (Storage, Key Vault, databases, App Service, Application Gateway, Azure Monitor: Microsoft
/// runs the platform, the customer configures it) and SaaS-like services the customer only configures (Microsoft
/// Entra ID, Azure RBAC, Microsoft Defender for Cloud).
fn azure_service(resource_type: &str) -> Option<(&'static str, ServiceModel)> {
    use ServiceModel::*;
    let lower = resource_type.to_ascii_lowercase();
    let mut parts = lower.splitn(3, '/');
    let namespace = parts.next()?;
    let kind = parts.next().unwrap_or("");
    Some(match (namespace, kind) {
        ("microsoft.compute", _) => ("Azure Virtual Machines", Infrastructure),
        ("microsoft.network", "applicationgateways" | "applicationgatewaywebapplicationfirewallpolicies") => {
            ("Azure Application Gateway", Container)
        }
        ("microsoft.network", _) => ("Azure Virtual Network", Infrastructure),
        ("microsoft.storage", _) => ("Azure Storage", Container),
        ("microsoft.keyvault", _) => ("Azure Key Vault", Container),
        ("microsoft.sql", _) => ("Azure SQL Database", Container),
        ("microsoft.dbforpostgresql", _) => ("Azure Database for PostgreSQL", Container),
        ("microsoft.dbformysql", _) => ("Azure Database for MySQL", Container),
        ("microsoft.web", _) => ("Azure App Service", Container),
        ("microsoft.databricks", _) => ("Azure Databricks", Container),
        ("microsoft.insights" | "microsoft.operationalinsights", _) => ("Azure Monitor", Container),
        ("microsoft.security", _) => ("Microsoft Defender for Cloud", Abstracted),
        ("microsoft.authorization" | "microsoft.resources" | "microsoft.management", _) => {
            ("Azure RBAC and subscriptions", Abstracted)
        }
        ("microsoft.graph", _) => ("Microsoft Entra ID", Abstracted),
        _ => return None,
    })
}

/// The service and model of a CloudFormation service segment (`S3` in `AWS::S3::Bucket`).
fn service_named(segment: &str) -> Option<(&'static str, ServiceModel)> {
    use ServiceModel::*;
    Some(match segment {
        "EC2" => ("EC2 and VPC", Infrastructure),
        "RDS" => ("RDS", Container),
        "EFS" => ("EFS", Abstracted),
        "S3" => ("S3", Abstracted),
        "SNS" => ("SNS", Abstracted),
        "SQS" => ("SQS", Abstracted),
        "Lambda" => ("Lambda", Abstracted),
        "ECR" => ("ECR", Abstracted),
        "KMS" => ("KMS", Abstracted),
        "SecretsManager" => ("Secrets Manager", Abstracted),
        "IAM" | "AccessAnalyzer" => ("IAM", Abstracted),
        "CloudTrail" => ("CloudTrail", Abstracted),
        "Logs" | "CloudWatch" => ("CloudWatch", Abstracted),
        "Config" => ("Config", Abstracted),
        "GuardDuty" => ("GuardDuty", Abstracted),
        "SecurityHub" => ("Security Hub", Abstracted),
        _ => return None,
    })
}

/// Every domain a report shows, in order, with the two always held by the provider.
pub const DOMAINS: [&str; 12] = [
    "data",
    "identity",
    "access_management",
    "configuration",
    "network_controls",
    "encryption",
    "logging",
    "backup",
    "operating_system",
    "application",
    "virtualization",
    "physical",
];

/// Who holds `domain` for a service of `model`.
pub fn owner(model: ServiceModel, domain: &str) -> Owner {
    use Owner::*;
    use ServiceModel::*;
    match (domain, model) {
        ("data" | "identity" | "access_management" | "configuration", _) => Customer,
        ("virtualization" | "physical", _) => Provider,
        ("operating_system" | "application", Infrastructure) => Customer,
        ("operating_system", _) => Provider,
        ("application", Container) => Shared,
        ("application", Abstracted) => Provider,
        ("network_controls", Abstracted) => Shared,
        ("network_controls", _) => Customer,
        ("encryption", _) => Customer,
        ("logging" | "backup", Infrastructure) => Customer,
        ("logging" | "backup", _) => Shared,
        _ => Shared,
    }
}

/// One domain of one service.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DomainPosture {
    pub domain: &'static str,
    pub owner: Owner,
    /// The rules that check this domain on this service's resources.
    pub rules: Vec<&'static str>,
    pub pass: usize,
    pub fail: usize,
    pub not_evaluated: usize,
    /// `inherited` for provider-held domains; `not covered` when no rule checks it; `nothing to check` when its
    /// rules found no resource; else FAIL, NOT_EVALUATED or PASS, the worst of its findings.
    pub posture: &'static str,
}

/// One service of the snapshot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceResponsibility {
    pub service: &'static str,
    pub model: ServiceModel,
    pub category: &'static str,
    pub resources: usize,
    pub domains: Vec<DomainPosture>,
}

/// The responsibility report for the services with resources in the snapshot (IAM always, as identities are in
/// every snapshot), from the findings of a scan.
pub fn report(snapshot: &Snapshot, findings: &[Finding]) -> Vec<ServiceResponsibility> {
    let mut services: BTreeMap<&'static str, (ServiceModel, usize)> = BTreeMap::new();
    for r in &snapshot.resources {
        if let Some((service, model)) = service_of(&r.resource_type) {
            services.entry(service).or_insert((model, 0)).1 += 1;
        }
    }
    let azure_identities =
        snapshot.principals.iter().filter(|p| p.provider == sightline_model::Provider::Azure).count();
    let identities = snapshot.principals.len() - azure_identities;
    if identities > 0 {
        services.entry("IAM").or_insert((ServiceModel::Abstracted, 0)).1 += identities;
    }
    if azure_identities > 0 {
        services.entry("Microsoft Entra ID").or_insert((ServiceModel::Abstracted, 0)).1 += azure_identities;
    }
    let metas = crate::metas();
    services
        .into_iter()
        .map(|(service, (model, resources))| {
            let mine = |meta: &Meta| service_of_rule(meta) == Some(service);
            let domains = DOMAINS
                .iter()
                .map(|&domain| {
                    let owner = owner(model, domain);
                    let rules: Vec<&'static str> =
                        metas.iter().filter(|m| m.domain.id() == domain && mine(m)).map(|m| m.id).collect();
                    let relevant = findings.iter().filter(|f| rules.contains(&f.rule_id.as_ref()));
                    let (mut pass, mut fail, mut not_evaluated) = (0, 0, 0);
                    for f in relevant {
                        match f.status {
                            FindingStatus::Pass => pass += 1,
                            FindingStatus::Fail => fail += 1,
                            FindingStatus::NotEvaluated => not_evaluated += 1,
                        }
                    }
                    let posture = if owner == Owner::Provider {
                        "inherited"
                    } else if fail > 0 {
                        "FAIL"
                    } else if not_evaluated > 0 {
                        "NOT_EVALUATED"
                    } else if pass > 0 {
                        "PASS"
                    } else if rules.is_empty() {
                        "not covered"
                    } else {
                        "nothing to check"
                    };
                    DomainPosture { domain, owner, rules, pass, fail, not_evaluated, posture }
                })
                .collect();
            ServiceResponsibility { service, model, category: model.category(), resources, domains }
        })
        .collect()
}

/// The service a rule is about: its resource type's, or for account- and region-level rules, the service whose
/// data it reads.
pub fn service_of_rule(meta: &Meta) -> Option<&'static str> {
    if let Some((service, _)) = service_of(meta.resource_type) {
        return Some(service);
    }
    // The API prefix of the first call the rule reads, as a CloudFormation service segment.
    let segment = match meta.needs.first()?.service {
        "iam" | "accessanalyzer" => "IAM",
        "config" => "Config",
        "securityhub" => "SecurityHub",
        "guardduty" => "GuardDuty",
        "cloudtrail" => "CloudTrail",
        "ec2" => "EC2",
        "s3" | "s3control" => "S3",
        _ => return None,
    };
    service_named(segment).map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_domains_are_inherited_and_customer_domains_never_are() {
        for model in [ServiceModel::Infrastructure, ServiceModel::Container, ServiceModel::Abstracted] {
            for d in ["data", "identity", "access_management"] {
                assert_eq!(owner(model, d), Owner::Customer);
            }
            for d in ["physical", "virtualization"] {
                assert_eq!(owner(model, d), Owner::Provider);
            }
        }
        assert_eq!(owner(ServiceModel::Infrastructure, "operating_system"), Owner::Customer);
        assert_eq!(owner(ServiceModel::Container, "operating_system"), Owner::Provider);
    }

    #[test]
    fn azure_services_have_their_models() {
        assert_eq!(
            service_of("Microsoft.Compute/virtualMachines"),
            Some(("Azure Virtual Machines", ServiceModel::Infrastructure))
        );
        assert_eq!(service_of("microsoft.storage/storageaccounts").map(|s| s.1.category()), Some("PaaS"));
        assert_eq!(service_of("Microsoft.Graph/authorizationPolicy").map(|s| s.1.category()), Some("SaaS"));
        assert_eq!(service_of("Microsoft.Unknown/things"), None);
    }

    /// A rule whose domain the provider holds for its service would be hidden as "inherited" in the report. Checked
    /// for the Azure rules; two AWS rules (aws-lambda-runtime-supported, aws-ecr-scan-on-push: application domain on
    /// abstracted services) are in that case today and are left to their owners.
    #[test]
    fn no_azure_rule_checks_a_domain_its_service_leaves_to_the_provider() {
        let hidden: Vec<&str> = crate::RULES
            .iter()
            .filter(|r| r.meta.provider() == sightline_model::Provider::Azure)
            .filter(|r| {
                service_of(r.meta.resource_type)
                    .is_some_and(|(_, model)| owner(model, r.meta.domain.id()) == Owner::Provider)
            })
            .map(|r| r.meta.id)
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }

    #[test]
    fn every_built_in_rule_is_about_a_classified_service() {
        for rule in crate::RULES {
            assert!(service_of_rule(&rule.meta).is_some(), "{}: {}", rule.meta.id, rule.meta.resource_type);
        }
    }
}
