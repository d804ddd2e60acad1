//! Defender for Servers scans machines without an agent.

use super::azure::{az, each_subscription, in_account, name, prop, prop_str};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-agentless-scanning",
        title: "Defender for Servers agentless scanning is on",
        severity: Severity::Low,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "Agentless scanning snapshots machine disks to find vulnerabilities, secrets and malware even on machines where no agent runs, so coverage does not depend on every machine being onboarded. CIS v6.0.0 lists this control as Manual; the setting is recorded on the VirtualMachines pricing, so Sightline decides it.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > Servers (Plan 2) > Settings & monitoring > Agentless scanning for machines: On > Continue > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/pricings/VirtualMachines?api-version=2023-01-01\" --body \"{\\\"properties\\\":{\\\"pricingTier\\\":\\\"Standard\\\",\\\"subPlan\\\":\\\"P2\\\",\\\"extensions\\\":[{\\\"name\\\":\\\"AgentlessVmScanning\\\",\\\"isEnabled\\\":\\\"True\\\"}]}}\"",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"servers\" {\n  tier          = \"Standard\"\n  resource_type = \"VirtualMachines\"\n  subplan       = \"P2\"\n  extension {\n    name = \"AgentlessVmScanning\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/concept-agentless-data-collection"],
        controls: &[cis_azure("8.1.3.4"), nist("RA-5")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"True","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"True"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"False","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"False"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let servers = in_account(scan, "Microsoft.Security/pricings", subscription)
            .into_iter()
            .find(|r| name(r).eq_ignore_ascii_case("VirtualMachines"));
        let Some(servers) = servers else {
            return out.not_evaluated(
                Subject::subscription(subscription),
                "the subscription's Defender pricings have no VirtualMachines plan",
            );
        };
        let standard = prop_str(servers, "pricingTier").is_some_and(|t| t.eq_ignore_ascii_case("Standard"));
        // `isEnabled` is the string "True" or "False" in the REST API; accept a boolean too.
        let enabled = prop(servers, "extensions").and_then(Props::as_array).unwrap_or_default().iter().any(|e| {
            e.get("name").and_then(Props::as_str).is_some_and(|n| n.eq_ignore_ascii_case("AgentlessVmScanning"))
                && match e.get("isEnabled") {
                    Some(v) => v.as_bool() == Some(true) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true")),
                    None => false,
                }
        });
        let ok = standard && enabled;
        out.verdict(
            servers,
            ok,
            if ok {
                "agentless scanning is on in Defender for Servers".to_string()
            } else if !standard {
                "Defender for Servers is off, so agentless scanning is too".to_string()
            } else {
                "agentless scanning is off in Defender for Servers".to_string()
            },
            json!({ "pricingTier": prop_str(servers, "pricingTier"), "AgentlessVmScanning": enabled }),
        );
    });
}
